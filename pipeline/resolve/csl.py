"""CSL-JSON shared by every service client: the type map, dates, and the list's own text.

Every resolver hands back a CSL item built by its service's client (``crossref.to_csl``,
``openalex.to_csl``, ``arxiv.to_csl``) or by :func:`list_to_csl`, so the fields are named and
shaped one way (``author`` as ``{family, given}``, ``issued`` as ``{date-parts}``).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids import pages, venues
from pipeline.ids.names import csl_names
from pipeline.models import Work

# Crossref / OpenAlex work types → CSL types (https://api.crossref.org/types).
CSL_TYPES = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "posted-content": "article",
    "dataset": "dataset",
    "book-chapter": "chapter",
    "book": "book",
    "report": "report",
    "dissertation": "thesis",
    "preprint": "article",
    "article": "article-journal",
    "software": "software",
}


def date_parts(value: str | None) -> dict[str, Any] | None:
    """``"2025-06-02"``, ``"2025-06"`` or ``"2025"`` → CSL ``{"date-parts": [[…]]}``."""
    if not value:
        return None
    numbers = [int(x) for x in re.findall(r"\d+", value)[:3]]
    if not numbers or not 1000 <= numbers[0] <= 2999:
        return None
    return {"date-parts": [numbers]}


LIST_FIELDS = ("title", "author", "issued", "container-title", "URL")


def list_to_csl(work: Work) -> dict[str, Any]:
    """What the list itself says about a work, as a CSL item (``resolved_by="list"``)."""
    csl: dict[str, Any] = {
        "id": work.id,
        "type": "dataset" if work.kind == "dataset" else "article",
        "title": work.title,
    }
    authors = csl_names(work.authors)  # read together: the list's name order is one
    if authors:
        csl["author"] = authors
    # the list's own date, else the year its arXiv id or proceedings page states
    stated = [arxiv_ids.year_of(work.ids.arxiv or "")] + [pages.year_of(p) for p in work.ids.pages]
    issued = date_parts(work.date) or date_parts(next((y for y in stated if y), None))
    if issued:
        csl["issued"] = issued
    if work.venue and work.venue.strip().lower() not in {"arxiv", "-", ""}:
        known = venues.lookup(work.venue)  # one spelling per venue, and its kind
        csl["container-title"] = known.name if known else work.venue.strip()
        if work.kind != "dataset":
            csl["type"] = known.csl_type if known else "article-journal"
    url = next((link.url for link in work.links if link.role == "paper"), None)
    url = url or next((link.url for link in work.links), None)
    if url:
        csl["URL"] = url
    if work.ids.doi:
        csl["DOI"] = work.ids.doi
    if work.ids.arxiv:
        csl["custom"] = {"arxiv": work.ids.arxiv}
    return csl


def fill_from_list(csl: dict[str, Any], work: Work) -> list[str]:
    """Fill fields no service knew from list text; return the names of the filled fields."""
    from_list = list_to_csl(work)
    filled = []
    for field in LIST_FIELDS:
        if not csl.get(field) and from_list.get(field):
            csl[field] = from_list[field]
            filled.append(field)
    return filled

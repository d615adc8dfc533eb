"""Building CSL-JSON items: from Crossref, arXiv, OpenAlex records and from list text.

Every resolver hands back a CSL item through these helpers so the fields are named and
shaped one way (``author`` as ``{family, given}``, ``issued`` as ``{date-parts}``).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline import names
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


def norm_doi(value: object) -> str:
    """A DOI as compared: lower-case, without a resolver URL or ``doi:`` prefix."""
    text = str(value or "").strip()
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", text, flags=re.IGNORECASE)
    return text.lower()


def same_doi(a: object, b: object) -> bool:
    """Whether two DOIs name the same thing (DOIs are case-insensitive); empty never matches."""
    na = norm_doi(a)
    return bool(na) and na == norm_doi(b)


def split_name(name: str) -> dict[str, str]:
    """An author as a list writes it → CSL ``{"family": …, "given": …}`` (pipeline.names)."""
    split = names.split_name(name)
    if split is None:
        return {}
    return (
        {"family": split.family, "given": split.given} if split.given else {"family": split.family}
    )


def date_parts(value: str | None) -> dict[str, Any] | None:
    """``"2025-06-02"``, ``"2025-06"`` or ``"2025"`` → CSL ``{"date-parts": [[…]]}``."""
    if not value:
        return None
    numbers = [int(x) for x in re.findall(r"\d+", value)[:3]]
    if not numbers or not 1000 <= numbers[0] <= 2999:
        return None
    return {"date-parts": [numbers]}


def _first(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def _crossref_date(message: dict[str, Any]) -> dict[str, Any] | None:
    for field in ("issued", "published-print", "published-online", "published", "created"):
        parts = (message.get(field) or {}).get("date-parts") or []
        if parts and parts[0] and parts[0][0] is not None:
            return {"date-parts": [[int(x) for x in parts[0] if x is not None]]}
    return None


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


def _cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def _cjk_language(text: str) -> str:
    """The CSL ``language`` of a CJK title: kana → ja, hangul → ko, else zh."""
    if re.search("[\u3040-\u30ff]", text):
        return "ja"
    return "ko" if re.search("[\uac00-\ud7af]", text) else "zh"


def _texts(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [t for t in items if isinstance(t, str) and t.strip()]


def _titles(message: dict[str, Any]) -> tuple[str, str]:
    """(title, original-title). Chinese journals deposit the English title beside the
    original in ``title`` (or the original in ``original-title``): then the English one is
    the title, as IEEE and CSL have it ("the untranslated title" is ``original-title``)."""
    titles = _texts(message.get("title"))
    every = titles + _texts(message.get("original-title"))
    english = next((t for t in every if not _cjk(t)), "")
    original = next((t for t in every if _cjk(t)), "")
    if english and original:
        return english, original
    return (titles[0] if titles else ""), ""


def crossref_to_csl(message: dict[str, Any], work_id: str) -> dict[str, Any]:
    """A Crossref ``/works`` message (or a doi.org CSL item) as a CSL item."""
    csl: dict[str, Any] = {
        "id": work_id,
        "type": CSL_TYPES.get(str(message.get("type")), str(message.get("type") or "article")),
    }
    if csl["type"] not in CSL_TYPES.values():
        csl["type"] = "article-journal"
    title, original = _titles(message)
    subtitle = next((s for s in _texts(message.get("subtitle")) if _cjk(s) == _cjk(title)), "")
    if title:
        csl["title"] = f"{title}: {subtitle}" if subtitle and subtitle not in title else title
    if original:
        csl["original-title"] = original
        csl["language"] = _cjk_language(original)
    authors = []
    for person in message.get("author") or []:
        if person.get("family"):
            name = {"family": person["family"]}
            if person.get("given"):
                name["given"] = person["given"]
            authors.append(name)
        elif person.get("name") or person.get("literal"):
            authors.append({"literal": person.get("name") or person.get("literal")})
    if authors:
        csl["author"] = authors
    issued = _crossref_date(message)
    if issued:
        csl["issued"] = issued
    container = _first(message.get("container-title"))
    if container:
        csl["container-title"] = container
    for field in ("volume", "issue", "page", "publisher"):
        if message.get(field):
            csl[field] = str(message[field])
    if message.get("DOI"):
        csl["DOI"] = str(message["DOI"]).lower()
        csl["URL"] = f"https://doi.org/{csl['DOI']}"
    elif message.get("URL"):
        csl["URL"] = message["URL"]
    return csl


def openalex_to_csl(work: dict[str, Any], work_id: str) -> dict[str, Any]:
    """An OpenAlex work as a CSL item."""
    location = work.get("primary_location") or {}
    source = location.get("source") or {}
    if work.get("type") == "preprint":
        kind = "article"
    elif source.get("type") == "conference":
        kind = "paper-conference"
    else:
        kind = CSL_TYPES.get(str(work.get("type")), "article-journal")
    csl: dict[str, Any] = {"id": work_id, "type": kind}
    if work.get("display_name") or work.get("title"):
        csl["title"] = work.get("display_name") or work.get("title")
    authors = [
        split_name(str((a.get("author") or {}).get("display_name") or a.get("raw_author_name")))
        for a in work.get("authorships") or []
    ]
    if authors:
        csl["author"] = [a for a in authors if a]
    issued = date_parts(work.get("publication_date")) or date_parts(
        str(work.get("publication_year") or "")
    )
    if issued:
        csl["issued"] = issued
    if source.get("display_name"):
        csl["container-title"] = source["display_name"]
    if source.get("host_organization_name"):
        csl["publisher"] = source["host_organization_name"]
    biblio = work.get("biblio") or {}
    if biblio.get("volume"):
        csl["volume"] = str(biblio["volume"])
    if biblio.get("issue"):
        csl["issue"] = str(biblio["issue"])
    if biblio.get("first_page"):
        last = biblio.get("last_page")
        csl["page"] = f"{biblio['first_page']}-{last}" if last else str(biblio["first_page"])
    doi = str(work.get("doi") or "")
    if doi:
        csl["DOI"] = re.sub(r"^https?://(dx\.)?doi\.org/", "", doi).lower()
        csl["URL"] = f"https://doi.org/{csl['DOI']}"
    elif location.get("landing_page_url"):
        csl["URL"] = location["landing_page_url"]
    return csl


LIST_FIELDS = ("title", "author", "issued", "container-title", "URL")


def list_to_csl(work: Work) -> dict[str, Any]:
    """What the list itself says about a work, as a CSL item (``resolved_by="list"``)."""
    csl: dict[str, Any] = {
        "id": work.id,
        "type": "dataset" if work.kind == "dataset" else "article",
        "title": work.title,
    }
    authors = [split_name(a) for a in work.authors if a.strip() not in {"...", "…", "et al."}]
    authors = [a for a in authors if a]
    if authors:
        csl["author"] = authors
    issued = date_parts(work.date)
    if issued:
        csl["issued"] = issued
    if work.venue and work.venue.strip().lower() not in {"arxiv", "-", ""}:
        csl["container-title"] = work.venue.strip()
        csl["type"] = "article-journal" if work.kind != "dataset" else "dataset"
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

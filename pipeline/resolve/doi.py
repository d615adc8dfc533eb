"""doi.org content negotiation: CSL-JSON for DOIs Crossref does not hold (DataCite: Zenodo,
figshare …). https://citation.crosscite.org/docs.html

A 200 answer must be a titled CSL item whose ``DOI`` is the one asked; an item about another
DOI (or none) is a failed answer, never applied to the work nor cached.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.ids.doi import quoted, same_doi
from pipeline.resolve.base import Context
from pipeline.resolve.fetch import Check

CSL_ACCEPT = "application/vnd.citationstyles.csl+json"


def _item(body: bytes) -> dict[str, Any] | None:
    data = json.loads(body)
    # Some agencies answer with a one-element array (as manubot records show).
    if isinstance(data, list):
        data = data[0] if data and isinstance(data[0], dict) else None
    return data if isinstance(data, dict) else None


def csl_check(doi: str) -> Check:
    """A content-negotiation answer must be a titled CSL item about ``doi`` itself."""

    def check(body: bytes) -> str | None:
        item = _item(body)
        if item is None or not item.get("title"):
            return "no CSL item with a title in the answer"
        if not same_doi(item.get("DOI"), doi):
            return f"a CSL item about DOI {item.get('DOI')!r}, not {doi!r}"
        return None

    return check


def fetch_csl(ctx: Context, doi: str) -> dict[str, Any] | None:
    """The registration agency's CSL item for ``doi``, None when doi.org does not know it.

    Raises :class:`~pipeline.errors.Unavailable` when doi.org cannot answer or answers
    about something else.
    """
    url = f"{ctx.settings.endpoints.doi}/{quoted(doi)}"
    response = ctx.fetcher.get(url, headers={"Accept": CSL_ACCEPT}, check=csl_check(doi))
    if response.status_code != 200:
        return None  # 404/410: no agency knows it
    return _item(response.content)

"""doi.org content negotiation: CSL-JSON for DOIs Crossref does not hold (DataCite: Zenodo,
figshare …). https://citation.crosscite.org/docs.html
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from pipeline.resolve.base import Context

CSL_ACCEPT = "application/vnd.citationstyles.csl+json"


def fetch_csl(ctx: Context, doi: str) -> dict[str, Any] | None:
    """The registration agency's CSL item for ``doi``, None when doi.org does not know it.

    Raises :class:`~pipeline.resolve.fetch.Unavailable` when doi.org cannot answer.
    """
    url = f"{ctx.settings.endpoints.doi}/{quote(doi, safe='/:;()._-')}"
    response = ctx.fetcher.get(url, headers={"Accept": CSL_ACCEPT})
    if response.status_code != 200:
        return None
    data = json.loads(response.content)
    # Some agencies answer with a one-element array (as manubot records show).
    if isinstance(data, list):
        data = data[0] if data and isinstance(data[0], dict) else None
    return data if isinstance(data, dict) and data.get("title") else None

"""Works with a DOI: the registration agency's record of the published work itself, applied
only when it agrees with what the list says (:meth:`Context.confirm`): a DOI taken from a
link may belong to another paper."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.errors import Unavailable
from pipeline.ids import doi as doi_ids
from pipeline.models import Work
from pipeline.resolve import crossref, doi, openalex
from pipeline.resolve.base import Context, Found, each_work
from pipeline.resolve.leads import known_doi


class KnownDoiResolver:
    """Works with a DOI: Crossref first; a DOI Crossref does not hold (DataCite: Zenodo,
    figshare) from OpenAlex's DOI batch when it filed one (with a key); else, and when
    Crossref is down, doi.org content negotiation."""

    name = "crossref-doi"

    def wants(self, work: Work) -> bool:
        return known_doi(work) is not None

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        return each_work(ctx, works, lambda work: self._one(work, ctx))

    def _one(self, work: Work, ctx: Context) -> Found | None:
        known = known_doi(work)
        if known is None:
            return None
        value, method = known
        record: dict[str, Any] | None = None
        try:
            record = crossref.get_work(ctx, value)
        except Unavailable as exc:
            ctx.unavailable(work, exc)  # then doi.org, which also answers for Crossref DOIs
        url = doi_ids.link_of((x.url for x in work.links), value) or doi_ids.url_of(value)
        if record is not None:
            return _agreed(
                ctx, work, value, url, crossref.to_csl(record, work.id), "crossref", method
            )
        indexed = openalex.filed_work(ctx, value)
        if indexed is not None:
            return _agreed(
                ctx, work, value, url, openalex.to_csl(indexed, work.id), "openalex", method
            )
        item = doi.fetch_csl(ctx, value)
        if item is None:
            return None
        return _agreed(ctx, work, value, url, crossref.to_csl(item, work.id), "doi", method)


def _agreed(
    ctx: Context, work: Work, value: str, url: str, csl: dict[str, Any], by: str, method: str
) -> Found | None:
    """The record found through the DOI ``value``, if it names the list's paper."""
    if not ctx.confirm(work, f"doi:{value}", url, csl):
        return None
    return Found(csl, by, method, 1.0)

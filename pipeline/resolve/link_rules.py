"""Publisher links that need a Crossref lookup: ScienceDirect PII, IEEE Xplore, AAAI OJS.

* ``pii``: looked up with Crossref's ``filter=alternative-id:``;
* ``ieee``: found by a Crossref title query and confirmed by the number in the record's
  resource URL (Crossref does not index the document number);
* ``aaai``: found by a Crossref title query and confirmed by the DOI ending in that number
  (AAAI DOIs end ``.{article}``).

The identifier ties the record to the link; the title grades the confidence, and a record
that clearly names another paper than the list's is not applied (:meth:`Context.confirm`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pipeline.errors import Unavailable
from pipeline.ids.names import first_author
from pipeline.ids.publishers import AAAI_PREFIX, IEEE_PREFIX, ieee_confirms
from pipeline.models import Work
from pipeline.resolve import crossref
from pipeline.resolve.arxiv import arxiv_id
from pipeline.resolve.base import Context, Found, each_work
from pipeline.resolve.leads import Hit, hits
from pipeline.resolve.match import title_similarity


def _ieee_confirms(number: str) -> Callable[[dict[str, Any]], bool]:
    pattern = ieee_confirms(number)

    def confirm(item: dict[str, Any]) -> bool:
        urls = [str(((item.get("resource") or {}).get("primary") or {}).get("URL") or "")]
        urls += [str(x.get("URL") or "") for x in item.get("link") or []]
        return any(pattern.search(u) for u in urls)

    return confirm


def _aaai_confirms(number: str) -> Callable[[dict[str, Any]], bool]:
    return lambda item: str(item.get("DOI") or "").lower().endswith(f".{number}")


def _named(ctx: Context, work: Work, prefix: str) -> list[dict[str, Any]]:
    """The Crossref record of the DOI Semantic Scholar named for the work's preprint, when it
    is under ``prefix`` (filed by the DOI batch: no title search, no request)."""
    key = arxiv_id(work)
    doi = ctx.published.get(key) if key else None
    if not doi or not doi.startswith(prefix + "/"):
        return []
    record = crossref.get_work(ctx, doi)
    return [record] if record else []


class LinkLookupResolver:
    """Publisher links that need a Crossref lookup: ScienceDirect, IEEE Xplore, AAAI OJS."""

    name = "rules"
    kinds = ("pii", "ieee", "aaai")

    def wants(self, work: Work) -> bool:
        return any(h.rule.kind in self.kinds for h in hits(work))

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        return each_work(ctx, works, lambda work: self._one(work, ctx))

    def _one(self, work: Work, ctx: Context) -> Found | None:
        for hit in hits(work):
            if hit.rule.kind not in self.kinds:
                continue
            try:
                result = self._lookup(work, hit, ctx)
            except Unavailable as exc:
                ctx.unavailable(work, exc)
                continue
            if result is not None:
                return result
        return None

    def _lookup(self, work: Work, hit: Hit, ctx: Context) -> Found | None:
        if hit.rule.kind == "pii":
            items = crossref.query(ctx, filters={"alternative-id": hit.value})
            wanted = hit.value.upper()
            items = [
                i
                for i in items
                if wanted in {str(a).upper() for a in i.get("alternative-id") or []}
            ]
        else:
            prefix = IEEE_PREFIX if hit.rule.kind == "ieee" else AAAI_PREFIX
            confirm = (_ieee_confirms if hit.rule.kind == "ieee" else _aaai_confirms)(hit.value)
            items = [i for i in _named(ctx, work, prefix) if confirm(i)]
            if not items:
                items = crossref.query(
                    ctx,
                    title=work.title,
                    author=first_author(work.authors),
                    filters={"prefix": prefix},
                )
                items = [i for i in items if confirm(i)]
        if not items:
            return None
        csl = crossref.to_csl(items[0], work.id)
        if not ctx.confirm(work, f"{hit.rule.kind}:{hit.value}", hit.url, csl):
            return None
        similarity = title_similarity(work.title, str(csl.get("title") or ""))
        return Found(
            csl, "crossref", f"rule:{hit.rule.publisher}", round(0.9 + 0.1 * similarity, 3)
        )

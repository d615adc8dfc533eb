"""Works known only by title: a service's search, each hit accepted only through the guard.

:class:`TitleSearchResolver` is the shape every title search shares; each service says how
to search it: Crossref (title + first author) and OpenAlex (its keyless daily budget is small,
so it is asked last, only for what every other resolver missed).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.ids.names import first_author
from pipeline.models import Work
from pipeline.resolve import crossref, openalex
from pipeline.resolve.base import Context, Found, choose, each_work
from pipeline.resolve.csl import list_to_csl


class TitleSearchResolver:
    """A title search in ``service``; subclasses say how to search it (:meth:`candidates`)."""

    name = "title-search"
    service = ""

    def wants(self, work: Work) -> bool:
        # software and other resources (videos, blogs, courses) are not in the registries:
        # a title search would only find some paper of the same name
        return bool(work.title.strip()) and work.kind not in ("project", "other")

    def candidates(self, ctx: Context, work: Work) -> list[dict[str, Any]]:
        """CSL candidates for ``work``, best first."""
        raise NotImplementedError

    def resolve(self, works: Sequence[Work], ctx: Context) -> dict[str, Found]:
        return each_work(
            ctx, works, lambda work: pick(ctx, work, self.service, self.candidates(ctx, work))
        )


class CrossrefTitleResolver(TitleSearchResolver):
    """Crossref's bibliographic search by title and first author."""

    name = "crossref-title"
    service = "crossref"

    def candidates(self, ctx: Context, work: Work) -> list[dict[str, Any]]:
        items = crossref.query(ctx, title=work.title, author=first_author(work.authors))
        return [crossref.to_csl(i, work.id) for i in items]


class OpenAlexResolver(TitleSearchResolver):
    """OpenAlex's title search: the last resort (CVF open access, OpenReview)."""

    name = "openalex"
    service = "openalex"

    def candidates(self, ctx: Context, work: Work) -> list[dict[str, Any]]:
        return [openalex.to_csl(r, work.id) for r in openalex.search(ctx, work.title)]


def pick(ctx: Context, work: Work, service: str, candidates: list[dict[str, Any]]) -> Found | None:
    """The candidate the guard accepts against the list's title, first author and year."""
    chosen = choose(ctx, work, service, list_to_csl(work), candidates)
    if chosen is None:
        return None
    csl, verdict = chosen
    return Found(csl, service, "title-search", round(verdict.similarity, 3))

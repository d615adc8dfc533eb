"""Publisher link → DOI rules, one row of a table each (not an if-chain).

A row names the publisher, a URL pattern and what the match gives:

* ``doi``: the DOI itself, read or computed from the URL (MDPI, nature.com, ACM, Taylor &
  Francis, Springer, Wiley, Zenodo, doi.org links); the known-DOI resolver fetches it from Crossref;
* ``pii``: a ScienceDirect PII, looked up with Crossref's ``filter=alternative-id:``;
* ``ieee``: an IEEE Xplore document number, found by a Crossref title query and confirmed by
  the number in the record's resource URL (Crossref does not index the document number);
* ``aaai``: an AAAI OJS article number, found by a Crossref title query and confirmed by the
  DOI ending in that number (AAAI DOIs end ``.{article}``).

These patterns are this stage's own so it does not depend on the scraper's identify module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.models import Link, Work
from pipeline.resolve import crossref
from pipeline.resolve.base import Context, Found, each_work, first_author
from pipeline.resolve.csl import crossref_to_csl
from pipeline.resolve.fetch import Unavailable
from pipeline.resolve.match import title_similarity

# MDPI journal ISSN (as in its URLs) → the code its DOIs use: 10.3390/{code}{vol}{issue}{no}.
MDPI_JOURNALS = {
    "2072-4292": "rs",  # Remote Sensing
    "1424-8220": "s",  # Sensors
    "2076-3417": "app",  # Applied Sciences
    "2220-9964": "ijgi",  # ISPRS International Journal of Geo-Information
    "2504-446X": "drones",  # Drones
    "2079-9292": "electronics",  # Electronics
    "2227-7390": "math",  # Mathematics
}


def _mdpi(m: re.Match[str]) -> str | None:
    code = MDPI_JOURNALS.get(m["issn"].upper())
    if code is None:
        return None
    return f"10.3390/{code}{int(m['vol']):02d}{int(m['issue']):02d}{int(m['no']):04d}"


def _group(name: str) -> Callable[[re.Match[str]], str | None]:
    """The named group, or a ``{group}`` template filled from the match."""
    if "{" in name:
        return lambda m: name.format(**m.groupdict())
    return lambda m: m[name]


@dataclass(frozen=True)
class Rule:
    """One row: ``publisher`` names it in ``method`` (``rule:<publisher>``)."""

    publisher: str
    kind: str
    pattern: re.Pattern[str]
    value: Callable[[re.Match[str]], str | None]


def _row(publisher: str, kind: str, pattern: str, value: str | None = None) -> Rule:
    return Rule(
        publisher,
        kind,
        re.compile(pattern, re.IGNORECASE),
        _mdpi if value is None else _group(value),
    )


_DOI = r"(?P<doi>10\.\d{4,9}/[^?#\s]+?)"
_END = r"/?(?:[?#].*)?$"

RULES: tuple[Rule, ...] = (
    _row(
        "mdpi",
        "doi",
        r"mdpi\.com/(?P<issn>\d{4}-\d{3}[\dXx])/(?P<vol>\d+)/(?P<issue>\d+)/(?P<no>\d+)(?:/|$|[?#])",
    ),
    _row(
        "nature", "doi", r"nature\.com/articles/(?P<id>s?[\w.-]+?)(?:\.pdf)?" + _END, "10.1038/{id}"
    ),
    _row(
        "acm", "doi", r"dl\.acm\.org/doi/(?:abs/|full/|pdf/|epdf/|fullHtml/)?" + _DOI + _END, "doi"
    ),
    _row("tandf", "doi", r"tandfonline\.com/doi/(?:abs/|full/|pdf/|epdf/)?" + _DOI + _END, "doi"),
    _row(
        "springer",
        "doi",
        r"link\.springer\.com/(?:article|chapter|content/pdf)/" + _DOI + r"(?:\.pdf)?" + _END,
        "doi",
    ),
    _row(
        "wiley",
        "doi",
        r"onlinelibrary\.wiley\.com/doi/(?:abs/|full/|pdf/|epdf/)?" + _DOI + _END,
        "doi",
    ),
    _row("zenodo", "doi", r"zenodo\.org/(?:records?|doi)/(?P<n>\d+)", "10.5281/zenodo.{n}"),
    _row("doi.org", "doi", r"^https?://(?:dx\.)?doi\.org/" + _DOI + _END, "doi"),
    _row(
        "aaai", "aaai", r"ojs\.aaai\.org/index\.php/AAAI/article/(?:view|download)/(?P<n>\d+)", "n"
    ),
    _row(
        "sciencedirect",
        "pii",
        r"sciencedirect\.com/science/article/(?:abs/)?pii/(?P<pii>S[0-9X]{16})",
        "pii",
    ),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/(?:abstract/)?document/(?P<n>\d+)", "n"),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/iel\d+/\d+/\d+/0*(?P<n>\d+)\.pdf", "n"),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/stamp/stamp\.jsp\?.*arnumber=0*(?P<n>\d+)", "n"),
)


@dataclass(frozen=True)
class Hit:
    """A rule that matched one of a work's links, and what it gave."""

    rule: Rule
    value: str
    url: str


def hits(work: Work) -> list[Hit]:
    """Rule matches among a work's links, plus its IEEE number.

    Paper links are read first. Other links (a dataset's Zenodo record, a project page) count
    only when no paper link gives a hit and the work has no arXiv id: the data deposit of a
    paper is not the paper.
    """
    paper = [link for link in work.links if link.role == "paper"]
    found = _hits_in(paper)
    if not found and not work.ids.arxiv:
        found = _hits_in([link for link in work.links if link.role != "paper"])
    if work.ids.ieee and not any(h.rule.kind == "ieee" for h in found):
        ieee_rule = next(r for r in RULES if r.kind == "ieee")
        found.append(Hit(ieee_rule, work.ids.ieee, f"ieee:{work.ids.ieee}"))
    return found


def _hits_in(links: list[Link]) -> list[Hit]:
    found: list[Hit] = []
    for link in links:
        for rule in RULES:
            m = rule.pattern.search(link.url)
            if m is None:
                continue
            value = rule.value(m)
            if value:
                if rule.kind == "doi":
                    value = value.lower().rstrip(".")
                found.append(Hit(rule, value, link.url))
            break
    return found


def doi_from_links(work: Work) -> tuple[str, str] | None:
    """The first DOI a ``doi`` row gives for a work's links: ``(doi, publisher)``."""
    for hit in hits(work):
        if hit.rule.kind == "doi":
            return hit.value, hit.rule.publisher
    return None


def _ieee_confirms(number: str) -> Callable[[dict[str, Any]], bool]:
    pattern = re.compile(rf"/document/0*{number}(?:/|$)|arnumber=0*{number}(?:\D|$)")

    def confirm(item: dict[str, Any]) -> bool:
        urls = [str(((item.get("resource") or {}).get("primary") or {}).get("URL") or "")]
        urls += [str(x.get("URL") or "") for x in item.get("link") or []]
        return any(pattern.search(u) for u in urls)

    return confirm


def _aaai_confirms(number: str) -> Callable[[dict[str, Any]], bool]:
    return lambda item: str(item.get("DOI") or "").lower().endswith(f".{number}")


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
            prefix = "10.1109" if hit.rule.kind == "ieee" else "10.1609"
            confirm = (_ieee_confirms if hit.rule.kind == "ieee" else _aaai_confirms)(hit.value)
            items = crossref.query(
                ctx, title=work.title, author=first_author(work), filters={"prefix": prefix}
            )
            items = [i for i in items if confirm(i)]
        if not items:
            return None
        csl = crossref_to_csl(items[0], work.id)
        # The identifier itself ties the record to the link; the title only grades confidence.
        similarity = title_similarity(work.title, str(csl.get("title") or ""))
        return Found(
            csl, "crossref", f"rule:{hit.rule.publisher}", round(0.9 + 0.1 * similarity, 3)
        )

"""The ordered list of resolvers (manubot style: one interface, one list).

Each work goes to the first resolver in this order that wants it and finds it; a resolver
that finds nothing (or whose service is down) passes the work on to the next. The order
follows authority and cost:

1. ``crossref-doi``  a DOI the list states or a link rule computes (MDPI, nature.com, ACM,
   T&F, Springer, Wiley, doi.org) is the published record itself: Crossref, 50 DOIs a
   request; DOIs Crossref does not hold from OpenAlex, 50 a request (with a key), and
   doi.org content negotiation for the rest and when Crossref is down;
2. ``rules``         publisher links that need a lookup (ScienceDirect PII, IEEE Xplore
   document number, AAAI article), confirmed by the identifier, not by title alone;
3. ``arxiv``         arXiv ids, 100 per request, then the published version through the
   wrong-match guard (before title search, since an id is certain and a title is not);
4. ``crossref-title`` title + first author, accepted only through the guard;
5. ``openalex``      title search, last: its keyless daily budget is small.

What no resolver finds keeps the list's own text (``resolved_by="list"``).
"""

from __future__ import annotations

from pipeline.resolve.base import Resolver
from pipeline.resolve.known_doi import KnownDoiResolver
from pipeline.resolve.link_rules import LinkLookupResolver
from pipeline.resolve.preprints import ArxivResolver
from pipeline.resolve.title_search import CrossrefTitleResolver, OpenAlexResolver


def resolvers() -> list[Resolver]:
    """A fresh list of the resolvers, in the order they are tried."""
    return [
        KnownDoiResolver(),
        LinkLookupResolver(),
        ArxivResolver(),
        CrossrefTitleResolver(),
        OpenAlexResolver(),
    ]

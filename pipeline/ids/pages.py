"""Paper pages: the addresses of proceedings and review sites that name exactly one paper.

A row linking ``openreview.net/forum?id=X`` and another linking ``openreview.net/pdf?id=X``
link the same paper; two rows linking different OpenReview ids link two papers, whatever
their titles say. The scraper merges rows on a shared page and never merges rows whose pages
of one site differ, as it does with arXiv ids and DOIs.

A page is kept as ``site:key``, one row of :data:`PAGES` per site (abstract, HTML and PDF
addresses of one paper give one key; supplementary material is the paper's own page):

- ``openreview:ID`` (``/forum?id=``, ``/pdf?id=``);
- ``cvf:NAME`` (openaccess.thecvf.com ``…/html|papers/NAME_paper.html|pdf``);
- ``pmlr:VOLUME/NAME`` (proceedings.mlr.press);
- ``neurips:HASH`` (proceedings.neurips.cc ``…/hash/HASH-Abstract.html``, ``…/file/HASH-Paper.pdf``)
  and ``nips:NUMBER`` (papers.nips.cc ``/paper/NUMBER-title``);
- ``ijcai:YEAR/NUMBER``, ``acl:ANTHOLOGY-ID``, ``ecva:CONF/NUMBER`` (ECCV), ``aaai:ARTICLE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from pipeline.ids.urls import host as host_name
from pipeline.ids.urls import is_host, split

# "\Z", not "$": "$" also matches before a final newline ("…%0A" once unquoted)
PAGE = re.compile(r"[a-z]+:[\w./-]+")
"""The kept form of a page key."""


@dataclass(frozen=True)
class Site:
    """One site's paper addresses: its host, a path pattern and the key the match gives."""

    name: str
    host: str
    path: re.Pattern[str]
    key: str
    """Groups of ``path`` joined by ``/``, lower-cased unless the site's keys are cased."""
    cased: bool = False


PAGES: tuple[Site, ...] = (
    Site(
        "cvf",
        "openaccess.thecvf.com",
        re.compile(r"/(?:html|papers|supplemental)/(?:[^/]+/)?([^/]+?)_(?:paper|supplemental)(?:_supplemental|-supp)?\.(?:html|pdf|zip)\Z", re.I),
        "1",
    ),
    Site("pmlr", "proceedings.mlr.press", re.compile(r"^/(v\d+)/([\w-]+?)(?:/\2[\w-]*)?(?:\.html|\.pdf)?/?\Z"), "1 2"),
    Site("neurips", "proceedings.neurips.cc", re.compile(r"/(?:hash|file)/([0-9a-f]{32})-"), "1"),
    Site("nips", "papers.nips.cc", re.compile(r"^/paper/(\d+)-"), "1"),
    Site("ijcai", "ijcai.org", re.compile(r"^/proceedings/(\d{4})/0*(\d+)(?:\.pdf)?/?\Z"), "1 2"),
    Site("acl", "aclanthology.org", re.compile(r"^/([\w.-]+?\.\d+|[A-Z]\d\d-\d{4})(?:\.pdf)?/?\Z"), "1", cased=True),
    Site("ecva", "ecva.net", re.compile(r"/papers/(eccv_\d{4})/papers_ECCV/(?:papers|html)/(\d+)"), "1 2"),
    Site("aaai", "ojs.aaai.org", re.compile(r"/article/(?:view|download)/(\d+)"), "1"),
)  # fmt: skip


_YEAR = (
    re.compile(r"^acl:((?:19|20)\d\d)\."),  # 2023.findings-acl.15
    re.compile(r"^ijcai:((?:19|20)\d\d)/"),
    re.compile(r"^ecva:eccv_((?:19|20)\d\d)/"),
    re.compile(r"^cvf:.*_(?:[a-z]+)_((?:19|20)\d\d)\Z"),  # …_cvpr_2022
)
_ACL_OLD = re.compile(r"^acl:[A-Z](\d\d)-\d{4}\Z")  # P19-1580


def year_of(page: str) -> str | None:
    """The year a page's key states (an ACL Anthology id, an IJCAI or ECCV volume, a CVF
    paper name), or None."""
    for pattern in _YEAR:
        match = pattern.search(page)
        if match:
            return match.group(1)
    old = _ACL_OLD.match(page)
    if old:
        yy = int(old.group(1))
        return str(1900 + yy if yy >= 50 else 2000 + yy)
    return None


def paper_page(url: str) -> str | None:
    """The page key of a paper address (module docstring), or None for any other URL."""
    netloc, path, query = split(url.strip())
    host = host_name(netloc)
    if is_host(host, "openreview.net"):
        if path.rstrip("/") not in ("/forum", "/pdf"):
            return None
        values = parse_qs(query).get("id") or []
        value = values[0].strip() if values else ""
        return f"openreview:{value}" if re.fullmatch(r"[\w-]+", value) else None
    path = unquote(path)
    for site in PAGES:
        if not is_host(host, site.host):
            continue
        match = site.path.search(path)
        if match is None:
            return None
        key = "/".join(match.group(int(n)) for n in site.key.split())
        return f"{site.name}:{key if site.cased else key.lower()}"
    return None

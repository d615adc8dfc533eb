"""URL → the identifiers it names and the role it plays. Pure functions, no network.

The scraper reads every link through :func:`identify`; the rules are the handlers':

- arXiv (:mod:`pipeline.ids.arxiv`): ``arxiv.org/abs|pdf|html/ID`` pages, and DataCite
  arXiv DOIs, which count as arXiv ids, never as DOIs;
- DOI (:mod:`pipeline.ids.doi`): doi.org / dx.doi.org, any ``/doi/(abs|full|pdf|epdf)/10.…``
  path, and the publisher rows of :mod:`pipeline.ids.publishers` whose DOI is in the URL
  (Springer ``/article|chapter/10.…``, nature.com ``/articles/X`` → ``10.1038/X`` …);
- IEEE Xplore document numbers from ``/document/N``, ``/abstract/document/N``, ``iel*/…/N.pdf``
  and ``arnumber=N``;
- paper pages (:mod:`pipeline.ids.pages`): OpenReview, CVF, PMLR, NeurIPS, IJCAI, ACL, ECVA
  and AAAI addresses of one paper;
- GitHub (:mod:`pipeline.ids.github`): ``owner/repo``; user/org pages are not repositories;
  ``*.github.io`` is a project page; shields.io badges give the repo but are not links to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote

from pipeline.ids import arxiv, github, publishers
from pipeline.ids.doi import DOI_IN_PATH, normalize_doi
from pipeline.ids.pages import paper_page
from pipeline.ids.urls import host as host_name
from pipeline.ids.urls import is_host, split
from pipeline.models import LinkRole

_CODE_HOSTS = ("gitlab.com", "bitbucket.org", "gitee.com", "codeberg.org", "sourceforge.net")
_DATA_HOSTS = ("zenodo.org", "kaggle.com", "figshare.com", "dataverse")
_PAPER_HOSTS = (
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "sciencedirect.com",
    "springer.com",
    "mdpi.com",
    "openaccess.thecvf.com",
    "openreview.net",
    "aclanthology.org",
    "ojs.aaai.org",
    "proceedings.neurips.cc",
    "papers.nips.cc",
    "proceedings.mlr.press",
    "ecva.net",
    "tandfonline.com",
    "onlinelibrary.wiley.com",
    "nature.com",
    "science.org",
    "iopscience.iop.org",
    "researchgate.net",
    "semanticscholar.org",
    "ceur-ws.org",
    "copernicus.org",
    "frontiersin.org",
    "hindawi.com",
    "cnki.net",
    "ijcai.org",
    "aaai.org",
    "jmlr.org",
    "usenix.org",
    "mlsys.org",
    "bmva.org",
    "isca-archive.org",
)


@dataclass(frozen=True)
class Identified:
    """What a URL says. ``role`` is what the URL alone tells (``other`` when it tells
    nothing); ``badge`` marks a shields.io image, which is not a link to check."""

    url: str
    role: LinkRole = "other"
    arxiv: str | None = None
    doi: str | None = None
    ieee: str | None = None
    github: str | None = None
    page: str | None = None
    """A proceedings or review page of one paper (:mod:`pipeline.ids.pages`)."""
    badge: bool = False


@lru_cache(maxsize=1 << 16)
def identify(url: str) -> Identified:
    """Identifiers and role of one URL (see the module docstring for the rules). Cached: the
    same URL recurs across lists and the result is immutable."""
    url = url.strip()
    netloc, path, query = split(url)
    host = host_name(netloc)

    if is_host(host, "arxiv.org"):
        return Identified(url, "paper", arxiv=arxiv.from_path(unquote(path)))
    if host in ("doi.org", "dx.doi.org"):
        return _with_doi(url, normalize_doi(path.lstrip("/")))
    if host == "img.shields.io":
        repo = github.from_badge([s for s in path.split("/") if s])
        return Identified(url, "other", github=repo, badge=True)
    if host == "github.com":
        repo = github.from_segments([unquote(s) for s in path.split("/") if s])
        return Identified(url, "code", github=repo) if repo else Identified(url, "other")
    if host.endswith(".github.io"):
        return Identified(url, "project")
    if is_host(host, "ieeexplore.ieee.org"):
        return Identified(url, "paper", ieee=_ieee_number(path, query))
    doi = _doi_from_path(host, path)
    if doi is not None:
        return _with_doi(url, doi)
    page = paper_page(url)
    if page is not None:
        return Identified(url, "paper", page=page)
    return Identified(url, _role(host, path))


def _role(host: str, path: str) -> LinkRole:
    """The role of a URL that names no identifier, by its host."""
    if host.startswith("git.") or any(is_host(host, h) for h in _CODE_HOSTS):
        return "code"
    if is_host(host, "huggingface.co"):
        return "dataset" if path.startswith("/datasets/") else "other"
    if any(is_host(host, h) or h in host for h in _DATA_HOSTS):
        return "dataset"
    if any(is_host(host, h) for h in _PAPER_HOSTS) or path.lower().endswith(".pdf"):
        return "paper"
    return "other"


def _ieee_number(path: str, query: str) -> str | None:
    for pattern in publishers.IEEE_PATHS:
        match = pattern.search(path)
        if match:
            return str(int(match.group(1)))
    values = parse_qs(query).get("arnumber") or []
    if values and values[0].strip().isascii() and values[0].strip().isdigit():
        return str(int(values[0].strip()))
    return None


def _with_doi(url: str, doi: str | None) -> Identified:
    if doi is not None and arxiv.is_arxiv_doi(doi):
        return Identified(url, "paper", arxiv=arxiv.from_doi(doi))
    return Identified(url, "paper", doi=doi)


def _doi_from_path(host: str, path: str) -> str | None:
    path = unquote(path)
    match = DOI_IN_PATH.search(path)
    if match:
        return normalize_doi(match.group(1).rstrip("/"))
    raw = publishers.doi_in_url(f"//{host}{path}")
    return normalize_doi(raw) if raw else None

"""URL → normalized identifiers and link role. Pure functions, no network.

Used by the scraper and later by resolve/check, so the rules live in one place:

- arXiv: ``arxiv.org/abs|pdf|html/ID`` with or without version and ``.pdf``; new-style
  (``2306.11029``) and old-style (``cs/0112017``) ids; DataCite arXiv DOIs
  (``10.48550/arXiv.ID``) count as arXiv ids, never as DOIs, so that a journal DOI of the
  same paper does not look like a conflicting identifier.
- DOI: lower-case, no resolver: doi.org / dx.doi.org, any ``/doi/(abs|full|pdf|epdf)/10.…``
  path (ACM, Taylor & Francis, Wiley, …), Springer ``/article|chapter/10.…``,
  nature.com ``/articles/X`` → ``10.1038/X``.
- IEEE Xplore document numbers from ``/document/N``, ``/abstract/document/N``, ``iel*/…/N.pdf``
  and ``arnumber=N``.
- GitHub ``owner/repo`` lower-case; user/org pages are not repositories; ``*.github.io`` is a
  project page; shields.io ``github/stars|forks|watchers/OWNER/REPO`` badges give the repo but
  are not links to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qs, unquote

from pipeline.models import LinkRole

# ASCII digits only ("\d" also takes "٢" and friends), and the old-style archive case-sensitive
# ("cs/0112017", never "CS/…": arXiv answers HTTP 400 for a whole batch holding one) even where
# the rest ("arXiv:", "v2", ".PDF") is not.
_NEW_ARXIV = r"[0-9]{4}\.[0-9]{4,5}"
_OLD_ARXIV = r"(?-i:[a-z][a-z\-]*(?:\.[A-Z]{2})?)/[0-9]{7}"
ARXIV_ID = re.compile(rf"(?:arxiv:\s*)?({_NEW_ARXIV}|{_OLD_ARXIV})(?:v[0-9]+)?", re.IGNORECASE)
_ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|html|format|ps)/(?:arxiv:)?({_NEW_ARXIV}|{_OLD_ARXIV})(?:v[0-9]+)?(?:\.pdf)?/?\Z",
    re.IGNORECASE,
)
# a DOI is case-insensitive and arrives lower-cased: here the archive may be any case
_ARXIV_DOI = re.compile(
    rf"^10\.48550/arxiv\.({_NEW_ARXIV}|[a-z][a-z\-]*(?:\.[a-z]{{2}})?/[0-9]{{7}})(?:v[0-9]+)?\Z",
    re.IGNORECASE,
)
DOI_RE = re.compile(r"10\.[0-9]{4,9}/\S+")
_DOI_IN_PATH = re.compile(
    r"/doi/(?:abs/|full/|pdf/|epdf/|pdfdirect/|fulltext/|reader/)?(10\.[0-9]{4,9}/.+)\Z",
    re.IGNORECASE,
)
_SPRINGER_PATH = re.compile(
    r"^/(?:article|chapter|content/pdf|referenceworkentry|book)/(10\.[0-9]{4,9}/.+)\Z",
    re.IGNORECASE,
)
_NATURE_PATH = re.compile(r"^/articles/([a-z0-9][a-z0-9.\-]+)\Z", re.IGNORECASE)
_IEEE_PATHS = (
    re.compile(r"/document/([0-9]+)"),
    re.compile(r"/iel[0-9]*/[0-9]+/[0-9]+/0*([0-9]+)\.pdf\Z"),
)
_GITHUB_NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "collections",
        "contact",
        "customer-stories",
        "enterprise",
        "explore",
        "features",
        "issues",
        "join",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "readme",
        "search",
        "security",
        "settings",
        "site",
        "sponsors",
        "topics",
        "trending",
        "users",
        "codespaces",
    ]
)
# fullmatch, not "^…$": "$" also matches before a final newline ("owner%0A")
_NAME = re.compile(r"[A-Za-z0-9_.\-]+")
_BADGE_KINDS = frozenset({"stars", "forks", "watchers"})
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
    badge: bool = False


def _checked(arxiv: str) -> str | None:
    """New-style ids have 4 digits after the dot up to 1412 and 5 from 1501 (arXiv's rule)."""
    if "/" in arxiv:
        return arxiv
    month, number = arxiv.split(".")
    if not 1 <= int(month[2:]) <= 12:
        return None
    return arxiv if len(number) == (5 if int(month) >= 1501 else 4) else None


def normalize_arxiv(text: str) -> str | None:
    """``arXiv:2306.11029v99`` / ``2306.11029`` / ``cs/0112017v2`` → id without version."""
    match = ARXIV_ID.fullmatch(text.strip())
    return _checked(match.group(1)) if match else None


def normalize_doi(text: str) -> str | None:
    """A DOI (optionally with resolver prefix or ``doi:``) → lower-case bare DOI, or None.

    Trailing punctuation that cannot end a DOI in running text (``.,;:`` and unbalanced
    closing brackets or quotes) is stripped; balanced parentheses (``S0924-2716(20)30123-4``)
    stay.
    """
    value = unquote(text.strip())
    value = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?(?:www\.)?doi\.org/)", "", value, flags=re.I)
    match = DOI_RE.match(value)
    if not match:
        return None
    doi = match.group(0)
    while doi:
        last = doi[-1]
        if last in ".,;:'\"" or (last in ")]}>" and _unbalanced(doi, last)):
            doi = doi[:-1]
        else:
            break
    doi = doi.removesuffix(".pdf") if doi.lower().endswith(".pdf") else doi
    if not re.fullmatch(r"10\.[0-9]{4,9}/.+", doi):
        return None
    return doi.lower()


_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}


def _unbalanced(text: str, closing: str) -> bool:
    return text.count(closing) > text.count(_PAIRS[closing])


def _split(url: str) -> tuple[str, str, str]:
    """(netloc, path, query) of an absolute URL; empty parts when it is not one. A plain
    scan, several times faster than urlsplit, which matters at 10,000 entries."""
    _, sep, rest = url.partition("://")
    if not sep:
        return "", "", ""
    end = len(rest)
    for char in "/?#":
        index = rest.find(char, 0, end)
        if index != -1:
            end = index
    path, _, query = rest[end:].partition("#")[0].partition("?")
    return rest[:end], path, query


def _host(netloc: str) -> str:
    host = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return host[4:] if host.startswith("www.") else host


def _is_host(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


@lru_cache(maxsize=1 << 16)
def identify(url: str) -> Identified:
    """Identifiers and role of one URL (see the module docstring for the rules). Cached: the
    same URL recurs across lists and the result is immutable."""
    url = url.strip()
    netloc, path, query = _split(url)
    host = _host(netloc)

    if _is_host(host, "arxiv.org"):
        match = _ARXIV_PATH.match(unquote(path))
        return Identified(url, "paper", arxiv=_checked(match.group(1)) if match else None)

    if host in ("doi.org", "dx.doi.org"):
        doi = normalize_doi(path.lstrip("/"))
        return _with_doi(url, doi)

    if host == "img.shields.io":
        segments = [s for s in path.split("/") if s]
        repo = None
        if len(segments) >= 4 and segments[0] == "github" and segments[1] in _BADGE_KINDS:
            repo = _repo(segments[2], segments[3].removesuffix(".svg"))
        return Identified(url, "other", github=repo, badge=True)

    if host == "github.com":
        segments = [unquote(s) for s in path.split("/") if s]
        if len(segments) >= 2 and segments[0].lower() not in _GITHUB_NOT_OWNERS:
            repo = _repo(segments[0], segments[1])
            if repo:
                return Identified(url, "code", github=repo)
        return Identified(url, "other")
    if host.endswith(".github.io"):
        return Identified(url, "project")

    if _is_host(host, "ieeexplore.ieee.org"):
        number = None
        for pattern in _IEEE_PATHS:
            match = pattern.search(path)
            if match:
                number = str(int(match.group(1)))
                break
        if number is None:
            values = parse_qs(query).get("arnumber") or []
            if values and values[0].strip().isascii() and values[0].strip().isdigit():
                number = str(int(values[0].strip()))
        return Identified(url, "paper", ieee=number)

    doi = _doi_from_path(host, path)
    if doi is not None:
        return _with_doi(url, doi)

    if host.startswith("git.") or any(_is_host(host, h) for h in _CODE_HOSTS):
        return Identified(url, "code")
    if _is_host(host, "huggingface.co"):
        return Identified(url, "dataset" if path.startswith("/datasets/") else "other")
    if any(_is_host(host, h) or h in host for h in _DATA_HOSTS):
        return Identified(url, "dataset")
    if any(_is_host(host, h) for h in _PAPER_HOSTS) or path.lower().endswith(".pdf"):
        return Identified(url, "paper")
    return Identified(url, "other")


def _with_doi(url: str, doi: str | None) -> Identified:
    if doi is not None:
        arxiv = _ARXIV_DOI.match(doi)
        if arxiv:
            return Identified(url, "paper", arxiv=_checked(arxiv.group(1)))
    return Identified(url, "paper", doi=doi)


def _doi_from_path(host: str, path: str) -> str | None:
    path = unquote(path)
    match = _DOI_IN_PATH.search(path)
    if match:
        return normalize_doi(match.group(1).rstrip("/"))
    if _is_host(host, "springer.com"):
        match = _SPRINGER_PATH.match(path)
        if match:
            return normalize_doi(match.group(1).rstrip("/"))
    if _is_host(host, "nature.com"):
        match = _NATURE_PATH.match(path.rstrip("/").removesuffix(".pdf"))
        if match:
            return normalize_doi("10.1038/" + match.group(1))
    return None


def _repo(owner: str, name: str) -> str | None:
    name = name.removesuffix(".git")
    if not (_NAME.fullmatch(owner) and _NAME.fullmatch(name)) or name in (".", ".."):
        return None
    return f"{owner}/{name}".lower()

"""arXiv identifiers: new style (``2306.11029``) and old style (``cs/0112017``).

The one place that knows their form. A bare id is kept without its version; the forms a URL
or a DOI gives are read here too:

- ``arxiv.org/abs|pdf|html|format|ps/ID`` with or without version and ``.pdf``;
- DataCite arXiv DOIs (``10.48550/arXiv.ID``) are arXiv ids, never DOIs, so that a journal
  DOI of the same paper does not look like a conflicting identifier.

Digits are ASCII only (``\\d`` also takes ``٢`` and friends), and the old-style archive is
case-sensitive (``cs/0112017``, never ``CS/…``: arXiv answers HTTP 400 for a whole batch
holding one) even where the rest (``arXiv:``, ``v2``, ``.PDF``) is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from pipeline.ids.urls import host, is_host, split

NEW_STYLE = r"[0-9]{4}\.[0-9]{4,5}"
OLD_STYLE = r"(?-i:[a-z][a-z\-]*(?:\.[A-Z]{2})?)/[0-9]{7}"
_ID = rf"(?:{NEW_STYLE}|{OLD_STYLE})"

ARXIV_ID = re.compile(rf"(?:arxiv:\s*)?({_ID})(?:v[0-9]+)?", re.IGNORECASE)
"""An id as lists write it: optional ``arXiv:`` prefix and version."""

BARE_ID = re.compile(_ID)
"""An id exactly as the pipeline keeps it (no prefix, no version): ``fullmatch`` it."""

ARXIV_PATH = re.compile(
    rf"^/(?:abs|pdf|html|format|ps)/(?:arxiv:)?({_ID})(?:v[0-9]+)?(?:\.pdf)?/?\Z",
    re.IGNORECASE,
)
"""The path of an arxiv.org page of one paper."""

PAPER_PAGE = re.compile(
    rf"^/(?:abs|pdf)/(?:arxiv:)?({_ID})(?:v([0-9]+))?(?:\.pdf)?/?\Z", re.IGNORECASE
)
"""The path of a paper's abstract page or PDF: the id in group 1, its version in group 2."""

MENTION = re.compile(rf"\barXiv:\s?({NEW_STYLE})(?:v[0-9]+)?\b", re.IGNORECASE)
"""An id named in running text (``arXiv:2410.16602``, ``arXiv preprint arXiv:2410.16602``)."""

ARXIV_LINK = re.compile(rf"(?i:arxiv\.org/(?:abs|pdf|html)/)({_ID})(?:v[0-9]+)?")
"""An arxiv.org paper address anywhere in a URL (what resolve looks for in a work's links)."""

# a DOI is case-insensitive and arrives lower-cased: here the archive may be any case
ARXIV_DOI = re.compile(
    rf"^10\.48550/arxiv\.({NEW_STYLE}|[a-z][a-z\-]*(?:\.[a-z]{{2}})?/[0-9]{{7}})(?:v[0-9]+)?\Z",
    re.IGNORECASE,
)
"""A DataCite arXiv DOI (lower-case bare DOI), the id in group 1."""

_VERSION = re.compile(r"v[0-9]+\Z")
_SUBJECT_CLASS = re.compile(r"^([a-z-]+)\.[A-Za-z]{2}/")
_PREFIXES = re.compile(r"^(arxiv:|https?://arxiv\.org/(abs|pdf)/)", re.IGNORECASE)
_SUFFIXES = re.compile(r"(v[0-9]+)?(\.pdf)?\Z")


def checked(arxiv: str) -> str | None:
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
    return checked(match.group(1)) if match else None


def from_path(path: str) -> str | None:
    """The id of an arxiv.org page path (``/abs/2306.11029v2``), or None."""
    match = ARXIV_PATH.match(path)
    return checked(match.group(1)) if match else None


@dataclass(frozen=True)
class PaperPage:
    """A link to a paper's abstract page or PDF on arxiv.org (:func:`paper_page`)."""

    short_id: str
    """The id without version."""
    version: int | None
    """The version the link names (``/abs/2306.11029v2``: 2), None for the latest."""
    canonical_url: str
    """Where arxiv.org serves it: the link by ``https://arxiv.org`` (``http:`` and ``www.``
    are redirected there)."""


_SITE = "arxiv.org"
_SITE_NAMES = frozenset({_SITE, f"www.{_SITE}"})


def paper_page(url: str) -> PaperPage | None:
    """What ``url`` says if it is an arxiv.org abstract page or PDF of one paper, else None
    (a mirror, another port, user info, any other page)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    name = (parts.hostname or "").lower().rstrip(".")
    if parts.scheme.lower() not in {"http", "https"} or name not in _SITE_NAMES:
        return None
    if port not in (None, 80, 443) or parts.username is not None:
        return None
    match = PAPER_PAGE.match(parts.path)
    short_id = checked(match.group(1)) if match else None
    if match is None or short_id is None:
        return None
    version = int(match.group(2)) if match.group(2) else None
    canonical_url = urlunsplit(("https", _SITE, parts.path, parts.query, ""))
    return PaperPage(short_id, version, canonical_url)


def version_of(short_id: str) -> int | None:
    """``2306.11029v2`` → 2; None without a version."""
    found = _VERSION.search(short_id)
    return int(found.group(0)[1:]) if found else None


def from_doi(doi: str) -> str | None:
    """The id a DataCite arXiv DOI (``10.48550/arxiv.2306.11029``) stands for, or None."""
    match = ARXIV_DOI.match(doi)
    return checked(match.group(1)) if match else None


def is_arxiv_doi(doi: str) -> bool:
    """Whether a bare DOI is a DataCite arXiv DOI."""
    return ARXIV_DOI.match(doi) is not None


def find_in_url(url: str) -> str | None:
    """The id of the first arxiv.org paper address in ``url`` (lenient: no range check)."""
    match = ARXIV_LINK.search(url)
    return match.group(1) if match else None


def is_bare(text: str) -> bool:
    """Whether ``text`` is an id as the pipeline keeps it."""
    return BARE_ID.fullmatch(text) is not None


def strip_version(short_id: str) -> str:
    """``2306.11029v2`` → ``2306.11029``."""
    return _VERSION.sub("", short_id)


def canonical(short_id: str) -> str:
    """An id as arXiv's entries name it: no version, no subject class in old-style ids
    (``math.GT/0309136v2`` → ``math/0309136``)."""
    return _SUBJECT_CLASS.sub(r"\1/", strip_version(short_id.strip()))


def loose(text: str) -> str:
    """An id from text that may carry ``arXiv:``, an arxiv.org address, a version or ``.pdf``;
    "" when what is left is not a bare id (how emit reads back stored records)."""
    text = _SUFFIXES.sub("", _PREFIXES.sub("", text), count=1)
    return text if is_bare(text) else ""


def doi_of(short_id: str) -> str:
    """The DataCite DOI arXiv gives a paper (lower-case)."""
    return f"10.48550/arxiv.{short_id}".lower()


def year_of(short_id: str) -> str | None:
    """The year an id was given (``2306.11029`` → ``2023``, ``math/0309136`` → ``2003``):
    the preprint's year, which the id itself states."""
    match = re.search(r"(?:^|/)(\d\d)(\d\d)(?:\.|\d{3}\b)", short_id)
    if match is None:
        return None
    yy = int(match.group(1))
    return str(1900 + yy if yy >= 91 else 2000 + yy)


def abs_url(short_id: str) -> str:
    """The paper's abstract page."""
    return f"https://arxiv.org/abs/{short_id}"


_ENTRY_PATH = "arxiv.org/abs/"


def from_entry_id(entry_id: str) -> str | None:
    """The id with its version an API feed entry's ``<id>`` gives
    (``http://arxiv.org/abs/2107.05580v1`` → ``2107.05580v1``), None when it is no arXiv
    address."""
    _, found, short_id = entry_id.rpartition(_ENTRY_PATH)
    return short_id if found else None


def link_of(urls: Iterable[str], short_id: str) -> str | None:
    """The first of ``urls`` that writes the id whole (``2306.1102`` is not in
    ``…/2306.11029``; a version or ``.pdf`` may follow), or None."""
    written = re.compile(rf"(?<![0-9.]){re.escape(short_id)}(?![0-9])")
    return next((url for url in urls if written.search(url)), None)


def on_arxiv(url: str) -> bool:
    """Whether ``url`` is an address on arxiv.org (a paper's page, its PDF …)."""
    return is_host(host(split(url.strip())[0]), "arxiv.org")

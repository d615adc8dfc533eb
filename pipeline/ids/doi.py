"""DOIs: the pattern, normalizing, comparing and quoting; the one place that knows them.

A DOI is kept lower-case and bare (no resolver, no ``doi:``): DOIs are case-insensitive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

DOI_RE = re.compile(r"10\.[0-9]{4,9}/\S+")
"""A DOI at the start of a text (``match``), up to the next white space."""

BARE_DOI = re.compile(r"10\.[0-9]{4,9}/.+")
"""A whole bare DOI (``fullmatch``)."""

DOI_IN_PATH = re.compile(
    r"/doi/(?:abs/|full/|pdf/|epdf/|pdfdirect/|fulltext/|reader/)?(10\.[0-9]{4,9}/.+)\Z",
    re.IGNORECASE,
)
"""The ``/doi/(abs|full|pdf|epdf|…)/10.…`` path most publishers use (ACM, T&F, Wiley, …)."""

DOI_GROUP = r"(?P<doi>10\.[0-9]{4,9}/[^?#\s]+?)"
"""A DOI inside a URL pattern, as the named group ``doi`` (the publisher rules use it)."""

_RESOLVER_OR_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?(?:www\.)?doi\.org/)", re.I)
_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_STORED = re.compile(r"10\.[0-9]{4,9}/\S+")
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
QUOTE_SAFE = "/:;()._-"
"""Characters a DOI keeps unquoted in a request path (Crossref, doi.org)."""


def normalize_doi(text: str) -> str | None:
    """A DOI (optionally with resolver prefix or ``doi:``) → lower-case bare DOI, or None.

    Trailing punctuation that cannot end a DOI in running text (``.,;:`` and unbalanced
    closing brackets or quotes) is stripped; balanced parentheses (``S0924-2716(20)30123-4``)
    stay.
    """
    value = _RESOLVER_OR_PREFIX.sub("", unquote(text.strip()))
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
    if not BARE_DOI.fullmatch(doi):
        return None
    return doi.lower()


def _unbalanced(text: str, closing: str) -> bool:
    return text.count(closing) > text.count(_PAIRS[closing])


def comparable(value: object) -> str:
    """A DOI as compared: lower-case, without a resolver URL or ``doi:`` prefix."""
    return _RESOLVER.sub("", str(value or "").strip()).lower()


def same_doi(a: object, b: object) -> bool:
    """Whether two DOIs name the same thing (DOIs are case-insensitive); empty never matches."""
    na = comparable(a)
    return bool(na) and na == comparable(b)


def stored(text: str) -> str:
    """A DOI read back from a record (already cleaned text): bare and lower-case, or ""."""
    doi = _RESOLVER.sub("", text.lower())
    return doi if _STORED.fullmatch(doi) else ""


def quoted(doi: str) -> str:
    """A DOI as it goes into a request path (``/works/{doi}``, ``doi.org/{doi}``)."""
    return quote(doi, safe=QUOTE_SAFE)


def url_of(doi: str) -> str:
    """The resolver address of a DOI."""
    return f"https://doi.org/{doi}"


def link_of(urls: Iterable[str], doi: str) -> str | None:
    """The first of ``urls`` that writes the DOI whole, case aside (``10.1/abc`` is not in
    ``…/10.1/abcd``), or None."""
    written = re.compile(rf"(?<![0-9.]){re.escape(doi)}(?![A-Za-z0-9_-])", re.IGNORECASE)
    return next((url for url in urls if written.search(url)), None)


_PLAIN = re.compile(r"10\.[0-9]{4,9}/[A-Za-z0-9./:;()\-]+")


def plain(doi: str) -> str:
    """The DOI when it holds only characters every output format takes as they are (letters,
    digits, ``./:;()-``), else "" (BibTeX writes no ``doi`` field then)."""
    return doi if _PLAIN.fullmatch(doi) else ""

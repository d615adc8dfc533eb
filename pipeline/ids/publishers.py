"""Publisher links → identifiers: one table, one row per URL pattern (not an if-chain).

A row names the publisher, a URL pattern and what the match gives:

* ``doi``: the DOI itself, read or computed from the URL (MDPI, nature.com, ACM, Taylor &
  Francis, Springer, Wiley, Zenodo, doi.org links);
* ``pii``: a ScienceDirect PII (resolve looks it up with Crossref's ``filter=alternative-id:``);
* ``ieee``: an IEEE Xplore document number (Crossref does not index it: resolve finds the
  record by title and confirms it by the number in the record's resource URL);
* ``aaai``: an AAAI OJS article number (AAAI DOIs end ``.{article}``).

Every stage reads this table. The scraper takes a row's DOI as a link's own identifier (it
merges entries on it) only for rows whose ``in_url`` is set: the DOI is written in the URL
or is the publisher's fixed prefix plus the article's name. A DOI computed from numbers in the
URL (MDPI) or a data deposit's (Zenodo) is only a lead that resolve tries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from pipeline.ids.doi import DOI_GROUP

RuleKind = Literal["doi", "pii", "ieee", "aaai"]

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

IEEE_PREFIX = "10.1109"
AAAI_PREFIX = "10.1609"
PII = re.compile(r"S[0-9X]{16}")
"""A ScienceDirect PII as its URLs write it."""


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
    """One row: ``publisher`` names it in resolve's ``method`` (``rule:<publisher>``)."""

    publisher: str
    kind: RuleKind
    pattern: re.Pattern[str]
    value: Callable[[re.Match[str]], str | None]
    in_url: bool = False
    """The DOI is the link's own identifier (see the module docstring)."""

    def read(self, url: str) -> str | None:
        """What the row gives for ``url``, or None when it does not match or gives nothing."""
        m = self.pattern.search(url)
        return self.value(m) if m is not None else None


def _row(
    publisher: str, kind: RuleKind, pattern: str, value: str | None = None, *, in_url: bool = False
) -> Rule:
    return Rule(
        publisher,
        kind,
        re.compile(pattern, re.IGNORECASE | re.ASCII),  # ASCII: "\d" also takes "٢"
        _mdpi if value is None else _group(value),
        in_url,
    )


# "\Z", not "$": "$" also matches before a final newline ("…%0A" once unquoted)
_END = r"/?(?:[?#].*)?\Z"

RULES: tuple[Rule, ...] = (
    _row(
        "mdpi",
        "doi",
        r"mdpi\.com/(?P<issn>\d{4}-\d{3}[\dXx])/(?P<vol>\d+)/(?P<issue>\d+)/(?P<no>\d+)(?:/|\Z|[?#])",
    ),
    _row(
        "nature",
        "doi",
        r"nature\.com/articles/(?P<id>s?[\w.-]+?)(?:\.pdf)?" + _END,
        "10.1038/{id}",
        in_url=True,
    ),
    _row(
        "acm",
        "doi",
        r"dl\.acm\.org/doi/(?:abs/|full/|pdf/|epdf/|fullHtml/)?" + DOI_GROUP + _END,
        "doi",
        in_url=True,
    ),
    _row(
        "tandf",
        "doi",
        r"tandfonline\.com/doi/(?:abs/|full/|pdf/|epdf/)?" + DOI_GROUP + _END,
        "doi",
        in_url=True,
    ),
    _row(
        "springer",
        "doi",
        r"springer\.com/(?:article|chapter|content/pdf|referenceworkentry|book)/"
        + DOI_GROUP
        + r"(?:\.pdf)?"
        + _END,
        "doi",
        in_url=True,
    ),
    _row(
        "wiley",
        "doi",
        r"onlinelibrary\.wiley\.com/doi/(?:abs/|full/|pdf/|epdf/)?" + DOI_GROUP + _END,
        "doi",
        in_url=True,
    ),
    _row("zenodo", "doi", r"zenodo\.org/(?:records?|doi)/(?P<n>\d+)", "10.5281/zenodo.{n}"),
    _row("doi.org", "doi", r"^https?://(?:dx\.)?doi\.org/" + DOI_GROUP + _END, "doi", in_url=True),
    _row(
        "aaai", "aaai", r"ojs\.aaai\.org/index\.php/AAAI/article/(?:view|download)/(?P<n>\d+)", "n"
    ),
    _row(
        "sciencedirect",
        "pii",
        r"sciencedirect\.com/science/article/(?:abs/)?pii/(?P<pii>" + PII.pattern + ")",
        "pii",
    ),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/(?:abstract/)?document/(?P<n>\d+)", "n"),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/iel\d+/\d+/\d+/0*(?P<n>\d+)\.pdf", "n"),
    _row("ieee", "ieee", r"ieeexplore\.ieee\.org/stamp/stamp\.jsp\?.*arnumber=0*(?P<n>\d+)", "n"),
)

IEEE_RULE = next(r for r in RULES if r.kind == "ieee")
"""The row an IEEE number the scraper already read (``Ids.ieee``) is credited to."""


def rule_for(url: str) -> tuple[Rule, str] | None:
    """The first row matching ``url`` and what it gives; None when no row matches or the
    first that matches gives nothing (an unknown MDPI journal)."""
    for rule in RULES:
        m = rule.pattern.search(url)
        if m is None:
            continue
        value = rule.value(m)
        return (rule, value) if value else None
    return None


def doi_in_url(url: str) -> str | None:
    """The raw DOI a publisher address names (rows with ``in_url``), not yet normalized."""
    for rule in RULES:
        if rule.in_url and rule.kind == "doi":
            value = rule.read(url)
            if value:
                return value
    return None


# IEEE Xplore document numbers as the scraper reads them from a URL's path and query.
IEEE_PATHS = (
    re.compile(r"/document/([0-9]+)"),
    re.compile(r"/iel[0-9]*/[0-9]+/[0-9]+/0*([0-9]+)\.pdf\Z"),
)


def ieee_confirms(number: str) -> re.Pattern[str]:
    """The pattern of a record URL that names IEEE document ``number``."""
    return re.compile(rf"/document/0*{number}(?:/|$)|arnumber=0*{number}(?:\D|$)")

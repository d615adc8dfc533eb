"""Identifiers: the one place that knows what an arXiv id, a DOI, an IEEE document number, a
ScienceDirect PII, an AAAI article number, a paper's proceedings page or a GitHub repository
looks like.

One module per kind owns its pattern and normalizing (looking a kind up is resolve's job):
:mod:`~pipeline.ids.arxiv`, :mod:`~pipeline.ids.doi`, :mod:`~pipeline.ids.github`,
:mod:`~pipeline.ids.pages` (OpenReview, CVF, PMLR … pages of one paper), and
:mod:`~pipeline.ids.publishers` for the publisher link table (IEEE, PII, AAAI and the DOIs
publisher URLs give). Beside them: :mod:`~pipeline.ids.links` (what a URL names),
:mod:`~pipeline.ids.urls` (URL parts, normalizing, remap), :mod:`~pipeline.ids.names` and
:mod:`~pipeline.ids.titles` (how names and titles are compared).

:data:`KINDS` is the registry, in order of authority. The order is the one work ids take
(``arxiv:ID`` before ``doi:DOI`` before ``ieee:N``, then ``title:…``): an arXiv id is checked
against arXiv's own rules and never names two versions, a DOI may be a preprint server's or a
dataset's, an IEEE number is one publisher's. Kinds with ``in_ids`` are fields of
:class:`pipeline.models.Ids` (``github`` and ``pages`` lists, which name no work id); the
others are only read from links.
``tests/test_ids.py`` keeps this list, the ``Ids`` fields and the publisher table in step.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.ids import arxiv, doi, github, pages, publishers


@dataclass(frozen=True)
class Kind:
    """One kind of identifier: its name, the form it is kept in, and how to get that form."""

    name: str
    pattern: re.Pattern[str]
    """The kept form (``fullmatch``)."""
    normalize: Callable[[str], str | None]
    in_ids: bool
    """A field of :class:`pipeline.models.Ids`."""


def _ieee(text: str) -> str | None:
    text = text.strip()
    return str(int(text)) if text.isascii() and text.isdigit() else None


def _github(text: str) -> str | None:
    owner, _, name = text.strip().partition("/")
    return github.repo(owner, name) if name else None


def _pii(text: str) -> str | None:
    return text.strip().upper() if publishers.PII.fullmatch(text.strip().upper()) else None


def _page(text: str) -> str | None:
    return text.strip() if pages.PAGE.fullmatch(text.strip()) else None


def _aaai(text: str) -> str | None:
    return text.strip() if text.strip().isascii() and text.strip().isdigit() else None


KINDS: tuple[Kind, ...] = (
    Kind("arxiv", arxiv.BARE_ID, arxiv.normalize_arxiv, in_ids=True),
    Kind("doi", doi.BARE_DOI, doi.normalize_doi, in_ids=True),
    Kind("ieee", re.compile(r"[1-9][0-9]*"), _ieee, in_ids=True),
    Kind("github", re.compile(r"[a-z0-9_.\-]+/[a-z0-9_.\-]+"), _github, in_ids=True),
    Kind("pages", pages.PAGE, _page, in_ids=True),
    Kind("pii", publishers.PII, _pii, in_ids=False),
    Kind("aaai", re.compile(r"[0-9]+"), _aaai, in_ids=False),
)

WORK_ID_KINDS = tuple(k.name for k in KINDS if k.in_ids and k.name not in ("github", "pages"))
"""The kinds a work id is made of, in order of preference (``arxiv``, ``doi``, ``ieee``)."""


def kind(name: str) -> Kind:
    """The registry entry called ``name``."""
    return next(k for k in KINDS if k.name == name)

"""The wrong-match guard: when a record found by title may stand for a work.

A title search always returns *something*; this module decides whether it is the same work.
A candidate is accepted only when all three hold (issue 3, "Published version"):

* normalized-title similarity ≥ ``TITLE_THRESHOLD`` (rapidfuzz ``ratio`` on lower-cased,
  accent-folded, punctuation-free titles; equal normalized titles score 1.0);
* the first author's family name matches (when both sides name a first author);
* the years are within ``YEAR_SLACK`` of each other (when both sides have a year).

A candidate that fails but is close (similarity ≥ ``REVIEW_FLOOR``) goes to the review list.

A record found through an identifier is judged by :func:`agreement` instead: the id makes it
likely the same work, so only a record that clearly names another paper is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.ids.agreement import AGREE, WEAK, is_name, title_agreement
from pipeline.ids.names import split_name
from pipeline.ids.titles import fold, ratio

TITLE_THRESHOLD = 0.95
REVIEW_FLOOR = 0.80
YEAR_SLACK = 1


def title_similarity(a: str, b: str) -> float:
    """Similarity of two titles in [0, 1] after :func:`fold`."""
    return ratio(fold(a), fold(b))


def family_name(author: str | dict[str, Any]) -> str:
    """Folded family name of a list author (``"Liu, F."`` or ``"Fan Liu"``) or a CSL name."""
    if isinstance(author, dict):
        return fold(str(author.get("family") or author.get("literal") or ""))
    split = split_name(author)
    return fold(split.family or split.literal) if split else ""


def families_match(a: str, b: str) -> bool:
    """Family names match: equal after folding, or one is the other's last word
    (``"van gool"`` vs ``"gool"``; list text often drops particles)."""
    if not a or not b:
        return False
    return a == b or a.split()[-1] == b.split()[-1]


@dataclass(frozen=True)
class Verdict:
    """The guard's answer for one candidate."""

    similarity: float
    author_ok: bool
    year_ok: bool

    @property
    def accepted(self) -> bool:
        return self.similarity >= TITLE_THRESHOLD and self.author_ok and self.year_ok

    @property
    def reviewable(self) -> bool:
        return not self.accepted and self.similarity >= REVIEW_FLOOR

    def reason(self) -> str:
        parts = []
        if self.similarity < TITLE_THRESHOLD:
            parts.append(f"title similarity {self.similarity:.3f} < {TITLE_THRESHOLD}")
        if not self.author_ok:
            parts.append("first author differs")
        if not self.year_ok:
            parts.append(f"year differs by more than {YEAR_SLACK}")
        return "; ".join(parts) or "accepted"


def judge(
    title: str,
    first_author: str | dict[str, Any] | None,
    year: int | None,
    candidate: dict[str, Any],
    *,
    check_year: bool = True,
) -> Verdict:
    """Compare what we know of a work with a CSL candidate record."""
    # a list may give the original title of a work the registry titles in English
    similarity = max(
        title_similarity(title, str(candidate.get(field) or ""))
        for field in ("title", "original-title")
    )
    authors = candidate.get("author") or []
    if first_author is None or not authors:
        author_ok = first_author is None
    else:
        author_ok = families_match(family_name(first_author), family_name(authors[0]))
    other = csl_year(candidate)
    year_ok = (not check_year) or year is None or other is None or abs(year - other) <= YEAR_SLACK
    return Verdict(similarity, author_ok, year_ok)


def csl_year(csl: dict[str, Any]) -> int | None:
    """The year of a CSL item's ``issued`` date, if it has one."""
    try:
        year = csl["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return int(year) if isinstance(year, int | str) and str(year).isdigit() else None


@dataclass(frozen=True)
class Agreement:
    """Whether a record found through an identifier stands for the list's entry.

    An identifier is strong evidence, so the bar is :data:`pipeline.ids.agreement.AGREE`,
    not :data:`TITLE_THRESHOLD`; a weaker title is accepted when the first author and the
    year the list gives agree too; a list title that is only a name ("RSICD") is no evidence
    of another paper. ``title`` is the record title that agreed best.
    """

    agreement: float
    author_ok: bool | None
    year_ok: bool | None
    name_only: bool
    title: str

    @property
    def accepted(self) -> bool:
        if self.name_only:
            return True
        if self.author_ok is False and self.year_ok is False and self.agreement < 0.95:
            return False  # a like title by another first author in another year
        if self.agreement >= AGREE:
            return True
        return self.agreement >= WEAK and bool(self.author_ok) and self.year_ok is not False


def agreement(
    title: str,
    first_author: str | dict[str, Any] | None,
    year: int | None,
    candidate: dict[str, Any],
    other_titles: tuple[str, ...] = (),
) -> Agreement:
    """Compare what the list says of a work with a record found through one of its ids;
    ``other_titles`` are further titles of the record (an earlier arXiv version's)."""
    titles = [str(candidate.get(f) or "") for f in ("title", "original-title")]
    titles = [t for t in (*titles, *other_titles) if t]
    best = max(titles, key=lambda t: title_agreement(title, t), default="")
    authors = candidate.get("author") or []
    author_ok = (
        families_match(family_name(first_author), family_name(authors[0]))
        if first_author is not None and authors
        else None
    )
    other = csl_year(candidate)
    year_ok = abs(year - other) <= YEAR_SLACK if year is not None and other is not None else None
    return Agreement(
        title_agreement(title, best) if best else 0.0, author_ok, year_ok, is_name(title), best
    )

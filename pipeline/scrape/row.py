"""A bullet row's parts told apart: the paper's title, the short name a row may give it
(its nickname), and its venue and year, whatever order and markup the list uses:

- ``**Title**, authors, venue [[paper](…)]``: the bold text is the title;
- ``**VLMaps**: "Visual Language Maps for Robot Navigation", *arXiv, Oct 2022*. [[Paper](…)]``:
  a short bold or linked name before a longer quoted, bold or linked phrase is the nickname,
  the phrase the title;
- ``[[CVPR](…)] Title. [**`qnn`**] [[code](…)]``: a short linked name in brackets is a label
  (at the start of the row, the venue), a bold code span or a short bold text in brackets is a
  tag: neither is ever a title, so the text outside links is;
- ``[Title](…)``: a link's text, unless it is a generic word ("Paper", "code", "arXiv" …).

Venue and year come from the forms lists write them in: ``arXiv, May 2026``, ``CVPR 2024``,
``(CVPR 2023)``, ``[CVPR '24]``, ``NeurIPS 2025 Highlight``, ``AAAI2024``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.scrape.fields import PAREN_DATE, VENUE_TAG
from pipeline.scrape.inline import Inline, Piece
from pipeline.scrape.repair import GENERIC_LINK_TEXT, clean_title

_QUOTE = re.compile(r'["“]([^"”]{8,})["”]')
_WORD = re.compile(r"\w", re.UNICODE)
_TITLE_AFTER = re.compile(r"\W{0,3}[:\-–—]")
_LABEL = re.compile(r"\[([^\[\]]{0,40})\]")


def name_like(text: str) -> bool:
    """Short enough to be a name (``VLMaps``, ``Recurrent VLN-BERT``, ``qnn``), not a title:
    three words at most."""
    return len(text.split()) <= 3 and len(text) <= 40


@dataclass
class Phrase:
    """A candidate title: its text, where it starts in the row, and what made it stand out."""

    text: str
    start: int
    how: str  # "bold", "quote" or "link"
    end: int = 0


@dataclass
class RowParts:
    title: str
    nickname: str | None
    venue_link: int | None
    """The index of a short link in brackets opening the row (``[[CVPR](…)]``): its text
    is the venue, its URL the paper."""
    described: bool = False
    """The title is the text after the row's name (``**Name**: text``): a paper's title, or a
    project's description."""


def _offsets(pieces: list[Piece]) -> list[int]:
    out, at = [], 0
    for piece in pieces:
        out.append(at)
        at += len(piece.text)
    return out


def _bracketed(full: str, start: int, end: int) -> bool:
    """Whether ``full[start:end]`` stands in brackets (spaces aside)."""
    before = full[:start].rstrip()
    after = full[end:].lstrip()
    return before.endswith("[") and after.startswith("]")


def _bold_runs(pieces: list[Piece], at: list[int], full: str) -> tuple[list[Phrase], set[int]]:
    """Bold runs that may be titles, and the indexes of the pieces of those that are tags."""
    runs: list[list[int]] = []
    for index, piece in enumerate(pieces):
        if piece.strong and not piece.brk:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    phrases: list[Phrase] = []
    tags: set[int] = set()
    for run in runs:
        text = "".join(pieces[i].text for i in run)
        start = at[run[0]]
        end = at[run[-1]] + len(pieces[run[-1]].text)
        cleaned = clean_title(text)
        coded = all(pieces[i].code or not pieces[i].text.strip() for i in run)
        if coded or (_bracketed(full, start, end) and name_like(cleaned)):
            tags.update(run)
            continue
        if cleaned and _WORD.search(cleaned) and not GENERIC_LINK_TEXT.match(cleaned):
            phrases.append(Phrase(cleaned, start, "bold", end))
    return phrases, tags


def read_row(first: Inline) -> RowParts:
    """Title, nickname and venue label of a bullet row's first paragraph (module docstring).
    The title is "" when the row holds no text that can be one."""
    pieces = [p for p in first.pieces if not p.brk]
    at = _offsets(pieces)
    full = "".join(p.text for p in pieces)
    phrases, tags = _bold_runs(pieces, at, full)
    labels: set[int] = set()
    venue_link: int | None = None
    groups: dict[int, list[int]] = {}  # link → its pieces, in order of first appearance
    for index, piece in enumerate(pieces):
        if piece.link is not None:
            groups.setdefault(piece.link, []).append(index)
    for link, members in groups.items():
        index = members[0]
        start, last = at[index], members[-1]
        end = at[last] + len(pieces[last].text)
        text = clean_title(full[start:end])
        if not text or GENERIC_LINK_TEXT.match(text) or not _WORD.search(text):
            continue
        if _bracketed(full, start, end) and name_like(text):
            labels.update(members)
            if venue_link is None and not _WORD.search(_outside(pieces[:index], tags)):
                venue_link = link
            continue
        if not any(p.start == start for p in phrases):
            phrases.append(Phrase(text, start, "link", end))
    for match in _QUOTE.finditer(full):
        text = clean_title(match.group(1))
        if text and _WORD.search(text):
            phrases.append(Phrase(text, match.start(1), "quote", match.end(1)))
    phrases.sort(key=lambda p: p.start)

    # a quoted phrase is a title whatever its length ("Chain-of-Thought Predictive Control")
    long = [p for p in phrases if p.how == "quote" or not name_like(p.text)]
    names = [p for p in phrases if p.how != "quote" and name_like(p.text)]
    if long:
        title = long[0]
        nickname = next((n.text for n in names if n.start < title.start), None)
        return RowParts(title.text, _nickname(nickname, title.text), venue_link)
    loose = _loose(pieces, tags | labels, {p.text for p in names[:1]})
    if loose and (not phrases or not name_like(loose)) and (not names or _follows(full, names[0])):
        nickname = names[0].text if names else None
        return RowParts(loose, _nickname(nickname, loose), venue_link, described=bool(names))
    if phrases:
        return RowParts(phrases[0].text, None, venue_link)
    return RowParts(loose, None, venue_link)


def _follows(full: str, name: Phrase) -> bool:
    """Whether the text after this name is its title: the name opens the row and a colon or
    dash follows it (``**GeoChat**: Grounded …``). Text after a name without one is a
    description (``[DIOR-Captions](…) Not yet open source.``)."""
    return not _WORD.search(full[: name.start]) and bool(_TITLE_AFTER.match(full[name.end :]))


def _nickname(name: str | None, title: str) -> str | None:
    """The name, unless the title already says nothing more (``RT-2`` for ``RT-2: …`` is
    still a nickname: readers know the paper by it)."""
    if not name or name.casefold() == title.casefold():
        return None
    return name


def _outside(pieces: list[Piece], skip: set[int]) -> str:
    return "".join(p.text for i, p in enumerate(pieces) if p.link is None and i not in skip)


def _loose(pieces: list[Piece], skip: set[int], names: set[str]) -> str:
    """Text outside links, tags and the row's name, up to the first `` | ``."""
    text = "".join(
        p.text
        for i, p in enumerate(pieces)
        if p.link is None and i not in skip and not (p.strong and clean_title(p.text) in names)
    )
    text = VENUE_TAG.sub("", text, count=1)
    # labels in brackets: [48:fire:], [129:star:], [bnn]
    text = _LABEL.sub(lambda m: m.group(0) if not name_like(m.group(1)) else " ", text)
    while True:
        shorter = re.sub(r"\[\s*\]|\(\s*\)", " ", text)
        if shorter == text:
            break
        text = shorter
    for part in text.split("|"):
        part = clean_title(PAREN_DATE.sub(" ", part))
        part = part.strip(" .:,")
        if part and _WORD.search(part):
            return part
    return ""

"""Personal names as lists write them, split into family and given parts, in one place.

What stands in a list's author field in place of names ("et al.", "…") is here too.

Lists write authors in every order, and every stage must read them alike:

* ``"Liu, Fan"`` / ``"Wu, K."``    family first, comma       → family ``Liu``
* ``"Fan Liu"`` / ``"Luc Van Gool"`` given first                → family ``Liu`` / ``Van Gool``
* ``"Pan J"`` / ``"Al Rahhal M M"`` family first, initials after (citation style, no comma)
                                                                → family ``Pan`` / ``Al Rahhal``
* ``"M. M. Al Rahhal"`` / ``"E. L. de Lemos"``  particles stay with the family name
* ``"J. Marcato Junior"``  a Portuguese ``Junior``/``Filho``/``Neto`` is part of the family
  name (``Marcato Junior``); ``Jr.``, ``Sr.``, ``III`` are a CSL ``suffix``
* ``"Zhao Mandi"``  a pinyin name of one syllable then two is family first (:mod:`.chinese_names`)
* ``"H.Conghui"``, ``"Taoran Yi1"``  glued initials are spaced, footnote marks dropped
* ``"Arto"``  one word: a literal name, not a family name; a name in a CJK script likewise

:func:`csl_names` reads a whole author list, which decides what one name cannot: in a list of
pinyin names, ``L. Jiayu`` is family ``L.``, given ``Jiayu`` (the list abbreviates family
names), while ``Y. Bazi`` beside ``F. Melgani`` stays given ``Y.``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.ids import chinese_names

PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "la", "le", "du", "del", "dos", "ter", "ten"}
    | {"al", "el", "bin", "ibn", "abu", "della", "des", "zu", "vom"}
)
"""Family-name particles that stay with the family name (``Luc Van Gool`` → ``Van Gool``,
``M. M. Al Rahhal`` → ``Al Rahhal``); never the first word of a name (``Al Gore``)."""

FAMILY_ENDINGS = frozenset({"junior", "júnior", "filho", "neto", "sobrinho"})
"""Portuguese and Brazilian family-name endings: ``J. Marcato Junior`` is family
``Marcato Junior`` (as the person cites it), not family ``Junior``."""

SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
"""Generational suffixes: CSL ``suffix``, BibTeX's ``Jr`` part."""

_INITIAL = re.compile(r"^(?:[A-Z]\.?){1,3}$")
"""One to three capital initials, dotted or not: ``J``, ``M.``, ``MM``, ``J.-P.`` is not one."""
_GLUED = re.compile(r"\b([A-Z]\.)(?=[A-Z][a-z])")
_MARKS = re.compile(r"(?<=[^\W\d_])[\d*†‡§¶]+(?=\s|,|\Z)")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_INITIAL_WORD = re.compile(r"^([A-Z])\.?\s*([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)\Z")
_WORD_INITIAL = re.compile(r"^([A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)\s+([A-Z])\.?\Z")

ET_AL = frozenset({"...", "…", "et al."})
"""What a list writes in place of further authors; never an author."""

ET_AL_WORDS = ET_AL | {"et al", "others", "etc", "etc."}
"""The same, with the words services and records use too (how emit reads author lists)."""


@dataclass(frozen=True)
class SplitName:
    family: str = ""
    given: str = ""
    suffix: str = ""
    literal: str = ""
    """The whole name, for a name with no family/given split (one word, CJK script)."""


def tidy(text: str) -> str:
    """One author as written, with spaces, glued initials and footnote marks put right."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;")
    return _MARKS.sub("", _GLUED.sub(r"\1 ", text)).strip(" ,;")


def split_name(text: str) -> SplitName | None:
    """Split one author as written in a list; None for an empty string."""
    text = tidy(text)
    if not text:
        return None
    if _CJK.search(text):
        return SplitName(literal=text)
    if "," in text:
        return _comma_form([p.strip() for p in text.split(",")])
    parts = text.split()
    suffix = ""
    if _is_suffix(parts):
        suffix = parts.pop()
    if len(parts) == 1:
        return SplitName(parts[0], suffix=suffix) if suffix else SplitName(literal=parts[0])
    initials = len(parts)
    while initials > 0 and _INITIAL.match(parts[initials - 1]):
        initials -= 1
    if 0 < initials < len(parts) and not _INITIAL.match(parts[0]):
        # Citation style "Pan J", "Al Rahhal M M": the initials trail the family name.
        return SplitName(" ".join(parts[:initials]), " ".join(parts[initials:]), suffix)
    if len(parts) == 2 and _family_first(parts[0], parts[1]):
        return SplitName(parts[0], parts[1], suffix)
    cut = len(parts) - 1
    if cut > 1 and parts[cut].lower() in FAMILY_ENDINGS:
        cut -= 1
    while cut > 1 and parts[cut - 1].lower() in PARTICLES:
        cut -= 1
    return SplitName(" ".join(parts[cut:]), " ".join(parts[:cut]), suffix)


def _is_suffix(parts: list[str]) -> bool:
    """``Jr.`` after a name; a roman numeral only after two words (``Petrov IV`` is initials)."""
    last = parts[-1].lower()
    if len(parts) < 2 or last not in SUFFIXES:
        return False
    return last.startswith(("jr", "sr")) or (len(parts) > 2 and not _INITIAL.match(parts[0]))


def _comma_form(parts: list[str]) -> SplitName | None:
    """``Family, Given``, ``Family, Jr., Given`` (BibTeX) or ``Family, Given, Jr.``."""
    parts = [p for p in parts if p]
    suffix = next((p for p in parts[1:] if p.lower() in SUFFIXES), "")
    rest = [p for p in parts if p != suffix] if suffix else parts
    if not rest:
        return None
    if len(rest) == 1:
        return SplitName(rest[0], suffix=suffix) if suffix else SplitName(literal=rest[0])
    return SplitName(rest[0], " ".join(rest[1:]), suffix)


def _family_first(first: str, second: str) -> bool:
    """``Zhao Mandi``, ``Ouyang Xin``: a pinyin family name, then a pinyin given name."""
    if not (first.isalpha() and len(first) > 1 and second.replace("-", "").isalpha()):
        return False  # an initial is no family name
    if chinese_names.syllables(first) is None or chinese_names.syllables(second) is None:
        return False
    if first.lower() in chinese_names.COMPOUND_SURNAMES:
        return True
    return chinese_names.syllables(first) == 1 and chinese_names.is_given_shaped(second)


def as_csl(split: SplitName) -> dict[str, str]:
    """A split name as a CSL name object."""
    if split.literal:
        return {"literal": split.literal}
    name = {"family": split.family}
    if split.given:
        name["given"] = split.given
    if split.suffix:
        name["suffix"] = split.suffix
    return name


def csl_name(text: str) -> dict[str, str]:
    """An author as a list writes it → CSL ``{"family": …, "given": …}`` ({} when empty)."""
    split = split_name(text)
    return as_csl(split) if split is not None else {}


def read_names(authors: Sequence[str]) -> list[SplitName]:
    """A list's authors, read together: placeholders dropped, and in a list of pinyin names
    ``L. Jiayu`` / ``Jiayu L`` read as family ``L.``, given ``Jiayu``."""
    texts = [tidy(a) for a in authors if a.strip() and a.strip() not in ET_AL]
    texts = [t for t in texts if t]
    pinyin = len(texts) > 1 and all(_all_pinyin(t) for t in texts)
    out: list[SplitName] = []
    for text in texts:
        flipped = _family_initial(text) if pinyin else None
        split = flipped or split_name(text)
        if split is not None:
            out.append(split)
    return out


def csl_names(authors: Sequence[str]) -> list[dict[str, str]]:
    """A list's authors as CSL name objects (:func:`read_names`)."""
    return [as_csl(split) for split in read_names(authors)]


def _all_pinyin(text: str) -> bool:
    words = [w for w in re.split(r"[\s.,]+", text) if len(w) > 1]
    return bool(words) and all(chinese_names.syllables(w) is not None for w in words)


def _family_initial(text: str) -> SplitName | None:
    """``L. Jiayu`` or ``Jiayu L``: a family initial beside a two-syllable given name."""
    match = _INITIAL_WORD.match(text)
    if match and chinese_names.is_given_shaped(match.group(2)):
        return SplitName(f"{match.group(1)}.", match.group(2))
    match = _WORD_INITIAL.match(text)
    if match and chinese_names.is_given_shaped(match.group(1)):
        return SplitName(f"{match.group(2)}.", match.group(1))
    return None


def first_author(authors: list[str]) -> str | None:
    """The first of a list's authors that is a name, not a placeholder."""
    for author in authors:
        if author.strip() and author.strip() not in ET_AL:
            return author
    return None

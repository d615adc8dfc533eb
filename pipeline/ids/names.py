"""Personal names as lists write them, split into family and given parts, in one place.

What stands in a list's author field in place of names ("et al.", "…") is here too.

Lists write authors three ways, and every stage must read them alike:

* ``"Liu, Fan"`` / ``"Wu, K."``    family first, comma       → family ``Liu``
* ``"Fan Liu"`` / ``"Luc Van Gool"`` given first                → family ``Liu`` / ``Van Gool``
* ``"Pan J"`` / ``"Al Rahhal M M"`` family first, initials after (citation style, no comma)
                                                                → family ``Pan`` / ``Al Rahhal``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "la", "le", "du", "del", "dos", "ter"}
)
"""Family-name particles that stay with the family name (``Luc Van Gool`` → ``Van Gool``)."""

_INITIAL = re.compile(r"^(?:[A-Z]\.?){1,3}$")
"""One to three capital initials, dotted or not: ``J``, ``M.``, ``MM``, ``J.-P.`` is not one."""


ET_AL = frozenset({"...", "…", "et al."})
"""What a list writes in place of further authors; never an author."""

ET_AL_WORDS = ET_AL | {"et al", "others", "etc", "etc."}
"""The same, with the words services and records use too (how emit reads author lists)."""


@dataclass(frozen=True)
class SplitName:
    family: str
    given: str = ""


def split_name(text: str) -> SplitName | None:
    """Split one author as written in a list; None for an empty string."""
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" ,;")
    if not text:
        return None
    if "," in text:
        family, given = (part.strip() for part in text.split(",", 1))
        if family:
            return SplitName(family, given)
        text = given
    parts = text.split()
    if len(parts) == 1:
        return SplitName(parts[0])
    initials = len(parts)
    while initials > 0 and _INITIAL.match(parts[initials - 1]):
        initials -= 1
    if 0 < initials < len(parts) and not _INITIAL.match(parts[0]):
        # Citation style "Pan J", "Al Rahhal M M": the initials trail the family name.
        return SplitName(" ".join(parts[:initials]), " ".join(parts[initials:]))
    cut = len(parts) - 1
    while cut > 1 and parts[cut - 1].lower() in PARTICLES:
        cut -= 1
    return SplitName(" ".join(parts[cut:]), " ".join(parts[:cut]))


def csl_name(text: str) -> dict[str, str]:
    """An author as a list writes it → CSL ``{"family": …, "given": …}`` ({} when empty)."""
    split = split_name(text)
    if split is None:
        return {}
    return (
        {"family": split.family, "given": split.given} if split.given else {"family": split.family}
    )


def first_author(authors: list[str]) -> str | None:
    """The first of a list's authors that is a name, not a placeholder."""
    for author in authors:
        if author.strip() and author.strip() not in ET_AL:
            return author
    return None

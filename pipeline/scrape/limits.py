"""Input limits: lines nested or tables wider than any list needs are cut before the parser
builds anything from them (both would make it quadratic and its tree deep).
"""

from __future__ import annotations

import re

MAX_DEPTH = 64
"""Container levels (block quotes, list markers, two columns of indentation each) kept on one
line; real lists nest a handful. Deeper lines make the parser quadratic and its tree deep."""

MAX_COLUMNS = 64
"""Table cells kept per line; real tables have about ten. A 100,000-column table would cost
some 100 times its size in tree nodes and cell readers."""

_PREFIX_TOKEN = re.compile(r"([ \t]*)(>|[-+*](?=[ \t]|\Z)|\d{1,9}[.)](?=[ \t]|\Z))")
_PREFIX_CHARS = " \t>-+*0123456789.)"


def guard_text(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Cut lines nested deeper than :data:`MAX_DEPTH` levels and table lines wider than
    :data:`MAX_COLUMNS` cells; returns the text (the same object when nothing was cut) and
    ``(line, reason)`` for each cut (one per table). Line numbers do not change."""
    lines = text.split("\n")
    cuts: list[tuple[int, str]] = []
    changed = False
    deep_before = wide_before = False  # one warning per run of cut lines
    for index, line in enumerate(lines):
        deep = wide = False
        if len(line) > MAX_DEPTH // 2:
            prefix = len(line) - len(line.lstrip(_PREFIX_CHARS))
            if prefix > MAX_DEPTH // 2:  # a tab is two levels: shorter prefixes are fine
                cut = _cut_prefix(line)
                if cut is not None:
                    line = lines[index] = cut
                    changed = deep = True
                    if not deep_before:
                        reason = f"nested deeper than {MAX_DEPTH} levels; deeper levels cut"
                        cuts.append((index + 1, reason))
            if line.count("|") > MAX_COLUMNS + 1:
                cut = _cut_columns(line)
                if cut is not None:
                    lines[index] = cut
                    changed = wide = True
                    if not wide_before:
                        reason = (
                            f"table wider than {MAX_COLUMNS} columns; "
                            f"cells after column {MAX_COLUMNS} ignored"
                        )
                        cuts.append((index + 1, reason))
        deep_before, wide_before = deep, wide
    return ("\n".join(lines) if changed else text), cuts


def _cut_prefix(line: str) -> str | None:
    """The line with its container prefix cut to :data:`MAX_DEPTH` levels (the innermost
    marker kept, so that the text stays a list item), or None when it fits."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while (match := _PREFIX_TOKEN.match(line, pos)) is not None:
        tokens.append((match.group(1), match.group(2)))
        pos = match.end()
    out: list[str] = []
    depth = 0
    cut = False
    for index, (space, marker) in enumerate(tokens):
        last = index == len(tokens) - 1
        if cut and not last:
            continue
        limit = MAX_DEPTH if last else MAX_DEPTH - 1  # one level kept for the last marker
        levels = (len(space) + 3 * space.count("\t")) // 2
        if depth + levels + 1 > limit:
            cut = True
            if not last:
                continue
            space = " " * (2 * max(0, limit - depth - 1))
            levels = len(space) // 2
        out.append(space + marker)
        depth += levels + 1
    return "".join(out) + line[pos:] if cut else None


def _cut_columns(line: str) -> str | None:
    """The line up to the pipe that ends cell :data:`MAX_COLUMNS`, or None when narrower."""
    keep = MAX_COLUMNS + (1 if line.lstrip(" \t>").startswith("|") else 0)
    pos = -1
    while keep:
        pos = line.find("|", pos + 1)
        if pos == -1:
            return None
        if pos == 0 or line[pos - 1] != "\\":  # "\|" is a pipe inside a cell
            keep -= 1
    return line[: pos + 1]

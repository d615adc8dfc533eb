"""Unified diffs of line replacements, made and applied byte for byte.

The fixes of a list only ever replace lines (never add or remove one), so a patch is a list
of hunks whose ``-`` and ``+`` lines pair up. Lines keep their own endings (``\\n``,
``\\r\\n``) inside the patch, as ``git apply`` and ``patch`` expect, and a last line without
one is marked ``\\ No newline at end of file``. :func:`apply_patch` is strict: every context
and removed line must be in the file exactly as the patch says, or nothing is changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.errors import InputError

CONTEXT = 3
"""Unchanged lines around each change, as ``diff -u`` writes them."""
NO_NEWLINE = b"\\ No newline at end of file\n"
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def split_lines(data: bytes) -> list[bytes]:
    """The lines of ``data``, each with its own ending (only ``\\n`` ends a line: a lone
    ``\\r`` is part of the line, as git sees it)."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def ending(line: bytes) -> bytes:
    """The line's ending: ``\\r\\n``, ``\\n`` or nothing (the last line of some files)."""
    if line.endswith(b"\r\n"):
        return b"\r\n"
    return b"\n" if line.endswith(b"\n") else b""


def _body_line(mark: bytes, line: bytes) -> bytes:
    if line.endswith(b"\n"):
        return mark + line
    return mark + line + b"\n" + NO_NEWLINE


def make_patch(
    paths: tuple[str, str], lines: list[bytes], replaced: dict[int, bytes], preamble: bytes = b""
) -> bytes:
    """A unified diff turning ``lines`` into ``lines`` with ``replaced`` (0-based index → the
    new line, ending included); ``paths`` are the ``---``/``+++`` names; ``preamble`` comes
    first (git and patch skip text before the first ``---``)."""
    out = [preamble, f"--- {paths[0]}\n+++ {paths[1]}\n".encode()]
    for start, end in _hunks(sorted(replaced), len(lines)):
        count = end - start
        out.append(f"@@ -{start + 1},{count} +{start + 1},{count} @@\n".encode())
        for index in range(start, end):
            if index in replaced:
                out.append(_body_line(b"-", lines[index]))
                out.append(_body_line(b"+", replaced[index]))
            else:
                out.append(_body_line(b" ", lines[index]))
    return b"".join(out)


def _hunks(changed: list[int], total: int) -> list[tuple[int, int]]:
    """``[start, end)`` line ranges, changes with overlapping context in one hunk."""
    spans: list[tuple[int, int]] = []
    for index in changed:
        start, end = max(0, index - CONTEXT), min(total, index + CONTEXT + 1)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


@dataclass
class Hunk:
    """One hunk as read back: where it starts and its lines (old and new, endings kept)."""

    start: int
    old: list[bytes] = field(default_factory=list)
    new: list[bytes] = field(default_factory=list)


def read_hunks(patch: bytes, where: str) -> list[Hunk]:
    """The hunks of a patch (one file's); text before the first hunk is skipped."""
    hunks: list[Hunk] = []
    last: list[list[bytes]] = []
    for raw in split_lines(patch):
        header = _HUNK.match(raw)
        if header:
            hunks.append(Hunk(start=int(header.group(1))))
            continue
        if not hunks or raw.startswith((b"--- ", b"+++ ")):
            continue
        mark, line = raw[:1], raw[1:]
        hunk = hunks[-1]
        if mark == b"\\":
            for side in last:  # the line before had no newline in the file
                side[-1] = side[-1].removesuffix(b"\n")
        elif mark in (b" ", b"-", b"+"):
            sides = {b" ": [hunk.old, hunk.new], b"-": [hunk.old], b"+": [hunk.new]}[mark]
            for side in sides:
                side.append(line)
            last = sides
        else:
            raise InputError(f"{where}: not a patch line: {raw[:60]!r}")
    return hunks


def apply_patch(data: bytes, patch: bytes, where: str) -> bytes:
    """``data`` with the patch applied; InputError (nothing changed) when it does not fit."""
    lines = split_lines(data)
    out: list[bytes] = []
    at = 0
    for hunk in read_hunks(patch, where):
        start = hunk.start - 1
        if start < at or lines[start : start + len(hunk.old)] != hunk.old:
            raise InputError(
                f"{where}: does not apply at line {hunk.start} (the list changed since the "
                "patch was made; run `pipeline refresh` to make it again)"
            )
        out += lines[at:start] + hunk.new
        at = start + len(hunk.old)
    return b"".join(out + lines[at:])

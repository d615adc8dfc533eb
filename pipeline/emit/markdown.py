"""Markdown that upstream text cannot break out of.

:func:`md_text` backslash-escapes ASCII punctuation (CommonMark allows it for all of it),
so a title can open no link, emphasis, code span, HTML tag, entity, autolink or table cell.
Characters that cannot start any of these in running text stay bare so the file reads well
in a diff; ``:`` and ``.`` stay bare only before a space or the end, where no autolink
(``http:``, ``www.``) can form. :func:`md_url` gives a link destination only for http(s) URLs,
percent-encoding anything that could end the destination; other schemes get no link.
"""

from __future__ import annotations

import re
import string
import unicodedata

from pipeline.text import clean_text

_INERT = set("-,;'\"?/=%+()")
"""Punctuation that opens nothing in running text (it never starts a line here)."""
_PUNCTUATION = set(string.punctuation) - _INERT


def md_text(value: object, limit: int = 500) -> str:
    """Plain text safe anywhere in a markdown line (but its start), including a table cell."""
    text = clean_text(value, limit)
    out: list[str] = []
    for i, c in enumerate(text):
        bare = c in ":." and (i + 1 == len(text) or text[i + 1] == " ")
        out.append("\\" + c if c in _PUNCTUATION and not bare else c)
    return "".join(out)


_URL_SAFE = set(string.ascii_letters + string.digits + "-._~:/?#[]@!$&'*+,;=%")


def md_url(url: object) -> str:
    """A link destination for an http(s) URL, or "" when the URL must not be linked."""
    text = clean_text(url, 2000)
    if not re.match(r"https?://[^\s/?#]+", text, re.IGNORECASE):
        return ""
    return "".join(c if c in _URL_SAFE else "".join(f"%{b:02X}" for b in c.encode()) for c in text)


def md_link(label: object, url: object) -> str:
    """``[label](url)``; just the escaped label when the URL is unsafe or missing."""
    target = md_url(url)
    text = md_text(label)
    return f"[{text}]({target})" if target and text else text


def slug(heading: str) -> str:
    """GitHub's heading anchor for a heading's text: lower case, letters, digits and marks
    of any script kept with ``_`` and ``-``, spaces made ``-``, everything else (punctuation,
    emoji) dropped."""
    kept = (
        c
        for c in heading.strip().lower()
        if c.isalnum() or c in " _-" or unicodedata.category(c).startswith("M")
    )
    return "".join(kept).replace(" ", "-")


class Slugger:
    """Anchors for a document's headings in order, as GitHub makes them unique: the second
    ``Papers`` is ``papers-1`` (a list's sections often repeat a name under two parents)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, heading: str) -> str:
        base = result = slug(heading)
        while result in self.seen:
            self.seen[base] += 1
            result = f"{base}-{self.seen[base]}"
        self.seen[result] = 0
        return result

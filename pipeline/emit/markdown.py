"""Markdown that upstream text cannot break out of.

:func:`md_text` backslash-escapes every ASCII punctuation character (CommonMark allows it
for all of them), so a title can open no link, emphasis, code span, HTML tag, entity,
autolink or table cell. :func:`md_url` gives a link destination only for http(s) URLs,
percent-encoding anything that could end the destination; other schemes get no link.
"""

from __future__ import annotations

import re
import string

from pipeline.emit.text import clean_text

_PUNCTUATION = set(string.punctuation)


def md_text(value: object, limit: int = 500) -> str:
    """Plain text safe anywhere in a markdown line, including a table cell."""
    text = clean_text(value, limit)
    return "".join("\\" + c if c in _PUNCTUATION else c for c in text)


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
    """GitHub's heading anchor for the plain ASCII headings this package writes."""
    lowered = heading.strip().lower()
    return re.sub(r"[^a-z0-9 _-]", "", lowered).replace(" ", "-")

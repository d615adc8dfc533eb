"""Text repair for list fields: HTML tags and entities out, emphasis leftovers and edge
punctuation trimmed, mojibake repaired (:func:`pipeline.text.fix_text`), "no value" cells.
"""

from __future__ import annotations

import html
import re

from pipeline.text import fix_text

TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
NO_VALUE = frozenset({"", "-", "--", "—", "–", "null", "none", "n/a", "na", "tbd", "todo"})
GENERIC_LINK_TEXT = re.compile(
    r"^(?:pdf|paper|papers|link|links|code|github|project|project page|page|home|homepage|"
    r"website|arxiv|data|dataset|download|demo|video|slides|blog|html|url|here|star|"
    r"model|weights|huggingface|hugging face|google drive|baiduyun|onedrive|\W*)\Z",
    re.IGNORECASE,
)


def clean_title(text: str) -> str:
    """Title text: HTML tags and entities, markdown emphasis leftovers and edge punctuation
    removed, mojibake repaired."""
    text = fix_text(untag(text))
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    return text.strip(" \t|:;,-–—[]").strip()


_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)|(\*\*|__|\*|_)(?!\w)")


def untag(text: str) -> str:
    """HTML tags out, entities decoded (the checks skip the work for plain text)."""
    if "<" in text:
        text = TAG.sub(" ", text)
    return html.unescape(text) if "&" in text else text


def norm_header(text: str) -> str:
    return " ".join(re.sub(r"[^\w&/]+", " ", text.lower()).replace("_", " ").split())


def is_no_value(text: str) -> bool:
    return text.strip().strip("*_`").strip().lower() in NO_VALUE

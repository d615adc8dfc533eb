"""Text for XML outputs (the Atom feed, the SVG charts): escaped, and only characters XML 1.0
allows (a title with a stray control or a lone surrogate must not make the file unreadable)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def xml_text(text: str) -> str:
    """Element content."""
    return escape(xml_safe(text))


def xml_attr(text: str) -> str:
    """An attribute value, quoted."""
    return quoteattr(xml_safe(text))

"""Text repair and normal forms shared by the stages (no stage owns them).

* :func:`fix_text` repairs what lists break: mojibake (ftfy, then Mac Roman runs ftfy leaves
  alone) and ragged whitespace. The scraper reads every list field through it.
* :func:`clean_text` is the normal form every output promises: everything from upstream
  (list text, service metadata) passes through it first, so the .bib, CSL-JSON and markdown
  writers only have to escape, never to repair.
* :func:`ascii_fold` reduces text to lower-case ASCII letters and digits (citation keys).
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False)
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def fix_text(text: str) -> str:
    """Repair mojibake (ftfy, then Mac Roman runs ftfy leaves alone) and tidy whitespace.

    Correct non-Latin text stays: a run is only re-decoded when its bytes form valid UTF-8.
    """
    return " ".join(repair_mojibake(text).split())


def repair_mojibake(text: str) -> str:
    """The mojibake repair of :func:`fix_text` alone, whitespace left as it is (the fixes of
    issue 15 write it back into a list line, which must keep everything else)."""
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
        if not text.isascii():
            text = _MOJIBAKE_RUN.sub(_undo_mac_roman, text)
    return text


def _undo_mac_roman(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        fixed = run.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    return fixed


# Bidi embeddings/overrides/isolates and other invisible format characters: they can
# reorder what a reader sees (a "Trojan Source" title), so they are dropped like controls.
_DROP_FORMAT = {
    *range(0x200B, 0x2010),  # zero-width space … right-to-left mark
    *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
    *range(0x2060, 0x2070),  # word joiner, invisible operators, LRI RLI FSI PDI …
    0xFEFF,  # BOM / zero-width no-break space
    0x00AD,  # soft hyphen
}
MAX_FIELD = 2000
"""Longest text kept for one field; longer input (hostile or broken) is cut."""


_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _ascii_control(match: re.Match[str]) -> str:
    return " " if match.group(0) in "\t\n\r\f\v" else ""


def clean_text(value: object, limit: int = MAX_FIELD) -> str:
    """NFC text without control/format characters, whitespace collapsed to single spaces.

    This is the normal form every output promises to reproduce exactly (tests decode the
    .bib and compare against it).
    """
    if value is None:
        return ""
    # cut first (with room for collapsed whitespace): a 50 MB "title" costs no more than 8 kB
    text = str(value)[: limit * 4]
    if text.isascii():  # the common case, without a per-character category lookup
        text = " ".join(_ASCII_CONTROLS.sub(_ascii_control, text).split())
        return text[:limit].rstrip() if len(text) > limit else text
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in "\t\n\r\f\v" or category == "Zs" or category == "Zl" or category == "Zp":
            kept.append(" ")
        elif category in {"Cc", "Cs", "Co", "Cn"} or ord(char) in _DROP_FORMAT:
            continue
        else:
            kept.append(char)
    text = " ".join("".join(kept).split())
    if len(text) > limit:
        text = text[:limit].rstrip()
    return text


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: ``Müller`` → ``muller``, ``Ø`` → ``o``."""
    special = {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"}
    lowered = text.lower()
    lowered = "".join(special.get(c, c) for c in lowered)
    decomposed = unicodedata.normalize("NFKD", lowered)
    return re.sub(r"[^a-z0-9]", "", decomposed.encode("ascii", "ignore").decode("ascii"))

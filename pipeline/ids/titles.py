"""Titles reduced for comparison. Three readings, each for one question, kept apart on purpose:

* :func:`identity_title`: are two list entries the same work? (casefolded, mojibake repaired,
  NFKC, punctuation folded; accents kept). Work ids ``title:<sha1>`` are made from it, so it
  must never change: a change would renumber every title-only work.
* :func:`fold`: may a service's record stand for a work? (ASCII letters and digits, and CJK
  runs: services and lists disagree on accents, dashes and quotes). The wrong-match guard
  compares these, and family names the same way.
* :func:`key_title`: has a published citation key's work come back? (clean_text's normal form,
  each word ASCII-folded). ``output/keys.json`` stores it, so it must never change either.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from rapidfuzz import fuzz

from pipeline.text import ascii_fold, clean_text, fix_text

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def identity_title(title: str) -> str:
    """Casefold, repair mojibake, NFKC, fold punctuation and whitespace to single spaces."""
    text = (
        title.casefold()
        if title.isascii()
        else unicodedata.normalize("NFKC", fix_text(title)).casefold()
    )
    return _NON_WORD.sub(" ", text).strip()


def title_key(title: str) -> str:
    """``title:`` id part: the first 16 hex digits of sha1 of the identity title."""
    return hashlib.sha1(identity_title(title).encode("utf-8")).hexdigest()[:16]


_CJK_CHARS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK = re.compile(f"[{_CJK_CHARS}]")
# Runs of CJK characters are words too (else a Chinese title folds to nothing and matches
# no record, not even its own); NFKD decomposes Hangul to jamo, hence U+1100–U+11FF.
_FOLD_WORD = re.compile(f"[a-z0-9]+|[\u1100-\u11ff{_CJK_CHARS}]+")


@functools.lru_cache(maxsize=1 << 16)  # the guard folds the same titles again and again
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits (accents dropped) and CJK runs, separated by
    single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join(_FOLD_WORD.findall(bare))


def ratio(a: str, b: str) -> float:
    """Similarity in [0, 1] of two already reduced titles (0 when either is empty, 1 when
    equal, else rapidfuzz's character ratio)."""
    if not a or not b:
        return 0.0
    return 1.0 if a == b else float(fuzz.ratio(a, b)) / 100.0


def cjk_language(text: str) -> str:
    """The CSL ``language`` of a title in Chinese, Japanese or Korean (kana → ja, hangul →
    ko, else zh); empty for any other title."""
    if not _CJK.search(text):
        return ""
    if re.search("[\u3040-\u30ff]", text):
        return "ja"
    return "ko" if re.search("[\uac00-\ud7af]", text) else "zh"


def key_title(title: str) -> str:
    """A title reduced to folded words, for matching the same work across runs."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", clean_text(title)).casefold())
    return " ".join(ascii_fold(w) or w for w in words)

"""Chinese, Japanese and Korean text in Latin letters, where only Latin letters will do.

Two readers need it: citation keys (``output/keys.json`` keeps them ASCII, and a Chinese title
used to give ``anon2023untitled``) and pdflatex, which has no font for CJK. As Better BibTeX
does (its ``transliterate`` filter; https://retorque.re/zotero-better-bibtex/citing/),
Chinese characters are read in pinyin without tones (pypinyin, whose phrase table picks the
reading of a character in a word: 长江 ``chang jiang``, 重庆 ``chong qing``); kana and hangul
are read from their Unicode names (``HIRAGANA LETTER KA`` → ``ka``, ``HANGUL SYLLABLE HAN`` →
``han``), with the Hepburn spellings of the syllables whose names follow Kunrei (``si`` →
``shi``). CJK punctuation and the fullwidth forms become their ASCII counterparts.

Kanji are read in pinyin too: without a Japanese dictionary there is no better reading, and a
key or a pdflatex fallback needs a readable one, not a right one.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin import Style, lazy_pinyin

_HAN = re.compile("[\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_KANA = re.compile("[\u3041-\u309f\u30a0-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3131-\u318e\uac00-\ud7af]")
# CJK symbols and punctuation, the CJK compatibility forms and the full- and halfwidth forms.
_PUNCT = re.compile("[\u3000-\u3004\u3008-\u303f\u30fb\ufe30-\ufe4f\uff01-\uff65\uffe0-\uffee]")
_PUNCTUATION = {
    "\u3001": ",", "\u3002": ".", "\u3008": "\u2039", "\u3009": "\u203a", "\u300a": "\u201c",
    "\u300b": "\u201d", "\u300c": "\u201c", "\u300d": "\u201d", "\u300e": "\u201c",
    "\u300f": "\u201d", "\u3010": "[", "\u3011": "]", "\u3014": "(", "\u3015": ")",
    "\u301c": "~", "\u30fb": "-", "\uff5e": "~", "\uff64": ",", "\uff61": ".", "\uff62": "\u201c",
    "\uff63": "\u201d", "\uff02": "\u201d",
}  # fmt: skip
_OPENING = "([<\u201c\u2039"
# Revised Romanization of Korean, letter by letter (no sound changes across syllables).
_INITIALS = (
    "g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "-", "j", "jj", "ch", "k", "t",
    "p", "h",
)  # fmt: skip
_VOWELS = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
    "we", "wi", "yu", "eu", "ui", "i",
)  # fmt: skip
_FINALS = (
    "-", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p",
    "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
)  # fmt: skip
_HEPBURN = {
    "si": "shi", "ti": "chi", "tu": "tsu", "hu": "fu", "zi": "ji", "di": "ji", "du": "zu",
    "wo": "o", "wi": "i", "we": "e",
}  # fmt: skip


def script(char: str) -> str:
    """``han``, ``kana``, ``hangul`` or ``punct`` for a CJK character, else empty."""
    for name, pattern in (("han", _HAN), ("kana", _KANA), ("hangul", _HANGUL), ("punct", _PUNCT)):
        if pattern.fullmatch(char):
            return name
    return ""


def has_cjk(text: str) -> bool:
    return not text.isascii() and any(script(c) for c in text)


@functools.lru_cache(maxsize=1 << 14)
def syllable(char: str) -> str:
    """One CJK letter in Latin letters (lower case); empty for anything else and for the
    marks that only change the letter before them (small tsu, prolonged sound)."""
    kind = script(char)
    if kind == "han":
        return _pinyin(char)[0]
    if kind == "hangul":
        code = ord(char) - 0xAC00
        if not 0 <= code < 11172:
            return ""  # a lone jamo
        parts = (_INITIALS[code // 588], _VOWELS[code // 28 % 21], _FINALS[code % 28])
        return "".join(p for p in parts if p != "-")
    if kind == "kana":
        name = unicodedata.name(unicodedata.normalize("NFKC", char), "")
        if " LETTER " not in name or name.endswith("SMALL TU"):
            return ""
        sound = name.rsplit(" ", 1)[-1].lower()
        return _HEPBURN.get(sound, sound)
    return ""


def punctuation(char: str) -> str:
    """The ASCII form of CJK punctuation or of a fullwidth character (``：`` → ``:``)."""
    if char in _PUNCTUATION:
        return _PUNCTUATION[char]
    folded = unicodedata.normalize("NFKC", char)
    return folded if folded.isascii() else ""


def _pinyin(text: str) -> list[str]:
    return [s.replace("ü", "v") for s in lazy_pinyin(text, style=Style.NORMAL)]


def _runs(text: str) -> list[tuple[str, str]]:
    """``text`` as runs of one script each: ``(script, run)``, script empty for the rest."""
    runs: list[tuple[str, str]] = []
    for char in text:
        kind = script(char)
        if runs and runs[-1][0] == kind and kind != "punct":
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def _kana_word(run: str) -> str:
    """A kana run read as one word: a small ya/yu/yo joins the syllable before it (``kya``),
    a small tsu doubles the consonant after it, a prolonged sound mark repeats the vowel."""
    out = ""
    double = False
    for char in run:
        name = unicodedata.name(unicodedata.normalize("NFKC", char), "")
        sound = syllable(char)
        if name.endswith("SMALL TU"):
            double = True
            continue
        if "PROLONGED SOUND" in name:
            out += out[-1:] if out[-1:] in set("aeiou") else ""
            continue
        small_vowel = " SMALL " in name and sound in {"a", "i", "u", "e", "o"}
        if (" SMALL Y" in name or small_vowel) and out[-1:] in set("aeiou"):
            # ki + ya → kya; shi, chi, ji + ya → sha, cha, ja; de + i → di, fu + a → fa
            stem = out[:-1]
            palatal = sound.startswith("y") and stem.endswith(("sh", "ch", "j"))
            out = stem + (sound[1:] if palatal else sound)
            continue
        if double and sound[:1].isalpha() and sound[0] not in "aeiou":
            sound = sound[0] + sound
        double = False
        out += sound
    return out


def _syllables(kind: str, run: str) -> list[str]:
    if kind == "han":
        return _pinyin(run)
    if kind == "kana":
        return [_kana_word(run)]
    return ["".join(syllable(c) for c in run)]


def romanize(text: str) -> str:
    """``text`` with every CJK run in Latin letters, a Chinese syllable a word, capitalized at
    the start: ``遥感大模型：进展与前瞻`` → ``Yao gan da mo xing: jin zhan yu qian zhan``.
    Text in other scripts is left as it is."""
    if not has_cjk(text):
        return text
    out, before = "", ""  # before: the script of the last run ("" for other text)
    for kind, run in _runs(text):
        if kind == "punct":
            mark = punctuation(run)
            if mark in _OPENING and out and not out[-1].isspace():
                out += " "
            out = out if mark in _OPENING else out.rstrip()
            out += mark
        else:
            piece = " ".join(w for w in _syllables(kind, run) if w) if kind else run
            if _spaced(out, before, kind, piece):
                out += " "
            out += piece
        before = kind
    out = " ".join(out.split())
    return out[:1].upper() + out[1:] if script(text[0]) else out


def _spaced(out: str, before: str, kind: str, piece: str) -> bool:
    """Whether a space goes between ``out`` and the next ``piece`` (of script ``kind``):
    around Latin syllables, and after a CJK mark that does not open (``：`` → ``: ``)."""
    if not out or not piece or out[-1].isspace() or piece[0].isspace():
        return False
    if before == "punct":
        return out[-1] not in _OPENING + "~-" and piece[0] not in ",.:;!?)]"
    if kind:
        return out[-1] not in _OPENING + "~-"
    return bool(before) and piece[0].isalnum()


def key_words(text: str) -> list[str]:
    """The words of a title for a citation key, CJK read in Latin letters: Chinese and
    Japanese have no spaces between words, and most Chinese words are two characters, so a
    run of Chinese characters is read two characters a word (``遥感基础模型`` → ``yaogan``,
    ``jichu``, ``moxing``; a dictionary segmentation as Better BibTeX's optional jieba finds
    the same first word for the lists' titles), a kana run as one word; a Korean word is
    spaced already."""
    words: list[str] = []
    for chunk in text.split():
        for kind, run in _runs(chunk):
            if kind == "han":
                sounds = _pinyin(run)
                words += ["".join(sounds[i : i + 2]) for i in range(0, len(sounds), 2)]
            elif kind in {"kana", "hangul"}:
                words += _syllables(kind, run)
            elif not kind:
                words.append(run)
    return [w for w in words if w]


# Two-character Chinese family names (the common ones): the rest are one character.
_COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "夏侯", "尉迟", "公孙", "慕容", "长孙", "宇文",
    "司徒", "令狐", "端木", "独孤", "南宫", "西门", "歐陽", "諸葛", "長孫",
})  # fmt: skip


def family_name(name: str, *, whole: bool) -> str:
    """A family name in Latin letters for a citation key. ``whole``: ``name`` is the family
    name; otherwise it is a full name written family first, as CJK names are (``张三`` →
    ``zhang``, ``欧阳修`` → ``ouyang``, ``김철수`` → ``gim``, ``山田 太郎`` → ``shantian``)."""
    first = name.split()[0] if name.split() else ""
    if whole or len(name.split()) > 1 or not script(first[:1]):
        return "".join(key_words(name if whole else first))
    cut = 2 if first[:2] in _COMPOUND_SURNAMES else 1
    return "".join(key_words(first[:cut]))

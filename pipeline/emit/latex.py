"""LaTeX text for BibTeX fields: every special character a macro (:func:`latex_escape`), words
that must keep their capitals braced (:func:`latex_title`), and the exact inverse
(:func:`latex_decode`, which the tests use). :mod:`pipeline.emit.bibtex` says why.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIALS = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",  # only unmatched braces; matched pairs become \{ \}
    "}": r"{\textbraceright}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"{\textasciitilde}",
    "^": r"{\textasciicircum}",
    "<": r"{\textless}",
    ">": r"{\textgreater}",
    "|": "$|$",  # \textbar is lost by pandoc; OT1 prints a raw | as a dash
}
# Punctuation such as — … “ ” stays UTF-8: LaTeX's utf8 input, biber and pandoc all read it,
# while pandoc drops \textemdash and friends.
# Letters LaTeX spells as a command; in braces so BibTeX treats them as one letter.
_LETTERS = {
    "ß": r"{\ss}",
    "ø": r"{\o}",
    "Ø": r"{\O}",
    "æ": r"{\ae}",
    "Æ": r"{\AE}",
    "œ": r"{\oe}",
    "Œ": r"{\OE}",
    "ł": r"{\l}",
    "Ł": r"{\L}",
    "ı": r"{\i}",
    "å": r"{\aa}",
    "Å": r"{\AA}",
}
# Greek letters as math, which every engine and pandoc read (pdflatex has no Greek text font).
_GREEK = {
    chr(code): "{$\\" + name + "$}"
    for code, name in zip(
        [*range(0x3B1, 0x3C2), *range(0x3C3, 0x3CA)],
        ["alpha", "beta", "gamma", "delta", "varepsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "o", "pi", "rho", "sigma", "tau", "upsilon", "varphi", "chi", "psi", "omega"],
        strict=True,
    )
    if name != "o"  # omicron has no command; it stays UTF-8 like other scripts
} | {
    chr(code): "{$\\" + name + "$}"
    for code, name in (
        (0x393, "Gamma"), (0x394, "Delta"), (0x398, "Theta"), (0x39B, "Lambda"), (0x39E, "Xi"),
        (0x3A0, "Pi"), (0x3A3, "Sigma"), (0x3A5, "Upsilon"), (0x3A6, "Phi"), (0x3A8, "Psi"),
        (0x3A9, "Omega"),
    )
}  # fmt: skip
# Pictographs no TeX engine can set (pdflatex stops on them, xelatex's CJK fonts have none):
# emoji, their joiners, variation selectors and skin tones. The CSL-JSON keeps them.
_PICTOGRAPHS = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe00-\ufe0f\u200d\u20e3]"
)


def printable(text: str) -> str:
    """``text`` without what no engine prints (:data:`_PICTOGRAPHS`, with the space before
    each), spaces tidied: ``"🛰️ EarthGPT 🚀: …"`` → ``"EarthGPT: …"``."""
    if text.isascii() or not _PICTOGRAPHS.search(text):
        return text
    return " ".join(re.sub(r"\s*(?:" + _PICTOGRAPHS.pattern + ")+", "", text).split())


# Combining mark → accent command (symbol accents take the letter directly).
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0308": '"',
    "\u0304": "=",
    "\u0307": ".",
    "\u030a": "r",
    "\u0327": "c",
    "\u030c": "v",
    "\u0306": "u",
    "\u030b": "H",
    "\u0328": "k",
    "\u0323": "d",
}
# Words BibTeX styles must not lower-case although they carry no acronym signal.
PROPER_NOUNS = {
    "Earth", "Sentinel", "Landsat", "Google", "Gaofen", "WorldView", "Jilin", "China",
    "Chinese", "English", "Europe", "Africa", "America", "Bayesian", "Gaussian", "Fourier",
    "Markov", "Transformer", "Transformers", "Mamba", "Segment", "LLaMA", "Vicuna", "Qwen",
}  # fmt: skip


def _accent(char: str) -> str | None:
    """``é`` → ``{\\'e}``; None when the letter is not a plain ASCII letter plus one accent."""
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) != 2 or not decomposed[0].isascii() or not decomposed[0].isalpha():
        return None
    command = _ACCENTS.get(decomposed[1])
    if command is None:
        return None
    base = decomposed[0]
    if command.isalpha():
        return "{\\" + command + "{" + base + "}}"
    return "{\\" + command + base + "}"


def _matched_braces(text: str) -> set[int]:
    """Positions of ``{``/``}`` that pair up; BibTeX counts ``\\{`` as a brace, so only
    these may be written as ``\\{``/``\\}`` (pandoc reads those, not ``\\textbraceleft``)."""
    stack: list[int] = []
    matched: set[int] = set()
    for index, char in enumerate(text):
        if char == "{":
            stack.append(index)
        elif char == "}" and stack:
            matched.update((stack.pop(), index))
    return matched


def latex_escape(
    text: str, *, in_name: bool = False, matched: set[int] | None = None, offset: int = 0
) -> str:
    """Clean text (see ``clean_text``) → LaTeX that prints exactly that text.

    ``matched``/``offset`` let a caller escape a slice of a longer text whose braces pair
    across slices. In names ``--`` is left alone: biber's initials code cannot take ``-{}-``."""
    out: list[str] = []
    if matched is None:
        text = printable(text)
        matched = _matched_braces(text) if "{" in text else set()
    for index, char in enumerate(text):
        if index + offset in matched:
            out.append("\\" + char)
        elif char in _SPECIALS:
            out.append(_SPECIALS[char])
        elif char in _LETTERS:
            out.append(_LETTERS[char])
        elif char in _GREEK:
            out.append(_GREEK[char])
        elif char == "-" and text[index + 1 : index + 2] == "-" and not in_name:
            out.append("-{}")  # "--" would print an en dash
        elif char.isascii():
            out.append(char)
        else:
            out.append(_accent(char) or char)  # non-Latin stays UTF-8
    return "".join(out)


def _needs_protection(word: str) -> bool:
    """Acronyms, mixed case and names a style would otherwise lower-case. Hyphenated words
    are judged by part: ``Vision-Language`` may be lower-cased, ``GPT-4V`` may not."""
    if "-" in word.strip("-"):
        return any(_needs_protection(part) for part in word.split("-"))
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return False
    inner_upper = any(c.isupper() for c in letters[1:])
    has_digit = any(c.isdigit() for c in word) and any(c.isupper() for c in letters)
    bare = word.strip(".,:;!?()[]\"'")
    return inner_upper or has_digit or bare in PROPER_NOUNS or bare.rstrip("s") in PROPER_NOUNS


def latex_title(text: str) -> str:
    """A title with acronyms and proper nouns brace-protected: ``{RemoteCLIP}: A …``."""
    text = printable(text)
    matched = _matched_braces(text)
    out: list[str] = []
    offset = 0
    for word in text.split(" "):
        escaped = latex_escape(word, matched=matched, offset=offset)
        out.append("{" + escaped + "}" if _needs_protection(word) else escaped)
        offset += len(word) + 1
    return " ".join(out)


_DECODE = (
    {v: k for k, v in _SPECIALS.items()}
    | {v: k for k, v in _LETTERS.items()}
    | {v: k for k, v in _GREEK.items()}
)
_ACCENT_CMDS = {v: k for k, v in _ACCENTS.items()}
_TOKEN = re.compile(
    r"\{\\text[a-z]+\}|\\[&%$#_{}]|\$\|\$"  # specials
    r"|\{\\(?:ss|o|O|ae|AE|oe|OE|l|L|i|aa|AA)\}"  # letters
    r"|\{\$\\[A-Za-z]+\$\}"  # Greek
    r"|\{\\([`'^~\"=.])([A-Za-z])\}|\{\\([rcvuHkd])\{([A-Za-z])\}\}"  # accents
    r"|[{}]"
)


def latex_decode(latex: str) -> str:
    """Inverse of :func:`latex_escape` / :func:`latex_title` (protection braces dropped)."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in _DECODE:
            return _DECODE[token]
        if token in {"\\{", "\\}"}:
            return token[1]
        if token in "{}":
            return ""
        command = match.group(1) or match.group(3)
        base = match.group(2) or match.group(4)
        if command and base:
            return unicodedata.normalize("NFC", base + _ACCENT_CMDS[command])
        raise ValueError(f"cannot decode {token!r}")

    return _TOKEN.sub(replace, latex)


def unsplittable(text: str) -> bool:
    """Letters LaTeX only has as UTF-8 (CJK, Cyrillic, Arabic, …): a style that abbreviates
    given names would cut one in half (BibTeX counts bytes), so such names stay whole."""
    return any(
        c.isalpha() and not c.isascii() and c not in _LETTERS and c not in _GREEK and not _accent(c)
        for c in text
    )

"""The .bib's second @preamble: what pdflatex prints for each CJK character of the file.

pdflatex has no font for Chinese, Japanese or Korean and stops on each such character
("Unicode character … not set up"). The .bib keeps CJK text as it is, for xelatex, lualatex,
biber and Zotero; its second @preamble declares each CJK character of the file for pdflatex.
"""

from __future__ import annotations

from collections.abc import Callable

from pipeline import translit

# Where the engine is pdfTeX with LaTeX's UTF-8 input and no CJK package is loaded, each CJK
# character of the file gets its transliteration (:mod:`pipeline.translit`) as LaTeX's own
# declarations do (``\u8:…``), unless the document declared it already: a Chinese title
# prints in pinyin, a syllable a word (``\bibcjksyl``; kana and hangul syllables joined into
# words, ``\bibcjkjoin``), capitalized at the start. A 1sp kern after each marks "a
# transliterated letter just ended": only there does the next one get a space and no capital.
# (The space factor would not do: biblatex keeps its punctuation state in it.) The commands
# are \protected, so that \MakeUppercase upper-cases their letters instead of expanding them.
CJK_GUARD = (
    r"\ifx\bibcjkdef\undefined\def\bibcjkdef#1#2{}"
    r"\ifx\XeTeXrevision\undefined\ifx\directlua\undefined\ifx\CJKfamily\undefined"
    r"\expandafter\ifx\csname UTFviii@three@octets\endcsname\relax\else"
    r"\def\bibcjkdef#1#2{\expandafter\ifx\csname u8:\detokenize{#1}\endcsname\relax"
    r"\expandafter\gdef\csname u8:\detokenize{#1}\endcsname{#2}\fi}\fi\fi\fi\fi"
    r"\protected\def\bibcjkafter#1#2{\ifhmode\ifdim\lastkern=1sp\unkern#1\else#2\fi"
    r"\else#2\fi}"
    r"\protected\def\bibcjkend{\ifhmode\kern1sp\relax\fi}"
    r"\protected\def\bibcjksyl#1#2{\bibcjkafter{\space#1}{\MakeUppercase{#1}}#2\bibcjkend}"
    r"\protected\def\bibcjkjoin#1#2{\bibcjkafter{#1}{\MakeUppercase{#1}}#2\bibcjkend}"
    r"\protected\def\bibcjkmark#1{\bibcjkafter{}{}#1\bibcjkend}"
    r"\protected\def\bibcjkopen#1{\bibcjkafter{\space}{}#1}\fi"
)
_CJK_MARKS = {
    "\u201c": r"\textquotedblleft{}",
    "\u201d": r"\textquotedblright{}",
    "\u2039": r"$\langle$",
    "\u203a": r"$\rangle$",
}
"""Marks :func:`pipeline.translit.punctuation` gives that are not ASCII, in LaTeX."""


def _declaration(char: str, escape: Callable[[str], str]) -> str:
    """``\\bibcjkdef{遥}{\\bibcjksyl{y}{ao}}``: what pdflatex prints for one CJK character."""
    kind = translit.script(char)
    if kind == "punct":
        mark = translit.punctuation(char)
        shown = _CJK_MARKS.get(mark) or escape(mark)
        command = "bibcjkopen" if mark in {"(", "[", "\u201c", "\u2039"} else "bibcjkmark"
        return f"\\bibcjkdef{{{char}}}{{\\{command}{{{shown}}}}}"
    sound = translit.syllable(char)
    command = "bibcjksyl" if kind == "han" else "bibcjkjoin"
    return f"\\bibcjkdef{{{char}}}{{\\{command}{{{sound[:1]}}}{{{sound[1:]}}}}}"


def cjk_preamble(text: str, escape: Callable[[str], str]) -> str:
    """The .bib's second @preamble: :data:`CJK_GUARD` and a declaration per CJK character of
    ``text`` (empty when it has none); ``escape`` makes an ASCII mark LaTeX."""
    chars = sorted({c for c in text if not c.isascii() and translit.script(c)})
    if not chars:
        return ""
    return CJK_GUARD + "".join(_declaration(c, escape) for c in chars)

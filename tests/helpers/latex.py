"""The LaTeX templates the user guide shows, and one compile of a .bib in one of them.

A template is a ```latex block of docs/user-guide.md's "Citing from LaTeX" section, preceded by
``<!-- template: NAME ENGINE BACKEND -->``. Its preamble lines and its bibliography lines
are put around ``\\nocite{*}``; nothing else is added, so what compiles here is what a user
of the guide compiles.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import REPO, require_tool

_BLOCK = re.compile(r"<!-- template: (\S+) (\S+) (\S+) -->\n```latex\n(.*?)```", re.DOTALL)
_BODY = ("\\bibliographystyle", "\\bibliography{", "\\printbibliography")
_UNSET = re.compile(r"^! LaTeX Error: Unicode character (.) \(U\+[0-9A-F]+\)$")


@dataclass(frozen=True)
class Template:
    name: str
    engine: str
    backend: str
    lines: tuple[str, ...]

    def document(self, extra_preamble: str = "", text: str = "") -> str:
        """The template around ``\\nocite{*}``; ``text`` goes before it (citations)."""
        preamble = [line for line in self.lines if not line.startswith(_BODY)]
        body = [line for line in self.lines if line.startswith(_BODY)]
        return "\n".join(
            [
                preamble[0],
                extra_preamble,
                *preamble[1:],
                "\\begin{document}",
                text,
                "\\nocite{*}",
                *body,
                "\\end{document}",
                "",
            ]
        )


def readme_templates() -> dict[str, Template]:
    text = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    return {
        name: Template(name, engine, backend, tuple(block.strip().splitlines()))
        for name, engine, backend, block in _BLOCK.findall(text)
    }


def no_pdflatex_font(char: str) -> bool:
    """The letters of scripts other than Latin, Greek and CJK: pdflatex has no font for them,
    and the user guide says which engines render them. CJK is not among them: the .bib's
    @preamble gives pdflatex a transliteration of every CJK character it holds."""
    name = unicodedata.name(char, "")
    return char.isalpha() and not cjk_script(char) and not name.startswith(("LATIN", "GREEK"))


def unset_cjk(error: str) -> bool:
    """A LaTeX error for a CJK character pdflatex has no declaration for."""
    m = _UNSET.match(error)
    return bool(m) and cjk_script(m.group(1))


def cjk_script(char: str) -> bool:
    """Chinese characters, kana, hangul, and CJK or fullwidth punctuation."""
    return is_cjk(char) or unicodedata.name(char, "").startswith(("HIRAGANA", "KATAKANA", "HANGUL"))


def is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "FULLWIDTH", "IDEOGRAPHIC"))


@dataclass
class Compiled:
    backend: subprocess.CompletedProcess[str]
    backend_log: str
    errors: list[str]  # LaTeX's "!" lines of the final pass
    log: str
    bbl: str
    work: Path

    @property
    def fatal_errors(self) -> list[str]:
        """Errors but pdflatex's missing glyphs of other scripts (:func:`no_pdflatex_font`)."""
        return [
            e for e in self.errors if not ((m := _UNSET.match(e)) and no_pdflatex_font(m.group(1)))
        ]


def _run(args: list[str], work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=work, capture_output=True, text=True, errors="replace", timeout=300, check=False
    )


def compile_bib(
    bib: Path, template: Template, work: Path, extra_preamble: str = "", text: str = ""
) -> Compiled:
    """LaTeX, the backend, and LaTeX twice more, as the user guide's build lines say; ``text``
    is typeset before the bibliography (citations in the text)."""
    engine = require_tool(template.engine)
    backend = require_tool(template.backend)
    work.mkdir(parents=True, exist_ok=True)
    (work / "papers.bib").write_bytes(bib.read_bytes())
    (work / "doc.tex").write_text(template.document(extra_preamble, text), encoding="utf-8")
    latex = [engine, "-interaction=nonstopmode", "doc.tex"]
    _run(latex, work)
    done = _run([backend, "doc"], work)
    _run(latex, work)
    _run(latex, work)
    log = _read(work / "doc.log")
    return Compiled(
        backend=done,
        backend_log=_read(work / "doc.blg"),  # bibtex and biber both write it
        errors=[line for line in log.splitlines() if line.startswith("!")],
        log=log,
        bbl=_read(work / "doc.bbl"),
        work=work,
    )


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""

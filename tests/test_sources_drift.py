"""`pipeline sources update`'s guard against the fake web: newer copies are taken, a copy
that is no list any more (cut short, an HTML page, unreadable) keeps the last copy and is
named with why, and build/sources-update.md names the works added and removed per list."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalog import SourceList, load_catalog
from pipeline.models import Entry, Link
from pipeline.scrape.drift import (
    MIN_SHARE,
    Copy,
    drift_reason,
    looks_like_html,
    md_work,
    read_copy,
    works_changed,
)
from tests.conftest import REPO, SHARED, RawWeb, require_shared
from tests.test_sources_update import (
    env_for,
    invoke,
    lists,
    serve_current,
    snapshot,
    upstream_path,
)

pytestmark = pytest.mark.network

CATALOG = load_catalog(REPO / "sources" / "sources.toml")
NEW_PAPER = (
    b"\n## Added upstream\n\n"
    b"- **GeoBrand-New: A Remote Sensing Model Nobody Had** [[Paper]](https://arxiv.org/abs/2509.00001)\n"
    b"- **Another Fresh Benchmark for Captions** [[Paper]](https://arxiv.org/abs/2509.00002)\n"
)


@pytest.fixture
def project(project: Path) -> Path:
    (project / "pipeline.toml").write_text("[resolve]\nbackoff_seconds = 0.01\n", encoding="utf-8")
    return project


def first_lines(data: bytes, count: int) -> bytes:
    return b"\n".join(data.split(b"\n")[:count]) + b"\n"


@pytest.mark.parametrize("item", CATALOG, ids=[i.id for i in CATALOG])
def test_each_list_cut_to_its_first_dozen_lines_is_drift(item: SourceList) -> None:
    data = (REPO / "sources" / item.file).read_bytes()
    old, cut = read_copy(data, item), read_copy(first_lines(data, 12), item)
    assert len(old.entries) >= 10 and len(cut.entries) <= 3  # the README's figures
    why = drift_reason(old, cut)
    assert why is not None and f"against {len(old.entries)}" in why


def test_threshold_is_half() -> None:
    item = SourceList(id="t", file="t.md")
    entries = [
        f"- **Paper number {n} on things** [[Paper]](https://arxiv.org/abs/2401.{n:05d})"
        for n in range(20)
    ]
    old = read_copy("\n".join(entries).encode(), item)
    assert len(old.entries) == 20 and MIN_SHARE == 0.5
    assert drift_reason(old, read_copy("\n".join(entries[:10]).encode(), item)) is None
    assert drift_reason(old, read_copy("\n".join(entries[:9]).encode(), item)) is not None
    # a list that had nothing readable can only grow
    assert drift_reason(Copy(), read_copy(b"# Empty\n", item)) is None


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>", "HTML page"),
        (b"  <html lang=en><head></head>", "HTML page"),
        (b"# List\x00\x00\x01\x02", "binary"),
        (b"\xff\xfe\xfa\n" * 20, "not UTF-8"),
    ],
)
def test_what_is_no_list(data: bytes, why: str) -> None:
    item = SourceList(id="t", file="t.md")
    old = read_copy(b"- **A Paper on Things** [[Paper]](https://arxiv.org/abs/2401.00001)\n", item)
    reason = drift_reason(old, read_copy(data, item))
    assert reason is not None and why in reason


def test_markdown_opening_with_html_tags_is_a_list() -> None:
    # Many awesome lists open with a centred logo; that is markdown, not an HTML page.
    assert not looks_like_html(b'<p align="center"><img src="logo.png"></p>\n\n# Awesome\n')
    assert not looks_like_html(b"<div align=center>\n\n# Awesome X\n</div>\n")
    assert looks_like_html(b"\n\n<!doctype html><title>429</title>")


def test_works_added_and_removed_match_by_id_or_title() -> None:
    item = SourceList(id="t", file="t.md")
    old = read_copy(
        b"- **Old Paper Kept** [[Paper]](https://arxiv.org/abs/2401.00001)\n"
        b"- **Paper Dropped Upstream** [[Paper]](https://arxiv.org/abs/2401.00002)\n",
        item,
    )
    new = read_copy(
        b"- **Old Paper Kept (retitled)** [[Paper]](https://arxiv.org/abs/2401.00001v2)\n"
        b"- **Brand New Work** [[Paper]](https://arxiv.org/abs/2402.00003)\n"
        b"- **Brand New Work** [[Code]](https://github.com/o/r)\n",
        item,
    )
    added, removed = works_changed(old, new)
    assert [e.title for e in added] == ["Brand New Work"]
    assert [e.title for e in removed] == ["Paper Dropped Upstream"]
    assert md_work(added[0]) == "[Brand New Work](https://arxiv.org/abs/2402.00003)"


def test_titles_cannot_inject_markdown() -> None:
    entry = Entry(
        source="t",
        file="t.md",
        line=1,
        section=[],
        kind="paper",
        title="Evil](https://evil.example) <img src=x onerror=alert(1)> *bold*",
        links=[Link("https://arxiv.org/abs/2401.00001) [x](https://evil.example", "paper")],
    )
    text = md_work(entry)
    assert text.count("](") == 1 and "<img" not in text
    assert text.endswith("(https://arxiv.org/abs/2401.00001%29%20[x]%28https://evil.example)")


def test_newer_copies_taken_and_a_cut_list_kept(rawweb: RawWeb, project: Path) -> None:
    served = serve_current(rawweb, project)
    items = {item["id"]: item for item in lists(project)}
    grown, cut = items["rs-mllm"], items["rs-vlm"]
    rawweb.data["raw"][upstream_path(grown["raw_url"])] = served[grown["file"]] + NEW_PAPER
    rawweb.data["raw"][upstream_path(cut["raw_url"])] = first_lines(served[cut["file"]], 12)
    before = snapshot(project)

    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    assert "rs-mllm: rs-mllm.md +5 -0 lines; entries 82 → 84, works +2 -0" in output
    assert "rs-vlm: drifted, kept at its last copy: yields 0 entries against 95" in output
    assert "sources: 1 of 5 lists changed, 1 drifted (kept: rs-vlm)" in output
    after = snapshot(project)
    assert after[grown["file"]][0] == served[grown["file"]] + NEW_PAPER
    assert after[cut["file"]] == before[cut["file"]], "the drifted list was rewritten"

    body = (project / "build" / "sources-update.md").read_text(encoding="utf-8")
    assert "### rs-mllm: 2 added, 0 removed" in body
    assert (
        "- added: [GeoBrand-New: A Remote Sensing Model Nobody Had]"
        "(https://arxiv.org/abs/2509.00001)" in body
    )
    assert "### rs-vlm: drifted, kept at its last copy" in body
    assert "yields 0 entries against 95 in the last copy" in body


def test_an_html_page_is_drift_and_the_others_are_taken(rawweb: RawWeb, project: Path) -> None:
    served = serve_current(rawweb, project)
    items = lists(project)
    page, other = items[0], items[1]
    rawweb.data["raw"][upstream_path(page["raw_url"])] = b"<!DOCTYPE html><html>login</html>"
    rawweb.data["raw"][upstream_path(other["raw_url"])] = served[other["file"]] + NEW_PAPER
    code, output = invoke(project, env_for(rawweb.url), "--strict")
    assert code == 1, output  # --strict: a drifted list is a problem to look at
    assert f"{page['id']}: drifted, kept at its last copy: an HTML page" in output
    assert (project / "sources" / page["file"]).read_bytes() == served[page["file"]]
    assert (project / "sources" / other["file"]).read_bytes().endswith(NEW_PAPER)


def test_works_removed_upstream_are_named(rawweb: RawWeb, project: Path) -> None:
    served = serve_current(rawweb, project)
    item = next(i for i in lists(project) if i["id"] == "rs-cross-modal-retrieval")
    lines = served[item["file"]].split(b"\n")
    old = read_copy(served[item["file"]], SourceList(id=item["id"], file=item["file"]))
    # drop the line of the last entry: one work fewer, far from drift
    last = old.entries[-1]
    del lines[last.line - 1]
    rawweb.data["raw"][upstream_path(item["raw_url"])] = b"\n".join(lines)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    assert f"entries {len(old.entries)} → {len(old.entries) - 1}, works +0 -1" in output
    body = (project / "build" / "sources-update.md").read_text(encoding="utf-8")
    assert f"- removed: {md_work(last)}" in body


def test_nothing_changed_says_so(rawweb: RawWeb, project: Path) -> None:
    serve_current(rawweb, project)
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    body = (project / "build" / "sources-update.md").read_text(encoding="utf-8")
    assert "No list changed upstream." in body


def test_real_newer_copies_are_taken(rawweb: RawWeb, project: Path) -> None:
    """Two real later versions of two of the lists (../shared/lists/) pass the guard."""
    served = serve_current(rawweb, project)
    newer = {
        "rs-image-text-retrieval": "jaychempan__Awesome-RSITR__README.md",
        "rs-vlm": "lzw-lzw__awesome-remote-sensing-vision-language-models__README-at-e3b6c43.md",
    }
    items = {item["id"]: item for item in lists(project)}
    for list_id, name in newer.items():
        data = require_shared(SHARED / "lists" / name).read_bytes()
        rawweb.data["raw"][upstream_path(items[list_id]["raw_url"])] = data
    code, output = invoke(project, env_for(rawweb.url))
    assert code == 0, output
    assert "drifted" not in output
    # entries before → after, and works added/removed, as measured on these copies
    assert "entries 21 → 43, works +21 -0" in output
    assert "entries 95 → 90, works +0 -7" in output
    assert "sources: 2 of 5 lists changed" in output
    for list_id, name in newer.items():
        got = (project / "sources" / items[list_id]["file"]).read_bytes()
        assert got == (SHARED / "lists" / name).read_bytes() != served[items[list_id]["file"]]

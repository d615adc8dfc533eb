"""The pieces of the fixes (issue 15): whole-URL replacement, the mojibake repair, which link
results make a fix, and unified diffs of line replacements read back byte for byte."""

from __future__ import annotations

import pytest

from pipeline.emit.fixes import repair_line, replace_url, url_fix
from pipeline.emit.patch import apply_patch, make_patch, read_hunks, split_lines
from pipeline.errors import InputError
from pipeline.models import LinkResult, LinkStatus, RepoFacts
from pipeline.text import fix_text


def test_only_whole_urls_are_replaced() -> None:
    line = "[a](https://x.org/p) [b](https://x.org/p/deeper) <https://x.org/p> https://x.org/px"
    assert replace_url(line, "https://x.org/p", "https://y.org/p") == (
        "[a](https://y.org/p) [b](https://x.org/p/deeper) <https://y.org/p> https://x.org/px"
    )
    assert replace_url("see https://x.org/p/deeper", "https://x.org/p", "N") is None


def test_mojibake_runs_are_repaired_and_the_rest_kept() -> None:
    text = "- **Imageâ€“Text**\t  trailing  "
    repaired, runs = repair_line(text)
    assert repaired == "- **Image–Text**\t  trailing  "
    assert runs == [("â€“", "–")]
    assert fix_text(repaired) == fix_text(text)


def test_bytes_that_are_no_utf8_are_left_alone() -> None:
    text = b"- caf\xe9 \xc3\xa2\xe2\x82\xac\xe2\x80\x9c".decode("utf-8", "surrogateescape")
    repaired, runs = repair_line(text)
    assert repaired.encode("utf-8", "surrogateescape") == "- caf\udce9 –".encode(
        "utf-8", "surrogateescape"
    )
    assert runs == [("â€\u201c", "–")]  # the mojibake beside it is still repaired (an en dash)


@pytest.mark.parametrize("text", ["遥感图像描述", "Müller and Ørsted", "plain ascii", "🔥 emoji"])
def test_correct_text_is_left_alone(text: str) -> None:
    assert repair_line(text) == (text, [])


def link(status: LinkStatus, url: str, final: str | None = None) -> LinkResult:
    return LinkResult(url=url, status=status, final_url=final)


@pytest.mark.parametrize(
    "status",
    [
        LinkStatus.BLOCKED,
        LinkStatus.TIMEOUT,
        LinkStatus.FAILING,
        LinkStatus.DEAD,
        LinkStatus.PARKED,
        LinkStatus.ERROR,
        LinkStatus.UNCHECKED,
    ],
)
def test_no_fix_for_links_that_are_not_good(status: LinkStatus) -> None:
    assert url_fix(link(status, "https://a.org/p", "https://b.org/p"), {}, {}) is None


def test_a_move_onto_a_page_checked_bad_is_no_fix() -> None:
    moved = link(LinkStatus.MOVED, "https://a.org/p", "https://b.org/p")
    assert url_fix(moved, {}, {}) == ("moved", "https://b.org/p")
    dead = {"https://b.org/p": link(LinkStatus.DEAD, "https://b.org/p")}
    assert url_fix(moved, {}, dead) is None


def test_a_deep_link_moved_to_the_front_page_is_no_fix() -> None:
    home = link(LinkStatus.MOVED, "https://a.org/papers/x.pdf", "https://a.org/")
    assert url_fix(home, {}, {}) is None
    site_moved = link(LinkStatus.MOVED, "https://a.org/", "https://b.org/")
    assert url_fix(site_moved, {}, {}) == ("moved", "https://b.org/")


def test_a_temporary_redirect_is_no_fix_unless_only_to_https() -> None:
    assert (
        url_fix(link(LinkStatus.REDIRECTED, "https://a.org/p", "https://b.org/q"), {}, {}) is None
    )
    to_https = link(LinkStatus.REDIRECTED, "http://a.org/p", "https://a.org/p")
    assert url_fix(to_https, {}, {}) == ("https", "https://a.org/p")


def test_a_move_keeps_the_fragment_and_a_rename_keeps_path_query_and_anchor() -> None:
    moved = link(LinkStatus.MOVED, "https://a.org/p#sec-2", "https://b.org/p")
    assert url_fix(moved, {}, {}) == ("moved", "https://b.org/p#sec-2")
    repos = {"old/name": RepoFacts("old/name", canonical="New/Name", status=LinkStatus.MOVED)}
    deep = link(LinkStatus.OK, "http://www.github.com/Old/Name/blob/main/x.md?tab=readme#top")
    assert url_fix(deep, repos, {}) == (
        "renamed",
        "https://github.com/New/Name/blob/main/x.md?tab=readme#top",
    )
    gone = {"old/name": RepoFacts("old/name", canonical="New/Name", status=LinkStatus.DEAD)}
    assert url_fix(deep, gone, {}) is None


def test_hunks_merge_and_a_last_line_without_newline_is_marked() -> None:
    data = b"".join(f"line {i}\n".encode() for i in range(1, 12)) + b"last"
    lines = split_lines(data)
    patch = make_patch(("a/f", "b/f"), lines, {1: b"LINE 2\n", 5: b"LINE 6\n", 11: b"LAST"})
    assert patch.count(b"\n@@ ") + patch.startswith(b"@@") == 1  # context overlaps: one hunk
    assert patch.endswith(
        b"-last\n\\ No newline at end of file\n+LAST\n\\ No newline at end of file\n"
    )
    after = apply_patch(data, patch, "p")
    assert (
        after
        == data.replace(b"line 2\n", b"LINE 2\n").replace(b"line 6\n", b"LINE 6\n")[:-4] + b"LAST"
    )
    assert [h.start for h in read_hunks(patch, "p")] == [1]


def test_a_patch_that_does_not_fit_raises_and_says_where() -> None:
    lines = split_lines(b"a\nb\nc\n")
    patch = make_patch(("a/f", "b/f"), lines, {1: b"B\n"})
    with pytest.raises(InputError, match="line 1"):
        apply_patch(b"a\nx\nc\n", patch, "p")

"""Ready patches for the lists (issue 15), made against the fake web end to end.

Two small lists hold one line per case: every fix kind (a move, a renamed repository linked
with a path and an anchor, http→https, a wrong paper link from the identity findings, a mojibake
line) and every exclusion (blocked, timeout, failing, a move whose target is dead, a parked
domain). One list is LF with tabs and trailing spaces, the other CRLF without a final
newline. The stages run for real (scrape, resolve offline, check against the fake web,
emit); the patches are checked byte for byte, with ``git apply --check`` and ``patch``, and a
re-scrape of the patched lists gives the same works with the fixed links.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.check import run_check
from pipeline.cli import cli
from pipeline.config import Settings
from pipeline.emit import run_emit
from pipeline.emit.fixfiles import run_fix
from pipeline.emit.patch import apply_patch
from pipeline.errors import InputError
from pipeline.resolve import run_resolve
from pipeline.scrape import run_scrape
from pipeline.scrape.lists import load_catalog
from tests.conftest import require_tool
from tests.fakeweb import FakeWeb
from tests.fakeweb.github import add_repo, rename
from tests.fakeweb.sites import site
from tests.helpers.check import fake_settings

pytestmark = pytest.mark.network

LF_LINES = [
    "# Fix me\n",
    "\n",
    "## Papers\n",
    "- **Moved Paper**\t[[paper]](https://old.example/paper) [[code]](https://github.com/gamma/OldName/tree/main/src#usage)\n",
    "- **Insecure Paper** [[paper]](http://secure.example/p)  \n",
    "- **Wrong Link Paper** [[paper]](https://papers.example/wrong)\n",
    "- **Remote Sensing Imageâ€“Text Retrieval** [[paper]](https://ok.example/x)   \n",
    "- **Blocked Paper** [[paper]](https://blocked.example/p)\n",
    "- **Slow Paper** [[paper]](https://slow.example/p)\n",
    "- **Gone Paper** [[paper]](https://gone.example/p)\n",
    "- **Dead Target Paper** [[paper]](https://old2.example/p)\n",
    "- **Lapsed Dataset** [[data]](https://lapsed.example/rsicd)\n",
    "- **Sale Page Dataset** [[data]](https://for-sale.example/)\n",
    "\n",
    "Tail text\twith a tab  \n",
]
CRLF = (
    b"# CRLF list\r\n"
    b"\r\n"
    b"- **Crlf Moved Paper**\t[[paper]](https://old.example/crlf)   \r\n"
    b"- **Crlf Fine Paper** [[code]](https://ok.example/y)\r\n"
    b"- **Crlf Insecure Paper** [[paper]](http://secure.example/last)"
)
TOML = """[[list]]
id = "fixme"
file = "fixme.md"
title = "Fix me"
repo = "someone/fixme"
raw_url = "https://raw.githubusercontent.com/someone/fixme/HEAD/README.md"

[[list]]
id = "crlf"
file = "crlf.md"
"""
FOR_SALE = "<html><head><title>for-sale.example</title></head><body>Buy this domain</body></html>"
REVIEW = {
    "findings": [
        {
            "kind": "wrong-paper-link",
            "source": "fixme",
            "file": "sources/fixme.md",
            "line": 6,
            "work_id": "title:x",
            "list_says": {"title": "Wrong Link Paper"},
            "registry_says": {"title": "Another Paper"},
            "fix": {"old": "https://papers.example/wrong", "new": "https://papers.example/right"},
            "message": "the link names another paper",
        },
        {  # no confident fix: only the finding, no change
            "kind": "wrong-paper-link",
            "source": "fixme",
            "file": "sources/fixme.md",
            "line": 7,
            "work_id": "title:y",
            "list_says": {},
            "registry_says": {},
            "fix": None,
            "message": "unsure",
        },
    ]
}


def make_web(web: FakeWeb) -> None:
    """The sites behind every line of the two lists."""
    site(web, "old.example", "/paper", status=301, location="https://new.example/paper")
    site(web, "old.example", "/crlf", status=308, location="https://new.example/crlf")
    add_repo(web, "NewOwner/NewName", stars=5)
    rename(web, "gamma/oldname", "NewOwner/NewName")
    site(
        web,
        "github.com",
        "/gamma/OldName/tree/main/src",
        status=301,
        location="https://github.com/NewOwner/NewName/tree/main/src",
    )
    # the http site (reached through the remap rule of `settings`) redirects to https
    site(web, "http.secure.example", status=301, location="https://secure.example/p")
    site(web, "http.secure.example", "/last", status=301, location="https://secure.example/last")
    site(web, "blocked.example", status=403)
    site(web, "slow.example", delay=3.0)
    site(web, "gone.example", status=404)
    site(web, "old2.example", "/p", status=301, location="https://new2.example/gone")
    site(web, "new2.example", "/gone", status=404)
    site(web, "lapsed.example", status=302, location="https://sedo.com/search/details/?x=1")
    site(web, "for-sale.example", body=FOR_SALE)


def make_project(root: Path, review: dict[str, Any] | None = REVIEW) -> None:
    """The two lists; ``review``: identity findings as resolve hands them to emit (resolve
    runs offline here, so it finds none itself)."""
    (root / "sources").mkdir(parents=True)
    (root / "sources" / "sources.toml").write_text(TOML, encoding="utf-8")
    (root / "sources" / "fixme.md").write_bytes("".join(LF_LINES).encode("utf-8"))
    (root / "sources" / "crlf.md").write_bytes(CRLF)
    if review is not None:
        (root / "findings.json").write_text(json.dumps(review["findings"]), encoding="utf-8")


def settings_for(web: FakeWeb, root: Path) -> Settings:
    settings = fake_settings(
        web, root, parking_look=True, timeout_seconds=0.5, retry_budget_seconds=1.5
    )
    http_site = (r"^http://secure\.example/(.*)$", r"https://http.secure.example/\1")
    return dataclasses.replace(settings, remap=(http_site, *settings.remap))


def refresh(settings: Settings) -> None:
    run_scrape(settings, None)
    run_resolve(dataclasses.replace(settings, offline=True))
    given = settings.root / "findings.json"
    if given.exists():  # resolve's build/findings.json, as if it had found these
        shutil.copy(given, settings.build_dir / "findings.json")
    checked = run_check(settings)
    if not settings.offline:  # --strict counts parked links as problems, as dead ones
        assert checked.problems == checked.counts["parked"] == 2
    run_emit(settings)


@pytest.fixture
def fixed(fakeweb: FakeWeb, tmp_path: Path) -> Settings:
    make_web(fakeweb)
    root = tmp_path / "project"
    make_project(root)
    settings = settings_for(fakeweb, root)
    refresh(settings)
    return settings


def statuses(settings: Settings) -> dict[str, str]:
    data = json.loads((settings.output_dir / "links.json").read_text(encoding="utf-8"))
    return {link["url"]: link["status"] for link in data["links"]}


def changed_lines(before: bytes, after: bytes) -> dict[int, tuple[bytes, bytes]]:
    old, new = before.split(b"\n"), after.split(b"\n")
    assert len(old) == len(new)
    return {i + 1: (a, b) for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}


def test_the_fake_web_gives_each_line_its_status(fixed: Settings) -> None:
    got = statuses(fixed)
    assert got["https://old.example/paper"] == "moved"
    assert got["http://secure.example/p"] == "moved"
    assert got["https://blocked.example/p"] == "blocked"
    assert got["https://slow.example/p"] == "timeout"
    assert got["https://gone.example/p"] == "failing"
    assert got["https://old2.example/p"] == "failing"  # moved, but onto a 404
    assert got["https://lapsed.example/rsicd"] == "parked"
    assert got["https://for-sale.example/"] == "parked"


def test_the_patch_changes_exactly_the_wrong_spans(fixed: Settings) -> None:
    source = fixed.root / "sources" / "fixme.md"
    patch = (fixed.output_dir / "fixes" / "fixme.patch").read_bytes()
    after = apply_patch(source.read_bytes(), patch, "fixme.patch")
    lines = changed_lines(source.read_bytes(), after)
    assert sorted(lines) == [4, 5, 6, 7]  # nothing for blocked, timeout, failing, parked
    assert lines[4][1] == (
        b"- **Moved Paper**\t[[paper]](https://new.example/paper) "
        b"[[code]](https://github.com/NewOwner/NewName/tree/main/src#usage)"
    )
    assert lines[5][1] == b"- **Insecure Paper** [[paper]](https://secure.example/p)  "
    assert lines[6][1] == b"- **Wrong Link Paper** [[paper]](https://papers.example/right)"
    assert lines[7][1] == (
        "- **Remote Sensing Image–Text Retrieval** [[paper]](https://ok.example/x)   ".encode()
    )
    head = patch.split(b"\n--- ", 1)[0].decode("utf-8")
    for reason in [
        "sources/fixme.md:4: moved → https://new.example/paper (was https://old.example/paper)",
        "sources/fixme.md:4: renamed → https://github.com/NewOwner/NewName/tree/main/src#usage",
        "sources/fixme.md:5: https → https://secure.example/p (was http://secure.example/p)",
        "sources/fixme.md:6: wrong-paper-link → https://papers.example/right",
        "sources/fixme.md:7: mojibake → – (was â€“)",
    ]:
        assert reason in head


def test_crlf_list_is_kept_byte_for_byte_outside_the_fixes(fixed: Settings) -> None:
    patch = (fixed.output_dir / "fixes" / "crlf.patch").read_bytes()
    after = apply_patch(CRLF, patch, "crlf.patch")
    assert after == CRLF.replace(b"https://old.example/crlf", b"https://new.example/crlf").replace(
        b"http://secure.example/last", b"https://secure.example/last"
    )
    assert b"\\ No newline at end of file\n" in patch
    assert not (fixed.output_dir / "fixes" / "crlf.upstream.patch").exists()  # no raw_url


def clean_copy(tmp: Path, name: str, data: bytes) -> Path:
    """A fresh git repository holding one file: what a clone of the list's repository is."""
    require_tool("git")
    tmp.mkdir()
    (tmp / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp / name).write_bytes(data)
    subprocess.run(["git", "init", "-q"], cwd=tmp, check=True)
    return tmp


@pytest.mark.parametrize("form", ["patch", "upstream.patch"])
def test_git_apply_accepts_the_patch_in_a_clean_copy(
    fixed: Settings, tmp_path: Path, form: str
) -> None:
    for list_id, name in [("fixme", "fixme.md"), ("crlf", "crlf.md")]:
        patch = fixed.output_dir / "fixes" / f"{list_id}.{form}"
        if form == "upstream.patch" and list_id == "crlf":
            continue
        data = (fixed.root / "sources" / name).read_bytes()
        path = "README.md" if form == "upstream.patch" else f"sources/{name}"
        copy = clean_copy(tmp_path / f"{list_id}-{form}", path, data)
        check = subprocess.run(
            ["git", "apply", "--check", str(patch)], cwd=copy, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stderr
        subprocess.run(["git", "apply", str(patch)], cwd=copy, check=True, capture_output=True)
        assert (copy / path).read_bytes() == apply_patch(data, patch.read_bytes(), "p")


def test_patch_p1_accepts_the_upstream_form(fixed: Settings, tmp_path: Path) -> None:
    require_tool("patch")
    data = (fixed.root / "sources" / "fixme.md").read_bytes()
    copy = clean_copy(tmp_path / "upstream", "README.md", data)
    patch = fixed.output_dir / "fixes" / "fixme.upstream.patch"
    with patch.open("rb") as stdin:
        subprocess.run(["patch", "-p1", "--quiet"], cwd=copy, stdin=stdin, check=True)
    assert (copy / "README.md").read_bytes() == apply_patch(data, patch.read_bytes(), "p")


def works(settings: Settings) -> dict[str, dict[str, Any]]:
    data = json.loads((settings.build_dir / "works.json").read_text(encoding="utf-8"))
    return {w["id"]: w for w in data}


def test_after_applying_a_rescrape_gives_the_same_works_with_the_fixed_links(
    fixed: Settings,
) -> None:
    before = works(fixed)
    run = run_fix(fixed, load_catalog(fixed.sources_toml), (), apply=True)
    assert run.report.counts == {"applied": 2}
    assert not (fixed.output_dir / "fixes" / "fixme.patch").exists()  # applied, so removed
    run_scrape(fixed, None)
    after = works(fixed)
    assert set(after) == set(before)
    assert {w["title"] for w in after.values()} == {w["title"] for w in before.values()}
    renamed = {
        "https://old.example/paper": "https://new.example/paper",
        "https://github.com/gamma/OldName/tree/main/src#usage": (
            "https://github.com/NewOwner/NewName/tree/main/src#usage"
        ),
        "http://secure.example/p": "https://secure.example/p",
        "https://papers.example/wrong": "https://papers.example/right",
        "https://old.example/crlf": "https://new.example/crlf",
        "http://secure.example/last": "https://secure.example/last",
    }
    for wid, work in before.items():
        expected = [renamed.get(link["url"], link["url"]) for link in work["links"]]
        assert [link["url"] for link in after[wid]["links"]] == expected
    # emitted again, nothing is left to fix
    run_emit(fixed)
    assert not (fixed.output_dir / "fixes").exists()


def test_emit_again_is_byte_identical_and_a_stale_patch_goes(fixed: Settings) -> None:
    folder = fixed.output_dir / "fixes"
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}
    assert set(before) == {"fixme.patch", "fixme.upstream.patch", "crlf.patch"}
    run_emit(fixed)
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()} == before
    (folder / "gone.patch").write_bytes(b"stale")
    crlf = fixed.root / "sources" / "crlf.md"
    crlf.write_bytes(apply_patch(CRLF, (folder / "crlf.patch").read_bytes(), "p"))
    run_scrape(fixed, None)
    run_emit(fixed)
    assert sorted(p.name for p in folder.iterdir()) == ["fixme.patch", "fixme.upstream.patch"]


def test_the_link_report_links_the_patches_and_lists_parked_domains(fixed: Settings) -> None:
    report = (fixed.output_dir / "link-report.md").read_text(encoding="utf-8")
    assert "[5 fixes](fixes/fixme.patch)" in report
    assert "[2 fixes](fixes/crlf.patch)" in report
    assert "(fixes/fixme.upstream.patch)" in report
    parked = report.split("### Parked domains", 1)[1].split("###", 1)[0]
    assert "(https://lapsed.example/rsicd)" in parked and "(https://for-sale.example/)" in parked
    readme = (fixed.output_dir / "README.md").read_text(encoding="utf-8")
    assert readme.count("(domain parked or for sale)") == 4 and "**2** parked" in readme


def test_pipeline_fix_prints_reasons_and_the_patch(fixed: Settings) -> None:
    result = CliRunner().invoke(cli, ["fix", "--root", str(fixed.root), "fixme"])
    assert result.exit_code == 0, result.output
    patch = (fixed.output_dir / "fixes" / "fixme.patch").read_bytes()
    assert result.stdout_bytes == patch
    assert "sources/fixme.md:5: https → https://secure.example/p" in result.stderr
    unknown = CliRunner().invoke(cli, ["fix", "--root", str(fixed.root), "nope"])
    assert unknown.exit_code == 2 and "no such list: nope" in unknown.stderr


def test_a_patch_that_no_longer_fits_changes_nothing(fixed: Settings) -> None:
    source = fixed.root / "sources" / "fixme.md"
    edited = source.read_bytes().replace(b"Moved Paper", b"Edited Paper")
    source.write_bytes(edited)
    with pytest.raises(InputError, match="does not apply at line"):
        run_fix(fixed, load_catalog(fixed.sources_toml), ("fixme",), apply=True)
    assert source.read_bytes() == edited


def test_without_review_json_the_wrong_link_stays(fakeweb: FakeWeb, tmp_path: Path) -> None:
    make_web(fakeweb)
    root = tmp_path / "project"
    make_project(root, review=None)
    settings = settings_for(fakeweb, root)
    refresh(settings)
    patch = (root / "output" / "fixes" / "fixme.patch").read_bytes()
    assert b"papers.example/right" not in patch
    assert b"https://new.example/paper" in patch


def test_offline_the_committed_state_makes_the_same_patches(fixed: Settings) -> None:
    # Offline nothing is checked: the link results are the last known ones, so the patches
    # are the same bytes (a patch is a function of the lists and what is known of them).
    folder = fixed.output_dir / "fixes"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    shutil.rmtree(fixed.build_dir)
    offline = dataclasses.replace(fixed, offline=True)
    refresh(offline)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before

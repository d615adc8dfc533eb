"""Issue 24's numbers in emit: first-seen dates, the star history and its deltas, "new this
week" and "rising", silent and archived repositories, citation counts carried through, and
one run date as the only clock (the same inputs and run date give the same bytes)."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.emit.history import KEEP, StarHistory, record_stars
from pipeline.emit.keys import KeyMap
from pipeline.emit.records import silent
from pipeline.errors import UsageError
from pipeline.models import LinkReport, RepoFacts
from tests.helpers.emit import fixture, make_project
from tests.helpers.numbers import emit_on, links_with, new_work, read, text, with_works

D1, D2, D3 = "2026-01-05", "2026-01-12", "2026-01-19"


def first_seen(root: Path) -> dict[str, str]:
    return {k: v.get("first_seen", "") for k, v in read(root, "keys.json")["keys"].items()}


def test_first_seen_is_recorded_without_changing_a_key(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit_on(root, D1)
    keys = read(root, "keys.json")["keys"]
    assert set(first_seen(root).values()) == {D1}
    # keys.json as it was before dates were recorded: the same keys, dated by this run
    for value in keys.values():
        del value["first_seen"]
    (root / "output" / "keys.json").write_text(json.dumps({"keys": keys}), encoding="utf-8")
    emit_on(root, D2)
    after = read(root, "keys.json")["keys"]
    assert {k: {f: v for f, v in x.items() if f != "first_seen"} for k, x in after.items()} == keys
    assert set(first_seen(root).values()) == {D2}
    assert {p["custom"]["first_seen"] for p in read(root, "papers.json")} == {D2}
    # a work listed a week later is dated by that run; the others keep their day
    with_works(root, new_work(1))
    emit_on(root, D3)
    dates = first_seen(root)
    (added,) = [k for k, d in dates.items() if d == D3]
    assert added.startswith("zhang2024added") and set(dates.values()) == {D2, D3}
    papers = {p["id"]: p for p in read(root, "papers.json")}
    assert papers[added]["custom"]["first_seen"] == D3


def test_a_replaced_key_and_an_alias_keep_their_works_first_day() -> None:
    keymap = KeyMap()
    keymap.entries = {"anon2017can": set(), "zhang2017can": set(), "alias2020x": set()}
    keymap.first_seen = {"anon2017can": D1, "alias2020x": "2025-06-02"}
    keymap.replaced = {"anon2017can": "zhang2017can"}
    keymap.stamp(D3)
    assert keymap.first_seen["zhang2017can"] == D1  # not new: its provisional key was seen
    keymap.entries["new2026y"] = set()
    keymap.stamp(D3)
    assert keymap.first_seen["new2026y"] == D3
    assert keymap.first_seen_of("new2026y", ["alias2020x"]) == "2025-06-02"
    assert keymap.baseline() == "2025-06-02"
    assert KeyMap.from_json(keymap.to_json()).first_seen == keymap.first_seen


def test_new_this_week_lists_the_works_added_and_not_the_baseline(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit_on(root, D1)
    assert "## New this week" not in text(root, "README.md")  # all there before dates
    with_works(root, new_work(1), new_work(2))
    emit_on(root, D2)
    readme = text(root, "README.md")
    section = readme.split("## New this week", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    assert len(lines) == 2 and all("Added work" in line for line in lines)
    assert f"2 work(s) first seen in the 7 days to {D2}" in section
    assert "[feed.xml](feed.xml)" in readme
    emit_on(root, "2026-01-18")  # six days on: still this week's
    assert "## New this week" in text(root, "README.md")
    emit_on(root, D3)  # a week on: no longer new
    assert "## New this week" not in text(root, "README.md")


def test_star_changes_survive_a_rewritten_links_json(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit_on(root, D1)
    history = read(root, "stars.json")["repos"]
    assert history["chendelong1999/remoteclip"] == [[D1, 1234]]
    assert "lavender105/rsgpt" not in history  # no count known
    # no history yet: check's change against the last links.json stands
    assert "**+12** ⭐ · [RemoteCLIP" in text(root, "README.md")
    make_project(root, links=links_with(chendelong1999__remoteclip=(1300, 66)))
    emit_on(root, D2)
    readme = text(root, "README.md")
    assert "**+66** ⭐ · [RemoteCLIP" in readme and "⭐ 1,300 (+66)" in readme
    first = {p.name: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    # A second check the same week rewrote links.json: against it, no change. The history
    # still knows the count before this run date.
    make_project(root, links=links_with(chendelong1999__remoteclip=(1300, 0)))
    emit_on(root, D2)
    readme = text(root, "README.md")
    assert "**+66** ⭐ · [RemoteCLIP" in readme and "⭐ 1,300 (+66)" in readme
    assert read(root, "stars.json")["repos"]["chendelong1999/remoteclip"] == [
        [D1, 1234],
        [D2, 1300],
    ]
    again = {p.name: p.read_bytes() for p in (root / "output").rglob("*") if p.is_file()}
    assert {k: v for k, v in again.items() if k != "links.json"} == {
        k: v for k, v in first.items() if k != "links.json"
    }
    # a week later, the same count: no change, nothing added to the history
    emit_on(root, D3)
    assert "[RemoteCLIP" not in text(root, "README.md").split("## Rising", 1)[-1].split("##")[0]
    assert len(read(root, "stars.json")["repos"]["chendelong1999/remoteclip"]) == 2


def test_the_star_history_is_bounded() -> None:
    history = StarHistory()
    for week in range(3 * KEEP):
        day = date.fromordinal(date(2026, 1, 5).toordinal() + 7 * week)
        report = LinkReport(repos=[RepoFacts(repo="A/B", stars=100 + week), RepoFacts(repo="c/d")])
        history = record_stars(report, history, day)
        assert report.repos[0].stars_delta == (1 if week else None)
    assert len(history.repos["a/b"]) == KEEP and "c/d" not in history.repos
    assert history.repos["a/b"][-1][1] == 100 + 3 * KEEP - 1
    # counts kept from an earlier run (GitHub not asked) are not news of this date
    stale = LinkReport(repos=[RepoFacts(repo="a/b", stars=500, note="last known figures")])
    assert record_stars(stale, history, date(2027, 1, 4)).repos == history.repos


def test_a_damaged_star_history_starts_afresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_project(tmp_path)
    (root / "output").mkdir()
    (root / "output" / "stars.json").write_text("{not json", encoding="utf-8")
    emit_on(root, D1)
    assert "stars.json" in caplog.text
    assert read(root, "stars.json")["repos"]["chendelong1999/remoteclip"] == [[D1, 1234]]


def test_archived_and_silent_repositories_are_marked(tmp_path: Path) -> None:
    report = fixture("links.json")
    for repo in report["repos"]:
        if repo["repo"] == "mbzuai-oryx/geochat":
            repo["pushed_at"] = "2024-01-04T10:00:00Z"  # two years and a day before D1
    root = make_project(tmp_path, links=report)
    emit_on(root, D1)
    lines = text(root, "README.md").splitlines()
    geochat, clip, amfmn = (
        next(line for line in lines if line.endswith(f"`{key}`"))
        for key in ("kuckreja2024geochat", "liu2023remoteclip", "mullernunez2022exploring")
    )
    assert "silent since 2024-01" in geochat and "silent" not in clip
    assert "archived" in amfmn and "silent" not in amfmn
    assert silent("2024-01-05T00:00:00Z", date(2026, 1, 4)) is False  # 730 days less one
    assert silent("2024-01-05T00:00:00Z", date(2026, 1, 5)) is True
    assert silent(None, date(2026, 1, 5)) is False and silent("garbage", date(2026, 1, 5)) is False


def test_citation_counts_are_carried_and_never_printed(tmp_path: Path) -> None:
    resolved = fixture("resolved.json")
    resolved[0]["csl"]["custom"]["citations"] = 4321
    root = make_project(tmp_path, resolved)
    emit_on(root, D1)
    papers = {p["id"]: p for p in read(root, "papers.json")}
    assert papers["liu2023remoteclip"]["custom"]["citations"] == 4321
    assert "citations" not in papers["kuckreja2024geochat"]["custom"]  # unknown: not written
    bib = text(root, "papers.bib")
    assert "4321" not in bib and "citations" not in bib
    # a run that got no count keeps the last known one
    make_project(root, fixture("resolved.json"))
    emit_on(root, D2)
    assert {p["id"]: p for p in read(root, "papers.json")}["liu2023remoteclip"]["custom"][
        "citations"
    ] == 4321


def test_same_inputs_and_run_date_give_the_same_bytes(tmp_path: Path) -> None:
    trees = []
    for name in ("one", "two"):
        root = with_works(tmp_path / name, new_work(1))
        emit_on(root, D1)
        with_works(root, new_work(1), new_work(2), links=links_with(om_ai_lab__rs5m=(340, 40)))
        emit_on(root, D2)
        trees.append(
            {
                str(p.relative_to(root)): p.read_bytes()
                for p in sorted((root / "output").rglob("*"))
                if p.is_file()
            }
        )
    assert trees[0] == trees[1]
    assert {"output/feed.xml", "output/stars.json", "output/site/papers-per-year.svg"} <= set(
        trees[0]
    )
    # nothing changed but the date: the feed, the history and the charts are not rewritten
    root = tmp_path / "one"
    shutil.copytree(root / "output", tmp_path / "before")
    emit_on(root, "2026-03-02")
    for name in ("feed.xml", "stars.json", "site/top-venues.svg", "keys.json", "papers.json"):
        assert (root / "output" / name).read_bytes() == (tmp_path / "before" / name).read_bytes()


def test_the_run_date_comes_from_one_place(tmp_path: Path) -> None:
    settings = load_settings(root=tmp_path, environ={"PIPELINE_RUN_DATE": "2026-02-03"})
    assert settings.run_date == date(2026, 2, 3)
    with pytest.raises(
        UsageError, match=r"PIPELINE_RUN_DATE: got \"next monday\"; allowed: a date"
    ):
        load_settings(root=tmp_path, environ={"PIPELINE_RUN_DATE": "next monday"})

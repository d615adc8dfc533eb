"""``output/site/`` as files: what ``pipeline emit`` writes there, without a browser.

The page's behaviour is tested in a real browser (tests/test_site_browser.py); here: every
work is in the data, the copy buttons' entries are exactly those of papers.bib and
papers.json, URLs are http(s) only, link and repository marks, the other stages' numbers
(citations, first-seen dates) when present, shards, charts and the feed.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.config import ReadmeSettings
from pipeline.emit import build_records, site
from pipeline.emit.inputs import EmitInput
from pipeline.emit.keys import KeyMap
from pipeline.emit.site import cite
from pipeline.models import LinkReport, ResolvedWork
from tests.helpers.emit import emit, fixture, make_project
from tests.helpers.site import citations, site_data

URL = re.compile(r"https?://[^\s\"'<>`\\]+\Z")


def _site(root: Path) -> Path:
    return root / "output" / "site"


def _by_title(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {w["title"]: w for w in data["works"]}


def test_emit_writes_the_page_and_every_work(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    report = emit(root)
    folder = _site(root)
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    page = {"index.html", "site.js", "site.css", "works.js", "cite/000.js"}
    assert names == page | {"papers-per-year.svg", "top-venues.svg", "feed.xml"}
    data = site_data(folder)
    assert len(data["works"]) == report.counts["works"] == 12
    titles = {rw["work"]["title"].split()[0] for rw in fixture("resolved.json")}
    assert {w["title"].split()[0] for w in data["works"]} >= titles - {"🚀"}
    software = _by_title(data)["RSGPT Toolkit"]
    assert software["kind"] == "software" and "key" not in software  # listed, not cited
    assert data["title"] == "Remote Sensing Vision-Language Papers"
    assert [x["id"] for x in data["lists"]][:2] == ["awesome-rsvlm", "rs-vlm"]
    # a second run with the same input rewrites nothing, the site included
    stamps = {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}
    assert emit(root).counts["files_written"] == 0
    assert stamps == {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_copied_entries_are_those_of_papers_bib_and_papers_json(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    bib = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    items = {i["id"]: i for i in json.loads((root / "output" / "papers.json").read_text("utf-8"))}
    entries = citations(_site(root))
    assert set(entries) == set(items)
    for key, (bibtex, csl) in entries.items():
        assert bibtex.startswith("@") and f"{{{key},\n" in bibtex
        assert "\n" + bibtex in bib  # the entry as the file has it, byte for byte
        assert json.loads(csl) == [items[key]]
    keyed = [w for w in site_data(_site(root))["works"] if "key" in w]
    assert {w["key"] for w in keyed} == set(items) and {w["cite"] for w in keyed} == {0}


def test_urls_are_http_only_and_list_text_is_data(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    data = site_data(_site(root))
    urls = [w["url"] for w in data["works"] if "url" in w]
    urls += [c["url"] for w in data["works"] for c in w.get("code", []) if "url" in c]
    urls += [x["url"] for x in data["lists"] if "url" in x]
    assert urls and all(URL.match(u) for u in urls), [u for u in urls if not URL.match(u)]
    hostile = next(w for w in data["works"] if w["title"].startswith("<script>"))
    assert "javascript:alert(1)" in hostile["title"]  # text, for textContent
    assert hostile["authors"][0] == "<img src=x onerror=alert(1)>"
    # the moved link's new address carries a script tag: percent-encoded, never a tag
    assert hostile["status"] == "moved" and "<" not in hostile["url"]
    page = (_site(root) / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "alert" not in page


def test_link_and_repository_marks(tmp_path: Path) -> None:
    links = fixture("links.json")
    for link in links["links"]:
        if link["url"] == "https://dead.example.org/alpha.pdf":
            link["status"] = "parked"
    for repo in links["repos"]:
        if repo["repo"] == "chendelong1999/remoteclip":
            repo |= {"pushed_at": "2023-05-01T00:00:00Z", "fetched_at": "2025-06-01T00:00:00Z"}
    root = make_project(tmp_path, links=links)
    emit(root)
    works = _by_title(site_data(_site(root)))
    alpha = next(w for t, w in works.items() if t.startswith("α-CLIP"))
    assert alpha["status"] == "parked"
    assert alpha["code"] == [
        {"repo": "new-owner/alpha-clip", "status": "moved", "stars": 5, "delta": 1}
    ]
    clip = works["RemoteCLIP: A Vision Language Foundation Model for Remote Sensing"]
    assert clip["code"] == [
        {"repo": "ChenDelong1999/RemoteCLIP", "stars": 1234, "delta": 12, "silent": True}
    ]
    amfmn = next(w for t, w in works.items() if t.startswith("Exploring a Fine-Grained"))
    assert amfmn["code"][0]["archived"] is True and amfmn["code"][0]["delta"] == -2
    evil = next(w for t, w in works.items() if t.startswith("<script>"))
    assert evil["code"] == [{"repo": "evil/repo", "status": "dead"}]


def _input(**readme: Any) -> EmitInput:
    resolved = [ResolvedWork.from_json(x) for x in fixture("resolved.json")]
    current, _ = build_records(resolved, KeyMap.from_json({}), {})
    return EmitInput(
        current=current,
        links=LinkReport.from_json(fixture("links.json")),
        previous_links=LinkReport(),
        readme=ReadmeSettings(**readme),
    )


def test_citations_and_first_seen_dates_are_shown_when_known(tmp_path: Path) -> None:
    data = _input()
    by_title = {r.title: r for r, _ in data.current}
    clip = by_title["RemoteCLIP: A Vision Language Foundation Model for Remote Sensing"]
    clip.citations, clip.first_seen = 250, "2025-06-04"
    geochat = next(r for t, r in by_title.items() if t.startswith("GeoChat"))
    geochat.citations, geochat.first_seen = 0, "2025-06-03"  # 7 days before: not new
    data.run_date = date(2025, 6, 10)
    content, _ = site.payload(data, tmp_path)
    works = _by_title(content)
    assert content["date"] == "2025-06-10"
    assert (
        works[clip.title].items() >= {"citations": 250, "added": "2025-06-04", "new": True}.items()
    )
    assert works[geochat.title]["citations"] == 0 and "new" not in works[geochat.title]
    assert sum("citations" in w for w in content["works"]) == 2  # unknown: nothing shown
    # works dated by the first run that kept dates were listed before: never new
    data.dated_since = "2025-06-04"
    content, _ = site.payload(data, tmp_path)
    assert not [w for w in content["works"] if w.get("new")]


def test_page_title_is_escaped_and_topics_listed(tmp_path: Path) -> None:
    data = _input(title='<img src=x onerror="alert(1)"> & co')
    site.write(tmp_path, data)
    page = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co</title>" in page
    assert "<img" not in page
    assert site_data(tmp_path)["topics"] == []  # no topic scheme: no topic filter


def test_charts_and_feed_are_listed_and_in_the_folder(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    folder = _site(root)
    data = site_data(folder)
    assert data["charts"] == ["papers-per-year.svg", "top-venues.svg"]
    assert data["feed"] == "feed.xml"  # GitHub Pages publishes output/site/ alone
    assert all((folder / name).is_file() for name in [*data["charts"], data["feed"]])
    assert (folder / "feed.xml").read_bytes() == (root / "output" / "feed.xml").read_bytes()


def test_shards_follow_the_keys_and_stale_ones_go(tmp_path: Path) -> None:
    assert [cite.shard_count(n) for n in (0, 1, 500, 501, 1001, 20000)] == [1, 1, 1, 2, 4, 64]
    keys = [f"key{n}" for n in range(3000)]
    assert all(cite.shard_of(k, 8) == cite.shard_of(k, 8) < 8 for k in keys)
    assert len({cite.shard_of(k, 8) for k in keys}) == 8  # spread over all of them
    data = _input()
    (tmp_path / "cite").mkdir()
    (tmp_path / "cite" / "007.js").write_text("stale", encoding="utf-8")
    (tmp_path / "cite" / "keep.txt").write_text("not ours", encoding="utf-8")
    site.write(tmp_path, copy.deepcopy(data))
    assert sorted(p.name for p in (tmp_path / "cite").iterdir()) == ["000.js", "keep.txt"]
    assert site.write(tmp_path, data) == 0

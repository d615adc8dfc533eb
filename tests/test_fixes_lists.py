"""The five real lists against the fake web (issue 15): the patches change only lines that
hold a fix, and each changed line is exactly its old text with the stated changes made.

The fake web is given what the real web does to lists like these: some pages moved for good
(301/308), repositories renamed (linked at their home page and deeper), http sites that
redirect to https, a lapsed domain sent to a marketplace, one answering with a for-sale page,
and a bot wall. The figures (patches per list, changes by kind, parked links) are printed with
``pytest -s``.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pipeline.catalog import load_catalog
from pipeline.check import run_check
from pipeline.emit import run_emit
from pipeline.emit.fixfiles import reasons
from pipeline.emit.patch import apply_patch, ending, split_lines
from pipeline.ids.github import split_repo_url
from pipeline.resolve import run_resolve
from pipeline.scrape import run_scrape
from tests.fakeweb import FakeWeb
from tests.fakeweb.github import add_repo, rename
from tests.fakeweb.sites import site
from tests.helpers.check import fake_settings

pytestmark = [pytest.mark.network, pytest.mark.slow]

_REASON = re.compile(
    r"^(?P<file>\S+):(?P<line>\d+): (?P<kind>\S+) → (?P<new>.*) \(was (?P<old>.*)\)$"
)


def entries(root: Path) -> list[dict[str, Any]]:
    return list(json.loads((root / "build" / "entries.json").read_text(encoding="utf-8")))


def shape_the_web(web: FakeWeb, root: Path) -> dict[str, str]:
    """Moves, renames, https redirects and parked domains for some of the lists' links;
    returns what was done to which URL."""
    urls = list(dict.fromkeys(link["url"] for e in entries(root) for link in e["links"]))
    plan: dict[str, str] = {}
    pages = [u for u in urls if u.startswith("https://") and split_repo_url(u) is None]
    for index, url in enumerate(pages[::23]):
        host, _, path = url.removeprefix("https://").partition("/")
        if "?" in path or "#" in path:
            continue
        code = 301 if index % 2 else 308
        site(web, host, "/" + path, status=code, location=f"https://moved.example/{host}/{path}")
        plan[url] = "moved"
    repos = sorted({r for u in urls if (split := split_repo_url(u)) for r in [split[0]]})
    for index, name in enumerate(repos[::9]):
        add_repo(web, f"Renamed{index}/{name.split('/')[1]}", stars=index)
        rename(web, name, f"Renamed{index}/{name.split('/')[1]}")
        plan[name] = "renamed"
    for url in urls:
        if url.startswith("http://"):
            host, _, path = url.removeprefix("http://").partition("/")
            site(web, f"http.{host}", "/" + path, status=301, location=f"https://{host}/{path}")
            plan[url] = "https"
    lapsed = [u for u in pages if u not in plan and "github" not in u and "arxiv" not in u]
    lapsed_hosts = sorted({u.removeprefix("https://").split("/")[0] for u in lapsed})
    site(web, lapsed_hosts[0], status=302, location="https://www.dan.com/buy-domain/x")
    site(web, lapsed_hosts[1], body="<title>Domain for sale</title><h1>Buy this domain</h1>")
    plan[lapsed_hosts[0]] = plan[lapsed_hosts[1]] = "parked"
    site(web, "ieeexplore.ieee.org", status=418)
    return plan


def changes_of(patch: bytes) -> dict[int, list[dict[str, str]]]:
    out: dict[int, list[dict[str, str]]] = {}
    for reason in reasons(patch):
        match = _REASON.match(reason)
        assert match, reason
        out.setdefault(int(match["line"]), []).append(match.groupdict())
    return out


def test_the_five_lists_patches_change_only_lines_with_a_fix(
    fakeweb: FakeWeb, project: Path
) -> None:
    settings = fake_settings(fakeweb, project, parking_look=True)
    run_scrape(settings, None)
    plan = shape_the_web(fakeweb, project)
    http_sites = (r"^http://([^/]+)/(.*)$", r"https://http.\1/\2")
    settings = dataclasses.replace(settings, remap=(http_sites, *settings.remap))
    run_resolve(dataclasses.replace(settings, offline=True))
    run_check(settings)
    run_emit(settings)

    kinds: Counter[str] = Counter()
    figures = []
    for source in load_catalog(settings.sources_toml):
        path = settings.output_dir / "fixes" / f"{source.id}.patch"
        if not path.exists():
            figures.append(f"{source.id}: no patch")
            continue
        before = source.path(project).read_bytes()
        patch = path.read_bytes()
        after = apply_patch(before, patch, path.name)
        old_lines, new_lines = split_lines(before), split_lines(after)
        assert len(old_lines) == len(new_lines)
        changed = {
            i + 1 for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b
        }
        stated = changes_of(patch)
        assert changed == set(stated), source.id  # every changed line holds a stated fix
        for number, changes in stated.items():
            old, new = old_lines[number - 1], new_lines[number - 1]
            assert ending(old) == ending(new)
            text = old.decode("utf-8")
            for change in changes:
                assert change["old"] in text
                text = text.replace(change["old"], change["new"])
                kinds[change["kind"]] += 1
            assert text.encode("utf-8") == new, (source.id, number)
        hunks = patch.count(b"\n@@ ")
        figures.append(f"{source.id}: {sum(map(len, stated.values()))} changes, {hunks} hunks")
    links = json.loads((settings.output_dir / "links.json").read_text(encoding="utf-8"))
    parked = sum(1 for link in links["links"] if link["status"] == "parked")
    print("\n".join(["", *figures, f"changes by kind: {dict(sorted(kinds.items()))}"]))
    print(f"parked links: {parked}; planned: {Counter(plan.values())}")
    assert kinds["moved"] and kinds["renamed"] and kinds["https"] and kinds["mojibake"]
    assert parked >= 2
    # a parked or blocked link is never in a patch
    never = {link["url"] for link in links["links"] if link["status"] in {"parked", "blocked"}}
    for path in (settings.output_dir / "fixes").glob("*.patch"):
        for reason in reasons(path.read_bytes()):
            match = _REASON.match(reason)
            assert match and match["old"] not in never

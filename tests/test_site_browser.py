"""The site in a real browser: Debian's chromium, headless, driven by Playwright.

The site is what ``pipeline emit`` writes for the hand-made payloads and the five real lists
(209 works). The expected rows are computed here from the site's data with the filters'
documented meaning, and compared with the rows the page shows. The copy buttons are read
back from the clipboard (permission granted to the page) and checked with bibtexparser and
the CSL-JSON schema; axe-core's rules run inside the page.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import bibtexparser
import jsonschema
import pytest
from playwright.sync_api import Browser, Page

from pipeline.emit import build_records, site
from pipeline.emit.inputs import EmitInput
from pipeline.emit.keys import KeyMap
from pipeline.models import LinkReport, ResolvedWork
from tests.conftest import SHARED, require_npm_package, require_shared, require_tool
from tests.helpers.browser import chromium
from tests.helpers.emit import fixture, payloads_output
from tests.helpers.site import site_data

pytestmark = pytest.mark.slow

Work = dict[str, Any]
# functions, not expressions: the page's Content-Security-Policy forbids eval()
READY = "() => performance.getEntriesByName('site-ready').length > 0"
TITLES = "Array.from(document.querySelectorAll('#results .name'), e => e.textContent)"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium(require_tool("chromium")) as opened:
        yield opened


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return payloads_output(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def data(output: Path) -> dict[str, Any]:
    return site_data(output / "site")


class Server(http.server.ThreadingHTTPServer):
    """The site served over HTTP from 127.0.0.1, as GitHub Pages serves it."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(Quiet, directory=str(folder))
        super().__init__(("127.0.0.1", 0), handler)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the base class's names
        pass


@pytest.fixture(scope="module")
def served(output: Path) -> Iterator[str]:
    server = Server(output / "site")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Browser, output: Path) -> Iterator[Page]:
    """A fresh page allowed to use the clipboard; no script error nor dialog may happen."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    opened = context.new_page()
    trouble: list[str] = []
    opened.on("pageerror", lambda error: trouble.append(f"script error: {error}"))
    opened.on("dialog", lambda dialog: trouble.append(f"dialog: {dialog.message}"))
    opened.on("console", lambda m: trouble.append(m.text) if m.type == "error" else None)
    yield opened
    context.close()
    assert not trouble, trouble


def index(output: Path, query: str = "") -> str:
    return (output / "site" / "index.html").as_uri() + query


def load(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_function(READY)


def shown(page: Page, everything: bool = False) -> list[str]:
    """The titles of the rows on the page, in order (every row: "Show more" until none;
    clicked from the page, since scrolling to it loads more by itself and moves it)."""
    while everything and page.locator("#more").is_visible():
        page.eval_on_selector("#more", "button => button.click()")
    titles: list[str] = page.evaluate(TITLES)
    return titles


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return re.sub("[\u0300-\u036f]", "", text).lower()


def searched(work: Work, query: str) -> bool:
    text = fold(" ".join([work["title"], work.get("nickname", ""), *work.get("authors", [])]))
    text += " " + fold(work.get("venue", ""))
    return all(term in text for term in fold(query).split())


def titles(data: dict[str, Any], keep: Callable[[Work], bool]) -> list[str]:
    return [w["title"] for w in data["works"] if keep(w)]


def in_list(data: dict[str, Any], work: Work, prefix: str) -> bool:
    places = [data["places"][n] for n in work.get("places", [])]
    return any(p == prefix or p.startswith(prefix + " › ") for p in places)


def test_opening_the_page_shows_every_work(page: Page, output: Path, data: dict[str, Any]) -> None:
    load(page, index(output))
    everything = [w["title"] for w in data["works"]]
    assert len(everything) == 209
    assert page.inner_text("#count") == "209 works"
    first = shown(page)
    assert first == everything[: len(first)] and len(first) < 209  # in chunks
    page.keyboard.press("End")  # scrolling down brings more
    page.wait_for_function(f"() => document.querySelectorAll('#results li').length > {len(first)}")
    assert shown(page, everything=True) == everything  # newest first, as the data
    # list text stays text: no element, no link but http(s) comes from the data
    assert page.locator("#results script, #results img, #results iframe").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    ours = ("#results", "/feed.xml")  # the skip link and the feed beside the page
    assert hrefs and all(re.match(r"https?://", h) for h in hrefs if not h.endswith(ours))
    evil = next(t for t in everything if t.startswith("<script>"))
    assert evil in (page.text_content("#results") or "")  # rows off screen: not laid out
    assert "209 works from 5 lists" in page.inner_text("#summary")


def test_typing_a_query_filters_as_you_type(page: Page, output: Path, data: dict[str, Any]) -> None:
    load(page, index(output))
    page.locator("#q").press_sequentially("clip")
    page.wait_for_function("() => location.search === '?q=clip'")
    expected = titles(data, lambda w: searched(w, "clip"))
    assert 3 < len(expected) < 50 and shown(page, everything=True) == expected
    assert page.inner_text("#count") == f"{len(expected)} of 209 works match"
    page.locator("#q").press_sequentially(" remote")
    expected = titles(data, lambda w: searched(w, "clip remote"))
    page.wait_for_function("() => location.search === '?q=clip+remote'")
    assert shown(page, everything=True) == expected
    # accents do not matter, authors are searched too (nicknames: below)
    page.fill("#q", "muller nunez")
    expected = titles(data, lambda w: searched(w, "muller nunez"))
    assert expected and all("Fine-Grained" in t for t in expected)  # José Müller-Ñúñez
    assert shown(page) == expected
    page.fill("#q", "no such words anywhere")
    assert shown(page) == [] and page.inner_text("#count") == "0 of 209 works match"


def test_filters_and_sorting_give_the_right_rows(
    page: Page, output: Path, data: dict[str, Any]
) -> None:
    load(page, index(output))
    page.fill("#year-from", "2023")
    page.fill("#year-to", "2024")
    page.check("#code")
    expected = titles(data, lambda w: 2023 <= w.get("year", 0) <= 2024 and "code" in w)
    assert 10 < len(expected) < 100 and shown(page, everything=True) == expected
    page.wait_for_function("() => location.search === '?year=2023-2024&code=1'")
    page.click("#clear")
    page.select_option("#venue", "arXiv")
    page.select_option("#kind", "dataset")
    expected = titles(data, lambda w: w.get("venue") == "arXiv" and w["kind"] == "dataset")
    assert expected and shown(page, everything=True) == expected
    page.click("#clear")
    section = "rs-mllm › Awesome Datasets"
    page.select_option("#section", section)  # the section and everything under it
    expected = titles(data, lambda w: in_list(data, w, section))
    assert len(expected) > 5 and shown(page, everything=True) == expected
    page.select_option("#section", "")
    page.select_option("#list", "rs-image-text-retrieval")
    page.check("#verified")
    page.select_option("#topic", "Image-Text Retrieval")
    expected = titles(
        data,
        lambda w: (
            in_list(data, w, "rs-image-text-retrieval")
            and w.get("verified", False)
            and w.get("topic") == "Image-Text Retrieval"
        ),
    )
    assert shown(page, everything=True) == expected


def test_sorting_by_stars_and_title(page: Page, output: Path, data: dict[str, Any]) -> None:
    load(page, index(output))
    page.select_option("#sort", "stars")
    works = data["works"]
    stars = [max([c.get("stars", -1) for c in w.get("code", [])], default=-1) for w in works]
    order = sorted(range(len(works)), key=lambda i: (-stars[i], i))
    assert shown(page) == [works[i]["title"] for i in order][:50]
    assert stars[order[0]] == 1234  # RemoteCLIP
    page.select_option("#sort", "title")
    every = shown(page, everything=True)
    assert sorted(every) == sorted(w["title"] for w in works)
    plain = [t for t in every if re.fullmatch(r"[A-Za-z ]+", t)]  # no collation subtleties
    assert len(plain) > 20 and plain == sorted(plain, key=str.casefold)
    page.wait_for_function("() => location.search === '?sort=title'")


def test_a_shared_url_opens_that_result(page: Page, output: Path, data: dict[str, Any]) -> None:
    load(page, index(output, "?q=remote&year=2023-2025&code=1&list=rs-mllm&sort=stars"))
    keep = [
        i
        for i, w in enumerate(data["works"])
        if searched(w, "remote")
        and 2023 <= w.get("year", 0) <= 2025
        and "code" in w
        and in_list(data, w, "rs-mllm")
    ]
    stars = {i: max(c.get("stars", -1) for c in data["works"][i]["code"]) for i in keep}
    expected = [data["works"][i]["title"] for i in sorted(keep, key=lambda i: (-stars[i], i))]
    assert len(expected) > 3 and shown(page, everything=True) == expected
    # the controls show the state the URL gave
    assert page.input_value("#q") == "remote"
    assert (page.input_value("#year-from"), page.input_value("#year-to")) == ("2023", "2025")
    assert page.is_checked("#code") and not page.is_checked("#verified")
    assert page.input_value("#list") == "rs-mllm" and page.input_value("#sort") == "stars"
    load(page, index(output, "?year=2021"))  # one year: from and to
    assert shown(page, everything=True) == titles(data, lambda w: w.get("year") == 2021)


@pytest.mark.parametrize("origin", ["file", "http"])
def test_copy_buttons_put_the_entries_of_papers_bib_and_json(
    page: Page, output: Path, served: str, data: dict[str, Any], origin: str
) -> None:
    schema = json.loads(require_shared(SHARED / "schemas" / "csl-data.json").read_text("utf-8"))
    bib = (output / "papers.bib").read_text(encoding="utf-8")
    items = {i["id"]: i for i in json.loads((output / "papers.json").read_text("utf-8"))}
    base = index(output) if origin == "file" else served
    for key in (
        "liu2023remoteclip",
        "obrien2021evil",
        "imgsrcxonerroralert12020scriptalert1script",
    ):
        work = next(w for w in data["works"] if w.get("key") == key)
        load(page, base + "?q=" + "+".join(work["title"].split()[:3]).replace("&", "%26"))
        page.click(f"button[aria-label='Copy BibTeX of {key}']")
        page.wait_for_function(
            f"() => document.getElementById('copied').textContent.includes('{key}')"
        )
        text = page.evaluate("navigator.clipboard.readText()")
        library = bibtexparser.parse_string(text, parse_stack=[])
        assert not library.failed_blocks and [e.key for e in library.entries] == [key]
        assert "\n" + text in bib  # the entry as papers.bib has it
        page.click(f"button[aria-label='Copy CSL-JSON of {key}']")
        page.wait_for_function(
            "() => document.getElementById('copied').textContent.startsWith('CSL')"
        )
        items_copied = json.loads(page.evaluate("navigator.clipboard.readText()"))
        jsonschema.Draft7Validator(schema).validate(items_copied)
        assert items_copied == [items[key]]


def _axe(page: Page) -> list[str]:
    """The serious and critical violations axe-core finds on the page as it stands, and the
    colours it could not judge (none may be left unjudged)."""
    axe = require_npm_package("axe-core@4.14.1", "axe-core") / "axe.min.js"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe))
        # rows off screen are not laid out (content-visibility): lay them all out, so that
        # axe can measure every row's colours
        page.add_style_tag(content=".work { content-visibility: visible !important; }")
    result = page.evaluate("axe.run(document)")
    unjudged = [v for v in result["incomplete"] if v["id"] == "color-contrast"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] + unjudged
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", [1200, 360])
def test_no_serious_accessibility_violations(browser: Browser, output: Path, width: int) -> None:
    # the page's Content-Security-Policy admits only its own scripts: axe is let in here
    context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    load(page, index(output, "?q=remote+sensing"))
    page.click("#results .copy")  # the copied message is on the page too
    assert _axe(page) == []
    load(page, index(output, "?q=nothing+matches+this"))
    assert _axe(page) == []
    # a phone's width: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_keyboard_alone_searches_and_copies(page: Page, output: Path) -> None:
    load(page, index(output))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("/")  # jumps to the search box, from anywhere but a field
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("remoteclip")
    page.wait_for_function("() => location.search === '?q=remoteclip'")
    for _ in range(60):  # on through the filters to the first work's buttons
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('copy')"):
            break
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("Copy BibTeX of ")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.getElementById('copied').textContent.includes('copied')")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@")


@pytest.fixture(scope="module")
def numbers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose works carry the other stages' numbers: citations, first-seen dates."""
    resolved = [ResolvedWork.from_json(x) for x in fixture("resolved.json")]
    current, _ = build_records(resolved, KeyMap.from_json({}), {})
    for n, (record, rw) in enumerate(sorted(current, key=lambda x: x[0].key)):
        record.citations = None if n % 4 == 3 else (n * 37) % 11
        record.first_seen = f"2025-05-{n + 1:02d}"
        if record.title.startswith("Remote Sensing Captioning with"):
            rw.work.nickname = "CapZebra"
    links = LinkReport.from_json(fixture("links.json"))
    folder = tmp_path_factory.mktemp("numbers")
    run = date(2025, 5, 12)
    site.write(
        folder, EmitInput(current=current, links=links, previous_links=LinkReport(), run_date=run)
    )
    return folder


def test_citations_dates_and_new_works(page: Page, numbers: Path) -> None:
    data = site_data(numbers)
    works = data["works"]
    load(page, numbers.joinpath("index.html").as_uri() + "?sort=citations")
    order = sorted(range(len(works)), key=lambda i: (-works[i].get("citations", -1), i))
    assert shown(page) == [works[i]["title"] for i in order]
    assert "cited by 0" in page.inner_text("#results")  # a figure, shown
    load(page, numbers.joinpath("index.html").as_uri() + "?sort=added")
    order = sorted(range(len(works)), key=lambda i: works[i]["added"], reverse=True)
    assert shown(page) == [works[i]["title"] for i in order]
    page.check("#new")  # the run's date: 2025-05-12
    expected = [w["title"] for w in works if w["added"] >= "2025-05-06"]  # seven days
    assert len(expected) == 7 and sorted(shown(page)) == sorted(expected)
    page.wait_for_function("() => location.search === '?new=1&sort=added'")
    page.fill("#q", "capzeb")  # a nickname is searched and shown
    assert shown(page) == ["Remote Sensing Captioning with Transformers"]
    nickname = page.wait_for_selector("#results .nickname", state="visible")
    assert nickname is not None and nickname.inner_text() == "CapZebra"

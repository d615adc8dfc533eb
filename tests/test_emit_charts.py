"""The SVG charts (issue 24): well-formed, accessible images (``role="img"``, ``<title>``,
``<desc>`` saying every figure, contrast against the background) whose bars are the works'
counts, grouped by topic or by list; shown in the README and named for the site."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from pipeline.emit.charts import INK, PALETTE, REST, TITLES, VENUES, YEARS, venue_name
from pipeline.emit.records import Record
from pipeline.emit.xmltext import xml_safe
from tests.helpers.emit import fixture, make_project, payloads_output
from tests.helpers.numbers import emit_on, read, text

SVG = "{http://www.w3.org/2000/svg}"


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colours_keep_their_contrast_against_white() -> None:
    assert all(contrast(c, "#FFFFFF") >= 3.0 for c in (*PALETTE, REST))  # WCAG 1.4.11
    assert contrast(INK, "#FFFFFF") >= 4.5  # text, WCAG 1.4.3
    assert len(set(PALETTE)) == len(PALETTE)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-made payloads and the five real lists, emitted (this repository's topics)."""
    return payloads_output(tmp_path_factory.mktemp("charts"))


def load(output: Path, name: str) -> ET.Element:
    return ET.fromstring((output / "site" / name).read_bytes())


@pytest.mark.parametrize("name", sorted(TITLES))
def test_each_chart_is_an_accessible_image(output: Path, name: str) -> None:
    svg = load(output, name)
    assert svg.tag == f"{SVG}svg" and svg.get("role") == "img"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and desc is not None and title.text == TITLES[name]
    assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"
    fills = {e.get("fill") for e in svg.iter(f"{SVG}rect")} - {"#FFFFFF"}
    assert fills and fills <= {*PALETTE, REST}


def test_the_bars_are_the_works_per_year(output: Path) -> None:
    papers = read(output.parent, "papers.json")
    years = Counter(p["issued"]["date-parts"][0][0] for p in papers if "issued" in p)
    svg = load(output, YEARS)
    desc = svg.findtext(f"{SVG}desc") or ""
    assert desc.startswith("Papers per year, by topic. ")
    newest = max(years)
    for year in range(max(min(years), newest - 14), newest + 1):
        assert f"{year}: {years.get(year, 0)}" in desc
    earlier = sum(n for y, n in years.items() if y < newest - 14)
    assert (f"earlier: {earlier}" in desc) == bool(earlier)
    # the number over each bar is that year's count; the legend names every topic shown
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert str(years[newest]) in labels and "Surveys" in " ".join(map(str, labels))
    undated = sum("issued" not in p for p in papers)
    assert (f"{undated} without a year are not shown" in desc) == bool(undated)


def test_top_venues_count_a_venue_under_one_name() -> None:
    def record(container: str, arxiv: str = "") -> Record:
        return Record(
            key="k", work_id="w", type="article", title="t", container=container, arxiv=arxiv
        )

    assert venue_name(record("CVPR 2024")) == venue_name(record("CVPR '23")) == "CVPR"
    assert venue_name(record("", arxiv="2401.00001")) == "arXiv"
    assert venue_name(record("")) == ""


def test_without_topics_the_bars_are_grouped_by_list(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    (root / "pipeline.toml").write_text("", encoding="utf-8")
    emit_on(root, "2026-01-05")
    svg = ET.fromstring((root / "output" / "site" / YEARS).read_bytes())
    desc = svg.findtext(f"{SVG}desc") or ""
    assert desc.startswith("Papers per year, by list. ")
    titles = [t.text or "" for t in svg.iter(f"{SVG}text")]
    assert any(
        t.startswith("Awesome Remote Sensing Vision-Language Models & Papers") for t in titles
    )
    venues = ET.fromstring((root / "output" / "site" / VENUES).read_bytes())
    # arXiv: the fixture works whose record carries an arXiv id resolve confirmed (custom.arxiv)
    assert "arXiv: 4" in (venues.findtext(f"{SVG}desc") or "")
    readme = text(root, "README.md")
    assert "![Papers per year](site/papers-per-year.svg)" in readme
    assert "![Top venues](site/top-venues.svg)" in readme


def test_hostile_names_stay_text(tmp_path: Path) -> None:
    resolved = fixture("resolved.json")
    resolved[0]["csl"]["container-title"] = '</text><script>alert(1)</script>" onload="x'
    root = make_project(tmp_path, resolved)
    emit_on(root, "2026-01-05")
    svg = ET.fromstring((root / "output" / "site" / VENUES).read_bytes())
    assert svg.find(f".//{SVG}script") is None
    assert not any(name.startswith("on") for e in svg.iter() for name in e.attrib)
    said = '</text><script>alert(1)</script>" onload="x: 1'
    assert said in (svg.findtext(f"{SVG}desc") or "")
    assert xml_safe("a\x00b\ud800c\x0bd\ufffe") == "abcd"

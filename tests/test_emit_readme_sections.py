"""output/README.md keeps the lists' own sections, or a topic scheme from pipeline.toml;
only the kinds ``[emit] cite_kinds`` names are cited (papers.bib, papers.json, a key)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pipeline.catalog import SourceList
from pipeline.config import EmitSettings, ReadmeSettings, Topic, load_settings
from pipeline.emit import readme, run_emit
from pipeline.emit.inputs import EmitInput
from pipeline.emit.markdown import Slugger
from pipeline.emit.records import from_resolved
from pipeline.models import Kind, Link, LinkReport, Place, ResolvedWork, Work, to_json
from pipeline.refresh import run_refresh
from pipeline.resolve import run_resolve
from pipeline.scrape import run_scrape
from tests.conftest import REPO, SHARED, require_shared

Spot = tuple[str, int, tuple[str, ...]]  # list id, line, section path


def resolved(
    title: str,
    *spots: Spot,
    kind: Kind = "paper",
    nickname: str | None = None,
    links: tuple[Link, ...] = (),
    csl_type: str = "article",
) -> ResolvedWork:
    places = [Place(s, f"sources/{s}.md", line, section, title) for s, line, section in spots]
    work = Work(
        id=f"title:{title.lower()}",
        kind=kind,
        title=title,
        links=list(links),
        places=places,
        nickname=nickname,
    )
    csl = {
        "title": title,
        "type": csl_type,
        "issued": {"date-parts": [[2024]]},
        "URL": f"https://example.org/{len(title)}",
    }
    return ResolvedWork(work, csl, resolved_by="crossref", verified=True)


def data_of(
    works: list[ResolvedWork],
    sources: tuple[str, ...] = ("a",),
    settings: ReadmeSettings | None = None,
    cite: tuple[Kind, ...] = ("paper", "dataset"),
) -> EmitInput:
    current = []
    for number, rw in enumerate(works):
        record = from_resolved(rw, key=f"key{number}")
        current.append((record, rw))
    return EmitInput(
        current=current,
        links=LinkReport(),
        previous_links=LinkReport(),
        sources=[SourceList(s, f"{s}.md", title=f"List {s.upper()}") for s in sources],
        readme=settings or ReadmeSettings(),
        emit=EmitSettings(cite_kinds=cite),
    )


def headings(text: str) -> list[str]:
    """``## Name`` lines after the README's fixed head (title, lists merged, contents)."""
    found = re.findall(r"^(#{1,6} .+)$", text, flags=re.MULTILINE)
    return found[found.index("## Contents") + 1 :]


def work_lines(text: str) -> list[str]:
    return [x for x in text.splitlines() if x.startswith("- ") and "(https://example.org/" in x]


def section_of(text: str, title: str) -> str:
    """The heading of the section the work titled ``title`` is listed under."""
    current = ""
    for line in text.splitlines():
        if line.startswith("#"):
            current = line
        elif line.startswith("- ") and f"[{title}]" in line:
            return current
    raise AssertionError(f"{title} not listed")


def test_one_list_keeps_its_sections_in_the_lists_order() -> None:
    works = [
        resolved("Plan B", ("a", 41, ("Planning",))),
        resolved("Think", ("a", 20, ("Reasoning",))),
        resolved("Plan A", ("a", 40, ("Planning",))),
        resolved("Overview", ("a", 10, ("Surveys",))),
    ]
    text = readme.render(data_of(works))
    assert text.startswith("# List A\n")
    assert headings(text) == ["## Surveys", "## Reasoning", "## Planning"]
    # works in the list's order, not by year or title
    planning = text.split("## Planning", 1)[1]
    assert planning.index("[Plan A]") < planning.index("[Plan B]")
    assert "Taxonomy" not in text and "## Other" not in text


def test_nested_sections_keep_their_levels() -> None:
    works = [
        resolved("Old CNN", ("a", 90, ("Methods", "Deep Learning", "CNNs"))),
        resolved("Classic", ("a", 99, ("Methods", "Traditional"))),
        resolved("Q24", ("a", 10, ("Papers", "2024"))),
        resolved("Q23", ("a", 30, ("Papers", "2023"))),
        resolved("Deep", ("a", 120, ("A", "B", "C", "D", "E", "F"))),
    ]
    text = readme.render(data_of(works))
    assert headings(text) == [
        "## Papers",
        "### 2024",
        "### 2023",
        "## Methods",
        "### Deep Learning",  # no work of its own: still a heading, as in the list
        "#### CNNs",
        "### Traditional",
        "## A",
        "### B",
        "#### C",
        "##### D",
        "###### E",
        "###### F",  # markdown has six levels
    ]
    assert section_of(text, "Old CNN") == "#### CNNs"
    contents = text.split("## Contents", 1)[1].split("\n## ", 1)[0]
    assert "- [Methods](#methods) (2)\n  - [Deep Learning](#deep-learning) (1)\n" in contents


def test_a_work_in_several_sections_is_listed_once_under_its_first() -> None:
    works = [
        resolved("Both", ("a", 50, ("Manipulation",)), ("a", 5, ("Reasoning",))),
        resolved("Other work", ("a", 30, ("Manipulation",))),
    ]
    text = readme.render(data_of(works))
    assert section_of(text, "Both") == "## Reasoning"
    [line] = [x for x in text.splitlines() if "[Both]" in x]
    assert "in a › Manipulation; a › Reasoning" in line  # every place, as before
    assert text.count("[Both]") == 1


def test_several_lists_are_grouped_per_list_in_catalog_order() -> None:
    works = [
        resolved("In A", ("a", 3, ("Papers",))),
        resolved("In B", ("b", 8, ("Papers", "Robots"))),
        resolved("In both", ("a", 9, ("Papers",)), ("b", 2, ("Intro",))),
        resolved("Above every heading", ("a", 1, ())),
    ]
    text = readme.render(data_of(works, sources=("b", "a")))
    assert text.startswith(f"# {readme.DEFAULT_TITLE}\n")
    assert headings(text) == [
        "## List B",
        "### Intro",
        "### Papers",
        "#### Robots",
        "## List A",
        "### Papers",
    ]
    assert section_of(text, "In both") == "### Intro"  # the first list in sources.toml
    assert section_of(text, "Above every heading") == "## List A"
    # the README's title is set in pipeline.toml
    titled = readme.render(data_of(works, ("b", "a"), ReadmeSettings(title="Robots & more")))
    assert titled.startswith("# Robots \\& more\n")


def test_contents_links_reach_every_heading_even_repeated_names() -> None:
    works = [
        resolved("One", ("a", 3, ("Papers",))),
        resolved("Two", ("b", 3, ("Papers",))),
        resolved("Three", ("b", 5, ("📊 Contents",))),
    ]
    text = readme.render(data_of(works, sources=("a", "b")))
    tokens = MarkdownIt("gfm-like").parse(text)
    anchor = Slugger()
    anchors = [
        anchor(tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"
    ]
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links == ["list-a", "papers", "list-b", "papers-1", "-contents"]
    assert set(links) <= set(anchors)
    assert len(set(anchors)) == len(anchors)


SCHEME = ReadmeSettings(
    title="Robot papers",
    topics=(
        Topic("Surveys", ("survey",)),
        Topic("Datasets", ("dataset",), ("dataset",), "Data goes to Datasets."),
        Topic("Robots", ("robot", "manipulation")),
    ),
    other="Elsewhere",
)


def test_a_topic_scheme_from_settings_groups_by_topic() -> None:
    works = [
        resolved("Grasping", ("a", 5, ("Manipulation",))),
        resolved("Surveyed grasping", ("a", 6, ("Manipulation",)), ("a", 90, ("Surveys",))),
        resolved("A robot dataset", ("a", 7, ("Manipulation",)), kind="dataset"),
        resolved("Robot learning at scale", ("a", 8, ("Misc",))),  # placed by its title
        resolved("Unplaced", ("a", 9, ("Misc",))),
    ]
    text = readme.render(data_of(works, settings=SCHEME))
    assert text.startswith("# Robot papers\n")
    assert headings(text) == [
        "## Surveys",
        "## Datasets",
        "## Robots",
        "## Elsewhere",
        "## Taxonomy",
    ]
    assert section_of(text, "Surveyed grasping") == "## Surveys"  # earliest topic wins
    assert section_of(text, "A robot dataset") == "## Datasets"  # the kinds rule
    assert section_of(text, "Robot learning at scale") == "## Robots"
    assert section_of(text, "Unplaced") == "## Elsewhere"
    assert "Data goes to Datasets." in text
    assert "| Robots | robot, manipulation |" in text
    assert "| a | Misc | by title, else Elsewhere |" in text
    strict = ReadmeSettings(topics=SCHEME.topics, other="Elsewhere", by_title=False)
    text = readme.render(data_of(works, settings=strict))
    assert section_of(text, "Robot learning at scale") == "## Elsewhere"
    assert "| a | Misc | Elsewhere |" in text


def test_this_repositorys_topics_live_in_pipeline_toml() -> None:
    settings = load_settings(root=REPO, environ={}).readme
    names = [t.name for t in settings.topics]
    assert names[:3] == ["Surveys", "Benchmarks and Evaluation", "Datasets"]
    assert names[-1] == "Semantic Segmentation" and len(names) == 14
    assert settings.title == "Remote Sensing Vision-Language Papers"
    assert [t.kinds for t in settings.topics if t.kinds] == [("dataset",)]
    assert "TOPICS" not in vars(readme)  # no scheme in code any more


# -- kinds and nicknames ----------------------------------------------------------------------


def test_nickname_is_shown_before_the_title() -> None:
    works = [
        resolved("Visual Language Maps for Robot Navigation", ("a", 1, ("N",)), nickname="VLMaps"),
        resolved("Same", ("a", 2, ("N",)), nickname="same"),
        resolved("Star *text*", ("a", 3, ("N",)), nickname="**x**"),
    ]
    lines = work_lines(readme.render(data_of(works)))
    assert lines[0].startswith("- **VLMaps**: [Visual Language Maps for Robot Navigation](")
    assert lines[1].startswith("- [Same]")  # a nickname that is the title adds nothing
    assert lines[2].startswith("- **\\*\\*x\\*\\***: ")  # escaped, no markup of its own


def test_works_not_cited_say_their_kind_and_carry_no_key() -> None:
    video = Link("https://www.youtube.com/watch?v=x", "other")
    works = [
        resolved("A paper", ("a", 1, ("N",))),
        resolved("A dataset", ("a", 2, ("N",)), kind="dataset"),
        resolved("A tool", ("a", 3, ("N",)), kind="project", csl_type=""),
        resolved("A talk", ("a", 4, ("N",)), kind="other", links=(video,)),
        resolved("A blog", ("a", 5, ("N",)), kind="other"),
    ]
    data = data_of(works)
    lines = {x.split("](")[0][3:]: x for x in work_lines(readme.render(data))}
    assert lines["A paper"].endswith("`key0`") and lines["A dataset"].endswith("`key1`")
    assert " · software" in lines["A tool"] and "`key2`" not in lines["A tool"]
    assert " · video" in lines["A talk"] and "`key3`" not in lines["A talk"]
    assert " · resource" in lines["A blog"] and "`" not in lines["A blog"]
    assert [r.key for r, _ in data.current if data.cited(r)] == ["key0", "key1"]
    every = data_of(works, cite=("paper", "dataset", "project", "other"))
    assert all(line.endswith("`") for line in work_lines(readme.render(every)))


def _stage_project(tmp_path: Path, works: list[ResolvedWork], toml: str = "") -> Path:
    root = tmp_path / "project"
    (root / "build").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "build" / "resolved.json").write_text(json.dumps(to_json(works)), encoding="utf-8")
    (root / "pipeline.toml").write_text(toml, encoding="utf-8")
    return root


def test_only_cited_kinds_reach_papers_bib_and_json(tmp_path: Path) -> None:
    works = [
        resolved("A paper", ("a", 1, ("N",))),
        resolved("A dataset", ("a", 2, ("N",)), kind="dataset"),
        resolved("A tool", ("a", 3, ("N",)), kind="project", csl_type=""),
        resolved("A talk", ("a", 4, ("N",)), kind="other"),
        # the list guessed "project" (a data link, no paper link); its DOI's record says dataset
        resolved("Zenodo data", ("a", 5, ("N",)), kind="project", csl_type="dataset"),
    ]
    root = _stage_project(tmp_path, works)
    report = run_emit(load_settings(root=root, environ={}))
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    titles = {p["title"]: p["type"] for p in papers}
    assert titles == {"A paper": "article", "A dataset": "dataset", "Zenodo data": "dataset"}
    bib = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    assert "A tool" not in bib and "A talk" not in bib and "A paper" in bib
    assert report.counts["works"] == 5 and report.counts["bib_entries"] == 3
    text = (root / "output" / "README.md").read_text(encoding="utf-8")
    assert "A tool" in text and "A talk" in text  # listed all the same

    (root / "pipeline.toml").write_text('[emit]\ncite_kinds = ["paper", "project"]\n', "utf-8")
    run_emit(load_settings(root=root, environ={}))
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    # software is CSL "document": Zotero refuses a file holding one "software" item
    assert {p["title"]: p["type"] for p in papers} == {"A paper": "article", "A tool": "document"}


# -- a real list, end to end --------------------------------------------------------------------

ROBOTICS = SHARED / "lists" / "GT-RIPL__Awesome-LLM-Robotics__README.md"


def test_a_real_lists_readme_has_the_lists_own_headings(tmp_path: Path) -> None:
    source = require_shared(ROBOTICS)
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    shutil.copyfile(source, root / "sources" / "robotics.md")
    (root / "sources" / "sources.toml").write_text(
        '[[list]]\nid = "robotics"\nfile = "robotics.md"\ntitle = "Awesome-LLM-Robotics"\n',
        encoding="utf-8",
    )
    settings = load_settings(root=root, environ={}, offline=True, cache_dir=tmp_path / "cache")
    run_scrape(settings, None)
    run_resolve(settings)
    run_emit(settings)
    text = (root / "output" / "README.md").read_text(encoding="utf-8")
    works = json.loads((root / "build" / "works.json").read_text(encoding="utf-8"))
    # the list's own second-level headings that hold entries, in the list's order
    own = re.findall(r"^## (.+?)\s*$", source.read_text(encoding="utf-8"), flags=re.MULTILINE)
    holding = {p["section"][0] for w in works for p in w["places"] if p["section"]}
    expected = [f"## {name}" for name in own if name in holding]
    assert len(expected) >= 5
    assert text.startswith("# Awesome-LLM-Robotics\n")
    assert headings(text) == expected
    assert "## Other" not in text and "Multimodal Large Language Models" not in text
    # every work once (a work in several sections under its first)
    body = text.split("## Contents", 1)[1].splitlines()
    listed = [x for x in body if x.startswith("- ") and "](#" not in x]
    assert len(listed) == len(works)


def _by_key(lines: list[str]) -> dict[str, str]:
    """Citation key → the heading its work is under."""
    found: dict[str, str] = {}
    heading = ""
    for line in lines:
        if line.startswith("#"):
            heading = line
        elif line.startswith("- ") and line.endswith("`"):
            found[line.rsplit("`", 2)[1]] = heading
    return found


def test_this_repositorys_readme_keeps_its_topics(tmp_path: Path) -> None:
    """Offline, from the committed output/: the topic scheme in pipeline.toml gives the
    committed README's topics, each work under the same one, and the same Taxonomy rules.
    (Compared by key, not byte for byte, so that a scraper change alone fails nothing.)"""
    root = tmp_path / "project"
    for name in ("sources", "output"):
        shutil.copytree(REPO / name, root / name)
    shutil.copyfile(REPO / "pipeline.toml", root / "pipeline.toml")
    committed = (REPO / "output" / "README.md").read_text(encoding="utf-8")
    run_refresh(load_settings(root=root, environ={}, offline=True, cache_dir=tmp_path / "c"))
    now = (root / "output" / "README.md").read_text(encoding="utf-8")
    assert headings(now) == headings(committed)
    before, after = _by_key(committed.splitlines()), _by_key(now.splitlines())
    common = set(before) & set(after)
    assert len(common) > 150
    assert {k: after[k] for k in common} == {k: before[k] for k in common}
    rules = now.split("## Taxonomy", 1)[1].split("| list |", 1)[0]
    assert rules == committed.split("## Taxonomy", 1)[1].split("| list |", 1)[0]


@pytest.mark.parametrize("kind", ["project", "other"])
def test_resolve_looks_up_no_software_or_resource_by_title(kind: Kind) -> None:
    from pipeline.resolve.title_search import CrossrefTitleResolver, OpenAlexResolver

    for resolver in (CrossrefTitleResolver(), OpenAlexResolver()):
        assert resolver.wants(Work(id="t", kind="paper", title="A paper"))
        assert not resolver.wants(Work(id="t", kind=kind, title="A talk"))

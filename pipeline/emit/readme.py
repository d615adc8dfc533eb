"""``output/README.md``: the list, or the merged lists, regenerated.

By default each list keeps its own sections, in its own order, as headings: one list's
sections under the README's title, several lists each under its own title. A merged topic
scheme (``[readme] topics`` in ``pipeline.toml``, see :class:`Taxonomy`) instead puts every
work under one topic and ends the README with the mapping as a table. Everything from
upstream goes through :mod:`pipeline.emit.markdown`, so no title can inject markdown or HTML.
Nothing depends on a clock but the run date: the same input and run date give the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.config import ReadmeSettings
from pipeline.emit import highlights
from pipeline.emit.inputs import EmitInput
from pipeline.emit.linkfacts import LinkFacts
from pipeline.emit.markdown import Slugger, md_link, md_text, md_url
from pipeline.emit.records import Record, best_url, silent
from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids import github as github_ids
from pipeline.ids import venues
from pipeline.ids.tracking import strip_tracking
from pipeline.models import Kind, LinkStatus, Place, RepoFacts, ResolvedWork
from pipeline.text import clean_text

DEFAULT_TITLE = "Merged list"
"""The heading of a README of several lists when ``[readme] title`` names none."""
_Line = Callable[[Record, ResolvedWork], str]


def _plain(section: str) -> str:
    return clean_text(re.sub(r"<[^>]*>", "", section))


def _path_text(section: tuple[str, ...] | list[str]) -> str:
    return " / ".join(re.sub(r"<[^>]*>", "", s) for s in section).lower()


class Taxonomy:
    """A merged topic scheme: a section path containing one of a topic's phrases (at a word
    start, any case) maps to it, the first topic that matches wins; a work of a topic's
    ``kinds`` goes there unless a topic before it matches."""

    def __init__(self, settings: ReadmeSettings) -> None:
        self.settings = settings
        self.other = settings.other
        self.order = [t.name for t in settings.topics] + [settings.other]
        self.rules = [
            (t.name, re.compile(r"\b(" + "|".join(map(re.escape, t.match)) + ")"))
            for t in settings.topics
            if t.match
        ]

    def of_text(self, text: str) -> str:
        """The first topic whose rule matches ``text`` (lower-case), else the fallback."""
        return next((name for name, rule in self.rules if rule.search(text)), self.other)

    def of(self, rw: ResolvedWork, record: Record, kind: Kind) -> str:
        """A work's one topic: the earliest topic among its places' sections; works filed
        only under generic sections ("Paper List", "Others") are placed by their title."""
        found = {self.of_text(_path_text(p.section)) for p in rw.work.places} - {self.other}
        if not found and self.settings.by_title:
            found = {self.of_text(record.title.lower())} - {self.other}
        found |= {t.name for t in self.settings.topics if kind in t.kinds}
        return min(found, key=self.order.index) if found else self.other


def short_authors(record: Record) -> str:
    names = [n.sort_name for n in record.authors]
    if not names:
        return ""
    if len(names) == 1:
        return md_text(names[0], 100)
    if len(names) == 2:
        return f"{md_text(names[0], 100)} and {md_text(names[1], 100)}"
    return f"{md_text(names[0], 100)} et al\\."


class _Links(LinkFacts):
    """Links and repositories as the README shows them."""

    def __init__(self, data: EmitInput) -> None:
        super().__init__(data)
        self.run_date = data.run_date

    def show(self, label: str, url: str) -> str:
        """A link, its new address if it moved, and a mark if it is dead."""
        result = self.status.get(url)
        target = url
        if result and result.status == LinkStatus.MOVED and result.final_url:
            target = result.final_url
        if not md_url(target):
            return ""  # javascript:, file: … are never linked, nor shown as a link
        text = md_link(label, target)
        if result and result.status == LinkStatus.DEAD:
            text += " (link dead)"
        elif result and result.status == LinkStatus.PARKED:
            text += " (domain parked or for sale)"
        return text

    def repo(self, name: str) -> RepoFacts | None:
        return self.repos.get(name)

    def stars(self, name: str, fact: RepoFacts | None, fallback: int | None) -> str:
        stars = fact.stars if fact and fact.stars is not None else fallback
        if stars is None:
            return ""
        delta = self.delta(name, stars)
        text = f"⭐ {stars:,}"
        return text + (f" ({delta:+,})" if delta else "")


def _listed_in(rw: ResolvedWork) -> str:
    """``in rs-mllm › Datasets; rs-vlm › Captioning`` for a work listed in more than one
    list or section (one paper, one line: the line names every place it came from)."""
    seen: list[str] = []
    for place in rw.work.places:
        section = re.sub(r"<[^>]*>", "", place.section[-1]).strip() if place.section else ""
        label = place.source + (f" › {section}" if section else "")
        if label not in seen:
            seen.append(label)
    return "in " + "; ".join(md_text(x, 120) for x in seen) if len(seen) > 1 else ""


_VIDEO_HOSTS = ("youtube.com", "youtu.be", "vimeo.com", "bilibili.com")


def kind_mark(kind: Kind, rw: ResolvedWork) -> str:
    """What a work left out of the bibliography is, said on its line instead of a key."""
    if kind == "project":
        return "software"
    if kind == "other":
        hosts = {(urlsplit(link.url).hostname or "").removeprefix("www.") for link in rw.work.links}
        return "video" if any(h.endswith(_VIDEO_HOSTS) for h in hosts) else "resource"
    return kind


def work_line(
    record: Record, rw: ResolvedWork, links: _Links, *, cited: bool = True, kind: Kind = "paper"
) -> str:
    """``- **Nickname**: [Title](url) — Authors, *Venue* Year · paper · code ⭐ · project ·
    marks · `key```; a work not cited (``[emit] cite_kinds``) says its kind and has no key."""
    paper_urls = [link.url for link in rw.work.links if link.role == "paper"]
    title_url = (
        best_url(record)
        if record.doi or record.arxiv
        else record.url or (paper_urls[0] if paper_urls else best_url(record))
    )
    title = links.show(record.title, title_url) or md_text(record.title)
    nickname = clean_text(rw.work.nickname, 100)
    # a title that starts with the name says it already ("RS-LLaVA: Large …")
    if nickname and not record.title.casefold().startswith(nickname.casefold()):
        title = f"**{md_text(nickname)}**: {title}"
    authors = short_authors(record)
    venue = venues.label(record.container) or ("arXiv" if record.arxiv else "")
    where = " ".join(
        x for x in (f"*{md_text(venue, 200)}*" if venue else "", str(record.year or "")) if x
    )
    meta = ", ".join(x for x in (authors, where) if x)
    line = f"- {title}" + (f" — {meta}" if meta else "")
    extras: list[str] = [] if cited else [kind_mark(kind, rw)]
    if record.doi and record.arxiv:
        extras.append(links.show("arXiv", arxiv_ids.abs_url(record.arxiv)))
    for url in paper_urls:
        # the title already links the DOI or arXiv page; list links to it add nothing
        same_arxiv = record.arxiv and arxiv_ids.on_arxiv(url)
        if strip_tracking(url) != title_url and not same_arxiv and len(extras) < 2 + (not cited):
            extras.append(links.show("paper", url))
    code = [link.url for link in rw.work.links if link.role == "code"]
    for repo in record.github[:2]:
        fact = links.repo(repo)
        canonical = fact.canonical if fact and fact.canonical else repo
        url = github_ids.link_to(code, repo) or github_ids.home_url(canonical)
        text = links.show("code", url)
        stars = links.stars(repo, fact, record.stars if repo == record.github[0] else None)
        extras.append(" ".join(x for x in (text, stars) if x))
        if fact and fact.archived:
            extras.append("archived")
        elif fact and silent(fact.pushed_at, links.run_date):
            extras.append(f"silent since {str(fact.pushed_at)[:7]}")
    if not record.github:
        extras += [links.show("code", u) for u in code[:2]]
    for role, label in (("project", "project"), ("dataset", "data")):
        extras += [links.show(label, link.url) for link in rw.work.links if link.role == role][:2]
    listed = _listed_in(rw)
    if listed:
        extras.append(listed)
    if not record.verified:
        extras.append("unverified")
    if cited:
        extras.append(f"`{record.key}`")
    shown = [x for x in extras if x]
    return line + (" · " + " · ".join(shown) if shown else "")


def _sort_key(record: Record) -> tuple[int, str, str]:
    return (-(record.year or 0), record.title.casefold(), record.key)


def title_of(data: EmitInput) -> str:
    """The README's heading (the feed's title too)."""
    # One list (another maintainer's repository, `pipeline init`): the README is that list's.
    title = data.readme.title or (data.sources[0].title if len(data.sources) == 1 else "")
    return clean_text(title) or DEFAULT_TITLE


def filed_under(data: EmitInput) -> Callable[[Record, ResolvedWork], str]:
    """What the README files a work under: its topic, else the title of its first list."""
    if data.readme.topics:
        taxonomy = Taxonomy(data.readme)
        return lambda record, rw: taxonomy.of(rw, record, data.kind(record))
    rank = {s.id: n for n, s in enumerate(data.sources)}
    titles = {s.id: s.title or s.id for s in data.sources}

    def first_list(record: Record, rw: ResolvedWork) -> str:
        place = _first_place(rw, rank)
        return titles.get(place.source, place.source) if place else data.readme.other

    return first_list


def render(data: EmitInput) -> str:
    """The whole README text."""
    links = _Links(data)

    def line(record: Record, rw: ResolvedWork) -> str:
        return work_line(record, rw, links, cited=data.cited(record), kind=data.kind(record))

    statuses = Counter(link.status for link in data.links.links)
    checked = sum(n for s, n in statuses.items() if s != LinkStatus.UNCHECKED)
    with_code = sum(
        1
        for r, rw in data.current
        if r.github or any(link.role == "code" for link in rw.work.links)
    )
    used = sorted({p.source for _, rw in data.current for p in rw.work.places})
    unverified = sum(not r.verified for r, _ in data.current)

    title = title_of(data)
    anchor = Slugger()  # GitHub's anchors, unique over the whole page
    for heading in (title, *highlights.HEADINGS, "Lists merged", "Contents"):
        anchor(heading)
    out = [
        f"# {md_text(title)}",
        "",
        "The merged list, regenerated by `pipeline emit` from the source lists below; edit "
        "those lists, not this file. Citation keys refer to `papers.bib` and `papers.json`.",
        "",
        f"**{len(data.current)}** works · **{len(used)}** lists merged · "
        f"**{with_code}** with code · **{checked}** links checked · "
        f"**{statuses.get(LinkStatus.DEAD, 0)}** dead"
        + (
            f" · **{statuses[LinkStatus.PARKED]}** parked"
            if statuses.get(LinkStatus.PARKED)
            else ""
        ),
        "",
    ]
    if unverified:
        out += [
            f"{unverified} works carry only what their list says (marked *unverified*).",
            "",
        ]
    out += highlights.readme_sections(data, line)
    out += ["## Lists merged", ""]
    by_id = {s.id: s for s in data.sources}
    for source_id in used:
        source = by_id.get(source_id)
        if source and source.repo:
            label = source.title or source.repo
            out.append(f"- {md_link(label, github_ids.home_url(source.repo))}")
        else:
            out.append(f"- {md_text(source_id)}")
    out += ["", "## Contents", ""]
    if data.readme.topics:
        out += _by_topic(data, line, anchor)
    else:
        out += _by_section(data, line, anchor)
    return "\n".join(out) + "\n"


def _by_topic(data: EmitInput, line: _Line, anchor: Slugger) -> list[str]:
    """Contents, one heading per topic (works newest first) and the Taxonomy table."""
    taxonomy = Taxonomy(data.readme)
    grouped: dict[str, list[tuple[Record, ResolvedWork]]] = {}
    for record, rw in data.current:
        grouped.setdefault(taxonomy.of(rw, record, data.kind(record)), []).append((record, rw))
    headings = [name for name in taxonomy.order if name in grouped]
    anchors = {name: anchor(name) for name in [*headings, "Taxonomy"]}
    out: list[str] = []
    for name in headings:
        out.append(f"- [{md_text(name)}](#{anchors[name]}) ({len(grouped[name])})")
    out.append(f"- [Taxonomy](#{anchors['Taxonomy']})")
    for name in headings:
        out += ["", f"## {md_text(name)}", ""]
        for record, rw in sorted(grouped[name], key=lambda x: _sort_key(x[0])):
            out.append(line(record, rw))
    return out + _taxonomy_table(data, taxonomy)


def _taxonomy_table(data: EmitInput, taxonomy: Taxonomy) -> list[str]:
    """Every source section seen, and the topic it maps to."""
    settings = data.readme
    fallback = "by title, else " + settings.other if settings.by_title else settings.other
    rows: set[tuple[str, str, str]] = set()
    for _, rw in data.current:
        for place in rw.work.places:
            path = " / ".join(re.sub(r"<[^>]*>", "", s) for s in place.section)
            topic = taxonomy.of_text(path.lower())
            rows.add((place.source, path, topic if topic != settings.other else fallback))
    notes = [
        t.note
        or f"Works of kind {', '.join(t.kinds)} go to {t.name} unless a topic above it matches."
        for t in settings.topics
        if t.note or t.kinds
    ]
    out = [
        "",
        "## Taxonomy",
        "",
        " ".join(
            [
                "Each list's sections map to one topic by the first rule that matches the "
                "section path; a work in several sections goes to the earliest topic in the "
                "contents.",
                *notes,
            ]
        ),
        "",
        "| topic | a section path containing |",
        "| --- | --- |",
    ]
    for entry in settings.topics:
        rule = ", ".join(entry.match) or "(works of kind " + ", ".join(entry.kinds) + ")"
        out.append(f"| {md_text(entry.name)} | {md_text(rule)} |")
    anything = "anything else" + (
        " (placed by title words when they match a rule above)" if settings.by_title else ""
    )
    out += [
        f"| {md_text(settings.other)} | {anything} |",
        "",
        "| list | section | topic |",
        "| --- | --- | --- |",
    ]
    for source, path, topic in sorted(rows):
        out.append(f"| {md_text(source)} | {md_text(path) or '(none)'} | {md_text(topic)} |")
    return out


@dataclass
class _Section:
    """A heading of the regenerated README: a list's section (or the list itself) with the
    works placed there and its subsections, each ordered by where it starts in the list."""

    name: str
    start: int = 1 << 62
    works: list[tuple[int, Record, ResolvedWork]] = field(default_factory=list)
    children: dict[str, _Section] = field(default_factory=dict)

    def add(self, path: list[str], at: int, item: tuple[Record, ResolvedWork]) -> None:
        self.start = min(self.start, at)
        if path:
            child = self.children.setdefault(path[0], _Section(path[0]))
            child.add(path[1:], at, item)
        else:
            self.works.append((at, *item))

    def count(self) -> int:
        return len(self.works) + sum(c.count() for c in self.children.values())

    def ordered(self) -> list[_Section]:
        return sorted(self.children.values(), key=lambda c: c.start)


def _first_place(rw: ResolvedWork, rank: dict[str, int]) -> Place | None:
    """Where a work in several places is shown: its first list (sources.toml order), the
    earliest line there."""
    places = sorted(rw.work.places, key=lambda p: (rank.get(p.source, len(rank)), p.source, p.line))
    return places[0] if places else None


def _by_section(data: EmitInput, line: _Line, anchor: Slugger) -> list[str]:
    """The lists' own sections as headings, in each list's order (works in list order); a
    README of several lists heads each list's sections with the list's title."""
    rank = {s.id: n for n, s in enumerate(data.sources)}
    titles = {s.id: s.title or s.id for s in data.sources}
    sources = sorted(
        {p.source for _, rw in data.current for p in rw.work.places},
        key=lambda s: (rank.get(s, len(rank)), s),
    )
    single = len(sources) <= 1
    roots = {s: _Section(titles.get(s, s)) for s in sources}
    unplaced = _Section(data.readme.other)
    for record, rw in data.current:
        place = _first_place(rw, rank)
        if place is None:
            unplaced.add([], 0, (record, rw))
            continue
        path = [x for x in map(_plain, place.section) if x]
        if single and not path:
            path = [data.readme.other]  # works above the list's first heading get one
        roots[place.source].add(path, place.line, (record, rw))
    if single:
        tops = [c for root in roots.values() for c in root.ordered()]
    else:
        tops = list(roots.values())
    if unplaced.works:
        tops.append(unplaced)

    contents: list[str] = []
    body: list[str] = []

    def walk(section: _Section, depth: int) -> None:
        name = md_text(section.name) or md_text(data.readme.other)
        target = anchor(clean_text(section.name) or data.readme.other)
        contents.append(f"{'  ' * depth}- [{name}](#{target}) ({section.count()})")
        body.extend(["", f"{'#' * min(depth + 2, 6)} {name}"])
        if section.works:
            body.append("")
            body.extend(line(r, rw) for _, r, rw in sorted(section.works, key=lambda w: w[0]))
        for child in section.ordered():
            walk(child, depth + 1)

    for top in tops:
        walk(top, 0)
    return contents + body


__all__ = ["Taxonomy", "render", "work_line"]

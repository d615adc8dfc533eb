"""``output/README.md``: the merged list, regenerated.

One taxonomy of topics is mapped from the source lists' own section names (:data:`TOPICS`,
first matching rule wins; the README ends with the mapping as a table). Everything from
upstream goes through :mod:`pipeline.emit.markdown`, so no title can inject markdown or HTML.
Nothing time-dependent is written: the same input gives the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.emit.inputs import EmitInput
from pipeline.emit.markdown import md_link, md_text, md_url, slug
from pipeline.emit.records import Record, best_url
from pipeline.ids.tracking import strip_tracking
from pipeline.models import LinkStatus, RepoFacts, ResolvedWork

# (heading, phrases): a section path containing one of the phrases (at a word start, any
# case) maps to the topic; the first topic that matches wins. Order = README order.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Surveys", ("survey", "review")),
    ("Benchmarks and Evaluation", ("benchmark", "evaluation")),
    ("Datasets", ("dataset",)),
    (
        "Multimodal Large Language Models",
        ("large language", "mllm", "llm", "vision-language model", "vision language model"),
    ),
    ("Agents", ("agent",)),
    (
        "Foundation Models and Pre-training",
        ("foundation", "pre-training", "pretraining", "vision-location", "vision-audio"),
    ),
    ("Image-Text Retrieval", ("retrieval", "hash", "closed-domain", "open-domain")),
    ("Image Captioning", ("caption",)),
    ("Visual Question Answering", ("question answering", "vqa")),
    ("Visual Grounding", ("grounding", "referring")),
    ("Text-to-Image Generation", ("generation", "diffusion", "synthesis")),
    ("Scene Classification", ("classification", "zero-shot")),
    ("Object Detection", ("detection",)),
    ("Semantic Segmentation", ("segmentation",)),
)
OTHER = "Other"
_RULES = [(name, re.compile(r"\b(" + "|".join(map(re.escape, p)) + ")")) for name, p in TOPICS]


def _path_text(section: tuple[str, ...] | list[str]) -> str:
    return " / ".join(re.sub(r"<[^>]*>", "", s) for s in section).lower()


def topic_of_text(text: str) -> str:
    """The first topic whose rule matches ``text`` (lower-case), else Other."""
    return next((name for name, rule in _RULES if rule.search(text)), OTHER)


def topic_of(rw: ResolvedWork, record: Record) -> str:
    """A work's one topic: the highest-priority topic among its places' sections; works
    filed only under generic sections ("Paper List", "Others") are placed by their title."""
    order = [name for name, _ in TOPICS] + [OTHER]
    found = {topic_of_text(_path_text(p.section)) for p in rw.work.places} - {OTHER}
    if not found:
        found = {topic_of_text(record.title.lower())} - {OTHER}
    if record.type == "dataset" and not found & {"Surveys", "Benchmarks and Evaluation"}:
        found = {"Datasets"}
    return min(found, key=order.index) if found else OTHER


def short_authors(record: Record) -> str:
    names = [n.sort_name for n in record.authors]
    if not names:
        return ""
    if len(names) == 1:
        return md_text(names[0], 100)
    if len(names) == 2:
        return f"{md_text(names[0], 100)} and {md_text(names[1], 100)}"
    return f"{md_text(names[0], 100)} et al\\."


class _Links:
    """Link statuses and repository facts, with the previous run's stars for deltas."""

    def __init__(self, data: EmitInput) -> None:
        # records carry URLs without tracking parameters (ids.tracking); their status is the
        # checked link's
        self.status = {strip_tracking(link.url): link for link in data.links.links}
        self.status |= {link.url: link for link in data.links.links}
        self.repos = {r.repo.lower(): r for r in data.links.repos}
        self.previous = {r.repo.lower(): r for r in data.previous_links.repos}

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
        delta = fact.stars_delta if fact else None
        before = self.previous.get(name)
        if delta is None and before is not None and before.stars is not None:
            delta = stars - before.stars
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


def work_line(record: Record, rw: ResolvedWork, links: _Links) -> str:
    """``- [Title](url) — Authors, *Venue* Year · paper · code ⭐ · project · marks · `key```."""
    paper_urls = [link.url for link in rw.work.links if link.role == "paper"]
    title_url = (
        best_url(record)
        if record.doi or record.arxiv
        else record.url or (paper_urls[0] if paper_urls else best_url(record))
    )
    title = links.show(record.title, title_url) or md_text(record.title)
    authors = short_authors(record)
    venue = record.container or ("arXiv" if record.arxiv else "")
    where = " ".join(
        x for x in (f"*{md_text(venue, 200)}*" if venue else "", str(record.year or "")) if x
    )
    meta = ", ".join(x for x in (authors, where) if x)
    line = f"- {title}" + (f" — {meta}" if meta else "")
    extras: list[str] = []
    if record.doi and record.arxiv:
        extras.append(links.show("arXiv", f"https://arxiv.org/abs/{record.arxiv}"))
    for url in paper_urls:
        # the title already links the DOI or arXiv page; list links to it add nothing
        same_arxiv = record.arxiv and "arxiv.org/" in url.lower()
        if strip_tracking(url) != title_url and not same_arxiv and len(extras) < 2:
            extras.append(links.show("paper", url))
    code = [link.url for link in rw.work.links if link.role == "code"]
    for repo in record.github[:2]:
        fact = links.repo(repo)
        canonical = fact.canonical if fact and fact.canonical else repo
        url = next((u for u in code if repo in u.lower()), f"https://github.com/{canonical}")
        text = links.show("code", url)
        stars = links.stars(repo, fact, record.stars if repo == record.github[0] else None)
        extras.append(" ".join(x for x in (text, stars) if x))
        if fact and fact.archived:
            extras.append("archived")
    if not record.github:
        extras += [links.show("code", u) for u in code[:2]]
    for role, label in (("project", "project"), ("dataset", "data")):
        extras += [links.show(label, link.url) for link in rw.work.links if link.role == role][:2]
    listed = _listed_in(rw)
    if listed:
        extras.append(listed)
    if not record.verified:
        extras.append("unverified")
    extras.append(f"`{record.key}`")
    return line + " · " + " · ".join(x for x in extras if x)


def _sort_key(record: Record) -> tuple[int, str, str]:
    return (-(record.year or 0), record.title.casefold(), record.key)


def render(data: EmitInput) -> str:
    """The whole README text."""
    links = _Links(data)
    grouped: dict[str, list[tuple[Record, ResolvedWork]]] = {}
    for record, rw in data.current:
        grouped.setdefault(topic_of(rw, record), []).append((record, rw))
    statuses = Counter(link.status for link in data.links.links)
    checked = sum(n for s, n in statuses.items() if s != LinkStatus.UNCHECKED)
    with_code = sum(
        1
        for r, rw in data.current
        if r.github or any(link.role == "code" for link in rw.work.links)
    )
    used = sorted({p.source for _, rw in data.current for p in rw.work.places})
    unverified = sum(not r.verified for r, _ in data.current)

    # One list (another maintainer's repository, `pipeline init`): the README is that list's.
    title = data.sources[0].title if len(data.sources) == 1 else ""
    out = [
        f"# {title or 'Remote Sensing Vision-Language Papers'}",
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
    out += ["## Lists merged", ""]
    by_id = {s.id: s for s in data.sources}
    for source_id in used:
        source = by_id.get(source_id)
        if source and source.repo:
            label = source.title or source.repo
            out.append(f"- {md_link(label, f'https://github.com/{source.repo}')}")
        else:
            out.append(f"- {md_text(source_id)}")
    out += ["", "## Contents", ""]
    headings = [name for name in [n for n, _ in TOPICS] + [OTHER] if name in grouped]
    for name in headings:
        out.append(f"- [{name}](#{slug(name)}) ({len(grouped[name])})")
    out.append(f"- [Taxonomy](#{slug('Taxonomy')})")
    for name in headings:
        out += ["", f"## {name}", ""]
        for record, rw in sorted(grouped[name], key=lambda x: _sort_key(x[0])):
            out.append(work_line(record, rw, links))
    out += _taxonomy_table(data)
    return "\n".join(out) + "\n"


def _taxonomy_table(data: EmitInput) -> list[str]:
    """Every source section seen, and the topic it maps to."""
    rows: set[tuple[str, str, str]] = set()
    for _, rw in data.current:
        for place in rw.work.places:
            path = " / ".join(re.sub(r"<[^>]*>", "", s) for s in place.section)
            topic = topic_of_text(path.lower())
            rows.add((place.source, path, topic if topic != OTHER else "by title, else Other"))
    out = [
        "",
        "## Taxonomy",
        "",
        "Each list's sections map to one topic by the first rule that matches the section "
        "path; a work in several sections goes to the earliest topic in the contents. "
        "Datasets go to Datasets unless filed under surveys or benchmarks.",
        "",
        "| topic | a section path containing |",
        "| --- | --- |",
    ]
    for name, phrases in TOPICS:
        out.append(f"| {name} | {md_text(', '.join(phrases))} |")
    out += [
        f"| {OTHER} | anything else (placed by title words when they match a rule above) |",
        "",
        "| list | section | topic |",
        "| --- | --- | --- |",
    ]
    for source, path, topic in sorted(rows):
        out.append(f"| {md_text(source)} | {md_text(path) or '(none)'} | {md_text(topic)} |")
    return out


__all__ = ["TOPICS", "render", "topic_of"]

"""Entry building: the links and identifiers gathered for one entry, and the entries a list
item, a table row or a heading gives, with the warnings (``file:line: reason``) on the way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it_pyrs import Node

from pipeline.ids import venues
from pipeline.ids.links import Identified, identify
from pipeline.models import Entry, Finding, Ids, Link, LinkRole
from pipeline.scrape.fields import (
    DATASET_HEADERS,
    DATASET_WORD,
    NAME_HEADERS,
    PAREN_DATE,
    TRAILING_VENUE,
    VENUE_TAG,
    cell_title,
    column_role,
    find_column,
    parse_date,
    parse_venue,
    split_authors,
    stated_venue,
    text_role,
    title_columns,
    title_segment,
)
from pipeline.scrape.inline import Inline, RawLink, plain
from pipeline.scrape.kinds import entry_kind
from pipeline.scrape.repair import clean_title, is_no_value, norm_header
from pipeline.scrape.row import name_like, read_row


@dataclass
class Parsed:
    """Entries read from one list and the warnings (``file:line: reason``) on the way."""

    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: list[tuple[Entry, Finding]] = field(default_factory=list)
    """Findings about an entry (its work id is filled in once entries are merged)."""


@dataclass
class Item:
    """An open list item while walking the tokens."""

    line: int
    inlines: list[Inline] = field(default_factory=list)
    sub_texts: list[str] = field(default_factory=list)
    parent: Item | None = None
    nested: list[Node] = field(default_factory=list)


@dataclass
class EntryLinks:
    """Links and ids gathered for one entry."""

    links: list[Link] = field(default_factory=list)
    ids: list[tuple[Identified, str]] = field(default_factory=list)
    github: list[str] = field(default_factory=list)

    def add_image(self, src: str) -> None:
        if src.startswith(("http://", "https://")):
            found = identify(src)
            if found.badge and found.github and found.github not in self.github:
                self.github.append(found.github)

    def add_link(self, raw: RawLink, fallback: LinkRole | None) -> None:
        href = raw.href.strip()
        if not href.lower().startswith(("http://", "https://")):
            return  # anchors, relative paths, mailto:, empty [Link]()
        found = identify(href)
        if found.badge:
            if found.github and found.github not in self.github:
                self.github.append(found.github)
            return
        role = found.role
        if role == "other":
            role = text_role(raw.text) or fallback or "other"
        self.ids.append((found, raw.text))
        if found.github and found.github not in self.github:
            self.github.append(found.github)
        if all(link.url != href for link in self.links):
            self.links.append(Link(href, role))

    def names_paper(self) -> bool:
        return any(f.arxiv or f.doi or f.ieee or f.page for f, _ in self.ids)

    def titles_paper(self, title: str) -> bool:
        """Whether ``title`` is the text of a link naming a paper."""
        return any(
            (f.arxiv or f.doi or f.ieee or f.page) and clean_title(text) == title
            for f, text in self.ids
        )

    def has_paper(self) -> bool:
        return any(link.role == "paper" for link in self.links) or self.names_paper()

    def build_ids(self, where: str, warnings: list[str]) -> tuple[Ids, list[tuple[str, str, str]]]:
        """The entry's ids, and the ``(kind, kept, ignored)`` of each second arXiv id, DOI or
        IEEE document the row links: two papers in one row, of which the entry keeps one."""
        ids = Ids(github=list(self.github))
        dropped: list[tuple[str, str, str]] = []
        for name, label in (("arxiv", "arxiv"), ("doi", "doi"), ("ieee", "ieee")):
            seen: list[tuple[str, bool]] = []
            for found, text in self.ids:
                value = getattr(found, name)
                if value and all(value != v for v, _ in seen):
                    seen.append((value, label in text.lower()))
            if not seen:
                continue
            # Two different ids in one entry: the link the list labels with the id's own
            # name ("[arXiv](…)") states it on purpose; otherwise the first link wins.
            chosen = next((v for v, labelled in seen if labelled), seen[0][0])
            if len(seen) > 1:
                others = ", ".join(v for v, _ in seen if v != chosen)
                warnings.append(
                    f"{where}: links give different {name} ids; kept {chosen}, ignored {others}"
                )
                dropped += [(name, chosen, v) for v, _ in seen if v != chosen]
            setattr(ids, name, chosen)
        for found, _ in self.ids:
            if found.page and found.page not in ids.pages:
                ids.pages.append(found.page)
        return ids, dropped


class EntryBuilder:
    """Turns what the walk hands over (list items, table rows, headings) into the entries of
    one list, keeping the section path and the warnings."""

    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.out = Parsed()
        self.headings: list[tuple[int, str]] = []
        self.title_heading_seen = False
        self.title_year: str | None = None
        """A year in the list's own title (``WACV-2024-Papers``): its papers' year when
        nothing nearer says one."""

    # sections ---------------------------------------------------------------------------

    def section(self) -> list[str]:
        return [text for _, text in self.headings]

    def heading(self, level: int, text: str) -> bool:
        """Enter a section; False for the document's own title, which is none."""
        if not self.title_heading_seen:
            self.title_heading_seen = True
            if level == 1 and not self.out.entries:
                year = _YEAR_IN_TITLE.search(text)
                self.title_year = year.group(1) if year else None
                return False
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        if text:
            self.headings.append((level, text))
        return True

    def warn(self, line: int, reason: str) -> None:
        self.out.warnings.append(f"{self.file}:{line}: {reason}")

    def in_dataset_section(self) -> bool:
        return any(DATASET_WORD.search(text) for text in self.section())

    # entries ------------------------------------------------------------------------------

    def entry(
        self,
        line: int,
        *,
        title: str,
        found: EntryLinks,
        dataset: bool,
        authors: list[str],
        venue: str | None,
        date: str | None,
        section: list[str] | None = None,
        nickname: str | None = None,
    ) -> None:
        where = f"{self.file}:{line}"
        title, stated = venues.split_title(title)  # "Title: The International Conference on …"
        venue = venue or stated
        path = self.section() if section is None else section
        date = date or _heading_year(path) or self.title_year
        kind = entry_kind(
            dataset=dataset,
            named=found.names_paper(),
            titled=found.titles_paper(title),
            linked=found.has_paper(),
            links=found.links,
            section=path,
        )
        ids, dropped = found.build_ids(where, self.out.warnings)
        entry = Entry(
            source=self.source,
            file=self.file,
            line=line,
            section=path,
            kind=kind,
            title=title,
            authors=authors,
            venue=venue,
            date=date,
            links=found.links,
            ids=ids,
            nickname=nickname,
        )
        self.out.entries.append(entry)
        for name, kept, other in dropped:
            label = {"arxiv": "arXiv", "doi": "DOI", "ieee": "IEEE document"}[name]
            finding = Finding.at(
                entry.place,
                "two-papers",
                "",
                list_says={"title": title, name: other},
                registry_says={},
                message=(
                    f"links {label} {kept} and {label} {other}: two papers in one row; "
                    f"the entry is {kept}, {other} is on no entry unless another row lists it"
                ),
            )
            self.out.findings.append((entry, finding))

    def list_item(self, item: Item) -> None:
        if not item.inlines:
            return
        first = item.inlines[0]
        parts = read_row(first)
        found = EntryLinks()
        for number, inline in enumerate(item.inlines):
            for src in inline.images:
                found.add_image(src)
            for index, raw in enumerate(inline.links):
                # a venue label links the paper: [[CVPR](…)] Title
                label = number == 0 and index == parts.venue_link
                found.add_link(raw, "paper" if label else None)
        # a [VENUE] tag is plain text; "[[arXiv](…)]" is a link in brackets, not a venue
        tag = VENUE_TAG.match(
            "".join(p.text for p in first.pieces if p.link is None and not p.strong)
        )
        if not found.links and not found.github and not (tag and parts.title):
            return  # prose, a table of contents or an update note, not an entry
        title, venue, date, nickname = parts.title, None, None, parts.nickname
        if parts.described and not found.has_paper():
            # "[Name](code): what it does": a project's name is its title
            title, nickname = nickname or title, None
        trailing = TRAILING_VENUE.match(title)
        if trailing and not any(p.strong for p in first.pieces):
            # "1. Title. VENUE2022. | [paper](…) | [code](…) |"
            title = trailing.group(1)
            venue, date = parse_venue(trailing.group(2))
        if not title:
            self.warn(item.line, "list item has links but no title; skipped")
            return
        if found.has_paper() and not nickname:
            self._warn_untold(item, title)
        if tag:
            venue, date = parse_venue(tag.group(1))
        elif parts.venue_link is not None:
            venue, date = parse_venue(first.links[parts.venue_link].text)
        venue, date = _item_venue(item, title, nickname, venue, date)
        self.entry(
            item.line,
            title=title,
            found=found,
            dataset=self.in_dataset_section(),
            authors=split_authors(item.sub_texts[0]) if item.sub_texts else [],
            venue=venue,
            date=date,
            nickname=nickname,
        )

    def _warn_untold(self, item: Item, title: str) -> None:
        """A paper row titled by a name while it holds more text: maybe a layout misread."""
        other = _without(_outside_links(item), title)
        if name_like(title) and len(re.findall(r"[^\W\d_]{2,}", other)) >= _UNTOLD_WORDS:
            self.warn(
                item.line,
                f"title {title!r} may be a name: the row's other text was not read as its title",
            )

    def table(self, header: list[str], rows: list[tuple[int, list[Inline]]]) -> None:
        names = [norm_header(h) for h in header]
        venue_col = find_column(
            names, ("publication", "published", "venue", "journal", "conference")
        )
        date_col = find_column(names, ("date", "year", "time"))
        title_cols = title_columns(names, (date_col, venue_col))
        author_col = find_column(names, ("author",))
        dataset = self.in_dataset_section() or any(
            names[i] in DATASET_HEADERS for i in title_cols if i < len(names)
        )
        for line, cells in rows:
            self.table_row(line, names, cells, title_cols, venue_col, date_col, author_col, dataset)

    def table_row(
        self,
        line: int,
        names: list[str],
        cells: list[Inline],
        title_cols: list[int],
        venue_col: int | None,
        date_col: int | None,
        author_col: int | None,
        dataset: bool,
    ) -> None:
        if all(not c.text().strip() and not c.links and not c.images for c in cells):
            return  # an empty row says nothing
        title, col = "", title_cols[0]
        authors: list[str] = []
        for candidate in title_cols:
            if candidate < len(cells):
                title, authors = cell_title(cells[candidate])
                if title and not is_no_value(title):
                    col = candidate
                    break
        if not title or is_no_value(title):
            name = names[col] if col < len(names) and names[col] else "title"
            self.warn(line, f"table row has an empty {name} cell; skipped")
            return
        found = EntryLinks()
        for index, cell in enumerate(cells):
            fallback: LinkRole | None = "paper" if index == col else column_role(names[index])
            for src in cell.images:
                found.add_image(src)
            for raw in cell.links:
                role = fallback
                if index == col and raw.segment != title_segment(cell):
                    role = None
                found.add_link(raw, role)
        venue = date = None
        if venue_col is not None and venue_col < len(cells) and venue_col != col:
            venue, date = parse_venue(cells[venue_col].text())
        if date_col is not None and date_col < len(cells) and date_col != col:
            date = parse_date(cells[date_col].text()) or date
        if author_col is not None and author_col < len(cells) and author_col != col:
            authors = split_authors(cells[author_col].text()) or authors
        self.entry(
            line,
            title=title,
            found=found,
            dataset=dataset,
            authors=authors,
            venue=venue,
            date=date,
            nickname=_name_cell(names, cells, col, title),
        )


def _name_cell(names: list[str], cells: list[Inline], col: int, title: str) -> str | None:
    """The short name a row gives its paper in a name column beside the title column
    (``| RemoteCLIP | RemoteCLIP: A Vision Language Foundation Model … |``)."""
    if col < len(names) and names[col] in NAME_HEADERS:
        return None
    for index, name in enumerate(names):
        if name in NAME_HEADERS and index < len(cells) and index != col:
            text, _ = cell_title(cells[index])
            if text and not is_no_value(text) and name_like(text) and text != title:
                return text
    return None


_UNTOLD_WORDS = 5
"""Words of text beside a name-like title that make the row worth a warning."""

_NON_PAPER_SECTION = 5
"""Rows in one section, none a paper or dataset, that make the section worth a warning."""


def section_warnings(entries: list[Entry], file: str) -> list[str]:
    """A warning for each section of many rows none of which was read as a paper or dataset:
    a layout misread, or a section to exclude in pipeline.toml."""
    by_section: dict[tuple[str, ...], list[Entry]] = {}
    for entry in entries:
        by_section.setdefault(tuple(entry.section), []).append(entry)
    out: list[str] = []
    for section, rows in by_section.items():
        if len(rows) >= _NON_PAPER_SECTION and all(e.kind in ("project", "other") for e in rows):
            kinds = ", ".join(sorted({e.kind for e in rows}))
            name = " / ".join(section) or "(no section)"
            out.append(
                f"{file}:{rows[0].line}: section {name!r}: {len(rows)} rows read as {kinds}, "
                "none as papers (kept in the README, not cited)"
            )
    return out


_YEAR_HEADING = re.compile(r"^\W*((?:19|20)\d\d)\W*\Z")
_YEAR_IN_TITLE = re.compile(r"(?<![\d.])((?:19|20)\d\d)(?![\d.])")


def _heading_year(section: list[str]) -> str | None:
    """The year of the nearest heading that is one (``### 2024``, ``## 2024:``)."""
    for text in reversed(section):
        match = _YEAR_HEADING.match(text)
        if match:
            return match.group(1)
    return None


def _item_venue(
    item: Item, title: str, nickname: str | None, venue: str | None, date: str | None
) -> tuple[str | None, str | None]:
    """Venue and date of a bullet row: ``(2023.06)`` anywhere, else what the text outside
    its title and links states (``arXiv, May 2026``, ``(CVPR 2023)`` …)."""
    text = " ".join(plain(inline.pieces) for inline in item.inlines)
    paren = PAREN_DATE.search(text)
    if paren:
        date = parse_date(paren.group(1)) or date
    if not date:
        stated, date = stated_venue(_without(_outside_links(item), title, nickname))
        venue = venue or stated
    return venue, date


def _outside_links(item: Item) -> str:
    """An item's text outside its links (where it states venue and year)."""
    return " ".join(
        "".join(" " if p.brk else p.text for p in inline.pieces if p.link is None)
        for inline in item.inlines
    )


def _without(text: str, *parts: str | None) -> str:
    """``text`` with the first occurrence of each part taken out (a title that holds a year
    must not date the paper)."""
    for part in parts:
        if part:
            at = text.find(part)
            if at >= 0:
                text = text[:at] + " " + text[at + len(part) :]
    return text

"""Markdown lists and tables → Entry records.

The text is parsed by markdown-it (CommonMark + GFM tables): markdown-it.rs through
markdown-it-pyrs for speed (markdown-it-py alone takes over 4 s to parse the benchmark's
10,000 entries, which the whole stage reads in 1.5 s this way), and markdown-it-py, the
reference port, when the Rust parser panics. Entries are read from the syntax tree, not from regular expressions over
raw markdown:

- bullet items that carry an external link (or a ``[VENUE]`` tag and a bold title): the
  bold text (else a quoted title, a link's text, or the text outside links) is the title,
  ``[VENUE YEAR]`` and ``(YYYY.MM)`` give venue and date, a link-less sub-bullet the authors;
- table body rows: the header row says which column holds the title, venue, date and links,
  whatever the list calls them; ``<br>`` (and the ``<be>`` typo) split a cell into badge,
  title and authors;
- one heading per paper: a heading whose paragraphs carry a paper link (``**Authors**:``
  gives the authors), unless a list or table under it gave entries.

Dataset-ness comes from the section path and the header of the title column, never from a
file name. A row or item that cannot be read becomes a warning ``file:line: reason``; nothing
in here raises on odd input (property-tested).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import ftfy
from markdown_it import MarkdownIt as PyMarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markdown_it_pyrs import MarkdownIt, Node

from pipeline.ids.links import Identified, identify
from pipeline.models import Entry, Ids, Kind, Link, LinkRole

_MD = MarkdownIt("commonmark").enable("table")
_MD_PY = PyMarkdownIt("commonmark").enable("table")
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False)

# Inline HTML that only formats text; any other tag (<br>, <p>, the common <be> typo …)
# separates the parts of a cell.
_FORMAT_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "big",
        "cite",
        "code",
        "del",
        "em",
        "font",
        "i",
        "ins",
        "kbd",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "tt",
        "u",
        "var",
        "img",
    ]
)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Anchored patterns end in "\Z": "$" also matches before a final newline.
_DATE = re.compile(r"^((?:19|20)\d\d)(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?\Z")
_PAREN_DATE = re.compile(r"\(\s*((?:19|20)\d\d(?:[-./]\d{1,2}(?:[-./]\d{1,2})?)?)\s*\)")
_VENUE_TAG = re.compile(r"^\s*\[([^\[\]]{1,80})\]\s*\|?\s*")
_DATASET_WORD = re.compile(r"\bdata\s?sets?\b", re.IGNORECASE)
_NO_VALUE = frozenset({"", "-", "--", "—", "–", "null", "none", "n/a", "na", "tbd", "todo"})
_GENERIC_LINK_TEXT = re.compile(
    r"^(?:pdf|paper|papers|link|links|code|github|project|project page|page|home|homepage|"
    r"website|arxiv|data|dataset|download|demo|video|slides|blog|html|url|here|star|"
    r"model|weights|huggingface|hugging face|google drive|baiduyun|onedrive|\W*)\Z",
    re.IGNORECASE,
)
_MOJIBAKE_RUN = re.compile(r"[^\x00-\x7f]{2,}")

# Header words → column meaning; earlier title words win when a table has several.
_TITLE_HEADERS = (
    ("title", "paper title", "paper name", "title of paper"),
    ("paper", "papers", "publication title"),
    ("dataset", "datasets", "dataset name", "benchmark"),
    ("name", "model", "model name", "models", "method", "methods", "work", "tool", "project"),
    ("abbreviation", "abbr", "short name"),
)
_DATASET_HEADERS = frozenset({"dataset", "datasets", "dataset name"})


@dataclass
class Parsed:
    """Entries read from one list and the warnings (``file:line: reason``) on the way."""

    entries: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# text helpers


def fix_text(text: str) -> str:
    """Repair mojibake (ftfy, then Mac Roman runs ftfy leaves alone) and tidy whitespace.

    Correct non-Latin text stays: a run is only re-decoded when its bytes form valid UTF-8.
    """
    if not text.isascii():
        text = ftfy.fix_text(text, _FTFY)
        if not text.isascii():
            text = _MOJIBAKE_RUN.sub(_undo_mac_roman, text)
    return " ".join(text.split())


def _undo_mac_roman(match: re.Match[str]) -> str:
    run = match.group(0)
    try:
        fixed = run.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return run
    return fixed


def clean_title(text: str) -> str:
    """Title text: HTML tags and entities, markdown emphasis leftovers and edge punctuation
    removed, mojibake repaired."""
    text = fix_text(_untag(text))
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    return text.strip(" \t|:;,-–—[]").strip()


_EMPHASIS = re.compile(r"(?<!\w)(\*\*|__|\*|_)|(\*\*|__|\*|_)(?!\w)")


def _untag(text: str) -> str:
    """HTML tags out, entities decoded (the checks skip the work for plain text)."""
    if "<" in text:
        text = _TAG.sub(" ", text)
    return html.unescape(text) if "&" in text else text


def _norm_header(text: str) -> str:
    return " ".join(re.sub(r"[^\w&/]+", " ", text.lower()).replace("_", " ").split())


def _is_no_value(text: str) -> bool:
    return text.strip().strip("*_`").strip().lower() in _NO_VALUE


# ---------------------------------------------------------------------------------------------
# inline tokens → pieces


@dataclass
class _Piece:
    """One unit of inline content: text (with emphasis depth and enclosing link) or a break."""

    text: str = ""
    strong: bool = False
    link: int | None = None
    brk: bool = False


@dataclass
class _RawLink:
    href: str
    text: str = ""
    segment: int = 0


@dataclass
class _Inline:
    """An inline token's content, split into segments at <br>-like tags."""

    pieces: list[_Piece] = field(default_factory=list)
    links: list[_RawLink] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def segments(self) -> list[list[_Piece]]:
        out: list[list[_Piece]] = [[]]
        for piece in self.pieces:
            if piece.brk:
                out.append([])
            else:
                out[-1].append(piece)
        return out

    def text(self) -> str:
        return "".join(" " if p.brk else p.text for p in self.pieces)


class _InlineReader:
    """Flattens a tree of inline nodes into pieces, links and images."""

    def __init__(self) -> None:
        self.result = _Inline()
        self.strong = 0
        self.links: list[int] = []
        self.segment = 0

    def text(self, content: str) -> None:
        link = self.links[-1] if self.links else None
        self.result.pieces.append(_Piece(content, self.strong > 0, link))
        if link is not None:
            self.result.links[link].text += content

    def read(self, nodes: Sequence[Node]) -> None:
        # An explicit stack, not recursion: emphasis or images nested thousands deep (one
        # hostile line) must not reach Python's recursion limit. A str on the stack closes
        # the strong run or link opened when it was pushed.
        stack: list[Node | str] = list(reversed(nodes))
        pop, push, extend = stack.pop, stack.append, stack.extend
        while stack:
            node = pop()
            if isinstance(node, str):
                if node == _END_STRONG:
                    self.strong -= 1
                elif self.links:
                    self.links.pop()
                continue
            name = node.name
            if name in ("text", "text_special"):
                self.text(str(node.meta.get("content", "")))
            elif name in ("softbreak", "hardbreak"):
                self.text(" ")
            elif name == "strong":
                self.strong += 1
                push(_END_STRONG)
                extend(reversed(node.children))
            elif name in ("link", "autolink"):
                self.result.links.append(
                    _RawLink(str(node.meta.get("url") or ""), "", self.segment)
                )
                self.links.append(len(self.result.links) - 1)
                push(_END_LINK)
                extend(reversed(node.children))
            elif name == "image":
                self.result.images.append(str(node.meta.get("url") or ""))
            elif name == "html_inline":
                self.segment, self.strong = _read_tag(
                    str(node.meta.get("content", "")),
                    self.result,
                    self.links,
                    self.segment,
                    self.strong,
                )
            else:  # em, code_inline and anything newer: their text counts
                extend(reversed(node.children))


_END_STRONG = "/strong"
_END_LINK = "/link"


def _read_inline(nodes: Sequence[Node]) -> _Inline:
    reader = _InlineReader()
    reader.read(nodes)
    return reader.result


def _read_tag(
    content: str, result: _Inline, link_stack: list[int], segment: int, strong: int
) -> tuple[int, int]:
    match = _TAG.match(content.strip())
    if not match:
        return segment, strong
    closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
    if name == "img":
        src = _SRC.search(attrs)
        if src:
            result.images.append(html.unescape(next(g for g in src.groups() if g is not None)))
    elif name == "a" and not closing:
        href = _HREF.search(attrs)
        value = html.unescape(next(g for g in href.groups() if g is not None)) if href else ""
        result.links.append(_RawLink(value, "", segment))
        link_stack.append(len(result.links) - 1)
    elif name == "a" and link_stack:
        link_stack.pop()
    elif name in ("b", "strong"):
        strong = max(0, strong - 1) if closing else strong + 1
    elif name not in _FORMAT_TAGS:
        result.pieces.append(_Piece(brk=True))
        segment += 1
    return segment, strong


def _strong_run(pieces: Sequence[_Piece]) -> str:
    """Text of the first run of bold pieces (a title bolded twice gives the first)."""
    out: list[str] = []
    started = False
    for piece in pieces:
        if piece.strong:
            started = True
            out.append(piece.text)
        elif started and piece.text:
            break
    return "".join(out)


def _plain(pieces: Sequence[_Piece]) -> str:
    return "".join(p.text for p in pieces)


# ---------------------------------------------------------------------------------------------
# fields


def parse_venue(text: str) -> tuple[str | None, str | None]:
    """``TGRS 2023`` → (``TGRS``, ``2023``); ``arxiv`` → (``arxiv``, None); ``-`` → (None, None)."""
    text = fix_text(_untag(text)).strip(" *_.|")
    if _is_no_value(text):
        return None, None
    year = None
    match = _YEAR.search(text)
    if match:
        year = match.group(1)
        if text[match.end() :].strip(" .)") == "":
            text = text[: match.start()].strip(" -,(")
    venue = text.strip(" *_.,-|") or None
    return venue, year


def parse_date(text: str) -> str | None:
    """``2025-08-04`` / ``2023.06`` / ``2023`` → ISO-like ``YYYY[-MM[-DD]]``; other text → year
    if one is in it, else None."""
    text = fix_text(text).strip(" *_()")
    match = _DATE.match(text)
    if match:
        year, month, day = match.groups()
        if month and 1 <= int(month) <= 12:
            if day and 1 <= int(day) <= 31:
                return f"{year}-{int(month):02d}-{int(day):02d}"
            return f"{year}-{int(month):02d}"
        return year
    match = _YEAR.search(text)
    return match.group(1) if match else None


_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*-?\s*)+\Z")


def split_authors(text: str) -> list[str]:
    """``A. B, C. D, and E. F.`` / ``Wu, K., Zhang, Y., ... & Li, Y.`` / ``X; Y`` → names."""
    text = fix_text(_untag(text))
    text = re.sub(r"\bet\s+al\.?|\.\.\.|…", ",", text)
    text = re.sub(r"\s*(?:,\s*and\s+|\s&\s|\band\s+)", ",", text)
    parts = [p.strip(" .,;*_") for p in re.split(r"[;]" if ";" in text else r",", text)]
    names: list[str] = []
    for part in parts:
        if not part:
            continue
        # APA style "Family, I." comes apart at the comma: glue the initials back on.
        if names and _INITIALS.match(part) and not _INITIALS.match(names[-1]):
            names[-1] = f"{names[-1]}, {part}."
            names[-1] = names[-1].replace("..", ".")
            continue
        names.append(part)
    return [n for n in names if len(n) > 1 or n.isalpha()]


def _text_role(text: str) -> LinkRole | None:
    lowered = text.lower()
    if any(w in lowered for w in ("paper", "pdf", "arxiv", "article")):
        return "paper"
    if any(w in lowered for w in ("data", "download", "baidu", "drive", "onedrive", "hugging")):
        return "dataset"
    if any(w in lowered for w in ("code", "github", "gitlab")):
        return "code"
    if any(w in lowered for w in ("project", "home", "page", "website", "demo")):
        return "project"
    return None


def _column_role(header: str) -> LinkRole | None:
    if any(w in header for w in ("download", "data")):
        return "dataset"
    if "code" in header or "github" in header:
        return "code"
    if "project" in header or "home" in header:
        return "project"
    if "paper" in header or "pdf" in header:
        return "paper"
    return None


@dataclass
class _Found:
    """Links and ids gathered for one entry."""

    links: list[Link] = field(default_factory=list)
    ids: list[tuple[Identified, str]] = field(default_factory=list)
    github: list[str] = field(default_factory=list)

    def add_image(self, src: str) -> None:
        if src.startswith(("http://", "https://")):
            found = identify(src)
            if found.badge and found.github and found.github not in self.github:
                self.github.append(found.github)

    def add_link(self, raw: _RawLink, fallback: LinkRole | None) -> None:
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
            role = _text_role(raw.text) or fallback or "other"
        self.ids.append((found, raw.text))
        if found.github and found.github not in self.github:
            self.github.append(found.github)
        if all(link.url != href for link in self.links):
            self.links.append(Link(href, role))

    def has_paper(self) -> bool:
        return any(link.role == "paper" for link in self.links) or any(
            f.arxiv or f.doi or f.ieee for f, _ in self.ids
        )

    def build_ids(self, where: str, warnings: list[str]) -> Ids:
        ids = Ids(github=list(self.github))
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
            setattr(ids, name, chosen)
        return ids


# ---------------------------------------------------------------------------------------------
# the walk


@dataclass
class _Item:
    """An open list item while walking the tokens."""

    line: int
    inlines: list[_Inline] = field(default_factory=list)
    sub_texts: list[str] = field(default_factory=list)
    parent: _Item | None = None
    nested: list[Node] = field(default_factory=list)


class _Reader:
    def __init__(self, source: str, file: str) -> None:
        self.source = source
        self.file = file
        self.out = Parsed()
        self.headings: list[tuple[int, str]] = []
        self.title_heading_seen = False

    # sections ---------------------------------------------------------------------------

    def section(self) -> list[str]:
        return [text for _, text in self.headings]

    def heading(self, level: int, text: str) -> bool:
        """Enter a section; False for the document's own title, which is none."""
        if not self.title_heading_seen:
            self.title_heading_seen = True
            if level == 1 and not self.out.entries:
                return False
        while self.headings and self.headings[-1][0] >= level:
            self.headings.pop()
        if text:
            self.headings.append((level, text))
        return True

    def warn(self, line: int, reason: str) -> None:
        self.out.warnings.append(f"{self.file}:{line}: {reason}")

    def in_dataset_section(self) -> bool:
        return any(_DATASET_WORD.search(text) for text in self.section())

    # entries ------------------------------------------------------------------------------

    def entry(
        self,
        line: int,
        *,
        title: str,
        found: _Found,
        dataset: bool,
        authors: list[str],
        venue: str | None,
        date: str | None,
        section: list[str] | None = None,
    ) -> None:
        where = f"{self.file}:{line}"
        kind: Kind = "dataset" if dataset else "paper"
        if not dataset and not found.has_paper() and found.links:
            kind = "project"
        self.out.entries.append(
            Entry(
                source=self.source,
                file=self.file,
                line=line,
                section=self.section() if section is None else section,
                kind=kind,
                title=title,
                authors=authors,
                venue=venue,
                date=date,
                links=found.links,
                ids=found.build_ids(where, self.out.warnings),
            )
        )

    def list_item(self, item: _Item) -> None:
        if not item.inlines:
            return
        first = item.inlines[0]
        found = _Found()
        for inline in item.inlines:
            for src in inline.images:
                found.add_image(src)
            for raw in inline.links:
                found.add_link(raw, None)
        text = " ".join(_plain(inline.pieces) for inline in item.inlines)
        # a [VENUE] tag is plain text; "[[arXiv](…)]" is a link in brackets, not a venue
        tag = _VENUE_TAG.match("".join(p.text for p in first.pieces if p.link is None))
        strong = clean_title(_strong_run(first.pieces))
        if not found.links and not found.github and not (tag and strong):
            return  # prose, a table of contents or an update note, not an entry
        title = strong or _quoted(text) or self._link_title(first)
        venue = date = None
        if not title:
            # "1. Title. VENUE2022. | [paper](…) | [code](…) |"
            title = _loose_title(first)
            trailing = _TRAILING_VENUE.match(title)
            if trailing:
                title = trailing.group(1)
                venue, date = parse_venue(trailing.group(2))
        if not title:
            self.warn(item.line, "list item has links but no title; skipped")
            return
        if tag:
            venue, date = parse_venue(tag.group(1))
        paren = _PAREN_DATE.search(text)
        if paren:
            date = parse_date(paren.group(1)) or date
        authors = split_authors(item.sub_texts[0]) if item.sub_texts else []
        self.entry(
            item.line,
            title=title,
            found=found,
            dataset=self.in_dataset_section(),
            authors=authors,
            venue=venue,
            date=date,
        )

    @staticmethod
    def _link_title(inline: _Inline) -> str:
        for raw in inline.links:
            text = clean_title(raw.text)
            if text and not _GENERIC_LINK_TEXT.match(text):
                return text
        return ""

    def table(self, header: list[str], rows: list[tuple[int, list[_Inline]]]) -> None:
        names = [_norm_header(h) for h in header]
        title_cols = _title_columns(names)
        venue_col = _find(names, ("publication", "published", "venue", "journal", "conference"))
        date_col = _find(names, ("date", "year", "time"))
        author_col = _find(names, ("author",))
        dataset = self.in_dataset_section() or any(
            names[i] in _DATASET_HEADERS for i in title_cols if i < len(names)
        )
        for line, cells in rows:
            self.table_row(line, names, cells, title_cols, venue_col, date_col, author_col, dataset)

    def table_row(
        self,
        line: int,
        names: list[str],
        cells: list[_Inline],
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
                title, authors = _cell_title(cells[candidate])
                if title and not _is_no_value(title):
                    col = candidate
                    break
        if not title or _is_no_value(title):
            name = names[col] if col < len(names) and names[col] else "title"
            self.warn(line, f"table row has an empty {name} cell; skipped")
            return
        found = _Found()
        for index, cell in enumerate(cells):
            fallback: LinkRole | None = "paper" if index == col else _column_role(names[index])
            for src in cell.images:
                found.add_image(src)
            for raw in cell.links:
                role = fallback
                if index == col and raw.segment != _title_segment(cell):
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
        )


_QUOTED = re.compile(r'^\W{0,8}["“]([^"”]{8,})["”]')


def _quoted(text: str) -> str:
    """A title in quotes at the start of an item (``"Title", *Venue*, [[Paper](…)]``)."""
    match = _QUOTED.match(_VENUE_TAG.sub("", text, count=1))
    return clean_title(match.group(1)) if match else ""


_TRAILING_VENUE = re.compile(r"^(.{8,}?)\.\s+([^.]{2,40}?(?:19|20)\d\d)\.?\Z")


def _loose_title(inline: _Inline) -> str:
    """Text outside links, up to the first `` | `` (``[[arXiv](…)] Title [[code](…)]``)."""
    text = "".join(p.text for p in inline.pieces if p.link is None and not p.brk)
    text = _VENUE_TAG.sub("", text, count=1)
    text = re.sub(r"\[\s*\]|\(\s*\)", " ", text)
    for part in text.split("|"):
        part = clean_title(_PAREN_DATE.sub(" ", part))
        if part:
            return part
    return ""


def _find(names: list[str], words: tuple[str, ...]) -> int | None:
    for index, name in enumerate(names):
        if any(name == w or name.startswith(w) or f" {w}" in f" {name}" for w in words):
            return index
    return None


def _title_columns(names: list[str]) -> list[int]:
    """Columns that may hold the title, best first (the first column when none is named)."""
    found = [i for group in _TITLE_HEADERS for i, name in enumerate(names) if name in group]
    return found or [0]


def _title_segment(cell: _Inline) -> int:
    """Index of the segment holding the title: the first with bold text or a titled link,
    else the first with any text."""
    segments = cell.segments()
    for index, pieces in enumerate(segments):
        if _strong_run(pieces).strip():
            return index
    for index, pieces in enumerate(segments):
        if any(p.link is not None and p.text.strip() for p in pieces):
            return index
    for index, pieces in enumerate(segments):
        if _plain(pieces).strip():
            return index
    return 0


def _cell_title(cell: _Inline) -> tuple[str, list[str]]:
    """Title and authors of a title cell (``badge <br> [**Title**](…) <br> authors``)."""
    segments = cell.segments()
    index = _title_segment(cell)
    pieces = segments[index] if index < len(segments) else []
    title = clean_title(_strong_run(pieces))
    if not title:
        linked = [p for p in pieces if p.link is not None]
        title = clean_title(_plain(linked)) if linked else ""
        if _GENERIC_LINK_TEXT.match(title):
            title = ""
        if not title:
            title = clean_title(_plain(pieces))
            if _GENERIC_LINK_TEXT.match(title):
                title = ""
    authors: list[str] = []
    for rest in segments[index + 1 :]:
        text = _plain(rest).strip()
        if text and not any(p.link is not None for p in rest):
            authors = split_authors(text)
            break
    return title, authors


_BLOCKS = frozenset(
    [
        "root",
        "paragraph",
        "heading",
        "lheading",
        "bullet_list",
        "ordered_list",
        "list_item",
        "table",
        "thead",
        "tbody",
        "trow",
        "tcell",
        "blockquote",
        "code_block",
        "fence",
        "hr",
        "html_block",
        "definition",
        "footnote_definition",
    ]
)


class _Lines:
    """Byte offset (what the parser's source map gives) → 1-based line number."""

    def __init__(self, text: str) -> None:
        data = text.encode("utf-8")
        self.starts = [0]
        find = data.find
        pos = find(b"\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find(b"\n", pos + 1)

    def line(self, node: Node) -> int:
        srcmap = node.srcmap
        return bisect_right(self.starts, srcmap[0]) if srcmap else 1


def parse_list(text: str, *, source: str, file: str, backend: str = "rust") -> Parsed:
    """Read one list's markdown into entries (in line order) and warnings.

    ``backend`` ``rust`` (markdown-it.rs through markdown-it-pyrs, fast) falls back to
    ``python`` (markdown-it-py, the reference port of the same parser) if the Rust parser
    panics on an input; both give the same tree shape (tests compare them on real lists).
    Lines nested or tables wider than any list needs are cut first (:func:`guard_text`).
    """
    reader = _Reader(source, file)
    # one line ending, so that source-map offsets and line numbers agree
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, cuts = guard_text(text)
    for line, reason in cuts:
        reader.warn(line, reason)
    lines = _Lines(text)
    walker = _Walker(reader, lines)
    tree: Node | None = None
    if backend == "rust":
        try:
            tree = _MD.tree(text)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # pyo3 turns a Rust panic into a BaseException
            tree = None
    if tree is not None:
        walker.walk(tree)
        if not _shallow(text):
            nodes = _preorder(tree)
            del tree  # the root must go first: see _release
            _release(nodes)
    else:
        _walk_python(text, walker)
    walker.finish()
    reader.out.entries.sort(key=lambda e: e.line)
    return reader.out


_DEEP_TREE = 10_000
"""A tree this deep is freed by :func:`_release`; freeing as usual overflows from some 70,000
levels on the main thread's 8 MiB stack."""


def _shallow(text: str) -> bool:
    """Whether the tree cannot be :data:`_DEEP_TREE` levels deep: block nesting is cut to
    :data:`MAX_DEPTH`, and inline nesting (emphasis, images in links) needs a ``*``, ``_`` or
    ``[`` per level within one paragraph, which a blank line ends (a cheap over-estimate, so
    that a normal list does not pay for the careful release)."""

    def openers(part: str) -> int:
        return part.count("*") + part.count("_") + part.count("[")

    limit = _DEEP_TREE - MAX_DEPTH - 8
    return openers(text) < limit or all(openers(p) < limit for p in text.split("\n\n"))


def _preorder(tree: Node) -> list[Node | None]:
    """Every node of a markdown-it-pyrs tree, each before its children."""
    nodes: list[Node | None] = [tree]
    stack = [tree]
    while stack:
        children = stack.pop().children
        nodes.extend(children)
        stack.extend(children)
    return nodes


def _release(nodes: list[Node | None]) -> None:
    """Free a tree's nodes (from :func:`_preorder`, with no other reference left to the
    root) parents first. Freed as usual, each node frees its children recursively in C,
    which overflows the C stack (a segfault, not an exception) for a tree some 100,000
    levels deep, e.g. one paragraph of nested emphasis."""
    for index in range(len(nodes)):
        nodes[index] = None


def _walk_python(text: str, walker: _Walker) -> None:
    """Walk markdown-it-py's tree; if it cannot be built (its tree builder recurses once
    per nesting level), walk each blank-line-separated block alone, skipping only the
    blocks that still fail, with a warning naming their lines."""
    starts = walker.lines.starts
    try:
        tree = _PyNode(SyntaxTreeNode(_MD_PY.parse(text)), starts, 0)
    except Exception as exc:  # the reference parser should never fail; say where if so
        walker.reader.warn(
            1, f"markdown parser failed ({type(exc).__name__}); reading the file block by block"
        )
    else:
        walker.walk(tree)  # type: ignore[arg-type]
        return
    for first, block in _blocks(text):
        try:
            tree = _PyNode(SyntaxTreeNode(_MD_PY.parse(block)), starts, first)
        except Exception as exc:
            last = first + block.count("\n")
            walker.reader.warn(
                first + 1,
                f"markdown parser failed ({type(exc).__name__}: {exc}); "
                f"lines {first + 1}-{last + 1} skipped",
            )
        else:
            walker.walk(tree)  # type: ignore[arg-type]


def _blocks(text: str) -> list[tuple[int, str]]:
    """(0-based first line, text) of each run of non-blank lines."""
    out: list[tuple[int, str]] = []
    run: list[str] = []
    first = 0
    for number, line in enumerate(text.split("\n")):
        if line.strip():
            if not run:
                first = number
            run.append(line)
        elif run:
            out.append((first, "\n".join(run)))
            run = []
    if run:
        out.append((first, "\n".join(run)))
    return out


# ---------------------------------------------------------------------------------------------
# the guard: input no list needs, cut before the parser builds anything from it

MAX_DEPTH = 64
"""Container levels (block quotes, list markers, two columns of indentation each) kept on one
line; real lists nest a handful. Deeper lines make the parser quadratic and its tree deep."""

MAX_COLUMNS = 64
"""Table cells kept per line; real tables have about ten. A 100,000-column table would cost
some 100 times its size in tree nodes and cell readers."""

_PREFIX_TOKEN = re.compile(r"([ \t]*)(>|[-+*](?=[ \t]|\Z)|\d{1,9}[.)](?=[ \t]|\Z))")
_PREFIX_CHARS = " \t>-+*0123456789.)"


def guard_text(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Cut lines nested deeper than :data:`MAX_DEPTH` levels and table lines wider than
    :data:`MAX_COLUMNS` cells; returns the text (the same object when nothing was cut) and
    ``(line, reason)`` for each cut (one per table). Line numbers do not change."""
    lines = text.split("\n")
    cuts: list[tuple[int, str]] = []
    changed = False
    deep_before = wide_before = False  # one warning per run of cut lines
    for index, line in enumerate(lines):
        deep = wide = False
        if len(line) > MAX_DEPTH // 2:
            prefix = len(line) - len(line.lstrip(_PREFIX_CHARS))
            if prefix > MAX_DEPTH // 2:  # a tab is two levels: shorter prefixes are fine
                cut = _cut_prefix(line)
                if cut is not None:
                    line = lines[index] = cut
                    changed = deep = True
                    if not deep_before:
                        reason = f"nested deeper than {MAX_DEPTH} levels; deeper levels cut"
                        cuts.append((index + 1, reason))
            if line.count("|") > MAX_COLUMNS + 1:
                cut = _cut_columns(line)
                if cut is not None:
                    lines[index] = cut
                    changed = wide = True
                    if not wide_before:
                        reason = (
                            f"table wider than {MAX_COLUMNS} columns; "
                            f"cells after column {MAX_COLUMNS} ignored"
                        )
                        cuts.append((index + 1, reason))
        deep_before, wide_before = deep, wide
    return ("\n".join(lines) if changed else text), cuts


def _cut_prefix(line: str) -> str | None:
    """The line with its container prefix cut to :data:`MAX_DEPTH` levels (the innermost
    marker kept, so that the text stays a list item), or None when it fits."""
    tokens: list[tuple[str, str]] = []
    pos = 0
    while (match := _PREFIX_TOKEN.match(line, pos)) is not None:
        tokens.append((match.group(1), match.group(2)))
        pos = match.end()
    out: list[str] = []
    depth = 0
    cut = False
    for index, (space, marker) in enumerate(tokens):
        last = index == len(tokens) - 1
        if cut and not last:
            continue
        limit = MAX_DEPTH if last else MAX_DEPTH - 1  # one level kept for the last marker
        levels = (len(space) + 3 * space.count("\t")) // 2
        if depth + levels + 1 > limit:
            cut = True
            if not last:
                continue
            space = " " * (2 * max(0, limit - depth - 1))
            levels = len(space) // 2
        out.append(space + marker)
        depth += levels + 1
    return "".join(out) + line[pos:] if cut else None


def _cut_columns(line: str) -> str | None:
    """The line up to the pipe that ends cell :data:`MAX_COLUMNS`, or None when narrower."""
    keep = MAX_COLUMNS + (1 if line.lstrip(" \t>").startswith("|") else 0)
    pos = -1
    while keep:
        pos = line.find("|", pos + 1)
        if pos == -1:
            return None
        if pos == 0 or line[pos - 1] != "\\":  # "\|" is a pipe inside a cell
            keep -= 1
    return line[: pos + 1]


_PY_NAMES = {"tr": "trow", "th": "tcell", "td": "tcell", "code_inline": "text"}


class _PyNode:
    """A markdown-it-py syntax-tree node seen through the markdown-it-pyrs ``Node`` interface
    (``name``, ``meta``, ``children``, byte-offset ``srcmap``)."""

    __slots__ = ("_node", "_offset", "_starts", "meta", "name")

    def __init__(self, node: SyntaxTreeNode, starts: list[int], offset: int) -> None:
        self._node = node
        self._starts = starts
        self._offset = offset  # 0-based line where the parsed text starts
        kind = node.type
        self.name = _PY_NAMES.get(kind, kind)
        meta: dict[str, object] = {}
        if kind in ("text", "code_inline", "html_inline"):
            meta["content"] = node.content
        elif kind == "link":
            meta["url"] = str(node.attrs.get("href") or "")
        elif kind == "image":
            meta["url"] = str(node.attrs.get("src") or "")
        elif kind == "heading":
            meta["level"] = int(node.tag[1:]) if node.tag[1:].isdigit() else 6
        self.meta = meta

    @property
    def children(self) -> list[_PyNode]:
        out: list[_PyNode] = []
        for child in self._node.children:
            if child.type == "inline":  # markdown-it.rs has no inline wrapper node
                out.extend(_PyNode(c, self._starts, self._offset) for c in child.children)
            else:
                out.append(_PyNode(child, self._starts, self._offset))
        return out

    @property
    def srcmap(self) -> tuple[int, int] | None:
        if self._node.is_root or self._node.map is None:
            return None
        first = min(self._node.map[0] + self._offset, len(self._starts) - 1)
        return (self._starts[first], self._starts[first])


@dataclass
class _HeadingEntry:
    """A heading that may be a paper's title (one heading per paper, links in the
    paragraphs under it); it becomes an entry only if no list or table under it did."""

    line: int
    title: str
    section: list[str]
    entries_before: int
    inlines: list[_Inline] = field(default_factory=list)


_AUTHORS_LABEL = re.compile(r"^\s*authors?\s*:?\s*", re.IGNORECASE)
_NUMBERING = re.compile(r"^\d{1,4}[.)]\s+")


class _Walker:
    def __init__(self, reader: _Reader, lines: _Lines) -> None:
        self.reader = reader
        self.lines = lines
        self.pending: _HeadingEntry | None = None

    def finish(self) -> None:
        """Turn the pending heading into an entry when its paragraphs carry a paper link."""
        pending, self.pending = self.pending, None
        if pending is None or len(self.reader.out.entries) != pending.entries_before:
            return
        found = _Found()
        authors: list[str] = []
        for inline in pending.inlines:
            for src in inline.images:
                found.add_image(src)
            for raw in inline.links:
                found.add_link(raw, None)
            label = _strong_run(inline.pieces)
            if not authors and _AUTHORS_LABEL.fullmatch(label):
                authors = split_authors(inline.text().replace(label, "", 1).lstrip(" :"))
        if not any(link.role == "paper" for link in found.links):
            return
        self.reader.entry(
            pending.line,
            title=pending.title,
            found=found,
            dataset=any(_DATASET_WORD.search(text) for text in pending.section),
            authors=authors,
            venue=None,
            date=None,
            section=pending.section,
        )

    def walk(self, root: Node) -> None:
        """Visit the block nodes depth-first in document order.

        An explicit stack, not recursion: a list nested thousands deep must not reach
        Python's recursion limit. A ``(node, parent item)`` pair visits a node; an ``_Item``
        on the stack closes that list item once its nested blocks have been visited.
        """
        stack: list[tuple[Node, _Item | None] | _Item] = [(root, None)]
        while stack:
            task = stack.pop()
            if isinstance(task, _Item):
                self.close_item(task)
                continue
            node, parent = task
            name = node.name
            if name in ("heading", "lheading"):
                self.finish()
                level = node.meta.get("level", 6)
                level = level if isinstance(level, int) else 6
                text = clean_title(_read_inline(node.children).text())
                if self.reader.heading(level, text) and parent is None and text:
                    section = self.reader.section()[:-1]
                    title = _NUMBERING.sub("", text)
                    entries = len(self.reader.out.entries)
                    self.pending = _HeadingEntry(self.lines.line(node), title, section, entries)
            elif name == "paragraph":
                if self.pending is not None and parent is None:
                    self.pending.inlines.append(_read_inline(node.children))
            elif name == "list_item":
                item = self.open_item(node, parent)
                stack.append(item)
                stack.extend((child, item) for child in reversed(item.nested))
            elif name == "table":
                self.table(node)
            elif name in ("bullet_list", "ordered_list", "blockquote", "root"):
                stack.extend((child, parent) for child in reversed(node.children))

    def open_item(self, node: Node, parent: _Item | None) -> _Item:
        """A list item's own text; its nested blocks (lists, tables …) are left in
        ``nested`` for the walk."""
        item = _Item(line=self.lines.line(node), parent=parent)
        loose: list[Node] = []
        for child in node.children:
            name = child.name
            if name not in _BLOCKS:
                loose.append(child)  # a tight item holds its inline nodes directly
                continue
            if loose:
                item.inlines.append(_read_inline(loose))
                loose = []
            if name == "paragraph":
                item.inlines.append(_read_inline(child.children))
            else:
                item.nested.append(child)
        if loose:
            item.inlines.append(_read_inline(loose))
        return item

    def close_item(self, item: _Item) -> None:
        """A link-less sub-item is its parent's authors line; any other item is read."""
        item.nested = []
        has_links = any(i.links or i.images for i in item.inlines)
        if item.parent is not None and item.inlines and not has_links:
            item.parent.sub_texts.append(" ".join(i.text() for i in item.inlines))
        else:
            self.reader.list_item(item)

    def table(self, node: Node) -> None:
        header: list[str] = []
        rows: list[tuple[int, list[_Inline]]] = []
        for part in node.children:
            for row in part.children:
                cells = [_read_inline(cell.children) for cell in row.children]
                if part.name == "thead":
                    header = [c.text() for c in cells]
                else:
                    rows.append((self.lines.line(row), cells))
        self.reader.table(header, rows)

"""The walk: the block nodes of a parsed list, depth first in document order (list items and
their authors lines, tables, headings that are a paper's title), handed to the entry builder.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from markdown_it_pyrs import Node

from pipeline.scrape.entries import EntryBuilder, EntryLinks, Item
from pipeline.scrape.fields import DATASET_WORD, split_authors
from pipeline.scrape.inline import Inline, read_inline, strong_run
from pipeline.scrape.repair import clean_title

BLOCKS = frozenset(
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


class Lines:
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


@dataclass
class HeadingEntry:
    """A heading that may be a paper's title (one heading per paper, links in the
    paragraphs under it); it becomes an entry only if no list or table under it did."""

    line: int
    title: str
    section: list[str]
    entries_before: int
    inlines: list[Inline] = field(default_factory=list)


_AUTHORS_LABEL = re.compile(r"^\s*authors?\s*:?\s*", re.IGNORECASE)
_NUMBERING = re.compile(r"^\d{1,4}[.)]\s+")


class Walker:
    """Walks one parsed list, handing its items, tables and paper headings to ``reader``."""

    def __init__(self, reader: EntryBuilder, lines: Lines) -> None:
        self.reader = reader
        self.lines = lines
        self.pending: HeadingEntry | None = None

    def finish(self) -> None:
        """Turn the pending heading into an entry when its paragraphs carry a paper link."""
        pending, self.pending = self.pending, None
        if pending is None or len(self.reader.out.entries) != pending.entries_before:
            return
        found = EntryLinks()
        authors: list[str] = []
        for inline in pending.inlines:
            for src in inline.images:
                found.add_image(src)
            for raw in inline.links:
                found.add_link(raw, None)
            label = strong_run(inline.pieces)
            if not authors and _AUTHORS_LABEL.fullmatch(label):
                authors = split_authors(inline.text().replace(label, "", 1).lstrip(" :"))
        if not any(link.role == "paper" for link in found.links):
            return
        self.reader.entry(
            pending.line,
            title=pending.title,
            found=found,
            dataset=any(DATASET_WORD.search(text) for text in pending.section),
            authors=authors,
            venue=None,
            date=None,
            section=pending.section,
        )

    def walk(self, root: Node) -> None:
        """Visit the block nodes depth-first in document order.

        An explicit stack, not recursion: a list nested thousands deep must not reach
        Python's recursion limit. A ``(node, parent item)`` pair visits a node; an ``Item``
        on the stack closes that list item once its nested blocks have been visited.
        """
        stack: list[tuple[Node, Item | None] | Item] = [(root, None)]
        while stack:
            task = stack.pop()
            if isinstance(task, Item):
                self.close_item(task)
                continue
            node, parent = task
            name = node.name
            if name in ("heading", "lheading"):
                self.finish()
                level = node.meta.get("level", 6)
                level = level if isinstance(level, int) else 6
                text = clean_title(read_inline(node.children).text())
                if self.reader.heading(level, text) and parent is None and text:
                    section = self.reader.section()[:-1]
                    title = _NUMBERING.sub("", text)
                    entries = len(self.reader.out.entries)
                    self.pending = HeadingEntry(self.lines.line(node), title, section, entries)
            elif name == "paragraph":
                if self.pending is not None and parent is None:
                    self.pending.inlines.append(read_inline(node.children))
            elif name == "list_item":
                item = self.open_item(node, parent)
                stack.append(item)
                stack.extend((child, item) for child in reversed(item.nested))
            elif name == "table":
                self.table(node)
            elif name in ("bullet_list", "ordered_list", "blockquote", "root"):
                stack.extend((child, parent) for child in reversed(node.children))

    def open_item(self, node: Node, parent: Item | None) -> Item:
        """A list item's own text; its nested blocks (lists, tables …) are left in
        ``nested`` for the walk."""
        item = Item(line=self.lines.line(node), parent=parent)
        loose: list[Node] = []
        for child in node.children:
            name = child.name
            if name not in BLOCKS:
                loose.append(child)  # a tight item holds its inline nodes directly
                continue
            if loose:
                item.inlines.append(read_inline(loose))
                loose = []
            if name == "paragraph":
                item.inlines.append(read_inline(child.children))
            else:
                item.nested.append(child)
        if loose:
            item.inlines.append(read_inline(loose))
        return item

    def close_item(self, item: Item) -> None:
        """A link-less sub-item is its parent's authors line; any other item is read."""
        item.nested = []
        has_links = any(i.links or i.images for i in item.inlines)
        if item.parent is not None and item.inlines and not has_links:
            item.parent.sub_texts.append(" ".join(i.text() for i in item.inlines))
        else:
            self.reader.list_item(item)

    def table(self, node: Node) -> None:
        header: list[str] = []
        rows: list[tuple[int, list[Inline]]] = []
        for part in node.children:
            for row in part.children:
                cells = [read_inline(cell.children) for cell in row.children]
                if part.name == "thead":
                    header = [c.text() for c in cells]
                else:
                    rows.append((self.lines.line(row), cells))
        self.reader.table(header, rows)

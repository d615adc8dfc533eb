"""Inline markdown → pieces: text with its emphasis and enclosing link, ``<br>``-like breaks,
links and images, read from the parser's inline nodes without recursion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it_pyrs import Node

from pipeline.scrape.repair import TAG

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
_SRC = re.compile(r"""\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


@dataclass
class Piece:
    """One unit of inline content: text (with emphasis depth and enclosing link) or a break."""

    text: str = ""
    strong: bool = False
    link: int | None = None
    brk: bool = False
    code: bool = False


@dataclass
class RawLink:
    href: str
    text: str = ""
    segment: int = 0


@dataclass
class Inline:
    """An inline token's content, split into segments at <br>-like tags."""

    pieces: list[Piece] = field(default_factory=list)
    links: list[RawLink] = field(default_factory=list)
    images: list[str] = field(default_factory=list)

    def segments(self) -> list[list[Piece]]:
        out: list[list[Piece]] = [[]]
        for piece in self.pieces:
            if piece.brk:
                out.append([])
            else:
                out[-1].append(piece)
        return out

    def text(self) -> str:
        return "".join(" " if p.brk else p.text for p in self.pieces)


class InlineReader:
    """Flattens a tree of inline nodes into pieces, links and images."""

    def __init__(self) -> None:
        self.result = Inline()
        self.strong = 0
        self.code = 0
        self.links: list[int] = []
        self.segment = 0

    def text(self, content: str) -> None:
        link = self.links[-1] if self.links else None
        if link is None and "://" in content and not self.code:
            self.bare_urls(content)
            return
        self.result.pieces.append(Piece(content, self.strong > 0, link, code=self.code > 0))
        if link is not None:
            self.result.links[link].text += content

    def bare_urls(self, content: str) -> None:
        """A URL written out in text is a link, as GitHub shows it (GFM's autolink literal):
        ``[[https://arxiv.org/abs/1810.08272)]`` links that paper."""
        start = 0
        for match in _BARE_URL.finditer(content):
            url = autolink_end(match.group(0))
            if match.start() > start:
                self.result.pieces.append(Piece(content[start : match.start()], self.strong > 0))
            index = len(self.result.links)
            self.result.links.append(RawLink(url, url, self.segment))
            self.result.pieces.append(Piece(url, self.strong > 0, index))
            start = match.start() + len(url)
        if start < len(content):
            self.result.pieces.append(Piece(content[start:], self.strong > 0))

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
                elif node == _END_CODE:
                    self.code -= 1
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
            elif name == "code_inline":
                self.code += 1
                push(_END_CODE)
                extend(reversed(node.children))
            elif name in ("link", "autolink"):
                self.result.links.append(RawLink(str(node.meta.get("url") or ""), "", self.segment))
                self.links.append(len(self.result.links) - 1)
                push(_END_LINK)
                extend(reversed(node.children))
            elif name == "image":
                self.result.images.append(str(node.meta.get("url") or ""))
            elif name == "html_inline":
                self.segment, self.strong = read_tag(
                    str(node.meta.get("content", "")),
                    self.result,
                    self.links,
                    self.segment,
                    self.strong,
                )
            else:  # em, code_inline and anything newer: their text counts
                extend(reversed(node.children))


_END_STRONG = "/strong"
_END_CODE = "/code"
_END_LINK = "/link"
_BARE_URL = re.compile(r"(?<![\w@/])https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,:;!?*_~'\""


def autolink_end(url: str) -> str:
    """Where GFM ends a URL written in text: trailing punctuation is not part of it, nor a
    closing ``)`` or ``]`` that has no opening one inside the URL."""
    while url:
        last = url[-1]
        opener = {")": "(", "]": "["}.get(last)
        unbalanced = opener is not None and url.count(opener) < url.count(last)
        if last not in _TRAILING and not unbalanced:
            break
        url = url[:-1]
    return url


def read_inline(nodes: Sequence[Node]) -> Inline:
    reader = InlineReader()
    reader.read(nodes)
    return reader.result


def read_tag(
    content: str, result: Inline, link_stack: list[int], segment: int, strong: int
) -> tuple[int, int]:
    match = TAG.match(content.strip())
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
        result.links.append(RawLink(value, "", segment))
        link_stack.append(len(result.links) - 1)
    elif name == "a" and link_stack:
        link_stack.pop()
    elif name in ("b", "strong"):
        strong = max(0, strong - 1) if closing else strong + 1
    elif name not in _FORMAT_TAGS:
        result.pieces.append(Piece(brk=True))
        segment += 1
    return segment, strong


def strong_run(pieces: Sequence[Piece]) -> str:
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


def plain(pieces: Sequence[Piece]) -> str:
    return "".join(p.text for p in pieces)

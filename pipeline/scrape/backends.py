"""Parser back-ends: markdown-it.rs (through markdown-it-pyrs) for speed, markdown-it-py, the
reference port, when the Rust parser panics; both give the walk the same tree shape.
"""

from __future__ import annotations

from markdown_it import MarkdownIt as PyMarkdownIt
from markdown_it.tree import SyntaxTreeNode
from markdown_it_pyrs import MarkdownIt, Node

from pipeline.scrape.limits import MAX_DEPTH
from pipeline.scrape.walk import Walker

_MD = MarkdownIt("commonmark").enable("table")
_MD_PY = PyMarkdownIt("commonmark").enable("table")


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


def walk_python(text: str, walker: Walker) -> None:
    """Walk markdown-it-py's tree; if it cannot be built (its tree builder recurses once
    per nesting level), walk each blank-line-separated block alone, skipping only the
    blocks that still fail, with a warning naming their lines."""
    starts = walker.lines.starts
    try:
        tree = PyNode(SyntaxTreeNode(_MD_PY.parse(text)), starts, 0)
    except Exception as exc:  # the reference parser should never fail; say where if so
        walker.reader.warn(
            1, f"markdown parser failed ({type(exc).__name__}); reading the file block by block"
        )
    else:
        walker.walk(tree)  # type: ignore[arg-type]
        return
    for first, block in _blocks(text):
        try:
            tree = PyNode(SyntaxTreeNode(_MD_PY.parse(block)), starts, first)
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


_PY_NAMES = {"tr": "trow", "th": "tcell", "td": "tcell", "code_inline": "text"}


class PyNode:
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
    def children(self) -> list[PyNode]:
        out: list[PyNode] = []
        for child in self._node.children:
            if child.type == "inline":  # markdown-it.rs has no inline wrapper node
                out.extend(PyNode(c, self._starts, self._offset) for c in child.children)
            else:
                out.append(PyNode(child, self._starts, self._offset))
        return out

    @property
    def srcmap(self) -> tuple[int, int] | None:
        if self._node.is_root or self._node.map is None:
            return None
        first = min(self._node.map[0] + self._offset, len(self._starts) - 1)
        return (self._starts[first], self._starts[first])


def walk_list(text: str, walker: Walker, backend: str) -> None:
    """Parse ``text`` with ``backend`` (``rust``, falling back to ``python`` if the Rust
    parser panics, or ``python``) and walk its tree."""
    tree: Node | None = None
    if backend == "rust":
        try:
            tree = _MD.tree(text)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # pyo3 turns a Rust panic into a BaseException
            tree = None
    if tree is None:
        walk_python(text, walker)
        return
    walker.walk(tree)
    if not _shallow(text):
        nodes = _preorder(tree)
        del tree  # the root must go first: see _release
        _release(nodes)

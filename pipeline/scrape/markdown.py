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

from pipeline.scrape.backends import walk_list
from pipeline.scrape.entries import EntryBuilder, Parsed, section_warnings
from pipeline.scrape.fields import parse_date, parse_venue, split_authors
from pipeline.scrape.limits import MAX_COLUMNS, MAX_DEPTH, guard_text
from pipeline.scrape.repair import clean_title
from pipeline.scrape.walk import Lines, Walker

__all__ = [
    "MAX_COLUMNS",
    "MAX_DEPTH",
    "Parsed",
    "clean_title",
    "guard_text",
    "parse_date",
    "parse_list",
    "parse_venue",
    "split_authors",
]


def parse_list(text: str, *, source: str, file: str, backend: str = "rust") -> Parsed:
    """Read one list's markdown into entries (in line order) and warnings.

    ``backend`` ``rust`` (markdown-it.rs through markdown-it-pyrs, fast) falls back to
    ``python`` (markdown-it-py, the reference port of the same parser) if the Rust parser
    panics on an input; both give the same tree shape (tests compare them on real lists).
    Lines nested or tables wider than any list needs are cut first (:func:`guard_text`).
    """
    reader = EntryBuilder(source, file)
    # one line ending, so that source-map offsets and line numbers agree
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, cuts = guard_text(text)
    for line, reason in cuts:
        reader.warn(line, reason)
    lines = Lines(text)
    walker = Walker(reader, lines)
    walk_list(text, walker, backend)
    walker.finish()
    reader.out.entries.sort(key=lambda e: e.line)
    reader.out.warnings += section_warnings(reader.out.entries, file)
    return reader.out

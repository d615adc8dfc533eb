"""Fuzz ``pipeline.scrape.markdown.parse_list`` (through ``decode_list``, as the stage reads).

Any bytes are a list a pull request could add. The stage must never raise on one, and what it
returns must hold together: entries on lines that exist, with a title and a known kind, warnings
naming the file, merged works with unique ids that account for every entry.

    .venv/bin/python fuzz/fuzz_parse_list.py -max_total_time=60 build/fuzz/parse_list
"""

from __future__ import annotations

import sys

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    from pipeline.scrape import decode_list
    from pipeline.scrape.markdown import parse_list
    from pipeline.scrape.merge import merge_entries

FILE = "sources/fuzz.md"


def test_one_input(data: bytes) -> None:
    decoded = decode_list(data, FILE)
    assert len(decoded.bad_lines) == len(decoded.warnings)
    parsed = parse_list(decoded.text, source="fuzz", file=FILE)
    lines = decoded.text.count("\n") + decoded.text.count("\r") + 2
    for entry in parsed.entries:
        assert 1 <= entry.line <= lines, entry.line
        assert entry.title, entry
        assert entry.kind in ("paper", "dataset", "project"), entry.kind
        for link in entry.links:
            assert link.url.lower().startswith(("http://", "https://")), link.url
    for warning in parsed.warnings:
        assert warning.startswith(f"{FILE}:"), warning
    works = merge_entries(parsed.entries)
    assert len({w.id for w in works}) == len(works)
    assert sum(len(w.places) for w in works) == len(parsed.entries)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

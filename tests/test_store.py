"""Atomic writes: whole files or none, unchanged files untouched, ordinary permissions."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from pipeline.store import atomic_write_text


def test_written_file_has_the_mode_of_any_new_file(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "out" / "a.txt", "x\n")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "out" / "a.txt").stat().st_mode) == 0o644


def test_unchanged_content_is_not_rewritten(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    assert atomic_write_text(target, "same\n") is True
    before = target.stat().st_mtime_ns
    assert atomic_write_text(target, "same\n") is False
    assert target.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temporary left behind

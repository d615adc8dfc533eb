"""Atomic writes and reading of stage files.

Every file is written to a temporary file in the same directory, flushed, fsynced and then
renamed over the target, so a run killed at any point leaves either the old file or the new
one, never half of one. ``output/`` is also the last-known-good state that later runs read.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, OutputError
from pipeline.models import to_json


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and touch nothing) if unchanged."""
    try:
        if path.exists() and path.read_bytes() == data:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            # mkstemp makes the file 0600; give it the mode any new file would have.
            os.chmod(tmp, 0o666 & ~_umask())
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True


def atomic_write_text(path: Path, text: str) -> bool:
    """Write UTF-8 text atomically; see :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def dumps(obj: Any) -> str:
    """The one JSON layout of the project: stable, readable, diff-friendly."""
    return json.dumps(to_json(obj), ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write_json(path: Path, obj: Any) -> bool:
    """Write ``obj`` (dataclasses allowed) as JSON atomically."""
    return atomic_write_text(path, dumps(obj))


def read_json(path: Path, default: Any = None, *, required: bool = False) -> Any:
    """Read JSON; a missing file gives ``default`` unless ``required``."""
    if not path.exists():
        if required:
            raise InputError(f"{path}: not found (run the stage before it first)")
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None

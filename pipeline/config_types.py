"""Typed settings: each field's type and range, declared next to it in pipeline.config
(``Annotated[int, Range(ge=1)]``), checked here when pipeline.toml or the environment is read.

One table drives it all: the dataclass fields and their annotations. A wrong value is one
line, ``PLACE KEY: got VALUE; allowed: WHAT`` (a UsageError, exit 2), never a traceback.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import math
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin, get_type_hints
from urllib.parse import urlsplit

from pipeline.errors import UsageError


@dataclass(frozen=True)
class Range:
    """Bounds of a number (annotated-types' names: ``ge`` ≥, ``gt`` >, ``le`` ≤)."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None

    def allows(self, value: float) -> bool:
        return not (
            (self.ge is not None and value < self.ge)
            or (self.gt is not None and value <= self.gt)
            or (self.le is not None and value > self.le)
        )

    def __str__(self) -> str:
        parts = [f"≥ {_num(self.ge)}" if self.ge is not None else ""]
        parts += [f"> {_num(self.gt)}" if self.gt is not None else ""]
        parts += [f"≤ {_num(self.le)}" if self.le is not None else ""]
        return " and ".join(p for p in parts if p)


class Env:
    """The environment variables that set a field; the first one set wins."""

    def __init__(self, *names: str) -> None:
        self.names = names


@dataclass(frozen=True)
class Parsed:
    """A value written as lines of text (``PIPELINE_REMAP``, or a TOML list of lines)."""

    parse: Callable[[str, str], Any]
    allowed: str


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


URL = _Marker("URL")
"""A string that is an http or https URL with a host (a trailing slash is dropped)."""
SECRET = _Marker("SECRET")
"""Never shown: not in a repr (the field also has ``repr=False``), a log line or an error."""
IN_FILE = _Marker("IN_FILE")
"""A field of Settings itself that ``[pipeline]`` in pipeline.toml may set."""
NON_EMPTY = _Marker("NON_EMPTY")
"""A string with more than white space."""


@dataclass(frozen=True)
class Hint:
    """One field's annotation unpacked: the bare type, whether None is allowed, the markers."""

    base: Any
    optional: bool
    markers: tuple[object, ...]

    def marker(self, kind: type[Any]) -> Any:
        return next((m for m in self.markers if isinstance(m, kind)), None)


def hint_of(annotation: Any) -> Hint:
    markers: tuple[object, ...] = ()
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        markers = tuple(extra)
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        optional, annotation = len(args) < len(get_args(annotation)), args[0]
        return dataclasses.replace(hint_of(annotation), optional=optional, markers=markers)
    return Hint(annotation, optional, markers)


def is_table(base: Any) -> bool:
    """Whether a field holds a settings dataclass (a TOML table)."""
    return isinstance(base, type) and dataclasses.is_dataclass(base)


_HINTS: dict[type[Any], dict[str, Hint]] = {}


def hints(cls: type[Any]) -> dict[str, Hint]:
    """The settable fields of a settings dataclass, in declaration order."""
    if cls not in _HINTS:
        found = get_type_hints(cls, include_extras=True)
        _HINTS[cls] = {f.name: hint_of(found[f.name]) for f in dataclasses.fields(cls) if f.init}
    return _HINTS[cls]


def describe(hint: Hint) -> str:
    """What a value of this field may be, in words (error messages and the reference)."""
    base, parsed = hint.base, hint.marker(Parsed)
    if parsed is not None:
        text = parsed.allowed
    elif base is bool:
        text = "true or false"
    elif base in (int, float):
        text = "an integer" if base is int else "a number"
        bounds = hint.marker(Range)
        text += f" {bounds}" if bounds is not None else ""
    elif base is str:
        text = "a non-empty string" if NON_EMPTY in hint.markers else "a string"
        text = (
            "an http or https URL with a host, no user or password" if URL in hint.markers else text
        )
    elif base is Path:
        text = "a path"
    elif base is date:
        text = "a date YYYY-MM-DD"
    elif get_origin(base) is Literal:
        text = "one of " + ", ".join(get_args(base))
    elif get_origin(base) is tuple:
        item = hint_of(get_args(base)[0])
        text = "a list, each " + ("a non-empty string" if item.base is str else describe(item))
    elif is_table(base):
        text = "a table"
    else:  # a field type this module was not taught
        raise TypeError(f"no rule for settings type {base!r}")
    return str(text)


def shown(value: Any, hint: Hint) -> str:
    """A value as the user wrote it (TOML spelling), or ``(hidden)`` for a secret."""
    if SECRET in hint.markers:
        return "(hidden)"
    if URL in hint.markers and isinstance(value, str) and "@" in urlsplit(value.strip()).netloc:
        return "(a URL with a user or password, hidden)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(shown(v, hint) for v in value) + "]"
    return repr(value) if not isinstance(value, dict) else "a table"


def bad(name: str, value: Any, hint: Hint, why: str = "") -> UsageError:
    reason = f" ({why})" if why else ""
    return UsageError(f"{name}: got {shown(value, hint)}{reason}; allowed: {describe(hint)}")


def check_value(value: Any, hint: Hint, name: str) -> Any:
    """``value`` (from TOML or Python) as the field's type, or a UsageError naming ``name``."""
    base, parsed = hint.base, hint.marker(Parsed)
    if value is None and hint.optional:
        return None
    if parsed is not None:
        lines = [value] if isinstance(value, str) else value
        if not isinstance(lines, list) or not all(isinstance(x, str) for x in lines):
            raise bad(name, value, hint)
        return parsed.parse("\n".join(lines), name)
    if get_origin(base) is tuple:
        return _check_items(value, hint, name)
    if is_table(base):
        if not isinstance(value, dict):
            raise bad(name, value, hint)
        return base(**read_table(base, value, name))
    checked = _check_scalar(value, hint)
    if checked is None:
        raise bad(name, value, hint)
    bounds = hint.marker(Range)
    if bounds is not None and not bounds.allows(checked):
        raise bad(name, value, hint, "out of range")
    return checked


def _check_scalar(value: Any, hint: Hint) -> Any:
    """The value as a bool, number, string, path, date or literal; None when it is not one."""
    base = hint.base
    if base is bool or isinstance(value, bool):  # true is no integer here, 1 no boolean
        return value if base is bool and isinstance(value, bool) else None
    if base is int:
        return value if isinstance(value, int) else None
    if base is float:
        ok = isinstance(value, int | float) and math.isfinite(value)
        return float(value) if ok else None
    if base is date:
        return value if isinstance(value, date) and not isinstance(value, datetime) else None
    if get_origin(base) is Literal:
        return value if value in get_args(base) else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if base is Path:
        return Path(text) if text else None
    if (NON_EMPTY in hint.markers or URL in hint.markers) and not text:
        return None
    if URL in hint.markers:
        parts = urlsplit(text)
        # credentials in a URL would show in reprs and logs: keys have variables of their own
        usable = parts.scheme in ("http", "https") and parts.hostname and "@" not in parts.netloc
        return text.rstrip("/") if usable else None
    return text


def _check_items(value: Any, hint: Hint, name: str) -> tuple[Any, ...]:
    item = hint_of(get_args(hint.base)[0])
    if item.base is str:
        item = dataclasses.replace(item, markers=(*item.markers, NON_EMPTY))
    if not isinstance(value, list):
        raise bad(name, value, hint)
    items = []
    for number, element in enumerate(value, start=1):
        where = f"{name} #{number}" if is_table(item.base) else name
        try:
            items.append(check_value(element, item, where))
        except UsageError:
            if where != name:
                raise
            raise bad(name, element, hint) from None
    if get_origin(item.base) is Literal:  # one order, whatever the file's, each once
        return tuple(v for v in get_args(item.base) if v in items)
    return tuple(items)


BOOLEAN_WORDS = dict.fromkeys(("1", "true", "yes", "on"), True)
BOOLEAN_WORDS |= dict.fromkeys(("0", "false", "no", "off"), False)
"""What an environment variable may say for true and false (any case)."""


def parse_text(text: str, hint: Hint, name: str) -> Any:
    """An environment variable's text as the field's type, then checked like a TOML value."""
    raw = text.strip()
    value: Any = raw
    if hint.marker(Parsed) is None:
        try:
            if hint.base is bool:
                value = BOOLEAN_WORDS.get(raw.lower(), raw)
            elif hint.base is int:
                value = int(raw)
            elif hint.base is float:
                value = float(raw)
            elif hint.base is date:
                value = date.fromisoformat(raw)
        except ValueError:
            raise bad(name, raw, hint) from None
    return check_value(value, hint, name)


def unknown(place: str, key: str, known: list[str]) -> UsageError:
    """An unknown key or section, with the nearest known name when one is close."""
    near = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {near[0]}? " if near else ""
    return UsageError(f"{place}{key}: unknown; {hint}allowed: {', '.join(known)}")


def read_table(
    cls: type[Any], table: Mapping[str, Any], place: str, keys: list[str] | None = None
) -> dict[str, Any]:
    """The checked values of a TOML table for dataclass ``cls`` (only ``keys`` when given)."""
    fields = hints(cls)
    known = keys if keys is not None else list(fields)
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key not in known:
            raise unknown(f"{place} ", key, known)
        changes[key] = check_value(value, fields[key], f"{place} {key}")
    for f in dataclasses.fields(cls):
        missing = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.init and missing and f.name not in changes:
            raise UsageError(f"{place} {f.name}: missing; allowed: {describe(fields[f.name])}")
    return changes


def _num(value: float | None) -> str:
    return f"{value:g}"

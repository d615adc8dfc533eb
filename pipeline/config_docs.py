"""The configuration reference in docs/configuration.md, made from the settings classes:
every ``[section] key`` and environment variable with its type, range, default and the
docstring written under its field in pipeline/config.py.

``python -m pipeline.config_docs`` rewrites the part between the two REFERENCE markers;
tests/test_config_checks.py fails while that part differs from what this module makes, so a
field added or renamed without the reference changing is noticed.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import json
import sys
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.config_renames import ENVIRONMENT, RENAMED
from pipeline.config_types import IN_FILE, Env, Hint, describe, hints, is_table

BEGIN = "<!-- REFERENCE: made by `python -m pipeline.config_docs` from pipeline/config.py -->"
END = "<!-- END OF REFERENCE -->"
PAGE = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def docstrings() -> dict[str, dict[str, str]]:
    """``{class name: {field: docstring}}`` from the strings under the fields of config.py."""
    tree = ast.parse(inspect.getsource(config))
    found: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = {}
            for field, after in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(field, ast.AnnAssign)
                    and isinstance(field.target, ast.Name)
                    and isinstance(after, ast.Expr)
                    and isinstance(after.value, ast.Constant)
                    and isinstance(after.value.value, str)
                ):
                    found[node.name][field.target.id] = " ".join(after.value.value.split())
    return found


def default(cls: type[Any], name: str) -> str:
    """A field's default as TOML would spell it; ``unset`` for None."""
    field = next(f for f in dataclasses.fields(cls) if f.name == name)
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        return f"`{getattr(field.default_factory, '__name__', 'computed')}()`"
    else:
        return "required"
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, tuple):
        return "`" + json.dumps(list(value)) + "`" if value else "`[]`"
    return f"`{json.dumps(value)}`" if isinstance(value, str) else f"`{value!r}`"


def allowed(hint: Hint) -> str:
    return describe(hint) + (", or unset" if hint.optional else "")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|").replace("``", "`") for c in cells) + " |\n"


def table(cls: type[Any], names: list[str], docs: dict[str, str]) -> str:
    """One section's keys; the environment column only where a key has a variable."""
    envs = {n: hints(cls)[n].marker(Env) for n in names}
    head = ["key", "type and range", "default", *(["environment"] if any(envs.values()) else [])]
    lines = [_row([*head, "meaning"]), _row(["---"] * (len(head) + 1))]
    for name in names:
        env = envs[name]
        where = [", ".join(f"`{n}`" for n in env.names) if env else ""] if len(head) > 3 else []
        hint = hints(cls)[name]
        lines.append(_row([f"`{name}`", allowed(hint), default(cls, name), *where, docs[name]]))
    return "".join(lines)


def render() -> str:
    """The reference: one table per section, the environment, the renamed keys."""
    docs = docstrings()
    settings = hints(config.Settings)
    top = [k for k, h in settings.items() if IN_FILE in h.markers]
    out = ["### `[pipeline]`\n\nSettings of the run as a whole.\n\n"]
    out.append(table(config.Settings, top, docs["Settings"]))
    tables = [(f"[{s}]", settings[s].base) for s in config.SECTIONS[1:]]
    tables.append(("[[readme.topics]]", config.Topic))
    for title, cls in tables:
        text = " ".join((inspect.getdoc(cls) or "").split())
        out.append(f"\n### `{title}`\n\n{text}\n\n".replace("``", "`"))
        out.append(table(cls, list(hints(cls)), docs[cls.__name__]))
    out.append("\n### Environment variables\n\n")
    out.append(_row(["variable", "sets", "type and range", "default", "meaning"]))
    out.append(_row(["---"] * 5))
    for names, path, hint in config.environment_variables():
        owner = config.Settings if "." not in path else settings[path.split(".")[0]].base
        key = path.split(".")[-1]
        for name in names:
            cells = [f"`{name}`", f"`{path}`", allowed(hint), default(owner, key)]
            out.append(_row([*cells, docs[owner.__name__][key]]))
    out.append("\n### Renamed keys\n\n| old | new | the old name |\n|---|---|---|\n")
    for row in RENAMED:
        section = "" if row.section == ENVIRONMENT else f"[{row.section}] "
        effect = "read, with a warning" if row.same_meaning else "an error (new meaning)"
        out.append(f"| `{section}{row.old}` | `{section}{row.new}` | {effect} |\n")
    return "".join(out)


def _check_all_documented(docs: dict[str, dict[str, str]]) -> list[str]:
    """Settable fields without a docstring (the reference would have an empty cell)."""
    missing = []
    for cls in (config.Settings, config.Topic, *(h.base for h in hints(config.Settings).values())):
        if not is_table(cls):
            continue
        wanted = list(hints(cls))
        if cls is config.Settings:
            wanted = [k for k, h in hints(cls).items() if IN_FILE in h.markers or h.marker(Env)]
        missing += [f"{cls.__name__}.{k}" for k in wanted if k not in docs[cls.__name__]]
    return missing


def updated(page: str) -> str:
    """``page`` with its reference part made anew."""
    head, _, rest = page.partition(BEGIN + "\n")
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{render()}\n{END}{tail}"


def main() -> None:
    missing = _check_all_documented(docstrings())
    if missing:
        sys.exit(f"no docstring under {', '.join(missing)} in pipeline/config.py")
    PAGE.write_text(updated(PAGE.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()

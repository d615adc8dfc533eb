"""The layout rules the code keeps (issue 13), checked so that they stay true.

* no module in pipeline/ over 450 lines, no function over 60;
* the stages (scrape, resolve, check, emit) never import each other: what two stages share
  lives below them (pipeline.ids, pipeline.text, pipeline.catalog …);
* no import circle between the modules of pipeline/ (imports inside functions count too);
* the arXiv id and DOI patterns are written in pipeline/ids only;
* so are the addresses identifiers have (arXiv, doi.org, GitHub, IEEE Xplore, OpenReview
  pages): no code outside pipeline/ids builds or matches one (docstrings may name them).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGE = REPO / "pipeline"
STAGES = ("scrape", "resolve", "check", "emit")
MAX_MODULE_LINES = 450
MAX_FUNCTION_LINES = 60
IDENTIFIER_PATTERNS = {
    "an arXiv id": re.compile(
        r"\\d\{4\}\\\.\\d\{4|\[0-9\]\{4\}\\\.\[0-9\]\{4|/\\d\{7\}|/\[0-9\]\{7\}"
    ),
    "a DOI": re.compile(r"10\\\.(?:\\d|\[0-9\])\{4,9\}"),
}

IDENTIFIER_URL = re.compile(
    r"(?<![\w.-])(?:arxiv\.org/|(?:dx\.)?doi\.org/|(?:www\.)?github\.com/"
    r"|raw\.githubusercontent\.com/|ieeexplore\.ieee\.org/(?:abstract/)?document"
    r"|openreview\.net/(?:forum|pdf))",
    re.IGNORECASE,
)
"""An identifier's address in a string literal (``export.arxiv.org/…``, an API host, is not)."""
URL_LITERALS_ALLOWED = {
    "https://github.com/rs-vlm-bibliography/rs-vlm-bibliography": (
        "pipeline.PROJECT_URL, the project's own address (User-Agent, feed generator)"
    ),
    "{http://arxiv.org/schemas/atom}": "the XML namespace of arXiv's Atom feed, no paper",
}


def modules() -> dict[str, Path]:
    """Every module of pipeline/ by dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imported(name: str, path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The pipeline modules ``name`` imports (``from X import Y`` names module X.Y if it is one)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    [*package.split(".")[: len(package.split(".")) - node.level + 1], base]
                ).strip(".")
            for alias in node.names:
                if f"{base}.{alias.name}" in known:
                    yield f"{base}.{alias.name}"
                elif base in known:
                    yield base


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: set(imported(name, path, known)) - {name} for name, path in known.items()}


def stage_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_modules_are_small() -> None:
    too_long = {
        str(path.relative_to(REPO)): lines
        for path in modules().values()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, too_long


def test_functions_are_short() -> None:
    too_long = []
    for path in modules().values():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name} {length}")
    assert not too_long, too_long


def test_no_stage_imports_another() -> None:
    crossings = [
        f"{name} -> {target}"
        for name, targets in graph().items()
        for target in targets
        if stage_of(name) and stage_of(target) and stage_of(name) != stage_of(target)
    ]
    assert not crossings, crossings


def test_no_import_circle() -> None:
    edges = graph()
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    circles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(edges.get(name, ())):
            if state.get(target) == 1:
                circles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not circles, circles


@pytest.mark.parametrize("kind", sorted(IDENTIFIER_PATTERNS))
def test_identifier_patterns_live_in_ids(kind: str) -> None:
    pattern = IDENTIFIER_PATTERNS[kind]
    elsewhere = [
        f"{path.relative_to(REPO)}:{number}"
        for name, path in modules().items()
        if not name.startswith("pipeline.ids")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert not elsewhere, f"{kind} pattern outside pipeline/ids: {elsewhere}"
    inside = [p for n, p in modules().items() if n.startswith("pipeline.ids")]
    assert any(pattern.search(p.read_text(encoding="utf-8")) for p in inside), "pattern not found"


def code_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal of ``source`` but docstrings (a bare string
    statement), the pieces of f-strings included."""
    tree = ast.parse(source)
    bare = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare:
            yield node.lineno, node.value


def test_identifier_urls_live_in_ids() -> None:
    elsewhere = [
        f"{path.relative_to(REPO)}:{number} {text!r}"
        for name, path in modules().items()
        if not name.startswith("pipeline.ids")
        for number, text in code_strings(path.read_text(encoding="utf-8"))
        if IDENTIFIER_URL.search(text) and text not in URL_LITERALS_ALLOWED
    ]
    assert not elsewhere, f"identifier URLs built or matched outside pipeline/ids: {elsewhere}"
    allowed_seen = {
        text
        for path in modules().values()
        for _, text in code_strings(path.read_text(encoding="utf-8"))
        if text in URL_LITERALS_ALLOWED
    }
    assert allowed_seen == set(URL_LITERALS_ALLOWED), "an allowed literal is gone: drop it"


def test_the_checks_see_what_they_look_for() -> None:
    # The scan reads real imports and real patterns: a stage crossing and a DOI regex are
    # recognized when they are there.
    assert "pipeline.ids.doi" in graph()["pipeline.resolve.crossref"]
    assert IDENTIFIER_PATTERNS["a DOI"].search(r'DOI_RE = re.compile(r"10\.[0-9]{4,9}/\S+")')
    assert IDENTIFIER_PATTERNS["an arXiv id"].search(r're.compile(r"\d{4}\.\d{4,5}")')
    assert stage_of("pipeline.check.github.rest") == "check" and stage_of("pipeline.ids") is None
    found = dict(code_strings('"""Links https://doi.org/."""\nu = f"https://github.com/{n}"\n'))
    assert found == {2: "https://github.com/"}  # the f-string's piece; the docstring is skipped
    for url in ("https://arxiv.org/abs/", "dx.doi.org/", "www.github.com/", "arXiv.org/pdf/"):
        assert IDENTIFIER_URL.search(url), url
    for url in ("https://export.arxiv.org/api/query", "https://api.github.com/repos", "doi.org"):
        assert not IDENTIFIER_URL.search(url), url


def exception_classes() -> dict[str, type[BaseException]]:
    """Every exception class defined in pipeline/, by name."""
    import importlib
    import inspect

    found: dict[str, type[BaseException]] = {}
    for name in modules():
        if name == "pipeline.__main__":
            continue
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, BaseException)
                and value.__module__ == module.__name__
            ):
                found[attr] = value
    return found


def test_every_exception_is_in_the_error_tree_and_its_drawing() -> None:
    from pipeline import errors

    classes = exception_classes()
    assert "Unavailable" in classes and "GitHubDown" in classes  # the scan finds them
    outside = sorted(n for n, c in classes.items() if not issubclass(c, errors.PipelineError))
    assert not outside, f"not derived from pipeline.errors.PipelineError: {outside}"
    drawing = errors.__doc__ or ""
    undrawn = sorted(n for n in classes if not re.search(rf"\b{n}\b", drawing))
    assert not undrawn, f"missing from errors.py's drawing of the tree: {undrawn}"


# -- one transport policy (issue 23) -----------------------------------------------------------
TRANSPORT = "pipeline.transport"
SLEEPS = {("time", "sleep"), ("asyncio", "sleep")}
RATE_HEADERS = ("retry-after", "x-rate-limit-limit", "x-rate-limit-interval")


def network_decisions(path: Path) -> Iterator[str]:
    """Where a module decides retries or pacing itself: a retry library, a sleep between
    requests, ``Retry-After`` or a rate header read, ``parse_retry_after`` or ``random``
    (backoff jitter) used."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names]
            if any(n.split(".")[0] in {"tenacity", "random", "backoff"} for n in names):
                yield f"{line}: imports a retry library or random"
            if (
                isinstance(node, ast.ImportFrom)
                and node.module in {"time", "asyncio"}
                and any(a.name == "sleep" for a in node.names)
            ):
                yield f"{line}: imports sleep"
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if (node.value.id, node.attr) in SLEEPS:
                yield f"{line}: {node.value.id}.sleep"
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name == "parse_retry_after":
                yield f"{line}: parse_retry_after"
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and node.value.strip().lower() in RATE_HEADERS
        ):
            yield f"{line}: reads the {node.value!r} header"


def test_one_retry_rule_and_one_pacer_live_in_the_transport() -> None:
    elsewhere = [
        f"{path.relative_to(REPO)}:{where}"
        for name, path in modules().items()
        if not name.startswith(TRANSPORT)
        for where in network_decisions(path)
    ]
    assert not elsewhere, f"retries or pacing decided outside pipeline/transport: {elsewhere}"


def test_the_transport_check_sees_what_it_looks_for(tmp_path: Path) -> None:
    found = {
        name: list(network_decisions(path))
        for name, path in modules().items()
        if name.startswith(TRANSPORT)
    }
    assert any("time.sleep" in w for w in found[f"{TRANSPORT}.retry"])
    assert any("asyncio.sleep" in w for w in found[f"{TRANSPORT}.retry"])
    assert any("'Retry-After'" in w for w in found[f"{TRANSPORT}.retry"])
    assert any("random" in w for w in found[f"{TRANSPORT}.retry"])
    assert any("x-rate-limit-limit" in w for w in found[f"{TRANSPORT}.pace"])
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""A docstring naming Retry-After is no decision."""\n'
        "from tenacity import Retrying\nfrom time import sleep\nimport asyncio\n"
        "async def f(h): await asyncio.sleep(1); return parse_retry_after(h['retry-after'])\n",
        encoding="utf-8",
    )
    assert [w.split(":")[0] for w in network_decisions(sample)] == ["2", "3", "5", "5", "5"]

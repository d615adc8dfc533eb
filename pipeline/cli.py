"""The ``pipeline`` command: a thin click layer over the stage functions.

It parses options, builds Settings, calls the library and turns a PipelineError into a
message and an exit code (docs/design.md: 0 done, 1 strict found problems, 2 bad usage or input,
3 degraded: a service could not be reached; ``--offline`` asked for is not degraded).
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import __version__
from pipeline.config import Settings, load_settings
from pipeline.errors import PipelineError
from pipeline.models import StageReport

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_STRICT, EXIT_USAGE, EXIT_DEGRADED = 0, 1, 2, 3

log = logging.getLogger("pipeline")


def common_options(func: F) -> F:
    """Options every command takes (sqlite-utils style shared decorator)."""

    @click.option(
        "--offline", is_flag=True, default=None, help="Use the cache and output/ only; no network."
    )
    @click.option(
        "--cache-dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Persistent HTTP cache directory [env PIPELINE_CACHE_DIR; default .cache/].",
    )
    @click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Settings file [default pipeline.toml].",
    )
    @click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Project directory holding sources/, build/ and output/ "
        "[default: the current directory or its nearest parent holding sources/sources.toml].",
    )
    @click.option("-v", "--verbose", count=True, help="More log lines (repeat for debug).")
    @click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
    @click.option(
        "--strict",
        is_flag=True,
        default=None,
        help="Exit 1 when dead links or unresolved works are found.",
    )
    @functools.wraps(func)
    def wrapper(
        *args: Any,
        offline: bool | None,
        cache_dir: Path | None,
        config_file: Path | None,
        root: Path | None,
        verbose: int,
        quiet: bool,
        strict: bool | None,
        **kwargs: Any,
    ) -> Any:
        configure_logging(verbose, quiet)
        options = {"root": root, "config_file": config_file, "offline": offline}
        options |= {"cache_dir": cache_dir, "strict": strict}
        return run_command(func, args, kwargs, options, verbosity=-1 if quiet else verbose)

    return wrapper  # type: ignore[return-value]


def configure_logging(verbose: int, quiet: bool) -> None:
    """Log lines on stderr: warnings by default (a run prints its summary, not a line per
    work), errors only with ``-q``, per-item lines with ``-v``, debug with ``-vv``."""
    levels = {0: logging.WARNING, 1: logging.INFO}
    level = logging.ERROR if quiet else levels.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(message)s", stream=sys.stderr)


def run_command(
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    options: dict[str, Any],
    *,
    verbosity: int,
) -> Any:
    """Load the settings and run a command; a PipelineError becomes a message and its exit code."""
    try:
        settings = load_settings(**options, verbosity=verbosity)
        return func(settings, *args, **kwargs)
    except PipelineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("interrupted: output/ is unchanged", err=True)
        sys.exit(130)


def finish(settings: Settings, reports: list[StageReport]) -> None:
    """Print the summary lines and exit with the code docs/design.md fixes."""
    for report in reports:
        for line in report.lines:
            click.echo(line)
    degraded = sorted({s for r in reports for s in r.degraded})
    said = any(r.stage == "refresh" for r in reports)  # refresh's summary has a row for it
    if degraded and settings.offline and not said:
        # asked for: a run from the cache and output/ alone is a finished run, not a failure
        click.echo(
            f"offline: {', '.join(degraded)} not asked; outputs made from what was known",
            err=True,
        )
    elif degraded and not said:
        click.echo(
            f"degraded: could not reach {', '.join(degraded)}; outputs kept what was known",
            err=True,
        )
    if degraded and not settings.offline:
        sys.exit(EXIT_DEGRADED)
    if settings.strict and any(r.problems for r in reports):
        sys.exit(EXIT_STRICT)
    sys.exit(EXIT_OK)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
def cli() -> None:
    """Turn awesome lists of papers into a verified bibliography and a link report.

    Stages: scrape → resolve → check → emit; `refresh` runs all four.
    """


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@common_options
def scrape(settings: Settings, files: tuple[Path, ...]) -> None:
    """Parse the source lists into build/entries.json and build/works.json.

    FILES default to every list named in sources/sources.toml. Never uses the network.
    """
    from pipeline.scrape import run_scrape

    finish(settings, [run_scrape(settings, list(files) or None)])


TIME_BUDGET = click.option(
    "--time-budget",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Stop asking the metadata services after SECONDS; the next run continues.",
)


def with_budget(settings: Settings, seconds: float | None) -> Settings:
    """``--time-budget`` over ``[resolve] time_budget_seconds`` (the flag wins, like every flag)."""
    if seconds is None:
        return settings
    return dataclasses.replace(
        settings, resolve=dataclasses.replace(settings.resolve, time_budget_seconds=seconds)
    )


@cli.command()
@TIME_BUDGET
@common_options
def resolve(settings: Settings, time_budget: float | None) -> None:
    """Resolve every work to metadata (arXiv, Crossref, doi.org, OpenAlex, Semantic Scholar):
    build/resolved.json."""
    from pipeline.refresh import run_network_stage
    from pipeline.resolve import run_resolve

    settings = with_budget(settings, time_budget)
    finish(settings, [run_network_stage("resolve", run_resolve, settings)])


@cli.command()
@common_options
def check(settings: Settings) -> None:
    """Check every distinct URL once and fetch GitHub repository facts: build/links.json."""
    from pipeline.check import run_check
    from pipeline.refresh import run_network_stage

    finish(settings, [run_network_stage("check", run_check, settings)])


@cli.command()
@common_options
def emit(settings: Settings) -> None:
    """Write papers.bib, papers.json, README.md, links.json, link-report.md and fixes/ under output/."""
    from pipeline.emit import run_emit

    finish(settings, [run_emit(settings)])


@cli.command()
@TIME_BUDGET
@common_options
def refresh(settings: Settings, time_budget: float | None) -> None:
    """Run scrape, resolve, check and emit in order (what `make refresh` runs)."""
    from pipeline.refresh import run_refresh

    settings = with_budget(settings, time_budget)
    finish(settings, run_refresh(settings))


@cli.command()
@click.argument("lists", nargs=-1, metavar="[LIST]...")
@click.option("--apply", is_flag=True, help="Apply the patches to sources/ instead of printing.")
@common_options
def fix(settings: Settings, lists: tuple[str, ...], apply: bool) -> None:
    """Print the ready patches in output/fixes/ (or apply them to sources/).

    LIST: list ids [default: every list]. Each change's reason comes first
    (file:line: moved → …); the patches go to stdout, so they can be piped to `git apply`.
    """
    from pipeline.emit import read_sources
    from pipeline.emit.fixfiles import run_fix

    run = run_fix(settings, read_sources(settings), lists, apply=apply)
    for line in run.report.lines:
        click.echo(line, err=not apply)
    for patch in run.patches:
        click.echo(patch, nl=False)  # bytes: written as they are (CRLF lines stay CRLF)
    finish(settings, [])


@cli.group()
def sources() -> None:
    """Manage the source lists named in sources/sources.toml."""


@sources.command("update")
@common_options
def sources_update(settings: Settings) -> None:
    """Download the newest upstream copy of each list and show what changed (needs the network)."""
    from pipeline.scrape.sources import update_sources

    finish(settings, [update_sources(settings)])


@sources.command("add")
@click.argument("source", metavar="URL|FILE")
@click.option(
    "--id",
    "list_id",
    metavar="ID",
    help="Short name of the list [default: from the repository or file name].",
)
@click.option(
    "--repo", metavar="OWNER/NAME", help="Upstream GitHub repository [default: from a GitHub URL]."
)
@click.option("--title", metavar="TEXT", help="The list's title [default: its first heading].")
@common_options
def sources_add(
    settings: Settings,
    source: str,
    list_id: str | None,
    repo: str | None,
    title: str | None,
) -> None:
    """Copy a list into sources/ byte for byte, add it to sources.toml and scrape it once.

    URL|FILE: a file, a raw URL, a github.com/OWNER/NAME repository (its README) or a
    github.com/OWNER/NAME/blob/REF/PATH file.
    """
    from pipeline.scrape.lists import add_list

    finish(settings, [add_list(settings, source, list_id=list_id, repo=repo, title=title)])


@sources.command("remove")
@click.argument("list_id", metavar="ID")
@click.option("--keep-file", is_flag=True, help="Keep the list's copy in sources/.")
@common_options
def sources_remove(settings: Settings, list_id: str, keep_file: bool) -> None:
    """Drop the list ID from sources.toml and delete its copy in sources/."""
    from pipeline.scrape.lists import remove_list

    finish(settings, [remove_list(settings, list_id, keep_file=keep_file)])


@cli.command()
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to set up [default: the current directory].",
)
@click.option(
    "--force", is_flag=True, help="Overwrite sources.toml and the workflow if they exist."
)
@click.option(
    "--ref",
    metavar="REF",
    default=None,
    help="Pipeline release the workflow calls and installs: a tag or commit SHA "
    "[default: the commit this version pins, pipeline.WORKFLOW_REF].",
)
def init(root: Path | None, force: bool, ref: str | None) -> None:
    """Set up a list repository here: sources/sources.toml, .gitignore, the weekly workflow.

    Never overwrites a file without --force; .gitignore is only added to.
    """
    from pipeline.project import init_project

    folder = (root or Path.cwd()).resolve()
    try:
        result = init_project(folder, force=force, ref=ref)
    except PipelineError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    for name in result.written:
        click.echo(f"wrote {name}")
    for name in result.kept:
        click.echo(
            f"kept  {name} (exists; --force overwrites)"
            if name != ".gitignore"
            else f"kept  {name} (has the lines)"
        )
    click.echo(f"next: pipeline sources add URL|FILE, then pipeline refresh (in {folder})")


def main() -> None:
    cli(prog_name="pipeline")

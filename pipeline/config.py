"""Settings, read in one place: defaults < pipeline.toml < environment < command-line flags.

Every field's type and range is declared next to it (``Annotated[int, Range(ge=1)]``,
pipeline.config_types) and checked when pipeline.toml or the environment is read: a wrong
value, an unknown key or section is one line naming it (exit 2). Renamed keys are in
pipeline.config_renames; docs/configuration.md is made from these classes
(pipeline.config_docs). Every remote endpoint has a default and a ``PIPELINE_*`` override so
that tests and mirrors can point the pipeline elsewhere (docs/design.md, "Where it talks to
the world").
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from pipeline.clock import today
from pipeline.config_renames import ENVIRONMENT, upgrade
from pipeline.config_types import (
    IN_FILE,
    NON_EMPTY,
    SECRET,
    URL,
    Env,
    Hint,
    Parsed,
    Range,
    hints,
    is_table,
    parse_text,
    read_table,
    unknown,
)
from pipeline.errors import UsageError
from pipeline.models import Kind
from pipeline.project import find_root

log = logging.getLogger("pipeline")


def parse_remap(text: str, where: str = "PIPELINE_REMAP") -> tuple[tuple[str, str], ...]:
    """Parse ``REGEX REPLACEMENT`` lines; blank lines and ``#`` comments are ignored."""
    pairs: list[tuple[str, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            raise UsageError(f"{where}:{number}: expected 'REGEX REPLACEMENT', got {line!r}")
        try:
            re.compile(parts[0])
        except re.error as exc:
            raise UsageError(f"{where}:{number}: bad regular expression: {exc}") from None
        pairs.append((parts[0], parts[1]))
    return tuple(pairs)


REMAP = Parsed(parse_remap, "lines 'REGEX REPLACEMENT' (a TOML list of them)")


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the services; each has a ``PIPELINE_*`` environment override."""

    arxiv: Annotated[str, URL, Env("PIPELINE_ARXIV_API")] = "https://export.arxiv.org/api/query"
    """arXiv API query endpoint (https://info.arxiv.org/help/api/user-manual.html)."""
    crossref: Annotated[str, URL, Env("PIPELINE_CROSSREF_API")] = "https://api.crossref.org"
    """Crossref REST API root (https://api.crossref.org/swagger-ui/index.html)."""
    doi: Annotated[str, URL, Env("PIPELINE_DOI_RESOLVER")] = "https://doi.org"
    """DOI resolver used for content negotiation (https://citation.crosscite.org/docs.html)."""
    openalex: Annotated[str, URL, Env("PIPELINE_OPENALEX_API")] = "https://api.openalex.org"
    """OpenAlex API root (https://docs.openalex.org)."""
    github: Annotated[str, URL, Env("PIPELINE_GITHUB_API")] = "https://api.github.com"
    """GitHub REST root; GraphQL is ``{github}/graphql``."""
    s2: Annotated[str, URL, Env("PIPELINE_S2_API")] = "https://api.semanticscholar.org/graph/v1"
    """Semantic Scholar Graph API root; the paper batch is ``{s2}/paper/batch``
    (https://api.semanticscholar.org/api-docs/graph)."""


@dataclass(frozen=True)
class CheckSettings:
    """Link-checker limits. A host is protected by ``per_host`` and ``per_host_per_second``; the
    global ``concurrency`` protects this machine (sockets, memory) and is set not to bind
    before the per-host limits of a list's usual few dozen hosts."""

    concurrency: Annotated[int, Range(ge=1)] = 128
    """Requests in flight over the whole run: 32 hosts at ``per_host`` at once. lychee's
    default; half of macOS's default open-file limit (256), as each request is a socket."""
    per_host: Annotated[int, Range(ge=1)] = 4
    """Requests in flight to one host, so one slow host never stalls the others (fewer than
    the 6 connections a browser opens to one host)."""
    per_host_per_second: Annotated[float, Range(ge=0)] = 40.0
    """Requests per second to one host at most (0: no spacing; pipeline.transport.pace):
    ``per_host`` answers of 100 ms each, so that it binds only on hosts answering faster than
    that and leaves ``per_host`` its use."""
    timeout_seconds: Annotated[float, Range(gt=0)] = 20.0
    """Seconds for one request (connect + headers)."""
    retry_budget_seconds: Annotated[float, Range(gt=0)] = 60.0
    """Seconds for one URL over all its tries, from its first request."""
    retry_attempts: Annotated[int, Range(ge=1)] = 4
    """Tries per URL in all (the first and its retries) on timeouts, connection errors, 5xx
    and 429 (pipeline.transport.retry)."""
    retry_after_cap_seconds: Annotated[float, Range(ge=0)] = 30.0
    """Longest ``Retry-After`` waited; a server asking longer is not asked again for that
    URL (a 429 then leaves the link ``blocked``, rate limited)."""
    max_redirects: Annotated[int, Range(ge=0)] = 10
    """Redirect hops before giving up (browsers allow about 20; lychee 10)."""
    max_body_bytes: Annotated[int, Range(ge=0)] = 65536
    """Bytes of a body read at most (soft-404 fingerprints); a dataset is never downloaded."""
    dead_after: Annotated[int, Range(ge=1)] = 2
    """Consecutive failing runs before a link is reported ``dead`` (hysteresis)."""
    github_batch: Annotated[int, Range(ge=1)] = 50
    """Repositories per GraphQL query (aliases)."""
    parking_look: bool = True
    """Fetch one page (a body prefix) of each host not too big to lapse, to see whether it is
    a parking or for-sale page: one GET more per small host."""
    backoff_seconds: Annotated[float, Range(ge=0)] = 1.0
    """Seconds before the first retry; doubled each retry, less up to a quarter at random."""
    backoff_max_seconds: Annotated[float, Range(ge=0)] = 30.0
    """Longest backoff between two tries of one URL."""
    crawl_delay_max_seconds: Annotated[float, Range(ge=0)] = 60.0
    """Longest gap kept between two requests to a host whose row in the quirk table asks a
    slower pace (arxiv.org's robots.txt: ``Crawl-delay: 15``); 0: those rows' paces off."""


@dataclass(frozen=True)
class ResolveSettings:
    """How the resolvers wait, retry and cache. Tests shrink the waits to milliseconds."""

    timeout_seconds: Annotated[float, Range(gt=0)] = 30.0
    """Seconds for one metadata request (connect and read each)."""
    backoff_seconds: Annotated[float, Range(ge=0)] = 1.0
    """Seconds before the first retry; doubled each retry, less up to a quarter at random."""
    backoff_max_seconds: Annotated[float, Range(ge=0)] = 30.0
    """Longest backoff between two tries of one request."""
    retry_attempts: Annotated[int, Range(ge=1)] = 4
    """Tries per request in all (the first and its retries) on 429, 5xx, timeouts, garbage
    (pipeline.transport.retry)."""
    retry_budget_seconds: Annotated[float, Range(gt=0)] = 120.0
    """Seconds one request may take over all its tries; keeps a run's time bounded."""
    retry_after_cap_seconds: Annotated[float, Range(ge=0)] = 60.0
    """Longest ``Retry-After`` waited; a service asking longer is not asked again for that
    request (the work keeps its last known record, and the failure counts toward the
    breaker)."""
    breaker_after: Annotated[int, Range(ge=1)] = 3
    """Requests to one service that failed after all retries before the run stops asking it
    (circuit breaker: a dead service costs a few requests, not one per work)."""
    cache_max_age_seconds: Annotated[float, Range(ge=0)] = 30 * 86400.0
    """Seconds a cached answer is used without asking again (then revalidated by ETag)."""
    find_published: bool = True
    """Search Crossref for the published version of preprints arXiv gives no DOI for."""
    workers: Annotated[int, Range(ge=1)] = 3
    """Requests in flight to one service at most (Crossref's polite pool allows 3
    concurrent, its public pool 1: then 1); twice as many works are looked up at once."""
    openalex_per_second: Annotated[float, Range(ge=0)] = 10.0
    """OpenAlex requests a second at most (its documented limit; it sends no rate headers)."""
    s2_per_second: Annotated[float, Range(ge=0)] = 1.0
    """Semantic Scholar requests a second at most (its shared pool's rule without a key)."""
    time_budget_seconds: Annotated[float | None, Range(ge=0)] = None
    """Seconds the stage may spend asking services; when they are spent it stops asking,
    writes what it knows (unfinished works keep their last known record) and the next run
    continues from the cache. Unset: no limit (``--time-budget`` sets it too). The scheduled
    workflow sets it below the job's time limit (GitHub Actions cancels a job after its
    ``timeout-minutes``, losing its work)."""


@dataclass(frozen=True)
class ScrapeSettings:
    """Which sections of the lists are read. A name matches a heading of an entry's section
    path, whatever its case, emoji and punctuation (``"Credits"`` matches ``## 🙏 Credits:``)."""

    exclude_sections: tuple[str, ...] = ()
    """Rows under these headings are not read (tutorials, credits, a list's news)."""
    include_sections: tuple[str, ...] = ()
    """When given, only rows under these headings are read."""


@dataclass(frozen=True)
class Topic:
    """One topic of a merged scheme for ``output/README.md`` (``[[readme.topics]]``)."""

    name: Annotated[str, NON_EMPTY]
    """The topic's heading in the README (unique, and not the ``other`` topic's)."""
    match: tuple[str, ...] = ()
    """Phrases (lower-case): a section path containing one, at a word start, maps here."""
    kinds: tuple[Kind, ...] = ()
    """Works of these kinds come here unless a topic before this one matches them."""
    note: str = ""
    """A sentence the README's Taxonomy section says about this topic."""


@dataclass(frozen=True)
class ReadmeSettings:
    """How ``output/README.md`` groups works (``[readme]``). Without topics it keeps the
    lists' own sections; with them, every work goes under one topic of the scheme."""

    title: str = ""
    """The README's heading; empty: the list's own title (one list) or a generic one."""
    topics: tuple[Topic, ...] = ()
    """The merged topic scheme, in README order; the first topic that matches wins."""
    other: Annotated[str, NON_EMPTY] = "Other"
    """The topic of works no rule places."""
    by_title: bool = True
    """Works filed only under sections no topic matches are placed by their title's words."""


@dataclass(frozen=True)
class EmitSettings:
    """What goes into the bibliography (``[emit]``)."""

    cite_kinds: tuple[Kind, ...] = ("paper", "dataset")
    """Kinds written to papers.bib and papers.json (with a citation key in the README);
    the others (software, videos, blogs …) are listed in the README only."""


@dataclass(frozen=True)
class Settings:
    """Everything a stage needs to know that is not in its input files."""

    root: Path = field(default_factory=find_root)
    """The project folder: the current directory or its nearest parent holding
    ``sources/sources.toml`` (pipeline.project.find_root); ``--root`` overrides it."""
    endpoints: Endpoints = field(default_factory=Endpoints)
    check: CheckSettings = field(default_factory=CheckSettings)
    mailto: Annotated[str | None, IN_FILE, Env("PIPELINE_MAILTO")] = None
    """Your contact address, sent in the User-Agent and as Crossref's ``mailto`` (its polite
    pool); please set it."""
    cache_dir: Annotated[Path | None, IN_FILE, Env("PIPELINE_CACHE_DIR")] = None
    """Persistent HTTP cache (what the scheduled workflow keeps between runs); ``.cache/``
    under the root when unset."""
    arxiv_delay_seconds: Annotated[
        float, Range(ge=0), IN_FILE, Env("PIPELINE_ARXIV_DELAY_SECONDS")
    ] = 3.0
    """Seconds between arXiv API calls: "make no more than one request every three seconds"
    (arXiv API Terms of Use)."""
    openalex_key: Annotated[str | None, SECRET, Env("PIPELINE_OPENALEX_KEY")] = field(
        default=None, repr=False
    )
    """OpenAlex API key. Without one OpenAlex allows only a small daily budget, so its title
    search is a last resort; with one, OpenAlex also answers the DOIs Crossref does not hold,
    50 a request, before doi.org is asked one by one. Sent only to ``endpoints.openalex`` (its
    ``api_key`` parameter, added as the request leaves), never in the cache, a log line, an
    error or a repr."""
    s2_key: Annotated[str | None, SECRET, Env("PIPELINE_S2_KEY")] = field(default=None, repr=False)
    """Semantic Scholar API key (``x-api-key``), sent only to ``endpoints.s2``; never logged.
    Without one the service shares a rate limit among all keyless callers."""
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    """Resolver timeouts, retries and cache age (tests shrink the waits)."""
    scrape: ScrapeSettings = field(default_factory=ScrapeSettings)
    """Sections read or left out (``[scrape]`` in pipeline.toml)."""
    readme: ReadmeSettings = field(default_factory=ReadmeSettings)
    emit: EmitSettings = field(default_factory=EmitSettings)
    remap: Annotated[tuple[tuple[str, str], ...], REMAP, IN_FILE, Env("PIPELINE_REMAP")] = ()
    """URL rewrites, one ``REGEX REPLACEMENT`` pair per line (Python ``re.sub``, ``\\1`` for
    groups), applied in order before a URL is fetched (mirrors, tests); reports keep the
    original URL."""
    allow_private_hosts: Annotated[bool, IN_FILE, Env("PIPELINE_ALLOW_PRIVATE_HOSTS")] = False
    """The link checker refuses URLs that resolve to loopback, private or link-local
    addresses; true allows them (tests against the fake web)."""
    github_token: Annotated[str | None, SECRET, Env("GITHUB_TOKEN", "GH_TOKEN")] = field(
        default=None, repr=False
    )
    """GitHub token: stars in a few GraphQL requests instead of one REST request per repository
    (``GH_TOKEN`` when ``GITHUB_TOKEN`` is unset). Sent only to ``endpoints.github``; never
    logged (``repr=False`` keeps it out of reprs)."""
    offline: bool = False
    """Answer from the cache and the previous ``output/`` only."""
    run_date: Annotated[date, Env("PIPELINE_RUN_DATE")] = field(default_factory=today)
    """The run's one "today" (UTC): what emit dates things by (first-seen dates, the star
    history, the feed); the same inputs and run date give the same bytes."""
    strict: bool = False
    verbosity: int = 0

    @property
    def sources_toml(self) -> Path:
        return self.root / "sources" / "sources.toml"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def cache_path(self) -> Path:
        return self.cache_dir if self.cache_dir is not None else self.root / ".cache"


SECTIONS = ("pipeline", "endpoints", "check", "resolve", "scrape", "readme", "emit")
"""The sections of pipeline.toml: ``[pipeline]`` sets the IN_FILE fields of Settings itself,
each other one the Settings field of its name."""


def environment_variables() -> Iterator[tuple[tuple[str, ...], str, Hint]]:
    """Each field an environment variable sets: its variables, its path
    (``endpoints.arxiv``) and its type."""
    for name, hint in hints(Settings).items():
        if is_table(hint.base):
            for key, inner in hints(hint.base).items():
                if (env := inner.marker(Env)) is not None:
                    yield env.names, f"{name}.{key}", inner
        elif (env := hint.marker(Env)) is not None:
            yield env.names, name, hint


ENV_ENDPOINTS = {
    names[0]: path.removeprefix("endpoints.")
    for names, path, _ in environment_variables()
    if path.startswith("endpoints.")
}
"""``PIPELINE_ARXIV_API`` → ``arxiv`` …: the variables that point the pipeline elsewhere."""


def load_settings(
    *,
    root: Path | None = None,
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Build Settings from defaults, ``pipeline.toml``, the environment and flags (in that order).

    ``flags`` whose value is None are ignored, so click options can be passed straight in.
    """
    env = upgrade(ENVIRONMENT, os.environ if environ is None else environ, "")
    settings = Settings(root=root.resolve() if root is not None else find_root())
    toml_path = config_file or settings.root / "pipeline.toml"
    if config_file is not None and not config_file.exists():
        raise UsageError(f"{config_file}: configuration file not found")
    if toml_path.exists():
        where = _shown_path(toml_path)
        settings = _apply(settings, _file_changes(_read_toml(toml_path, where), where))
    settings = _apply(settings, _env_changes(env))
    flag_changes = {k: v for k, v in flags.items() if v is not None}
    if "cache_dir" in flag_changes:
        flag_changes["cache_dir"] = Path(flag_changes["cache_dir"])
    settings = dataclasses.replace(settings, **flag_changes)
    log.debug("settings: %r", settings)  # secrets are repr=False: never in this line
    return settings


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):  # outside the current directory, or it is gone
        return str(path)


def _read_toml(path: Path, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{where}: cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        spot = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = f":{spot[1]}:{spot[2]}" if spot else ""
        reason = str(exc).split(" (at ")[0]
        raise UsageError(f"{where}{line}: not valid TOML: {reason}") from None


def _file_changes(data: dict[str, Any], where: str) -> dict[str, Any]:
    """The checked values of pipeline.toml, as ``{"check.timeout_seconds": 5.0, …}``."""
    changes: dict[str, Any] = {}
    fields = hints(Settings)
    for section, table in data.items():
        if section not in SECTIONS:
            raise unknown(f"{where}: ", f"[{section}]", [f"[{s}]" for s in SECTIONS])
        if not isinstance(table, dict):
            raise UsageError(f"{where}: [{section}]: got a value; allowed: a table [{section}]")
        table = upgrade(section, table, where)
        place = f"{where}: [{section}]"
        if section == "pipeline":
            keys = [k for k, h in fields.items() if IN_FILE in h.markers]
            changes |= read_table(Settings, table, place, keys)
        else:
            cls = fields[section].base
            changes |= {f"{section}.{k}": v for k, v in read_table(cls, table, place).items()}
    _check_topics(changes, where)
    return changes


def _env_changes(env: Mapping[str, str]) -> dict[str, Any]:
    """The checked values of the ``PIPELINE_*`` variables set (an empty one is unset)."""
    changes: dict[str, Any] = {}
    for names, path, hint in environment_variables():
        name = next((n for n in names if env.get(n, "").strip()), None)
        if name is not None:
            changes[path] = parse_text(env[name], hint, name)
    return changes


def _apply(settings: Settings, changes: dict[str, Any]) -> Settings:
    """``settings`` with ``{"field": v, "section.key": v}`` changed."""
    top = {k: v for k, v in changes.items() if "." not in k}
    for section in {k.split(".")[0] for k in changes if "." in k}:
        inner = {k.split(".")[1]: v for k, v in changes.items() if k.startswith(f"{section}.")}
        top[section] = dataclasses.replace(getattr(settings, section), **inner)
    return dataclasses.replace(settings, **top)


def _check_topics(changes: dict[str, Any], where: str) -> None:
    """What no one field says: topic names are unique, and each topic matches something."""
    topics: tuple[Topic, ...] = changes.get("readme.topics", ())
    names = {changes.get("readme.other", ReadmeSettings.other)}
    lowered = []
    for number, topic in enumerate(topics, start=1):
        place = f"{where}: [readme] topics #{number}"
        if topic.name in names:
            raise UsageError(f"{place} name: got {topic.name!r} (used twice); allowed: a new name")
        names.add(topic.name)
        if not topic.match and not topic.kinds:
            raise UsageError(f"{place} ({topic.name}): matches nothing; allowed: match or kinds")
        lowered.append(dataclasses.replace(topic, match=tuple(p.lower() for p in topic.match)))
    if topics:
        changes["readme.topics"] = tuple(lowered)

"""Settings, read in one place: defaults < pipeline.toml < environment < command-line flags.

Every remote endpoint has a default and a ``PIPELINE_*`` override so that tests and mirrors
can point the pipeline elsewhere (docs/design.md, "Where it talks to the world").
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.clock import parse_date, today
from pipeline.errors import UsageError
from pipeline.models import KIND_NAMES, Kind
from pipeline.project import find_root


@dataclass(frozen=True)
class Endpoints:
    """Base URLs of the services; each has a ``PIPELINE_*`` environment override."""

    arxiv: str = "https://export.arxiv.org/api/query"
    """arXiv API query endpoint (https://info.arxiv.org/help/api/user-manual.html)."""
    crossref: str = "https://api.crossref.org"
    """Crossref REST API root (https://api.crossref.org/swagger-ui/index.html)."""
    doi: str = "https://doi.org"
    """DOI resolver used for content negotiation (https://citation.crosscite.org/docs.html)."""
    openalex: str = "https://api.openalex.org"
    """OpenAlex API root (https://docs.openalex.org)."""
    github: str = "https://api.github.com"
    """GitHub REST root; GraphQL is ``{github}/graphql``."""
    s2: str = "https://api.semanticscholar.org/graph/v1"
    """Semantic Scholar Graph API root; the paper batch is ``{s2}/paper/batch``
    (https://api.semanticscholar.org/api-docs/graph)."""


@dataclass(frozen=True)
class CheckSettings:
    """Link-checker limits. A host is protected by ``per_host`` and ``per_host_per_second``; the
    global ``concurrency`` protects this machine (sockets, memory) and is set not to bind
    before the per-host limits of a list's usual few dozen hosts."""

    concurrency: int = 128
    """Requests in flight over the whole run: 32 hosts at ``per_host`` at once. lychee's
    default; half of macOS's default open-file limit (256), as each request is a socket."""
    per_host: int = 4
    """Requests in flight to one host, so one slow host never stalls the others (fewer than
    the 6 connections a browser opens to one host)."""
    per_host_per_second: float = 40.0
    """Requests per second to one host at most (0: no spacing; pipeline.transport.pace):
    ``per_host`` answers of 100 ms each, so that it binds only on hosts answering faster than
    that and leaves ``per_host`` its use."""
    timeout: float = 20.0
    """Seconds for one request (connect + headers)."""
    retry_budget_seconds: float = 60.0
    """Seconds for one URL over all its tries, from its first request."""
    retry_attempts: int = 4
    """Tries per URL in all (the first and its retries) on timeouts, connection errors, 5xx
    and 429 (pipeline.transport.retry)."""
    retry_after_cap_seconds: float = 30.0
    """Longest ``Retry-After`` waited; a server asking longer is not asked again for that
    URL (a 429 then leaves the link ``blocked``, rate limited)."""
    max_redirects: int = 10
    """Redirect hops before giving up (browsers allow about 20; lychee 10)."""
    max_body_bytes: int = 65536
    """Bytes of a body read at most (soft-404 fingerprints); a dataset is never downloaded."""
    dead_after: int = 2
    """Consecutive failing runs before a link is reported ``dead`` (hysteresis)."""
    github_batch: int = 50
    """Repositories per GraphQL query (aliases)."""
    parking_look: bool = True
    """Fetch one page (a body prefix) of each host not too big to lapse, to see whether it is
    a parking or for-sale page: one GET more per small host."""
    backoff_seconds: float = 1.0
    """Seconds before the first retry; doubled each retry, less up to a quarter at random."""
    backoff_max_seconds: float = 30.0
    """Longest backoff between two tries of one URL."""


@dataclass(frozen=True)
class ResolveSettings:
    """How the resolvers wait, retry and cache. Tests shrink the waits to milliseconds."""

    timeout: float = 30.0
    """Seconds for one metadata request (connect and read each)."""
    backoff_seconds: float = 1.0
    """Seconds before the first retry; doubled each retry, less up to a quarter at random."""
    backoff_max_seconds: float = 30.0
    """Longest backoff between two tries of one request."""
    retry_attempts: int = 4
    """Tries per request in all (the first and its retries) on 429, 5xx, timeouts, garbage
    (pipeline.transport.retry)."""
    retry_budget_seconds: float = 120.0
    """Seconds one request may take over all its tries; keeps a run's time bounded."""
    retry_after_cap_seconds: float = 60.0
    """Longest ``Retry-After`` waited; a service asking longer is not asked again for that
    request (the work keeps its last known record, and the failure counts toward the
    breaker)."""
    breaker_after: int = 3
    """Requests to one service that failed after all retries before the run stops asking it
    (circuit breaker: a dead service costs a few requests, not one per work)."""
    cache_max_age: float = 30 * 86400.0
    """Seconds a cached answer is used without asking again (then revalidated by ETag)."""
    find_published: bool = True
    """Search Crossref for the published version of preprints arXiv gives no DOI for."""
    workers: int = 3
    """Requests in flight to one service at most (Crossref's polite pool allows 3
    concurrent, its public pool 1: then 1); twice as many works are looked up at once."""
    openalex_per_second: float = 10.0
    """OpenAlex requests a second at most (its documented limit; it sends no rate headers)."""
    s2_per_second: float = 1.0
    """Semantic Scholar requests a second at most (its shared pool's rule without a key)."""
    time_budget: float | None = None
    """Seconds the stage may spend asking services; when they are spent it stops asking,
    writes what it knows (unfinished works keep their last known record) and the next run
    continues from the cache. None: no limit. The scheduled workflow sets it below the job's
    time limit (GitHub Actions cancels a job after its ``timeout-minutes``, losing its work)."""


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

    name: str
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
    other: str = "Other"
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
    mailto: str | None = None
    """Contact address for User-Agent and Crossref's ``mailto`` (its polite pool)."""
    cache_dir: Path | None = None
    """Persistent HTTP cache; ``.cache/`` under the root when unset."""
    arxiv_delay: float = 3.0
    """Seconds between arXiv API calls: "make no more than one request every three seconds"
    (arXiv API Terms of Use)."""
    openalex_key: str | None = field(default=None, repr=False)
    """OpenAlex API key, added to requests when sent; never logged nor in a repr."""
    s2_key: str | None = field(default=None, repr=False)
    """Semantic Scholar API key (``x-api-key``), sent only to ``endpoints.s2``; never logged.
    Without one the service shares a rate limit among all keyless callers."""
    resolve: ResolveSettings = field(default_factory=ResolveSettings)
    """Resolver timeouts, retries and cache age (tests shrink the waits)."""
    scrape: ScrapeSettings = field(default_factory=ScrapeSettings)
    """Sections read or left out (``[scrape]`` in pipeline.toml)."""
    readme: ReadmeSettings = field(default_factory=ReadmeSettings)
    emit: EmitSettings = field(default_factory=EmitSettings)
    remap: tuple[tuple[str, str], ...] = ()
    """Link-check URL rewrites ``(regex, replacement)``, applied in order before fetching."""
    allow_private_hosts: bool = False
    """Let the link checker fetch loopback/private/link-local addresses (tests only)."""
    github_token: str | None = field(default=None, repr=False)
    """Sent only to ``endpoints.github``; never logged (``repr=False`` keeps it out of reprs)."""
    offline: bool = False
    """Answer from the cache and the previous ``output/`` only."""
    run_date: date = field(default_factory=today)
    """The run's one "today" (UTC; ``PIPELINE_RUN_DATE``): what emit dates things by."""
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


ENV_ENDPOINTS = {
    "PIPELINE_ARXIV_API": "arxiv",
    "PIPELINE_CROSSREF_API": "crossref",
    "PIPELINE_DOI_RESOLVER": "doi",
    "PIPELINE_OPENALEX_API": "openalex",
    "PIPELINE_GITHUB_API": "github",
    "PIPELINE_S2_API": "s2",
}


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


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _float(name: str, value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: expected a number, got {value!r}") from None


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
    env = os.environ if environ is None else environ
    settings = Settings(root=root.resolve() if root is not None else find_root())
    toml_path = config_file or settings.root / "pipeline.toml"
    if config_file is not None and not config_file.exists():
        raise UsageError(f"{config_file}: configuration file not found")
    if toml_path.exists():
        try:
            data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{toml_path}: {exc}") from None
        settings = _apply_toml(settings, data, str(toml_path))

    endpoints = dataclasses.asdict(settings.endpoints)
    for var, key in ENV_ENDPOINTS.items():
        if env.get(var):
            endpoints[key] = env[var].rstrip("/")
    changes: dict[str, Any] = {"endpoints": Endpoints(**endpoints)}
    if env.get("PIPELINE_MAILTO"):
        changes["mailto"] = env["PIPELINE_MAILTO"]
    if env.get("PIPELINE_CACHE_DIR"):
        changes["cache_dir"] = Path(env["PIPELINE_CACHE_DIR"])
    if env.get("PIPELINE_ARXIV_DELAY"):
        changes["arxiv_delay"] = _float("PIPELINE_ARXIV_DELAY", env["PIPELINE_ARXIV_DELAY"])
    if env.get("PIPELINE_OPENALEX_KEY"):
        changes["openalex_key"] = env["PIPELINE_OPENALEX_KEY"]
    if env.get("PIPELINE_S2_KEY"):
        changes["s2_key"] = env["PIPELINE_S2_KEY"].strip()
    if env.get("PIPELINE_REMAP"):
        changes["remap"] = parse_remap(env["PIPELINE_REMAP"])
    if env.get("PIPELINE_RUN_DATE"):
        changes["run_date"] = parse_date(env["PIPELINE_RUN_DATE"], "PIPELINE_RUN_DATE")
    if "PIPELINE_ALLOW_PRIVATE_HOSTS" in env:
        changes["allow_private_hosts"] = _truthy(env["PIPELINE_ALLOW_PRIVATE_HOSTS"])
    token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN")
    if token:
        changes["github_token"] = token.strip()
    settings = dataclasses.replace(settings, **changes)

    flag_changes = {k: v for k, v in flags.items() if v is not None}
    if "cache_dir" in flag_changes:
        flag_changes["cache_dir"] = Path(flag_changes["cache_dir"])
    return dataclasses.replace(settings, **flag_changes)


def _apply_toml(settings: Settings, data: dict[str, Any], where: str) -> Settings:
    known = {"endpoints", "check", "resolve", "scrape", "pipeline", "readme", "emit"}
    unknown = set(data) - known
    if unknown:
        raise UsageError(f"{where}: unknown section(s) {sorted(unknown)}; known: {sorted(known)}")
    try:
        endpoints = dataclasses.replace(settings.endpoints, **data.get("endpoints", {}))
        check = dataclasses.replace(settings.check, **data.get("check", {}))
        resolve = dataclasses.replace(settings.resolve, **data.get("resolve", {}))
    except TypeError as exc:
        raise UsageError(f"{where}: {exc}") from None
    top = dict(data.get("pipeline", {}))
    if "remap" in top:
        top["remap"] = parse_remap("\n".join(top["remap"]), where)
    if "cache_dir" in top:
        top["cache_dir"] = Path(top["cache_dir"])
    allowed = {"mailto", "cache_dir", "arxiv_delay", "remap", "allow_private_hosts"}
    bad = set(top) - allowed
    if bad:
        raise UsageError(f"{where}: [pipeline] has unknown key(s) {sorted(bad)}")
    return dataclasses.replace(
        settings,
        endpoints=endpoints,
        check=check,
        resolve=resolve,
        scrape=_scrape(data.get("scrape", {}), where),
        readme=_readme(data.get("readme", {}), where),
        emit=_emit(data.get("emit", {}), where),
        **top,
    )


# [readme] and [emit] are checked key by key: a wrong type names the key (one line, exit 2)
# instead of surfacing later as a traceback in the emitter.


def _table(value: Any, where: str, name: str, known: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise UsageError(f"{where}: {name} must be a table, got {value!r}")
    unknown = set(value) - known
    if unknown:
        raise UsageError(
            f"{where}: {name} has unknown key(s) {sorted(unknown)}; known: {sorted(known)}"
        )
    return value


def _string(value: Any, where: str, key: str, *, empty: bool = True) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()):
        wanted = "a string" if empty else "a non-empty string"
        raise UsageError(f"{where}: {key} must be {wanted}, got {value!r}")
    return value.strip()


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise UsageError(f"{where}: {key} must be a list of non-empty strings, got {value!r}")
    return tuple(x.strip() for x in value)


def _kinds(value: Any, where: str, key: str) -> tuple[Kind, ...]:
    names = _strings(value, where, key)
    bad = [x for x in names if x not in KIND_NAMES]
    if bad:
        raise UsageError(f"{where}: {key} has unknown kind(s) {bad}; known: {list(KIND_NAMES)}")
    return tuple(k for k in KIND_NAMES if k in names)  # the one order, whatever the file's


def _readme(value: Any, where: str) -> ReadmeSettings:
    table = _table(value, where, "[readme]", {"title", "topics", "other", "by_title"})
    changes: dict[str, Any] = {}
    if "title" in table:
        changes["title"] = _string(table["title"], where, "[readme] title")
    if "other" in table:
        changes["other"] = _string(table["other"], where, "[readme] other", empty=False)
    if "by_title" in table:
        if not isinstance(table["by_title"], bool):
            raise UsageError(f"{where}: [readme] by_title must be true or false")
        changes["by_title"] = table["by_title"]
    settings = dataclasses.replace(ReadmeSettings(), **changes)
    raw = table.get("topics", [])
    if not isinstance(raw, list):
        raise UsageError(f"{where}: [readme] topics must be [[readme.topics]] tables")
    topics: list[Topic] = []
    for number, item in enumerate(raw, start=1):
        name = f"[[readme.topics]] #{number}"
        topic = _table(item, where, name, {"name", "match", "kinds", "note"})
        if "name" not in topic:
            raise UsageError(f"{where}: {name} has no name")
        title = _string(topic["name"], where, f"{name} name", empty=False)
        if title in {t.name for t in topics} | {settings.other}:
            raise UsageError(f"{where}: {name} name {title!r} is used twice (topics, other)")
        match = tuple(p.lower() for p in _strings(topic.get("match", []), where, f"{name} match"))
        kinds = _kinds(topic.get("kinds", []), where, f"{name} kinds")
        if not match and not kinds:
            raise UsageError(f"{where}: {name} ({title}) matches nothing: give match or kinds")
        note = _string(topic.get("note", ""), where, f"{name} note")
        topics.append(Topic(title, match, kinds, note))
    return dataclasses.replace(settings, topics=tuple(topics))


def _emit(value: Any, where: str) -> EmitSettings:
    table = _table(value, where, "[emit]", {"cite_kinds"})
    if "cite_kinds" not in table:
        return EmitSettings()
    return EmitSettings(cite_kinds=_kinds(table["cite_kinds"], where, "[emit] cite_kinds"))


def _scrape(value: Any, where: str) -> ScrapeSettings:
    table = _table(value, where, "[scrape]", {"exclude_sections", "include_sections"})
    return ScrapeSettings(
        **{key: _strings(names, where, f"[scrape] {key}") for key, names in table.items()}
    )

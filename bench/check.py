"""Link-check benchmark: our checker beside lychee, linkinator 7 and markdown-link-check.

    .venv/bin/python -m bench.check [--urls 2000] [--hosts 50] [--latency-ms 100]

One fake-web process (``tests/fakeweb`` sites and its GitHub API, ``--latency-ms`` on every
answer) listens on ``--hosts`` loopback addresses 127.0.0.11… with the same port, so "a host"
is one address for every tool and per-host limits mean the same thing. The corpus is mostly
live pages, plus what real lists hold: 404/410 pages, permanent moves, a host that refuses
HEAD, transient 503s and 429s with ``Retry-After: 1`` that succeed when asked again, a slow
host, and github.com repository home pages (one renamed, one deleted; the API agrees with the
pages). Each tool checks the same URLs (ours from ``build/works.json`` through ``pipeline
check``, the others from a markdown file), github.com rewritten to the fake web with each
tool's own option; between tools the server forgets its request log and its transient
failures.

The same rules for every tool, as far as its options go: ``--per-host`` requests in flight per
host and ``--concurrency`` in all (default hosts x per-host, so the per-host limit is the one
that binds), no request interval, ``Retry-After`` honoured and 5xx retried (linkinator:
``--retry --retry-errors``; lychee has no switch for 5xx). linkinator has no per-host limit
and does not keep to ``--concurrency``, and markdown-link-check takes neither: the in-flight
maxima the server saw are printed, and ``ours-unbounded`` runs ours at linkinator's load.

Printed per tool (and how ``ours-defaults`` compares with ``ours``): wall time of the whole process and the span from its first request to its
last, requests the server saw (by method) and the connections they came on, peak RSS,
verdict counts, false ``dead`` (a live or moved URL reported broken) and missed dead ones.
Node tools are installed with npm into ``.tools/bench-node`` (git-ignored) on first use.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
NODE_DIR = REPO / ".tools" / "bench-node"
NODE_PACKAGES = ["linkinator@7", "markdown-link-check@3"]
FIRST_ADDRESS = 11
RETRIES = 3
"""Retries per URL for the tools that take a number (ours' default ``check.retry_attempts``,
4 tries, less the first)."""


# -- corpus ----------------------------------------------------------------------------------
GITHUB_ORG = "bench-org"
BENCH_TOKEN = "ghp_benchTokenForTheFakeWebOnly000000000000"


@dataclass
class Url:
    url: str
    """As the list spells it (``https://github.com/…`` for the GitHub host)."""
    expected: str  # ok | moved | dead
    repo: str | None = None
    """``owner/repo`` when the URL is a repository's home page."""


@dataclass
class Corpus:
    urls: list[Url]
    sites: list[list[Any]]
    """``[host, path, behaviour]`` rows for ``tests.fakeweb.sites``."""
    github: dict[str, Any]
    """The fake GitHub API's state, consistent with the github.com pages."""
    github_page_prefix: str
    """Where ``https://github.com/`` pages are served: every tool is remapped there."""

    def original(self, url: str) -> str:
        """The URL as the list spells it, for a tool that reports the remapped one."""
        if url.startswith(self.github_page_prefix):
            return "https://github.com/" + url.removeprefix(self.github_page_prefix)
        return url


def corpus(base_port: int, urls: int, hosts: int, transient: bool = True) -> Corpus:
    """The URLs with their true verdicts, and the site behaviours that make them so.

    The last host is github.com with repository home pages (the five lists: 79 of 340 links),
    one renamed (301 to its new name, and renamed in the API) and one deleted (404, and not
    found in the API). ``transient=False`` leaves out the 503s, 429s and the slow host (a pure
    speed comparison).
    """
    per_host = urls // hosts
    items: list[Url] = []
    sites: list[list[Any]] = []
    github_address = f"127.0.0.{FIRST_ADDRESS + hosts - 1}"
    github: dict[str, Any] = {"token": BENCH_TOKEN, "renames": {}, "missing": []}
    for h in range(hosts):
        address = f"127.0.0.{FIRST_ADDRESS + h}"
        name = f"host{h}.example"
        prefix = f"http://{address}:{base_port}/web/{name}"
        if h == hosts - 1:
            for j in range(per_host):
                repo = f"{GITHUB_ORG}/repo{j}"
                expected = "ok"
                if j == 0:
                    new = f"{GITHUB_ORG}/renamed{j}"
                    sites.append(
                        [
                            "github.com",
                            f"/{repo}",
                            {"status": 301, "location": f"/web/github.com/{new}"},
                        ]
                    )
                    github["renames"][repo] = new
                    expected = "moved"
                elif j == 1:
                    sites.append(["github.com", f"/{repo}", {"status": 404}])
                    github["missing"].append(repo)
                    expected = "dead"
                items.append(Url(f"https://github.com/{repo}", expected, repo))
            continue
        if h == hosts - 10:
            sites.append([name, "*", {"head_status": 405}])  # refuses HEAD: GET works
        for j in range(per_host):
            path = f"/p{j}"
            expected = "ok"
            if j == 0 and h < 10:
                sites.append([name, path, {"status": 404}])
                expected = "dead"
            elif j == 0 and h < 20:
                sites.append([name, path, {"status": 410}])
                expected = "dead"
            elif j == 1 and 20 <= h < 40:
                new = f"/web/{name}/moved{j}"
                sites.append([name, path, {"status": 301, "location": new}])
                expected = "moved"
            elif not transient:
                pass
            elif h == hosts - 9 and j < 5:
                sites.append([name, path, {"fail_times": 1, "fail_status": 503}])
            elif h == hosts - 8 and j < 5:
                sites.append(
                    [name, path, {"fail_times": 1, "fail_status": 429, "retry_after": "1"}]
                )
            elif h == hosts - 7 and j < 3:
                sites.append([name, path, {"delay": 0.5}])
            items.append(Url(f"{prefix}{path}", expected))
    page_prefix = f"http://{github_address}:{base_port}/web/github.com/"
    return Corpus(items, sites, github, page_prefix)


# -- the fake web in its own process -----------------------------------------------------------
def serve(config_path: str) -> None:
    """Run the fake web on every address of the config (``--serve``); print ``ready``."""
    from aiohttp import web as aioweb

    sys.path.insert(0, str(REPO))
    from tests.fakeweb.core import FakeWeb
    from tests.fakeweb.sites import InFlight

    config = json.loads(Path(config_path).read_text())
    fake = FakeWeb(latency_ms=config["latency_ms"])

    # Requests in flight, overall and per address: whether a tool kept to the limits it was given.
    flight: dict[str, Any] = {"count": InFlight(), "peers": set()}

    @aioweb.middleware
    async def in_flight(request: aioweb.Request, handler: Any) -> aioweb.StreamResponse:
        if request.path.startswith("/_bench/"):
            return await handler(request)
        address = request.transport.get_extra_info("sockname")[0] if request.transport else ""
        if request.transport is not None:
            flight["peers"].add(request.transport.get_extra_info("peername"))
        with flight["count"].one(address):
            return await handler(request)  # type: ignore[no-any-return]

    def load_sites() -> None:
        fake.data["sites"] = {(h, p): b for h, p, b in config["sites"]}
        fake.data["site_hits"] = {}
        github = dict(config["github"])
        fake.data["github"] = {**github, "missing": set(github["missing"])}
        fake.data["cpu_at_reset"] = time.process_time()
        flight.update(count=InFlight(), peers=set())

    load_sites()
    app = fake.build_app()
    app.middlewares.insert(0, in_flight)

    async def stats(_: aioweb.Request) -> aioweb.Response:
        seen = [r for r in fake.requests if not r.path.startswith("/_bench/")]
        cpu = time.process_time() - fake.data["cpu_at_reset"]
        return aioweb.json_response(
            {
                "requests": len(seen),
                "methods": Counter(r.method for r in seen),
                "server_cpu": cpu,
                "max_in_flight": flight["count"].most,
                "max_per_host": max(flight["count"].key_most.values(), default=0),
                "span": seen[-1].time - seen[0].time if seen else 0.0,
                "connections": len(flight["peers"]),
            }
        )

    async def reset(_: aioweb.Request) -> aioweb.Response:
        fake.clear()
        load_sites()
        return aioweb.json_response({"reset": True})

    app.router.add_get("/_bench/stats", stats)
    app.router.add_post("/_bench/reset", reset)

    async def main() -> None:
        runner = aioweb.AppRunner(app, access_log=None)
        await runner.setup()
        for address in config["addresses"]:
            await aioweb.TCPSite(runner, address, config["port"], backlog=1024).start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


def control(port: int, what: str) -> dict[str, Any]:
    method = "POST" if what == "reset" else "GET"
    request = urllib.request.Request(
        f"http://127.0.0.{FIRST_ADDRESS}:{port}/_bench/{what}", method=method
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # loopback only
        return dict(json.loads(response.read()))


# -- running a tool ----------------------------------------------------------------------------
@dataclass
class Result:
    tool: str
    seconds: float = 0.0
    requests: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    peak_mb: float = 0.0
    server_cpu: float = 0.0
    max_in_flight: int = 0
    max_per_host: int = 0
    span: float = 0.0
    connections: int = 0
    """Seconds from the first request the server saw to the last one."""
    verdicts: dict[str, str] = field(default_factory=dict)
    note: str = ""


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, str, int]:
    """Wall seconds, peak RSS (MB) of the process, its stdout+stderr, its exit code."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return seconds, usage.ru_maxrss / 1024, text, process.returncode


def ours(
    corpus: Corpus, work_dir: Path, args: argparse.Namespace, *, limits: str = "same"
) -> Result:
    """``pipeline check`` with the limits every tool gets (``limits="same"``), its shipped
    defaults (``"defaults"``), or every URL of a host at once (``"unbounded"``: the load
    linkinator puts on the hosts, since it keeps to no limit)."""
    root = work_dir / "ours"
    (root / "build").mkdir(parents=True)
    works = [
        {
            "id": f"bench:{i}",
            "kind": "code" if u.repo else "paper",
            "title": f"Work {i}",
            "links": [{"url": u.url, "role": "code" if u.repo else "paper"}],
            "ids": {"github": [u.repo]} if u.repo else {},
            "places": [{"source": "bench", "file": "bench.md", "line": i + 1}],
        }
        for i, u in enumerate(corpus.urls)
    ]
    (root / "build" / "works.json").write_text(json.dumps(works))
    per_host, concurrency = args.per_host, args.concurrency
    if limits == "unbounded":
        per_host, concurrency = args.urls // args.hosts, args.urls
    if limits != "defaults":
        (root / "pipeline.toml").write_text(
            "[check]\n"
            f"concurrency = {concurrency}\nper_host = {per_host}\n"
            "per_host_per_second = 0.0\n"  # no request interval, as for lychee
        )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIPELINE_", "GITHUB_TOKEN", "GH_TOKEN"))
    }
    env["PIPELINE_ALLOW_PRIVATE_HOSTS"] = "1"
    # The API hosts are the fake web's too: on a networked machine they accept connections,
    # and a check that finds none of them reachable runs offline (every link unchecked).
    api = f"http://127.0.0.{FIRST_ADDRESS}:{args.port}"
    env["PIPELINE_ARXIV_API"] = f"{api}/arxiv/api/query"
    env["PIPELINE_CROSSREF_API"] = f"{api}/crossref"
    env["PIPELINE_DOI_RESOLVER"] = f"{api}/doi"
    env["PIPELINE_OPENALEX_API"] = f"{api}/openalex"
    env["PIPELINE_GITHUB_API"] = f"{api}/github"
    env["PIPELINE_REMAP"] = f"^https://github\\.com/ {corpus.github_page_prefix}"
    env["GITHUB_TOKEN"] = BENCH_TOKEN
    command = [sys.executable, "-m", "pipeline", "check", "--root", str(root), "-q"]
    seconds, peak, text, code = run_measured(command, cwd=REPO, env=env)
    label = {
        "same": "ours (pipeline check)",
        "defaults": "ours, shipped defaults",
        "unbounded": "ours, linkinator's load",
    }[limits]
    result = Result(label, seconds, peak_mb=peak)
    if code not in (0, 3):
        result.note = f"exit {code}: {text[-500:]}"
        return result
    report = json.loads((root / "build" / "links.json").read_text())
    mapping = {"ok": "ok", "redirected": "ok", "moved": "moved", "failing": "dead", "dead": "dead"}
    result.verdicts = {
        link["url"]: mapping.get(link["status"], link["status"]) for link in report["links"]
    }
    return result


def markdown(urls: list[Url], path: Path) -> None:
    lines = ["# Bench", ""] + [f"- [link {i}]({u.url})" for i, u in enumerate(urls)]
    path.write_text("\n".join(lines) + "\n")


def lychee(corpus: Corpus, work_dir: Path, args: argparse.Namespace) -> Result:
    """lychee with the same limits. No GitHub token: lychee asks its fixed api.github.com
    only for a github.com page that failed, and none of the live ones fails."""
    urls = corpus.urls
    binary = shutil.which("lychee") or str(REPO / ".venv" / "bin" / "lychee")
    md = work_dir / "lychee.md"
    markdown(urls, md)
    out = work_dir / "lychee.json"
    command = [
        binary, "--no-progress", "--format", "json", "--output", str(out),
        "--max-concurrency", str(args.concurrency), "--host-concurrency", str(args.per_host),
        "--host-request-interval", "0s", "--timeout", "20", "--no-ignore",
        "--remap", f"^https://github\\.com/ {corpus.github_page_prefix}", str(md),
    ]  # fmt: skip
    seconds, peak, text, code = run_measured(command, cwd=work_dir)
    result = Result("lychee " + _version([binary, "--version"]), seconds, peak_mb=peak)
    if not out.exists():
        result.note = f"exit {code}: {text[-500:]}"
        return result
    report = json.loads(out.read_text())
    broken = {
        corpus.original(e["url"])
        for entries in report.get("error_map", {}).values()
        for e in entries
    }
    redirected = {
        corpus.original(e["url"])
        for entries in report.get("redirect_map", {}).values()
        for e in entries
    }
    result.verdicts = {
        u.url: "dead" if u.url in broken else ("moved" if u.url in redirected else "ok")
        for u in urls
    }
    return result


def node_tool(name: str) -> str | None:
    binary = NODE_DIR / "node_modules" / ".bin" / name
    if binary.exists():
        return str(binary)
    if shutil.which("npm") is None:
        return None
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(NODE_DIR),
            *NODE_PACKAGES,
        ],
        check=False,
        capture_output=True,
    )
    return str(binary) if binary.exists() else None


def linkinator(corpus: Corpus, work_dir: Path, args: argparse.Namespace) -> Result:
    urls = corpus.urls
    binary = node_tool("linkinator")
    if binary is None:
        return Result("linkinator 7", note="not installed (npm missing or offline)")
    md = work_dir / "linkinator.md"
    markdown(urls, md)
    command = [
        binary,
        str(md),
        "--markdown",
        "--format",
        "json",
        "--concurrency",
        str(args.concurrency),
        "--timeout",
        "20000",
        # Retry-After honoured (host-wide, linkinator's way) and 5xx retried, as ours does.
        "--retry",
        "--retry-errors",
        "--retry-errors-count",
        str(RETRIES),
        "--url-rewrite-search",
        "^https://github\\.com/",
        "--url-rewrite-replace",
        corpus.github_page_prefix,
    ]
    seconds, peak, text, code = run_measured(command, cwd=work_dir)
    result = Result("linkinator " + _version([binary, "--version"]), seconds, peak_mb=peak)
    start = text.find("{")
    try:
        report = json.loads(text[start:])
    except ValueError:
        result.note = f"exit {code}: {text[-500:]}"
        return result
    states = {corpus.original(link["url"]): link["state"] for link in report.get("links", [])}
    result.verdicts = {u.url: "dead" if states.get(u.url) == "BROKEN" else "ok" for u in urls}
    return result


def markdown_link_check(corpus: Corpus, work_dir: Path, args: argparse.Namespace) -> Result:
    urls = corpus.urls
    binary = node_tool("markdown-link-check")
    if binary is None:
        return Result("markdown-link-check", note="not installed (npm missing or offline)")
    md = work_dir / "mlc.md"
    markdown(urls, md)
    config = work_dir / "mlc.json"
    rewrite = {"pattern": "^https://github\\.com/", "replacement": corpus.github_page_prefix}
    config.write_text(json.dumps({"replacementPatterns": [rewrite]}))
    seconds, peak, text, _ = run_measured([binary, "-c", str(config), str(md)], cwd=work_dir)
    result = Result("markdown-link-check " + _version([binary, "--version"]), seconds, peak_mb=peak)
    dead = {corpus.original(u) for u in re.findall(r"\[✖\] (\S+)", text)}
    alive = {corpus.original(u) for u in re.findall(r"\[✓\] (\S+)", text)}
    if not dead and not alive:
        result.note = text[-500:]
    result.verdicts = {u.url: "dead" if u.url in dead else "ok" for u in urls}
    return result


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return "?"
    found = re.search(r"\d+\.\d+(?:\.\d+)?", done.stdout + done.stderr)
    return found.group(0) if found else "?"


# -- report ------------------------------------------------------------------------------------
def summarize(result: Result, urls: list[Url]) -> str:
    if not result.verdicts:
        return f"{result.tool:32} {'—':>8}  {result.note}"
    expected = {u.url: u.expected for u in urls}
    counts = Counter(result.verdicts.get(u.url, "missing") for u in urls)
    false_dead = sum(
        1 for u in urls if u.expected != "dead" and result.verdicts.get(u.url) == "dead"
    )
    missed = sum(1 for u in urls if u.expected == "dead" and result.verdicts.get(u.url) != "dead")
    verdicts = " ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    methods = "/".join(f"{k}:{v}" for k, v in sorted(result.methods.items()))
    assert len(expected) == len(urls)
    return (
        f"{result.tool:32} {result.seconds:7.2f}s (requests over {result.span:.2f}s) "
        f"{result.requests:7d} ({methods}) on {result.connections} connections "
        f"{result.peak_mb:7.1f} MB  {verdicts}  false-dead={false_dead} missed-dead={missed}"
        f"  in flight ≤{result.max_in_flight} (≤{result.max_per_host} per host)"
        f"  (server CPU {result.server_cpu:.1f}s)"
    )


def shipped_against_tuned(done: dict[str, Result]) -> str:
    """How ours with its shipped defaults compares with ours at the bench's limits."""
    tuned, shipped = done.get("ours"), done.get("ours-defaults")
    if tuned is None or shipped is None or not tuned.seconds or not tuned.span:
        return ""
    return (
        f"\nshipped defaults / the bench's limits: {shipped.seconds / tuned.seconds:.2f}x wall, "
        f"{shipped.span / tuned.span:.2f}x the span of requests"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", metavar="CONFIG", help=argparse.SUPPRESS)
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=None,
        help="requests in flight over the run for the tools that take it (default: hosts x "
        "per-host, so that the per-host limit, the one every tool is given, is what binds)",
    )
    parser.add_argument(
        "--tools",
        default="ours,ours-defaults,ours-unbounded,lychee,linkinator,markdown-link-check",
    )
    parser.add_argument(
        "--no-transient", action="store_true", help="no 503/429/slow URLs: raw speed only"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return

    sys.path.insert(0, str(REPO))
    from bench import machine
    from tests.fakeweb.core import free_port

    port = free_port(f"127.0.0.{FIRST_ADDRESS}")
    args.port = port
    if args.concurrency is None:
        args.concurrency = args.hosts * args.per_host
    bench = corpus(port, args.urls, args.hosts, transient=not args.no_transient)
    urls = bench.urls
    addresses = [f"127.0.0.{FIRST_ADDRESS + h}" for h in range(args.hosts)]
    runners: dict[str, Callable[[Corpus, Path, argparse.Namespace], Result]] = {
        "ours": ours,
        "ours-defaults": functools.partial(ours, limits="defaults"),
        "ours-unbounded": functools.partial(ours, limits="unbounded"),
        "lychee": lychee,
        "linkinator": linkinator,
        "markdown-link-check": markdown_link_check,
    }
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        work_dir = Path(tmp)
        config = work_dir / "server.json"
        config.write_text(
            json.dumps(
                {
                    "latency_ms": args.latency_ms,
                    "sites": bench.sites,
                    "github": bench.github,
                    "addresses": addresses,
                    "port": port,
                }
            )
        )
        server = subprocess.Popen(
            [sys.executable, "-m", "bench.check", "--serve", str(config)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            if server.stdout.readline().strip() != "ready":
                raise SystemExit("fake web did not start")
            print(f"machine: {machine()}")
            print(
                f"corpus: {len(urls)} URLs over {args.hosts} hosts (127.0.0.{FIRST_ADDRESS}…), "
                f"{args.latency_ms} ms per answer; expected "
                + " ".join(f"{k}={v}" for k, v in sorted(Counter(u.expected for u in urls).items()))
            )
            print(
                f"limits: {args.per_host} per host, {args.concurrency} in all, no request interval\n"
            )
            done: dict[str, Result] = {}
            for index, name in enumerate(args.tools.split(",")):
                control(port, "reset")
                tool_dir = work_dir / f"{index}-{name}"
                tool_dir.mkdir()
                result = runners[name](bench, tool_dir, args)
                stats = control(port, "stats")
                result.requests, result.methods = stats["requests"], stats["methods"]
                result.server_cpu = stats["server_cpu"]
                result.max_in_flight = stats["max_in_flight"]
                result.max_per_host = stats["max_per_host"]
                result.span = stats["span"]
                result.connections = stats["connections"]
                print(summarize(result, urls), flush=True)
                done[name] = result
            if comparison := shipped_against_tuned(done):
                print(comparison)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()

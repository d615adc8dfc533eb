"""Resolve benchmark: 1,000 works against the fake web at 100 ms latency.

    .venv/bin/python -m bench.resolve [--works 1000] [--latency-ms 100] [--arxiv-delay 3]
                                      [--rate-scale 1] [--budget-runs]

The fake web runs in its own process (so its fuzzy title matching does not share the GIL
with the stage), serving Crossref's rate limits (3 list and 10 single requests a second in the
polite pool; ``--rate-scale`` multiplies them, and OpenAlex's and Semantic Scholar's rates the
stage keeps to) and holding the five lists' world plus synthetic works in a fixed mix:

* 40 % arXiv preprints (a quarter state a published DOI, a sixth more are found by title),
* 30 % known DOIs (MDPI links: the DOI is computed from the URL),
* 10 % IEEE Xplore links (Crossref title query confirmed by the document number),
* 10 % title-only papers only OpenAlex knows (Crossref asked first, finds nothing),
* 10 % works no service knows (Crossref and OpenAlex both asked).

Printed: machine, cold-run wall time and requests (total, per work, per service) beside the
minimum a run of this design must make (one arXiv request per 100 ids, one Semantic Scholar
request per 500 works named by an arXiv id or DOI (the preprints' published versions and
everyone's citation counts), one Crossref request per 50 DOIs, one lookup per title question,
no retries), then a warm-cache run (no requests expected). ``--budget-runs``: then, on a fresh
cache, runs with ``time_budget_seconds`` a third of the cold wall time until one finishes, each with
its requests, and whether any request (or Semantic Scholar id) was asked twice over them and
the records equal the cold run's. Every run is a process of its own, as scheduled runs are;
its wall time is the stage's (``run_resolve``), not the interpreter's start.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from aiohttp import web  # noqa: E402

from pipeline.config import Settings, load_settings  # noqa: E402
from pipeline.models import Ids, Link, Work  # noqa: E402
from pipeline.resolve import run_resolve  # noqa: E402
from pipeline.store import write_json  # noqa: E402
from tests.fakeweb.core import FakeWeb  # noqa: E402
from tests.fakeweb.world import Record, fake_authors  # noqa: E402

SYLLABLES = [
    "ra",
    "to",
    "mi",
    "ke",
    "lu",
    "sa",
    "vo",
    "ne",
    "pi",
    "da",
    "go",
    "re",
    "shi",
    "ta",
    "bu",
    "lo",
    "fe",
    "zu",
    "ha",
    "ni",
    "mo",
    "ki",
    "pe",
    "yo",
]


def title_of(i: int) -> str:
    """A distinct, deterministic title: six made-up words drawn from the index's hash."""
    digest = hashlib.sha256(str(i).encode()).digest()
    words = [
        "".join(SYLLABLES[b % len(SYLLABLES)] for b in digest[k : k + 2 + digest[k] % 2])
        for k in range(0, 24, 4)
    ]
    return " ".join(words).capitalize() + f" for remote sensing {i}"


def plan(n: int) -> tuple[list[Work], dict[str, list[tuple[str, Record]]], dict[str, int]]:
    """The works, the records the fake services need, and the minimum request count."""
    works: list[Work] = []
    arxiv: list[tuple[str, Record]] = []
    crossref: list[tuple[str, Record]] = []
    openalex: list[tuple[str, Record]] = []
    n_arxiv, n_doi, n_ieee, n_oa = int(n * 0.4), int(n * 0.3), int(n * 0.1), int(n * 0.1)
    for i in range(n):
        title = title_of(i)
        authors = fake_authors(title)
        author_names = [f"{g} {f}" for g, f in authors]
        if i < n_arxiv:
            key = f"25{i // 9000 + 1:02d}.{10000 + i % 9000}"
            record = Record(title, authors, 2024, 3, 1, kind="posted-content", arxiv=key)
            if i % 4 == 0:  # arXiv states the published DOI
                record.arxiv_doi = f"10.1109/tgrs.2025.{i}"
                crossref.append(
                    (record.arxiv_doi, Record(title, authors, 2025, doi=record.arxiv_doi))
                )
            elif i % 6 == 1:  # published, found by title
                doi = f"10.1016/j.isprsjprs.2025.{i}"
                crossref.append((doi, Record(title, authors, 2025, doi=doi)))
            arxiv.append((key, record))
            works.append(
                Work(
                    id=f"arxiv:{key}",
                    kind="paper",
                    title=title,
                    authors=author_names,
                    ids=Ids(arxiv=key),
                )
            )
        elif i < n_arxiv + n_doi:
            vol, issue, no = 10 + i % 7, 1 + i % 12, i
            doi = f"10.3390/rs{vol:02d}{issue:02d}{no:04d}"
            crossref.append(
                (doi, Record(title, authors, 2023, doi=doi, container="Remote Sensing"))
            )
            url = f"https://www.mdpi.com/2072-4292/{vol}/{issue}/{no}"
            works.append(Work(id=f"w{i}", kind="paper", title=title, links=[Link(url, "paper")]))
        elif i < n_arxiv + n_doi + n_ieee:
            number = str(9000000 + i)
            doi = f"10.1109/tgrs.2022.{number}"
            resource = f"http://ieeexplore.ieee.org/document/{number}/"
            crossref.append((doi, Record(title, authors, 2022, doi=doi, resource_url=resource)))
            url = f"https://ieeexplore.ieee.org/document/{number}"
            works.append(
                Work(
                    id=f"w{i}",
                    kind="paper",
                    title=title,
                    authors=author_names,
                    links=[Link(url, "paper")],
                    ids=Ids(ieee=number),
                )
            )
        elif i < n_arxiv + n_doi + n_ieee + n_oa:
            openalex.append(
                (
                    title,
                    Record(
                        title,
                        authors,
                        2021,
                        kind="proceedings-article",
                        container="CVPR Workshops",
                        agency="openalex",
                        venue_type="conference",
                    ),
                )
            )
            works.append(
                Work(id=f"w{i}", kind="paper", title=title, authors=author_names, date="2021")
            )
        else:
            works.append(Work(id=f"w{i}", kind="paper", title=title + " unknown", date="2020"))
    n_rest = n - n_arxiv - n_doi - n_ieee - n_oa
    n_published = len(crossref) - n_doi - n_ieee
    minimum = {
        "arxiv": math.ceil(n_arxiv / 100),
        "semanticscholar": math.ceil((n_arxiv + n_doi) / 500),  # citation counts ride along
        # DOI batches (known and published DOIs), then one query per IEEE link and title
        "crossref": math.ceil((n_doi + n_published) / 50) + n_ieee + n_oa + n_rest,
        "openalex": n_oa + n_rest,
    }
    return works, {"arxiv": arxiv, "crossref": crossref, "openalex": openalex}, minimum


class BenchWeb(FakeWeb):
    """The fake web plus ``GET /_bench/requests``: every request so far, as
    ``METHOD path?query`` (and each Semantic Scholar batch's ids), so the parent can tell
    whether any was asked twice."""

    def build_app(self) -> web.Application:
        app = super().build_app()

        async def log(_request: web.Request) -> web.Response:
            with self._lock:
                seen = [
                    f"{r.method} {r.path_qs}" for r in self.requests if r.path != "/_bench/requests"
                ]
            ids = [i for batch in self.data.get("s2_batches", []) for i in batch]
            return web.json_response({"requests": seen, "s2_ids": ids})

        app.router.add_get("/_bench/requests", log)
        return app


def serve(port: int, latency_ms: int, n: int, rate_scale: float) -> None:
    """Child process: the fake web with the synthetic records, until killed."""
    web = BenchWeb(latency_ms=latency_ms, port=port).start()
    web.data["crossref_rate_scale"] = rate_scale
    _works, records, _minimum = plan(n)
    web.data["arxiv"].update(dict(records["arxiv"]))
    web.data["crossref"].update(dict(records["crossref"]))
    web.data["doi"].update(dict(records["crossref"]))
    web.data["openalex"].extend(r for _t, r in records["openalex"])
    web.data["openalex"].extend(r for _d, r in records["crossref"])
    print("ready", flush=True)
    while True:
        time.sleep(3600)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs (nproc), {cpu}, Python {platform.python_version()}"


def bench_settings(root: Path, env: dict[str, str], args: argparse.Namespace) -> Settings:
    settings = load_settings(root=root, environ=env)
    return dataclasses.replace(
        settings,
        cache_dir=root / ".cache",
        arxiv_delay_seconds=args.arxiv_delay,
        resolve=dataclasses.replace(
            settings.resolve,
            workers=args.workers,
            openalex_per_second=settings.resolve.openalex_per_second * args.rate_scale,
            s2_per_second=settings.resolve.s2_per_second * args.rate_scale,
        ),
    )


def server_log(port: int) -> dict[str, list[str]]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_bench/requests") as answer:
        data: dict[str, list[str]] = json.loads(answer.read())
    return data


def records(settings: Settings) -> list[object]:
    data = json.loads((settings.build_dir / "resolved.json").read_text(encoding="utf-8"))
    return [item["csl"] for item in data]


@dataclasses.dataclass
class Run:
    """What one run of the stage reported: wall and CPU time (of the stage, in its own
    process, all its threads), requests, counts and summary lines."""

    wall: float
    cpu: float
    requests: int
    counts: dict[str, int]
    lines: list[str]


def run_once(root: Path, port: int, args: argparse.Namespace, budget: float | None = None) -> Run:
    """One run of the stage in a fresh process, as a scheduled run is: nothing it remembers
    in memory (parsed URLs, folded titles) carries over to the next."""
    command = [sys.executable, "-m", "bench.resolve", "--run", str(root), "--port", str(port)]
    command += ["--arxiv-delay", str(args.arxiv_delay), "--workers", str(args.workers)]
    command += ["--rate-scale", str(args.rate_scale)]
    if budget is not None:
        command += ["--budget", str(budget)]
    done = subprocess.run(command, cwd=REPO, check=True, capture_output=True, text=True)
    return Run(**json.loads(done.stdout.splitlines()[-1]))


def child_run(args: argparse.Namespace) -> None:
    """``--run ROOT``: the stage once, its report as one JSON line on stdout."""
    settings = bench_settings(Path(args.run), FakeWeb(port=args.port).env(), args)
    if args.budget is not None:
        resolve = dataclasses.replace(settings.resolve, time_budget_seconds=args.budget)
        settings = dataclasses.replace(settings, resolve=resolve)
    started, cpu = time.perf_counter(), time.process_time()
    report = run_resolve(settings)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    run = Run(wall, cpu, report.requests, report.counts, report.lines)
    print(json.dumps(dataclasses.asdict(run)))


def cold_and_warm(
    root: Path, port: int, args: argparse.Namespace, works: list[Work], minimum: dict[str, int]
) -> float:
    """The cold and the warm run; returns the cold run's wall time."""
    cold = 0.0
    for label in ("cold cache", "warm cache"):
        report = run_once(root, port, args)
        cold = cold or report.wall
        routes = {k: v for k, v in report.counts.items() if v}
        print(
            f"\n{label}: {report.wall:.1f} s wall ({report.cpu:.1f} s CPU), "
            f"{report.requests} requests ({report.requests / len(works):.2f} per work)"
        )
        print(f"  routes: {routes}")
        if label == "cold cache":
            total = sum(minimum.values())
            print(
                f"  minimum for this design: {total} ({total / len(works):.2f} per work) "
                f"= {minimum}"
            )
        for line in report.lines:
            if line.startswith("resolve requests:"):
                print(f"  {line}")
    return cold


def budget_runs(
    port: int, env: dict[str, str], args: argparse.Namespace, works: list[Work], cold: float
) -> list[object]:
    """Runs with a third of the cold time each, on a fresh cache, until one finishes."""
    budget = round(cold * args.budget_share, 1)
    print(f"\ntime budget {budget} s ({args.budget_share:.2f} of the cold run), fresh cache:")
    before = server_log(port)
    with tempfile.TemporaryDirectory() as tmp:
        settings = bench_settings(Path(tmp), env, args)
        write_json(settings.build_dir / "works.json", works)
        for number in range(1, 9):
            report = run_once(Path(tmp), port, args, budget)
            spent = any("time budget spent" in line for line in report.lines)
            print(
                f"  run {number}: {report.wall:.1f} s, {report.requests} requests, "
                f"finished {not spent}"
            )
            if not spent:
                break
        after = server_log(port)
        asked = after["requests"][len(before["requests"]) :]
        # Every Semantic Scholar batch is the same POST line: its ids tell the questions apart.
        gets = [r for r in asked if r.startswith("GET ")]
        ids = after["s2_ids"][len(before["s2_ids"]) :]
        print(
            f"  over the runs: {len(asked)} requests; {len(gets)} GETs, "
            f"{len(gets) - len(set(gets))} repeated; {len(asked) - len(gets)} Semantic Scholar "
            f"batches of {len(ids)} ids, {len(ids) - len(set(ids))} repeated"
        )
        return records(settings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--arxiv-delay", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--budget-runs", action="store_true")
    parser.add_argument("--budget-share", type=float, default=1 / 3)
    parser.add_argument(
        "--rate-scale",
        type=float,
        default=1.0,
        help="the services' rate limits times this (1: as they are; 100: services that "
        "answer as fast as asked, to measure the pipeline rather than the limits)",
    )
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--run", default="", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        child_run(args)
        return
    if args.serve:
        serve(args.serve, args.latency_ms, args.works, args.rate_scale)
        return

    from tests.fakeweb.core import free_port

    port = free_port()
    command = [sys.executable, "-m", "bench.resolve", "--serve", str(port)]
    command += ["--latency-ms", str(args.latency_ms), "--works", str(args.works)]
    command += ["--rate-scale", str(args.rate_scale)]
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("fake web did not start")
        works, _records, minimum = plan(args.works)
        env = FakeWeb(port=port).env()
        with tempfile.TemporaryDirectory() as tmp:
            settings = bench_settings(Path(tmp), env, args)
            write_json(settings.build_dir / "works.json", works)
            print(f"machine: {machine()}, load average {os.getloadavg()[0]:.2f}")
            print(
                f"{len(works)} works, fake web at {args.latency_ms} ms latency, "
                f"arXiv delay {args.arxiv_delay} s, {args.workers} workers, rate limits "
                f"x{args.rate_scale:g} (Crossref {3 * args.rate_scale:g} list and "
                f"{10 * args.rate_scale:g} single requests a second, OpenAlex "
                f"{10 * args.rate_scale:g})"
            )
            cold = cold_and_warm(Path(tmp), port, args, works, minimum)
            size = sum(f.stat().st_size for f in settings.cache_path.glob("http.sqlite3*"))
            print(f"\ncache: {size / 1e6:.1f} MB for {len(works)} works")
            if args.budget_runs:
                same = budget_runs(port, env, args, works, cold) == records(settings)
                print(f"  records equal to the cold run's: {same}")
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()

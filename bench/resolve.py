"""Resolve benchmark: 1,000 works against the fake web at 100 ms latency.

    .venv/bin/python -m bench.resolve [--works 1000] [--latency-ms 100] [--arxiv-delay 3]

The fake web runs in its own process (so its fuzzy title matching does not share the GIL
with the stage) holding the five lists' world plus synthetic works in a fixed mix:

* 40 % arXiv preprints (a quarter state a published DOI, a sixth more are found by title),
* 30 % known DOIs (MDPI links: the DOI is computed from the URL),
* 10 % IEEE Xplore links (Crossref title query confirmed by the document number),
* 10 % title-only papers only OpenAlex knows (Crossref asked first, finds nothing),
* 10 % works no service knows (Crossref and OpenAlex both asked).

Printed: machine, cold-run wall time and requests (total, per work, per service) beside the
minimum a run of this design must make (one arXiv request per 100 ids, one lookup per other
question, no retries), then a warm-cache run (no requests expected).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.config import load_settings  # noqa: E402
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
    minimum = {
        "arxiv": math.ceil(n_arxiv / 100),
        "crossref": n_arxiv + n_doi + n_ieee + n_oa + n_rest,  # published search, DOI, queries
        "openalex": n_oa + n_rest,
    }
    return works, {"arxiv": arxiv, "crossref": crossref, "openalex": openalex}, minimum


def serve(port: int, latency_ms: int, n: int) -> None:
    """Child process: the fake web with the synthetic records, until killed."""
    web = FakeWeb(latency_ms=latency_ms, port=port).start()
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=1000)
    parser.add_argument("--latency-ms", type=int, default=100)
    parser.add_argument("--arxiv-delay", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--serve", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.latency_ms, args.works)
        return

    from tests.fakeweb.core import free_port

    port = free_port()
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.resolve",
            "--serve",
            str(port),
            "--latency-ms",
            str(args.latency_ms),
            "--works",
            str(args.works),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        if child.stdout.readline().strip() != "ready":
            raise SystemExit("fake web did not start")
        works, _records, minimum = plan(args.works)
        env = FakeWeb(port=port).env()
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            settings = load_settings(root=root, environ=env)
            settings = dataclasses.replace(
                settings,
                cache_dir=root / ".cache",
                arxiv_delay=args.arxiv_delay,
                resolve=dataclasses.replace(settings.resolve, workers=args.workers),
            )
            write_json(settings.build_dir / "works.json", works)
            print(f"machine: {machine()}")
            print(
                f"{len(works)} works, fake web at {args.latency_ms} ms latency, "
                f"arXiv delay {args.arxiv_delay} s, {args.workers} workers"
            )
            for label in ("cold cache", "warm cache"):
                started = time.perf_counter()
                report = run_resolve(settings)
                wall = time.perf_counter() - started
                routes = {k: v for k, v in report.counts.items() if v}
                print(
                    f"\n{label}: {wall:.1f} s wall, {report.requests} requests "
                    f"({report.requests / len(works):.2f} per work)"
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
            size = sum(f.stat().st_size for f in settings.cache_path.glob("http.sqlite3*"))
            print(f"\ncache: {size / 1e6:.1f} MB for {len(works)} works")
    finally:
        child.terminate()
        child.wait(10)


if __name__ == "__main__":
    main()

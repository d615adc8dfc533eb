"""Emit benchmark: generated resolved works (half verified, payload-laden titles, links, repos).

Prints works per second for a first emit (every output written), a second emit of the same
input (nothing rewritten: the scheduled run's common case) and an emit after every work
changed its id (keys matched by other identifiers), plus output sizes, peak Python memory
(tracemalloc, a separate run) and the machine. Usage: ``python -m bench.emit [WORKS]``.
"""

from __future__ import annotations

import json
import os
import platform
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from pipeline.config import load_settings
from pipeline.emit import run_emit

WORDS = [
    "remote",
    "sensing",
    "vision",
    "language",
    "model",
    "image",
    "text",
    "retrieval",
    "captioning",
    "grounding",
    "multimodal",
    "large",
    "foundation",
    "dataset",
    "benchmark",
    "{braces}",
    "100%",
    "a_b",
    "$x$",
    "RemoteCLIP",
    "GeoChat",
    "Müller",
    "遥感",
    "🚀",
    "<script>",
    "|",
    "`code`",
    "[link](javascript:x)",
]
SECTIONS = [
    ["Surveys"],
    ["Dataset", "Image Captioning Dataset"],
    ["Applications", "Visual Grounding"],
]


def _work(n: int, rng: random.Random, id_style: str) -> dict[str, Any]:
    arxiv = f"2{n % 5}{(n % 12) + 1:02d}.{10000 + n:05d}"
    work_id = f"arxiv:{arxiv}" if id_style == "arxiv" else f"title:{n:016x}"
    title = f"{WORDS[n % 6].title()}{n} " + " ".join(rng.sample(WORDS, 8))
    verified = n % 2 == 0
    csl: dict[str, Any] = {
        "id": work_id,
        "type": rng.choice(["article", "article-journal", "paper-conference"]),
        "title": title,
        "author": [{"family": f"Name{rng.randint(1, 400)}", "given": "A."} for _ in range(4)],
        "issued": {"date-parts": [[2015 + n % 11, 1 + n % 12]]},
        "custom": {"arxiv": arxiv},
    }
    if csl["type"] != "article":
        csl["container-title"] = rng.choice(["TGRS", "CVPR 2024", "Remote Sensing"])
    return {
        "work": {
            "id": work_id,
            "kind": "dataset" if n % 10 == 0 else "paper",
            "title": title,
            "links": [
                {"url": f"https://arxiv.org/abs/{arxiv}", "role": "paper"},
                {"url": f"https://github.com/o{n}/r{n}", "role": "code"},
            ],
            "ids": {"arxiv": arxiv, "github": [f"o{n}/r{n}"]},
            "places": [
                {"source": "rs-vlm", "file": "sources/rs-vlm.md", "line": n + 1,
                 "section": SECTIONS[n % 3]}
            ],
        },
        "csl": csl,
        "resolved_by": "arxiv" if verified else "list",
        "confidence": 1.0 if verified else 0.0,
        "verified": verified,
    }  # fmt: skip


def _links(count: int) -> dict[str, Any]:
    statuses = ["ok", "ok", "ok", "dead", "moved", "blocked"]
    return {
        "links": [
            {"url": f"https://github.com/o{n}/r{n}", "status": statuses[n % 6],
             "final_url": f"https://github.com/p{n}/r{n}" if n % 6 == 4 else None,
             "found_in": [f"sources/rs-vlm.md:{n + 1}"]}
            for n in range(count)
        ],
        "repos": [
            {"repo": f"o{n}/r{n}", "stars": n * 3, "stars_delta": n % 7 - 3, "archived": n % 50 == 0}
            for n in range(count)
        ],
    }  # fmt: skip


def _write(root: Path, count: int, id_style: str) -> None:
    rng = random.Random(7)
    build = root / "build"
    build.mkdir(parents=True, exist_ok=True)
    works = [_work(n, rng, id_style) for n in range(count)]
    (build / "resolved.json").write_text(json.dumps(works, ensure_ascii=False), "utf-8")
    (build / "links.json").write_text(json.dumps(_links(count)), "utf-8")


def _timed(root: Path) -> tuple[float, int]:
    settings = load_settings(root=root, environ={})
    started = time.perf_counter()
    report = run_emit(settings)
    return time.perf_counter() - started, report.counts["files_written"]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _write(root, count, "title")
        first, written_first = _timed(root)
        second, written_second = _timed(root)
        _write(root, count, "arxiv")  # every work id changes: title:… → arxiv:…
        third, _ = _timed(root)
        sizes = {p.name: p.stat().st_size for p in (root / "output").iterdir()}
        tracemalloc.start()
        _timed(root)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    print(f"machine: {os.cpu_count()} CPUs, {cpu}, Python {platform.python_version()}")
    print(f"works: {count}")
    print(
        f"first emit:  {first:.2f} s ({count / first:,.0f} works/s), {written_first} files written"
    )
    print(
        f"same input:  {second:.2f} s ({count / second:,.0f} works/s), {written_second} files written"
    )
    print(f"ids changed: {third:.2f} s ({count / third:,.0f} works/s)")
    print("sizes: " + ", ".join(f"{k} {v / 1024:,.0f} KiB" for k, v in sorted(sizes.items())))
    print(f"peak Python memory: {peak / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()

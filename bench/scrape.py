"""Scrape benchmark: a generated list of 10,000 entries in the five lists' styles.

Prints entries per second for parse + merge (best of three runs) and for the whole stage (reading the file,
writing build/entries.json and build/works.json), peak Python memory (tracemalloc, a
separate run so tracing does not slow the timed one) and the machine. Target: 5,000
entries/s. Then the two largest real lists of ../shared/lists/, when the workspace has them.
Usage: ``python -m bench.scrape [ENTRIES]``.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench import machine
from pipeline.config import load_settings
from pipeline.ids.links import identify
from pipeline.scrape import run_scrape, scrape_files
from pipeline.scrape.markdown import parse_list
from pipeline.scrape.merge import merge_entries

TARGET = 5000
TOPICS = [
    "remote sensing",
    "vision-language model",
    "image-text retrieval",
    "change captioning",
    "visual grounding",
    "multimodal instruction tuning",
    "foundation model",
    "semantic segmentation",
    "zero-shot scene classification",
    "aerial imagery",
    "contrastive pre-training",
    "large language model",
]
VENUES = ["TGRS", "arXiv", "JSTARS", "GRSL", "CVPR", "ICCV", "Remote Sensing", "ISPRS"]


def _title(rng: random.Random, n: int) -> str:
    topics = rng.sample(TOPICS, rng.randint(2, 4))
    return f"Model{n}: " + " for ".join(topics).capitalize()


def _arxiv(n: int) -> str:
    return f"2{n % 5}{(n % 12) + 1:02d}.{10000 + n % 89999:05d}"


def _authors(rng: random.Random) -> str:
    return ", ".join(f"{chr(65 + rng.randint(0, 25))}. Name{rng.randint(1, 999)}" for _ in range(4))


def _block(style: int, rng: random.Random, start: int, count: int) -> list[str]:
    """``count`` entries in one of five layouts, under a heading."""
    out = [f"## Section {start} {'Dataset' if style == 4 else 'Methods'}", ""]
    if style == 0:  # bullets: venue tag, bold title, [[paper]], author sub-bullet
        for n in range(start, start + count):
            out += [
                f"- [{rng.choice(VENUES)} 2023] **{_title(rng, n)}** "
                f"[[paper]](https://arxiv.org/pdf/{_arxiv(n)}v2)",
                f"  - {_authors(rng)}",
                "",
            ]
    elif style == 1:  # rs-vlm: linked title | venue year | code, no leading pipe
        out += ["| Paper | Published in | Code/Project|", "|---|:---:|:---:|"]
        for n in range(start, start + count):
            out.append(
                f"[{_title(rng, n)}](https://ieeexplore.ieee.org/abstract/document/{9000000 + n})"
                f"|{rng.choice(VENUES)} 2022|[code](https://github.com/user{n}/repo{n})"
            )
    elif style == 2:  # cross-modal: abbreviation | bold title | publication | paper | code
        out += [
            "|Abbreviation|Title|Publication|Paper|Code & Weights|",
            "|:---:|---|:---:|:---:|:---:|",
        ]
        for n in range(start, start + count):
            out.append(
                f"|**M{n}**|**{_title(rng, n)}**|Arxiv2024|[Paper](https://arxiv.org/abs/"
                f"{_arxiv(n)})|{'null' if n % 3 else f'[link](https://github.com/o{n}/r?tab=x)'}|"
            )
    elif style == 3:  # rs-mllm: badge <br> bold linked title <br> authors | venue | date
        out += [
            "|  Title  |   Venue  |   Date   |   Code   |   Note   |",
            "|:---|:---:|:---:|:---:|:---:|",
        ]
        for n in range(start, start + count):
            out.append(
                f"| ![Star](https://img.shields.io/github/stars/o{n}/r{n}.svg?style=social&label=Star)"
                f" <br> [**{_title(rng, n)}**](https://arxiv.org/abs/{_arxiv(n)}) <br>"
                f"{_authors(rng)} <br>| arXiv | 2024-0{1 + n % 9}-1{n % 9} | "
                f"[Github](https://github.com/o{n}/r{n}) | - |"
            )
    else:  # dataset table with a Name column and download links
        out += ["| Name | Paper | Link | Note |", "|:---|:---:|:---:|:---:|"]
        for n in range(start, start + count):
            out.append(
                f"| **Set-{n}** | [{_title(rng, n)}](https://doi.org/10.1000/x{n}) | "
                f"[Link](https://huggingface.co/datasets/o/s{n}) | {n}k |"
            )
    return [*out, ""]


def generate(entries: int, seed: int = 7) -> str:
    """Markdown with exactly ``entries`` entries, in blocks of every style; about one in ten
    titles repeats an earlier one so merging has work to do."""
    rng = random.Random(seed)
    lines = ["# Generated list", ""]
    made, style = 0, 0
    while made < entries:
        count = min(rng.randint(20, 60), entries - made)
        lines += _block(style % 5, rng, made if rng.random() > 0.1 else max(0, made - 50), count)
        made += count
        style += 1
    return "\n".join(lines) + "\n"


SHARED_LISTS = Path(__file__).resolve().parents[1].parent / "shared" / "lists"
"""Real lists written by others, beside the checkout when the workspace has them."""


def real_lists(settings_root: Path, largest: int = 2) -> list[str]:
    """The whole scrape (parse, merge, the scan for papers no entry holds) of the largest
    real lists in ../shared/lists/, CPU time best of five; nothing when they are absent."""
    paths = sorted(SHARED_LISTS.glob("*__*.md"), key=lambda p: -p.stat().st_size)[:largest]
    settings = load_settings(root=settings_root, environ={})
    out = []
    for path in paths:
        best = float("inf")
        for _ in range(5):
            cpu = time.process_time()
            result = scrape_files(settings, [path])
            best = min(best, time.process_time() - cpu)
        size = path.stat().st_size / 1e3
        out.append(
            f"  real list     : {path.name.split('__')[0]}, {size:.0f} KB: {best * 1000:.0f} ms "
            f"CPU, {len(result.works)} works (best of 5)"
        )
    return out


def main(argv: list[str]) -> int:
    size = int(argv[0]) if argv else 10_000
    text = generate(size)

    # best of three (timeit's rule): other processes on a shared machine only add time
    parse_seconds = cpu_seconds = float("inf")
    for _ in range(3):
        identify.cache_clear()
        start, cpu = time.perf_counter(), time.process_time()
        parsed = parse_list(text, source="bench", file="sources/bench.md")
        works = merge_entries(parsed.entries)
        parse_seconds = min(parse_seconds, time.perf_counter() - start)
        cpu_seconds = min(cpu_seconds, time.process_time() - cpu)
    assert len(parsed.entries) == size, (len(parsed.entries), parsed.warnings[:3])

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "sources").mkdir()
        path = root / "sources" / "bench.md"
        path.write_text(text, encoding="utf-8")
        settings = load_settings(root=root, environ={})
        start = time.perf_counter()
        report = run_scrape(settings, [path])
        stage_seconds = time.perf_counter() - start

    tracemalloc.start()
    parse_list(text, source="bench", file="sources/bench.md")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    rate, cpu_rate = size / parse_seconds, size / cpu_seconds
    print(f"scrape benchmark: {size} entries, {len(text) / 1e6:.1f} MB of markdown")
    print(
        f"  parse + merge : {parse_seconds:.2f} s wall = {rate:,.0f} entries/s; "
        f"{cpu_seconds:.2f} s CPU = {cpu_rate:,.0f} entries/CPU-s (best of 3; {len(works)} works)"
    )
    print(
        f"  whole stage   : {stage_seconds:.2f} s = {size / stage_seconds:,.0f} entries/s "
        f"(read, parse, merge, write JSON; {report.counts['warnings']} warnings)"
    )
    print(f"  peak memory   : {peak / 2**20:.0f} MiB (tracemalloc, parse)")
    for line in real_lists(settings_root=Path(tempfile.gettempdir())):
        print(line)
    print(f"  machine       : {machine()}")
    verdict = "meets" if rate >= TARGET else "MISSES"
    print(f"  target        : {TARGET:,} entries/s (wall clock): {verdict}")
    return 0 if rate >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

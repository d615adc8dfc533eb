"""`make fuzz`: run each atheris harness for a while on a corpus seeded from the real lists.

    .venv/bin/python -m fuzz.run [--seconds 90] [HARNESS …]

Corpora live in build/fuzz/<harness>/ (kept between runs, so each run goes further), crash
inputs in build/fuzz/artifacts/. Prints, per harness, the executions, their rate, the coverage
libFuzzer reports; exits 1 when a harness found a crash (the input is in build/fuzz/artifacts/).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from bench import machine

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "fuzz"
HARNESSES = {"parse_list": "fuzz_parse_list.py", "identify": "fuzz_identify.py"}
MAX_LEN = {"parse_list": 8192, "identify": 512}
URL = re.compile(rb"https?://[^\s)\]>\"'|]+")


def seed(name: str, corpus: Path) -> None:
    """Chunks of the real lists (parse_list) or the URLs in them (identify)."""
    corpus.mkdir(parents=True, exist_ok=True)
    if name == "parse_list":
        # What the targeted tests found (deep nesting, wide tables): start from there too.
        shapes = {
            "deep-quote": b"> " * 2000 + b"- **x** [p](https://arxiv.org/abs/2306.11029)\n",
            "deep-bullets": b"- " * 2000 + b"**x** [p](https://arxiv.org/abs/2306.11029)\n",
            "deep-items": b"".join(
                b"  " * i + b"- **L** [p](https://a.example/)\n" for i in range(60)
            ),
            "wide-table": b"|" + b"c|" * 2000 + b"\n|" + b"-|" * 2000 + b"\n|" + b"**T**|" * 2000,
        }
        for shape, data in shapes.items():
            (corpus / f"shape-{shape}").write_bytes(data)
    if any(p.name.startswith(("list", "url")) for p in corpus.iterdir()):
        return
    lists = sorted((ROOT / "sources").glob("*.md"))
    lists += sorted((ROOT.parent / "shared" / "lists").glob("*.md"))
    for index, path in enumerate(lists):
        data = path.read_bytes()
        if name == "parse_list":
            step = MAX_LEN[name] // 2
            for start in range(0, min(len(data), 64 * step), step):
                (corpus / f"list{index}-{start}").write_bytes(data[start : start + step])
        else:
            for number, url in enumerate(sorted(set(URL.findall(data)))[:400]):
                # The harness's first byte picks a host prefix; 15 = none (the URL as it is).
                (corpus / f"url{index}-{number}").write_bytes(b"\x0f" + url)


def run(name: str, seconds: int) -> tuple[bool, str]:
    corpus = BUILD / name
    artifacts = BUILD / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    seed(name, corpus)
    env = {**os.environ, "RUST_BACKTRACE": "0", "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "fuzz" / HARNESSES[name]),
            f"-max_total_time={seconds}",
            f"-max_len={MAX_LEN[name]}",
            f"-artifact_prefix={artifacts}/{name}-",
            "-print_final_stats=1",
            str(corpus),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
    )
    elapsed = time.monotonic() - started
    log = done.stderr
    runs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
    cov = re.findall(r"\bcov: (\d+) ft: (\d+)", log)
    corpus_size = len(list(corpus.iterdir()))
    crashed = done.returncode != 0
    line = (
        f"{name}: {runs[-1] if runs else '?'} inputs in {elapsed:.0f} s"
        + (f" ({int(runs[-1]) / elapsed:.0f}/s)" if runs else "")
        + (f", coverage {cov[-1][0]} edges / {cov[-1][1]} features" if cov else "")
        + f", corpus {corpus_size}"
        + (", CRASH (see below)" if crashed else ", no crash")
    )
    if crashed:
        tail = "\n".join(
            row for row in log.splitlines() if not row.startswith(("#", "  ", "thread '"))
        )
        line += "\n" + tail[-4000:]
    return crashed, line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=90, help="per harness (default 90)")
    parser.add_argument("names", nargs="*", help=f"harnesses (default: {', '.join(HARNESSES)})")
    args = parser.parse_args()
    print(f"fuzz: {machine()}, {args.seconds} s per harness", flush=True)
    failed = False
    unknown = set(args.names) - set(HARNESSES)
    if unknown:
        parser.error(f"unknown harness(es) {sorted(unknown)}; known: {sorted(HARNESSES)}")
    for name in args.names or HARNESSES:
        crashed, line = run(name, args.seconds)
        failed |= crashed
        print(line, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Site benchmark: ``output/site/`` for 20,000 generated works, measured in headless Chromium.

The works are varied as real lists are (titles from a vocabulary of a few hundred words,
thousands of author names, 40 venues, 30 sections over five lists, code and stars for
most, citation counts and first-seen dates); the site is written by the emit stage's own
``pipeline.emit.site.write``. Printed: the time to write it, each file's size raw and
gzipped, and from Chromium (Debian's, through Playwright), over the page opened from
``file://``: the first render (navigation start to the first rows on the page, with the
data parsed: the page's ``site-first-render`` mark), and the keystrokes of a search typed
into the box (each from the input event to the rows laid out), a filter and a sort.
Goals: first render < 1 s, keystroke < 50 ms, page + data gzipped < 3 MB.
Usage: ``python -m bench.site [WORKS]``.
"""

from __future__ import annotations

import gzip
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import machine
from pipeline.emit import build_records, site
from pipeline.emit.inputs import EmitInput
from pipeline.emit.keys import KeyMap
from pipeline.models import LinkReport, ResolvedWork
from tests.helpers.browser import chromium

GOALS = {"render": 1000.0, "keystroke": 50.0, "gzip": 3_000_000}
LISTS = ["rs-vlm", "rs-mllm", "awesome-rsvlm", "rs-image-text-retrieval", "rs-cross-modal"]
TOPICS = [
    "Surveys", "Datasets", "Image Captioning", "Visual Question Answering", "Visual Grounding",
    "Image-Text Retrieval", "Foundation Models", "Scene Classification", "Change Detection",
    "Agents",
]  # fmt: skip
VENUES = [
    "TGRS", "JSTARS", "GRSL", "ISPRS Journal of Photogrammetry and Remote Sensing", "CVPR",
    "ICCV", "ECCV", "NeurIPS", "ICLR", "AAAI", "Remote Sensing", "IGARSS", "ACM MM", "WACV",
    "Information Fusion", "Pattern Recognition", "Neurocomputing", "TIP", "TPAMI", "IJCV",
] + [f"Journal of Earth Observation {n}" for n in range(20)]  # fmt: skip
ROOTS = [
    "remote", "sensing", "vision", "language", "model", "image", "text", "retrieval", "caption",
    "grounding", "segmentation", "detection", "change", "scene", "classification",
    "multimodal", "large", "foundation", "dataset", "benchmark", "aerial", "satellite",
    "hyperspectral", "SAR", "optical", "urban", "land", "cover", "building", "road", "ship",
    "aircraft", "contrastive", "pretraining", "instruction", "tuning", "zero", "shot", "few",
    "open", "vocabulary", "cross", "modal", "attention", "transformer", "diffusion",
    "generation", "question", "answering", "reasoning", "agent", "geospatial", "temporal",
    "spatial", "semantic", "instance", "panoptic", "unsupervised", "self", "supervised",
    "knowledge", "graph",
]  # fmt: skip
FAMILIES = ["Liu", "Zhang", "Wang", "Li", "Chen", "Müller", "Kuckreja", "Hu", "Zhou", "Sun"]


def _word(rng: random.Random) -> str:
    word = rng.choice(ROOTS)
    return word + rng.choice(["", "", "", "s", "ing", "ed", "Net", "-1", "er"])


def _resolved(n: int, rng: random.Random) -> dict[str, Any]:
    """One generated work as resolve writes it: half verified, most with code."""
    arxiv = f"2{n % 5}{(n % 12) + 1:02d}.{10000 + n:05d}"
    title = " ".join(_word(rng) for _ in range(rng.randint(5, 14))).capitalize()
    verified = n % 2 == 0
    authors = [
        {"family": rng.choice(FAMILIES) + str(rng.randint(1, 800)), "given": rng.choice("ABCDEFGHJKLM") + "."}
        for _ in range(rng.randint(1, 9))
    ]  # fmt: skip
    csl: dict[str, Any] = {
        "type": rng.choice(["article", "article-journal", "paper-conference"]),
        "title": title,
        "author": authors,
        "issued": {"date-parts": [[2015 + n % 11, 1 + n % 12]]},
        "custom": {"arxiv": arxiv},
    }
    if csl["type"] != "article":
        csl["container-title"] = rng.choice(VENUES)
    repo = f"o{n}/{title.split()[0].lower()}-{n}"
    links = [{"url": f"https://arxiv.org/abs/{arxiv}", "role": "paper"}]
    if n % 5:
        links.append({"url": f"https://github.com/{repo}", "role": "code"})
    places = [
        {"source": rng.choice(LISTS), "file": "sources/x.md", "line": n + 1,
         "section": [rng.choice(TOPICS), rng.choice(["Papers", "Models", "Methods"])]}
        for _ in range(rng.choice([1, 1, 1, 2]))
    ]  # fmt: skip
    work = {
        "id": f"arxiv:{arxiv}",
        "kind": "dataset" if n % 10 == 0 else "project" if n % 37 == 0 else "paper",
        "title": title,
        "links": links,
        "ids": {"arxiv": arxiv, "github": [repo] if n % 5 else []},
        "places": places,
        "nickname": title.split()[0].upper() if n % 3 == 0 else None,
    }
    return {"work": work, "csl": csl, "resolved_by": "arxiv" if verified else "list",
            "confidence": 1.0 if verified else 0.0, "verified": verified}  # fmt: skip


def _input(count: int) -> tuple[EmitInput, str]:
    """The emit stage's input for ``count`` works, and the run's date."""
    rng = random.Random(24)
    resolved = [ResolvedWork.from_json(_resolved(n, rng)) for n in range(count)]
    current, _ = build_records(resolved, KeyMap.from_json({}), {})
    today = date(2026, 6, 1)
    repos = []
    for n, (record, _) in enumerate(current):
        record.citations = rng.randint(0, 3000) if n % 4 else None
        record.first_seen = (today - timedelta(days=rng.randint(0, 900))).isoformat()
        repos += [
            {"repo": r, "stars": rng.randint(0, 20000), "stars_delta": rng.randint(-5, 60),
             "archived": n % 50 == 0, "pushed_at": "2023-01-01T00:00:00Z", "status": "ok"}
            for r in record.github
        ]  # fmt: skip
    links = LinkReport.from_json({"repos": repos})
    return EmitInput(current=current, links=links, previous_links=LinkReport()), today.isoformat()


_TYPE = """async (text) => {
  const box = document.getElementById('q'), handled = [], framed = [];
  const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  for (const c of text) {
    await frame();
    const t0 = performance.now();
    box.value += c;
    box.dispatchEvent(new Event('input', {bubbles: true}));
    document.getElementById('results').getBoundingClientRect();  // layout included
    handled.push(performance.now() - t0);
    await frame();  // the rows painted
    framed.push(performance.now() - t0);
  }
  return [handled, framed];
}"""
_CHANGE = """async ([id, value]) => {
  const control = document.getElementById(id);
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const t0 = performance.now();
  if (control.type === 'checkbox') control.checked = value === '1'; else control.value = value;
  control.dispatchEvent(new Event('change', {bubbles: true}));
  document.getElementById('results').getBoundingClientRect();
  const handled = performance.now() - t0;
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return [handled, performance.now() - t0];
}"""
_MARKS = """['site-first-render', 'site-first-frame', 'site-ready'].map(
  n => performance.getEntriesByName(n)[0].startTime)"""


def _measure(index: Path, runs: int = 5) -> dict[str, Any]:
    """First render (each run a fresh page) and the keystrokes, filters and sort."""
    marks: list[list[float]] = []
    keys: list[list[float]] = [[], []]
    changes: dict[str, list[list[float]]] = {}
    with chromium() as browser:
        for _ in range(runs):
            page = browser.new_page()
            page.goto(index.as_uri())
            page.wait_for_function("performance.getEntriesByName('site-ready').length")
            marks.append(page.evaluate(_MARKS))
            handled, framed = page.evaluate(_TYPE, "remote sensing")
            keys[0] += handled
            keys[1] += framed
            for control, value in (("year-from", "2020"), ("code", "1"), ("sort", "stars")):
                changes.setdefault(control, []).append(page.evaluate(_CHANGE, [control, value]))
            shown = page.inner_text("#count")
            page.close()
    return {"marks": marks, "keys": keys, "changes": changes, "count": shown}


def _spread(values: list[float], unit: str = "ms") -> str:
    return f"median {statistics.median(values):.0f} {unit}, max {max(values):.0f} {unit}"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    data, today = _input(count)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "site"
        started = time.perf_counter()
        site.write(folder, data, today)
        written = time.perf_counter() - started
        files = {
            p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        }
        figures = _measure(folder / "index.html")
    zipped = {name: len(gzip.compress(body, 9)) for name, body in files.items()}
    page = {n: z for n, z in zipped.items() if not n.startswith("cite/")}
    shards = [z for n, z in zipped.items() if n.startswith("cite/")]
    raw = {n: len(b) for n, b in files.items()}
    print(f"machine: {machine()}")
    print(f"works: {count}; site written in {written:.1f} s")
    for name, size in page.items():
        print(f"  {name}: {raw[name] / 1e6:.2f} MB, gzip {size / 1e6:.3f} MB")
    print(
        f"page + data gzip: {sum(page.values()) / 1e6:.2f} MB (goal < {GOALS['gzip'] / 1e6:.0f} MB); "
        f"citation shards, loaded when copying: {len(shards)} of "
        f"{statistics.mean(shards) / 1e3:.0f} KB gzip each, {sum(shards) / 1e6:.2f} MB in all"
    )
    marks = figures["marks"]
    print(f"first render, over {len(marks)} loads (goal < {GOALS['render']:.0f} ms):")
    print(f"  rows in the page: {_spread([m[0] for m in marks])}")
    print(f"  rows on the screen: {_spread([m[1] for m in marks])}")
    print(f"  filters and search ready: {_spread([m[2] for m in marks])}")
    handled, framed = figures["keys"]
    print(f"keystroke, {len(handled)} (goal < {GOALS['keystroke']:.0f} ms):")
    print(f"  input to rows laid out: {_spread(handled)}")
    print(f"  input to the next frame: {_spread(framed)}")
    for control, times in figures["changes"].items():
        print(
            f"  {control}: {_spread([t[0] for t in times])}; "
            f"to the next frame {_spread([t[1] for t in times])}"
        )
    print(f"last result: {figures['count']}")


if __name__ == "__main__":
    main()

"""Pictures of the bibliography, as SVG written here (no plotting library): papers per year
(stacked by topic, or by list without a topic scheme) and the top venues.

Each picture is an accessible image: ``role="img"`` with a ``<title>`` and a ``<desc>`` that
says every figure in words, a white background, colours of at least 3:1 contrast against it
(WCAG 1.4.11) with a legend naming each, and text of 4.5:1. The works counted are those of
the bibliography (``[emit] cite_kinds``). Written to ``output/site/`` (the site shows them;
the README links them); the same works give the same bytes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.emit.inputs import EmitInput
from pipeline.emit.records import Record
from pipeline.emit.xmltext import xml_attr, xml_text
from pipeline.models import ResolvedWork

YEARS = "papers-per-year.svg"
VENUES = "top-venues.svg"
TITLES = {YEARS: "Papers per year", VENUES: "Top venues"}
"""Chart file name → its title (the README's alternative text)."""
PALETTE = ("#0072B2", "#B35900", "#007A5A", "#A3487F", "#333333", "#8A6A00", "#B03A2E", "#3F51B5")
"""Okabe–Ito's hues, darkened to 3:1 or more against white."""
REST = "#949494"
INK = "#1F1F1F"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
SPAN = 15
"""Years shown one bar each; older papers share one bar ("earlier")."""
TOP = 10
"""Venues shown."""

Group = Callable[[Record, ResolvedWork], str]


@dataclass(frozen=True)
class Chart:
    name: str
    svg: str


def _svg(name: str, size: tuple[int, int], desc: str, body: list[str]) -> str:
    width, height = size
    ident = name.removesuffix(".svg")
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family={xml_attr(FONT)} '
        f'font-size="12" fill="{INK}">'
    )
    return "\n".join(
        [
            head,
            f'<title id="{ident}-title">{xml_text(TITLES[name])}</title>',
            f'<desc id="{ident}-desc">{xml_text(desc)}</desc>',
            f'<rect width="{width}" height="{height}" fill="#FFFFFF"/>',
            f'<text x="16" y="24" font-size="15" font-weight="bold">{xml_text(TITLES[name])}</text>',
            *body,
            "</svg>",
            "",
        ]
    )


def _step(top: int) -> int:
    """A round tick step giving at most five ticks up to ``top``."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if top <= 5 * step * factor:
                return step * factor
        step *= 10


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _series(names: list[str]) -> list[tuple[str, str]]:
    """Each group's legend name and colour; past the palette, one grey "other" group."""
    shown = names[: len(PALETTE)] if len(names) <= len(PALETTE) else names[: len(PALETTE) - 1]
    out = [(n, PALETTE[i]) for i, n in enumerate(shown)]
    if len(shown) < len(names):
        out.append((f"{len(names) - len(shown)} more", REST))
    return out


def _year_rows(works: Sequence[tuple[Record, str]]) -> tuple[list[str], dict[str, Counter[str]]]:
    """Bar labels, oldest first, and per bar the count of each group."""
    years = sorted({r.year for r, _ in works if r.year})
    last = years[-1] if years else 0
    first = max(years[0], last - SPAN + 1) if years else 0
    rows: dict[str, Counter[str]] = {}
    if years and years[0] < first:
        rows["earlier"] = Counter()
    for year in range(first, last + 1) if years else ():
        rows[str(year)] = Counter()
    for record, group in works:
        if record.year:
            rows["earlier" if record.year < first else str(record.year)][group] += 1
    return list(rows), rows


def _legend(series: list[tuple[str, str]], totals: Counter[str], top: int) -> list[str]:
    out = []
    for i, (name, colour) in enumerate(series):
        y = top + 18 * i
        out.append(f'<rect x="16" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="34" y="{y}">{xml_text(_short(name, 80))} ({totals[name]})</text>')
    return out


def _grid(ceiling: int, step: int, box: tuple[int, int, int, int]) -> list[str]:
    left, top, plot_w, plot_h = box
    out = []
    for tick in range(0, ceiling + 1, step):
        y = top + plot_h - plot_h * tick // ceiling
        out.append(f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" stroke="#D0D0D0"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{tick}</text>')
    return out


def _bars(
    rows: dict[str, Counter[str]],
    series: list[tuple[str, str]],
    ceiling: int,
    box: tuple[int, int, int, int],
) -> list[str]:
    """One stacked bar a label, its total above it and its label below."""
    left, top, plot_w, plot_h = box
    width = plot_w // max(len(rows), 1)
    out: list[str] = []
    for i, (label, counts) in enumerate(rows.items()):
        x, base = left + i * width, float(top + plot_h)
        for name, fill in series:
            if counts[name]:
                height = plot_h * counts[name] / ceiling
                base -= height
                out.append(
                    f'<rect x="{x + 3}" y="{base:.1f}" width="{max(width - 6, 2)}" '
                    f'height="{height:.1f}" fill="{fill}" stroke="#FFFFFF" stroke-width="1">'
                    f"<title>{xml_text(f'{label}: {counts[name]} {name}')}</title></rect>"
                )
        middle = x + width // 2
        total = sum(counts.values())
        out.append(f'<text x="{middle}" y="{base - 4:.1f}" text-anchor="middle">{total}</text>')
        out.append(
            f'<text x="{middle}" y="{top + plot_h + 16}" text-anchor="middle">{label}</text>'
        )
    return out


def _in_words(counts: Counter[str]) -> str:
    """``12 (rs-vlm 8, rs-mllm 4)``."""
    parts = [f"{n} {c}" for n, c in sorted(counts.items(), key=lambda x: (-x[1], x[0])) if c]
    return f"{sum(counts.values())}" + (f" ({', '.join(parts)})" if parts else "")


def papers_per_year(works: Sequence[tuple[Record, str]], grouped_by: str) -> Chart:
    """Stacked bars, one a year, one colour a group (topic or list)."""
    sizes = Counter(g for _, g in works)
    series = _series(sorted(sizes, key=lambda n: (-sizes[n], n)))
    colours = dict(series)
    fold = {n: (n if n in colours else series[-1][0]) for n in sizes}
    labels, rows = _year_rows([(r, fold[g]) for r, g in works])
    highest = max([sum(c.values()) for c in rows.values()] + [1])
    step = _step(highest)
    ceiling = step * -(-highest // step)
    box = (48, 44, 640, 220)
    body = _grid(ceiling, step, box) + _bars(rows, series, ceiling, box)
    legend_top = box[1] + box[3] + 44
    body += _legend(series, Counter(fold[g] for r, g in works if r.year), legend_top)
    size = (box[0] + box[2] + 16, legend_top + 18 * len(series))
    words = "; ".join(f"{label}: {_in_words(rows[label])}" for label in labels)
    undated = sum(1 for r, _ in works if not r.year)
    desc = f"Papers per year, by {grouped_by}. {words or 'No paper has a year.'}" + (
        f" {undated} without a year are not shown." if undated else ""
    )
    return Chart(YEARS, _svg(YEARS, size, desc, body))


_YEAR_IN_VENUE = re.compile(r"\b(?:19|20)\d\d\b|'\d\d\b|\(\s*\)")


def venue_name(record: Record) -> str:
    """What a work's venue is called on the chart: the venue without its year; arXiv for a
    preprint with no other venue."""
    name = " ".join(_YEAR_IN_VENUE.sub(" ", record.container).split()).strip(" ,.:;-")
    return name or ("arXiv" if record.arxiv else "")


def top_venues(records: Sequence[Record]) -> Chart:
    """Horizontal bars: the venues with the most works."""
    spelled: dict[str, Counter[str]] = {}
    for record in records:
        name = venue_name(record)
        if name:
            spelled.setdefault(re.sub(r"\W+", " ", name).casefold().strip(), Counter())[name] += 1
    counts = sorted(
        ((sum(c.values()), c.most_common(1)[0][0]) for c in spelled.values()),
        key=lambda x: (-x[0], x[1].casefold(), x[1]),
    )[:TOP]
    left, top, bar_w, row = 300, 44, 380, 26
    most = max((n for n, _ in counts), default=1)
    body: list[str] = []
    for i, (count, name) in enumerate(counts):
        y = top + i * row
        length = max(2.0, bar_w * count / most)
        body.append(
            f'<text x="{left - 8}" y="{y + 16}" text-anchor="end">{xml_text(_short(name))}</text>'
        )
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="16" fill="{PALETTE[0]}"/>'
        )
        body.append(f'<text x="{left + length + 6:.1f}" y="{y + 16}">{count}</text>')
    words = "; ".join(f"{name}: {count}" for count, name in counts) or "No work has a venue."
    desc = f"The {len(counts)} venues with the most works, by works. {words}"
    size = (left + bar_w + 60, top + max(len(counts), 1) * row + 16)
    return Chart(VENUES, _svg(VENUES, size, desc, body))


def render(data: EmitInput, group: Group, grouped_by: str) -> list[Chart]:
    """The charts of the bibliography's works; ``group`` names what a work is filed under."""
    cited = [(r, rw) for r, rw in data.current if data.cited(r)]
    cited.sort(key=lambda x: x[0].key)
    return [
        papers_per_year([(r, group(r, rw)) for r, rw in cited], grouped_by),
        top_venues([r for r, _ in cited]),
    ]

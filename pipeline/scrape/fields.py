"""Field parsers: venue and year, dates, author lists, link roles, which table column holds
what, and where an item's or a cell's title stands.
"""

from __future__ import annotations

import re

from pipeline.models import LinkRole
from pipeline.scrape.inline import Inline, plain, strong_run
from pipeline.scrape.repair import GENERIC_LINK_TEXT, clean_title, is_no_value, untag
from pipeline.text import fix_text

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
# Anchored patterns end in "\Z": "$" also matches before a final newline.
_DATE = re.compile(r"^((?:19|20)\d\d)(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?\Z")
PAREN_DATE = re.compile(r"\(\s*((?:19|20)\d\d(?:[-./]\d{1,2}(?:[-./]\d{1,2})?)?)\s*\)")
VENUE_TAG = re.compile(r"^\s*\[([^\[\]]{1,80})\]\s*\|?\s*")
DATASET_WORD = re.compile(r"\bdata\s?sets?\b", re.IGNORECASE)

# Header words → column meaning; earlier title words win when a table has several.
TITLE_HEADERS = (
    ("title", "paper title", "paper name", "title of paper"),
    ("paper", "papers", "publication title"),
    ("dataset", "datasets", "dataset name", "benchmark"),
    ("name", "model", "model name", "models", "method", "methods", "work", "tool", "project"),
    ("abbreviation", "abbr", "short name"),
    ("contest", "competition", "challenge", "event"),
)
NAME_HEADERS = frozenset(TITLE_HEADERS[3] + TITLE_HEADERS[4])
"""Columns of a short name (``Abbreviation``, ``Model``): beside a title column, a nickname."""
DATASET_HEADERS = frozenset({"dataset", "datasets", "dataset name"})


def parse_venue(text: str) -> tuple[str | None, str | None]:
    """``TGRS 2023`` → (``TGRS``, ``2023``); ``arxiv`` → (``arxiv``, None); ``-`` → (None, None)."""
    text = fix_text(untag(text)).strip(" *_.|")
    if is_no_value(text):
        return None, None
    year = None
    match = _YEAR.search(text)
    if match:
        year = match.group(1)
        if text[match.end() :].strip(" .)") == "":
            text = text[: match.start()].strip(" -,(")
    venue = text.strip(" *_.,-|") or None
    return venue, year


_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_STATED_YEAR = re.compile(
    r"(?:\b(?P<month>[A-Za-z]{3,9})\.?\s+)?(?<!\d)(?:(?P<year>(?:19|20)\d\d)|'(?P<yy>\d\d))(?!\d)"
)
_ACRONYM_END = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]\s*\Z")
_VENUE_EDGE = re.compile(r"[\"“”.|\[\]()]\s*")


def stated_venue(text: str) -> tuple[str | None, str | None]:
    """Venue and date written in a row's text outside its title: ``arXiv, May 2026``,
    ``CVPR 2024``, ``(CVPR 2023)``, ``CVPR '24``, ``NeurIPS 2025 Highlight``, ``AAAI2024``.
    The venue is the text just before the year (back to a quote, bracket, ``|`` or sentence
    end); a month name before the year gives the month."""
    text = fix_text(untag(text))
    for match in _STATED_YEAR.finditer(text):
        year = match.group("year") or f"20{match.group('yy')}"
        if match.group("yy") and not _ACRONYM_END.search(text[: match.start("yy") - 1]):
            continue  # 'YY only right after a venue's acronym: "CVPR '24", never alone
        month = _MONTHS.get((match.group("month") or "").lower())
        date = f"{year}-{month:02d}" if month else year
        head = text[
            : match.start("month")
            if month
            else match.start("year" if match.group("year") else "yy")
            - (0 if match.group("year") else 1)
        ]
        cut = max((m.end() for m in _VENUE_EDGE.finditer(head)), default=0)
        venue = head[cut:].strip(" ,;:-–—*_'")
        return (venue if 1 < len(venue) <= 80 else None), date
    return None, None


def parse_date(text: str) -> str | None:
    """``2025-08-04`` / ``2023.06`` / ``2023`` → ISO-like ``YYYY[-MM[-DD]]``; other text → year
    if one is in it, else None."""
    text = fix_text(text).strip(" *_()")
    match = _DATE.match(text)
    if match:
        year, month, day = match.groups()
        if month and 1 <= int(month) <= 12:
            if day and 1 <= int(day) <= 31:
                return f"{year}-{int(month):02d}-{int(day):02d}"
            return f"{year}-{int(month):02d}"
        return year
    match = _YEAR.search(text)
    return match.group(1) if match else None


_INITIALS = re.compile(r"^(?:[A-Z]\.?\s*-?\s*)+\Z")


def split_authors(text: str) -> list[str]:
    """``A. B, C. D, and E. F.`` / ``Wu, K., Zhang, Y., ... & Li, Y.`` / ``X; Y`` → names."""
    text = fix_text(untag(text))
    text = re.sub(r"\bet\s+al\.?|\.\.\.|…", ",", text)
    text = re.sub(r"\s*(?:,\s*and\s+|\s&\s|\band\s+)", ",", text)
    parts = [p.strip(" .,;*_") for p in re.split(r"[;]" if ";" in text else r",", text)]
    names: list[str] = []
    for part in parts:
        if not part:
            continue
        # APA style "Family, I." comes apart at the comma: glue the initials back on.
        if names and _INITIALS.match(part) and not _INITIALS.match(names[-1]):
            names[-1] = f"{names[-1]}, {part}."
            names[-1] = names[-1].replace("..", ".")
            continue
        names.append(part)
    names = [n for n in names if len(n) > 1 or n.isalpha()]
    return names if ";" in text else _family_given_pairs(names)


_GIVEN_WORD = re.compile(r"^[^\W\d_][^\W\d_'-]*(?:-[^\W\d_]+)?\Z")


def _family_given_pairs(parts: list[str]) -> list[str]:
    """``Djoufack Basso, Larissa`` is one person written ``Family, Given``, not two: commas
    that alternate family names and one-word given names pair them up. A list of initials
    (``Wu, K.``) is glued already; an odd count (``Arto, Dev Vidhani, Goutham``) never pairs."""
    if not parts or len(parts) % 2 or any("," in p for p in parts):
        return parts
    givens = parts[1::2]
    if not all(_GIVEN_WORD.match(g) and g[0].isupper() for g in givens):
        return parts
    return [f"{family}, {given}" for family, given in zip(parts[::2], givens, strict=True)]


def text_role(text: str) -> LinkRole | None:
    lowered = text.lower()
    if any(w in lowered for w in ("paper", "pdf", "arxiv", "article")):
        return "paper"
    if any(w in lowered for w in ("data", "download", "baidu", "drive", "onedrive", "hugging")):
        return "dataset"
    if any(w in lowered for w in ("code", "github", "gitlab")):
        return "code"
    if any(w in lowered for w in ("project", "home", "page", "website", "demo")):
        return "project"
    return None


def column_role(header: str) -> LinkRole | None:
    if any(w in header for w in ("download", "data")):
        return "dataset"
    if "code" in header or "github" in header:
        return "code"
    if "project" in header or "home" in header:
        return "project"
    if "paper" in header or "pdf" in header:
        return "paper"
    return None


TRAILING_VENUE = re.compile(r"^(.{8,}?)\.\s+([^.]{2,40}?(?:19|20)\d\d)\.?\Z")


def find_column(names: list[str], words: tuple[str, ...]) -> int | None:
    for index, name in enumerate(names):
        if any(name == w or name.startswith(w) or f" {w}" in f" {name}" for w in words):
            return index
    return None


def title_columns(names: list[str], skip: tuple[int | None, ...] = ()) -> list[int]:
    """Columns that may hold the title, best first; when no header names one, the first
    column that is not ``skip`` (the year or venue column)."""
    found = [i for group in TITLE_HEADERS for i, name in enumerate(names) if name in group]
    return found or [next((i for i in range(len(names)) if i not in skip), 0)]


def title_segment(cell: Inline) -> int:
    """Index of the segment holding the title: the first with bold text or a titled link,
    else the first with any text."""
    segments = cell.segments()
    for index, pieces in enumerate(segments):
        if strong_run(pieces).strip():
            return index
    for index, pieces in enumerate(segments):
        if any(p.link is not None and p.text.strip() for p in pieces):
            return index
    for index, pieces in enumerate(segments):
        if plain(pieces).strip():
            return index
    return 0


def cell_title(cell: Inline) -> tuple[str, list[str]]:
    """Title and authors of a title cell (``badge <br> [**Title**](…) <br> authors``)."""
    segments = cell.segments()
    index = title_segment(cell)
    pieces = segments[index] if index < len(segments) else []
    title = clean_title(strong_run(pieces))
    if not title:
        linked = [p for p in pieces if p.link is not None]
        title = clean_title(plain(linked)) if linked else ""
        if GENERIC_LINK_TEXT.match(title):
            title = ""
        if not title:
            title = clean_title(plain(pieces))
            if GENERIC_LINK_TEXT.match(title):
                title = ""
    authors: list[str] = []
    for rest in segments[index + 1 :]:
        text = plain(rest).strip()
        if text and not any(p.link is not None for p in rest):
            authors = split_authors(text)
            break
    return title, authors

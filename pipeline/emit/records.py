"""The emitters' one in-memory form of a work: :class:`Record`.

A Record is built from a ResolvedWork (``build/resolved.json``) or read back from an item of
the previous ``output/papers.json``; :func:`to_item` and :func:`from_item` are inverse, so
``output/papers.json`` doubles as the last-known-good store (docs/design.md, "Records").
Everything textual is passed through :func:`clean_text` here, once.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids import doi as doi_ids
from pipeline.ids import github as github_ids
from pipeline.ids import names, venues
from pipeline.ids.tracking import strip_tracking
from pipeline.models import Kind, ResolvedWork
from pipeline.text import clean_text

OUTPUT_TYPES = ("article-journal", "paper-conference", "article", "dataset", "software")

# Service/CSL types → the five output types (anything else is treated as unknown).
_TYPE_MAP = {
    "article-journal": "article-journal",
    "journal-article": "article-journal",
    "paper-conference": "paper-conference",
    "proceedings-article": "paper-conference",
    "chapter": "paper-conference",  # LNCS-style proceedings (ECCV) are book chapters
    "book-chapter": "paper-conference",
    "article": "article",
    "posted-content": "article",
    "preprint": "article",
    "dataset": "dataset",
    "software": "software",
}
_ARXIV_VENUES = {"arxiv", "arxiv preprint", "corr", "arxiv.org", "preprint", "-", "n/a"}
_CONFERENCE = re.compile(
    r"\b(conference|conf\.|proceedings|proc\.|workshops?|symposium|cvpr|iccv|eccv|neurips|nips|"
    r"iclr|icml|aaai|ijcai|acm\s*mm|mm|wacv|igarss|acl|emnlp|naacl|coling|kdd|sigir|icassp|icip|"
    r"icme|bmvc|accv|icpr|www|cikm|icra|iros|miccai|isprs\s+congress)\b",
    re.IGNORECASE,
)
_ET_AL = names.ET_AL_WORDS
# Zotero's CSL-JSON importer (translators/CSL JSON.js, detectImport) knows CSL 1.0.2's types
# but "software", and one item of a type it does not know makes it refuse the whole file.
# Software goes out as "document" (Zotero's Document; citeproc-js prints its year and URL)
# with APA's label for it; :func:`from_item` reads it back as software.
_CSL_TYPE = {"software": "document"}
_SOFTWARE_GENRE = "Computer software"


@dataclass(frozen=True)
class Name:
    """A person (``family``/``given``) or an organization (``literal``)."""

    family: str = ""
    given: str = ""
    literal: str = ""
    suffix: str = ""  # "Jr.", "III"

    @property
    def display(self) -> str:
        return self.literal or " ".join(p for p in (self.given, self.family, self.suffix) if p)

    @property
    def sort_name(self) -> str:
        return self.literal or self.family or self.given


@dataclass
class Record:
    """One work as the emitters see it. Empty string / None / [] mean "unknown"."""

    key: str
    work_id: str
    type: str
    title: str
    original_title: str = ""  # the untranslated title where ``title`` is the English one
    language: str = ""  # CSL language of ``original_title`` (zh, ja, ko)
    authors: list[Name] = field(default_factory=list)
    date: tuple[int, ...] = ()
    container: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    publisher: str = ""
    doi: str = ""
    url: str = ""
    arxiv: str = ""
    primary_class: str = ""
    github: list[str] = field(default_factory=list)
    stars: int | None = None
    sources: list[str] = field(default_factory=list)
    resolved_by: str = "list"
    confidence: float = 0.0
    verified: bool = False
    aliases: list[str] = field(default_factory=list)
    """Keys of works found to be this one paper (``output/keys.json``: ``merged_into``)."""
    citations: int | None = None
    """Semantic Scholar's citation count (CSL ``custom.citations``; no style prints it)."""
    first_seen: str = ""
    """ISO date of the run that first recorded the work's key (``output/keys.json``)."""

    @property
    def year(self) -> int | None:
        return self.date[0] if self.date else None

    @property
    def kind(self) -> Kind:
        return {"dataset": "dataset", "software": "project"}.get(self.type, "paper")  # type: ignore[return-value]


def split_name(text: str) -> Name:
    """``"Liu, Fan"`` or ``"Fan Liu"`` → family/given; one word or CJK → literal
    (:func:`pipeline.ids.names.split_name`)."""
    split = names.split_name(clean_text(text, 300).strip(" .;,"))
    if split is None:
        return Name()
    return Name(split.family, split.given, split.literal, split.suffix)


def _name_from_csl(person: Any) -> Name:
    if isinstance(person, str):
        return split_name(person)
    if not isinstance(person, dict):
        return Name()
    family = clean_text(person.get("family"), 300)
    given = clean_text(person.get("given"), 300)
    literal = clean_text(person.get("literal") or person.get("name"), 300)
    if family:
        particle = clean_text(person.get("non-dropping-particle"), 50)
        family = f"{particle} {family}" if particle else family
        return Name(family=family, given=given, suffix=clean_text(person.get("suffix"), 20))
    if literal:
        return Name(literal=literal)
    return Name(literal=given) if given else Name()


def _authors(value: Any) -> list[Name]:
    names: list[Name] = []
    for person in value if isinstance(value, list) else []:
        if isinstance(person, str) and clean_text(person).lower() in _ET_AL:
            continue
        name = _name_from_csl(person)
        if name.display and name.display.lower() not in _ET_AL:
            names.append(name)
        if len(names) >= 500:  # a hostile list of 10^5 "authors" must not blow up the .bib
            break
    return names


def _first_text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean_text(value) if isinstance(value, str | int | float) else ""


def _date(value: Any) -> tuple[int, ...]:
    """CSL ``issued`` (``date-parts``, ``raw``) or a ``YYYY[-MM[-DD]]`` string → ints."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list):
            numbers: list[int] = []
            for part in parts[0][:3]:
                try:
                    numbers.append(int(part))
                except (TypeError, ValueError):
                    break
            return _valid_date(numbers)
        value = value.get("raw") or value.get("literal")
    if isinstance(value, str):
        return _valid_date([int(x) for x in re.findall(r"\d+", value)[:3]])
    return ()


def _valid_date(numbers: list[int]) -> tuple[int, ...]:
    if not numbers or not 1000 <= numbers[0] <= 2999:
        return ()
    if len(numbers) > 1 and not 1 <= numbers[1] <= 12:
        return (numbers[0],)
    if len(numbers) > 2 and not 1 <= numbers[2] <= 31:
        return (numbers[0], numbers[1])
    return tuple(numbers)


def _output_type(kind: str, given: str, container: str, arxiv: str, trust_type: bool) -> str:
    """Pick one of OUTPUT_TYPES. List text decides by the venue's wording; a service's
    type is trusted when it has a venue to go with it."""
    if kind == "dataset":
        return "dataset"
    mapped = _TYPE_MAP.get(given, "")
    # "project" is the list's guess (links but no paper link); a record found through the
    # work's own identifiers knows better (a Zenodo DOI that is a dataset is cited as one)
    if kind == "project" and not (trust_type and mapped):
        return "software"
    if mapped in {"dataset", "software"}:
        return mapped
    if not container:
        return "article"
    if trust_type and mapped:
        return mapped
    known = venues.lookup(container)
    if known:
        return known.csl_type
    return "paper-conference" if _CONFERENCE.search(container) else "article-journal"


def _github(value: Any) -> list[str]:
    repos = value if isinstance(value, list) else [value] if isinstance(value, str) else []
    cleaned = (clean_text(r, 200).lower() for r in repos if isinstance(r, str))
    return sorted({r for r in cleaned if github_ids.is_stored(r)})


def _stars(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _doi(value: Any) -> str:
    return doi_ids.stored(clean_text(_first_text(value), 300).lower())


def _arxiv(value: Any) -> str:
    return arxiv_ids.loose(clean_text(_first_text(value), 100))


def from_resolved(rw: ResolvedWork, key: str = "") -> Record:
    """A Record from resolve's output: service metadata first, the list's text as fallback."""
    csl, work = rw.csl, rw.work
    custom: dict[str, Any] = csl["custom"] if isinstance(csl.get("custom"), dict) else {}
    title = _first_text(csl.get("title")) or clean_text(work.title) or "Untitled"
    authors = _authors(csl.get("author")) or _authors(names.csl_names(work.authors))
    container = _first_text(csl.get("container-title"))
    list_container = "container-title" in rw.list_fields or not rw.verified
    if not container and work.venue:
        container, list_container = clean_text(work.venue, 300), True
    if container.lower() in _ARXIV_VENUES:
        container = ""
    # one spelling per venue: the list's text always, a registry's only where it abbreviates
    known = venues.lookup(container) if list_container else venues.expand(container)
    container = known.name if known else container
    # resolve writes the arXiv id arXiv confirmed (or the list's, unverified) and leaves out
    # one whose record named another paper: the work's own ids are no fallback
    arxiv = _arxiv(custom.get("arxiv"))
    doi = _doi(csl.get("DOI")) or _doi(work.ids.doi or "")
    trust = rw.verified and not list_container
    return Record(
        key=key,
        work_id=work.id,
        type=_output_type(work.kind, str(csl.get("type") or ""), container, arxiv, trust),
        title=title,
        original_title=_first_text(csl.get("original-title")),
        language=clean_text(csl.get("language"), 10),
        authors=authors,
        date=_date(csl.get("issued")) or _date(work.date),
        container=container,
        volume=_first_text(csl.get("volume"))[:50],
        issue=_first_text(csl.get("issue"))[:50],
        page=_first_text(csl.get("page"))[:50],
        publisher=_first_text(csl.get("publisher"))[:300],
        doi=doi,
        url=strip_tracking(_first_text(csl.get("URL")) or _list_url(rw))[:1000],
        arxiv=arxiv,
        primary_class=clean_text(custom.get("primary_class") or custom.get("primaryClass"), 30),
        github=_github(custom.get("github")) or _github(list(work.ids.github)),
        stars=_stars(custom.get("stars")),
        citations=_stars(custom.get("citations")),
        sources=sorted({p.source for p in work.places}),
        resolved_by=clean_text(rw.resolved_by, 40) or "list",
        confidence=max(0.0, min(1.0, float(rw.confidence))),
        verified=rw.verified,
    )


def _list_url(rw: ResolvedWork) -> str:
    """The list's own paper link (any link if none is marked as the paper)."""
    links = sorted(rw.work.links, key=lambda link: link.role != "paper")
    return clean_text(links[0].url) if links else ""


def to_item(record: Record) -> dict[str, Any]:
    """The CSL-JSON item of a record (schema: ../shared/schemas/csl-data.json)."""
    csl_type = _CSL_TYPE.get(record.type, record.type)
    item: dict[str, Any] = {"id": record.key, "citation-key": record.key, "type": csl_type}
    item["title"] = record.title
    if record.original_title:
        item["original-title"] = record.original_title
        item["language"] = record.language
    if record.authors:
        item["author"] = [_csl_person(n) for n in record.authors]
    if record.date:
        item["issued"] = {"date-parts": [list(record.date)]}
    for name, value in (
        ("container-title", record.container),
        ("volume", record.volume),
        ("issue", record.issue),
        ("page", record.page),
        ("publisher", record.publisher or ("arXiv" if is_preprint(record) else "")),
        # Zotero's preprint "Archive ID" (arXiv:…, as its arXiv translator writes it)
        ("number", f"arXiv:{record.arxiv}" if is_preprint(record) else ""),
        ("genre", _SOFTWARE_GENRE if record.type == "software" else ""),
        ("DOI", record.doi),
        ("URL", record.url or best_url(record)),
    ):
        if value:
            item[name] = value
    # Our own bookkeeping lives here, never in "note" (Zotero's Extra, printed by styles)
    custom: dict[str, Any] = {"work_id": record.work_id}
    if record.arxiv:
        custom["arxiv"] = record.arxiv
    if record.primary_class:
        custom["primary_class"] = record.primary_class
    custom["github"] = record.github
    custom["stars"] = record.stars
    custom["sources"] = record.sources
    custom["resolved_by"] = record.resolved_by
    custom["confidence"] = round(record.confidence, 3)
    custom["verified"] = record.verified
    if record.aliases:
        custom["aliases"] = record.aliases
    if record.citations is not None:
        custom["citations"] = record.citations
    if record.first_seen:
        custom["first_seen"] = record.first_seen
    item["custom"] = custom
    return item


def _csl_person(name: Name) -> dict[str, str]:
    if name.literal:
        return {"literal": name.literal}
    parts = {"family": name.family, "given": name.given, "suffix": name.suffix}
    return {k: v for k, v in parts.items() if v}


def from_item(item: dict[str, Any]) -> Record:
    """Read back an item written by :func:`to_item` (the previous output/papers.json)."""
    custom: dict[str, Any] = item["custom"] if isinstance(item.get("custom"), dict) else {}
    record_type = str(item.get("type") or "article")
    record_type = next((k for k, v in _CSL_TYPE.items() if v == record_type), record_type)
    publisher = _first_text(item.get("publisher"))
    arxiv = _arxiv(custom.get("arxiv"))
    record = Record(
        key=clean_text(item.get("id"), 100),
        work_id=clean_text(custom.get("work_id"), 300),
        type=record_type if record_type in OUTPUT_TYPES else "article",
        title=_first_text(item.get("title")),
        original_title=_first_text(item.get("original-title")),
        language=clean_text(item.get("language"), 10),
        authors=_authors(item.get("author")),
        date=_date(item.get("issued")),
        container=_first_text(item.get("container-title")),
        volume=_first_text(item.get("volume")),
        issue=_first_text(item.get("issue")),
        page=_first_text(item.get("page")),
        publisher=publisher,
        doi=_doi(item.get("DOI")),
        url=strip_tracking(_first_text(item.get("URL"))),
        arxiv=arxiv,
        primary_class=clean_text(custom.get("primary_class"), 30),
        github=_github(custom.get("github")),
        stars=_stars(custom.get("stars")),
        sources=sorted({clean_text(s, 100) for s in custom.get("sources") or [] if s}),
        resolved_by=clean_text(custom.get("resolved_by"), 40) or "list",
        confidence=float(custom.get("confidence") or 0.0),
        verified=bool(custom.get("verified", False)),
        aliases=sorted({clean_text(a, 100) for a in custom.get("aliases") or [] if a}),
        citations=_stars(custom.get("citations")),
        first_seen=clean_text(custom.get("first_seen"), 10),
    )
    # to_item fills these two for preprints; undo so the round trip is exact.
    if is_preprint(record) and record.publisher == "arXiv":
        record.publisher = ""
    if record.url == best_url(dataclasses.replace(record, url="")):
        record.url = ""
    return record


def is_preprint(record: Record) -> bool:
    """An arXiv preprint: no venue yet, its arXiv id known."""
    return record.type == "article" and bool(record.arxiv) and not record.container


def best_url(record: Record) -> str:
    """Where a reader finds the work: the DOI, else arXiv, else what the list linked."""
    if record.doi:
        return doi_ids.url_of(record.doi)
    if record.arxiv:
        return arxiv_ids.abs_url(record.arxiv)
    if record.github:
        return github_ids.home_url(record.github[0])
    return ""


_MERGE_FIELDS = ("authors", "date", "container", "volume", "issue", "page", "publisher")
_ALWAYS_FILL = ("doi", "url", "arxiv", "primary_class", "github", "stars", "citations")


def merge(new: Record, previous: Record) -> Record:
    """Never lose what the previous output knew (docs/design.md: output/ is last-known-good).

    Verified metadata is never replaced by list text; otherwise the new record wins and
    only its empty fields are filled from the previous one (descriptive fields only when
    the type did not change, so a preprint's fields never leak into its journal version).
    """
    if previous.verified and not new.verified:
        merged = dataclasses.replace(previous, key=new.key, work_id=new.work_id)
        merged.sources = new.sources or previous.sources
        merged.github = new.github or previous.github
        merged.stars = new.stars if new.stars is not None else previous.stars
        merged.citations = new.citations if new.citations is not None else previous.citations
        return merged
    merged = dataclasses.replace(new)
    names = _ALWAYS_FILL + (_MERGE_FIELDS if new.type == previous.type else ())
    for name in names:
        if getattr(merged, name) in ("", None, [], ()):
            setattr(merged, name, getattr(previous, name))
    return merged


SILENT_YEARS = 2
"""A repository not pushed to for this many years is marked silent."""


def silent(pushed_at: str | None, run_date: date) -> bool:
    """Whether a repository last pushed at ``pushed_at`` (GitHub's ISO time,
    ``RepoFacts.pushed_at``) has been silent for two years on ``run_date``."""
    try:
        pushed = date.fromisoformat(str(pushed_at or "")[:10])
    except ValueError:
        return False  # unknown is not silent
    year = run_date.year - SILENT_YEARS
    limit = run_date.replace(year=year, day=min(run_date.day, 28 if run_date.month == 2 else 31))
    return pushed <= limit

"""The fake world: metadata records for the works of the five source lists, built in code.

Every paper link in ``sources/*.md`` becomes a record of the service that owns it (arXiv id →
arXiv, IEEE / MDPI / ScienceDirect / ACM / Nature / T&F / AAAI → Crossref, Zenodo → DataCite
through doi.org, CVF / OpenReview → OpenAlex only), titled as the list first titles it.
Everything is derived deterministically (sha256, never ``hash()``) so runs are repeatable.

On top of that the world holds what the resolver must get right:

* published versions of preprints: RemoteCLIP (arXiv 2306.11029 → IEEE TGRS 2024,
  DOI 10.1109/tgrs.2024.3390838, stated by arXiv) and RSGPT (arXiv 2307.15266 → a 2024
  journal paper Crossref finds by title, arXiv states no DOI);
* decoys for the wrong-match guard: the same title by other authors, a journal paper with a
  similar title, and a near-title decoy for a CVF paper.

:func:`list_works` gives the lists' works as ``pipeline.models.Work`` objects (ids from the
links) for tests, until the scrape stage provides them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.models import Ids, Link, Work

SOURCES = Path(__file__).resolve().parents[2] / "sources"

FIRST = ["Wei", "Li", "Ana", "Jun", "Maria", "Tao", "Sven", "Yuki", "Omar", "Lena", "Hao", "Ravi"]
LAST = ["Zhang", "Wang", "Chen", "Schmidt", "Rossi", "Kim", "Tanaka", "Silva", "Novak", "Dubois"]

IEEE_JOURNALS = {
    "tgrs": "IEEE Transactions on Geoscience and Remote Sensing",
    "lgrs": "IEEE Geoscience and Remote Sensing Letters",
    "jstars": "IEEE Journal of Selected Topics in Applied Earth Observations and Remote Sensing",
}


@dataclass
class Record:
    """One work as the services know it. ``kind`` is Crossref's type vocabulary."""

    title: str
    authors: list[tuple[str, str]]
    year: int
    month: int = 1
    day: int = 1
    kind: str = "journal-article"
    doi: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    page: str | None = None
    publisher: str | None = None
    resource_url: str | None = None
    alternative_id: list[str] = field(default_factory=list)
    arxiv: str | None = None
    arxiv_doi: str | None = None
    journal_ref: str | None = None
    agency: str = "crossref"
    """``crossref``, ``datacite`` (doi.org only), ``arxiv`` or ``openalex`` (OpenAlex only)."""
    venue_type: str = "journal"
    english_title: str | None = None
    """Chinese journals deposit the English title beside the original (Crossref ``title``)."""
    versions: dict[int, str] = field(default_factory=dict)
    """arXiv only: titles of earlier versions (``{1: "…"}``) where a paper was renamed; the
    record's ``title`` is its latest version's."""

    @property
    def first_family(self) -> str:
        return self.authors[0][1] if self.authors else ""


@dataclass
class World:
    arxiv: dict[str, Record] = field(default_factory=dict)
    crossref: dict[str, Record] = field(default_factory=dict)
    datacite: dict[str, Record] = field(default_factory=dict)
    openalex_only: list[Record] = field(default_factory=list)
    decoys: list[Record] = field(default_factory=list)

    def crossref_records(self) -> list[Record]:
        return list(self.crossref.values())

    def openalex_records(self) -> list[Record]:
        """OpenAlex indexes everything: Crossref, DataCite, arXiv and its own-only records."""
        return (
            list(self.crossref.values())
            + list(self.datacite.values())
            + list(self.arxiv.values())
            + self.openalex_only
        )


def digest(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def fake_authors(seed: str, count: int = 3) -> list[tuple[str, str]]:
    n = digest(seed)
    return [
        (FIRST[(n >> (4 * i)) % len(FIRST)], LAST[(n >> (4 * i + 2)) % len(LAST)])
        for i in range(count)
    ]


def parse_author(text: str) -> tuple[str, str] | None:
    text = re.sub(r"\bet al\.?$", "", _clean(text)).strip(" .&")
    if not text or text in {"...", "…"}:
        return None
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
        return given, family
    parts = text.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", parts[0])


# -- reading the lists ------------------------------------------------------------------
PAPER_HOSTS = re.compile(
    r"arxiv\.org|ieeexplore|mdpi\.com|sciencedirect|dl\.acm\.org|nature\.com|tandfonline|"
    r"doi\.org|ojs\.aaai\.org|zenodo\.org|openaccess\.thecvf\.com|openreview\.net|"
    r"/article/doi/10\."
)
LINK = re.compile(r"\[+([^\]]*)\]+\((https?://[^)\s]+)\)")
BOLD = re.compile(r"\*\*([^*]+)\*\*")
YEAR = re.compile(r"(?<!\d)(20[0-2]\d|19\d\d)(?!\d)")
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.IGNORECASE)
IEEE = re.compile(
    r"ieeexplore\.ieee\.org/(?:(?:abstract/)?document/(\d+)|iel\d+/\d+/\d+/0*(\d+)\.pdf)"
)
MDPI = re.compile(r"mdpi\.com/(\d{4}-\d{3}[\dX])/(\d+)/(\d+)/(\d+)")
MDPI_CODES = {
    "2072-4292": ("rs", "Remote Sensing"),
    "2076-3417": ("app", "Applied Sciences"),
    "2227-7390": ("math", "Mathematics"),
}
PII = re.compile(r"pii/(S[0-9X]{16})", re.IGNORECASE)
DOI_IN_URL = re.compile(r"(10\.\d{4,9}/[^?#\s]+?)/?(?:[?#]|$)")


@dataclass
class Line:
    source: str
    number: int
    title: str
    url: str
    authors: list[tuple[str, str]]
    year: int | None
    venue: str | None


def _registry_word(word: str) -> str:
    """A word as a registry holds it: the lists' Mac Roman mojibake (``L√ºddecke``) undone,
    since the services have the names and titles right."""
    try:
        return word.encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return word


def _clean(text: str) -> str:
    return " ".join(_registry_word(w) for w in text.replace("**", "").split()).strip()


def _logical_lines(path: Path) -> list[tuple[int, str]]:
    """Lines of a list, an entry whose bold title wraps onto the next line joined to it."""
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if pending is not None:
            number, raw = pending[0], pending[1] + " " + raw.strip()
            pending = None
        if raw.count("**") % 2 == 1:
            pending = (number, raw)
            continue
        out.append((number, raw))
    if pending is not None:
        out.append(pending)
    return out


def read_lines() -> list[Line]:
    """Every list line with a paper link: its title, link, authors and year."""
    found: list[Line] = []
    for path in sorted(SOURCES.glob("*.md")):
        for number, raw in _logical_lines(path):
            links = [(t, u) for t, u in LINK.findall(raw) if PAPER_HOSTS.search(u)]
            if not links:
                continue
            text, url = links[0]
            bolds = [_clean(b) for b in BOLD.findall(raw)]
            candidates = [b for b in bolds if len(b) > 12] + [_clean(text)]
            title = max(candidates, key=len) if candidates else _clean(text)
            title = title.strip("[] ")
            if len(title) < 3 or title.lower() in {"pdf", "paper", "link"}:
                continue
            # Later paper links on the line are their own works when their text is a title.
            targets = [(title, url)] + [
                (_clean(t) if len(_clean(t)) > 12 else title, u)
                for t, u in links[1:]
                if u != url and (len(_clean(t)) > 12 or ARXIV.search(u))
            ]
            authors: list[tuple[str, str]] = []
            if "<br>" in raw:
                # The authors follow the chunk holding the bold title link.
                chunks = raw.split("<br>")
                at = next((i for i, c in enumerate(chunks) if "**" in c), len(chunks))
                if at + 1 < len(chunks) - 1 or (at + 1 < len(chunks) and "|" not in chunks[at + 1]):
                    text_authors = chunks[at + 1].split("|")[0]
                    names = [parse_author(a) for a in re.split(r",\s*(?![A-Z]\.)|&", text_authors)]
                    authors = [a for a in names if a and not LINK.search(a[1])][:8]
            without_urls = LINK.sub(lambda m: m.group(1), raw)
            years = YEAR.findall(without_urls)
            venue_match = re.search(r"\|\s*([A-Za-z][\w &-]{1,40}?)\s*\|", without_urls)
            for index, (target_title, target_url) in enumerate(targets):
                found.append(
                    Line(
                        source=path.stem,
                        number=number,
                        title=target_title,
                        url=target_url,
                        authors=authors if index == 0 else [],
                        year=int(years[0]) if years else None,
                        venue=venue_match.group(1).strip() if venue_match else None,
                    )
                )
    return found


# -- building the world -------------------------------------------------------------------
REMOTECLIP_ARXIV = "2306.11029"
REMOTECLIP_DOI = "10.1109/tgrs.2024.3390838"
RSGPT_ARXIV = "2307.15266"
RSGPT_DOI = "10.1016/j.isprsjprs.2024.100001"
SAME_TITLE_ARXIV = "2304.13009"  # The Potential of Visual ChatGPT For Remote Sensing
SIMILAR_TITLE_ARXIV = "2311.15826"  # GeoChat: no published version in this world
DIRECTIONS_ARXIV = "2305.05726"  # Vision-Language Models in Remote Sensing: … Future Trends
DECOY_DIRECTIONS_DOI = "10.5555/decoy.future-directions"
DECOY_SAME_TITLE_DOI = "10.5555/decoy.same-title"
DECOY_SIMILAR_DOI = "10.5555/decoy.similar-title"
DECOY_CVF_DOI = "10.5555/decoy.cvf"
UNKNOWN_TITLE = "A Work No Service Knows About"


def fold(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


# Authors by folded title: the same paper has the same authors wherever a list names it.
_AUTHORS: dict[str, list[tuple[str, str]]] = {}


def _authors(line: Line) -> list[tuple[str, str]]:
    return _AUTHORS.get(fold(line.title)) or fake_authors(fold(line.title))


def _arxiv_record(line: Line, key: str) -> Record:
    year, month = 2000 + int(key[:2]), int(key[2:4])
    return Record(
        title=line.title,
        authors=_authors(line),
        year=year,
        month=month,
        day=1 + digest(key) % 28,
        kind="posted-content",
        arxiv=key,
        agency="arxiv",
    )


def _crossref_record(line: Line, doi: str, **extra: object) -> Record:
    year = line.year or 2022
    record = Record(
        title=line.title,
        authors=_authors(line),
        year=year,
        month=1 + digest(doi) % 12,
        doi=doi.lower(),
        volume=str(year - 1962),
        page=f"{1 + digest(doi) % 900}-{12 + digest(doi) % 900}",
    )
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def _add_line(world: World, line: Line) -> None:
    url = line.url
    if m := ARXIV.search(url):
        world.arxiv.setdefault(m.group(1), _arxiv_record(line, m.group(1)))
    elif m := IEEE.search(url):
        number = m.group(1) or m.group(2)
        code = ["tgrs", "lgrs", "jstars"][digest(number) % 3]
        doi = f"10.1109/{code}.{line.year or 2021}.{number}"
        if not any(
            r.resource_url and f"/document/{number}/" in r.resource_url
            for r in world.crossref.values()
        ):
            world.crossref[doi] = _crossref_record(
                line,
                doi,
                container=IEEE_JOURNALS[code],
                publisher="Institute of Electrical and Electronics Engineers (IEEE)",
                resource_url=f"http://ieeexplore.ieee.org/document/{number}/",
            )
    elif (m := MDPI.search(url)) and m.group(1) in MDPI_CODES:
        code, journal = MDPI_CODES[m.group(1)]
        vol, issue, no = (int(x) for x in m.groups()[1:])
        doi = f"10.3390/{code}{vol:02d}{issue:02d}{no:04d}"
        world.crossref.setdefault(
            doi,
            _crossref_record(
                line,
                doi,
                container=journal,
                publisher="MDPI AG",
                volume=str(vol),
                issue=str(issue),
                page=str(no),
                resource_url=f"https://www.mdpi.com/{m.group(1)}/{vol}/{issue}/{no}",
            ),
        )
    elif m := PII.search(url):
        pii = m.group(1)
        doi = f"10.1016/j.rse.{line.year or 2022}.{digest(pii) % 1000000:06d}"
        world.crossref.setdefault(
            doi,
            _crossref_record(
                line,
                doi,
                container="Remote Sensing of Environment",
                publisher="Elsevier BV",
                alternative_id=[pii],
                resource_url=f"https://linkinghub.elsevier.com/retrieve/pii/{pii}",
            ),
        )
    elif "zenodo.org" in url:
        number = re.sub(r"\D", "", url.rsplit("/", 1)[-1])
        doi = f"10.5281/zenodo.{number}"
        world.datacite.setdefault(
            doi,
            _crossref_record(line, doi, kind="dataset", publisher="Zenodo", agency="datacite"),
        )
    elif "ojs.aaai.org" in url:
        number = url.rstrip("/").rsplit("/", 1)[-1]
        doi = f"10.1609/aaai.v39i{1 + digest(number) % 9}.{number}"
        world.crossref.setdefault(
            doi,
            _crossref_record(
                line,
                doi,
                kind="proceedings-article",
                container="Proceedings of the AAAI Conference on Artificial Intelligence",
                publisher="Association for the Advancement of Artificial Intelligence (AAAI)",
                resource_url=url,
            ),
        )
    elif m := DOI_IN_URL.search(url):
        doi = m.group(1).lower()
        publisher = {
            "10.1145": "Association for Computing Machinery (ACM)",
            "10.1080": "Informa UK Limited",
            "10.1609": "Association for the Advancement of Artificial Intelligence (AAAI)",
        }.get(doi.split("/")[0], "Springer Science and Business Media LLC")
        kind = (
            "proceedings-article" if doi.startswith(("10.1145", "10.1609")) else "journal-article"
        )
        world.crossref.setdefault(
            doi, _crossref_record(line, doi, kind=kind, publisher=publisher, container=line.venue)
        )
    elif "nature.com/articles/" in url:
        doi = "10.1038/" + url.rstrip("/").rsplit("/", 1)[-1]
        world.crossref.setdefault(
            doi,
            _crossref_record(
                line,
                doi,
                container="Nature Machine Intelligence",
                publisher="Springer Science and Business Media LLC",
            ),
        )
    elif ("thecvf.com" in url or "openreview.net" in url) and not any(
        r.title == line.title for r in world.openalex_only
    ):
        world.openalex_only.append(
            Record(
                title=line.title,
                authors=_authors(line),
                year=line.year or 2021,
                kind="proceedings-article",
                container=line.venue or "CVPR",
                agency="openalex",
                venue_type="conference",
                resource_url=url,
            )
        )


def _published_versions(world: World) -> None:
    clip = world.arxiv.get(REMOTECLIP_ARXIV)
    if clip is not None:
        clip.arxiv_doi = REMOTECLIP_DOI
        clip.journal_ref = "IEEE Transactions on Geoscience and Remote Sensing, vol. 62, 2024"
        # The list's IEEE link to the published paper is this record, not another one.
        resource = "http://ieeexplore.ieee.org/document/10504785/"
        for doi in [d for d, r in world.crossref.items() if r.resource_url == resource]:
            del world.crossref[doi]
        clip.authors = [
            ("Fan", "Liu"),
            ("Delong", "Chen"),
            ("Zhangqingyun", "Guan"),
            *clip.authors[3:],
        ]
        world.crossref[REMOTECLIP_DOI] = Record(
            title=clip.title,
            authors=[*clip.authors[:3], ("Xiaocong", "Zhou"), ("Jun", "Zhou")],
            year=2024,
            month=4,
            day=17,
            doi=REMOTECLIP_DOI,
            container=IEEE_JOURNALS["tgrs"],
            volume="62",
            page="1-16",
            publisher="Institute of Electrical and Electronics Engineers (IEEE)",
            resource_url="http://ieeexplore.ieee.org/document/10504785/",
        )
    rsgpt = world.arxiv.get(RSGPT_ARXIV)
    if rsgpt is not None:
        world.crossref[RSGPT_DOI] = Record(
            title=rsgpt.title,
            authors=rsgpt.authors,
            year=rsgpt.year + 1,
            month=5,
            doi=RSGPT_DOI,
            container="ISPRS Journal of Photogrammetry and Remote Sensing",
            volume="211",
            page="1-15",
            publisher="Elsevier BV",
        )


def _decoys(world: World) -> None:
    same = world.arxiv.get(SAME_TITLE_ARXIV)
    if same is not None:
        # The same title by other people, in the same year: must not become the preprint's
        # published version.
        world.crossref[DECOY_SAME_TITLE_DOI] = Record(
            title=same.title,
            authors=[("Quentin", "Decoy"), ("Rita", "Other")],
            year=same.year,
            doi=DECOY_SAME_TITLE_DOI,
            container="Journal of Unrelated Studies",
            publisher="Decoy Press",
        )
    similar = world.arxiv.get(SIMILAR_TITLE_ARXIV)
    if similar is not None:
        # Same first author, same year, title similarity just under the threshold (0.94).
        world.crossref[DECOY_SIMILAR_DOI] = Record(
            title=similar.title + " Imagery",
            authors=[similar.authors[0], ("Una", "Related")],
            year=similar.year,
            doi=DECOY_SIMILAR_DOI,
            container="Journal of Unrelated Studies",
            publisher="Decoy Press",
        )
    directions = world.arxiv.get(DIRECTIONS_ARXIV)
    if directions is not None:
        # Beside the preprint's real published version (IEEE), a near-title decoy.
        world.crossref[DECOY_DIRECTIONS_DOI] = Record(
            title=directions.title.replace("Future Trends", "Future Directions"),
            authors=[directions.authors[0]],
            year=directions.year,
            doi=DECOY_DIRECTIONS_DOI,
            container="Journal of Unrelated Studies",
            publisher="Decoy Press",
        )
    cvf = next(
        (r for r in world.openalex_only if r.title == "Geography-Aware Self-Supervised Learning"),
        None,
    )
    if cvf is not None:
        world.crossref[DECOY_CVF_DOI] = Record(
            title=cvf.title + " for Remote Sensing Change Detection",
            authors=[("Pat", "Elsewhere")],
            year=cvf.year,
            doi=DECOY_CVF_DOI,
            container="Journal of Unrelated Studies",
            publisher="Decoy Press",
        )


H2RSVLM_ARXIV = "2403.20213"
H2RSVLM_V1 = "H2RSVLM: Towards Helpful and Honest Remote Sensing Large Vision Language Model"
VHM_TITLE = "VHM: Versatile and Honest Vision Language Model for Remote Sensing Image Analysis"
TEMPORAL_ARXIV = "2412.02573"
TEMPORAL_TITLE = "Remote Sensing Temporal Vision-Language Models: A Comprehensive Survey"
RS_GPT4V_TITLE = (
    "RS-GPT4V: A Unified Multimodal Instruction-Following Dataset for Remote Sensing Image "
    "Understanding"
)


def _as_registries_have_them(world: World) -> None:
    """Records as the real services title them, where the lists' first mention does not:

    * arXiv 2403.20213 was renamed in v2: v1 "H2RSVLM: …" (what the lists copy), now "VHM: …",
      published at AAAI 2025 (arXiv states the DOI of the AAAI record the lists also link);
    * arXiv 2412.02573 is the temporal VLM survey (rs-mllm.md:138 puts its link beside another
      survey's title; the world would otherwise take that title);
    * RS-GPT4V, which rs-mllm.md:185 links to another paper's arXiv id, is known to OpenAlex.
    """
    renamed = world.arxiv.get(H2RSVLM_ARXIV)
    aaai = next((d for d, r in world.crossref.items() if r.title == VHM_TITLE), None)
    if renamed is not None:
        renamed.versions = {1: H2RSVLM_V1}
        renamed.title = VHM_TITLE
        if aaai is not None:
            renamed.arxiv_doi = aaai
            world.crossref[aaai].authors = renamed.authors
    temporal = world.arxiv.get(TEMPORAL_ARXIV)
    if temporal is not None:
        temporal.title = TEMPORAL_TITLE
        temporal.authors = fake_authors(fold(TEMPORAL_TITLE))
    world.openalex_only.append(
        Record(
            title=RS_GPT4V_TITLE,
            authors=fake_authors(fold(RS_GPT4V_TITLE)),
            year=2024,
            kind="posted-content",
            container="arXiv (Cornell University)",
            agency="openalex",
            venue_type="repository",
        )
    )


ZENODO_DOI = "10.5281/zenodo.11003436"  # ChatEarthNet's data, linked from rs-mllm.md
# A Chinese paper of the lists as its journal deposits it: the English title beside the
# original, and the journal's English name.
ENGLISH_TITLES = {
    "遥感基础模型发展综述与未来设想": (
        "Review and prospect of remote sensing foundation models",
        "National Remote Sensing Bulletin",
    ),
}


@lru_cache(maxsize=1)
def build_world() -> World:
    """The world of the five lists (cached: it is the same every time)."""
    world = World()
    lines = read_lines()
    for line in lines:
        if line.authors:
            _AUTHORS.setdefault(fold(line.title), line.authors)
    for line in lines:
        _add_line(world, line)
    world.datacite[ZENODO_DOI] = Record(
        title="ChatEarthNet: A Global-Scale Image-Text Dataset for Remote Sensing",
        authors=[("Zhenghang", "Yuan"), ("Zhitong", "Xiong")],
        year=2024,
        kind="dataset",
        doi=ZENODO_DOI,
        publisher="Zenodo",
        agency="datacite",
    )
    _published_versions(world)
    _decoys(world)
    _as_registries_have_them(world)
    for record in world.crossref.values():
        if record.title in ENGLISH_TITLES:
            record.english_title, record.container = ENGLISH_TITLES[record.title]
    return world


# -- the lists' works, for tests ------------------------------------------------------------
def list_works() -> list[Work]:
    """One Work per distinct paper link in the lists, with ids from the link (like scrape)."""
    works: dict[str, Work] = {}
    for line in read_lines():
        ids = Ids()
        if m := ARXIV.search(line.url):
            ids.arxiv = m.group(1)
            key = f"arxiv:{ids.arxiv}"
        elif m := IEEE.search(line.url):
            ids.ieee = m.group(1) or m.group(2)
            key = f"ieee:{ids.ieee}:{line.title.lower()}"
        elif (m := DOI_IN_URL.search(line.url)) and "doi.org/" in line.url:
            ids.doi = m.group(1).lower()
            key = f"doi:{ids.doi}"
        else:
            key = f"title:{hashlib.sha256(line.title.lower().encode()).hexdigest()[:12]}"
        if key in works:
            continue
        works[key] = Work(
            id=key
            if not key.startswith("ieee:")
            else f"ieee:{ids.ieee}:{digest(line.title) % 10000}",
            kind="paper",
            title=line.title,
            authors=[f"{given} {family}".strip() for given, family in line.authors],
            venue=line.venue,
            date=str(line.year) if line.year else None,
            links=[Link(url=line.url, role="paper")],
            ids=ids,
        )
    return list(works.values())

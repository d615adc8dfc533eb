"""One spelling per venue, with its type: the venue table (pipeline/ids/venues.py) against the
venues the lists really write, the LTWA, and the outputs it decides."""

from __future__ import annotations

from collections import defaultdict

import pytest
from pyiso4.ltwa import Abbreviate

from pipeline.config import load_settings
from pipeline.emit.bibtex import entry_fields, entry_type
from pipeline.emit.records import from_resolved, to_item
from pipeline.ids import venues
from pipeline.models import ResolvedWork, Work
from pipeline.resolve.csl import list_to_csl
from pipeline.resolve.findings import _venue
from pipeline.scrape import scrape_files
from tests.conftest import REPO

TGRS = "IEEE Transactions on Geoscience and Remote Sensing"
JSTARS = "IEEE Journal of Selected Topics in Applied Earth Observations and Remote Sensing"
CVPR = "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)"
CVPRW = (
    "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition "
    "Workshops (CVPRW)"
)

# What the lists write (sources/*.md and ../shared/lists/*.md) → the one spelling and type.
REAL_VENUES = [
    ("TGRS", TGRS, "journal"),
    ("T-GRS", TGRS, "journal"),
    ("TGARS", TGRS, "journal"),
    ("JSTARS", JSTARS, "journal"),
    ("J-STARS", JSTARS, "journal"),
    ("JSTAR", JSTARS, "journal"),
    ("Remote Sensing", "Remote Sensing", "journal"),
    ("remote sensing", "Remote Sensing", "journal"),
    ("RS", "Remote Sensing", "journal"),
    ("GRSL", "IEEE Geoscience and Remote Sensing Letters", "journal"),
    ("LGRS", "IEEE Geoscience and Remote Sensing Letters", "journal"),
    ("MGRS", "IEEE Geoscience and Remote Sensing Magazine", "journal"),
    ("GRSM", "IEEE Geoscience and Remote Sensing Magazine", "journal"),
    ("ISPRS P&RS", "ISPRS Journal of Photogrammetry and Remote Sensing", "journal"),
    ("RSE", "Remote Sensing of Environment", "journal"),
    ("JAG", "International Journal of Applied Earth Observation and Geoinformation", "journal"),
    (
        "INT J APPL EARTH OBS",
        "International Journal of Applied Earth Observation and Geoinformation",
        "journal",
    ),
    ("J SYST ENG ELECTRON", "Journal of Systems Engineering and Electronics", "journal"),
    ("IJRS", "International Journal of Remote Sensing", "journal"),
    ("IJDE2023", "International Journal of Digital Earth", "journal"),
    ("GSIS2022", "Geo-spatial Information Science", "journal"),
    ("IEEE PROC 2022", "Proceedings of the IEEE", "journal"),
    ("PR Letters", "Pattern Recognition Letters", "journal"),
    ("Sci. China Inf. Sci", "Science China Information Sciences", "journal"),
    ("MDPI Electronics", "Electronics", "journal"),
    ("TMLR", "Transactions on Machine Learning Research", "journal"),
    ("CVPR", CVPR, "proceedings"),
    ("CVPR-25", CVPR, "proceedings"),
    ("CVPR '24", CVPR, "proceedings"),
    ("CVPRW", CVPRW, "proceedings"),
    ("CVPR2024W", CVPRW, "proceedings"),
    ("ICCV Highlight", "Proceedings of the IEEE/CVF International Conference on Computer Vision (ICCV)", "proceedings"),
    ("NeurIPS", "Advances in Neural Information Processing Systems (NeurIPS)", "proceedings"),
    ("ACMMM", "Proceedings of the ACM International Conference on Multimedia (ACM MM)", "proceedings"),
    ("ACM MM", "Proceedings of the ACM International Conference on Multimedia (ACM MM)", "proceedings"),
    ("ICMR", "Proceedings of the ACM International Conference on Multimedia Retrieval (ICMR)", "proceedings"),
    ("DICTA", "International Conference on Digital Image Computing: Techniques and Applications (DICTA)", "proceedings"),
    ("IGARSS", "IEEE International Geoscience and Remote Sensing Symposium (IGARSS)", "proceedings"),
    ("JURSE", "Joint Urban Remote Sensing Event (JURSE)", "proceedings"),
    ("ECML-PKDD", "Joint European Conference on Machine Learning and Knowledge Discovery in Databases (ECML PKDD)", "proceedings"),
    ("CITS", "International Conference on Computer, Information and Telecommunication Systems (CITS)", "proceedings"),
    ("ICECE", "International Conference on Electrical and Computer Engineering (ICECE)", "proceedings"),
    ("CDCEO", "Workshop on Complex Data Challenges in Earth Observation (CDCEO)", "proceedings"),
    ("AAAI2024", "Proceedings of the AAAI Conference on Artificial Intelligence", "proceedings"),
    ("6th Annual Conference on Robot Learning", "Conference on Robot Learning (CoRL)", "proceedings"),
    ("International Conference on Robotics and Automation (ICRA)", "IEEE International Conference on Robotics and Automation (ICRA)", "proceedings"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "name", "kind"), REAL_VENUES)
def test_real_venues_have_one_spelling(text: str, name: str, kind: str) -> None:
    venue = venues.lookup(text)
    assert venue is not None, text
    assert (venue.name, venue.kind) == (name, kind)
    assert venues.lookup(venue.name) is venue  # the one spelling reads back as itself


@pytest.mark.parametrize(
    "text",
    [
        "arXiv",
        "IEEE",
        "MM",
        "CoRL Workshop",
        "JAG2025, ISPRS P&RS 2024",
        "武汉大学学报 (信息科学版)",
        "",
    ],
)
def test_unknown_or_ambiguous_venues_stay_as_written(text: str) -> None:
    assert venues.lookup(text) is None
    assert venues.label(text) == text


def test_the_table_is_well_formed() -> None:
    seen: dict[str, str] = {}
    for venue in venues.VENUES:
        assert venue.source, venue.name
        assert venue.name == venue.name.strip() and "  " not in venue.name
        for k in venue.lookup_keys():
            assert seen.setdefault(k, venue.name) == venue.name, f"{k}: two venues"
        assert venues.lookup(venue.name) is venue and venues.lookup(venue.label) is venue


def test_iso4_column_is_the_ltwa_abbreviation() -> None:
    """The ISO 4 abbreviations come from the ISSN's List of Title Word Abbreviations, as the
    pyiso4 package ships it (punctuation aside: pyiso4 writes "Remote." for "Remote")."""
    ltwa = Abbreviate.create()
    rows = [v for v in venues.VENUES if v.kind == "journal" and v.iso4]
    assert len(rows) > 30
    for venue in rows:
        assert venues.key(ltwa(venue.name, remove_part=True)) == venues.key(venue.iso4), venue.name


def test_registry_containers_stay_unless_abbreviated() -> None:
    assert venues.expand("IEEE Trans. Geosci. Remote Sens.").name == TGRS  # type: ignore[union-attr]
    assert venues.expand("TGRS").name == TGRS  # type: ignore[union-attr]
    # a full title, even one the table knows, is the registry's own
    assert venues.expand(TGRS) is None
    assert (
        venues.expand("2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)")
        is None
    )
    assert venues.expand("Remote Sensing") is None


def test_trailing_venue_is_split_off_the_title() -> None:
    # sources/rs-vlm.md (anon2021crossmodal)
    title = (
        "Cross-Modal Visual Question Answering for Remote Sensing Data: The International "
        "Conference on Digital Image Computing: Techniques and Applications"
    )
    head, venue = venues.split_title(title)
    assert head == "Cross-Modal Visual Question Answering for Remote Sensing Data"
    assert venues.lookup(venue).short == "DICTA"  # type: ignore[union-attr]
    # a known venue name without a venue word or a year is left in the title
    for title in ("Deep Learning for Change Detection: Remote Sensing", "RSGPT: CVPR"):
        assert venues.split_title(title) == (title, None)
    assert venues.split_title("A Survey of Models - CVPR 2024") == (
        "A Survey of Models",
        "CVPR 2024",
    )


def _work(venue: str | None, kind: str = "paper", title: str = "A title") -> Work:
    return Work(id="w", kind=kind, title=title, venue=venue)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("venue", "csl_type", "bib_type", "field"),
    [
        ("T-GRS", "article-journal", "article", "journal"),
        ("CVPRW", "paper-conference", "inproceedings", "booktitle"),
        ("ICMR", "paper-conference", "inproceedings", "booktitle"),
        ("Proceedings of the IEEE", "article-journal", "article", "journal"),
        ("Some Unknown Journal", "article-journal", "article", "journal"),
        ("Some Unknown Conference", "paper-conference", "inproceedings", "booktitle"),
    ],
)
def test_list_venue_decides_type_and_spelling(
    venue: str, csl_type: str, bib_type: str, field: str
) -> None:
    known = venues.lookup(venue)
    name = known.name if known else venue
    csl = list_to_csl(_work(venue))
    assert csl["container-title"] == name
    assert csl["type"] == csl_type or known is None  # emit decides an unknown venue's type
    record = from_resolved(ResolvedWork(work=_work(venue), csl=csl), key="k")
    assert (record.type, record.container) == (csl_type, name)
    assert to_item(record)["container-title"] == name
    assert entry_type(record) == bib_type
    assert dict(entry_fields(record))[field].replace("\\&", "&") == name.replace("\\&", "&")


def test_a_registry_keeps_its_container_and_type() -> None:
    registry = {
        "type": "paper-conference",
        "title": "A title",
        "container-title": "2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)",
    }
    rw = ResolvedWork(work=_work("CVPR"), csl=registry, resolved_by="crossref", verified=True)
    record = from_resolved(rw, key="k")
    assert record.container == registry["container-title"]
    registry = {
        "type": "journal-article",
        "title": "A title",
        "container-title": "IEEE Trans. Geosci. Remote Sens.",
    }
    rw = ResolvedWork(work=_work(None), csl=registry, resolved_by="crossref", verified=True)
    record = from_resolved(rw, key="k")
    assert (record.container, record.type) == (TGRS, "article-journal")
    # a verified preprint whose venue only the list gives: the list's venue, the table's spelling
    preprint = {"type": "article", "title": "A title", "custom": {"arxiv": "2401.00001"}}
    rw = ResolvedWork(
        work=_work("CVPR 2024"), csl=dict(preprint, **{"container-title": "CVPR 2024"}),
        resolved_by="arxiv", verified=True, list_fields=["container-title"],
    )  # fmt: skip
    record = from_resolved(rw, key="k")
    assert (record.container, record.type) == (CVPR, "paper-conference")


def test_list_spellings_agree_in_disagreement_checks() -> None:
    assert _venue("T-GRS") & _venue(TGRS)
    assert _venue("TGRS") & _venue("IEEE Trans. Geosci. Remote Sens.")
    assert not _venue("TGRS") & _venue("CVPR")


def test_the_project_lists_get_one_spelling_per_venue() -> None:
    """Every venue of sources/*.md through list_to_csl: what the table knows has one spelling
    whatever the list wrote, and the lists' own spellings never reach container-title."""
    works = scrape_files(load_settings(root=REPO, environ={})).works
    written: dict[str, set[str]] = defaultdict(set)
    for work in works:
        known = venues.lookup(work.venue)
        if known is None:
            continue
        csl = list_to_csl(work)
        assert csl["container-title"] == known.name, work.venue
        assert csl["type"] == ("dataset" if work.kind == "dataset" else known.csl_type)
        written[known.name].add(work.venue or "")
    tgrs = written[TGRS]
    assert {"TGRS", "T-GRS"} <= tgrs
    assert {"JSTARS", "J-STARS"} <= written[JSTARS]
    assert {"Remote Sensing", "remote sensing", "RS"} <= written["Remote Sensing"]
    crossmodal = next(w for w in works if w.id == "ieee:9647287")
    assert crossmodal.title == "Cross-Modal Visual Question Answering for Remote Sensing Data"
    assert list_to_csl(crossmodal)["type"] == "paper-conference"

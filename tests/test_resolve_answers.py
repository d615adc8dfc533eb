"""Answers that parse but are not about what was asked, and answers without a record.

A Crossref or doi.org record about another DOI, an arXiv feed with entries for ids not asked,
an envelope without a record: each is a failed answer (retried, never cached, the service
reported degraded), never applied to the work, and a work known before keeps its record. A
real 404 stays "not found". A verified record is never replaced by a less authoritative one.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
import requests

from pipeline.cache import CachedResponse, HttpCache, request_key
from pipeline.ids.arxiv import canonical
from pipeline.models import Ids, Link, ResolvedWork, Work, to_json
from pipeline.resolve.arxiv import feed_check
from tests.conftest import SHARED, require_shared
from tests.fakeweb import FakeWeb
from tests.fakeweb.arxiv import entry, feed
from tests.fakeweb.crossref import message
from tests.fakeweb.doi import csl_item
from tests.fakeweb.world import REMOTECLIP_ARXIV, REMOTECLIP_DOI, RSGPT_DOI, ZENODO_DOI, build_world
from tests.helpers.resolve import FAST, fast_settings, run

pytestmark = pytest.mark.network

MDPI_DOI = "10.3390/rs12030405"
MDPI_WORK = Work(
    id="title:textrs",
    kind="paper",
    title="TextRS: Deep Bidirectional Triplet Network for Matching Text to Remote Sensing Images",
    links=[Link("https://www.mdpi.com/2072-4292/12/3/405/pdf", "paper")],
)
ZENODO_WORK = Work(
    id="title:chatearthnet-data",
    kind="dataset",
    title="ChatEarthNet data",
    links=[Link("https://zenodo.org/records/11003436", "dataset")],
)
CLIP_WORK = Work(
    id=f"arxiv:{REMOTECLIP_ARXIV}",
    kind="paper",
    title="RemoteCLIP",
    ids=Ids(arxiv=REMOTECLIP_ARXIV),
)

WORLD = build_world()
OTHER = WORLD.crossref["10.1109/tgrs.2024.3390838"]  # a real record, about RemoteCLIP
assert OTHER.doi == REMOTECLIP_DOI


def crossref_work_body(doi: str) -> bytes:
    """A well-formed ``/works/{doi}`` answer about ``doi``."""
    body = {"status": "ok", "message-type": "work", "message": message(WORLD.crossref[doi])}
    return json.dumps(body).encode()


EMPTY_LIST = json.dumps(
    {"status": "ok", "message-type": "work-list", "message": {"items": []}}
).encode()


def rerun_without_cache(
    fakeweb: FakeWeb, tmp_path: Path, works: list[Work]
) -> tuple[dict[str, ResolvedWork], FakeWeb]:
    """A clean run (its records become the last known ones), then the cache removed."""
    settings = fast_settings(fakeweb, tmp_path)
    _report, before = run(settings, works)
    shutil.rmtree(settings.cache_path)
    fakeweb.clear()
    return before, fakeweb


def assert_kept(before: dict[str, ResolvedWork], after: dict[str, ResolvedWork]) -> None:
    for work_id, rw in before.items():
        assert rw.verified, work_id
        assert to_json(after[work_id].csl) == to_json(rw.csl), work_id
        assert after[work_id].resolved_by == rw.resolved_by


# -- Crossref ----------------------------------------------------------------------------------


def test_crossref_record_about_another_doi_is_refused(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault(
        "malformed", r"/crossref/works/10\.3390", body=crossref_work_body(REMOTECLIP_DOI)
    )
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    rw = resolved[MDPI_WORK.id]
    # Crossref's answer is refused; doi.org then answers about the DOI asked.
    assert (rw.resolved_by, rw.csl["DOI"]) == ("doi", MDPI_DOI)
    assert rw.csl["title"] != OTHER.title
    assert report.degraded == ["crossref"]
    assert len(fakeweb.requests_to("/crossref/works/10.3390")) == FAST.retry_attempts

    # Nothing of it was cached: the next run asks Crossref again and gets the record.
    fakeweb.clear()
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    assert len(fakeweb.requests_to("/crossref/works/10.3390")) == 1
    assert (resolved[MDPI_WORK.id].resolved_by, report.degraded) == ("crossref", [])


def test_wrong_record_keeps_the_last_known_one(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works = [MDPI_WORK, CLIP_WORK]
    before, web = rerun_without_cache(fakeweb, tmp_path, works)
    assert before[CLIP_WORK.id].preprint_of == REMOTECLIP_ARXIV
    other = crossref_work_body(RSGPT_DOI)
    web.add_fault("malformed", "/crossref/", body=other)
    report, after = run(fast_settings(web, tmp_path), works)
    assert_kept(before, after)
    assert "crossref" in report.degraded
    assert report.counts["last-known"] == 2


def test_empty_crossref_answer_is_a_failure_not_a_miss(fakeweb: FakeWeb, tmp_path: Path) -> None:
    before, web = rerun_without_cache(fakeweb, tmp_path, [CLIP_WORK])
    web.add_fault("malformed", "/crossref/", body=EMPTY_LIST)
    report, after = run(fast_settings(web, tmp_path), [CLIP_WORK])
    # The published version stays: the empty answer is no word on the DOI.
    assert_kept(before, after)
    assert after[CLIP_WORK.id].preprint_of == REMOTECLIP_ARXIV
    assert report.degraded == ["crossref"]


def test_a_real_404_is_not_found_and_cached(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fast_settings(fakeweb, tmp_path)
    report, resolved = run(settings, [ZENODO_WORK])  # Crossref: 404 for a DataCite DOI
    assert (resolved[ZENODO_WORK.id].resolved_by, report.degraded) == ("doi", [])
    fakeweb.clear()
    report, _ = run(settings, [ZENODO_WORK])
    assert report.requests == 0 and report.degraded == []


def test_a_refusal_is_a_failure_asked_once(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault("status", r"/crossref/works/10\.3390", status=403)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [MDPI_WORK])
    assert len(fakeweb.requests_to("/crossref/works/10.3390")) == 1  # no retry helps a 403
    assert report.degraded == ["crossref"]
    assert (resolved[MDPI_WORK.id].resolved_by, resolved[MDPI_WORK.id].csl["DOI"]) == (
        "doi",
        MDPI_DOI,
    )


def test_a_cached_record_about_another_doi_is_not_used(fakeweb: FakeWeb, tmp_path: Path) -> None:
    settings = fast_settings(fakeweb, tmp_path)
    url = f"{settings.endpoints.crossref}/works/{MDPI_DOI}"
    full = requests.Request("GET", url, params={"mailto": str(settings.mailto)}).prepare().url
    assert full is not None
    wrong = CachedResponse(url=full, status=200, body=crossref_work_body(REMOTECLIP_DOI))
    wrong.fetched_at = time.time()  # fresh: only the check keeps it from being used
    cache = HttpCache(settings.cache_path)
    try:  # as a run from before answers were checked could have stored it
        cache.put(request_key("GET", full, {}), wrong)
    finally:
        cache.close()
    report, resolved = run(settings, [MDPI_WORK])
    assert len(fakeweb.requests_to("/crossref/works/10.3390")) == 1
    assert (resolved[MDPI_WORK.id].resolved_by, resolved[MDPI_WORK.id].csl["DOI"]) == (
        "crossref",
        MDPI_DOI,
    )
    assert report.degraded == []


# -- doi.org -----------------------------------------------------------------------------------


def test_doi_org_item_about_another_doi_is_refused(fakeweb: FakeWeb, tmp_path: Path) -> None:
    body = json.dumps(csl_item(OTHER)).encode()
    fakeweb.add_fault("malformed", "/doi/", body=body)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [ZENODO_WORK])
    rw = resolved[ZENODO_WORK.id]
    assert (rw.resolved_by, rw.verified) == ("list", False)
    assert rw.csl.get("DOI") != OTHER.doi and rw.csl["title"] == ZENODO_WORK.title
    assert report.degraded == ["doi"]
    assert len(fakeweb.requests_to("/doi/")) == FAST.retry_attempts


def test_doi_org_wrong_item_keeps_the_last_known_one(fakeweb: FakeWeb, tmp_path: Path) -> None:
    before, web = rerun_without_cache(fakeweb, tmp_path, [ZENODO_WORK])
    assert before[ZENODO_WORK.id].csl["DOI"] == ZENODO_DOI
    web.add_fault("malformed", "/doi/", body=json.dumps([csl_item(OTHER)]).encode())
    report, after = run(fast_settings(web, tmp_path), [ZENODO_WORK])
    assert_kept(before, after)
    assert report.degraded == ["doi"]


# -- arXiv -------------------------------------------------------------------------------------

OTHER_ARXIV = sorted(k for k in WORLD.arxiv if k != REMOTECLIP_ARXIV)
B_ID, C_ID = OTHER_ARXIV[0], OTHER_ARXIV[1]
B_WORK = Work(id=f"arxiv:{B_ID}", kind="paper", title="B", ids=Ids(arxiv=B_ID))


def arxiv_feed(*keys: str) -> bytes:
    return feed("id_list=x", [entry(k, WORLD.arxiv[k]) for k in keys], 0, 100).encode()


def titles(resolved: dict[str, ResolvedWork]) -> set[str]:
    return {str(rw.csl.get("title")) for rw in resolved.values()}


def test_feed_with_an_entry_not_asked_for_fails(fakeweb: FakeWeb, tmp_path: Path) -> None:
    fakeweb.add_fault("malformed", "/arxiv/", body=arxiv_feed(REMOTECLIP_ARXIV, C_ID))
    settings = fast_settings(fakeweb, tmp_path, find_published=False)
    report, resolved = run(settings, [CLIP_WORK, B_WORK])
    assert "arxiv" in report.degraded
    assert len(fakeweb.requests_to("/arxiv/")) == FAST.retry_attempts
    assert all(rw.resolved_by != "arxiv" for rw in resolved.values())
    assert WORLD.arxiv[C_ID].title not in titles(resolved)


def test_feed_entry_not_asked_for_keeps_last_known(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works = [CLIP_WORK, B_WORK]
    before, web = rerun_without_cache(fakeweb, tmp_path, works)
    web.add_fault("malformed", "/arxiv/", body=arxiv_feed(C_ID))
    report, after = run(fast_settings(web, tmp_path), works)
    assert_kept(before, after)
    assert "arxiv" in report.degraded


def test_feed_omitting_an_id_gives_its_entry_to_no_one(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # Asked for RemoteCLIP and B, the feed holds only B (first, where RemoteCLIP would be).
    fakeweb.add_fault("malformed", "/arxiv/", body=arxiv_feed(B_ID))
    settings = fast_settings(fakeweb, tmp_path, find_published=False)
    report, resolved = run(settings, [CLIP_WORK, B_WORK])
    assert "arxiv" not in report.degraded  # an id arXiv omits is not found, not a failure
    b = resolved[B_WORK.id]
    assert (b.resolved_by, b.csl["title"], b.csl["custom"]["arxiv"]) == (
        "arxiv",
        WORLD.arxiv[B_ID].title,
        B_ID,
    )
    clip = resolved[CLIP_WORK.id]
    assert clip.resolved_by != "arxiv"
    assert clip.csl["title"] != WORLD.arxiv[B_ID].title


def test_feed_check_reads_ids_as_arxiv_names_them() -> None:
    check = feed_check("http://x/api/query?id_list=math.GT%2F0309136v2%2C2306.11029&start=0")
    assert check is not None
    head = '<feed xmlns="http://www.w3.org/2005/Atom">'
    ok = f"{head}<entry><id>http://arxiv.org/abs/math/0309136v1</id></entry>"
    ok += "<entry><id>http://arxiv.org/abs/2306.11029v3</id></entry></feed>"
    assert check(ok.encode()) is None
    other = f"{head}<entry><id>http://arxiv.org/abs/2401.00001v1</id></entry></feed>"
    assert "2401.00001" in str(check(other.encode()))
    error = f"{head}<entry><id>https://arxiv.org/api/errors#bad</id></entry></feed>"
    assert check(error.encode()) is not None
    assert check(f"{head}</feed>".encode()) is None  # nothing found is an answer
    assert feed_check("http://x/api/query?search_query=all:clip") is None
    assert canonical("math.GT/0309136v2") == "math/0309136"
    assert canonical("2306.11029v1") == "2306.11029"


EMPTY_FEED = feed("id_list=x", [], 0, 100).encode()


def test_empty_feed_for_ids_arxiv_had_is_a_failure(fakeweb: FakeWeb, tmp_path: Path) -> None:
    works = [CLIP_WORK, B_WORK]
    before, web = rerun_without_cache(fakeweb, tmp_path, works)
    assert before[B_WORK.id].resolved_by == "arxiv"
    web.add_fault("malformed", "/arxiv/", body=EMPTY_FEED)
    report, after = run(fast_settings(web, tmp_path), works)
    # Not replaced by OpenAlex's record: arXiv never answers an id it has with no entry.
    assert_kept(before, after)
    assert after[B_WORK.id].csl["publisher"] == "arXiv"
    assert "arxiv" in report.degraded
    assert len(web.requests_to("/arxiv/")) == FAST.retry_attempts

    # Not cached: the next run asks arXiv again and gets the entries.
    web.clear()
    report, again = run(fast_settings(web, tmp_path), works)
    assert len(web.requests_to("/arxiv/")) == 1
    assert "arxiv" not in report.degraded
    assert_kept(before, again)


def test_empty_feed_for_ids_never_verified_is_not_found(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # What real arXiv answers for an id it does not have (api-samples): no entry at all.
    fakeweb.add_fault("malformed", "/arxiv/", body=EMPTY_FEED)
    settings = fast_settings(fakeweb, tmp_path, find_published=False)
    report, resolved = run(settings, [B_WORK])
    assert "arxiv" not in report.degraded
    assert len(fakeweb.requests_to("/arxiv/")) == 1
    assert resolved[B_WORK.id].resolved_by != "arxiv"


def test_feed_check_refuses_an_empty_feed_only_for_known_ids() -> None:
    sample = require_shared(SHARED / "api-samples" / "arxiv" / "id_list_0000.0000_empty.atom.xml")
    body = sample.read_bytes()
    url = "http://x/api/query?id_list=0000.0000%2C2306.11029v2&start=0"
    unknown = feed_check(url)
    assert unknown is not None and unknown(body) is None  # arXiv's word: none exists
    known = feed_check(url, frozenset({"2306.11029"}))
    assert known is not None and "2306.11029" in str(known(body))
    b_url = f"http://x/api/query?id_list={B_ID}%2C2306.11029&start=0"
    b_check = feed_check(b_url, frozenset({"2306.11029"}))
    assert b_check is not None and b_check(arxiv_feed(B_ID)) is None  # an id omitted: not found


# -- never downgraded --------------------------------------------------------------------------


def test_published_record_is_not_downgraded_to_the_preprint(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    before, web = rerun_without_cache(fakeweb, tmp_path, [CLIP_WORK])
    # Crossref says it does not know the published DOI (a real 404, not a failure) ...
    web.add_fault("status", r"/crossref/works/10\.1109", status=404)
    report, after = run(fast_settings(web, tmp_path), [CLIP_WORK])
    # ... yet a record verified before is not replaced by the less authoritative preprint.
    assert_kept(before, after)
    assert report.degraded == []
    assert any("last known record kept" in line and CLIP_WORK.id in line for line in report.lines)


def test_first_run_without_published_record_takes_the_preprint(
    fakeweb: FakeWeb, tmp_path: Path
) -> None:
    fakeweb.add_fault("status", r"/crossref/works/10\.1109", status=404)
    report, resolved = run(fast_settings(fakeweb, tmp_path), [CLIP_WORK])
    assert resolved[CLIP_WORK.id].resolved_by == "arxiv"
    assert report.degraded == []


def test_an_id_arxiv_would_refuse_is_never_sent(fakeweb: FakeWeb, tmp_path: Path) -> None:
    # Archives are lower-case: 'FOO/0112017' would fail the whole batch with HTTP 400.
    bad = Work(
        id="title:made-up",
        kind="paper",
        title="Made-up Id",
        ids=Ids(arxiv="FOO/0112017"),
        links=[Link("https://arxiv.org/abs/FOO/0112017", "paper")],
    )
    report, resolved = run(fast_settings(fakeweb, tmp_path), [CLIP_WORK, bad])
    assert all("FOO" not in r.query for r in fakeweb.requests_to("/arxiv/"))
    assert resolved[CLIP_WORK.id].preprint_of == REMOTECLIP_ARXIV
    assert report.degraded == []

"""Citation keys: the docs/design.md pattern, collisions, and stability across metadata changes."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pipeline.emit.keys import KeyMap, base_key, identifiers
from pipeline.emit.records import Name, Record
from tests.helpers.emit import emit, fixture, make_project


def _record(work_id: str, title: str, family: str = "Liu", year: int = 2024, **kw: Any) -> Record:
    return Record(
        key="",
        work_id=work_id,
        type="article",
        title=title,
        authors=[Name(family=family, given="Fan")],
        date=(year,),
        **kw,
    )


def test_base_key_pattern() -> None:
    assert base_key(_record("w", "RemoteCLIP: A Vision Language Model")) == "liu2024remoteclip"
    assert base_key(_record("w", "A Survey on Things", family="Müller")) == "muller2024survey"
    chinese = Record(key="", work_id="w", type="article", title="遥感综述", date=(2024,))
    chinese.authors = [Name(literal="张三")]
    assert base_key(chinese) == "zhang2024yaogan"  # pinyin, the family name first
    no_year = Record(key="", work_id="w", type="article", title="Øresund Data")
    assert base_key(no_year) == "anonndoresund"


@pytest.mark.parametrize(
    ("title", "authors", "key"),
    [
        # the three Chinese rows of rs-cross-modal-retrieval.md (anon2023untitled, …a, …b)
        ("遥感基础模型发展综述与未来设想", [], "anon2023yaogan"),
        ("遥感大模型：进展与前瞻", [], "anon2023yaogan"),
        ("地理人工智能样本：模型、质量与服务", [], "anon2023dili"),
        ("SAR影像变化检测研究进展", [], "anon2023sar"),  # Latin letters first
        ("基于深度学习的遥感变化检测", [Name(literal="欧阳修")], "ouyang2023jiyu"),
        ("深層学習", [Name(family="王", given="五")], "wang2023shenceng"),
        ("ディープラーニング", [], "anon2023diipuraaningu"),  # kana: one word
        ("한국어 자연어 처리", [Name(literal="김철수")], "gim2023hangukeo"),
        ("！？", [], "anon2023paper"),  # no letter at all: the kind, never "untitled"
        ("Untitled Memories of Earth", [], "anon2023untitled"),  # a title's own word stays
    ],
)
def test_cjk_titles_and_names_give_transliterated_keys(
    title: str, authors: list[Name], key: str
) -> None:
    record = Record(key="", work_id="w", type="article", title=title, date=(2023,))
    record.authors = authors
    assert base_key(record) == key


def test_a_provisional_untitled_key_is_read_again_once() -> None:
    """Keys of Chinese titles were ``anon2023untitled`` before titles were transliterated.
    Such a key is provisional (list text only), so it is replaced now, once, as the module
    allows a provisional key to be; a frozen key is never touched, untitled or not."""
    keymap = KeyMap.from_json(
        {
            "keys": {
                "anon2023untitled": {"identifiers": ["work:doi:10.1/a"], "provisional": True},
                "anon2023untitleda": {"identifiers": ["work:doi:10.1/b"], "provisional": True},
                "anon2023untitledb": {"identifiers": ["work:doi:10.1/c"]},  # frozen
            }
        }
    )
    works = [
        Record(key="", work_id=f"doi:10.1/{x}", type="article", title=t, date=(2023,))
        for x, t in (("a", "遥感基础模型发展综述"), ("b", "遥感大模型"), ("c", "地理人工智能"))
    ]
    keys = keymap.assign([(r, identifiers(r)) for r in works])
    assert keys == ["anon2023yaogan", "anon2023yaogana", "anon2023untitledb"]
    assert keymap.replaced == {
        "anon2023untitled": "anon2023yaogan",
        "anon2023untitleda": "anon2023yaogana",
    }
    # still provisional (unverified): the first verification may replace them once more
    assert keymap.provisional == {"anon2023yaogan", "anon2023yaogana"}
    assert keymap.resolve("anon2023untitled") == "anon2023yaogan"
    again = KeyMap.from_json(json.loads(json.dumps(keymap.to_json())))
    assert again.assign([(r, identifiers(r)) for r in works]) == keys  # stable from now on
    assert "anon2023untitled" not in again.assign([(works[0], {"work:doi:10.1/new"})])


def test_collisions_get_letters_in_work_id_order() -> None:
    keymap = KeyMap()
    works = [_record(f"arxiv:2401.0000{i}", f"Remote thing {i}") for i in (3, 1, 2)]
    keys = keymap.assign([(r, identifiers(r)) for r in works])
    assert keys == ["liu2024remoteb", "liu2024remote", "liu2024remotea"]


def test_key_survives_id_changes_and_metadata_fixes() -> None:
    keymap = KeyMap()
    first = _record("title:abc", "RemoteCLIP: A Vision Language Foundation Model", year=2023)
    [key] = keymap.assign([(first, identifiers(first))])
    assert key == "liu2023remoteclip"
    # arXiv id found: work id changes, title unchanged
    second = _record("arxiv:2306.11029", first.title, year=2023, arxiv="2306.11029")
    assert keymap.assign([(second, identifiers(second))]) == [key]
    # published: DOI id, year corrected, authors fixed, title reworded; the arXiv id links it
    third = _record(
        "doi:10.1109/tgrs.2024.1",
        "RemoteCLIP: a vision-language foundation model for remote sensing",
        family="Chen",
        year=2024,
        arxiv="2306.11029",
        doi="10.1109/tgrs.2024.1",
    )
    third.type = "article-journal"
    assert keymap.assign([(third, identifiers(third))]) == [key]
    # a fresh machine: the map read back from JSON gives the same answer
    reread = KeyMap.from_json(json.loads(json.dumps(keymap.to_json())))
    journal_only = _record("doi:10.1109/tgrs.2024.1", "Other words", doi="10.1109/tgrs.2024.1")
    assert reread.assign([(journal_only, identifiers(journal_only))]) == [key]


def test_a_different_work_with_the_same_title_gets_its_own_key() -> None:
    keymap = KeyMap()
    one = _record("arxiv:2401.00001", "Remote Sensing Captioning", arxiv="2401.00001")
    keymap.assign([(one, identifiers(one))])
    other = _record("arxiv:2402.00002", "Remote Sensing Captioning", arxiv="2402.00002")
    assert keymap.assign([(other, identifiers(other))]) == ["liu2024remotea"]


def test_one_key_per_work_per_run() -> None:
    keymap = KeyMap()
    work = _record("arxiv:2401.00001", "Same Title Here Long", arxiv="2401.00001")
    keymap.assign([(work, identifiers(work))])
    twin = _record("title:zzz", "Same Title Here Long")
    keys = keymap.assign([(twin, identifiers(twin)), (work, identifiers(work))])
    assert keys[1] == "liu2024same"  # the stronger (arXiv) match keeps it
    assert keys[0] != keys[1]


def test_stage_keeps_keys_when_resolve_upgrades_a_preprint(tmp_path: Path) -> None:
    """End to end: title-only → arXiv → DOI id, year, venue and authors all change."""
    resolved = fixture("resolved.json")
    root = make_project(tmp_path, resolved)
    emit(root)
    before = _keys_by_title(root)
    upgraded = copy.deepcopy(resolved)
    clip = upgraded[0]
    clip["work"]["id"] = "doi:10.1109/tgrs.2024.3390838"
    clip["work"]["ids"]["doi"] = "10.1109/tgrs.2024.3390838"
    clip["csl"].update(
        {
            "type": "article-journal",
            "container-title": "IEEE Transactions on Geoscience and Remote Sensing",
            "issued": {"date-parts": [[2024]]},
            "DOI": "10.1109/tgrs.2024.3390838",
            "author": [{"family": "Liu", "given": "Fan"}, {"family": "Chen", "given": "D."}],
        }
    )
    clip["resolved_by"] = "crossref"
    make_project(root, upgraded)
    emit(root)
    after = _keys_by_title(root)
    assert after == before
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    item = next(i for i in papers if i["id"] == "liu2023remoteclip")
    assert item["type"] == "article-journal"
    assert item["custom"]["work_id"] == "doi:10.1109/tgrs.2024.3390838"
    # keys.json remembers both identities
    keymap = json.loads((root / "output" / "keys.json").read_text(encoding="utf-8"))
    ids = keymap["keys"]["liu2023remoteclip"]["identifiers"]
    assert "work:arxiv:2306.11029" in ids and "doi:10.1109/tgrs.2024.3390838" in ids


def test_keys_survive_a_lost_keys_json(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    before = _keys_by_title(root)
    (root / "output" / "keys.json").unlink()
    shuffled = list(reversed(fixture("resolved.json")))
    make_project(root, shuffled)
    emit(root)
    assert _keys_by_title(root) == before


def _keys_by_title(root: Path) -> dict[str, str]:
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    return {item["title"]: item["id"] for item in papers}


def test_published_record_found_by_the_preprint_it_replaced() -> None:
    """resolve's ``preprint_of`` (a bare arXiv id) links the journal record to the key."""
    from pipeline.emit.keys import work_identifiers
    from pipeline.models import Ids

    keymap = KeyMap()
    preprint = _record("arxiv:2306.11029", "RemoteCLIP preprint title", arxiv="2306.11029")
    [key] = keymap.assign([(preprint, identifiers(preprint))])
    journal = _record("title:ffff", "RemoteCLIP: journal title", doi="10.1/x")
    ids = identifiers(journal) | work_identifiers("title:ffff", Ids(doi="10.1/x"), "2306.11029")
    assert keymap.assign([(journal, ids)]) == [key]


def test_a_retired_key_is_never_reused() -> None:
    keymap = KeyMap()
    old = _record("arxiv:2401.00001", "Remote Old", arxiv="2401.00001")
    keymap.assign([(old, identifiers(old))])
    new = _record("arxiv:2401.00009", "Remote New", arxiv="2401.00009")  # old one gone
    assert keymap.assign([(new, identifiers(new))]) == ["liu2024remotea"]


def test_a_provisional_key_is_replaced_once_when_its_work_is_verified() -> None:
    keymap = KeyMap()
    listed = _record(
        "ieee:7891049", "Can a Machine Generate Humanlike Language Descriptions", year=2017
    )
    listed.authors = []  # the list gave no authors
    [key] = keymap.assign([(listed, identifiers(listed))])
    assert key == "anon2017can" and key in keymap.provisional
    # still unverified on the next run: same key
    assert keymap.assign([(listed, identifiers(listed))]) == [key]
    verified = _record("ieee:7891049", listed.title, family="Shi", year=2017, verified=True)
    reread = KeyMap.from_json(json.loads(json.dumps(keymap.to_json())))
    [new] = reread.assign([(verified, identifiers(verified))])
    assert new == "shi2017can" and new not in reread.provisional
    assert reread.replaced == {"anon2017can": "shi2017can"}
    # frozen from now on, whatever the metadata says next
    corrected = _record("ieee:7891049", listed.title, family="Zou", year=2018, verified=True)
    assert reread.assign([(corrected, identifiers(corrected))]) == ["shi2017can"]
    # the replaced key is never handed to another work
    other = _record("arxiv:2401.1", "Can anything else", year=2017)
    other.authors = []
    assert reread.assign([(other, identifiers(other))]) == ["anon2017cana"]


def test_a_provisional_key_that_fits_the_verified_record_is_kept() -> None:
    keymap = KeyMap()
    listed = _record("arxiv:2306.11029", "RemoteCLIP: A Vision Language Foundation Model")
    [key] = keymap.assign([(listed, identifiers(listed))])
    verified = _record("arxiv:2306.11029", listed.title, verified=True)
    assert keymap.assign([(verified, identifiers(verified))]) == [key]
    assert not keymap.provisional and not keymap.replaced


def test_stage_replaces_a_provisional_key_without_leaving_a_duplicate(tmp_path: Path) -> None:
    resolved = fixture("lists-resolved.json")
    root = make_project(tmp_path, resolved)
    emit(root)
    papers = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    anon = next(i for i in papers if i["id"].startswith("anon") and not i["custom"]["verified"])
    verified = copy.deepcopy(resolved)
    rw = next(r for r in verified if r["work"]["id"] == anon["custom"]["work_id"])
    rw["csl"]["author"] = [{"family": "Shi", "given": "Zhenwei"}]
    rw.update(resolved_by="crossref", method="doi", confidence=1.0, verified=True, list_fields=[])
    make_project(root, verified)
    emit(root)
    after = json.loads((root / "output" / "papers.json").read_text(encoding="utf-8"))
    assert len(after) == len(papers)
    ids = {i["id"] for i in after}
    assert anon["id"] not in ids
    new = next(i for i in after if i["custom"]["work_id"] == anon["custom"]["work_id"])
    assert new["id"].startswith("shi")
    keymap = json.loads((root / "output" / "keys.json").read_text(encoding="utf-8"))
    assert keymap["keys"][anon["id"]]["replaced_by"] == new["id"]


def test_removed_keys_are_marked_and_unmarked_and_round_trip() -> None:
    keymap = KeyMap()
    one = _record("arxiv:2401.00001", "Remote Sensing One", arxiv="2401.00001")
    two = _record("arxiv:2401.00002", "Remote Sensing Two", arxiv="2401.00002")
    keys = keymap.assign([(one, identifiers(one)), (two, identifiers(two))])
    keymap.mark_removed(keys)
    assert not keymap.removed
    keymap.mark_removed(keys[:1])  # the second work left the lists
    assert keymap.removed == {keys[1]}
    data = keymap.to_json()
    assert data["keys"][keys[1]]["removed"] is True and "removed" not in data["keys"][keys[0]]
    reread = KeyMap.from_json(json.loads(json.dumps(data)))
    assert reread.removed == {keys[1]} and reread.entries == keymap.entries
    # it comes back under another work id (its title, then a DOI): the same key, unmarked
    back = _record("title:two", "Remote Sensing Two", doi="10.1/two")
    assert reread.assign([(back, identifiers(back))]) == [keys[1]]
    reread.mark_removed([keys[1]])
    assert reread.removed == {keys[0]}


def test_a_removed_key_goes_to_no_other_work() -> None:
    keymap = KeyMap()
    gone = _record("arxiv:2401.00001", "Remote Sensing Captioning", arxiv="2401.00001")
    [key] = keymap.assign([(gone, identifiers(gone))])
    keymap.mark_removed([])
    assert keymap.removed == {key}
    # the same base key, the same title even, but another arXiv id: another paper
    other = _record("arxiv:2409.00009", "Remote Sensing Captioning", arxiv="2409.00009")
    [new] = keymap.assign([(other, identifiers(other))])
    assert new == "liu2024remotea" and new != key
    keymap.mark_removed([new])
    assert keymap.removed == {key}


def test_aliases_and_replaced_keys_are_never_marked_removed() -> None:
    keymap = KeyMap()
    keymap.entries = {"a2024x": {"doi:10.1/x"}, "b2024x": {"work:title:b"}, "anon2024x": set()}
    keymap.merged = {"b2024x": "a2024x"}
    keymap.replaced = {"anon2024x": "a2024x"}
    keymap.mark_removed([])
    assert keymap.removed == {"a2024x"}


def test_a_work_merged_away_keeps_the_surviving_key_when_the_survivor_leaves() -> None:
    keymap = KeyMap()
    keymap.entries = {"a2024x": {"work:doi:10.1/x"}, "b2024x": {"work:title:b"}}
    keymap.merged = {"b2024x": "a2024x"}
    # the survivor's work is gone; the alias's work is still listed: it takes the survivor's key
    assert keymap.follow_merges(["b2024x"], ["title:b"]) == ["a2024x"]
    # both listed: each keeps its own (the merge of this run decides)
    assert keymap.follow_merges(["a2024x", "b2024x"], ["doi:10.1/x", "title:b"]) == [
        "a2024x",
        "b2024x",
    ]
    # two aliases of one gone survivor: the first by work id takes it
    keymap.entries["c2024x"] = {"work:title:c"}
    keymap.merged["c2024x"] = "a2024x"
    assert keymap.follow_merges(["c2024x", "b2024x"], ["title:c", "title:b"]) == [
        "c2024x",
        "a2024x",
    ]
    assert keymap.entries["a2024x"] == {"work:doi:10.1/x"}  # its identifiers untouched

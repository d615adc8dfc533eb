"""What researchers import (issue 22): papers.json and papers.bib through Zotero's own import
engine, translation-server with the translators Zotero ships (../shared/consumers).

For the committed output (as emit writes it from the committed papers.json, which it reads
back as its last-known-good store) and a refresh against the fake web that cites software
too, Zotero takes every entry of both files:

* papers.json: each type the CSL-JSON importer knows (one it does not know refuses the whole
  file); arXiv preprints are Preprint items with Archive ID ``arXiv:…``, datasets Datasets,
  software Documents; nothing in Extra, no notes.
* papers.bib: ``@article`` and ``@inproceedings`` are journal articles and conference papers;
  ``@misc`` is a Document, since Zotero's BibTeX importer has no entry type for its Preprint or
  Dataset items (see :func:`test_no_bibtex_form_is_a_zotero_preprint_or_dataset`): an arXiv
  preprint keeps its id in Extra (``arXiv: ID``, as Zotero's arXiv translator writes it);
  our status fields are not imported; the only notes are IEEE's "(in Chinese)".
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from typing import Any

import pytest

from pipeline.config import EmitSettings
from pipeline.emit import bibtex, csljson, run_emit
from pipeline.emit.latex import printable
from pipeline.emit.records import Record, is_preprint
from pipeline.resolve import run_resolve
from pipeline.scrape import run_scrape
from tests.conftest import REPO
from tests.fakeweb import FakeWeb
from tests.helpers.resolve import fast_settings
from tests.helpers.zotero import Zotero

pytestmark = pytest.mark.slow

JSON_TYPES = {
    "article-journal": "journalArticle",
    "paper-conference": "conferencePaper",
    "article": "preprint",
    "dataset": "dataset",
    "software": "document",
}
BIB_TYPES = {"article": "journalArticle", "inproceedings": "conferencePaper", "misc": "document"}
# What once said a record was unverified, and our status field names: none may reach Zotero.
OURS = re.compile(r"source list|verified|resolver|resolved|confidence|citation key", re.I)
LANGUAGE_NOTES = {"<p>(in Chinese)</p>", "<p>(in Japanese)</p>", "<p>(in Korean)</p>"}


@dataclasses.dataclass
class Output:
    records: list[Record]  # in key order, as both files hold them
    json_text: str
    bib_text: str


def _committed() -> Output:
    """The committed output as emit writes it: every record it holds, read back the way emit
    reads its last-known-good store, rendered by today's emitters."""
    records = sorted(csljson.read_previous(REPO / "output" / "papers.json").values(), key=_key)
    return Output(records, csljson.render(records), bibtex.render(records))


def _key(record: Record) -> str:
    return record.key


@pytest.fixture(scope="module")
def fakeweb_output(tmp_path_factory: pytest.TempPathFactory) -> Output:
    """A refresh of the five lists against the fake web, software cited too."""
    project = tmp_path_factory.mktemp("zotero") / "project"
    shutil.copytree(REPO / "sources", project / "sources")
    shutil.copytree(REPO / "output", project / "output")
    with FakeWeb() as web:
        settings = fast_settings(web, project)
        settings = dataclasses.replace(
            settings, emit=EmitSettings(cite_kinds=("paper", "dataset", "project"))
        )
        run_scrape(settings, None)
        run_resolve(settings)
        run_emit(settings)
    out = project / "output"
    records = sorted(csljson.read_previous(out / "papers.json").values(), key=_key)
    return Output(
        records, (out / "papers.json").read_text("utf-8"), (out / "papers.bib").read_text("utf-8")
    )


def _output(name: str, request: pytest.FixtureRequest) -> Output:
    if name == "committed":
        return _committed()
    output: Output = request.getfixturevalue("fakeweb_output")
    return output


def _same_work(record: Record, item: dict[str, Any]) -> bool:
    """Zotero keeps no citation key: items come back in file order, checked by title."""

    def letters(text: str) -> str:
        return re.sub(r"\W", "", printable(text).casefold())[:15]

    return letters(record.title) == letters(str(item.get("title", "")))


@pytest.mark.parametrize("name", ["committed", "fakeweb"])
def test_zotero_imports_every_item_of_papers_json(
    zotero: Zotero, name: str, request: pytest.FixtureRequest
) -> None:
    output = _output(name, request)
    # every type tried: the committed output cites no software ([emit] cite_kinds), the
    # fake-web run does
    tried = {"article", "dataset"} | ({"software"} if name == "fakeweb" else set())
    assert {r.type for r in output.records} >= tried
    items = zotero.import_text(output.json_text)
    assert [i["itemType"] for i in items if i["itemType"] == "note"] == []
    assert len(items) == len(output.records)
    for record, item in zip(output.records, items, strict=True):
        assert _same_work(record, item), (record.key, item.get("title"))
        assert item["itemType"] == JSON_TYPES[record.type], (record.key, item["itemType"])
        assert "extra" not in item, (record.key, item["extra"])  # nothing of ours, no "note"
        if is_preprint(record):
            assert item["archiveID"] == f"arXiv:{record.arxiv}", record.key
            assert item["repository"] == "arXiv", record.key


@pytest.mark.parametrize("name", ["committed", "fakeweb"])
def test_zotero_imports_every_entry_of_papers_bib(
    zotero: Zotero, name: str, request: pytest.FixtureRequest
) -> None:
    output = _output(name, request)
    items = zotero.import_text(output.bib_text)
    notes = [i["note"] for i in items if i["itemType"] == "note"]
    assert set(notes) <= LANGUAGE_NOTES, notes[:5]
    works = [i for i in items if i["itemType"] != "note"]
    assert len(works) == len(output.records)
    for record, item in zip(output.records, works, strict=True):
        assert _same_work(record, item), (record.key, item.get("title"))
        expected = BIB_TYPES[bibtex.entry_type(record)]
        assert item["itemType"] == expected, (record.key, item["itemType"])
        extra = item.get("extra", "").splitlines()
        assert not [line for line in extra if OURS.search(line)], (record.key, extra)
        if record.arxiv:
            assert f"arXiv: {record.arxiv}" in extra, (record.key, extra)
        if record.type in ("dataset", "software"):
            assert extra[0].startswith(("Published: Dataset", "Published: Software")), extra


# Every BibTeX form of a preprint or a dataset we could write, arXiv's own export among them.
FORMS = {
    "arXiv's export": "@misc{k, title={T}, eprint={2306.11029}, archiveprefix={arXiv}, "
    "primaryclass={cs.CV}, url={https://arxiv.org/abs/2306.11029}}",
    "ours": "@misc{k, title={T}, howpublished={arXiv:2306.11029}, eprint={2306.11029}, "
    "archiveprefix={arXiv}, eprinttype={arxiv}, primaryclass={cs.CV}}",
    "publisher and doi": "@misc{k, title={T}, publisher={arXiv}, "
    "doi={10.48550/arXiv.2306.11029}, type={Preprint}}",
    "Google Scholar's": "@article{k, title={T}, journal={arXiv preprint arXiv:2306.11029}}",
    "online": "@online{k, title={T}, eprint={2306.11029}, eprinttype={arxiv}}",
    "unpublished": "@unpublished{k, title={T}, note={arXiv:2306.11029}}",
    "report": "@techreport{k, title={T}, institution={arXiv}, number={arXiv:2306.11029}}",
    "dataset": "@misc{k, title={T}, howpublished={Dataset}}",
    "biblatex @preprint": "@preprint{k, title={T}}",
    "biblatex @dataset": "@dataset{k, title={T}}",
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_no_bibtex_form_is_a_zotero_preprint_or_dataset(zotero: Zotero, form: str) -> None:
    """Zotero's BibTeX importer maps no entry type to its Preprint or Dataset item types, and
    drops entries of a type it does not know (biblatex's ``@preprint``, ``@dataset``): the
    .bib cannot say what papers.json says. Should Zotero learn it, this fails: then write
    that form."""
    items = zotero.import_text(FORMS[form])
    assert not {i["itemType"] for i in items} & {"preprint", "dataset"}, items
    if form.startswith("biblatex"):
        assert items == []
    if form == "ours":  # the id is kept, in Extra, as Zotero's arXiv translator writes it
        assert "arXiv: 2306.11029" in items[0]["extra"].splitlines()


def test_zotero_exports_its_preprint_back_as_a_document(zotero: Zotero) -> None:
    """Zotero itself writes a Preprint as ``@misc`` (publisher, url; no arXiv id) and reads
    that back as a Document: no BibTeX round trip keeps the type."""
    preprint = {"id": "k", "type": "article", "title": "T", "number": "arXiv:2306.11029"}
    items = zotero.import_text(json.dumps([preprint]))
    assert items[0]["itemType"] == "preprint" and items[0]["archiveID"] == "arXiv:2306.11029"
    written = zotero.export(items, "bibtex")
    assert written.lstrip().startswith("@misc{")
    assert [i["itemType"] for i in zotero.import_text(written)] == ["document"]


def test_one_unknown_csl_type_refuses_the_whole_file(zotero: Zotero) -> None:
    """Why papers.json never holds ``software``: with one such item Zotero imports nothing."""
    good = {"id": "a", "type": "article-journal", "title": "A"}
    assert len(zotero.import_text(json.dumps([good]))) == 1
    with pytest.raises(AssertionError, match="No suitable translators found"):
        zotero.import_text(json.dumps([good, {"id": "b", "type": "software", "title": "B"}]))

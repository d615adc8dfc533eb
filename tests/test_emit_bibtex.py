"""papers.bib: escaping that round-trips, entry types, injection payloads, bibtex acceptance."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.emit.bibtex import URL_GUARD, entry_type, name_text, render
from pipeline.emit.cjk import CJK_GUARD
from pipeline.emit.latex import _TOKEN, latex_decode, latex_escape, latex_title, printable
from pipeline.emit.records import Name, Record
from pipeline.text import clean_text
from tests.conftest import require_tool
from tests.helpers.emit import emit, make_project

NASTY = [
    "{", "}", "\\", "%", "$", "#", "_", "~", "^", "&", "@", "|", "<", ">", "`", '"', ",",
    " and ", "--", "\\input{x}", "\\write18{rm -rf /}", "@misc{pwn,", "}}}", "{{", "🚀",
    "مرحبا", "עברית", "\u202e", "\u200f", "\x00", "\x07", "\x1b[31m", "\r\n", "é", "Ñ", "ß",
    "Ø", "ł", "ž", "ç", "遥感", "α", "$x^2$", "\\&", "{\\'e}", "100%", "RemoteCLIP", "GPT-4V",
]  # fmt: skip
nasty_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)), max_size=12).map(
    "".join
)


def parse_fields(bib: str) -> dict[str, str]:
    """The one entry of ``bib`` as field → raw value (outer braces removed)."""
    library = bibtexparser.parse_string(bib, parse_stack=[])
    assert not library.failed_blocks, library.failed_blocks
    assert len(library.entries) == 1
    values = {f.key: f.value for f in library.entries[0].fields}
    for key, value in values.items():
        assert value.startswith("{") and value.endswith("}"), (key, value)
    return {k: v[1:-1] for k, v in values.items()}


def braces_balanced(text: str) -> bool:
    """BibTeX's own view: every brace counts, escaped or not."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=nasty_text, family=nasty_text, given_name=nasty_text, venue=nasty_text)
def test_any_text_round_trips_through_bibtexparser(
    title: str, family: str, given_name: str, venue: str
) -> None:
    clean_title, clean_family = clean_text(title), clean_text(family)
    assume(clean_title and clean_family)
    record = Record(
        key="k2020x",
        work_id="title:x",
        type="article-journal",
        title=clean_title,
        authors=[Name(family=clean_family, given=clean_text(given_name))],
        date=(2020,),
        container=clean_text(venue),
    )
    bib = render([record])
    fields = parse_fields(bib)
    assert braces_balanced(bib)
    # what no engine can print (emoji) is left out; everything else comes back exactly
    assert latex_decode(fields["title"]) == printable(clean_title)
    family_part, given_part = name_text(clean_family), name_text(clean_text(given_name))
    if family_part or given_part:
        # "Family, Given", or the whole name as one literal (scripts LaTeX has no letters for)
        expected = {
            f"{family_part}, {given_part}" if given_part and family_part else "",
            " ".join(p for p in (given_part, family_part) if p),
        }
        assert latex_decode(fields["author"]) in expected
    if printable(clean_text(venue)):
        assert latex_decode(fields["journal"]) == printable(clean_text(venue))
    # nothing upstream can start a command or a comment: with every token we write taken
    # out, no LaTeX special character is left over
    for name in ("title", "author", "journal"):
        leftover = _TOKEN.sub("", fields.get(name, ""))
        assert not set(leftover) & set("\\%$#&_~^{}"), (name, leftover)


def test_escape_examples() -> None:
    assert latex_escape("50% & $5 #1 a_b ~ ^") == (
        r"50\% \& \$5 \#1 a\_b {\textasciitilde} {\textasciicircum}"
    )
    assert latex_escape("{balanced} and {") == r"\{balanced\} and {\textbraceleft}"
    assert latex_escape("\\input{x}") == r"{\textbackslash}input\{x\}"
    assert latex_escape("José Müller Łukasz Ødegård") == (
        r"Jos{\'e} M{\"u}ller {\L}ukasz {\O}deg{\aa}rd"
    )
    assert latex_escape("遥感 🚀 مرحبا") == "遥感 مرحبا"  # non-Latin stays UTF-8, emoji go
    assert latex_escape("α-CLIP Ω") == r"{$\alpha$}-CLIP {$\Omega$}"
    assert latex_title("RemoteCLIP and GeoChat: CLIP for Earth") == (
        "{RemoteCLIP} and {GeoChat:} {CLIP} for {Earth}"
    )
    assert latex_title("Vision-Language GPT-4V") == "Vision-Language {GPT-4V}"


def test_control_and_bidi_characters_are_removed() -> None:
    assert clean_text("a\x00b\x07c\u202ed\u200be\n\tf") == "abcde f"


def _record(**changes: object) -> Record:
    base = Record(key="k", work_id="w", type="article", title="T", authors=[Name("Liu", "Fan")])
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_entry_types_fit_the_work() -> None:
    full = {"date": (2023,), "container": "Venue"}
    assert entry_type(_record(type="article-journal", **full)) == "article"
    assert entry_type(_record(type="paper-conference", **full)) == "inproceedings"
    assert entry_type(_record(type="article-journal")) == "misc"  # no journal/year: misc
    arxiv = _record(arxiv="2306.11029", primary_class="cs.CV", publisher="arXiv")
    preprint = parse_fields(render([arxiv]))
    # plain, unsrt and IEEEtran print only howpublished; gbt7714 takes a publisher for a book
    assert preprint["howpublished"] == "arXiv:2306.11029"
    assert "publisher" not in preprint
    assert preprint["eprint"] == "2306.11029"
    assert preprint["archiveprefix"] == "arXiv"
    assert preprint["eprinttype"] == "arxiv"
    assert preprint["primaryclass"] == "cs.CV"
    dataset = parse_fields(render([_record(type="dataset", url="https://x.org/d")]))
    assert dataset["howpublished"] == "Dataset"
    assert dataset["url"] == "https://x.org/d"
    journal = _record(
        type="article-journal",
        date=(2022,),
        container="IEEE TGRS",
        volume="60",
        issue="4",
        page="1–19",
        publisher="IEEE",
        doi="10.1109/tgrs.2022.3163706",
        verified=True,
    )
    fields = parse_fields(render([journal]))
    assert fields["pages"] == "1--19"
    assert fields["doi"] == "10.1109/tgrs.2022.3163706"
    assert (fields["volume"], fields["number"], fields["publisher"]) == ("60", "4", "IEEE")
    assert "note" not in fields


def test_authorless_entries_get_a_label_key() -> None:
    fields = parse_fields(
        render([_record(authors=[], title="Transfer learning in remote sensing")])
    )
    assert fields["key"] == "Transfer learning in"
    assert "author" not in fields


def test_cjk_text_stays_in_the_file_and_gets_a_pdflatex_reading() -> None:
    """The .bib keeps CJK text as it is (xelatex, biber, Zotero read it); a second @preamble
    tells pdflatex how to print each CJK character of the file, and a label ``key`` is in
    Latin letters, since labels are set in the text before that @preamble is read."""
    bib = render([_record(authors=[], title="遥感大模型：进展与前瞻", container="遥感学报")])
    fields = parse_fields(bib)
    assert (fields["title"], fields["howpublished"]) == ("遥感大模型：进展与前瞻", "遥感学报")
    assert fields["key"] == "Yao gan da"
    guard, cjk = (p.value for p in bibtexparser.parse_string(bib).preambles)
    assert guard == f'"{URL_GUARD}"' and cjk.startswith(f'"{CJK_GUARD}')
    declared = re.findall(r"\\bibcjkdef\{(.)\}", cjk)
    assert declared == sorted(set("遥感大模型：进展与前瞻学报"))
    assert "\\bibcjkdef{遥}{\\bibcjksyl{y}{ao}}" in cjk
    assert "\\bibcjkdef{：}{\\bibcjkmark{:}}" in cjk
    assert braces_balanced(cjk)
    # no CJK, no second @preamble
    assert len(bibtexparser.parse_string(render([_record()])).preambles) == 1


def test_labels_hold_nothing_natbib_or_biblatex_apa_stumble_on() -> None:
    """An authorless entry's label is its ``key`` field, made of its title: brackets,
    parentheses and macros are left out. Family names make natbib's labels and the start of
    the author field biblatex-apa's regular expression: brackets and parentheses in braces,
    none first, no backslash or brace at all (list debris, not a name's letters)."""
    local = parse_fields(render([_record(authors=[], title="[Local file](file:///etc/passwd)")]))
    assert local["key"] == "Local file file:///etc/passwd"
    assert parse_fields(render([_record(authors=[], title="{%} \\ ()")]))["key"] == "k"
    authors = [Name("Li] (x)", "A{b\\c"), Name(literal="(Org [ESA)"), Name("*Eq", "Jo")]
    fields = parse_fields(render([_record(authors=authors)]))
    assert fields["author"] == "Li{]} {(}x{)}, Abc and {Org {[}ESA{)}} and Eq, Jo"


def test_status_is_in_fields_no_style_prints() -> None:
    """Verified or not lives in fields of our own; ``note`` would end the printed reference
    (IEEEtran, plain, biblatex) and become a child note in Zotero."""
    fields = parse_fields(render([_record(verified=False)]))
    assert "note" not in fields
    assert (fields["verified"], fields["resolver"], fields["confidence"]) == (
        "false",
        "list",
        "0.0",
    )
    checked = _record(verified=True, resolved_by="crossref", confidence=0.9876)
    fields = parse_fields(render([checked]))
    assert (fields["verified"], fields["resolver"], fields["confidence"]) == (
        "true",
        "crossref",
        "0.988",
    )


def test_unsafe_urls_are_not_written() -> None:
    assert "url" not in parse_fields(render([_record(url="javascript:alert(1)")]))
    url = parse_fields(render([_record(url="https://x.org/a b{c}\\d")]))["url"]
    assert url == "https://x.org/a%20b%7Bc%7D%5Cd"


def test_fixture_output_holds_every_payload_safely(tmp_path: Path) -> None:
    root = make_project(tmp_path)
    emit(root)
    bib = (root / "output" / "papers.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(bib, parse_stack=[])
    assert not library.failed_blocks
    keys = [e.key for e in library.entries]
    assert keys == sorted(keys)
    # 11 of the 12 works (the project is not cited); "@misc{pwn," in a title started no entry
    assert len(keys) == 11
    assert braces_balanced(bib)
    assert "\x00" not in bib and "\u202e" not in bib
    assert "\\input{" not in bib and "\\write18{" not in bib
    assert 'Gro{\\ss}, J{\\"u}rgen' in bib
    assert "{GeoChat:}" in bib and "{RemoteCLIP:}" in bib
    assert "遥感图像描述生成方法综述" in bib


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(st.tuples(nasty_text, nasty_text), min_size=4, max_size=4))
def test_bibtex_accepts_generated_entries(texts: list[tuple[str, str]]) -> None:
    bibtex = require_tool("bibtex")
    records = []
    for number, (title, author) in enumerate(texts):
        records.append(
            Record(
                key=f"k{number}",
                work_id=f"w{number}",
                type="paper-conference",
                title=clean_text(title) or "x",
                authors=[Name(family=clean_text(author) or "y", given="A.")],
                date=(2020,),
                container=clean_text(author) or "Conf",
            )
        )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "papers.bib").write_text(render(records), encoding="utf-8")
        (work / "doc.aux").write_text(
            "\\relax\n\\citation{*}\n\\bibstyle{plainnat}\n\\bibdata{papers}\n", encoding="utf-8"
        )
        done = subprocess.run(
            [bibtex, "doc"], cwd=work, capture_output=True, text=True, timeout=60, check=False
        )
        log = (work / "doc.blg").read_text(encoding="utf-8", errors="replace")
        assert done.returncode == 0, log
        assert "error" not in log.lower(), log
        bbl = (work / "doc.bbl").read_text(encoding="utf-8")
        for number in range(len(records)):
            assert f"{{k{number}}}" in bbl


@pytest.mark.parametrize(
    "text",
    ["a}b{c", "}}}{{{", "{a{b}c}", "\\{", "x\\}y", "$|$", "\\$|\\$", "--", "{\\'e}"],
)
def test_decode_inverts_escape(text: str) -> None:
    assert latex_decode(latex_title(text)) == text
    assert braces_balanced(latex_title(text))


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_fast_path_matches_the_unicode_path(text: str) -> None:
    fast = clean_text(text)
    slow = clean_text(text + " é")  # non-ASCII: the per-character path
    assert slow == (f"{fast} é" if fast else "é")

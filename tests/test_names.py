"""One reading of author names for every stage, checked on the names the lists really write
(sources/*.md and ../shared/lists: the rows of issue 22's examples and more)."""

from __future__ import annotations

import pytest

from pipeline.emit.bibtex import bib_name
from pipeline.emit.records import Record, from_resolved, to_item
from pipeline.emit.records import split_name as record_name
from pipeline.ids import chinese_names
from pipeline.ids.names import SplitName, csl_name, csl_names, read_names, split_name
from pipeline.models import ResolvedWork, Work
from pipeline.scrape.fields import split_authors


@pytest.mark.parametrize(
    ("text", "family", "given"),
    [
        ("Fan Liu", "Liu", "Fan"),
        ("Liu, Fan", "Liu", "Fan"),
        ("Wu, K.", "Wu", "K."),
        ("Pan J", "Pan", "J"),
        ("Al Rahhal M M", "Al Rahhal", "M M"),
        ("Rahhal M M A", "Rahhal", "M M A"),
        ("Luc Van Gool", "Van Gool", "Luc"),
        ("Xiao Xiang Zhu", "Zhu", "Xiao Xiang"),
        ("A. Aydin Alatan", "Alatan", "A. Aydin"),
        ("Campbell D Watson", "Watson", "Campbell D"),
        ("  Yan\u00a0Shu ", "Shu", "Yan"),
        # particles stay with the family name; a first word is never one ("Al Gore")
        ("M. M. Al Rahhal", "Al Rahhal", "M. M."),
        ("Mohamad Mahmoud Al Rahhal", "Al Rahhal", "Mohamad Mahmoud"),
        ("M. A. Al Zuair", "Al Zuair", "M. A."),
        ("E. L. de Lemos", "de Lemos", "E. L."),
        ("Shalini De Mello", "De Mello", "Shalini"),
        ("Al Gore", "Gore", "Al"),
        # Portuguese family-name endings belong to the family name
        ("J. Marcato Junior", "Marcato Junior", "J."),
        ("Marcato Junior, J.", "Marcato Junior", "J."),
        ("José da Silva Filho", "da Silva Filho", "José"),
        # glued initials, footnote marks
        ("H.Conghui", "Conghui", "H."),
        ("Taoran Yi1", "Yi", "Taoran"),
        ("Guanjun Wu1", "Wu", "Guanjun"),
        # pinyin: one syllable then two is family first; the other way round given first
        ("Zhao Mandi", "Zhao", "Mandi"),
        ("Wang Yifan", "Wang", "Yifan"),
        ("Ouyang Xin", "Ouyang", "Xin"),
        ("Xin Ouyang", "Ouyang", "Xin"),
        ("Xingxing Weng", "Weng", "Xingxing"),
        ("Gui-Song Xia", "Xia", "Gui-Song"),
        ("Liu He", "He", "Liu"),  # both one syllable: the given-first reading stays
        ("Kai Katsumata", "Katsumata", "Kai"),  # not pinyin
        ("Wei Tanaka", "Tanaka", "Wei"),  # three syllables: no Chinese given name
        ("Ali Farhadi", "Farhadi", "Ali"),
        ("A. Chaiyapan", "Chaiyapan", "A."),  # an initial is never a family name
    ],
)
def test_split_name(text: str, family: str, given: str) -> None:
    assert split_name(text) == SplitName(family, given)


@pytest.mark.parametrize(
    ("text", "csl"),
    [
        ("Arto", {"literal": "Arto"}),  # one word: a literal, not a family name
        ("Larissa", {"literal": "Larissa"}),
        ("张三", {"literal": "张三"}),
        ("Robert J. Smith Jr.", {"family": "Smith", "given": "Robert J.", "suffix": "Jr."}),
        ("Smith, Jr., Robert", {"family": "Smith", "given": "Robert", "suffix": "Jr."}),
        ("John Smith III", {"family": "Smith", "given": "John", "suffix": "III"}),
        ("Petrov IV", {"family": "Petrov", "given": "IV"}),  # initials, not a numeral
    ],
)
def test_csl_name(text: str, csl: dict[str, str]) -> None:
    assert csl_name(text) == csl


def test_empty_name_is_none() -> None:
    assert split_name(" , ") is None
    assert csl_name("") == {}


def _read(row: str) -> list[tuple[str, str] | str]:
    """A list's author text as scrape splits it and resolve/emit read it."""
    return [s.literal or (s.family, s.given) for s in read_names(split_authors(row))]


def test_pang2024vhm_family_initials() -> None:
    # sources/rs-mllm.md: the list abbreviates the family names of the later authors
    row = (
        "C. Pang, W. Jiang, L. Jiayu, L. Yi, S. Jiaxing, L. Weijia, W. Xingxing, W. Shuai, "
        "F. Litong, X. Guisong, H.Conghui."
    )
    assert _read(row) == [
        ("Pang", "C."),
        ("Jiang", "W."),
        ("L.", "Jiayu"),
        ("Yi", "L."),  # one syllable: a family name as far as the text can tell (Yi Liu)
        ("S.", "Jiaxing"),
        ("L.", "Weijia"),
        ("W.", "Xingxing"),
        ("Shuai", "W."),  # likewise (Shuai Wang)
        ("F.", "Litong"),
        ("X.", "Guisong"),
        ("H.", "Conghui"),  # glued, and no longer a one-word name
    ]


def test_family_initial_needs_a_list_of_pinyin_names() -> None:
    # "Y. Bazi" is two pinyin syllables, but its list is not Chinese: it stays given Y.
    row = "L. Bashmal, Y. Bazi, F. Melgani, M. M. Al Rahhal, and M. A. Al Zuair."
    assert _read(row) == [
        ("Bashmal", "L."),
        ("Bazi", "Y."),
        ("Melgani", "F."),
        ("Al Rahhal", "M. M."),
        ("Al Zuair", "M. A."),
    ]
    assert _read("J. D. Silva, J. Magalhaes, D. Tuia")[-1] == ("Tuia", "D.")
    assert _read("L. Jiayu") == [("Jiayu", "L.")]  # alone, nothing says how it is written
    assert _read("Jiayu L, Pang C") == [("L.", "Jiayu"), ("Pang", "C")]


@pytest.mark.parametrize(
    ("row", "names"),
    [
        # sources/awesome-rsvlm.md: one person written "Family, Given", not two
        ("Djoufack Basso, Larissa", [("Djoufack Basso", "Larissa")]),
        (
            "Djoufack Basso, Larissa and Smith, John",
            [("Djoufack Basso", "Larissa"), ("Smith", "John")],
        ),
        # sources/awesome-rsvlm.md: two one-word names among full ones
        (
            "Arto, Dev Vidhani, Goutham, Mayank Bhaskar, Sujit Pal",
            ["Arto", ("Vidhani", "Dev"), "Goutham", ("Bhaskar", "Mayank"), ("Pal", "Sujit")],
        ),
        # sources/rs-mllm.md (osco2023potential)
        (
            "L. P. Osco, E. L. de Lemos, W. N. Gonçalves, A. P. M. Ramos, and J. Marcato Junior.",
            [
                ("Osco", "L. P."),
                ("de Lemos", "E. L."),
                ("Gonçalves", "W. N."),
                ("Ramos", "A. P. M."),
                ("Marcato Junior", "J."),
            ],
        ),
        # sources/rs-image-text-retrieval.md (alrahhal2022multilanguage): citation style
        (
            "Al Rahhal M M, Bazi Y, Alsharif N A",
            [("Al Rahhal", "M M"), ("Bazi", "Y"), ("Alsharif", "N A")],
        ),
        # APA, semicolons, "&"
        ("Wu, K., Zhang, Y., ... & Li, Y.", [("Wu", "K."), ("Zhang", "Y."), ("Li", "Y.")]),
        ("Huo, Chunlei; Chen, Keming", [("Huo", "Chunlei"), ("Chen", "Keming")]),
        ("Liu, Fan, Wang, Bo", [("Liu", "Fan"), ("Wang", "Bo")]),
        # ../shared/lists: footnote marks, "Family Given" pinyin among given-first names
        (
            "Taoran Yi1, Jiemin Fang, Guanjun Wu1",
            [("Yi", "Taoran"), ("Fang", "Jiemin"), ("Wu", "Guanjun")],
        ),
        (
            "Bardienus P. Duisterhof, Zhao Mandi, Yunchao Yao",
            [("Duisterhof", "Bardienus P."), ("Zhao", "Mandi"), ("Yao", "Yunchao")],
        ),
        ("Mi L, Li S, Chappuis C", [("Mi", "L"), ("Li", "S"), ("Chappuis", "C")]),
    ],
)
def test_real_author_rows(row: str, names: list[tuple[str, str] | str]) -> None:
    assert _read(row) == names


def test_pinyin_syllables() -> None:
    counts = {"Jiayu": 2, "Xian": 1, "Gui-Song": 2, "Conghui": 2, "Shuai": 1, "Pang": 1}
    assert {w: chinese_names.syllables(w) for w in counts} == counts
    # a vowel never starts a later syllable (pinyin writes Xi'an), and non-pinyin is None
    assert chinese_names.syllables("Tuia") is None
    assert chinese_names.syllables("Kautz") is None
    assert chinese_names.syllables("Yi1") is None


def test_names_reach_the_outputs() -> None:
    work = Work(
        id="w",
        kind="paper",
        title="t",
        authors=split_authors("Arto, J. Marcato Junior, L. Jiayu, C. Pang, Robert Smith Jr."),
    )
    assert csl_names(work.authors)[0] == {"literal": "Arto"}
    record = from_resolved(ResolvedWork(work=work, csl={}), key="k")
    item = to_item(record)
    assert item["author"][:2] == [{"literal": "Arto"}, {"family": "Marcato Junior", "given": "J."}]
    assert item["author"][-1] == {"family": "Smith", "given": "Robert", "suffix": "Jr"}
    bib = [bib_name(n) for n in record.authors]
    assert bib == ["{Arto}", "Marcato Junior, J.", "Jiayu, L.", "Pang, C.", "Smith, Jr, Robert"]
    assert record_name("Marcato Junior, J.").family == "Marcato Junior"
    assert record_name("Arto").literal == "Arto"


def test_registry_names_win_over_the_list() -> None:
    work = Work(id="w", kind="paper", title="t", authors=["L. Jiayu", "C. Pang"])
    registry = {"author": [{"family": "Li", "given": "Jiayu"}, {"family": "Pang", "given": "Chao"}]}
    rw = ResolvedWork(work=work, csl=registry, resolved_by="crossref", verified=True)
    record: Record = from_resolved(rw, key="k")
    assert [(n.family, n.given) for n in record.authors] == [("Li", "Jiayu"), ("Pang", "Chao")]

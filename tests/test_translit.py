"""CJK in Latin letters (pipeline.translit): the readings keys and pdflatex get."""

from __future__ import annotations

import pytest

from pipeline.translit import family_name, key_words, punctuation, romanize, script, syllable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lists' Chinese titles and journals
        ("遥感大模型：进展与前瞻", "Yao gan da mo xing: jin zhan yu qian zhan"),
        (
            "地理人工智能样本：模型、质量与服务",
            "Di li ren gong zhi neng yang ben: mo xing, zhi liang yu fu wu",
        ),
        ("武汉大学学报 (信息科学版)", "Wu han da xue xue bao (xin xi ke xue ban)"),
        ("SAR影像变化检测", "SAR ying xiang bian hua jian ce"),
        ("基于《数据》（综述）", "Ji yu \u201cshu ju\u201d (zong shu)"),
        # a word's reading, not the character's commonest one
        ("长江流域重庆市", "Chang jiang liu yu chong qing shi"),
        # kana: small ya/yu/yo, small tsu, small vowels, the prolonged sound mark
        ("きゃっと しゃしん ちゃ じゃ", "Kyatto shashin cha ja"),
        ("ディープラーニング", "Diipuraaningu"),
        ("한국어 자연어 처리", "Hangukeo jayeoneo cheori"),
        # text without CJK is left exactly as it is
        ("a.b 1,000 — Müller", "a.b 1,000 — Müller"),
        ("RS5M 遥感", "RS5M yao gan"),
    ],
)
def test_romanize(text: str, expected: str) -> None:
    assert romanize(text) == expected
    assert romanize(expected) == expected


def test_scripts_syllables_and_marks() -> None:
    assert [script(c) for c in "遥かな한：A"] == ["han", "kana", "kana", "hangul", "punct", ""]
    assert [syllable(c) for c in "遥しっー한"] == ["yao", "shi", "", "", "han"]
    assert [punctuation(c) for c in "：、。（＃Ａ＂"] == [":", ",", ".", "(", "#", "A", "\u201d"]
    assert syllable("A") == "" and punctuation("a") == "a"


def test_key_words_read_chinese_two_characters_a_word() -> None:
    assert key_words("遥感基础模型") == ["yaogan", "jichu", "moxing"]
    assert key_words("RemoteCLIP: A 遥感") == ["RemoteCLIP:", "A", "yaogan"]
    assert key_words("！？") == []


def test_family_names() -> None:
    assert family_name("张三", whole=False) == "zhang"
    assert family_name("欧阳修", whole=False) == "ouyang"  # a two-character family name
    assert family_name("欧阳", whole=True) == "ouyang"
    assert family_name("김철수", whole=False) == "gim"
    assert family_name("山田 太郎", whole=False) == "shantian"

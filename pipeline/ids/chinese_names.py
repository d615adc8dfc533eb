"""Which part of a romanized Chinese name is the family name, from its syllables alone.

Chinese family names are one syllable (a handful of compound ones excepted: Ouyang, Sima …);
given names are mostly two, written as one word (``Jiayu``, ``Gui-Song``). So a name whose
words are all Hanyu Pinyin tells its order by their syllable counts, where lists write it
either way: ``Zhao Mandi`` is family Zhao, ``Mandi Zhao`` family Zhao too, and in a list of
pinyin names ``L. Jiayu`` abbreviates the family name, not the given one.

A word is pinyin when it splits into syllables of the standard inventory, each syllable after
the first starting with a consonant (pinyin writes ``Xi'an``, never ``Xian``, for two
syllables): ``Tuia`` and ``Kautz`` are not pinyin, ``Bazi`` is; a single name decided by its
syllables can still be wrong (``Ken Mori`` reads as family Ken), which is why
:mod:`pipeline.ids.names` asks for the whole author list to be pinyin before reading
``I. Word`` as family-initial, given name.
"""

from __future__ import annotations

import functools

from pipeline.text import ascii_fold

# Every syllable of Hanyu Pinyin without tones (ü written v or u, as names write it).
_INVENTORY = """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can
    cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai
    chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den
    deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa fan fang
    fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang
    gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
    ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken
    keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei leng li lia lian
    liang liao lie lin ling liu lo long lou lu luan lun luo lv lve lue ma mai man mang mao me mei
    men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian
    niang niao nie nin ning niu nong nou nu nuan nuo nv nve nue o ou pa pai pan pang pao pei pen
    peng pi pian piao pie pin ping po pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu
    quan que qun ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo sa sai san sang sao
    se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang
    shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie
    ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao
    xie xin xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue
    yun za zai zan zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi
    zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
"""
_SYLLABLES = frozenset(_INVENTORY.split())

_COMPOUND = "ouyang sima zhuge situ shangguan dongfang huangfu linghu xiahou zhangsun yuwen murong duanmu gongsun zhongli helian wenren nangong"
COMPOUND_SURNAMES = frozenset(_COMPOUND.split())
"""Two-syllable family names (复姓): the exceptions to "a family name is one syllable"."""

_VOWEL = "aeiouv"


def syllables(word: str) -> int | None:
    """Fewest pinyin syllables ``word`` is written with (``Jiayu`` 2, ``Xian`` 1, ``Gui-Song`` 2),
    or None when it is not pinyin."""
    text = ascii_fold(word)  # ü → u, and a hyphen or apostrophe between syllables dropped
    return _count(text) if text.isalpha() and len(text) <= 30 else None


@functools.lru_cache(maxsize=4096)
def _count(text: str) -> int | None:
    """Fewest syllables ``text`` splits into (a vowel never starts a syllable but the first)."""
    best: list[int | None] = [0] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - 6), end):
            before = best[start]
            piece = text[start:end]
            if before is None or piece not in _SYLLABLES:
                continue
            if start and piece[0] in _VOWEL:
                continue
            current = best[end]
            best[end] = before + 1 if current is None else min(current, before + 1)
    return best[len(text)]


def is_surname_shaped(word: str) -> bool:
    """One pinyin syllable, or a compound family name: what a Chinese family name looks like."""
    return syllables(word) == 1 or ascii_fold(word) in COMPOUND_SURNAMES


def is_given_shaped(word: str) -> bool:
    """Two pinyin syllables and no compound family name: a Chinese given name (one or two
    characters; three syllables, ``Tanaka``, is no Chinese name)."""
    return syllables(word) == 2 and ascii_fold(word) not in COMPOUND_SURNAMES

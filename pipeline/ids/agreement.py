"""Do two titles name the same paper? The measure every stage uses before it trusts an id.

A list's title and a registry's title of one paper differ in casing and punctuation, a
subtitle added or dropped on publication, a name added in a later arXiv version
("RS5M: …" → "RS5M and GeoRSCLIP: …"), LaTeX or HTML markup, a word abbreviated ("RS",
"VLM"), a title cut short. Two different papers, on the other hand, often share most of their
words ("RPTQ: Reorder-based Post-training Quantization for Large Language Models" beside
"FPTQ: Fine-grained Post-Training Quantization for Large Language Models", 0.88 by plain
character ratio) and differ in their *name*, the part before the colon.

So :func:`title_agreement` is the character ratio of the reduced titles (:func:`words`),
raised when one title is the other with a subtitle added, raised when both start with the
same name, and capped when both start with a name and the names differ. The thresholds are
chosen from real pairs of the lists (``tests/test_agreement.py`` holds them, both sides):

* same paper, lowest ratio seen: TEOChat's two titles, 0.87 (same name, so raised to 0.9);
  RS5M / "RS5M and GeoRSCLIP", 0.69 (same first name word, raised to 0.9);
* different papers, highest ratio seen without a name: "Self-supervised audiovisual
  representation learning for remote sensing data" / "Self-supervised material and texture
  representation learning for remote sensing tasks", 0.83.

Hence :data:`AGREE` = 0.85. A title of at most :data:`NAME_WORDS` words is a name (a dataset
row titled "RSICD" links the paper that made it): it is no evidence of another paper.
"""

from __future__ import annotations

import re

from pipeline.ids.titles import fold, ratio

AGREE = 0.85
"""Agreement at or above which an identifier's record stands for the list's entry."""
WEAK = 0.6
"""Agreement at or above which a record is accepted when the first author and year agree
as well (a title reworded on publication)."""
NAME_WORDS = 3
"""A title of at most this many words names a dataset or model, not a paper."""
SAME_NAME = 0.9
DIFFERENT_NAME = 0.5

_TAG = re.compile(r"<[^<>]{0,200}>")
_LATEX = re.compile(r"\\[A-Za-z]+\*?|[${}]")
_HEAD = re.compile(r"\s*(?::|\s[-\u2013\u2014]\s)\s*")
# Abbreviations lists use for words registries spell out (whole words only).
_ABBREVIATIONS = {
    "rs": "remote sensing",
    "vlm": "vision language model",
    "vlms": "vision language models",
    "llm": "large language model",
    "llms": "large language models",
    "mllm": "multimodal large language model",
    "mllms": "multimodal large language models",
    "vqa": "visual question answering",
    "eo": "earth observation",
    "toward": "towards",
}


def plain(title: str) -> str:
    """A title without HTML tags and LaTeX commands, math shifts and braces."""
    return _LATEX.sub("", _TAG.sub("", title))


def words(title: str) -> str:
    """A title reduced for comparison: markup dropped, :func:`fold`, abbreviations spelled out."""
    folded = fold(plain(title)).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in folded)


def head(title: str) -> str:
    """The part before the first colon (or spaced dash), reduced; empty when there is none."""
    parts = _HEAD.split(plain(title), maxsplit=1)
    return words(parts[0]) if len(parts) == 2 and parts[1].strip() else ""


def is_name(title: str) -> bool:
    """A title too short to name a paper (``RSICD``, ``UCM-Captions``)."""
    return len(words(title).split()) <= NAME_WORDS


def _names(a: str, b: str) -> tuple[str, str] | None:
    """Both titles' names (short heads), when both start with one."""
    ha, hb = head(a), head(b)
    if ha and hb and len(ha.split()) <= NAME_WORDS and len(hb.split()) <= NAME_WORDS:
        return ha, hb
    return None


def title_agreement(a: str, b: str) -> float:
    """How surely two titles name the same paper, in [0, 1]; see the module docstring."""
    wa, wb = words(a), words(b)
    score = ratio(wa, wb)
    if not wa or not wb or wa == wb:
        return score
    names = _names(a, b)
    if names is not None:
        na, nb = names
        # "RS5M" and "RS5M and GeoRSCLIP" are one name; "RPTQ" and "FPTQ" are two papers
        if na == nb or na.split()[0] == nb.split()[0]:
            score = max(score, SAME_NAME)
        else:
            score = min(score, DIFFERENT_NAME)
    short, long = sorted((wa, wb), key=len)
    if len(short.split()) > NAME_WORDS and long.startswith(short + " "):
        score = max(score, 0.95)  # a subtitle added or dropped
    return score


def titles_agree(a: str, b: str) -> bool:
    """The two titles may name one paper: they agree, or one of them is only a name."""
    return is_name(a) or is_name(b) or title_agreement(a, b) >= AGREE

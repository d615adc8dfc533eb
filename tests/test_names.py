"""One reading of author names for every stage."""

from __future__ import annotations

import pytest

from pipeline.ids.names import SplitName, split_name


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
        ("Larissa", "Larissa", ""),
        ("  Yan\u00a0Shu ", "Shu", "Yan"),
    ],
)
def test_split_name(text: str, family: str, given: str) -> None:
    assert split_name(text) == SplitName(family, given)


def test_empty_name_is_none() -> None:
    assert split_name(" , ") is None

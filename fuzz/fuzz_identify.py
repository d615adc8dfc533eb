"""Fuzz ``pipeline.scrape.identify.identify``: URL text → arXiv id, DOI, IEEE number, repo.

Half the inputs get a real host and path prefix (arxiv.org/abs/, doi.org/, github.com/ …) so
that the fuzzer spends its time inside each rule rather than on hosts no rule knows. Whatever
comes out must be normalized as DESIGN.md says, or absent.

    .venv/bin/python fuzz/fuzz_identify.py -max_total_time=60 build/fuzz/identify
"""

from __future__ import annotations

import os
import re
import sys

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    from pipeline.scrape.identify import identify, normalize_arxiv, normalize_doi

PREFIXES = [
    "https://arxiv.org/abs/",
    "https://arxiv.org/pdf/",
    "http://export.arxiv.org/abs/",
    "https://doi.org/",
    "https://dx.doi.org/10.",
    "https://dl.acm.org/doi/abs/10.",
    "https://ieeexplore.ieee.org/document/",
    "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=",
    "https://github.com/",
    "https://www.github.com/",
    "https://img.shields.io/github/stars/",
    "https://www.nature.com/articles/",
    "https://link.springer.com/article/10.",
    "https://huggingface.co/datasets/",
    "https://openreview.net/forum?id=",
    "",
]
ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Za-z-]+)?/\d{7})\Z")
REPO = re.compile(r"[a-z0-9_.-]+/[a-z0-9_.-]+\Z")
STRICT = os.environ.get("FUZZ_STRICT") == "1"
"""FUZZ_STRICT=1: known defects crash the run too (to check whether they are fixed)."""
_seen: set[str] = set()


def known_defect(name: str, example: str) -> bool:
    """A defect already reported (docs/reliability.md): say so once, keep fuzzing."""
    if STRICT:
        return False
    if name not in _seen:
        _seen.add(name)
        print(f"known defect {name}: example {example[:200]!r}", file=sys.stderr, flush=True)
    return True


def newline_in_repo(repo: str) -> bool:
    """identify.py's ``_NAME`` ends in ``$``, which also matches before a final newline:
    ``github.com/owner%0A/repo`` gives the repository ``owner\n/repo``."""
    return "\n" in repo and REPO.match(repo.replace("\n", "")) is not None


def valid_arxiv(arxiv: str, url: str) -> bool:
    if ARXIV.match(arxiv):
        return True
    # identify.py's pattern is case-insensitive, so 'FOO/0112017' passes as an old-style id;
    # the arXiv API answers 400 for the whole id_list batch it is in.
    upper = ARXIV.match(arxiv.lower()) is not None
    return upper and known_defect("identify-uppercase-old-style-arxiv", url)


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    prefix = PREFIXES[provider.ConsumeIntInRange(0, len(PREFIXES) - 1)]
    url = prefix + provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    try:
        found = identify(url)
    except ValueError:
        # identify.py checks arnumber with str.isdigit(), true for '²' or '➇' too, then
        # int() fails: https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=%C2%B2 raises.
        unicode_digit = any(c.isdigit() and not c.isascii() for c in url)
        if unicode_digit and known_defect("identify-unicode-digit-arnumber", url):
            return
        raise
    if found.arxiv is not None:
        assert valid_arxiv(found.arxiv, url), (url, found.arxiv)
    if found.doi is not None:
        assert found.doi == found.doi.lower() and found.doi.startswith("10."), (url, found.doi)
        # Trailing punctuation is the sentence's, a closing parenthesis only when unbalanced.
        assert "/" in found.doi and not found.doi.endswith((".", ",", ";")), (url, found.doi)
        if found.doi.endswith(")"):
            assert found.doi.count("(") >= found.doi.count(")"), (url, found.doi)
    if found.ieee is not None:
        # digits, leading zeros stripped (arnumber=0 gives "0": no document, resolves to nothing)
        assert found.ieee.isdigit() and found.ieee == str(int(found.ieee)), (url, found.ieee)
    if found.github is not None and not REPO.match(found.github):
        known = newline_in_repo(found.github) and known_defect("identify-newline-in-repo", url)
        assert known, (url, found.github)
    assert found.role in ("paper", "code", "dataset", "project", "other"), found.role
    arxiv = normalize_arxiv(url)
    assert arxiv is None or valid_arxiv(arxiv, url), (url, arxiv)
    doi = normalize_doi(url)
    assert doi is None or (doi == doi.lower() and doi.startswith("10.")), (url, doi)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

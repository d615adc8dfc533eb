"""Fuzz ``pipeline.ids.links.identify``: URL text → arXiv id, DOI, IEEE number, repo.

Half the inputs get a real host and path prefix (arxiv.org/abs/, doi.org/, github.com/ …) so
that the fuzzer spends its time inside each rule rather than on hosts no rule knows. Whatever
comes out must be normalized as docs/design.md says, or absent.

    .venv/bin/python fuzz/fuzz_identify.py -max_total_time=60 build/fuzz/identify
"""

from __future__ import annotations

import re
import sys

import atheris  # type: ignore[import-untyped]

with atheris.instrument_imports():
    from pipeline.ids.arxiv import normalize_arxiv
    from pipeline.ids.doi import normalize_doi
    from pipeline.ids.links import identify

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


def test_one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    prefix = PREFIXES[provider.ConsumeIntInRange(0, len(PREFIXES) - 1)]
    url = prefix + provider.ConsumeUnicodeNoSurrogates(provider.remaining_bytes())
    # What this harness found, fixed since (docs/reliability.md): a Unicode digit in an IEEE
    # arnumber raised ValueError, "owner%0A" made a repository name, "FOO/0112017" an arXiv id.
    found = identify(url)
    if found.arxiv is not None:
        assert ARXIV.match(found.arxiv), (url, found.arxiv)
    if found.doi is not None:
        assert found.doi == found.doi.lower() and found.doi.startswith("10."), (url, found.doi)
        # Trailing punctuation is the sentence's, a closing parenthesis only when unbalanced.
        assert "/" in found.doi and not found.doi.endswith((".", ",", ";")), (url, found.doi)
        if found.doi.endswith(")"):
            assert found.doi.count("(") >= found.doi.count(")"), (url, found.doi)
    if found.ieee is not None:
        # digits, leading zeros stripped (arnumber=0 gives "0": no document, resolves to nothing)
        assert found.ieee.isdigit() and found.ieee == str(int(found.ieee)), (url, found.ieee)
    if found.github is not None:
        assert REPO.match(found.github), (url, found.github)
    assert found.role in ("paper", "code", "dataset", "project", "other"), found.role
    arxiv = normalize_arxiv(url)
    assert arxiv is None or ARXIV.match(arxiv), (url, arxiv)
    doi = normalize_doi(url)
    assert doi is None or (doi == doi.lower() and doi.startswith("10.")), (url, doi)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""The fake services' fuzzy title search: one C-level pass over the titles (rapidfuzz's
``process.extract``), so a 20,000-record bench world answers a search in milliseconds instead
of scoring every record in Python (which made the fake web, not the pipeline, the bottleneck).
Scores are ``fuzz.token_set_ratio`` of the lower-cased texts, as before."""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

from tests.fakeweb.world import Record


def search_titles(
    text: str, records: Sequence[Record], cutoff: float
) -> list[tuple[str, float, int]]:
    """``(title, score, index)`` for each record whose title scores ``cutoff`` or more."""
    if not text:
        return []
    titles = [r.title.lower() for r in records]
    found = process.extract(
        text.lower(), titles, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, limit=None
    )
    return [(title, float(score), int(index)) for title, score, index in found]

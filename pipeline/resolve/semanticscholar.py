"""Semantic Scholar's paper batch: for many preprints at once, whether a published version
exists (https://api.semanticscholar.org/api-docs/graph#tag/Paper-Data/operation/post_graph_get_papers),
and for every work named by an arXiv id or DOI its ``citationCount`` (:mod:`.citations`).

``POST {s2}/paper/batch?fields=…`` with ``{"ids": ["ARXIV:2306.11029", "DOI:10.…", …]}``, at
most :data:`BATCH` ids a request. The answer is a JSON array in request order with ``null``
for ids the service does not know (``../shared/api-samples/semanticscholar/
paper_batch_with_null_not_found.json``); it can hold fewer entries than asked, and shared
keyless traffic is rate-limited (429). So:

* an entry is matched to an id by its ``externalIds`` (``ArXiv``, ``DOI``), never by position;
* a ``null`` means "unknown" only when the answer is as long as the question and every
  entry that names itself stands where its id was asked (the order is then proven); otherwise
  the ids no entry names are *unanswered*: asked again next run, never "no published version";
* a refused or failed batch leaves all its ids unanswered (the fetcher retries, then gives up).

Each answer is filed in the cache under the id's own ``GET {s2}/paper/{id}`` URL (a 404 body
for a known unknown), so a later run asks only the ids no earlier batch answered. The key
(``PIPELINE_S2_KEY``) goes in ``x-api-key`` to this endpoint only; POSTs follow no redirect.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.errors import Unavailable
from pipeline.ids import arxiv as arxiv_ids
from pipeline.ids.doi import comparable
from pipeline.resolve.base import Context
from pipeline.resolve.fetch import full_url

BATCH = 500
"""Ids per batch request: the service's limit."""

FIELDS = "externalIds,title,venue,year,authors,citationCount"
ARXIV_DOI_PREFIX = "10.48550/"
"""arXiv's own DataCite DOIs: the preprint itself, not a published version."""


@dataclass(frozen=True)
class Answer:
    """What the batch said about one id: its entry, or None for a paper it does not know."""

    entry: dict[str, Any] | None

    @property
    def published_doi(self) -> str | None:
        """The DOI of the published version (not arXiv's own DOI), if there is one."""
        ids = (self.entry or {}).get("externalIds") or {}
        doi = comparable(ids.get("DOI") or "") if isinstance(ids, dict) else ""
        return doi if doi and not doi.startswith(ARXIV_DOI_PREFIX) else None

    @property
    def citations(self) -> int | None:
        """The paper's ``citationCount``, when the answer holds one."""
        count = (self.entry or {}).get("citationCount")
        return (
            count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None
        )


def key_of(arxiv_id: str) -> str:
    """The batch id of an arXiv preprint."""
    return f"ARXIV:{arxiv_ids.canonical(arxiv_id)}"


def doi_key(doi: str) -> str:
    """The batch id of a DOI."""
    return f"DOI:{comparable(doi)}"


def paper_url(ctx: Context, key: str) -> str:
    """Where one id's answer is filed (the single-paper GET the batch stands for)."""
    return full_url(f"{ctx.settings.endpoints.s2}/paper/{key}", {"fields": FIELDS})


def names(entry: dict[str, Any]) -> set[str]:
    """The batch ids an entry answers to, from its ``externalIds``."""
    ids = entry.get("externalIds") or {}
    if not isinstance(ids, dict):
        return set()
    out = set()
    if ids.get("ArXiv"):
        out.add(key_of(str(ids["ArXiv"])))
    if ids.get("DOI"):
        out.add(doi_key(str(ids["DOI"])))
    return out


def batch_check(body: bytes) -> str | None:
    """A batch answer must be a JSON array of objects and nulls."""
    data = json.loads(body)
    if not isinstance(data, list) or not all(e is None or isinstance(e, dict) for e in data):
        return "no Semantic Scholar paper list in the answer"
    return None


def match(keys: Sequence[str], data: list[dict[str, Any] | None]) -> dict[str, Answer]:
    """The answers by id: entries matched by ``externalIds``; nulls only when order is proven."""
    answers: dict[str, Answer] = {}
    aligned = len(data) == len(keys)
    for position, entry in enumerate(data):
        if entry is None:
            continue
        named = names(entry)
        for key in named & set(keys):
            answers[key] = Answer(entry)
        if aligned and keys[position] not in named:
            aligned = False  # out of order (or about something else): nulls prove nothing
    if aligned:
        for key, entry in zip(keys, data, strict=True):
            if entry is None:
                answers[key] = Answer(None)
    return answers


def cached(ctx: Context, key: str) -> Answer | None:
    """What the cache holds for ``key`` (fresh, or any age offline); None: not asked yet."""
    response = ctx.fetcher.stored(paper_url(ctx, key))
    if response is None:
        return None
    if response.status_code != 200:
        return Answer(None)
    entry = json.loads(response.content)
    return Answer(entry if isinstance(entry, dict) else None)


def _ask(ctx: Context, keys: list[str]) -> dict[str, Answer]:
    """One batch request; its answers filed per id. Raises :class:`Unavailable`."""
    url = full_url(f"{ctx.settings.endpoints.s2}/paper/batch", {"fields": FIELDS})
    headers = {"Content-Type": "application/json"}
    if ctx.settings.s2_key:
        headers["x-api-key"] = ctx.settings.s2_key
    payload = json.dumps({"ids": keys}).encode()
    response = ctx.fetcher.post(url, payload, headers, check=batch_check)
    if response.status_code != 200:
        ctx.fetcher.failed.add("semanticscholar")
        raise Unavailable("semanticscholar", url, f"HTTP {response.status_code}")
    answers = match(keys, json.loads(response.content))
    for key, answer in answers.items():
        if answer.entry is None:
            body = json.dumps({"error": f"Paper with id {key} not found"}).encode()
            ctx.fetcher.file(paper_url(ctx, key), 404, body)
        else:
            ctx.fetcher.file(paper_url(ctx, key), 200, json.dumps(answer.entry).encode())
    return answers


def lookup(
    ctx: Context, keys: Sequence[str], fill: Sequence[str] = ()
) -> tuple[dict[str, Answer], set[str]]:
    """Answers for ``keys`` (from the cache, else in batches of :data:`BATCH`), and the keys
    left unanswered (a batch failed or skipped them). Keys of ``fill`` not answered yet are
    asked only in the room the batches for ``keys`` leave: they never cost a request."""
    answers: dict[str, Answer] = {}
    ask: list[str] = []
    for key in dict.fromkeys(keys):
        known = cached(ctx, key)
        if known is not None:
            answers[key] = known
        else:
            ask.append(key)
    if ask:  # ``fill`` only takes up the room left in the batches ``keys`` need
        room = -len(ask) % BATCH
        extra = [k for k in dict.fromkeys(fill) if k not in answers and k not in ask]
        ask += [k for k in extra if cached(ctx, k) is None][:room]
    for start in range(0, len(ask), BATCH):
        batch = ask[start : start + BATCH]
        try:
            answers.update(_ask(ctx, batch))
        except Unavailable:
            break  # the fetcher noted the failure (or the budget); the rest stay unanswered
    return answers, {k for k in keys if k not in answers}

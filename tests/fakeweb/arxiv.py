"""Fake arXiv API: ``GET /arxiv/api/query?id_list=…`` answering Atom feeds shaped like
``../shared/api-samples/arxiv/`` (unknown well-formed ids are dropped; a malformed id gets
the 400 error feed, as the real service does)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from aiohttp import web

from tests.fakeweb.core import FakeWeb
from tests.fakeweb.world import Record, build_world

ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")
HEAD = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
"""


def entry(key: str, r: Record, version: int | None = None) -> str:
    """The Atom entry of ``key``; a version asked for (``2403.20213v1``) titles it as that
    version was titled (arXiv answers a versioned id with that version)."""
    title = r.versions.get(version, r.title) if version else r.title
    tag = f"v{version or len(r.versions) + 1}"
    stamp = f"{r.year:04d}-{r.month:02d}-{r.day:02d}T17:59:59Z"
    authors = "".join(
        f"    <author>\n      <name>{escape(f'{g} {f}'.strip())}</name>\n    </author>\n"
        for g, f in r.authors
    )
    extra = ""
    if r.journal_ref:
        extra += f"    <arxiv:journal_ref>{escape(r.journal_ref)}</arxiv:journal_ref>\n"
    extra += '    <arxiv:primary_category term="cs.CV"/>\n'
    doi = ""
    if r.arxiv_doi:
        doi = (
            f"    <arxiv:doi>{escape(r.arxiv_doi)}</arxiv:doi>\n"
            f'    <link rel="related" href="https://doi.org/{escape(r.arxiv_doi)}" title="doi"/>\n'
        )
    return (
        "  <entry>\n"
        f"    <id>http://arxiv.org/abs/{key}{tag}</id>\n"
        f"    <title>{escape(title)}</title>\n"
        f"    <updated>{stamp}</updated>\n"
        f'    <link href="https://arxiv.org/abs/{key}v1" rel="alternate" type="text/html"/>\n'
        f'    <link href="https://arxiv.org/pdf/{key}v1" rel="related" type="application/pdf" title="pdf"/>\n'
        f"    <summary>{escape(r.title)}. A fake abstract for the loopback arXiv.</summary>\n"
        '    <category term="cs.CV" scheme="http://arxiv.org/schemas/atom"/>\n'
        f"    <published>{stamp}</published>\n"
        f"{extra}{authors}{doi}"
        "  </entry>\n"
    )


def feed(query: str, entries: list[str], start: int, per_page: int) -> str:
    return (
        HEAD
        + f"  <id>https://arxiv.org/api/fake{len(entries)}</id>\n"
        + f"  <title>arXiv Query: {escape(query)}</title>\n"
        + "  <updated>2026-04-12T22:09:25Z</updated>\n"
        + f"  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>\n"
        + f"  <opensearch:totalResults>{len(entries)}</opensearch:totalResults>\n"
        + f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
        + "".join(entries[start : start + per_page])
        + "</feed>\n"
    )


def error_feed(bad: str) -> str:
    return (
        HEAD
        + "  <id>https://arxiv.org/</id>\n  <title>arXiv Search Results</title>\n"
        + "  <updated>2026-04-12T22:59:06Z</updated>\n"
        + "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
        + "  <opensearch:totalResults>1</opensearch:totalResults>\n"
        + "  <opensearch:startIndex>0</opensearch:startIndex>\n"
        + "  <entry>\n"
        + f"    <id>https://arxiv.org/api/errors#incorrect_id_format_for_{escape(bad)}</id>\n"
        + "    <title>Error</title>\n"
        + f"    <summary>incorrect id format for {escape(bad)}</summary>\n"
        + "    <author>\n      <name>arXiv api core</name>\n    </author>\n"
        + "  </entry>\n</feed>\n"
    )


def register(app: web.Application, fake: FakeWeb) -> None:
    records: dict[str, Record] = fake.data.setdefault("arxiv", dict(build_world().arxiv))

    async def query(request: web.Request) -> web.Response:
        ids = [i for i in request.query.get("id_list", "").split(",") if i]
        start = int(request.query.get("start", "0"))
        per_page = int(request.query.get("max_results", "10"))
        atom = "application/atom+xml"
        bad = next((i for i in ids if not ID.match(i)), None)
        if bad is not None:
            return web.Response(status=400, text=error_feed(bad), content_type=atom)
        entries = []
        for raw in ids:
            key = re.sub(r"v\d+$", "", raw)
            version = int(raw[len(key) + 1 :]) if raw != key else None
            if key in records:
                entries.append(entry(key, records[key], version))
        return web.Response(
            text=feed(request.query_string, entries, start, per_page), content_type=atom
        )

    app.router.add_get("/arxiv/api/query", query)

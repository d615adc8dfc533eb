"""Shared helpers of the check-stage tests (settings for the fake web, works, one run)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

from pipeline.check.checker import LinkChecker
from pipeline.check.classify import Fetched
from pipeline.check.guard import GuardedResolver
from pipeline.check.request import CheckStats
from pipeline.config import Settings, load_settings
from pipeline.models import Ids, Link, Place, Work, to_json
from pipeline.transport.sessions import aiohttp_session
from tests.fakeweb import FakeWeb
from tests.helpers.fast import FAST_CHECK


def fake_settings(
    web: FakeWeb, root: Path, env: dict[str, str] | None = None, **check: Any
) -> Settings:
    """Settings pointing at the fake web, with fast limits (``check`` overrides them)."""
    environ = {**web.env(), **(env or {})}
    settings = load_settings(root=root, environ=environ)
    limits = dataclasses.replace(settings.check, **{**FAST_CHECK, **check})
    return dataclasses.replace(settings, check=limits)


def check_urls(settings: Settings, urls: list[str]) -> tuple[dict[str, Fetched], CheckStats]:
    """Run the link checker on ``urls`` in one session, as the stage does."""

    async def run() -> tuple[dict[str, Fetched], CheckStats]:
        resolver = GuardedResolver(allow_private=settings.allow_private_hosts)
        async with aiohttp_session(settings, resolver=resolver) as session:
            checker = LinkChecker(session, settings)
            return await checker.check_many(urls), checker.stats

    return asyncio.run(run())


def work(
    wid: str,
    links: list[tuple[str, str]],
    *,
    line: int = 1,
    github: list[str] | None = None,
    file: str = "sources/a.md",
) -> Work:
    return Work(
        id=wid,
        kind="paper",
        title=f"Title of {wid}",
        links=[Link(url=u, role=r) for u, r in links],  # type: ignore[arg-type]
        ids=Ids(github=github or []),
        places=[Place(source="a", file=file, line=line)],
    )


def write_works(root: Path, works: list[Work]) -> None:
    (root / "build").mkdir(parents=True, exist_ok=True)
    (root / "build" / "works.json").write_text(json.dumps(to_json(works)), encoding="utf-8")


def read_links(root: Path, where: str = "build") -> dict[str, Any]:
    return dict(json.loads((root / where / "links.json").read_text(encoding="utf-8")))


def links_by_url(root: Path) -> dict[str, dict[str, Any]]:
    """build/links.json's links, keyed by URL as the lists spell it."""
    return {link["url"]: link for link in read_links(root)["links"]}


def promote(root: Path) -> None:
    """What the emit stage does with our output: build/links.json → output/links.json."""
    (root / "output").mkdir(parents=True, exist_ok=True)
    (root / "output" / "links.json").write_bytes((root / "build" / "links.json").read_bytes())

"""Targets: every URL of the works once, as the lists spell it, with every ``file:line`` it
stands at; which of them are the same fetch; the order they are started in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.ids.urls import host_of, normalize, remap
from pipeline.models import Work


@dataclass
class Target:
    """One URL as the lists spell it, with where it stands and what it is."""

    url: str
    found_in: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    works: set[str] = field(default_factory=set)


def collect(works: Iterable[Work]) -> dict[str, Target]:
    """Every URL in the works, once, with the ``file:line`` places of the works holding it."""
    targets: dict[str, Target] = {}
    for work in works:
        places = {str(p) for p in work.places}
        for link in work.links:
            url = link.url.strip()
            if not url:
                continue
            target = targets.setdefault(url, Target(url))
            target.found_in |= places
            target.roles.add(link.role)
            target.works.add(work.id)
    return targets


def fetch_key(url: str, settings: Settings) -> str:
    """What decides "the same URL": normalized, then remapped."""
    return remap(normalize(url), settings.remap)


def interleave_hosts(urls: Iterable[str]) -> list[str]:
    """The URLs one per host in turn, the hosts with the most URLs first in every round.

    Lists cluster by host (arXiv, GitHub, IEEE Xplore): in list order the first hosts would
    take every global slot at the start while the others waited; in turns every host starts
    at once (:class:`GlobalSlots` then keeps the longest queue served).
    """
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(host_of(url), []).append(url)
    queues = sorted(by_host.values(), key=len, reverse=True)
    out: list[str] = []
    turn = 0
    while queues:
        while queues and len(queues[-1]) <= turn:
            queues.pop()  # the shortest are last: what is left is a prefix
        out.extend(queue[turn] for queue in queues)
        turn += 1
    return out

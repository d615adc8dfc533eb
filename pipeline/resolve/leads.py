"""What a work gives the resolvers to look up: its DOI, and the publisher-table hits of its links.

The table itself is :mod:`pipeline.ids.publishers` (one table for every stage); here it is read
for resolve's purposes: which links count, and which DOI a work is known by.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.ids.publishers import IEEE_RULE, Rule, rule_for
from pipeline.models import Link, Work


@dataclass(frozen=True)
class Hit:
    """A rule that matched one of a work's links, and what it gave."""

    rule: Rule
    value: str
    url: str


def hits(work: Work) -> list[Hit]:
    """Rule matches among a work's links, plus its IEEE number.

    Paper links are read first. Other links (a dataset's Zenodo record, a project page) count
    only when no paper link gives a hit and the work has no arXiv id: the data deposit of a
    paper is not the paper.
    """
    paper = [link for link in work.links if link.role == "paper"]
    found = _hits_in(paper)
    if not found and not work.ids.arxiv:
        found = _hits_in([link for link in work.links if link.role != "paper"])
    if work.ids.ieee and not any(h.rule.kind == "ieee" for h in found):
        found.append(Hit(IEEE_RULE, work.ids.ieee, f"ieee:{work.ids.ieee}"))
    return found


def _hits_in(links: list[Link]) -> list[Hit]:
    found: list[Hit] = []
    for link in links:
        matched = rule_for(link.url)
        if matched is not None:
            rule, value = matched
            if rule.kind == "doi":
                value = value.lower().rstrip(".")
            found.append(Hit(rule, value, link.url))
    return found


def doi_from_links(work: Work) -> tuple[str, str] | None:
    """The first DOI a ``doi`` row gives for a work's links: ``(doi, publisher)``."""
    for hit in hits(work):
        if hit.rule.kind == "doi":
            return hit.value, hit.rule.publisher
    return None


def known_doi(work: Work) -> tuple[str, str] | None:
    """The DOI a work states (``doi``) or a link rule gives (``rule:<publisher>``)."""
    if work.ids.doi:
        return work.ids.doi.lower(), "doi"
    hit = doi_from_links(work)
    return (hit[0], f"rule:{hit[1]}") if hit else None

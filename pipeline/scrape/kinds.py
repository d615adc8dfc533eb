"""What an entry is: a paper, a dataset, a project (code, a tool) or another resource (a video,
blog post, course, talk, person, another list). Only papers and datasets are cited.

A row that names a paper by an identifier (an arXiv id, DOI, IEEE document or paper page) is a
paper, or a dataset in a dataset section or column; in a section of resources, only when its
title is that link. Any other row is read by two tables, each
row a rule with its tests beside it (``tests/test_scrape_kinds.py``), before a link the list
calls a paper makes it one:

- :data:`OTHER_SECTIONS`: a section whose heading says it holds no papers (``Credits``,
  ``Tutorial Videos``, ``Blog Posts`` …) makes its rows resources;
- :data:`OTHER_HOSTS`: a row whose every link is a video, blog, slide or social page is a
  resource wherever it stands.

Anything else with links is a project (code, a tool, a website).
"""

from __future__ import annotations

import re

from pipeline.config import ScrapeSettings
from pipeline.ids import github
from pipeline.ids.urls import host as host_name
from pipeline.ids.urls import is_host, split
from pipeline.models import Kind, Link

OTHER_SECTIONS = re.compile(
    r"\b(?:credits?|acknowledge?ments?|thanks|contribut(?:ors?|ing|ions?)|tutorials?|videos?|"
    r"talks?|lectures?|courses?|blogs?|blog posts?|podcasts?|people|researchers|"
    r"star history|license|citations?|cite|other (?:awesome )?lists|related (?:awesome )?lists|"
    r"awesome lists|news|updates?|changelog|competitions?|challenges?|contests?|workshops?)\b",
    re.IGNORECASE,
)
"""Headings of sections that hold no papers (a word of the heading, any case)."""

OTHER_HOSTS = (
    "youtube.com",
    "youtu.be",
    "vimeo.com",
    "bilibili.com",
    "medium.com",
    "substack.com",
    "zhihu.com",
    "towardsdatascience.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "scholar.google.com",
    "slideshare.net",
    "speakerdeck.com",
    "reddit.com",
    "news.ycombinator.com",
)
"""Hosts of videos, blog posts, slides and people's pages."""

_BLOG_PATH = re.compile(r"(?:^|/)(?:blog|posts?)(?:/|$)", re.IGNORECASE)


def is_resource_link(url: str) -> bool:
    """A video, blog post, slide deck or a person's page (:data:`OTHER_HOSTS`, ``blog.*``
    hosts, ``/blog/`` paths, a GitHub user's page)."""
    netloc, path, _ = split(url)
    host = host_name(netloc)
    if any(is_host(host, h) for h in OTHER_HOSTS) or host.startswith("blog."):
        return True
    if host == github.HOST:
        return github.is_account_page(url)
    return bool(_BLOG_PATH.search(path))


def other_section(section: list[str]) -> bool:
    """Whether a section path says its rows are not papers (the nearest heading decides)."""
    return bool(section) and bool(OTHER_SECTIONS.search(section[-1]))


def entry_kind(
    *,
    dataset: bool,
    named: bool,
    titled: bool,
    linked: bool,
    links: list[Link],
    section: list[str],
) -> Kind:
    """The kind of a row (module docstring). ``named``: it names a paper by an identifier
    (arXiv id, DOI, IEEE document, paper page); ``titled``: its title is the text of such a
    link; ``linked``: a link of its is taken for the paper's (a link labelled "paper", the
    title cell's link). In a section of resources a row is a paper only when its title links
    the paper (``[A Survey of …](arxiv)`` under Tutorials; a contest row that links its
    outcome paper is a contest). A row with no links at all (``[CVPR 2023] **Title**``) is
    taken for what its section says."""
    resources = other_section(section)
    if (named and (titled or not resources)) or not links:
        return "dataset" if dataset else "paper"
    if resources or all(is_resource_link(link.url) for link in links):
        return "other"
    if linked:
        return "dataset" if dataset else "paper"
    return "dataset" if dataset else "project"


def _heading_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def wanted(section: list[str], settings: ScrapeSettings) -> bool:
    """Whether rows under this section path are read (``[scrape]`` in pipeline.toml)."""
    if not settings.exclude_sections and not settings.include_sections:
        return True
    path = {_heading_key(h) for h in section}
    if any(_heading_key(name) in path for name in settings.exclude_sections):
        return False
    if settings.include_sections:
        return any(_heading_key(name) in path for name in settings.include_sections)
    return True

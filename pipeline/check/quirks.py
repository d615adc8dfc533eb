"""Per-host behaviour of real sites, as rows of a table.

A link checker that reports "dead" for every publisher that blocks bots is worse than none, so
the hosts below are treated by what they are known to do rather than by the status code alone:

``bot_wall``
    The host answers automated clients with 403/418/429 or a 202 "challenge" page (Cloudflare,
    Akamai, PerimeterX). Those answers mean ``blocked`` (could not check), never ``dead``, and a
    429 there is not retried (it is the wall, not a rate limit that will pass).
``head_unreliable``
    HEAD answers differ from GET (refused, 404 or a challenge), so go straight to GET.
``soft404``
    Regular expressions that, found in the first bytes of a 200 body, mean the thing is gone.
    Hosts with fingerprints are fetched with GET so that there is a body to look at.
``parking``
    A domain marketplace or parking host: a link that ends there (any redirect hop onto it)
    is ``parked``, whatever the page says, because a lapsed domain is sent there for sale.
``established``
    A host too big to lapse (GitHub, arXiv, doi.org …): its pages are never looked at for
    parking fingerprints, so its links cost no extra GET.
``per_second``
    The host asks to be fetched more slowly than ``[check] per_host_per_second`` (its
    robots.txt ``Crawl-delay``): its requests are paced at this rate, a gap of at most
    ``[check] crawl_delay_max_seconds``.

:data:`PARKED_PAGES` are the fingerprints of a page that is a parking or for-sale page (or a
hijacked domain now serving spam), whatever host serves it: each row a pattern, why, and an
example of the text it catches, which its test checks.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Quirk:
    """How one host (and its subdomains) behaves."""

    host: str
    bot_wall: bool = False
    head_unreliable: bool = False
    soft404: tuple[str, ...] = ()
    why: str = ""
    parking: bool = False
    established: bool = False
    per_second: float | None = None
    _patterns: tuple[re.Pattern[str], ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        compiled = tuple(re.compile(p, re.IGNORECASE) for p in self.soft404)
        object.__setattr__(self, "_patterns", compiled)

    def matches(self, host: str) -> bool:
        return host == self.host or host.endswith("." + self.host)

    def soft_404(self, body: str) -> str | None:
        """The fingerprint found in ``body``, or None."""
        for pattern in self._patterns:
            found = pattern.search(body)
            if found:
                return found.group(0)
        return None


def _wall(host: str, why: str) -> Quirk:
    return Quirk(host, bot_wall=True, head_unreliable=True, why=why)


SITES: tuple[Quirk, ...] = (
    _wall("ieeexplore.ieee.org", "answers bots with 418 or a JavaScript challenge"),
    _wall("sciencedirect.com", "Elsevier: 403 to non-browser clients"),
    _wall("linkinghub.elsevier.com", "Elsevier DOI landing: redirects into sciencedirect's wall"),
    _wall("dl.acm.org", "Cloudflare challenge (403 or 202)"),
    _wall("onlinelibrary.wiley.com", "Cloudflare challenge (403)"),
    _wall("researchgate.net", "403 / 429 to every non-browser client"),
    _wall("tandfonline.com", "Cloudflare challenge (403)"),
    _wall("science.org", "Cloudflare challenge (403)"),
    _wall("mdpi.com", "Akamai: 403 to automated clients"),
    _wall("x.com", "login wall and 403 to automated clients"),
    _wall("twitter.com", "login wall and 403 to automated clients"),
    _wall("linkedin.com", "answers 999 to automated clients"),
    _wall("medium.com", "Cloudflare challenge (403)"),
    Quirk(
        "drive.google.com",
        head_unreliable=True,
        soft404=(
            r"the file you have requested does not exist",
            r"file does not exist",
            r"<title>\s*Google Drive\s*[-–]\s*Page Not Found",
        ),
        established=True,
        why="a removed file can still answer 200 with a 'does not exist' page",
    ),
    Quirk(
        "pan.baidu.com",
        head_unreliable=True,
        soft404=(
            r"链接不存在",
            r"分享的文件已经被(?:取消|删除)",
            r"(?:分享|链接)已(?:过期|失效)",
            r"来晚了",
            r"share (?:link )?(?:has )?expired",
        ),
        established=True,
        why="an expired or cancelled share answers 200 with a notice",
    ),
    Quirk(
        "arxiv.org",
        soft404=(
            r"Article identifier '[^']*' not recognized",
            r"<title>\s*arXiv[^<]*(?:Error|not found)",
            r"Paper not found",
        ),
        established=True,
        per_second=1 / 15,
        why=(
            "some mirrors answer an unknown identifier with a 200 'not recognized' page; "
            "robots.txt asks 'Crawl-delay: 15', and rapid requests are refused (403), then "
            "treated as an attack (info.arxiv.org/help/robots.html)"
        ),
    ),
)


def _parking(host: str, why: str) -> Quirk:
    return Quirk(host, parking=True, why=why)


def _established(host: str) -> Quirk:
    return Quirk(host, established=True, why="too big to lapse: no parking look")


PARKING_HOSTS: tuple[Quirk, ...] = (
    _parking("sedo.com", "Sedo: domain marketplace; lapsed domains redirect to its sale page"),
    _parking("sedoparking.com", "Sedo's parking servers"),
    _parking("dan.com", "Dan.com (GoDaddy): domain marketplace landing pages"),
    _parking("afternic.com", "Afternic (GoDaddy): domain marketplace"),
    _parking("hugedomains.com", "HugeDomains: buys lapsed domains and sells them"),
    _parking("buydomains.com", "BuyDomains: domain marketplace"),
    _parking("undeveloped.com", "Undeveloped: domain marketplace"),
    _parking("atom.com", "Atom (formerly Squadhelp): domain marketplace"),
    _parking("parkingcrew.net", "ParkingCrew: parking pages with ads"),
    _parking("bodis.com", "Bodis: parking pages with ads"),
    _parking("parklogic.com", "ParkLogic: parking traffic"),
    _parking("above.com", "Above.com: parking and domain sales"),
    _parking("domainmarket.com", "DomainMarket: domain marketplace"),
)
"""Domain marketplaces and parking hosts (a row of :data:`QUIRKS` each)."""

ESTABLISHED_HOSTS: tuple[Quirk, ...] = tuple(
    _established(host)
    for host in (
        "github.com",
        "github.io",
        "githubusercontent.com",
        "doi.org",
        "huggingface.co",
        "openreview.net",
        "paperswithcode.com",
        "google.com",
        "youtube.com",
        "kaggle.com",
        "zenodo.org",
        "springer.com",
        "nature.com",
        "thecvf.com",
        "aaai.org",
        "neurips.cc",
        "nips.cc",
        "acm.org",
        "ieee.org",
        "copernicus.org",
        "spiedigitallibrary.org",
    )
)

QUIRKS: tuple[Quirk, ...] = SITES + PARKING_HOSTS + ESTABLISHED_HOSTS
"""The whole table, searched in order: the first row whose host matches is the host's."""


@dataclass(frozen=True)
class ParkedPage:
    """A fingerprint of a parking, for-sale or hijacked page, with text it must catch."""

    pattern: str
    why: str
    example: str

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE)


PARKED_PAGES: tuple[ParkedPage, ...] = (
    ParkedPage(
        r"(?:this|the) domain(?: name)?(?: [\w.-]+)? (?:is|may be) for sale",
        "for-sale notice of a lapsed domain",
        "<h1>This domain is for sale!</h1>",
    ),
    ParkedPage(
        r"buy this domain",
        "marketplace call to action",
        "<a href='/buy'>Buy this domain</a> today",
    ),
    ParkedPage(
        r"this domain (?:name )?(?:has (?:just )?been|is) (?:parked|registered)\b",
        "registrar's placeholder for a domain nobody serves",
        "This domain has been registered at Namecheap. Coming soon!",
    ),
    ParkedPage(
        r"\bparked free\b|this (?:web ?site|domain) is parked|\bparked domain name\b",
        "registrar's parking page",
        "<title>Parked Domain name on Hostinger DNS system</title>",
    ),
    ParkedPage(
        r"sedoparking|parkingcrew|bodis\.com|window\.park\s*=",
        "a parking service's page script",
        "<script>window.park = 'eyJ1dWlkIjoi';</script>",
    ),
    ParkedPage(
        r"\b(?:slot gacor|judi (?:slot|online)|togel online|situs slot)\b",
        "a lapsed domain now serving gambling spam (hijacked)",
        "<title>SLOT GACOR Hari Ini - Situs Judi Online Terpercaya</title>",
    ),
)


def parked_page(body: str) -> ParkedPage | None:
    """The fingerprint row ``body`` matches, or None."""
    for row in PARKED_PAGES:
        if row.regex.search(body):
            return row
    return None


NO_QUIRK = Quirk("")


@functools.lru_cache(maxsize=4096)
def quirk_for(host: str) -> Quirk:
    """The row for ``host`` (lower-case), or a row with no quirks."""
    host = host.lower().rstrip(".")
    for quirk in QUIRKS:
        if quirk.matches(host):
            return quirk
    return NO_QUIRK

"""Which URL a citation carries, and without what.

Lists copy links out of browsers, so they carry tracking and session parameters
(ScienceDirect's ``?via%3Dihub``, ``utm_*``, ``fbclid``, ``;jsessionid=…``). None of them
changes the page; all of them put ``%``, ``&`` and ``_`` into a reference list. They are
dropped everywhere a record's URL is written (BibTeX, CSL-JSON, the regenerated README).

Each row of :data:`TRACKING_PARAMETERS` and :data:`JUNK_FRAGMENTS` is one rule with its reason;
``tests/test_ids_tracking.py`` has a case for each.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit, urlunsplit

# Query parameter names (compared lower-cased, after percent-decoding) → why they go.
TRACKING_PARAMETERS: dict[str, str] = {
    "via": "ScienceDirect: how the reader arrived (via=ihub)",
    "fbclid": "Facebook click id",
    "gclid": "Google Ads click id",
    "dclid": "Google display click id",
    "msclkid": "Microsoft Ads click id",
    "yclid": "Yandex click id",
    "igshid": "Instagram share id",
    "mc_cid": "Mailchimp campaign id",
    "mc_eid": "Mailchimp subscriber id",
    "_hsenc": "HubSpot tracking",
    "_hsmi": "HubSpot tracking",
    "mkt_tok": "Marketo tracking",
    "casa_token": "Google Scholar's ScienceDirect access token, tied to one session",
    "dgcid": "Elsevier campaign id",
    "jsessionid": "Java servlet session id",
    "phpsessid": "PHP session id",
    "sessionid": "session id",
}
# Every parameter starting with one of these goes too.
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)
# Fragments that only say where the page was scrolled to.
JUNK_FRAGMENTS = re.compile(
    r"^(?:preview-section-[\w-]*"  # ScienceDirect's abstract preview
    r"|:~:text=.*)$",  # a browser's "copy link to highlight"
    re.IGNORECASE | re.DOTALL,
)
# ``;jsessionid=…`` and friends inside the path (servlet containers).
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sessionid)=[^/?#]*", re.IGNORECASE)


def _is_tracking(part: str) -> bool:
    name = unquote(part).partition("=")[0].strip().lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """``url`` without tracking or session parameters and scroll-position fragments.

    Everything else is kept byte for byte (the order of the other parameters, their
    encoding, the case of the path), so a URL with nothing to drop comes back unchanged.
    """
    if "?" not in url and "#" not in url and ";" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # an unbalanced IPv6 bracket: not ours to repair
        return url
    path = _PATH_SESSION.sub("", parts.path)
    query = "&".join(p for p in parts.query.split("&") if p and not _is_tracking(p))
    fragment = "" if JUNK_FRAGMENTS.match(parts.fragment) else parts.fragment
    if (path, query, fragment) == (parts.path, parts.query, parts.fragment):
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))

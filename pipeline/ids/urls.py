"""URLs: the parts the identifier readers need, normalizing, and rewriting (remap).

:func:`split` and :func:`host` are a plain scan, several times faster than ``urlsplit``,
which matters when every entry of a 10,000-entry list is read; :func:`normalize` decides
"the same address" for the link checker.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit


def split(url: str) -> tuple[str, str, str]:
    """(netloc, path, query) of an absolute URL; empty parts when it is not one."""
    _, sep, rest = url.partition("://")
    if not sep:
        return "", "", ""
    end = len(rest)
    for char in "/?#":
        index = rest.find(char, 0, end)
        if index != -1:
            end = index
    path, _, query = rest[end:].partition("#")[0].partition("?")
    return rest[:end], path, query


def host(netloc: str) -> str:
    """Lower-case host of a netloc, without user, port and a leading ``www.``."""
    name = netloc.rsplit("@", 1)[-1].split(":", 1)[0].lower()
    return name[4:] if name.startswith("www.") else name


def is_host(name: str, domain: str) -> bool:
    """Whether ``name`` is ``domain`` or one of its subdomains."""
    return name == domain or name.endswith("." + domain)


@functools.lru_cache(maxsize=65536)
def host_of(url: str) -> str:
    """Lower-case host of ``url`` ("" when it has none); cached, asked several times per URL."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def normalize(url: str) -> str:
    """Scheme and host lower-case, default port and fragment dropped, empty path as ``/``."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    name = (parts.hostname or "").rstrip(".")
    if not name or scheme not in {"http", "https"}:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    if ":" in name:
        name = f"[{name}]"
    default = {"http": 80, "https": 443}[scheme]
    netloc = name if port in (None, default) else f"{name}:{port}"
    if parts.username or parts.password:
        netloc = parts.netloc.rsplit("@", 1)[0] + "@" + netloc
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in: who receives a request."""
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or default)


def remap(url: str, rules: Iterable[tuple[str, str]]) -> str:
    """Apply ``settings.remap`` rewrites in order (what is fetched; reports keep the original)."""
    for pattern, replacement in rules:
        url = re.sub(pattern, replacement, url)
    return url

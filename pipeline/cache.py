"""The persistent HTTP cache: one SQLite file under ``settings.cache_path``.

Keyed by the request (method, full URL with its query, and the headers that change the answer,
such as ``Accept``), it stores successful answers with the time they were fetched and their
ETag. Failures (429, 5xx, timeouts, garbage) are never stored, so a later run asks again.
Entries are replaced by key, bodies are zlib-compressed, and :meth:`HttpCache.prune` drops
what has not been used for a long time, so the file stays small and bounded.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import OutputError

CACHE_FILE = "http.sqlite3"
SCHEMA_VERSION = 1

# Request headers that select a different representation; everything else (User-Agent …)
# does not change the answer and stays out of the key.
KEY_HEADERS = ("accept", "accept-language")

USED_AT_RESOLUTION = 3600.0
"""Seconds: a read refreshes an entry's last-use time at most this often (for prune)."""


def request_key(method: str, url: str, headers: Mapping[str, str] | None = None) -> str:
    """A stable key for a request: method, URL (with query) and the headers in KEY_HEADERS."""
    relevant = {k.lower(): v for k, v in (headers or {}).items() if k.lower() in KEY_HEADERS}
    text = json.dumps([method.upper(), url, sorted(relevant.items())], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CachedResponse:
    """A stored answer: status, the headers worth keeping, body bytes, fetch time, ETag."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: float = 0.0
    etag: str | None = None

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.fetched_at


class HttpCache:
    """SQLite-backed cache, safe to share between threads of one process."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / CACHE_FILE
        try:
            directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL + NORMAL: a crash may lose the last answers, never corrupt the file.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS responses ("
                " key TEXT PRIMARY KEY, url TEXT NOT NULL, status INTEGER NOT NULL,"
                " headers TEXT NOT NULL, body BLOB NOT NULL, fetched_at REAL NOT NULL,"
                " used_at REAL NOT NULL, etag TEXT)"
            )
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            self._db.commit()
        except sqlite3.Error as exc:
            raise OutputError(f"{self.path}: cannot open the HTTP cache: {exc}") from None
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedResponse | None:
        with self._lock:
            row = self._db.execute(
                "SELECT url, status, headers, body, fetched_at, etag, used_at"
                " FROM responses WHERE key=?",
                (key,),
            ).fetchone()
            if row is None:
                return None
            now = time.time()
            if now - float(row[6]) > USED_AT_RESOLUTION:  # a write per read would cost more
                self._db.execute("UPDATE responses SET used_at=? WHERE key=?", (now, key))
                self._db.commit()
        url, status, headers, body, fetched_at, etag, _used_at = row
        return CachedResponse(
            url=url,
            status=int(status),
            body=zlib.decompress(body),
            headers=json.loads(headers),
            fetched_at=float(fetched_at),
            etag=etag,
        )

    def put(self, key: str, response: CachedResponse) -> None:
        """Store (or replace) the answer for ``key``."""
        now = time.time()
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO responses"
                " (key, url, status, headers, body, fetched_at, used_at, etag)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    key,
                    response.url,
                    response.status,
                    json.dumps(response.headers, sort_keys=True),
                    zlib.compress(response.body, 6),
                    response.fetched_at or now,
                    now,
                    response.etag,
                ),
            )
            self._db.commit()

    def touch(self, key: str) -> None:
        """Mark a stored answer as fresh again (a 304 Not Modified revalidated it)."""
        with self._lock:
            now = time.time()
            self._db.execute(
                "UPDATE responses SET fetched_at=?, used_at=? WHERE key=?", (now, now, key)
            )
            self._db.commit()

    def prune(self, unused_for: float) -> int:
        """Delete entries not used for ``unused_for`` seconds; return how many went."""
        with self._lock:
            cursor = self._db.execute(
                "DELETE FROM responses WHERE used_at < ?", (time.time() - unused_for,)
            )
            self._db.commit()
            return cursor.rowcount

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM responses").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()

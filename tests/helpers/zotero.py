"""Zotero's own import engine for the tests: translation-server, from ../shared/consumers.

The tarball (translation-server with the translators Zotero ships; its npm dependencies are
not inside) is unpacked into the git-ignored ``.tools/zotero/`` and ``npm install``-ed there
once, kept between runs and redone only when the tarball changes. A test session starts the
server on a free loopback port (:func:`serve`) and stops it at the end.

``python -m tests.helpers.zotero`` installs it ahead (``make tools``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent.parent
TARBALL = REPO.parent / "shared" / "consumers" / "zotero-translation-server.tar.gz"
CACHE = REPO / ".tools" / "zotero"
NODE_MAJOR = 20  # jsdom and config, its dependencies, need Node 20


class Unavailable(Exception):
    """translation-server cannot be installed or started here; the message says why."""


@dataclass(frozen=True)
class Zotero:
    """A running translation-server."""

    url: str

    def import_text(self, text: str) -> list[dict[str, Any]]:
        """``POST /import``: Zotero items (notes as items of type ``note``) of a file's text,
        as Zotero's "Import from file" makes them. Raises AssertionError when Zotero refuses
        the file (HTTP 500 "No suitable translators found")."""
        items: list[dict[str, Any]] = json.loads(self._post("/import", text.encode()))
        return items

    def export(self, items: list[dict[str, Any]], fmt: str) -> str:
        """``POST /export?format=fmt`` (``csljson``, ``bibtex``, ``ris`` …) of Zotero items."""
        body = json.dumps([i for i in items if i.get("itemType") != "note"]).encode()
        return self._post(f"/export?format={fmt}", body, "application/json")

    def _post(self, path: str, body: bytes, content_type: str = "text/plain") -> str:
        request = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": content_type}
        )
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                text: str = answer.read().decode("utf-8")
                return text
        except urllib.error.HTTPError as error:
            detail = error.read().decode("utf-8", "replace")[:500]
            raise AssertionError(
                f"translation-server {path}: HTTP {error.code}: {detail}"
            ) from None


def install(tarball: Path = TARBALL, cache: Path = CACHE) -> Path:
    """The installed ``translation-server`` folder, unpacked and installed if not yet (or if
    the tarball changed). Raises :class:`Unavailable` saying what is missing."""
    if not tarball.is_file():
        raise Unavailable(f"{tarball} is missing")
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        raise Unavailable(
            "node and npm are needed to run translation-server (.ci/run installs them)"
        )
    _check_node(node)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    server = cache / "translation-server"
    stamp = cache / ".installed"
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sessions at once install it once
        if stamp.exists() and stamp.read_text(encoding="utf-8") == digest:
            return server
        stamp.unlink(missing_ok=True)
        _unpack(tarball, cache)
        command = [npm, "install", "--omit=dev", "--no-audit", "--no-fund", "--loglevel=error"]
        done = subprocess.run(
            command, cwd=server, capture_output=True, text=True, timeout=900, check=False
        )
        if done.returncode != 0:
            raise Unavailable(f"npm install in {server} failed: {done.stderr[-2000:]}")
        stamp.write_text(digest, encoding="utf-8")
    return server


def _check_node(node: str) -> None:
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
    major = version.stdout.strip().lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < NODE_MAJOR:
        raise Unavailable(f"translation-server needs Node {NODE_MAJOR}+, found {version.stdout!r}")


def _unpack(tarball: Path, cache: Path) -> None:
    """Replace the unpacked folders (translation-server, and the wgxpath it depends on)."""
    with tempfile.TemporaryDirectory(dir=cache) as scratch, tarfile.open(tarball) as archive:
        # the "data" filter (3.11.4+) refuses links and paths leaving the folder
        safe: dict[str, Any] = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(scratch, **safe)
        for unpacked in sorted(Path(scratch).iterdir()):
            target = cache / unpacked.name
            if target.exists():
                shutil.rmtree(target)
            unpacked.rename(target)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(server: Path, log: Path, wait: float = 120.0) -> Iterator[Zotero]:
    """translation-server from ``server`` on a free 127.0.0.1 port until the block ends."""
    port = _free_port()
    env = dict(os.environ, NODE_CONFIG=json.dumps({"host": "127.0.0.1", "port": port}))
    with log.open("wb") as output:
        process = subprocess.Popen(
            [shutil.which("node") or "node", "src/server.js"],
            cwd=server,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_listening(process, port, log, wait)
        yield Zotero(f"http://127.0.0.1:{port}")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_listening(
    process: subprocess.Popen[bytes], port: int, log: Path, wait: float
) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise Unavailable(
                f"translation-server exited: {log.read_text('utf-8', 'replace')[-2000:]}"
            )
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.2)
    raise Unavailable(f"translation-server did not listen within {wait:.0f} s")


if __name__ == "__main__":
    try:
        print(f"translation-server installed in {install()}")
    except Unavailable as reason:
        print(f"warning: translation-server not installed: {reason}", file=sys.stderr)
        sys.exit(1)

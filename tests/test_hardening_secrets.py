"""The GitHub token through a whole `pipeline refresh` (a subprocess, as CI runs it).

tests/test_check_github.py already keeps the token out of the check stage's files and logs and
off a redirect to another host. Here the whole refresh runs with a recognizable token, with the
GitHub API failing or redirecting elsewhere, and then everything is searched: stdout, stderr
(debug logs), every file under the project (build/, output/, the HTTP cache) for the token in
clear and in base64, and the fake web's request log for where the token was sent.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.fakeweb import FakeWeb
from tests.helpers.hardening import add_repos, make_project

pytestmark = pytest.mark.network

TOKEN = "ghp_TESTTOKEN0123456789abcdefHARDENINGx42"


def encodings(secret: str) -> list[bytes]:
    """The token in clear and every base64 form it can take inside a longer base64 text."""
    raw = secret.encode()
    forms = [raw, raw.hex().encode()]
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw)
        # Drop the characters that depend on the bytes around the token (start) and padding.
        start = -(-shift * 4 // 3) + (1 if shift else 0)
        forms.append(encoded[start:-4])
        forms.append(base64.urlsafe_b64encode(b"\0" * shift + raw)[start:-4])
    return forms


def leaks(root: Path, *texts: str) -> list[str]:
    forms = encodings(TOKEN)
    found = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*"))
        if path.is_file() and any(form in path.read_bytes() for form in forms)
    ]
    found += [
        f"text #{i}" for i, text in enumerate(texts) if any(f.decode() in text for f in forms)
    ]
    return found


def test_the_search_finds_the_token_where_it_is(tmp_path: Path) -> None:
    """The search itself can fail: it finds the token in clear, in base64 and in a header."""
    (tmp_path / "a").write_text(f"x {TOKEN} y", encoding="utf-8")
    blob = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    (tmp_path / "b").write_text(f"Authorization: Basic {blob}", encoding="utf-8")
    (tmp_path / "c").write_text("nothing here", encoding="utf-8")
    assert leaks(tmp_path) == ["a", "b"]


def refresh(root: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PIPELINE_") and k not in {"GITHUB_TOKEN", "GH_TOKEN"}
    }
    return subprocess.run(
        [sys.executable, "-m", "pipeline", "refresh", "--root", str(root), "-vv"],
        env={**clean, "CI": "true", **env, "GITHUB_TOKEN": TOKEN},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("github", ["ok", "failing", "redirected"])
def test_token_goes_only_to_the_github_api_and_is_never_written(
    fakeweb: FakeWeb, tmp_path: Path, github: str
) -> None:
    root = make_project(tmp_path / "project")
    add_repos(fakeweb)
    fakeweb.data["github"]["token"] = TOKEN
    with FakeWeb(host="127.0.0.2") as elsewhere:
        if github == "failing":
            fakeweb.add_fault("status", "^/github/", status=502)
        elif github == "redirected":
            fakeweb.data["github"]["graphql_redirect"] = f"{elsewhere.url}/github/graphql"
        done = refresh(root, fakeweb.env())
        away = list(elsewhere.requests)

    assert done.returncode == (0 if github == "ok" else 3), done.stderr[-3000:]
    assert (root / "output" / "papers.bib").is_file()
    assert any(root.joinpath(".cache").rglob("*")), "the HTTP cache was written"
    assert leaks(root, done.stdout, done.stderr) == []

    to_github = fakeweb.requests_to("/github/")
    assert to_github, "GitHub was asked"
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in to_github)
    others = [r for r in fakeweb.requests if not r.path.startswith("/github/")]
    assert others, "the other services and sites were asked too"
    for record in others + away:
        assert "Authorization" not in record.headers, record.path
        assert not any(TOKEN in value for value in record.headers.values()), record.path
        assert TOKEN not in record.path_qs
    if github == "redirected":
        assert away, "the redirect to the other host was followed"

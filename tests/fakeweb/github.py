"""GitHub's REST and GraphQL APIs under ``/github``, shaped like ``api-samples/github-*``.

State lives in ``web.data["github"]``; tests set it with the helpers::

    add_repo(web, "Owner/Repo", stars=120, archived=True)
    rename(web, "old/name", "Owner/Repo")          # REST answers 301 → /repositories/{id}
    remove_repo(web, "gone/repo")                   # 404 / NOT_FOUND
    set_rate(web, remaining=0)                      # budget exhausted (REST 403, GraphQL RATE_LIMITED)
    web.data["github"]["token"] = "ghp_…"           # GraphQL insists on this bearer token
    web.data["github"]["graphql_redirect"] = url    # GraphQL answers 307 to ``url``

REST ``GET /repos/{owner}/{repo}`` (and ``/repositories/{id}``) with ETags: ``If-None-Match``
with the current ETag gives 304, which does not count against the rate limit (as on GitHub).
GraphQL ``POST /graphql`` understands ``alias: repository(owner: "…", name: "…") { … }`` and
``rateLimit { remaining resetAt }``; each query costs 1. A repository nobody configured
exists (stars derived from its name) unless ``web.data["github"]["auto"]`` is False.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import web as aioweb

from tests.fakeweb.core import FakeWeb

ALIAS = re.compile(r'(\w+):\s*repository\(owner:\s*"([^"]*)",\s*name:\s*"([^"]*)"\)')
RESET_IN = 3600


def state(web: FakeWeb) -> dict[str, Any]:
    """``web.data["github"]``, with defaults for whatever a test did not set."""
    gh: dict[str, Any] = web.data.setdefault("github", {})
    gh.setdefault("repos", {})
    gh.setdefault("renames", {})
    gh.setdefault("remaining", 5000)
    gh.setdefault("limit", 5000)
    gh.setdefault("reset", int(time.time()) + RESET_IN)
    gh.setdefault("missing", set())
    gh.setdefault("auto", True)
    return gh


def remove_repo(web: FakeWeb, full_name: str) -> None:
    """Make ``full_name`` not exist (404 / NOT_FOUND), even with ``auto`` on."""
    gh = state(web)
    gh["repos"].pop(full_name.lower(), None)
    gh["missing"].add(full_name.lower())


def lookup(web: FakeWeb, key: str) -> dict[str, Any] | None:
    """The record for lower-case ``owner/repo``. With ``auto`` (the default) a repository
    nobody configured exists, with stars derived from its name (sha256, so runs repeat), so
    that stage runs over the real lists see plausible GitHub facts."""
    gh = state(web)
    key = gh["renames"].get(key, key)
    if key in gh["repos"] or key in gh["missing"] or not gh["auto"] or "/" not in key:
        return gh["repos"].get(key)
    digest = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16)
    return add_repo(web, key, stars=digest % 5000, archived=digest % 17 == 0)


def add_repo(
    web: FakeWeb,
    full_name: str,
    *,
    stars: int = 0,
    archived: bool = False,
    pushed_at: str = "2025-06-01T12:00:00Z",
    default_branch: str = "main",
    description: str | None = "A repository",
    license_spdx: str | None = "MIT",
) -> dict[str, Any]:
    """Create (or replace) a repository; returns its record for later changes."""
    repos = state(web)["repos"]
    owner, name = full_name.split("/", 1)
    record = {
        "id": 100000 + len(repos),
        "owner": owner,
        "name": name,
        "stars": stars,
        "archived": archived,
        "pushed_at": pushed_at,
        "default_branch": default_branch,
        "description": description,
        "license": license_spdx,
    }
    repos[full_name.lower()] = record
    return record


def rename(web: FakeWeb, old: str, new: str) -> None:
    state(web)["renames"][old.lower()] = new.lower()


def set_rate(web: FakeWeb, remaining: int, limit: int = 5000) -> None:
    gh = state(web)
    gh["remaining"], gh["limit"] = remaining, limit


def rest_body(base: str, r: dict[str, Any]) -> dict[str, Any]:
    full = f"{r['owner']}/{r['name']}"
    licence = None
    if r["license"]:
        key = r["license"].lower()
        licence = {
            "key": key,
            "name": f"{r['license']} License",
            "spdx_id": r["license"],
            "url": f"{base}/licenses/{key}",
            "node_id": "MDc6TGljZW5zZTEz",
        }
    return {
        "id": r["id"],
        "node_id": f"R_kgDO{r['id']}",
        "name": r["name"],
        "full_name": full,
        "private": False,
        "owner": {"login": r["owner"], "id": r["id"] + 7, "type": "User", "site_admin": False},
        "html_url": f"https://github.com/{full}",
        "description": r["description"],
        "fork": False,
        "url": f"{base}/repos/{full}",
        "created_at": "2023-01-01T00:00:00Z",
        "updated_at": r["pushed_at"],
        "pushed_at": r["pushed_at"],
        "homepage": None,
        "size": 1024,
        "stargazers_count": r["stars"],
        "watchers_count": r["stars"],
        "language": "Python",
        "forks_count": 3,
        "archived": r["archived"],
        "disabled": False,
        "open_issues_count": 1,
        "license": licence,
        "topics": [],
        "visibility": "public",
        "forks": 3,
        "open_issues": 1,
        "watchers": r["stars"],
        "default_branch": r["default_branch"],
        "network_count": 3,
        "subscribers_count": 2,
    }


def register(app: aioweb.Application, web: FakeWeb) -> None:
    def rate_headers(gh: dict[str, Any], resource: str) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(gh["limit"]),
            "X-RateLimit-Remaining": str(max(0, gh["remaining"])),
            "X-RateLimit-Reset": str(gh["reset"]),
            "X-RateLimit-Used": str(gh["limit"] - max(0, gh["remaining"])),
            "X-RateLimit-Resource": resource,
        }

    def base_of(request: aioweb.Request) -> str:
        return f"{request.scheme}://{request.host}/github"

    def answer_repo(
        request: aioweb.Request, gh: dict[str, Any], record: dict[str, Any]
    ) -> aioweb.Response:
        body = json.dumps(rest_body(base_of(request), record), indent=2).encode()
        etag = 'W/"' + hashlib.sha256(body).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            # Conditional hit: free, as on GitHub.
            return aioweb.Response(status=304, headers={**rate_headers(gh, "core"), "ETag": etag})
        gh["remaining"] -= 1
        headers = {
            **rate_headers(gh, "core"),
            "ETag": etag,
            "Cache-Control": "private, max-age=60, s-maxage=60",
        }
        return aioweb.Response(
            body=body, content_type="application/json", charset="utf-8", headers=headers
        )

    def limited(gh: dict[str, Any]) -> aioweb.Response | None:
        if gh["remaining"] > 0:
            return None
        body = {
            "message": "API rate limit exceeded for 127.0.0.1. (But here's the good news: "
            "Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
            "documentation_url": "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
        }
        return aioweb.json_response(body, status=403, headers=rate_headers(gh, "core"))

    async def repos(request: aioweb.Request) -> aioweb.Response:
        gh = state(web)
        key = f"{request.match_info['owner']}/{request.match_info['repo']}".lower()
        refused = limited(gh)
        if refused is not None:
            return refused
        if key in gh["renames"]:
            gh["remaining"] -= 1
            target = lookup(web, key)
            assert target is not None, f"rename of {key} to a missing repository"
            location = f"{base_of(request)}/repositories/{target['id']}"
            body = {
                "message": "Moved Permanently",
                "url": location,
                "documentation_url": "https://docs.github.com/v3/#http-redirects",
            }
            return aioweb.json_response(
                body, status=301, headers={**rate_headers(gh, "core"), "Location": location}
            )
        record = lookup(web, key)
        if record is None:
            gh["remaining"] -= 1
            body = {
                "message": "Not Found",
                "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
            }
            return aioweb.json_response(body, status=404, headers=rate_headers(gh, "core"))
        return answer_repo(request, gh, record)

    async def by_id(request: aioweb.Request) -> aioweb.Response:
        gh = state(web)
        refused = limited(gh)
        if refused is not None:
            return refused
        wanted = int(request.match_info["id"])
        for record in gh["repos"].values():
            if record["id"] == wanted:
                return answer_repo(request, gh, record)
        return aioweb.json_response({"message": "Not Found"}, status=404)

    async def graphql(request: aioweb.Request) -> aioweb.Response:
        gh = state(web)
        if gh.get("graphql_redirect"):
            return aioweb.Response(status=307, headers={"Location": gh["graphql_redirect"]})
        auth = request.headers.get("Authorization", "")
        if not auth.startswith(("bearer ", "Bearer ", "token ")) or (
            gh.get("token") and auth.split(" ", 1)[1] != gh["token"]
        ):
            body = {
                "message": "Bad credentials",
                "documentation_url": "https://docs.github.com/graphql",
            }
            return aioweb.json_response(body, status=401)
        if gh["remaining"] <= 0:
            body = {
                "errors": [
                    {
                        "type": "RATE_LIMITED",
                        "code": "graphql_rate_limit",
                        "message": "API rate limit already exceeded for user ID 1.",
                    }
                ]
            }
            return aioweb.json_response(body, headers=rate_headers(gh, "graphql"))
        gh["remaining"] -= 1
        query = (await request.json()).get("query", "")
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for alias, owner, name in ALIAS.findall(query):
            key = f"{owner}/{name}".lower()
            record = lookup(web, key)
            if record is None:
                data[alias] = None
                errors.append(
                    {
                        "type": "NOT_FOUND",
                        "path": [alias],
                        "locations": [{"line": 2, "column": 3}],
                        "message": f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                    }
                )
                continue
            data[alias] = {
                "nameWithOwner": f"{record['owner']}/{record['name']}",
                "stargazerCount": record["stars"],
                "isArchived": record["archived"],
                "pushedAt": record["pushed_at"],
                "description": record["description"],
                "defaultBranchRef": {"name": record["default_branch"]},
                "licenseInfo": {"spdxId": record["license"], "name": f"{record['license']} License"}
                if record["license"]
                else None,
            }
        if "rateLimit" in query:
            reset = datetime.fromtimestamp(gh["reset"], UTC).isoformat().replace("+00:00", "Z")
            data["rateLimit"] = {"remaining": gh["remaining"], "resetAt": reset}
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = errors
        return aioweb.json_response(body, headers=rate_headers(gh, "graphql"))

    app.router.add_get("/github/repos/{owner}/{repo}", repos)
    app.router.add_get("/github/repositories/{id:\\d+}", by_id)
    app.router.add_post("/github/graphql", graphql)

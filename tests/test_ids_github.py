"""pipeline.ids.github: repository names compared as GitHub does, and their addresses."""

from __future__ import annotations

import pytest

from pipeline.ids import github
from pipeline.ids.github import RepoName


@pytest.mark.parametrize("text", ["owner/repo\n", "owner/repo\r\n", "owner\n/repo", "o/r x", "o/"])
def test_a_name_with_a_trailing_newline_or_space_is_refused(text: str) -> None:
    assert not github.is_valid(text)
    assert RepoName.parse(text) is None


def test_names_compare_without_case_and_keep_their_spelling() -> None:
    name = RepoName("ChenDelong1999", "RemoteCLIP")
    assert name == RepoName.parse("chendelong1999/remoteclip")
    assert hash(name) == hash(RepoName("CHENDELONG1999", "remoteclip"))
    assert name != RepoName.parse("chendelong1999/remoteclip-extra")
    assert str(name) == "ChenDelong1999/RemoteCLIP" and name.key == "chendelong1999/remoteclip"
    assert name.url == "https://github.com/ChenDelong1999/RemoteCLIP"


@pytest.mark.parametrize("owner,name", [("topics", "x"), ("o", ".."), ("o", ""), ("o w", "r")])
def test_what_is_no_repository_raises_naming_it(owner: str, name: str) -> None:
    with pytest.raises(ValueError, match="not a GitHub repository name"):
        RepoName(owner, name)


@pytest.mark.parametrize(
    "url,repo",
    [
        ("https://github.com/Owner/Repo", "owner/repo"),
        ("http://www.github.com/owner/repo.git", "owner/repo"),
        ("https://github.com/owner/repo/tree/main/src?tab=readme#top", "owner/repo"),
        ("https://github.com/owner/repo-extra", "owner/repo-extra"),
        ("https://gitlab.com/owner/repo", None),
        ("https://github.com/owner", None),
        ("https://github.com/topics/repo", None),
    ],
)
def test_a_url_is_in_the_repository_it_names(url: str, repo: str | None) -> None:
    found = RepoName.of_url(url)
    assert (found.key if found else None) == repo
    assert (found == RepoName("owner", "repo")) is (repo == "owner/repo")


def test_the_link_to_a_repository_is_found_by_name_not_substring() -> None:
    urls = [
        "https://gitlab.com/owner/repo",
        "https://github.com/owner/repo-extra",
        "https://github.com/notowner/repo",
        "https://github.com/Owner/Repo/tree/main",
    ]
    assert github.link_to(urls, "owner/repo") == "https://github.com/Owner/Repo/tree/main"
    assert github.link_to(urls[:3], "owner/repo") is None
    assert github.link_to(urls, "not a name") is None


@pytest.mark.parametrize(
    "url,repo,raw,name,readme",
    [
        (
            "https://github.com/Owner/Name",
            "Owner/Name",
            "https://raw.githubusercontent.com/Owner/Name/HEAD/README.md",
            "README.md",
            True,
        ),
        (
            "https://www.github.com/o/n.git/blob/main/docs/List.md",
            "o/n",
            "https://raw.githubusercontent.com/o/n/main/docs/List.md",
            "List.md",
            False,
        ),
        (
            "https://raw.githubusercontent.com/o/n/v1/a.md",
            "o/n",
            "https://raw.githubusercontent.com/o/n/v1/a.md",
            "a.md",
            False,
        ),
    ],
)
def test_a_list_address_names_a_file_of_a_repository(
    url: str, repo: str, raw: str, name: str, readme: bool
) -> None:
    found = github.repo_file(url)
    assert found is not None
    assert (found.repo, found.raw_url, found.name, found.readme) == (repo, raw, name, readme)
    assert github.raw_path(found.raw_url) == found.raw_url.split("/", 6)[-1]


@pytest.mark.parametrize(
    "url,error",
    [
        ("https://github.com/owner", "must be a repository"),
        ("https://github.com/o/n/issues/3", "must be a repository"),
        ("https://github.com/orgs/n", "orgs/n is no GitHub repository name"),
        ("https://raw.githubusercontent.com/o%0A/n/HEAD/x.md", "is no GitHub repository name"),
    ],
)
def test_a_github_address_of_no_file_is_refused_saying_why(url: str, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        github.repo_file(url)


def test_other_hosts_and_paths_are_no_repository_file() -> None:
    assert github.repo_file("https://example.org/list.md") is None
    assert github.raw_path("https://example.org/o/n/HEAD/x.md") is None
    assert github.raw_path("https://raw.githubusercontent.com/o/n/HEAD") is None


@pytest.mark.parametrize(
    "url,account",
    [
        ("https://github.com/someone", True),
        ("https://www.github.com/someone/", True),
        ("https://github.com/someone/repo", False),
        ("https://gitlab.com/someone", False),
    ],
)
def test_an_account_page_is_one_path_segment_on_github(url: str, account: bool) -> None:
    assert github.is_account_page(url) is account


@pytest.mark.parametrize(
    "url,canonical",
    [
        ("https://github.com/o/r", True),
        (" HTTPS://github.com/o/r/ ", True),
        ("http://github.com/o/r", False),
        ("https://www.github.com/o/r", False),
    ],
)
def test_the_canonical_home_is_https_on_github_com(url: str, canonical: bool) -> None:
    assert github.is_canonical_home(url) is canonical

"""Papers a list links that no entry holds are findings naming file:line and why; sections
are left out or read alone by name ([scrape] in pipeline.toml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_settings
from pipeline.errors import UsageError
from pipeline.ids.arxiv import year_of
from pipeline.models import Ids, Work
from pipeline.resolve.csl import list_to_csl
from pipeline.scrape import scrape_files

LIST = """# A List

Our survey: [![arXiv](https://img.shields.io/badge/arXiv-2410.16602-b31b1b.svg)](https://arxiv.org/abs/2410.16602)

## Papers

- [A Paper Read As An Entry](https://arxiv.org/abs/2401.00001)

[//]: # (| 2024 | [Commented Out Row]&#40;https://arxiv.org/abs/2305.05726&#41; |)
<!-- - [Hidden Row](https://openreview.net/forum?id=abc) -->

```bibtex
@article{x, journal={arXiv preprint arXiv:2402.00002}}
```

## 🙏 Credits:

- [A Paper In Credits](https://arxiv.org/abs/2403.00003)
"""


def project(tmp_path: Path, toml: str = "") -> Path:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "l.md").write_text(LIST, encoding="utf-8")
    (tmp_path / "sources" / "sources.toml").write_text(
        '[[list]]\nid = "l"\nfile = "l.md"\n', encoding="utf-8"
    )
    if toml:
        (tmp_path / "pipeline.toml").write_text(toml, encoding="utf-8")
    return tmp_path


def test_every_paper_the_text_names_is_on_an_entry_or_a_finding(tmp_path: Path) -> None:
    result = scrape_files(load_settings(root=project(tmp_path), environ={}))
    assert {w.ids.arxiv for w in result.works} == {"2401.00001", "2403.00003"}
    found = {(f.line, next(iter(f.list_says.values()))): f.message for f in result.findings}
    assert set(found) == {
        (3, "2410.16602"),
        (9, "2305.05726"),
        (10, "openreview:abc"),
        (13, "2402.00002"),
    }
    assert found[(3, "2410.16602")].endswith(
        "not in a list item, table row or heading the scraper reads as an entry"
    )
    assert found[(9, "2305.05726")].endswith("commented out (a [//]: # line)")
    assert found[(10, "openreview:abc")].endswith("in an HTML comment")
    assert found[(13, "2402.00002")].endswith("in a code block")
    assert all(f.kind == "not-read" and f.file == "sources/l.md" for f in result.findings)


def test_an_excluded_section_is_not_read_and_not_reported(tmp_path: Path) -> None:
    root = project(tmp_path, '[scrape]\nexclude_sections = ["credits"]\n')
    result = scrape_files(load_settings(root=root, environ={}))
    assert {w.ids.arxiv for w in result.works} == {"2401.00001"}
    assert "2403.00003" not in {f.list_says.get("arxiv") for f in result.findings}


def test_include_sections_reads_only_those(tmp_path: Path) -> None:
    root = project(tmp_path, '[scrape]\ninclude_sections = ["Credits"]\n')
    result = scrape_files(load_settings(root=root, environ={}))
    assert {w.ids.arxiv for w in result.works} == {"2403.00003"}


@pytest.mark.parametrize(
    ("toml", "says"),
    [
        (
            '[scrape]\nexclude_section = ["x"]\n',
            "[scrape] exclude_section: unknown; did you mean exclude_sections?",
        ),
        (
            '[scrape]\nexclude_sections = "Credits"\n',
            '[scrape] exclude_sections: got "Credits"; allowed: a list, each a non-empty string',
        ),
        (
            "[scrape]\ninclude_sections = [1]\n",
            "[scrape] include_sections: got 1; allowed: a list, each a non-empty string",
        ),
    ],
)
def test_scrape_settings_are_checked(tmp_path: Path, toml: str, says: str) -> None:
    with pytest.raises(UsageError, match=r"pipeline\.toml") as error:
        load_settings(root=project(tmp_path, toml), environ={})
    assert says in str(error.value)


def test_a_preprint_without_a_listed_date_has_its_ids_year() -> None:
    work = Work(id="arxiv:1912.01734", kind="paper", title="ALFRED", ids=Ids(arxiv="1912.01734"))
    assert list_to_csl(work)["issued"] == {"date-parts": [[2019]]}
    listed = Work(id="x", kind="paper", title="T", date="2020-06", ids=Ids(arxiv="1912.01734"))
    assert list_to_csl(listed)["issued"] == {"date-parts": [[2020, 6]]}
    paged = Work(id="y", kind="paper", title="T", ids=Ids(pages=["acl:2023.findings-acl.15"]))
    assert list_to_csl(paged)["issued"] == {"date-parts": [[2023]]}
    assert (year_of("math/0309136"), year_of("hep-th/9901001")) == ("2003", "1999")

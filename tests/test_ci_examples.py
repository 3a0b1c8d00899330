"""examples/ci: the GitHub workflow uses only inputs the action has, with the permissions they need; the
Azure DevOps pipeline's scan script runs as the agent runs it, and its SARIF passes sarif-gate --ado."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import yaml

from conftest import EXAMPLES, REPO, sarif_gate

CI = EXAMPLES / "ci"
ACTION: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))


def _action_steps(workflow: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [
        (job, step)
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("uses", "").split("@")[0].endswith("/anycast-lint")
    ]


def test_github_workflow_uses_the_actions_inputs_with_the_permissions_they_need() -> None:
    workflow = yaml.safe_load((CI / "github-workflow.yml").read_text(encoding="utf-8"))
    steps = _action_steps(workflow)
    assert len(steps) == 3
    for job, step in steps:
        assert set(step["with"]) <= set(ACTION["inputs"]), step["with"]
        assert job["permissions"]["security-events"] == "write"  # the SARIF upload
        assert job["steps"][0]["uses"] == "actions/checkout@v4"
    (review_job, review), *steps = sorted(steps, key=lambda s: s[1]["with"].get("mode", "scan") != "diff")
    assert review["with"]["mode"] == "diff" and review_job["if"] == "github.event_name == 'pull_request'"
    assert review["with"]["category"] != "anycast-lint-design"  # its own analysis: new findings only
    comment = next(step for step in review_job["steps"] if step.get("name") == "Comment the diff on the pull request")
    assert "steps.diff.outputs.markdown-file" in comment["env"]["MARKDOWN"] and review["id"] == "diff"
    assert comment["if"].startswith("always()") and review_job["permissions"]["pull-requests"] == "write"
    (live_job, live), (_, design) = sorted(steps, key=lambda s: s[1]["with"].get("azure", "") != "true")
    assert live["with"]["azure"] == "true" and live_job["permissions"]["id-token"] == "write"
    uses = [step.get("uses", "") for step in live_job["steps"]]
    assert uses.index("azure/login@v2") < uses.index(live["uses"])  # OIDC login before the live scan
    assert design["with"]["baseline"] == ".anycast-lint-baseline.json" and "azure" not in design["with"]
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "network/**" in triggers["pull_request"]["paths"] and triggers["schedule"]


def _agent_script(script: str, staging: Path, results: Path) -> str:
    """The script as the agent runs it: $(Macro) variables replaced before bash sees the text."""
    macros = {"Build.ArtifactStagingDirectory": str(staging), "Common.TestResultsDirectory": str(results)}
    return re.sub(r"\$\(([\w.]+)\)", lambda m: macros[m.group(1)], script)


def test_azure_pipeline_publishes_sarif_and_junit_and_keeps_the_exit_code(tmp_path: Path) -> None:
    pipeline = yaml.safe_load((CI / "azure-pipelines.yml").read_text(encoding="utf-8"))
    steps = {step.get("displayName"): step for step in pipeline["steps"]}
    sarif_publish = steps["Publish SARIF (CodeAnalysisLogs)"]
    assert sarif_publish["inputs"]["ArtifactName"] == "CodeAnalysisLogs" and sarif_publish["condition"] == "always()"
    junit_publish = steps["Publish JUnit"]
    assert junit_publish["inputs"]["testResultsFormat"] == "JUnit" and junit_publish["condition"] == "always()"
    names = list(steps)
    assert names.index("Scan") < names.index("Publish SARIF (CodeAnalysisLogs)") < names.index("Fail on new findings")

    workspace, staging, results = tmp_path / "s", tmp_path / "a", tmp_path / "TestResults"
    (workspace / "network").mkdir(parents=True)
    results.mkdir()
    (workspace / "network" / "topology.yaml").write_bytes((EXAMPLES / "broken-overlap" / "topology.yaml").read_bytes())
    (workspace / "anycast-lint.yaml").write_bytes((EXAMPLES / "anycast-lint.yaml").read_bytes())
    (workspace / ".anycast-lint-baseline.json").write_text(
        '{"kind": "anycast-lint/baseline", "version": 1, "findings": []}', encoding="utf-8"
    )
    script = _agent_script(steps["Scan"]["script"], staging, results)
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(tmp_path)}
    env |= {name.upper().replace(".", "_"): value for name, value in pipeline["variables"].items()}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-c", script], cwd=workspace, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("network/topology.yaml:82:20: AC101 [error]")
    assert done.stdout.rstrip().endswith("##vso[task.setvariable variable=ANYCAST_LINT_EXIT]1")
    suites = ET.parse(results / "anycast-lint.xml").getroot()
    assert suites.get("failures") == "1"
    log = json.loads((staging / "CodeAnalysisLogs" / "anycast-lint.sarif").read_text(encoding="utf-8"))
    assert log["runs"][0]["automationDetails"] == {"id": "anycast-lint/"}
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["AC101"]["helpUri"] == "https://github.com/your-org/anycast-lint/blob/main/docs/rules/AC101.md"
    assert all(r["baselineState"] == "new" for r in log["runs"][0]["results"])
    sarif_gate(log, tmp_path / "ado.sarif", "--ado")

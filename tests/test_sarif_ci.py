"""SARIF for CI: every example and rule fixture passes GitHub's (and Azure DevOps') checks; suppressions stay
visible; --category, versionControlProvenance, the 25,000-result cap and help links."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.engine.helpurl import from_checkout, help_links
from anycast_lint.report.sarif import build_log
from conftest import (
    EXAMPLE_DESIGNS,
    EXAMPLES,
    HELP_BASE,
    REPO,
    RULE_FIXTURES,
    report_data,
    rule_fixture_designs,
    run_cli,
    sarif_gate,
)

FIXTURE_DESIGNS = sorted(
    f"{folder.name}/{name}" for folder in RULE_FIXTURES.glob("AC*") for name in rule_fixture_designs(folder)
)


def scan_sarif(*args: str, cwd: Path = EXAMPLES) -> dict[str, Any]:
    done = run_cli("scan", *args, "--format", "sarif", "--root", str(REPO), "--help-base-url", HELP_BASE, cwd=cwd)
    assert done.exit_code in (0, 1), done.stderr
    log: dict[str, Any] = json.loads(done.stdout)
    return log


@pytest.mark.parametrize("design", EXAMPLE_DESIGNS)
def test_sarif_gate_accepts_every_example(tmp_path: Path, design: str) -> None:
    sarif_gate(scan_sarif(design), tmp_path / "example.sarif")


@pytest.mark.parametrize("fixture", FIXTURE_DESIGNS)
def test_sarif_gate_accepts_every_rule_fixture(tmp_path: Path, fixture: str) -> None:
    code, name = fixture.split("/")
    folder = RULE_FIXTURES / code
    log = scan_sarif(*rule_fixture_designs(folder)[name], "--config", "anycast-lint.yaml", cwd=folder)
    if name.startswith("bad"):
        assert log["runs"][0]["results"], "a bad design must give results for the gate to check"
    sarif_gate(log, tmp_path / "fixture.sarif")


def test_every_rule_fixture_is_gated() -> None:
    """Each rule's folder: at least a bad and a good design."""
    kinds = {(fixture.split("/")[0], fixture.split("/")[1].split("-")[0]) for fixture in FIXTURE_DESIGNS}
    folders = [p.name for p in RULE_FIXTURES.glob("AC*")]
    assert kinds >= {(code, kind) for code in folders for kind in ("bad", "good")}


SUPPRESS_APP = """
onprem: {prefixes: [172.16.0.0/12]}
services: {dns: {vip: 10.13.76.4}}
suppressions:
  - rule: AC101
    resource: "*/virtualNetworks/app-01"
    reason: "re-addressing in change CHG-1234"
"""


def test_suppressed_findings_stay_in_sarif_with_their_justification(tmp_path: Path) -> None:
    (tmp_path / "anycast-lint.yaml").write_text(SUPPRESS_APP, encoding="utf-8")
    design = EXAMPLES / "broken-overlap" / "topology.yaml"
    text = run_cli("scan", str(design), "--config", "anycast-lint.yaml", cwd=tmp_path)
    assert text.exit_code == 0 and "1 finding suppressed by the config" in text.stdout
    log = scan_sarif(str(design), "--config", "anycast-lint.yaml", cwd=tmp_path)
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == "AC101"]
    assert len(results) == 1
    for result in results:
        assert result["suppressions"] == [
            {"kind": "external", "justification": "re-addressing in change CHG-1234", "status": "accepted"}
        ]
        assert "baselineState" not in result  # no baseline given
    sarif_gate(log, tmp_path / "suppressed.sarif")


def test_category_becomes_automation_details_id() -> None:
    run_ = scan_sarif("broken-overlap", "--category", "anycast-lint/prod")["runs"][0]
    assert run_["automationDetails"] == {"id": "anycast-lint/prod/"}


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git checkout of a network repository holding one design, with a remote that carries a token."""
    repo = tmp_path / "network"
    (repo / "designs").mkdir(parents=True)
    (repo / "designs" / "topology.yaml").write_bytes((EXAMPLES / "broken-overlap" / "topology.yaml").read_bytes())
    _git(repo, "init", "-q", "-b", "release")
    _git(repo, "remote", "add", "origin", "https://ci-bot:s3cr3t-t0ken@github.com/example-org/network.git")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "design")
    return repo


def test_version_control_provenance_in_a_git_checkout(checkout: Path) -> None:
    done = run_cli("scan", "designs", "--format", "sarif", cwd=checkout)
    run_ = json.loads(done.stdout)["runs"][0]
    assert run_["versionControlProvenance"] == [
        {
            "repositoryUri": "https://github.com/example-org/network",  # the token never leaves
            "revisionId": _git(checkout, "rev-parse", "HEAD"),
            "branch": "release",
            "mappedTo": {"uriBaseId": "%SRCROOT%"},
        }
    ]
    assert "s3cr3t" not in done.stdout
    assert run_["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "designs/topology.yaml"


def test_no_provenance_outside_a_checkout_with_a_remote(tmp_path: Path) -> None:
    design = tmp_path / "topology.yaml"
    design.write_bytes((EXAMPLES / "hub-and-spoke" / "topology.yaml").read_bytes())
    done = run_cli("scan", "topology.yaml", "--format", "sarif", "--root", str(tmp_path), cwd=tmp_path)
    assert "versionControlProvenance" not in json.loads(done.stdout)["runs"][0]


def test_results_are_capped_with_a_notification_errors_first(tmp_path: Path) -> None:
    """GitHub rejects a run with more than 25,000 results; the cap keeps the worst and says so."""
    folder = RULE_FIXTURES / "AC104"  # AC104 and AC304 errors; AC104 made a note below
    config = tmp_path / "c.yaml"
    config.write_text((folder / "anycast-lint.yaml").read_text(encoding="utf-8") + "rules: {AC104: note}\n")
    data = report_data(folder / "bad.yaml", config)
    levels = sorted(f.level.label for f in data.scan.findings)
    assert levels.count("error") == 1 and len(levels) >= 2
    log = build_log(data, limit=1)
    (result,) = log["runs"][0]["results"]
    assert result["level"] == max(data.scan.findings, key=lambda f: f.level).level.label
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(
        n["level"] == "warning"
        and n["message"]["text"].startswith(f"{len(levels) - 1} of {len(levels)} results left out")
        for n in notes
    )
    assert len(build_log(data)["runs"][0]["results"]) == len(levels)


def test_help_links_come_from_the_tools_own_git_remote(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANYCAST_LINT_HELP_BASE_URL", raising=False)
    source = tmp_path / "anycast-lint"
    (source / "docs" / "rules").mkdir(parents=True)
    _git(source, "init", "-q")
    assert from_checkout(source) is None  # a clone without a remote: no link, rather than a made-up one
    assert help_links(source_root=source).rule("AC101") is None
    _git(source, "remote", "add", "origin", "git@github.com:example-org/anycast-lint.git")
    links = help_links(source_root=source)
    assert links.rule("AC101") == "https://github.com/example-org/anycast-lint/blob/main/docs/rules/AC101.md"
    assert links.project == "https://github.com/example-org/anycast-lint"
    monkeypatch.setenv("ANYCAST_LINT_HELP_BASE_URL", "https://ghe.example.net/net/anycast-lint/blob/v1.2.0/docs/rules")
    assert help_links(source_root=source).rule("AC302") == (
        "https://ghe.example.net/net/anycast-lint/blob/v1.2.0/docs/rules/AC302.md"
    )
    assert help_links("https://docs.example.org/rules/", source).rule("AC1") == "https://docs.example.org/rules/AC1.md"


def test_help_base_url_must_be_absolute() -> None:
    done = run_cli("scan", "hub-and-spoke", "--format", "sarif", "--help-base-url", "docs/rules", cwd=EXAMPLES)
    assert done.exit_code == 2
    assert done.stderr == ("anycast-lint: error: help base URL 'docs/rules' is not an absolute http(s) URL\n")


def test_rules_command_prints_the_online_page_when_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANYCAST_LINT_HELP_BASE_URL", HELP_BASE)
    assert f"Online: {HELP_BASE}AC101.md" in run_cli("rules", "AC101").stdout


def test_a_default_run_passes_the_gate_without_any_help_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No --help-base-url, no environment variable, no git remote: the project's home page from the package
    metadata is the informationUri (GitHub's gate refuses a driver without one, SARIF2005), and every rule
    carries its help text itself."""
    monkeypatch.delenv("ANYCAST_LINT_HELP_BASE_URL", raising=False)
    monkeypatch.setattr("anycast_lint.engine.helpurl.SOURCE_ROOT", tmp_path)  # no checkout to take a remote from
    monkeypatch.setattr("anycast_lint.cli.scan.help_links", lambda explicit=None: help_links(explicit, tmp_path))
    run = run_cli("scan", ".", "--format", "sarif", cwd=EXAMPLES)  # every bundled example, the broken one too
    assert run.exit_code == 1, run.stderr
    log = json.loads(run.stdout)
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"AC101", "AC302"}
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://github.com/anycast-lint/anycast-lint"
    assert all("helpUri" not in rule and rule["help"]["markdown"] for rule in driver["rules"])
    assert "RESULT: PASS" in sarif_gate(log, tmp_path / "default.sarif")

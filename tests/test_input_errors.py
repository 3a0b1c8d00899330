"""Every input error of a run at once: one line each on stderr, in the JSON and SARIF reports too (which are
still written, so a CI upload shows why the scan failed), exit code 2; designs that loaded are still checked."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLES, HEADER, run_cli

BAD_FILES = {
    "bad/syntax.yaml": (HEADER + "virtualNetworks: [\n", "bad/syntax.yaml:4:1: invalid YAML"),
    "bad/schema.yaml": (
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: 10.0.0.0/24\n",
        "bad/schema.yaml:5:19: expected a list",
    ),
    "other/latin1.yaml": (HEADER + "metadata:\n  name: caf\xe9\n", "other/latin1.yaml:4:12: not UTF-8 text"),
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """Three invalid files in two folders, next to the broken example design (which loads)."""
    for relative, (text, _) in BAD_FILES.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("latin-1" if "latin1" in relative else "utf-8"))
    shutil.copytree(EXAMPLES / "broken-overlap", tmp_path / "broken-overlap")
    shutil.copy(EXAMPLES / "anycast-lint.yaml", tmp_path / "anycast-lint.yaml")
    return tmp_path


def test_every_bad_file_is_reported_in_one_run(workspace: Path) -> None:
    run = run_cli("scan", ".", cwd=workspace)
    assert run.exit_code == 2
    errors = sorted(line.removeprefix("anycast-lint: error: ") for line in run.stderr.splitlines())
    assert len(errors) == 3, run.stderr
    for line, (_, expected) in zip(errors, sorted(BAD_FILES.values(), key=lambda v: v[1]), strict=True):
        assert line.startswith(expected), line
    # the design that loaded is still checked and reported, and the summary says the scan is incomplete
    assert run.stdout.count(": AC101 [error] ") == 1
    assert "Incomplete: 3 input errors (listed on standard error). Found 1 error" in run.stdout


def test_json_report_is_written_with_the_errors(workspace: Path) -> None:
    run = run_cli("scan", ".", "--format", "json", "-o", "report.json", cwd=workspace)
    assert run.exit_code == 2
    report = json.loads((workspace / "report.json").read_text())
    assert report["complete"] is False and report["summary"]["inputErrors"] == 3
    located = sorted((e["file"], e["line"], e["column"], e["level"]) for e in report["errors"])
    assert located == [
        ("bad/schema.yaml", 5, 19, "error"),
        ("bad/syntax.yaml", 4, 1, "error"),
        ("other/latin1.yaml", 4, 12, "error"),
    ]
    assert [f["code"] for f in report["findings"]] == ["AC101"]


def test_sarif_report_carries_the_errors_as_notifications(workspace: Path) -> None:
    run = run_cli("scan", ".", "--format", "sarif", "-o", "scan.sarif", "--root", str(workspace), cwd=workspace)
    assert run.exit_code == 2
    log = json.loads((workspace / "scan.sarif").read_text())
    text = resources.files("anycast_lint.schemas").joinpath("sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    assert list(jsonschema.Draft4Validator(json.loads(text)).iter_errors(log)) == []
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    errors = [n for n in invocation["toolExecutionNotifications"] if n["level"] == "error"]
    places = sorted(
        (
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            n["locations"][0]["physicalLocation"]["region"]["startLine"],
            n["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for n in errors
    )
    assert places == [("bad/schema.yaml", 5, 19), ("bad/syntax.yaml", 4, 1), ("other/latin1.yaml", 4, 12)]
    assert len(log["runs"][0]["results"]) == 1


def test_nothing_readable_still_writes_the_report(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(HEADER + "virtualNetworks: 3\n", encoding="utf-8")
    run = run_cli("scan", "x.yaml", "--format", "sarif", cwd=tmp_path)
    assert run.exit_code == 2
    log = json.loads(run.stdout)
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False
    assert run.stderr == "anycast-lint: error: x.yaml:3:18: expected a list, got a number 3 (at $.virtualNetworks)\n"


def test_clean_scan_is_a_successful_execution() -> None:
    run = run_cli("scan", "hub-and-spoke", "--format", "sarif", cwd=EXAMPLES)
    assert run.exit_code == 0
    assert json.loads(run.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is True

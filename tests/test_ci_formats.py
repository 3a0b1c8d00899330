"""The CI formats: GitHub workflow commands, JUnit XML, several reports in one run."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from anycast_lint.report.github import command
from anycast_lint.rules.registry import all_rules
from conftest import EXAMPLES, HELP_BASE, REPO, run_cli

# The runner's parser (actions/runner ActionCommand.TryParseV2): `::name k=v,k=v::data`; properties
# split on ',' and the first '='; then %0D %0A %3A %2C %25 are unescaped (data: %0D %0A %25).
_COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str, prop: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else []) + [("%25", "%")]
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = _COMMAND.match(line)
    assert match, f"not a workflow command: {line!r}"
    props = {}
    for pair in (match.group("props") or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = _unescape(value, prop=True)
    return match.group("name"), props, _unescape(match.group("data"), prop=False)


def test_workflow_command_escaping_round_trips_through_the_runners_parser() -> None:
    message = "100% of 10.13.76.0/24: lost,\r\nsecond line: a, b"
    title = "AC101 a:b,c%d"
    line = command("error", message, {"file": "dc1,dc2:prod/x y.yaml", "line": 7, "title": title})
    assert "\n" not in line and "\r" not in line
    assert line == (
        "::error file=dc1%2Cdc2%3Aprod/x y.yaml,line=7,title=AC101 a%3Ab%2Cc%25d::"
        "100%25 of 10.13.76.0/24: lost,%0D%0Asecond line: a, b"
    )
    assert parse_command(line) == ("error", {"file": "dc1,dc2:prod/x y.yaml", "line": "7", "title": title}, message)


def test_github_format_annotates_the_finding_lines(tmp_path: Path) -> None:
    design = tmp_path / "net,prod:a.yaml"
    design.write_bytes((EXAMPLES / "broken-overlap" / "topology.yaml").read_bytes())
    (tmp_path / "anycast-lint.yaml").write_bytes((EXAMPLES / "anycast-lint.yaml").read_bytes())
    args = ("scan", design.name, "--root", str(tmp_path), "--help-base-url", HELP_BASE)
    done = run_cli(*args, "--format", "github", cwd=tmp_path)
    findings = json.loads(run_cli(*args, "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert done.exit_code == 1
    commands = [parse_command(line) for line in done.stdout.splitlines()]
    assert len(commands) == len(findings) >= 1
    for (name, props, data), finding in zip(commands, findings, strict=True):
        assert name == "error"
        assert props["file"] == "net,prod:a.yaml"
        assert (int(props["line"]), int(props["col"]), int(props["endColumn"])) == (
            finding["line"],
            finding["column"],
            finding["endColumn"],
        )
        assert props["title"] == "AC101 overlap-outside-anycast"
        first, *related, link = data.split("\n")
        assert first == finding["message"]
        assert len(related) == len(finding["related"]) >= 1
        for line, place in zip(related, finding["related"], strict=True):
            assert line == f"related: {place['message']} (net,prod:a.yaml:{place['line']})"
        assert link == f"help: {HELP_BASE}AC101.md"


def test_notes_become_notices_and_warnings_warnings(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        (EXAMPLES / "anycast-lint.yaml").read_text(encoding="utf-8")
        + "rules: {AC101: note}\nsuppressions: [{rule: AC303, reason: r, expires: 2020-01-01}]\n"
    )
    done = run_cli("scan", "broken-overlap", "--format", "github", "--config", str(config), cwd=EXAMPLES)
    commands = [parse_command(line) for line in done.stdout.splitlines()]
    findings = json.loads(
        run_cli("scan", "broken-overlap", "--format", "json", "--config", str(config), cwd=EXAMPLES).stdout
    )["findings"]
    assert findings and {f["level"] for f in findings} == {"note"}
    assert [name for name, _, _ in commands] == ["notice"] * len(findings) + ["warning"]
    assert "expired on 2020-01-01" in commands[-1][2]


def _junit(*args: str) -> ET.Element:
    done = run_cli("scan", *args, "--format", "junit", cwd=EXAMPLES)
    assert done.exit_code in (0, 1), done.stderr
    assert done.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(done.stdout.split("\n", 1)[1])


def test_junit_has_one_case_per_rule_and_fails_with_the_findings(tmp_path: Path) -> None:
    root = _junit("broken-overlap")
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "anycast-lint: broken-overlap"
    cases = suite.findall("testcase")
    assert len(cases) == int(suite.get("tests", "")) == len(all_rules())
    failed = [c for c in cases if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["AC101 overlap-outside-anycast"]
    assert (root.get("failures"), suite.get("failures"), suite.get("skipped")) == ("1", "1", "0")
    failure = failed[0].find("failure")
    assert failure is not None and failure.get("type") == "error"
    lines = (failure.text or "").splitlines()
    assert len(lines) == 1 and all(
        line.startswith("broken-overlap/topology.yaml:82:20: AC101 [error] ") for line in lines
    )
    assert {c.get("classname") for c in cases} == {"anycast-lint.broken-overlap"}


def test_junit_skips_rules_switched_off_and_does_not_fail_on_notes(tmp_path: Path) -> None:
    config = tmp_path / "c.yaml"
    config.write_text(
        (EXAMPLES / "anycast-lint.yaml").read_text(encoding="utf-8") + "rules: {AC101: note, AC303: off}\n"
    )
    suite = _junit("broken-overlap", "--config", str(config)).findall("testsuite")[0]
    cases = {c.get("name", "").split()[0]: c for c in suite.findall("testcase")}
    assert cases["AC303"].find("skipped") is not None and suite.get("skipped") == "1"
    assert cases["AC101"].find("failure") is None and suite.get("failures") == "0"
    assert "AC101 [note]" in (cases["AC101"].findtext("system-out") or "")


def test_several_reports_in_one_run(tmp_path: Path) -> None:
    done = run_cli(
        "scan",
        "broken-overlap",
        *("--format", "sarif", "-o", str(tmp_path / "a.sarif")),
        *("--format", "markdown", "-o", str(tmp_path / "summary.md")),
        *("--format", "junit", "-o", str(tmp_path / "junit.xml")),
        cwd=EXAMPLES,
    )
    assert done.exit_code == 1 and done.stdout == ""
    assert json.loads((tmp_path / "a.sarif").read_text())["runs"][0]["results"]
    assert (tmp_path / "summary.md").read_text().startswith("## anycast-lint\n")
    assert ET.parse(tmp_path / "junit.xml").getroot().tag == "testsuites"
    assert done.stderr.count("anycast-lint: wrote ") == 3


def test_one_report_may_go_to_standard_output(tmp_path: Path) -> None:
    done = run_cli(
        "scan",
        "broken-overlap",
        "--format",
        "sarif",
        "-o",
        str(tmp_path / "a.sarif"),
        "--format",
        "text",
        "-o",
        "-",
        cwd=EXAMPLES,
    )
    assert done.stdout.startswith("broken-overlap/topology.yaml:82:20: AC101 [error]")
    assert (tmp_path / "a.sarif").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--format", "sarif", "--format", "junit", "-o", "a.sarif"),
            "got 2 --format options and 1 --output: with several reports, give each --format its own -o FILE",
        ),
        (("--format", "sarif", "--format", "junit", "-o", "-", "-o", "-"), "only one report can go to standard output"),
    ],
)
def test_report_pairs_must_match(args: tuple[str, ...], message: str) -> None:
    done = run_cli("scan", "broken-overlap", *args, cwd=EXAMPLES)
    assert done.exit_code == 2 and done.stderr.startswith(f"anycast-lint: error: {message}")


def test_the_project_url_is_declared_in_one_place() -> None:
    """helpUri is configured or derived (README 'Use in CI'); the project's home page, SARIF's default
    informationUri, is declared once, in pyproject's [project.urls] (issue 25), never written into the code."""
    for path in ("lint/report/sarif.py", "lint/engine/ruledocs.py", "lint/engine/helpurl.py"):
        assert "anycast-lint/anycast-lint" not in (REPO / path).read_text(encoding="utf-8")
    assert 'Homepage = "https://github.com/anycast-lint/anycast-lint"' in (REPO / "pyproject.toml").read_text("utf-8")


def test_junit_has_a_suite_per_design_and_an_erroring_case_per_unreadable_input(tmp_path: Path) -> None:
    for design in ("hub-and-spoke", "broken-overlap"):
        (tmp_path / design).mkdir()
        (tmp_path / design / "topology.yaml").write_bytes((EXAMPLES / design / "topology.yaml").read_bytes())
    (tmp_path / "anycast-lint.yaml").write_bytes((EXAMPLES / "anycast-lint.yaml").read_bytes())
    (tmp_path / "broken.yaml").write_text("apiVersion: anycast-lint/v1\nkind: Topology\nvirtualNetworks: [\n")
    done = run_cli("scan", "hub-and-spoke", "broken-overlap", "broken.yaml", "--format", "junit", cwd=tmp_path)
    assert done.exit_code == 2
    root = ET.fromstring(done.stdout.split("\n", 1)[1])
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"anycast-lint: hub-and-spoke", "anycast-lint: broken-overlap", "anycast-lint: inputs"}
    assert suites["anycast-lint: broken-overlap"].get("failures") == "1"
    assert suites["anycast-lint: hub-and-spoke"].get("failures") == "0"
    (case,) = suites["anycast-lint: inputs"].findall("testcase")
    error = case.find("error")
    assert error is not None and (error.text or "").startswith("broken.yaml:4:1: invalid YAML")
    assert root.get("errors") == "1" and root.get("failures") == "1"

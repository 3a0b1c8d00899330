"""CLI conventions users bring from ruff, checkov and tflint: --exit-zero, -q, --color, --output-format,
`-` for standard input and `-o -` for standard output, --statistics, -V, `rules` by prefix or name and as
JSON, usage errors that read like ours, help texts with an example and the exit codes; simulate as a gate;
SARIF paths outside --root; what `make demo` installs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from anycast_lint import __version__
from anycast_lint.rules.registry import all_rules
from conftest import EXAMPLES, run_cli

BROKEN = "broken-overlap"
FINDING = re.compile(r"^broken-overlap/topology\.yaml:\d+:\d+: AC101 \[error\] ")


def test_exit_zero_reports_findings_but_exits_0(write) -> None:  # type: ignore[no-untyped-def]
    run = run_cli("scan", BROKEN, "--exit-zero", cwd=EXAMPLES)
    assert run.exit_code == 0 and FINDING.search(run.stdout.splitlines()[0])
    bad = write("bad.yaml", "apiVersion: anycast-lint/v1\nkind: Topology\nvirtualNetworks: 3\n")
    assert run_cli("scan", str(bad), "--exit-zero").exit_code == 2  # input errors are never waved through


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    run = run_cli("scan", BROKEN, "-q", cwd=EXAMPLES)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    assert FINDING.match(lines[0]) and all(line.startswith("    ") for line in lines[1:]) and len(lines) == 3
    clean = run_cli("scan", "vwan-indirect-spokes", "--quiet", cwd=EXAMPLES)
    assert (clean.exit_code, clean.stdout, clean.stderr) == (0, "", "")
    written = run_cli("scan", BROKEN, "-q", "--format", "json", "-o", str(tmp_path / "r.json"), cwd=EXAMPLES)
    assert (written.exit_code, written.stdout, written.stderr) == (1, "", "")


@pytest.mark.parametrize(("choice", "coloured"), [("always", True), ("never", False), ("auto", False)])
def test_color_option(choice: str, coloured: bool) -> None:
    """The runner is not a terminal: auto means no colour there; always forces it (CI logs that render ANSI)."""
    run = run_cli("scan", BROKEN, "--color", choice, cwd=EXAMPLES)
    assert ("\x1b[31m\x1b[1mAC101" in run.stdout) is coloured
    assert ("\x1b[" in run.stdout) is coloured


def test_output_format_is_an_alias_of_format() -> None:
    by_alias = run_cli("scan", BROKEN, "--output-format", "json", cwd=EXAMPLES)
    by_name = run_cli("scan", BROKEN, "--format", "json", cwd=EXAMPLES)
    assert by_alias.exit_code == by_name.exit_code == 1
    assert json.loads(by_alias.stdout)["findings"] == json.loads(by_name.stdout)["findings"]


def test_dash_reads_standard_input_and_dash_o_writes_standard_output() -> None:
    text = (EXAMPLES / BROKEN / "topology.yaml").read_text(encoding="utf-8")
    from click.testing import CliRunner

    from anycast_lint.cli.main import cli

    previous = Path.cwd()
    os.chdir(EXAMPLES)
    try:
        result = CliRunner().invoke(cli, ["scan", "-", "--format", "json", "-o", "-"], input=text)
    finally:
        os.chdir(previous)
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["inputs"] == ["-"]
    assert [(f["code"], f["file"], f["line"]) for f in report["findings"]] == [("AC101", "-", 82)]
    assert "wrote" not in result.stderr


def test_statistics_counts_findings_per_rule() -> None:
    run = run_cli("scan", ".", "--statistics", "--fail-on", "none", cwd=EXAMPLES)
    assert run.exit_code == 0
    lines = run.stdout.splitlines()
    assert lines[:2] == ["2  AC101  [error] overlap-outside-anycast", "2  AC302  [note] preference-by-tiebreak"]
    assert lines[-1].startswith(f"Found 2 errors, 0 warnings, 2 notes: checked {len(all_rules())} rules")
    as_json = json.loads(run_cli("scan", ".", "--statistics", "--format", "json", cwd=EXAMPLES).stdout)
    assert as_json == [
        {"code": "AC101", "name": "overlap-outside-anycast", "level": "error", "count": 2},
        {"code": "AC302", "name": "preference-by-tiebreak", "level": "note", "count": 2},
    ]
    sarif = run_cli("scan", ".", "--statistics", "--format", "sarif", cwd=EXAMPLES)
    assert sarif.exit_code == 2 and "--statistics gives text or JSON, not SARIF" in sarif.stderr


def test_short_version_flag() -> None:
    run = run_cli("-V")
    assert (run.exit_code, run.stdout) == (0, f"anycast-lint, version {__version__}\n")


def test_rules_by_prefix_name_and_as_json() -> None:
    listing = run_cli("rules", "AC2")
    assert listing.exit_code == 0
    assert [line[:5] for line in listing.stdout.splitlines()] == [
        r.code for r in all_rules() if r.code < "AC3" and r.code >= "AC2"
    ]
    page = run_cli("rules", "member-not-advertised")
    assert page.exit_code == 0 and page.stdout.startswith("AC204 member-not-advertised (default level: error)")
    everything = json.loads(run_cli("rules", "--format", "json").stdout)
    assert [r["code"] for r in everything] == [r.code for r in all_rules()]
    assert set(everything[0]) == {"code", "name", "level", "summary", "resourceTypes", "helpUri"}
    (one,) = json.loads(run_cli("rules", "AC204", "--format", "json").stdout)
    assert one["name"] == "member-not-advertised" and "## How to fix" in one["markdown"]
    typo = run_cli("rules", "member-not-advertized")
    assert typo.exit_code == 2
    assert typo.stderr == (
        "anycast-lint: error: no rule 'member-not-advertized' (did you mean 'member-not-advertised'? "
        "see `anycast-lint rules`)\n"
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["scan", BROKEN, "--formt", "json"],
            "no such option '--formt' (did you mean one of: '--format', '--output-format', '--root'?) "
            "(see `anycast-lint scan --help`)",
        ),
        (["scan", "--select"], "option '--select' requires an argument (see `anycast-lint scan --help`)"),
        (
            ["scan", BROKEN, "--format", "xml"],
            "invalid value for '--format' / '--output-format': 'xml' is not one of 'text', 'json', 'sarif', 'github', 'markdown', 'junit' "
            "(see `anycast-lint scan --help`)",
        ),
        (["scna", BROKEN], "no such command 'scna' (did you mean 'scan'?) (see `anycast-lint --help`)"),
    ],
)
def test_usage_errors_read_like_every_other_error(args: list[str], expected: str) -> None:
    run = run_cli(*args, cwd=EXAMPLES)
    assert run.exit_code == 2
    assert run.stderr == f"anycast-lint: error: {expected}\n"
    assert run.stdout == ""


def test_help_texts_carry_an_example_and_the_exit_codes() -> None:
    for command in ("scan", "simulate", "trace", "diff", "export", "rules"):
        text = run_cli(command, "--help").stdout
        assert f"  anycast-lint {command}" in text.split("Examples:")[1], command
        assert "Exit codes:\n    0  " in text, command
    top = run_cli("--help").stdout
    assert "scan      Check the designs in files and folders (text, JSON, SARIF).\n" in top
    assert "simulate  Predict circuit route tables and VIP winners (with --fail).\n" in top
    assert "rules     List the rules, or show the help page of one rule.\n" in top


def test_simulate_is_a_gate(tmp_path: Path) -> None:
    clean = run_cli("simulate", "hub-and-spoke", cwd=EXAMPLES)
    assert (clean.exit_code, clean.stderr) == (0, "")
    both = run_cli("simulate", "hub-and-spoke", "--fail", "dns-01", "--fail", "dns-02", cwd=EXAMPLES)
    assert both.exit_code == 1
    assert both.stderr == "anycast-lint: service dns: VIP 10.13.76.4 has no route at circuit er-circuit\n"
    assert "er-circuit: no route to the VIP" in both.stdout
    one = run_cli("simulate", "hub-and-spoke", "--fail", "dns-01", "-o", str(tmp_path / "sim.txt"), cwd=EXAMPLES)
    assert (one.exit_code, one.stdout) == (0, "")
    assert "failover: dns-01 (westeurope) -> dns-02 (northeurope)" in (tmp_path / "sim.txt").read_text()
    circuit = run_cli("simulate", "hub-and-spoke", "--fail", "er-circuit", cwd=EXAMPLES)
    assert circuit.exit_code == 0  # a circuit that is down carries nothing: only circuits that are up are checked
    assert "Failed: ExpressRoute circuit 'er-circuit'" in circuit.stdout
    assert "Circuit er-circuit: predicted routes (primary and secondary paths alike)\n(no routes)" in circuit.stdout


def test_sarif_paths_outside_root_are_a_warning(tmp_path: Path) -> None:
    run = run_cli("scan", BROKEN, "--format", "sarif", "--root", str(tmp_path), cwd=EXAMPLES)
    assert run.exit_code == 1
    assert f"anycast-lint: warning: broken-overlap/topology.yaml is outside the SARIF root {tmp_path}" in run.stderr
    notifications = json.loads(run.stdout)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    (notification,) = notifications
    assert notification["level"] == "warning"
    assert notification["message"]["text"].startswith("broken-overlap/topology.yaml is outside the SARIF root")


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly() -> None:
    """`anycast-lint rules | head -1`: no 'Broken pipe' error, and the shell's SIGPIPE exit code."""
    command = Path(sys.executable).with_name("anycast-lint")
    with subprocess.Popen([str(command), "rules"], stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # the reader goes away after one line, as `head -1` does
        errors = process.stderr.read()
        code = process.wait(timeout=60)
    assert first.startswith(b"AC001")
    assert errors == b""
    assert code == 141


# --- one CLI grammar (issue 25) -------------------------------------------------------------------------------


def test_scan_without_a_path_scans_the_current_folder(tmp_path: Path) -> None:
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "export.json").write_bytes((EXAMPLES / "arm" / "hub-and-spoke.json").read_bytes())
    bare = run_cli("scan", "--format", "json", cwd=tmp_path)
    dotted = run_cli("scan", ".", "--format", "json", cwd=tmp_path)
    assert bare.exit_code == dotted.exit_code == 0
    assert json.loads(bare.stdout)["findings"] == json.loads(dotted.stdout)["findings"] != []


def test_trace_writes_to_a_file_with_o(tmp_path: Path) -> None:
    out = tmp_path / "trace.md"
    run = run_cli(
        "trace", "172.16.10.10", "10.13.76.4", "hub-and-spoke", "--format", "markdown", "-o", str(out), cwd=EXAMPLES
    )
    assert run.exit_code == 0 and run.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("#")


@pytest.mark.parametrize("command", [["trace"], ["rules"], ["simulate"], ["scan"]])
def test_every_format_option_says_what_it_does(command: list[str]) -> None:
    text = run_cli(*command, "--help").stdout
    option = text[text.index("--format") :].split("\n  -", 1)[0]
    assert "format" in option.lower().split("]", 1)[-1], option  # some words after the choices


def test_trace_fail_takes_circuits_too() -> None:
    assert "circuit" in run_cli("trace", "--help").stdout.split("--fail", 1)[1].split("--circuit", 1)[0]


# --- hints where users slip most (issue 25) ----------------------------------------------------------------


def test_a_misspelled_tag_a_service_not_configured_and_a_region_azure_lacks_get_did_you_mean(tmp_path: Path) -> None:
    import yaml

    from conftest import example_design, named

    design = example_design("hub-and-spoke")
    named(design["virtualNetworks"], "dns-02")["tags"] = {"anycast-servce": "dns"}
    named(design["virtualNetworks"], "hub-02")["region"] = "uk-west"
    named(design["virtualNetworks"], "dns-01")["tags"] = {"anycast-service": "dsn"}
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text("services:\n  dns:\n    vip: 10.13.76.4\n", encoding="utf-8")
    run = run_cli("scan", "design.yaml", "--format", "json", cwd=tmp_path)
    warnings = json.loads(run.stdout)["warnings"]
    assert any(
        "tag 'anycast-servce' of virtual network 'dns-02': did you mean 'anycast-service'?" in w for w in warnings
    )
    assert any(
        "is tagged anycast-service: dsn, which the config does not name: did you mean service 'dns'?" in w
        for w in warnings
    )
    assert "region 'uk-west' of virtual network 'hub-02' is not an Azure region: did you mean 'ukwest'?" in warnings
    assert "did you mean 'anycast-service'?" in run.stderr  # on standard error too, in every format


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("apiVersion: anycast-lint/v1\nkind: topology\n", "it has kind 'topology' (kinds are case-sensitive)"),
        ("kind: Topology\n", "it has no apiVersion"),
    ],
)
def test_a_near_miss_topology_says_what_is_wrong(tmp_path: Path, header: str, says: str) -> None:
    (tmp_path / "network").mkdir()
    (tmp_path / "network" / "design.yaml").write_text(header + "virtualNetworks: []\n", encoding="utf-8")
    for target in ("network/design.yaml", "network"):  # named, or met in a folder: never skipped quietly
        run = run_cli("scan", target, cwd=tmp_path)
        assert run.exit_code == 2
        assert f"this looks like an anycast-lint topology, but {says}" in run.stderr

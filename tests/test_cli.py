"""Command-line contract: exit codes, --fail-on, --select/--ignore, --output, the rules command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from anycast_lint import __version__
from anycast_lint.rules.registry import all_rules
from conftest import EXAMPLES, REPO, run_cli, terminal_output

BROKEN = "broken-overlap"


def test_version() -> None:
    run = run_cli("--version")
    assert run.exit_code == 0
    assert run.stdout.strip() == f"anycast-lint, version {__version__}"


def test_fail_on_controls_exit_code() -> None:
    assert run_cli("scan", BROKEN, cwd=EXAMPLES).exit_code == 1
    assert run_cli("scan", BROKEN, "--fail-on", "none", cwd=EXAMPLES).exit_code == 0
    assert run_cli("scan", BROKEN, "--fail-on", "note", cwd=EXAMPLES).exit_code == 1


def test_config_level_and_fail_on_together(write) -> None:  # type: ignore[no-untyped-def]
    config = write("cfg.yaml", "rules:\n  AC101: warning\n")
    run = run_cli("scan", BROKEN, "--config", str(config), "--format", "json", "--select", "AC101", cwd=EXAMPLES)
    assert run.exit_code == 0  # warnings do not fail the default --fail-on error
    assert {f["level"] for f in json.loads(run.stdout)["findings"]} == {"warning"}
    assert (
        run_cli(
            "scan", BROKEN, "--config", str(config), "--fail-on", "warning", "--select", "AC101", cwd=EXAMPLES
        ).exit_code
        == 1
    )


def test_select_and_ignore() -> None:
    assert run_cli("scan", BROKEN, "--select", "AC1", cwd=EXAMPLES).exit_code == 1
    assert run_cli("scan", BROKEN, "--select", "ac101", cwd=EXAMPLES).exit_code == 1
    ignored = run_cli("scan", BROKEN, "--ignore", "AC101", cwd=EXAMPLES)
    assert ignored.exit_code == 0
    assert ignored.stdout.startswith(f"No findings: checked {len(all_rules()) - 1} rules")
    nothing = run_cli("scan", BROKEN, "--ignore", "AC", cwd=EXAMPLES)  # no rule left: an error, not a clean result
    assert nothing.exit_code == 2 and nothing.stdout == ""
    assert nothing.stderr == "anycast-lint: error: --select/--ignore leave no rule to run (see `anycast-lint rules`)\n"


def test_selector_matching_no_rule_is_a_usage_error() -> None:
    run = run_cli("scan", BROKEN, "--select", "AC9", cwd=EXAMPLES)
    assert run.exit_code == 2
    assert run.stderr.strip() == "anycast-lint: error: 'AC9' matches no rule (see `anycast-lint rules`)"


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    run = run_cli("scan", BROKEN, "--format", "json", "--output", str(target), cwd=EXAMPLES)
    assert run.exit_code == 1
    assert run.stdout == ""
    assert "wrote json report" in run.stderr and "(1 finding, 0 suppressed)" in run.stderr
    assert len(json.loads(target.read_text())["findings"]) == 1


def test_unknown_format_is_a_usage_error() -> None:
    run = run_cli("scan", BROKEN, "--format", "xml", cwd=EXAMPLES)
    assert run.exit_code == 2
    assert "'xml' is not one of 'text', 'json', 'sarif'" in run.stderr


def test_rules_lists_and_shows_pages() -> None:
    listing = run_cli("rules")
    assert listing.exit_code == 0
    assert re.search(r"^AC101  overlap-outside-anycast +error +Two address spaces", listing.stdout, re.M)
    assert [line[:5] for line in listing.stdout.splitlines()] == [r.code for r in all_rules()]
    page = run_cli("rules", "ac101")
    assert page.exit_code == 0
    assert "## Why it matters" in page.stdout and "## How to fix" in page.stdout
    missing = run_cli("rules", "AC999")
    assert missing.exit_code == 2 and "no rule 'AC999'" in missing.stderr


def test_folder_scan_skips_other_files_and_says_so(tmp_path: Path) -> None:
    design = EXAMPLES / "hub-and-spoke" / "topology.yaml"
    (tmp_path / "design.yaml").write_text(design.read_text(), encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    run = run_cli("scan", str(tmp_path), "--verbose")
    assert run.exit_code == 0
    assert "Skipped 1 file that is not a topology" in run.stdout
    assert f"skipped {tmp_path}/package.json (not a topology or Azure export)" in run.stderr


def test_folder_without_topology_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    run = run_cli("scan", str(tmp_path))
    assert run.exit_code == 2
    assert "nothing was scanned" in run.stderr


def test_config_passed_as_input_is_explained() -> None:
    run = run_cli("scan", "anycast-lint.yaml", cwd=EXAMPLES)
    assert run.exit_code == 2
    assert "this is an anycast-lint config file; pass it with --config" in run.stderr


def test_console_script_runs_as_installed() -> None:
    """The real entry point, as CI and users run it, not the in-process runner."""
    exe = Path(sys.executable).parent / "anycast-lint"
    done = subprocess.run([str(exe), "scan", BROKEN], cwd=EXAMPLES, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stdout.count(": AC101 [error] ") == 1
    module = subprocess.run([sys.executable, "-m", "anycast_lint", "rules"], cwd=REPO, capture_output=True, text=True)
    assert module.returncode == 0 and "AC101" in module.stdout


def test_colour_only_on_a_terminal() -> None:
    """On a pseudo-terminal the code is coloured; NO_COLOR turns it off again."""
    exe = Path(sys.executable).parent / "anycast-lint"

    def captured(env: dict[str, str]) -> str:
        return terminal_output([str(exe), "scan", BROKEN], EXAMPLES, env)

    base = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert "\x1b[31m\x1b[1mAC101" in captured(base)
    assert "\x1b[" not in captured({**base, "NO_COLOR": "1"})


# scan, simulate, trace and diff read their input through the same options, checked the same way
READING_COMMANDS = (
    ("scan", BROKEN),
    ("simulate", BROKEN),
    ("trace", "172.16.10.10", "10.13.76.4", BROKEN),
    ("diff", BROKEN, "hub-and-spoke"),
)


def test_every_reading_command_refuses_live_read_options_without_azure() -> None:
    for command in READING_COMMANDS:
        run = run_cli(*command, "--tenant", "contoso", cwd=EXAMPLES)
        assert (run.exit_code, run.stdout) == (2, ""), command
        assert run.stderr == "anycast-lint: error: --tenant applies to a live read; add --azure\n", command
        several = run_cli(*command, "--subscription", "a", "--subscription", "b", cwd=EXAMPLES)
        assert several.exit_code == 2, command
        assert several.stderr == (
            "anycast-lint: error: templates are evaluated in one --subscription (several are read with --azure)\n"
        ), command


def test_diff_selects_rules_as_scan_does() -> None:
    unknown = run_cli("diff", BROKEN, "hub-and-spoke", "--select", "AC9", cwd=EXAMPLES)
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "anycast-lint: error: 'AC9' matches no rule (see `anycast-lint rules`)\n",
    )
    nothing = run_cli("diff", BROKEN, "hub-and-spoke", "--ignore", "AC", cwd=EXAMPLES)
    assert nothing.stderr == "anycast-lint: error: --select/--ignore leave no rule to run (see `anycast-lint rules`)\n"
    every = json.loads(run_cli("diff", BROKEN, "hub-and-spoke", "--format", "json", cwd=EXAMPLES).stdout)["findings"]
    assert [f["code"] for f in every["new"]] == ["AC302"] and [f["code"] for f in every["fixed"]] == ["AC101"]
    only = run_cli("diff", BROKEN, "hub-and-spoke", "--select", "AC101", "--format", "json", cwd=EXAMPLES)
    assert json.loads(only.stdout)["findings"] == {"new": [], "fixed": every["fixed"]}  # AC302 did not run

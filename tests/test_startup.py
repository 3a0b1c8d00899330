"""A scan of files starts without the libraries only other commands or inputs need: the Azure SDK (a live
read), sarif-om (SARIF output), the trace and the on-premises view (their commands), fastjsonschema (large
native files). Start-up is part of every scan's wall time (issue 14's speed goal)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

_PROBE = """
import json, sys
from anycast_lint.cli.main import cli
try:
    cli.main(sys.argv[1:], prog_name="anycast-lint")
except SystemExit as exc:
    code = exc.code
optional = {"azure", "sarif_om", "fastjsonschema", "anycast_lint.trace", "anycast_lint.report.onprem_view"}
print(json.dumps([code, sorted((set(sys.modules) | {m.split(".")[0] for m in sys.modules}) & optional)]), file=sys.stderr)
"""


def _imported_by(*arguments: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments], capture_output=True, text=True, cwd=EXAMPLES, check=False
    )
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, modules


def test_a_text_or_json_scan_of_files_imports_only_what_it_needs() -> None:
    assert _imported_by("scan", "hub-and-spoke") == (0, [])
    assert _imported_by("scan", "arm/hub-and-spoke.json", "--format", "json") == (0, [])


def test_sarif_output_still_loads_sarif_om() -> None:
    assert _imported_by("scan", "hub-and-spoke", "--format", "sarif") == (0, ["sarif_om"])


def test_the_trace_and_the_on_premises_view_are_loaded_by_their_commands() -> None:
    assert "anycast_lint.trace" in _imported_by("trace", "172.16.0.10", "10.13.76.4", "hub-and-spoke")[1]
    assert "anycast_lint.report.onprem_view" in _imported_by("simulate", "hub-and-spoke", "--from", "onprem")[1]

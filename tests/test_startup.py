"""A scan of files starts without the libraries only other commands need: the Azure SDK (a live read)
and sarif-om (SARIF output). Start-up is part of every scan's wall time (issue 14's speed goal)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

_PROBE = """
import json, sys
from anycast_lint.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="anycast-lint")
except SystemExit as exc:
    code = exc.code
print(json.dumps([code, sorted({m.split(".")[0] for m in sys.modules} & {"azure", "sarif_om"})]), file=sys.stderr)
"""


def _imported_by(*arguments: str) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *arguments], capture_output=True, text=True, cwd=EXAMPLES, check=False
    )
    code, modules = json.loads(done.stderr.strip().splitlines()[-1])
    return code, modules


def test_a_text_or_json_scan_of_files_does_not_import_the_azure_sdk_or_sarif_om() -> None:
    assert _imported_by("scan", "hub-and-spoke") == (0, [])
    assert _imported_by("scan", "arm/hub-and-spoke.json", "--format", "json") == (0, [])


def test_sarif_output_still_loads_sarif_om() -> None:
    assert _imported_by("scan", "hub-and-spoke", "--format", "sarif") == (0, ["sarif_om"])

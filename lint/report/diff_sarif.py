"""`anycast-lint diff --format sarif`: the findings new in AFTER only, so that code scanning shows what the
pull request introduces. The log is the scan's SARIF (same rules, fingerprints and checks) over AFTER."""

from __future__ import annotations

import json

from anycast_lint.diff.changes import DiffResult
from anycast_lint.engine.run import ScanResult
from anycast_lint.report import ReportData
from anycast_lint.report.sarif import build_log


def render(result: DiffResult) -> str:
    scan = ScanResult(findings=list(result.new), rules=result.rules)
    data = ReportData(scan, result.after.inputs, result.root, links=result.links, category=result.category)
    return json.dumps(build_log(data), indent=2) + "\n"

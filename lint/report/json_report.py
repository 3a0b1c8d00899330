"""Machine output: one JSON document with findings, suppressed findings, warnings and what was read."""

from __future__ import annotations

import json
from typing import Any

from anycast_lint.fixes import Fix
from anycast_lint.model.findings import Finding, Level
from anycast_lint.model.positions import Origin
from anycast_lint.report import ReportData, statistics, template_summary, unknown_notes

JSON_FORMAT_VERSION = 1


def _where(origin: Origin) -> dict[str, Any]:
    """File and position; a value read live from Azure has neither (its resource id says where)."""
    if origin.live:
        return {"file": None, "line": None, "column": None, "endLine": None, "endColumn": None}
    span = origin.span
    return {
        "file": origin.file,
        "line": span.line,
        "column": span.column,
        "endLine": span.end_line,
        "endColumn": span.end_column,
    }


def _short_where(origin: Origin) -> dict[str, Any]:
    return {key: value for key, value in _where(origin).items() if key in ("file", "line", "column")}


class _SharedFixes:
    """A fix shared by several findings (AC101 renumbers a VNet's whole address space once for all its
    overlapping prefixes) is written in full on the first of them; the others name that finding by its
    fingerprint (`sameAs`), so the report grows with the findings, not with findings times address space."""

    def __init__(self) -> None:
        self._first: dict[int, tuple[Fix, str]] = {}  # id(fix) -> (the fix, kept alive; its first finding)

    def as_json(self, finding: Finding) -> dict[str, Any] | None:
        fix = finding.fix
        if fix is None:
            return None
        first = self._first.setdefault(id(fix), (fix, finding.fingerprint))[1]
        if first == finding.fingerprint:
            return fix.as_json()
        return {"description": fix.description, "az": None, "terraform": None, "arm": None, "sameAs": first}


def _finding(finding: Finding, fixes: _SharedFixes) -> dict[str, Any]:
    return {
        "code": finding.code,
        "name": finding.rule_name,
        "level": finding.level.label,
        "message": finding.message,
        "resource": finding.resource_id,
        **_where(finding.origin),
        "jsonPath": finding.origin.json_path,
        "design": finding.design,
        "fingerprint": finding.fingerprint,
        "fix": fixes.as_json(finding),
        "related": [
            {
                "message": r.message,
                "resource": r.resource_id or r.origin.resource,
                **_short_where(r.origin),
                "jsonPath": r.origin.json_path,
            }
            for r in finding.related
        ],
    }


def finding_json(finding: Finding, fixes: _SharedFixes | None = None) -> dict[str, Any]:
    """A finding as the scan's JSON report lists it (`diff` lists new and fixed findings the same way; a fix
    shared by several findings is written in full on the first, see _SharedFixes)."""
    return _finding(finding, fixes or _SharedFixes())


def _baseline(data: ReportData, fixes: _SharedFixes) -> dict[str, Any] | None:
    """With --baseline: the accepted findings, and the entries that no longer occur (to prune)."""
    baseline = data.scan.baseline
    if baseline is None:
        return None
    return {
        "file": baseline.path,
        "accepted": [_finding(f, fixes) for f in baseline.unchanged],
        "absent": [{"fingerprint": e.fingerprint, "code": e.code, "resource": e.resource} for e in baseline.absent],
    }


def render(data: ReportData, color: bool) -> str:
    if data.statistics:
        return statistics.render_json(data)
    scan = data.scan
    fixes = _SharedFixes()
    findings = [_finding(f, fixes) for f in scan.findings]  # first: the full fix goes with the first finding
    suppressed = []
    for finding, suppression in scan.suppressed:
        entry = _finding(finding, fixes)
        entry["suppression"] = {
            "reason": suppression.reason,
            "expires": suppression.expires.isoformat() if suppression.expires else None,
            "declaredAt": str(suppression.origin),
        }
        suppressed.append(entry)
    document = {  # whether everything was read comes first: a partial scan says so on its first lines
        "complete": data.complete,
        "errors": [notice.as_json() for notice in data.errors],
        "formatVersion": JSON_FORMAT_VERSION,
        "tool": {"name": "anycast-lint", "version": data.version},
        "summary": {
            "errors": scan.count(Level.ERROR),
            "warnings": scan.count(Level.WARNING),
            "notes": scan.count(Level.NOTE),
            "suppressed": len(scan.suppressed),
            "rules": [r.code for r in scan.rules],
            "services": data.scan.service_count,
            "resources": data.load.counts(),
            "designs": len(data.load.designs),
            "inputErrors": len(data.errors),
            "templates": template_summary(data),
        },
        "designs": [
            {
                "name": d.name,
                "files": d.load.files,
                "config": d.config.path,
                "coverage": {
                    "complete": d.load.topology.coverage.whole,
                    "notCovered": d.load.topology.coverage.uncovered(),
                },
            }
            for d in data.load.designs
        ],
        "inputs": data.load.files,
        "skipped": [{"file": f, "reason": r} for f, r in data.load.skipped],
        "findings": findings,
        "suppressed": suppressed,
        # the design's warnings, then the run's (a live scan's: an optional layer refused, subscriptions skipped)
        "warnings": scan.warnings + [n.message for n in data.notices if n.level == "warning"],
        "baseline": _baseline(data, fixes),
        "unknowns": [
            {"message": message, **_short_where(o), "jsonPath": o.json_path} for o, message in unknown_notes(data)
        ],
    }
    return json.dumps(document, indent=2) + "\n"

"""`anycast-lint diff --format json`: the contract other tools read (documented in the README).

    {"changes": [{"service", "vip", "at", "failure", "before", "after", "reason", "basis"}],
     "findings": {"new": [...], "fixed": [...]}, "before": {"inputs": [...]}, "after": {"inputs": [...]},
     "complete": true, "errors": []}

A finding is shaped as in the scan's JSON report; a fixed one points at BEFORE's file as its side shows it
(e.g. `origin/main:network/design.yaml`).
"""

from __future__ import annotations

import json
from typing import Any

from anycast_lint import __version__
from anycast_lint.diff.changes import Change, DiffResult, Side
from anycast_lint.errors import InputError
from anycast_lint.model.findings import Finding
from anycast_lint.report.json_report import finding_json


def change_json(change: Change) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "service": change.service,
        "vip": change.vip,
        "at": change.at,
        "failure": change.failure,
        "before": change.before,
        "after": change.after,
        "reason": change.reason,
        "basis": change.basis,
    }
    if change.design:
        entry["design"] = change.design
    return entry


def _finding(finding: Finding, side: Side) -> dict[str, Any]:
    entry = finding_json(finding)
    if entry["file"] is not None:
        entry["file"] = side.show_file(entry["file"])
    if not side.located:
        entry.update(line=None, column=None, endLine=None, endColumn=None)
    for related in entry["related"]:
        if related.get("file") is not None:
            related["file"] = side.show_file(related["file"])
    return entry


def error_json(name: str, side: Side, error: InputError) -> dict[str, Any]:
    file = side.show_file(error.file) if error.file else error.file
    return {"side": name, "message": error.message, "file": file, "line": error.line, "column": error.column}


def render(result: DiffResult) -> str:
    document = {
        "changes": [change_json(c) for c in result.changes],
        "findings": {
            "new": [_finding(f, result.after) for f in result.new],
            "fixed": [_finding(f, result.before) for f in result.fixed],
        },
        "before": {"label": result.before.label, "inputs": result.before.files},
        "after": {"label": result.after.label, "inputs": result.after.files},
        "complete": result.complete,
        "errors": [error_json(name, result.side(name), e) for name, e in result.errors],
        "tool": {"name": "anycast-lint", "version": __version__},
    }
    return json.dumps(document, indent=2) + "\n"

"""Baselines: accept today's findings, report only the new ones.

A baseline file records findings by identity — the fingerprint of rule + resource + evidence, never a
line or column — so reformatting a file, reordering resources or moving a resource to another file
changes nothing. Entries that no longer occur are counted, so the file can be pruned by writing it again.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.errors import InputError
from anycast_lint.inputs.reader import parse_file
from anycast_lint.model.findings import Finding
from anycast_lint.model.positions import Origin

BASELINE_KIND = "anycast-lint/baseline"
BASELINE_VERSION = 1
_ENTRY_KEYS = ("fingerprint", "code", "resource", "message")


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding. Only `fingerprint` matches; the rest is there for the person pruning the file."""

    fingerprint: str
    code: str
    resource: str
    message: str


@dataclass(frozen=True)
class Baseline:
    path: str
    entries: dict[str, BaselineEntry]


@dataclass
class BaselineComparison:
    """Today's findings split against a baseline: SARIF's baselineState new / unchanged / absent."""

    path: str
    new: list[Finding] = field(default_factory=list)
    unchanged: list[Finding] = field(default_factory=list)
    absent: list[BaselineEntry] = field(default_factory=list)  # accepted, but reported no more: prunable
    recorded: frozenset[str] = frozenset()  # every fingerprint in the baseline file

    def state_of(self, finding: Finding) -> str:
        return "unchanged" if finding.fingerprint in self.recorded else "new"


def render_baseline(findings: Iterable[Finding]) -> str:
    """The baseline document for `findings`: sorted by rule and resource, so it diffs well in review."""
    entries = {f.fingerprint: BaselineEntry(f.fingerprint, f.code, f.resource_id, f.message) for f in findings}
    ordered = sorted(entries.values(), key=lambda e: (e.code, e.resource.lower(), e.fingerprint))
    document = {
        "kind": BASELINE_KIND,
        "version": BASELINE_VERSION,
        "findings": [
            {"fingerprint": e.fingerprint, "code": e.code, "resource": e.resource, "message": e.message}
            for e in ordered
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: Path, display: str | None = None) -> Baseline:
    """Read a baseline written by --write-baseline; a malformed one is an input error with its line."""
    display = display or str(path)
    parsed = parse_file(path, display)
    root = Origin.of(parsed.document)
    data = parsed.data
    if not isinstance(data, dict) or data.get("kind") != BASELINE_KIND:
        raise InputError.at(
            root, f"not an anycast-lint baseline (expected kind: {BASELINE_KIND}, from --write-baseline)"
        )
    if data.get("version") != BASELINE_VERSION:
        raise InputError.at(
            root.child("version"), f"baseline version {data.get('version')!r} is not supported (expected 1)"
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise InputError.at(root.child("findings"), "expected a list of findings")
    entries: dict[str, BaselineEntry] = {}
    for index, entry in enumerate(findings):
        origin = root.child("findings", index)
        if not isinstance(entry, dict):
            raise InputError.at(origin, "expected a finding object")
        for key in _ENTRY_KEYS:
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise InputError.at(origin, f"finding lacks {key!r} (expected a non-empty string)")
        entries[entry["fingerprint"]] = BaselineEntry(*(entry[key] for key in _ENTRY_KEYS))
    return Baseline(display, entries)


def compare(findings: Iterable[Finding], baseline: Baseline) -> BaselineComparison:
    comparison = BaselineComparison(baseline.path, recorded=frozenset(baseline.entries))
    for finding in findings:
        (comparison.unchanged if finding.fingerprint in baseline.entries else comparison.new).append(finding)
    matched = {f.fingerprint for f in comparison.unchanged}
    comparison.absent = [entry for key, entry in baseline.entries.items() if key not in matched]
    return comparison

"""SARIF 2.1.0 for GitHub code scanning and Azure DevOps, built with sarif-om.

What GitHub needs and this writes: relative artifact URIs under %SRCROOT%, a physical location with a
region on every result, `partialFingerprints` from the finding's stable identity (never its line), rule
metadata read from the help pages, `security-severity` as a numeric string, an explicit `level` on every
result, and a `results` array even when it is empty.

Suppressed findings stay in the log with `suppressions[]` (kind external, the config's reason as the
justification); with a baseline every result carries `baselineState`; `--category` becomes
`automationDetails.id`; a git checkout with a remote gives `versionControlProvenance`. A run holds at
most 25,000 results (GitHub rejects more): errors first, and a notification says what was left out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import sarif_om as om

from anycast_lint.engine.helpurl import HelpLinks, project_url
from anycast_lint.fixes.regions import replacements
from anycast_lint.inputs.config import Suppression
from anycast_lint.inputs.gitinfo import provenance
from anycast_lint.model.findings import Finding
from anycast_lint.model.notices import ExecutionNotice
from anycast_lint.model.positions import Origin
from anycast_lint.report import ReportData
from anycast_lint.report.sarif_json import to_sarif
from anycast_lint.rules.registry import Rule

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "anycastLintFingerprint/v1"
MAX_RESULTS = 25_000  # per run: GitHub rejects an upload with more


def artifact_uri(file: str, root: Path) -> str:
    """A repository-relative URI with forward slashes (GitHub rejects absolute and Windows paths)."""
    resolved = Path(file).resolve()
    try:
        relative = resolved.relative_to(root.resolve())
    except ValueError:
        relative = Path(os.path.relpath(resolved, root.resolve()))
    return relative.as_posix()


def outside_root(data: ReportData) -> list[str]:
    """Reported files that are not below the SARIF root: their URIs start with `../`, which code scanning
    cannot place in the repository. Each is a warning, never a silent `../` URI."""
    root = data.root.resolve()
    files = {f.origin.file for f in data.scan.findings} | {r.origin.file for f in data.scan.findings for r in f.related}
    files |= {n.file for n in data.execution_notices() if n.file is not None}
    return sorted(f for f in files if not Path(f).resolve().is_relative_to(root))


def outside_root_warning(file: str, data: ReportData) -> str:
    return (
        f"{file} is outside the SARIF root {data.root} (see --root): its SARIF path "
        f"{artifact_uri(file, data.root)!r} cannot be placed in the repository by code scanning"
    )


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in name.replace("_", "-").split("-"))


def _descriptor(current: Rule, links: HelpLinks) -> om.ReportingDescriptor:
    doc = current.doc
    return om.ReportingDescriptor(
        id=current.code,
        name=_pascal(current.name),
        short_description=om.MultiformatMessageString(text=doc.summary),
        full_description=om.MultiformatMessageString(text=doc.full_description),
        help=om.MultiformatMessageString(text=doc.markdown, markdown=doc.markdown),
        help_uri=links.rule(current.code),
        default_configuration=om.ReportingConfiguration(level=current.default_level.label),
        properties={
            "tags": list(doc.tags),
            "security-severity": doc.security_severity,
            "precision": "very-high",
        },
    )


def _logical(resource_id: str) -> om.LogicalLocation:
    name = resource_id.rstrip("/").rsplit("/", 1)[-1]
    return om.LogicalLocation(name=name, fully_qualified_name=resource_id, kind="resource")


def _physical(origin: Origin, root: Path) -> om.PhysicalLocation | None:
    """The file region; none for a value read live from Azure (its logical location names it)."""
    if origin.live:
        return None
    span = origin.span
    return om.PhysicalLocation(
        artifact_location=om.ArtifactLocation(uri=artifact_uri(origin.file, root), uri_base_id=SRCROOT),
        region=om.Region(
            start_line=span.line,
            start_column=span.column,
            end_line=span.end_line,
            end_column=span.end_column,
        ),
    )


def _result(finding: Finding, rule_index: int, root: Path, baseline_state: str | None) -> om.Result:
    related = [
        om.Location(
            id=index,
            physical_location=_physical(r.origin, root),
            logical_locations=[_logical(resource)] if (resource := r.resource_id or r.origin.resource) else None,
            message=om.Message(text=r.message),
        )
        for index, r in enumerate(finding.related, start=1)
    ]
    return om.Result(
        rule_id=finding.code,
        rule_index=rule_index,
        level=finding.level.label,
        message=om.Message(text=finding.message),
        locations=[
            om.Location(
                physical_location=_physical(finding.origin, root),
                logical_locations=[_logical(finding.resource_id)],
            )
        ],
        partial_fingerprints={FINGERPRINT_KEY: finding.fingerprint},
        related_locations=related or None,
        fixes=_fixes(finding, root),
        baseline_state=baseline_state,
        properties={"jsonPath": finding.origin.json_path, "design": finding.design},
    )


def _fixes(finding: Finding, root: Path) -> list[om.Fix] | None:
    """The fix as artifact changes code scanning can offer, where the input file can be edited (native YAML,
    ARM REST JSON); the az CLI / Terraform / ARM text is in the message's help and the JSON report."""
    if finding.fix is None or finding.origin.live:
        return None
    changes: dict[str, list[om.Replacement]] = {}
    for r in replacements(finding.fix):
        changes.setdefault(r.file, []).append(
            om.Replacement(
                deleted_region=om.Region(
                    start_line=r.start_line,
                    start_column=r.start_column,
                    end_line=r.end_line,
                    end_column=r.end_column,
                ),
                inserted_content=om.ArtifactContent(text=r.text),
            )
        )
    if not changes:
        return None
    return [
        om.Fix(
            description=om.Message(text=finding.fix.description),
            artifact_changes=[
                om.ArtifactChange(
                    artifact_location=om.ArtifactLocation(uri=artifact_uri(file, root), uri_base_id=SRCROOT),
                    replacements=found,
                )
                for file, found in changes.items()
            ],
        )
    ]


def _suppression(suppression: Suppression) -> om.Suppression:
    entry = om.Suppression(kind="external", justification=suppression.reason)
    # sarif-om names this field `state` (a pre-release name); SARIF 2.1.0 calls it `status`.
    entry.status = "accepted"
    return entry


def _results(data: ReportData, index: dict[str, int], limit: int) -> tuple[list[om.Result], int]:
    """Reported, baseline-accepted and suppressed findings, errors first when over the limit; and how
    many were left out."""
    baseline = data.scan.baseline
    entries: list[tuple[Finding, Suppression | None]] = [(f, None) for f in data.scan.findings]
    entries += [(f, None) for f in baseline.unchanged] if baseline else []
    entries += list(data.scan.suppressed)
    left_out = max(0, len(entries) - limit)
    if left_out:
        entries = sorted(entries, key=lambda e: (e[1] is not None, -e[0].level))[:limit]
        entries.sort(key=lambda e: e[0].sort_key())
    results = []
    for finding, suppression in entries:
        state = baseline.state_of(finding) if baseline else None
        result = _result(finding, index[finding.code], data.root, state)
        if suppression is not None:
            result.suppressions = [_suppression(suppression)]
        results.append(result)
    return results, left_out


def _run_notices(data: ReportData, results: int, left_out: int, limit: int) -> list[ExecutionNotice]:
    """What this log leaves out: results over GitHub's limit, baseline entries that no longer occur."""
    notices = []
    if left_out:
        notices.append(
            ExecutionNotice(
                "warning",
                f"{left_out} of {results + left_out} results left out: GitHub accepts at most {limit:,} per run "
                "(errors were kept first); the text or JSON report has them all",
            )
        )
    baseline = data.scan.baseline
    if baseline and baseline.absent:
        notices.append(
            ExecutionNotice(
                "note",
                f"{len(baseline.absent)} entries of baseline {baseline.path} no longer occur; "
                "write it again with --write-baseline to prune them",
            )
        )
    return notices


def _provenance(root: Path) -> list[om.VersionControlDetails] | None:
    found = provenance(root)
    if found is None:
        return None
    return [
        om.VersionControlDetails(
            repository_uri=found.repository,
            revision_id=found.revision,
            branch=found.branch,
            mapped_to=om.ArtifactLocation(uri_base_id=SRCROOT),
        )
    ]


def _notification(notice: ExecutionNotice, root: Path) -> om.Notification:
    locations = None
    if notice.file is not None:
        region = om.Region(start_line=notice.line or 1, start_column=notice.column or 1)
        artifact = om.ArtifactLocation(uri=artifact_uri(notice.file, root), uri_base_id=SRCROOT)
        locations = [om.Location(physical_location=om.PhysicalLocation(artifact_location=artifact, region=region))]
    return om.Notification(message=om.Message(text=notice.message), level=notice.level, locations=locations)


def build_log(data: ReportData, limit: int = MAX_RESULTS) -> dict[str, Any]:
    rules = list(data.scan.rules)
    index = {r.code: i for i, r in enumerate(rules)}
    results, left_out = _results(data, index, limit)
    notices = data.execution_notices() + _run_notices(data, len(results), left_out, limit)
    notices += [ExecutionNotice("warning", outside_root_warning(file, data)) for file in outside_root(data)]
    notifications = [_notification(notice, data.root) for notice in notices]
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="anycast-lint",
                full_name="anycast-lint: private anycast design validator for Azure",
                version=data.version,
                semantic_version=data.version,
                information_uri=data.links.project or project_url(),
                rules=[_descriptor(r, data.links) for r in rules],
            )
        ),
        results=results,
        automation_details=om.RunAutomationDetails(id=f"{data.category}/") if data.category else None,
        version_control_provenance=_provenance(data.root),
        original_uri_base_ids={
            SRCROOT: om.ArtifactLocation(description=om.Message(text="The root of the scanned repository."))
        },
        invocations=[
            om.Invocation(
                execution_successful=data.complete,
                tool_execution_notifications=notifications or None,
            )
        ],
        column_kind="unicodeCodePoints",
    )
    log: dict[str, Any] = to_sarif(om.SarifLog(runs=[run], version="2.1.0", schema_uri=SCHEMA_URI))
    return {"$schema": log.pop("$schema"), "version": log.pop("version"), **log}


def render(data: ReportData, color: bool) -> str:
    return json.dumps(build_log(data), indent=2) + "\n"

"""GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=AC101 …::message`, one per finding.

The runner turns each line into an annotation on the pull request's diff. Values are escaped as the
Actions toolkit does (`escapeData` / `escapeProperty` in @actions/core): `%`, CR and LF in the message;
additionally `:` and `,` in properties, which would otherwise end the property. Paths are relative to
the repository root, as annotations need. GitHub shows at most 10 error and 10 warning annotations per
step; the SARIF upload carries everything.
"""

from __future__ import annotations

from anycast_lint.model.findings import Finding, Level
from anycast_lint.model.positions import Origin
from anycast_lint.report import ReportData, unknown_notes
from anycast_lint.report.sarif import artifact_uri

COMMANDS = {Level.ERROR: "error", Level.WARNING: "warning", Level.NOTE: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, properties: dict[str, str | int]) -> str:
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def _where(origin: Origin, data: ReportData) -> dict[str, str | int]:
    span = origin.span
    where: dict[str, str | int] = {"file": artifact_uri(origin.file, data.root), "line": span.line}
    if span.end_line == span.line:
        where |= {"col": span.column, "endColumn": span.end_column}
    else:
        where["endLine"] = span.end_line
    return where


def _finding(finding: Finding, data: ReportData) -> str:
    message = finding.message
    for related in finding.related:
        message += (
            f"\nrelated: {related.message} ({artifact_uri(related.origin.file, data.root)}:{related.origin.line})"
        )
    page = data.links.rule(finding.code)
    if page:
        message += f"\nhelp: {page}"
    title = f"{finding.code} {finding.rule_name}"
    return command(COMMANDS[finding.level], message, {**_where(finding.origin, data), "title": title})


def render(data: ReportData, color: bool) -> str:
    lines = [_finding(f, data) for f in data.scan.findings]
    lines += [command("warning", warning, {"title": "anycast-lint"}) for warning in data.scan.warnings]
    lines += [
        command("notice", f"unknown: {message}", {**_where(origin, data), "title": "anycast-lint: unknown value"})
        for origin, message in unknown_notes(data)
    ]
    return "".join(line + "\n" for line in lines)

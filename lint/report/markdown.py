"""Markdown for `$GITHUB_STEP_SUMMARY` or a pull-request comment: counts by level, the findings with
links to their help pages, and per anycast service a Mermaid diagram of where its VIP goes.

GitHub renders ```mermaid blocks in step summaries, comments and Markdown files. The report stays under
GitHub's 65,536-character limit for a comment: the findings table shrinks first, then the diagrams are
left out, each time saying so; the SARIF upload carries everything.
"""

from __future__ import annotations

from collections import defaultdict

from anycast_lint.analysis.services import service_vip
from anycast_lint.model.findings import Finding, Level
from anycast_lint.model.ids import id_key
from anycast_lint.report import ReportData, baseline_summary, plural, scope_summary, unknown_notes
from anycast_lint.report.mermaid import service_diagram
from anycast_lint.report.sarif import artifact_uri

MAX_ROWS = 100
MAX_CHARS = 60_000  # a pull-request comment holds 65,536 characters; leave room for a header
MAX_MESSAGE = 400
_ICONS = {Level.ERROR: "🔴 error", Level.WARNING: "🟠 warning", Level.NOTE: "🔵 note"}


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes escaped, line breaks as <br>, long text cut."""
    text = text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _rule_link(finding: Finding, data: ReportData) -> str:
    page = data.links.rule(finding.code)
    name = f"{finding.code} {finding.rule_name}"
    return f"[{name}]({page})" if page else f"`{name}`"


def _counts(data: ReportData) -> list[str]:
    scan = data.scan
    rows = [f"| {_ICONS[level]} | {scan.count(level)} |" for level in sorted(Level, reverse=True)]
    if scan.suppressed:
        rows.append(f"| suppressed by the config | {len(scan.suppressed)} |")
    if scan.baseline:
        rows.append(f"| accepted by the baseline | {len(scan.baseline.unchanged)} |")
    return ["| level | findings |", "|---|---:|", *rows]


def _findings(data: ReportData, rows: int) -> list[str]:
    findings = data.scan.findings
    if not findings:
        return []
    lines = ["| level | rule | where | finding |", "|---|---|---|---|"]
    for finding in findings[:rows]:
        where = f"`{artifact_uri(finding.origin.file, data.root)}:{finding.origin.line}`"
        lines.append(f"| {_ICONS[finding.level]} | {_rule_link(finding, data)} | {where} | {cell(finding.message)} |")
    if len(findings) > rows:
        lines.append(f"\n{len(findings) - rows} more findings are not shown; the SARIF and JSON reports list them all.")
    return lines


def _diagrams(data: ReportData) -> list[str]:
    contexts = [(name, context) for name, context in data.scan.contexts if len(context.services)]
    if not contexts:
        return []
    failed: dict[str, list[str]] = defaultdict(list)
    for finding in data.scan.findings:
        if finding.level == Level.ERROR and finding.code not in failed[id_key(finding.resource_id)]:
            failed[id_key(finding.resource_id)].append(finding.code)
    lines = [
        "### Where each anycast service goes",
        "",
        "Thick arrows: the path each circuit's edge picks (the predicted winner, green). Red: members with "
        "error findings, and VNets outside the service that take routes for its VIP. Grey, dashed: members "
        "no circuit learns a route to.",
    ]
    for design, context in contexts:
        routing = context.routing
        not_advertised = [(id_key(n.vnet_id), n.reason) for n in routing.not_advertised]
        for service in context.services:
            vip = service_vip(service, context.topology)
            where = f" in design `{design}`" if len(contexts) > 1 else ""
            title = f"**{service.name}**{where}, " + (f"VIP {vip}" if vip else "no VIP known: every route shown")
            lines += ["", title, "", "```mermaid"]
            lines.append(service_diagram(routing, service, vip, dict(failed), not_advertised).rstrip("\n"))
            lines.append("```")
    return lines


def render(data: ReportData, color: bool) -> str:
    return render_within(data, MAX_CHARS)


def render_within(data: ReportData, max_chars: int) -> str:
    """The report, with fewer table rows, then without diagrams, until it fits in `max_chars`."""
    rows = MAX_ROWS
    while True:
        text = _render(data, rows, diagrams=True)
        if len(text) <= max_chars or rows == 0:
            break
        rows //= 2
    if len(text) > max_chars:
        text = _render(data, rows, diagrams=False)
    return text


def _render(data: ReportData, rows: int, diagrams: bool) -> str:
    scan = data.scan
    if scan.findings:
        counts = ", ".join(plural(scan.count(level), level.label) for level in sorted(Level, reverse=True))
        headline = f"**{counts}**: checked {scope_summary(data)}."
    else:
        headline = f"**No findings**: checked {scope_summary(data)}."
    lines = ["## anycast-lint", "", headline, "", *_counts(data)]
    summary = baseline_summary(data)
    if summary:
        lines += ["", summary]
    if scan.findings:
        lines += ["", *_findings(data, rows)]
    notes = unknown_notes(data)
    if notes:
        lines += [
            "",
            f"{plural(len(notes), 'value')} could not be evaluated; the text report lists them as `unknown:`.",
        ]
    for warning in scan.warnings:
        lines += ["", f"> [!WARNING]\n> {cell(warning)}"]
    drawn = _diagrams(data)
    if drawn and diagrams:
        lines += ["", *drawn]
    elif drawn:
        lines += ["", "The diagrams of the anycast services are left out to keep this report short enough."]
    return "\n".join(lines) + "\n"

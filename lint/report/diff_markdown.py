"""`anycast-lint diff --format markdown`: a pull-request comment or job summary.

The winners that move, the new and fixed findings, then per changed service its Mermaid picture before and
after (the scan report's diagrams, drawn from each side's routing). GitHub holds 65,536 characters in a
comment: rows, then the diagrams, are left out until the text fits, and the report says how many.
"""

from __future__ import annotations

from collections import defaultdict

from anycast_lint.analysis.services import service_vip
from anycast_lint.diff.changes import Change, DiffResult, Side
from anycast_lint.engine.helpurl import HelpLinks
from anycast_lint.model.findings import Finding, Level
from anycast_lint.model.ids import id_key
from anycast_lint.report import plural
from anycast_lint.report.markdown import MAX_CHARS, MAX_ROWS, cell
from anycast_lint.report.mermaid import service_diagram
from anycast_lint.report.sarif import artifact_uri

_ICONS = {Level.ERROR: "🔴 error", Level.WARNING: "🟠 warning", Level.NOTE: "🔵 note"}
_BASIS = {"observed": "observed, not documented", "assumed": "assumed", "model": "model", "unknown": "unknown"}


def _change_row(change: Change) -> str:
    failure = "—" if change.failure is None else f"`{change.failure}` down"
    service = f"`{change.design}`: {change.service}" if change.design else change.service
    before, after = change.before or "**none**", change.after or "**none**"
    reason = f"{cell(change.reason)} ({_BASIS.get(change.basis, change.basis)})"
    return f"| {cell(service)} | {change.vip} | {cell(change.at)} | {failure} | {before} | {after} | {reason} |"


def _changes(result: DiffResult, rows: int) -> list[str]:
    if not result.changes:
        return [f"No winner moves: {plural(result.compared, 'winner')} compared (base case, each member down, --fail)."]
    lines = [
        "### Routing changes",
        "",
        "| service | VIP | at | failure | before | after | why (basis) |",
        "|---|---|---|---|---|---|---|",
    ]
    lines += [_change_row(c) for c in result.changes[:rows]]
    if len(result.changes) > rows:
        lines += ["", f"{len(result.changes) - rows} more changes are not shown; the JSON report lists them all."]
    return lines


def _where(finding: Finding, side: Side, root_relative: bool, result: DiffResult) -> str:
    file = finding.origin.file
    if not file:
        return "live"
    shown = artifact_uri(file, result.root) if root_relative else side.show_file(file)
    return f"`{shown}:{finding.origin.line}`" if finding.origin.line and side.located else f"`{shown}`"


def _rule(finding: Finding, links: HelpLinks) -> str:
    page = links.rule(finding.code)
    name = f"{finding.code} {finding.rule_name}"
    return f"[{name}]({page})" if page else f"`{name}`"


def _findings(title: str, findings: list[Finding], side: Side, result: DiffResult, rows: int) -> list[str]:
    if not findings:
        return []
    links = result.links
    lines = [f"### {title}", "", "| level | rule | where | finding |", "|---|---|---|---|"]
    for finding in findings[:rows]:
        where = _where(finding, side, side is result.after, result)
        lines.append(f"| {_ICONS[finding.level]} | {_rule(finding, links)} | {where} | {cell(finding.message)} |")
    if len(findings) > rows:
        lines += ["", f"{len(findings) - rows} more are not shown; the JSON report lists them all."]
    return ["", *lines]


def _diagram(result: DiffResult, side: Side, design: str | None, service_name: str) -> list[str]:
    """One side's picture of a service: the scan report's Mermaid diagram of that side's routing."""
    scan = side.results.get(design or "")
    context = next((c for name, c in scan.contexts if name == design), None) if scan else None
    service = context.services.by_name.get(service_name) if context else None
    if context is None or service is None:
        return ["_not in this side_"]
    failed: dict[str, list[str]] = defaultdict(list)
    for finding in scan.findings if scan else []:
        if finding.level == Level.ERROR and finding.code not in failed[id_key(finding.resource_id)]:
            failed[id_key(finding.resource_id)].append(finding.code)
    routing = context.routing
    not_advertised = [(id_key(n.vnet_id), n.reason) for n in routing.not_advertised]
    vip = service_vip(service, context.topology)
    return ["```mermaid", service_diagram(routing, service, vip, dict(failed), not_advertised).rstrip("\n"), "```"]


def _diagrams(result: DiffResult) -> list[str]:
    changed = dict.fromkeys((c.design, c.service) for c in result.changes)
    if not changed:
        return []
    lines = ["", "### Where each changed service goes", "", "Thick arrows: the path each circuit's edge picks."]
    for design, service in changed:
        pair = next((p for p in result.pairs if p[0] == design or not design), None)
        earlier = pair[1].name if pair and pair[1] else None
        later = pair[2].name if pair and pair[2] else None
        where = f" in design `{design}`" if design else ""
        lines += ["", f"**{service}**{where}: before", ""]
        lines += _diagram(result, result.before, earlier, service)
        lines += ["", f"**{service}**{where}: after", ""]
        lines += _diagram(result, result.after, later, service)
    return lines


def _render(result: DiffResult, rows: int, diagrams: bool) -> str:
    counts = (
        f"{plural(len(result.changes), 'routing change')}, {plural(len(result.new), 'new finding')}, "
        f"{len(result.fixed)} fixed"
    )
    lines = ["## anycast-lint diff", "", f"**{counts}**: `{result.before.label}` → `{result.after.label}`.", ""]
    if not result.complete:
        lines += [
            f"> [!WARNING]\n> Incomplete: {plural(len(result.errors), 'input error')}; see the job log.",
            "",
        ]
    lines += _changes(result, rows)
    lines += _findings("New findings", result.new, result.after, result, rows)
    lines += _findings("Fixed findings", result.fixed, result.before, result, rows)
    drawn = _diagrams(result)
    if drawn and diagrams:
        lines += drawn
    elif drawn:
        services = plural(_changed(result), "changed service")
        lines += ["", f"The before/after diagrams of {services} are left out to keep this comment short enough."]
    return "\n".join(lines) + "\n"


def _changed(result: DiffResult) -> int:
    return len({(c.design, c.service) for c in result.changes})


def render_within(result: DiffResult, max_chars: int) -> str:
    """The report, without diagrams, then with fewer rows, until it fits in `max_chars`."""
    text = _render(result, MAX_ROWS, diagrams=True)
    if len(text) <= max_chars:
        return text
    rows = MAX_ROWS
    text = _render(result, rows, diagrams=False)
    while len(text) > max_chars and rows > 0:
        rows //= 2
        text = _render(result, rows, diagrams=False)
    return text


def render(result: DiffResult) -> str:
    return render_within(result, MAX_CHARS)

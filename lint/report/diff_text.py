"""`anycast-lint diff` as text: the winners that move, as a short table, then the new and fixed findings."""

from __future__ import annotations

from anycast_lint.diff.changes import Change, DiffResult, Side
from anycast_lint.model.findings import Finding
from anycast_lint.report import plural
from anycast_lint.report.simulation import text_table

COLUMNS = ("Service", "VIP", "At", "Failure", "Before", "After", "Reason")


def failure_text(change: Change) -> str:
    return "-" if change.failure is None else f"{change.failure} down"


def _cells(change: Change) -> tuple[str, ...]:
    service = f"{change.design}: {change.service}" if change.design else change.service
    return (
        service,
        change.vip,
        change.at,
        failure_text(change),
        change.before or "none",
        change.after or "none",
        f"{change.reason} [{change.basis}]",
    )


def _finding_line(state: str, finding: Finding, side: Side) -> str:
    where = side.show_file(finding.origin.file) if finding.origin.file else "<live>"
    if finding.origin.line and side.located:
        where += f":{finding.origin.line}"
    return f"  {state:<5}  {finding.code} {finding.level.label:<7}  {where}: {finding.message}"


def render(result: DiffResult) -> str:
    lines = [f"anycast-lint diff: {result.before.label} -> {result.after.label}", ""]
    if result.changes:
        lines.append(f"Routing changes ({len(result.changes)} of {plural(result.compared, 'winner')} compared):")
        lines.append(text_table(COLUMNS, [_cells(c) for c in result.changes], indent="  "))
        if any(c.basis == "observed" for c in result.changes):
            lines.append("  [observed]: the lowest-next-hop tie-break is observed in the field report, not documented")
    else:
        lines.append(
            f"No routing change: {plural(result.compared, 'winner')} compared (base case, each member down, --fail)."
        )
    lines.append("")
    lines.append(f"Findings: {len(result.new)} new, {len(result.fixed)} fixed")
    lines += [_finding_line("new", f, result.after) for f in result.new]
    lines += [_finding_line("fixed", f, result.before) for f in result.fixed]
    if not result.complete:
        lines += ["", f"Incomplete: {plural(len(result.errors), 'input error')} (listed on stderr)."]
    return "\n".join(lines) + "\n"

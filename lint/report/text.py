"""Human output: `path:line:col: CODE [level] message`, one finding per line, then a summary."""

from __future__ import annotations

from collections.abc import Callable

import click

from anycast_lint.fixes import Fix
from anycast_lint.model.findings import Level
from anycast_lint.report import (
    ReportData,
    baseline_summary,
    coverage_summary,
    plural,
    scope_summary,
    statistics,
    template_summary,
    unknown_notes,
)

_COLORS = {Level.ERROR: "red", Level.WARNING: "yellow", Level.NOTE: "cyan"}


def render(data: ReportData, color: bool) -> str:
    def style(text: str, **kwargs: object) -> str:
        return click.style(text, **kwargs) if color else text  # type: ignore[arg-type]

    # What a partial live scan did not read comes first: the findings below cover only the rest.
    lines = [
        style(f"Incomplete scan: not read: {n.message}", fg="red", bold=True)
        for n in data.notices
        if n.level == "error"
    ]
    if data.statistics:
        summary = "" if data.quiet else _summary(data, style) + "\n"
        return "".join(f"{line}\n" for line in lines) + statistics.render_text(data) + summary
    shown: dict[int, tuple[Fix, str]] = {}  # id(fix) -> (the fix, kept alive; where it was printed)
    for finding in data.scan.findings:
        origin = finding.origin
        where = style(f"{origin}:", bold=True)
        code = style(finding.code, fg=_COLORS[finding.level], bold=True)
        lines.append(f"{where} {code} [{finding.level.label}] {finding.message}")
        if data.verbose:
            lines.append(f"    resource: {finding.resource_id}")
        for related in finding.related:
            lines.append(f"    {related.origin}: related: {related.message}")
            if data.verbose and related.resource_id:
                lines.append(f"        resource: {related.resource_id}")
        if data.show_fixes and finding.fix is not None:
            first = shown.setdefault(id(finding.fix), (finding.fix, str(origin)))[1]
            # a fix shared by several findings (a VNet's whole address space) is printed once
            lines += fix_lines(finding.fix) if first == str(origin) else [f"    fix: the one under {first} above"]
    notes = unknown_notes(data)
    for origin, message in notes:
        lines.append(f"{style(f'{origin}:', bold=True)} unknown: {message}")
    if data.quiet:
        return "".join(f"{line}\n" for line in lines)
    if len(data.load.designs) > 1:
        if lines:
            lines.append("")
        lines += [_design_line(data, design.name) for design in data.load.designs]
    if lines:
        lines.append("")
    lines.append(_summary(data, style))
    return "\n".join(lines) + "\n"


def _summary(data: ReportData, style: Callable[..., str]) -> str:
    """What was found over what was checked, so that "no findings" always says over what."""
    scan = data.scan
    notes = unknown_notes(data)
    if scan.findings:
        counts = ", ".join(plural(scan.count(level), level.label) for level in sorted(Level, reverse=True))
        summary = f"Found {counts}: checked {scope_summary(data)}."
    else:
        summary = f"No findings: checked {scope_summary(data)}."
    if scan.suppressed:
        summary += f" {plural(len(scan.suppressed), 'finding')} suppressed by the config."
    if scan.baseline is not None:
        summary += f" {baseline_summary(data)}"
    partial = coverage_summary(data)
    if partial:
        summary += f" {partial}"
    if notes:
        summary += f" {plural(len(notes), 'value')} could not be evaluated (listed as unknown)."
    templates = template_summary(data)
    if templates:
        summary += (
            f" Templates: {plural(templates['networkResourcesRead'], 'network resource')} read"
            + (f", {plural(templates['partsNotRead'], 'part')} not read (AC001)" if templates["partsNotRead"] else "")
            + (
                f", {plural(templates['partsNotDeployed'], 'part')} not deployed with these parameter values"
                if templates["partsNotDeployed"]
                else ""
            )
            + "."
        )
    if data.load.skipped:
        summary += f" Skipped {skipped_files(len(data.load.skipped))} (see --verbose)."
    if data.load.errors:
        summary = f"Incomplete: {plural(len(data.load.errors), 'input error')} (listed on standard error). " + summary
    return style(summary, bold=True)


def skipped_files(count: int) -> str:
    return "1 file that is not a topology" if count == 1 else f"{count} files that are not topologies"


def fix_lines(fix: Fix) -> list[str]:
    """`scan --show-fixes`: what to change, then the az CLI, Terraform and ARM forms, indented under the finding."""
    lines = [f"    fix: {fix.description}"]
    for label, text in (("az", fix.az), ("terraform", fix.terraform), ("arm", fix.arm)):
        if text:
            lines.append(f"      {label}:")
            lines += [f"        {line}" if line else "" for line in text.rstrip("\n").split("\n")]
    return lines


def _design_line(data: ReportData, name: str) -> str:
    """`design NAME: 2 errors` or `design NAME: no findings`, one line per design of a run."""
    levels = [f.level for f in data.scan.findings if f.design == name]
    counts = ", ".join(
        plural(levels.count(level), level.label) for level in sorted(Level, reverse=True) if level in levels
    )
    return f"design {name}: {counts or 'no findings'}"

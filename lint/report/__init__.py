"""Output formats. Each takes the same ReportData and returns the whole report as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint import __version__
from anycast_lint.engine.helpurl import HelpLinks
from anycast_lint.engine.run import ScanResult
from anycast_lint.inputs.workspace import Inputs
from anycast_lint.model.coverage import KINDS
from anycast_lint.model.findings import Level
from anycast_lint.model.notices import ExecutionNotice
from anycast_lint.model.positions import Origin
from anycast_lint.report.formats import renderer_module


@dataclass(frozen=True)
class ReportData:
    scan: ScanResult
    load: Inputs
    root: Path
    version: str = __version__
    notices: tuple[ExecutionNotice, ...] = ()  # more notices about the run (e.g. what a partial scan missed)
    verbose: bool = False  # text: full resource ids under each finding (JSON and SARIF always carry them)
    quiet: bool = False  # text: the findings and nothing else
    statistics: bool = False  # text and JSON: counts per rule instead of the findings
    show_fixes: bool = False  # text: the fix under each finding (JSON and SARIF always carry it)
    category: str | None = None  # --category: SARIF automationDetails.id
    links: HelpLinks = field(default_factory=HelpLinks)  # where the rule help pages are online, if known

    @property
    def errors(self) -> list[ExecutionNotice]:
        """Why the scan is incomplete: every input that could not be read, then any other error notice."""
        return [ExecutionNotice.of_error(e) for e in self.load.errors] + [n for n in self.notices if n.level == "error"]

    @property
    def complete(self) -> bool:
        return not self.errors

    def execution_notices(self) -> list[ExecutionNotice]:
        """Everything about the run, errors first: what SARIF lists as tool execution notifications."""
        others = [n for n in self.notices if n.level != "error"]
        warnings = [ExecutionNotice("warning", w) for w in self.scan.warnings]
        unknowns = [
            ExecutionNotice.at("note", f"unknown: {message}", origin) for origin, message in unknown_notes(self)
        ]
        return self.errors + others + warnings + unknowns


def render(format_name: str, data: ReportData, color: bool = False) -> str:
    """The scan report in `format_name`; only that format's module is imported (sarif-om costs start-up)."""
    renderer: Callable[[ReportData, bool], str] = renderer_module("scan", format_name).render
    return renderer(data, color)


def unknown_notes(data: ReportData) -> list[tuple[Origin, str]]:
    """Everything the sources could not evaluate, located: unknown values and skipped resources."""
    notes = [
        (value.origin, f"{resource.label}: {value.field.replace('_', ' ')} is unknown: {value.reason}")
        for resource, value in data.load.unknowns()
    ]
    notes += data.load.notices
    unique = {(origin.file, origin.pointer, message): (origin, message) for origin, message in notes}
    return sorted(unique.values(), key=lambda note: (note[0].file, note[0].line, note[0].column, note[1]))


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (nouns or noun + 's')}"


def template_summary(data: ReportData) -> dict[str, int] | None:
    """Across the templates scanned: network resources read into the model, parts that could not be read
    (AC001) and parts switched off by the parameter values; None when no template was scanned."""
    reads = [read for design in data.load.designs for read in design.load.topology.template_reads]
    if not reads:
        return None
    return {
        "templates": len(reads),
        "networkResourcesRead": sum(r.read for r in reads),
        "partsNotRead": sum(len(r.unread) for r in reads),
        "partsNotDeployed": sum(len(r.not_deployed) for r in reads),
    }


def scope_summary(data: ReportData) -> str:
    """What was read, so that "no findings" always says over what."""
    counts = data.load.counts()
    vnets = counts.get("virtual_networks", 0)
    parts = [plural(vnets, "virtual network")]
    hubs = counts.get("virtual_hubs", 0)
    if hubs:
        parts.append(plural(hubs, "virtual hub"))
    parts.append(plural(data.scan.service_count, "anycast service"))
    sources = [plural(len(data.load.files), "file")] if data.load.files or not data.load.live else []
    if data.load.live:
        sources.append(data.load.live)
    designs = f" ({plural(len(data.load.designs), 'design')})" if len(data.load.designs) > 1 else ""
    return f"{plural(len(data.scan.rules), 'rule')} over {', '.join(parts)} in {' and '.join(sources)}{designs}"


# The kinds a partial input's summary names first: those the routing and the most rules depend on.
_SUMMARY_KINDS = (
    "circuits",
    "vnet_gateways",
    "gateway_connections",
    "virtual_hubs",
    "hub_connections",
    "er_connections",
    "route_tables",
    "network_security_groups",
    "forwarders",
    "network_interfaces",
    "inbound_endpoints",
    "outbound_endpoints",
)


def coverage_summary(data: ReportData) -> str | None:
    """`Partial input: it holds no ExpressRoute circuits, virtual network gateways, … (2 rules gave notes).`:
    what a partial input leaves out, so that a short list of findings is never read as a clean design."""
    missing: list[str] = []
    for design in data.load.designs:
        coverage = design.load.topology.coverage
        missing += [kind for kind in coverage.uncovered() if kind not in missing]
    if not missing:
        return None
    named = [KINDS[kind].split(" (")[0] for kind in _SUMMARY_KINDS if kind in missing][:4]
    rest = len(missing) - len(named)
    listed = ", ".join(named) + (f" and {rest} more kinds" if rest else "") if named else f"{rest} kinds of resource"
    noted = len({f.code for f in data.scan.findings if f.level is Level.NOTE})
    rules = plural(noted, "rule")
    return f"Partial input: it holds no {listed}; what depends on them is a note, not a pass ({rules} gave notes)."


def baseline_summary(data: ReportData) -> str | None:
    """What the baseline accepted and what in it no longer occurs (so the file can be pruned)."""
    baseline = data.scan.baseline
    if baseline is None:
        return None
    text = f"Baseline {baseline.path}: {plural(len(baseline.unchanged), 'known finding')} not reported"
    if baseline.absent:
        verb = "occurs" if len(baseline.absent) == 1 else "occur"
        text += (
            f"; {plural(len(baseline.absent), 'entry', 'entries')} no longer {verb} "
            f"(prune with --write-baseline {baseline.path})"
        )
    return text + "."

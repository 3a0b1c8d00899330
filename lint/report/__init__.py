"""Output formats. Each takes the same ReportData and returns the whole report as text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from anycast_lint import __version__
from anycast_lint.engine import ScanResult
from anycast_lint.loader import LoadResult
from anycast_lint.positions import Origin


@dataclass(frozen=True)
class ReportData:
    scan: ScanResult
    load: LoadResult
    root: Path
    version: str = __version__


def _formats() -> dict[str, Callable[[ReportData, bool], str]]:
    from anycast_lint.report import json_report, sarif, text

    return {"text": text.render, "json": json_report.render, "sarif": sarif.render}


FORMAT_NAMES = ("text", "json", "sarif")


def render(format_name: str, data: ReportData, color: bool = False) -> str:
    return _formats()[format_name](data, color)


def unknown_notes(data: ReportData) -> list[tuple[Origin, str]]:
    """Everything the sources could not evaluate, located: unknown values and skipped resources."""
    notes = [
        (value.origin, f"{resource.label}: {value.field.replace('_', ' ')} is unknown: {value.reason}")
        for resource, value in data.load.topology.all_unknowns()
    ]
    notes += data.load.notices
    unique = {(origin.file, origin.pointer, message): (origin, message) for origin, message in notes}
    return sorted(unique.values(), key=lambda note: (note[0].file, note[0].line, note[0].column, note[1]))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def scope_summary(data: ReportData) -> str:
    """What was read, so that "no findings" always says over what."""
    counts = data.load.topology.counts()
    vnets = counts.get("virtual_networks", 0)
    parts = [plural(vnets, "virtual network")]
    hubs = counts.get("virtual_hubs", 0)
    if hubs:
        parts.append(plural(hubs, "virtual hub"))
    parts.append(plural(data.scan.service_count, "anycast service"))
    files = plural(len(data.load.files), "file")
    return f"{plural(len(data.scan.rules), 'rule')} over {', '.join(parts)} in {files}"

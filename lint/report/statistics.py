"""`--statistics`: how many findings each rule reported, instead of the findings (as ruff does)."""

from __future__ import annotations

import json
from collections import Counter

from anycast_lint.report import ReportData


def counts(data: ReportData) -> list[tuple[int, str, str, str]]:
    """(count, code, name, level) per rule and level, most frequent first."""
    found = Counter((f.code, f.rule_name, f.level.label) for f in data.scan.findings)
    return sorted(((n, *key) for key, n in found.items()), key=lambda row: (-row[0], row[1], row[3]))


def render_text(data: ReportData) -> str:
    rows = counts(data)
    width = max((len(str(n)) for n, *_ in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  [{level}] {name}\n" for n, code, name, level in rows)


def render_json(data: ReportData) -> str:
    rows = [{"code": code, "name": name, "level": level, "count": n} for n, code, name, level in counts(data)]
    return json.dumps(rows, indent=2) + "\n"

"""`anycast-lint diff` reports: each format's module is imported only when asked for (sarif-om costs start-up)."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from anycast_lint.diff.changes import DiffResult

_MODULES = {"text": "diff_text", "json": "diff_json", "markdown": "diff_markdown", "sarif": "diff_sarif"}


def render_diff(format_name: str, result: DiffResult) -> str:
    module = importlib.import_module(f"anycast_lint.report.{_MODULES[format_name]}")
    renderer: Callable[[DiffResult], str] = module.render
    return renderer(result)

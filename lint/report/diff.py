"""`anycast-lint diff` reports: each format's module is imported only when asked for (sarif-om costs start-up)."""

from __future__ import annotations

from collections.abc import Callable

from anycast_lint.diff.changes import DiffResult
from anycast_lint.report.formats import renderer_module


def render_diff(format_name: str, result: DiffResult) -> str:
    renderer: Callable[[DiffResult], str] = renderer_module("diff", format_name).render
    return renderer(result)

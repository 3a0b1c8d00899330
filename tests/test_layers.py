"""Layers import downward only: the readers, the routing model and the rules never import the reports or
the CLI, so a report format or a command can change without touching what reads and judges a design."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

LOWER_LAYERS = (
    "lint/model",
    "lint/inputs",
    "lint/sources",
    "lint/analysis",
    "lint/routing",
    "lint/trace",
    "lint/engine",
    "rules",
)
UPPER_LAYERS = ("anycast_lint.report", "anycast_lint.cli")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_lower_layers_never_import_reports_or_the_cli() -> None:
    leaks = [
        f"{path.relative_to(REPO)} imports {name}"
        for folder in LOWER_LAYERS
        for path in sorted((REPO / folder).rglob("*.py"))
        for name in _imports(path)
        if any(name == upper or name.startswith(upper + ".") for upper in UPPER_LAYERS)
    ]
    assert leaks == []


def test_the_check_sees_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from anycast_lint.report import ReportData\nimport anycast_lint.cli\n", encoding="utf-8")
    assert {"anycast_lint.report", "anycast_lint.cli"} <= _imports(module)

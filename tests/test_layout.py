"""The layout stays easy to change: every module small enough to read in one sitting, every function short
enough to hold in mind, and every folder of lint/ a wing a newcomer can name (CONTRIBUTING.md draws them)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

MAX_MODULE_LINES = 800
MAX_FUNCTION_LINES = 100
WINGS = {"model", "inputs", "sources", "analysis", "routing", "trace", "engine", "fixes", "report", "diff", "cli"}


def _code_files() -> list[Path]:
    return sorted(path for folder in ("lint", "rules") for path in (REPO / folder).rglob("*.py"))


def test_no_module_is_over_800_lines() -> None:
    long = {}
    for path in _code_files():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long[str(path.relative_to(REPO))] = lines
    assert long == {}, f"split these modules by the job each part does: {long}"


def _long_functions(path: Path) -> dict[str, int]:
    """Functions (methods and nested ones included) over the limit, decorators not counted."""
    long = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                long[f"{path.name}:{node.lineno} {node.name}"] = length
    return long


def test_no_function_is_over_100_lines() -> None:
    long = {name: length for path in _code_files() for name, length in _long_functions(path).items()}
    assert long == {}, f"split these functions: {long}"


def test_lint_holds_only_its_wings() -> None:
    """A new module goes into the wing of its kind; a new wing is named in CONTRIBUTING.md first."""
    lint = REPO / "lint"
    folders = {p.name for p in lint.iterdir() if p.is_dir() and p.name not in {"__pycache__", "data"}}
    modules = {p.name for p in lint.glob("*.py")}
    assert folders == WINGS
    assert modules == {"__init__.py", "__main__.py", "errors.py"}
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert [wing for wing in sorted(WINGS) if f"`{wing}/`" not in contributing] == []


def test_the_size_check_counts_def_to_last_line(tmp_path: Path) -> None:
    def function(name: str, lines: int) -> str:
        return f"def {name}():\n" + "".join(f"    x = {i}\n" for i in range(lines - 1))

    module = tmp_path / "m.py"
    module.write_text(function("fits", 100) + function("too_long", 101), encoding="utf-8")
    assert _long_functions(module) == {"m.py:101 too_long": 101}

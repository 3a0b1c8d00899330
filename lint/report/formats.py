"""Every report format, in one table: which command writes it, and the module under anycast_lint.report that
renders it. The --format choices of scan, diff and trace and each command's renderer are read from here, so a
format is added in one place; only the module of the format asked for is imported (sarif-om costs start-up)."""

from __future__ import annotations

import importlib
from types import ModuleType

# command -> --format name -> rendering module, in the order `--help` lists the choices
REPORT_FORMATS: dict[str, dict[str, str]] = {
    "scan": {
        "text": "text",
        "json": "json_report",
        "sarif": "sarif",
        "github": "github",
        "markdown": "markdown",
        "junit": "junit",
    },
    "diff": {"text": "diff_text", "json": "diff_json", "markdown": "diff_markdown", "sarif": "diff_sarif"},
    "trace": {"text": "trace", "json": "trace", "markdown": "trace"},  # one module, which takes the format name
}

# How a message names a format (`--statistics gives text or JSON, not SARIF`)
FORMAT_TITLES = {"sarif": "SARIF", "github": "GitHub workflow commands", "markdown": "Markdown", "junit": "JUnit"}


def format_names(command: str) -> tuple[str, ...]:
    """The --format choices of `command`."""
    return tuple(REPORT_FORMATS[command])


def renderer_module(command: str, format_name: str) -> ModuleType:
    """The module that renders `command`'s report in `format_name`; its `render` writes the whole report."""
    return importlib.import_module(f"anycast_lint.report.{REPORT_FORMATS[command][format_name]}")

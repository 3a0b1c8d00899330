"""--format, --output and --root: which reports a command writes, where, and what their paths are relative to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from anycast_lint.cli.style import Option


def format_option(choices: Sequence[str], description: str) -> Option:
    """--format (also --output-format, as in ruff) of a command that writes one output, text unless asked."""
    return click.option(
        "--format",
        "--output-format",
        "format_name",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help=description,
    )


def formats_option(choices: Sequence[str], description: str) -> Option:
    """--format of a command that writes several reports, each paired with its -o FILE (see report_targets)."""
    return click.option(
        "--format", "--output-format", "formats", type=click.Choice(choices), multiple=True, help=description
    )


root_option = click.option(
    "--root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Make SARIF paths relative to DIR (default: the enclosing git work tree).",
)


def report_targets(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair `--format X -o FILE` options in the order given; None (or `-`) is standard output."""
    if not formats:
        formats = ("text",)
    if len(formats) == 1 and len(outputs) <= 1:
        pairs = [(formats[0], outputs[0] if outputs else None)]
    elif len(formats) == len(outputs):
        pairs = list(zip(formats, outputs, strict=True))
    else:
        raise click.UsageError(
            f"got {_count(len(formats), '--format')} and {_count(len(outputs), '--output')}: with several "
            "reports, give each --format its own -o FILE (-o - for standard output)"
        )
    targets = [(name, None if out in (None, "-") else out) for name, out in pairs]
    if sum(1 for _, out in targets if out is None) > 1:
        raise click.UsageError("only one report can go to standard output; give the others -o FILE")
    return targets


def _count(count: int, option: str) -> str:
    return f"{count} {option}{'' if count == 1 else ' options'}"


def report_root(root: str | None, cwd: Path) -> Path:
    """--root, else the enclosing git work tree (GitHub resolves SARIF paths from there), else `cwd`."""
    return Path(root) if root else repository_root(cwd)


def repository_root(start: Path) -> Path:
    """The enclosing git work tree, else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start

"""--format and --output: which reports a command writes, and where their paths are relative to."""

from __future__ import annotations

from pathlib import Path

import click

FORMAT_TITLES = {"sarif": "SARIF", "github": "GitHub workflow commands", "markdown": "Markdown", "junit": "JUnit"}


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


def repository_root(start: Path) -> Path:
    """The enclosing git work tree (GitHub resolves SARIF paths from there), else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start

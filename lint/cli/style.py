"""How the command line talks, the way ruff's does: click's usage errors in the same one-line form as
every other error (`anycast-lint: error: ...`, exit 2), each command's summary shown whole in the
top-level help, help texts that end with an example and the exit codes, and `--color auto|always|never`.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import IO, Any

import click

Option = Callable[[Any], Any]  # what click.option(...) returns: a decorator that adds one option

EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0  no finding at or above --fail-on\n"
    "  1  findings at or above --fail-on\n"
    "  2  usage error, unreadable or invalid input, incomplete scan"
)


def epilog(*examples: str, exit_codes: str = EXIT_CODES) -> str:
    """`Examples:` (kept as written: click does not rewrap a paragraph that starts with \\b), then the exit codes."""
    lines = "\n".join(f"  {example}" for example in examples)
    return f"\b\nExamples:\n{lines}\n\n{exit_codes}"


class OneLineUsageError(click.UsageError):
    """A usage error printed like every other error: one line, then where to look."""

    command_path: str | None = None  # when the error came before a context existed

    def show(self, file: IO[Any] | None = None) -> None:
        path = self.ctx.command_path if self.ctx is not None else self.command_path
        hint = f" (see `{path} --help`)" if path else ""
        click.echo(f"anycast-lint: error: {self.format_message()}{hint}", file=file or sys.stderr)


def _one_line(error: click.UsageError, command_path: str | None = None) -> OneLineUsageError:
    if isinstance(error, OneLineUsageError):
        return error
    message = error.format_message().rstrip(".")
    message = re.sub(r"\. \(Did you mean (.*)\)$", r" (did you mean \1)", message)
    message = re.sub(r"\. Did you mean (.*)$", r" (did you mean \1)", message)
    converted = OneLineUsageError(message[:1].lower() + message[1:], error.ctx)
    converted.command_path = command_path
    return converted


class _OneLineErrors:
    """Mixin for click commands: usage errors from parsing or invoking become OneLineUsageError."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc,no-any-return]
        except click.UsageError as exc:
            path = f"{parent.command_path} {info_name}" if parent is not None else info_name
            raise _one_line(exc, path) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except click.UsageError as exc:
            raise _one_line(exc) from None


class LintCommand(_OneLineErrors, click.Command):
    pass


class LintGroup(_OneLineErrors, click.Group):
    command_class = LintCommand


def use_color(choice: str, stream: IO[Any]) -> bool:
    """--color: always, never, or auto (a terminal, and NO_COLOR not set: https://no-color.org)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    return stream.isatty() and "NO_COLOR" not in os.environ


color_option = click.option(
    "--color",
    type=click.Choice(("auto", "always", "never")),
    default="auto",
    show_default=True,
    help="Colour the text report: auto = on a terminal, unless NO_COLOR is set.",
)

"""How every command prints and exits: secrets redacted from every line, input problems as one-line errors
with exit code 2, and a reader that closed the pipe answered as `cat` would.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from anycast_lint.cli.style import Option
from anycast_lint.engine.helpurl import HelpUrlError
from anycast_lint.engine.run import SelectionError
from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.loader import collector_paused
from anycast_lint.model.secrets import SECRETS

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader closed the pipe
FAIL_ON = ("error", "warning", "note", "none")


def fail_on_option(description: str) -> Option:
    """--fail-on LEVEL of scan and diff: the lowest finding level that makes the exit code 1."""
    return click.option("--fail-on", type=click.Choice(FAIL_ON), default="error", show_default=True, help=description)


F = TypeVar("F", bound=Callable[..., Any])


def echo(text: str, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Every line the CLI prints passes here, so registered secrets can never be printed."""
    click.echo(SECRETS.redact(text), err=err, nl=nl, color=color)


def fail(lines: list[str]) -> NoReturn:
    for line in lines:
        echo(f"anycast-lint: error: {line}", err=True)
    sys.exit(EXIT_ERROR)


def _reader_went_away() -> NoReturn:
    """`anycast-lint rules | head`: the reader closed the pipe. Say nothing, as `cat` would, and exit with the
    shell's code for a process ended by SIGPIPE; stdout points at /dev/null so the final flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def reports_errors(command: F) -> F:
    """Turn input problems into one-line messages and exit code 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with collector_paused():  # a scan allocates millions of acyclic objects: see collector_paused
                return command(*args, **kwargs)
        except InputErrors as exc:
            fail([str(e) for e in exc.errors])
        except (InputError, SelectionError, HelpUrlError) as exc:
            fail([str(exc)])
        except BrokenPipeError:
            _reader_went_away()
        except OSError as exc:
            fail([f"{exc.filename or ''}: {exc.strerror or exc}"])
        except click.UsageError:  # the command class prints it as one usage line
            raise
        except Exception as exc:  # a bug: say so on one line, keep the traceback for whoever debugs it
            if os.environ.get("ANYCAST_LINT_DEBUG"):
                raise
            fail([f"internal error: {type(exc).__name__}: {exc} (set ANYCAST_LINT_DEBUG=1 for a traceback)"])

    return wrapper  # type: ignore[return-value]


def write_text(text: str, output: str | None) -> None:
    """A command's whole output to FILE (secrets redacted, as on the terminal), or to standard output."""
    if output and output != "-":
        Path(output).write_text(SECRETS.redact(text), encoding="utf-8")
    else:
        echo(text, nl=False)

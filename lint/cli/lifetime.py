"""A command's large objects, kept alive until `main` ends the process without freeing them (see main())."""

from __future__ import annotations

from typing import TypeVar

K = TypeVar("K")


_KEPT_UNTIL_EXIT: list[object] = []
_exit_without_teardown = False  # set by main(); CliRunner tests and library callers free as usual


def kept(value: K) -> K:
    """Keep a command's large objects (the topology, its routing) alive until `main` ends the process,
    so that no frame frees them on its way out: see main()."""
    if _exit_without_teardown:
        _KEPT_UNTIL_EXIT.append(value)
    return value


def skip_teardown() -> None:
    """main(): from here on, kept() holds what it is given until os._exit ends the process."""
    global _exit_without_teardown
    _exit_without_teardown = True

"""Errors that end a run with exit code 2: input that could not be read, or a bad command line.

Every message names the file and, where one exists, the line and column, so that it prints as one
line a user can jump to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anycast_lint.model.positions import Origin


# Every character str.splitlines() breaks a line at, shown escaped inside a message.
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


class InputError(Exception):
    """An input file (topology, export or config) that cannot be used as it is."""

    def __init__(
        self,
        file: str,
        message: str,
        line: int | None = None,
        column: int | None = None,
        json_path: str | None = None,
    ):
        # values from the input (a resource type, a name) may hold line breaks: the error stays one line
        message = _LINE_BREAK.sub(lambda found: repr(found.group())[1:-1], message)
        super().__init__(message)
        self.file = file
        self.message = message
        self.line = line
        self.column = 1 if column is None and line is not None else column  # every located error has both
        self.json_path = json_path

    @classmethod
    def at(cls, origin: Origin, message: str) -> InputError:
        """An error about the value an origin points at (read live: the resource, no line)."""
        if origin.live:
            return cls(origin.live, message)
        return cls(origin.file, message, origin.line, origin.column, origin.json_path)

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        suffix = f" (at {self.json_path})" if self.json_path and self.json_path != "$" else ""
        return f"{where}: {self.message}{suffix}"


class InputErrors(Exception):  # noqa: N818 - a batch of InputError, named for what it holds
    """Several independent input errors found in one pass (e.g. every schema violation of a file)."""

    def __init__(self, errors: list[InputError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors

"""Notices about a run rather than the design (unread input, stated gaps, warnings).

They live below both the readers that raise them (a live scan's gaps) and the reports that write them, so
neither layer imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from anycast_lint.errors import InputError
from anycast_lint.model.positions import Origin


@dataclass(frozen=True)
class ExecutionNotice:
    """Something about the run rather than the design: input that could not be read, a stated gap, a
    warning. SARIF writes these as `invocations[0].toolExecutionNotifications`; one at level `error`
    marks the run as not successful (`executionSuccessful: false`), and the JSON report lists them."""

    level: str  # error | warning | note
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    json_path: str | None = None

    @classmethod
    def of_error(cls, error: InputError) -> ExecutionNotice:
        return cls("error", error.message, error.file, error.line, error.column, error.json_path)

    @classmethod
    def at(cls, level: str, message: str, origin: Origin) -> ExecutionNotice:
        if origin.live:  # read from Azure: no file to point at; the message names the resource
            return cls(level, f"{origin.live}: {message}", json_path=origin.json_path)
        return cls(level, message, origin.file, origin.line, origin.column, origin.json_path)

    def as_json(self) -> dict[str, object]:
        return {
            "level": self.level,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "jsonPath": self.json_path,
        }

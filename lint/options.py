"""Options that reach the sources from the command line."""

from __future__ import annotations

from dataclasses import dataclass, field

from anycast_lint.reader import ParsedFile


@dataclass(frozen=True)
class LoadOptions:
    # ARM parameters files (--parameters), applied to every template scanned
    template_parameters: list[ParsedFile] = field(default_factory=list)

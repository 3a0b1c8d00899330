"""Input formats. Each format says whether it claims a parsed file and translates the files it claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anycast_lint.builder import TopologyBuilder
from anycast_lint.reader import ParsedFile
from anycast_lint.sources import native


@dataclass(frozen=True)
class InputFormat:
    name: str
    description: str
    claims: Callable[[Any], bool]
    load: Callable[[list[ParsedFile], TopologyBuilder], None]


FORMATS: tuple[InputFormat, ...] = (
    InputFormat("native", "anycast-lint topology (apiVersion: anycast-lint/v1)", native.claims, native.load),
)


def detect(data: Any) -> InputFormat | None:
    for input_format in FORMATS:
        if input_format.claims(data):
            return input_format
    return None

"""What a rule reports: a violation (from the rule) and a finding (the violation with its code and level)."""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from anycast_lint.model.ids import id_key
from anycast_lint.model.positions import Origin

if TYPE_CHECKING:
    from anycast_lint.fixes import Fix


class Level(enum.IntEnum):
    """Finding levels, ordered so that `level >= Level.WARNING` reads naturally."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Level:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown level {text!r} (expected error, warning or note)") from None


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (the other VNet of an overlap, say)."""

    message: str
    origin: Origin
    resource_id: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """What a rule returns: message, the resource at fault, where it is declared, and a stable evidence key.

    `evidence` identifies *this* problem on *this* resource across runs (e.g. the two overlapping
    prefixes); it feeds the fingerprint and never contains a line number.
    """

    message: str
    resource_id: str
    origin: Origin
    evidence: str = ""
    related: tuple[Related, ...] = ()
    unknown: bool = False  # the rule could not decide: a value it needs is unknown (reported as a note)
    fix: Fix | None = None  # the change that makes the finding go, built from its evidence
    level: Level | None = None  # this cause's level when it differs from the rule's default (config wins)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    rule_name: str
    level: Level
    message: str
    resource_id: str
    origin: Origin
    evidence: str = ""
    related: tuple[Related, ...] = ()
    design: str = ""  # the design it belongs to (not part of its identity: the file already separates designs)
    fix: Fix | None = None

    @property
    def fingerprint(self) -> str:
        """Stable identity: rule + resource + evidence, never the line (survives reformatting)."""
        key = "\x1f".join((self.code, id_key(self.resource_id), self.evidence))
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.origin.file, self.origin.line, self.origin.column, self.code, self.message)

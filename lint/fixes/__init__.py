"""A fix a user can paste: built by a rule from its evidence (route table, prefix, next hop, connection).

Each fix says what to change in one line, and how: the az CLI command, the Terraform (azurerm) change and
the ARM property. Where the input is a file in the native format or an ARM REST export, the fix also
carries `edits`: the same change as data, which `regions.py` turns into text replacements (SARIF
`fixes[].artifactChanges`, so code scanning can offer it). The help pages stay the general explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anycast_lint.model.positions import Origin, Pointer

SET, APPEND, REMOVE = "set", "append", "remove"


@dataclass(frozen=True)
class Change:
    """One change to the object an edit points at: set a value, append to a list, or remove the object
    itself from the list that holds it (`path` empty)."""

    op: str
    path: Pointer = ()
    value: Any = None


@dataclass(frozen=True)
class Edit:
    """The same change in each vocabulary: the native format's and ARM REST's (`properties`)."""

    origin: Origin  # the object changed (a resource, a subnet, a peering) or the document root
    native: tuple[Change, ...] = ()
    arm: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Fix:
    description: str
    az: str | None = None
    terraform: str | None = None
    arm: str | None = None
    edits: tuple[Edit, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"description": self.description, "az": self.az, "terraform": self.terraform, "arm": self.arm}

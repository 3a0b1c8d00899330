"""What every family builds with: the document, the declared names, and references resolved by name or id."""

from __future__ import annotations

import difflib
from typing import Any

from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.model.ids import is_resource_id
from anycast_lint.model.positions import Origin
from anycast_lint.sources.native.names import (
    CHILD_WORDS,
    TOP_LEVEL,
    DeclaredNames,
    NativeDocument,
    error_at,
    resource_id_of,
)


class BuilderCore:
    """The state every family shares: the document, the declared names, the builder, hub firewalls."""

    def __init__(self, doc: NativeDocument, names: DeclaredNames, builder: TopologyBuilder):
        self.doc = doc
        self.names = names
        self.builder = builder
        self.hub_firewalls: dict[str, str] = {}

    # -- references ------------------------------------------------------------------------------

    def ref(self, kind: str, value: str, origin: Origin) -> str:
        """Resolve a reference to a top-level resource: a full id, or a name declared in some file."""
        if is_resource_id(value):
            return value
        candidates = self.names.by_kind.get(kind, {}).get(value.lower(), [])
        local = [c for c in candidates if c.doc is self.doc]
        chosen = local or candidates
        if len(chosen) == 1:
            return chosen[0].id
        words = TOP_LEVEL[kind][1] if kind in TOP_LEVEL else CHILD_WORDS[kind]
        if len(chosen) > 1:
            places = ", ".join(str(c.origin) for c in chosen)
            raise error_at(origin, f"{words} name {value!r} is ambiguous ({places}); use the resource id")
        known = [d.name for declared in self.names.by_kind.get(kind, {}).values() for d in declared]
        close = difflib.get_close_matches(value, known, n=1)
        where = TOP_LEVEL[kind][0] if kind in TOP_LEVEL else "the topology"
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise error_at(origin, f"unknown {words} {value!r} (expected a name from {where} or a resource id){hint}")

    def subnet_ref(self, value: str, origin: Origin, vnet_name: str | None = None) -> str:
        """Resolve `VNET/SUBNET`, a bare subnet name inside `vnet_name`, or a subnet id."""
        if is_resource_id(value):
            return value
        key = value if "/" in value or vnet_name is None else f"{vnet_name}/{value}"
        if "/" not in key:
            raise error_at(origin, f"expected a subnet as VNET/SUBNET or a subnet id, got {value!r}")
        return self.ref("subnet", key, origin)

    def hub_child_ref(self, kind: str, hub_name: str, value: str, origin: Origin) -> str:
        if is_resource_id(value):
            return value
        key = value if "/" in value else f"{hub_name}/{value}"
        return self.ref(kind, key, origin)

    def common(self, kind: str, index: int) -> tuple[dict[str, Any], Origin, str, str | None]:
        key, _ = TOP_LEVEL[kind]
        entry = self.doc.data[key][index]
        return (
            entry,
            self.doc.origin(key, index),
            resource_id_of(self.doc, entry, key),
            entry.get("region", self.doc.region),
        )

    def entries(self, kind: str) -> range:
        return range(len(self.doc.data.get(TOP_LEVEL[kind][0], [])))

    def optional_ref(self, kind: str, entry: dict[str, Any], key: str, origin: Origin) -> str | None:
        return self.ref(kind, entry[key], origin.child(key)) if key in entry else None

"""What every resource family's translation shares: the builder, envelopes, and parents grouped with their children."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.topology import NatGateway, UnknownValue, UnmodelledRouting, VirtualWan
from anycast_lint.sources.arm.plain import child_id_of
from anycast_lint.sources.arm.preread import PreRead
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord

NET = "Microsoft.Network/"


@dataclass
class Group:
    """A parent resource with the children found embedded in it or beside it."""

    record: ArmRecord | None
    children: dict[str, list[tuple[Any, Pointer, SourceDocument]]] = field(default_factory=dict)
    # embedded child lists (or items of them) a template could not evaluate: unknowns of the parent
    unknowns: list[UnknownValue] = field(default_factory=list)


# The model's name for each embedded child list, as unknowns name it ("subnets is unknown").
_LIST_FIELDS = {
    "subnets": "subnets",
    "virtualNetworkPeerings": "peerings",
    "routes": "routes",
    "securityRules": "security_rules",
    "expressRouteConnections": "connections",
}


class TranslatorBase:
    """The builder the translation adds to, and the helpers every family uses."""

    def __init__(self, builder: TopologyBuilder):
        self.builder = builder
        self.ignored: Counter[str] = Counter()

    # -- helpers --------------------------------------------------------------------------------

    def _unmodelled(self, record: ArmRecord, what: str, effect: str) -> None:
        """A resource that changes routing in ways the model does not follow: kept for AC002's note."""
        self.builder.unmodelled.append(UnmodelledRouting(record.id, self._name(record), what, effect, record.origin))

    def _each(self, handler: Callable[[ArmRecord], None]) -> Callable[[list[ArmRecord]], None]:
        def run(found: list[ArmRecord]) -> None:
            for record in found:
                handler(record)

        return run

    def _simple(self, model: type[NatGateway] | type[VirtualWan]) -> Callable[[list[ArmRecord]], None]:
        def build(record: ArmRecord) -> None:
            self.builder.add(model(**self._envelope(record, Reader(record.document, record.pointer))))

        return self._each(build)

    def _envelope(self, record: ArmRecord, reader: Reader) -> dict[str, Any]:
        location = reader.get(record.data, "location", "region", record.pointer)
        if location == "":
            # AVM's hub-networking passes `location ?? ''` to its VNet module: an empty region is no region
            origin = reader.origin((*record.pointer, "location"))
            reader.unknowns.append(UnknownValue("region", "the location evaluates to an empty string", origin))
            location = None
        return {
            "id": record.id,
            "name": self._name(record),
            "origin": record.origin,
            "region": str(location) if location is not None else None,
            "unknowns": tuple(reader.unknowns),
        }

    @staticmethod
    def _name(record: ArmRecord) -> str:
        name = record.data.get("name")
        return id_name(record.id) if not isinstance(name, str) or "/" in name else name

    def _group(
        self, parents: list[ArmRecord], children: dict[str, list[ArmRecord]], embedded: dict[str, str]
    ) -> list[tuple[str, Group]]:
        """Parents with their children, embedded (`embedded[child type] = property`) or separate.

        A parent met twice (two exports of one tenant) yields two groups; the builder then keeps one
        copy if they agree and reports them if they do not.
        """
        groups: list[tuple[str, Group]] = []
        first: dict[str, Group] = {}
        for record in parents:
            key = id_key(record.id)
            group = Group(record)
            groups.append((key, group))
            first.setdefault(key, group)
            if record.data.__class__ is PreRead:
                continue  # translated as the export was parsed: nothing embedded is left to gather
            bag, pointer = props(record.data, record.pointer)
            reader = Reader(record.document, pointer)
            for child_type, name in embedded.items():
                embedded_items = reader.objects(bag, name, name, pointer)
                group.children.setdefault(child_type, []).extend(
                    (item, at, record.document) for item, at in embedded_items
                )
            group.unknowns = [_list_unknown(unknown) for unknown in reader.unknowns]
        for child_type, found in children.items():
            for record in found:
                key = id_key(id_parent(record.id))
                if key not in first:
                    first[key] = Group(None)
                    groups.append((key, first[key]))
                first[key].children.setdefault(child_type, []).append((record.data, record.pointer, record.document))
        return groups

    @staticmethod
    def _unique(
        items: list[tuple[Any, Pointer, SourceDocument]], parent_id: str, segment: str
    ) -> list[tuple[str, Any, Pointer, SourceDocument]]:
        """Children by id, once each: the same child embedded and listed separately counts once."""
        seen: dict[str, tuple[str, Any, Pointer, SourceDocument]] = {}
        for item, pointer, document in items:
            child_id = child_id_of(item, parent_id, segment)
            if child_id is None:
                raise InputError.at(
                    Origin(document.path, pointer, document), "child object has neither 'id' nor 'name'"
                )
            seen.setdefault(id_key(child_id), (child_id, item, pointer, document))
        return list(seen.values())

    def _placeholder(
        self, items: list[tuple[Any, Pointer, SourceDocument]], what: str, field_name: str
    ) -> tuple[Origin, UnknownValue]:
        """Children whose parent is not in the input: keep them, and say what is missing."""
        _, pointer, document = items[0]
        origin = Origin(document.path, pointer, document)
        return origin, UnknownValue(field_name, f"it is not in the input, only its {what}", origin)

    def _parent_base(
        self, group: Group, key: str, what: str, field_name: str = "properties"
    ) -> tuple[str, dict[str, Any], Reader]:
        """Envelope fields of a parent, or of a placeholder when only its children are in the input;
        plus a fresh reader for the parent's own properties."""
        if group.record is not None:
            record = group.record
            base = self._envelope(record, Reader(record.document, record.pointer))
            base["unknowns"] = (*base["unknowns"], *group.unknowns)
            return record.id, base, Reader(record.document, record.pointer)
        items = next(iter(group.children.values()))
        parent_id = id_parent(_first_id(items) or key)
        origin, missing = self._placeholder(items, what, field_name)
        base = {
            "id": parent_id,
            "name": id_name(parent_id),
            "origin": origin,
            "region": None,
            "unknowns": (missing,),
        }
        return parent_id, base, Reader(items[0][2], items[0][1])


def _list_unknown(unknown: UnknownValue) -> UnknownValue:
    """An embedded child list, or an item of it, that a template could not evaluate: an unknown of the
    parent under the model's name for the list, never an empty list (AC001 reports the children unread)."""
    pointer = unknown.origin.pointer
    reason = unknown.reason
    if pointer and isinstance(pointer[-1], int):
        reason = f"item {pointer[-1]} cannot be evaluated: {reason}"
    return UnknownValue(_LIST_FIELDS.get(unknown.field, unknown.field), reason, unknown.origin)


def _first_id(items: list[tuple[Any, Pointer, SourceDocument]]) -> str | None:
    for item, _, _ in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return str(item["id"])
    return None

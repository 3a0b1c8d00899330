"""Export items translated while the export is parsed (export_stream), so that only the model object is kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from anycast_lint.model.positions import JsonDocument, Pointer, SourceDocument
from anycast_lint.model.topology import NetworkSecurityGroup, RouteTable, VirtualNetwork
from anycast_lint.sources.arm.plain import plain_children, plain_vnet
from anycast_lint.sources.arm.plain_tables import plain_nsg, plain_route_table
from anycast_lint.sources.arm.shapes import ArmRecord

PreReadModel = VirtualNetwork | RouteTable | NetworkSecurityGroup


class PreRead(dict[str, Any]):
    """An export item translated as soon as it was parsed (see export_stream): a plain VNet, route table or
    NSG. Only its id and type are kept as the item's content (for format detection and records); the rest
    is `model`."""

    def __init__(self, item: dict[str, Any], model: PreReadModel):
        super().__init__(id=item["id"], type=item["type"])
        self.model = model


def _vnet(record: ArmRecord) -> VirtualNetwork | None:
    plain = plain_vnet(record)
    children = plain_children(record) if plain is not None else None
    if plain is None or children is None:
        return None
    return VirtualNetwork(**plain, subnets=children[0], peerings=children[1])


def _route_table(record: ArmRecord) -> RouteTable | None:
    return plain_route_table(record)


def _nsg(record: ArmRecord) -> NetworkSecurityGroup | None:
    return plain_nsg(record)


# The types read as they are parsed (lowercase, as declared types compare), with their canonical
# spelling and plain reader: the three an export holds one of per spoke. The readers look the plain
# functions up when called, so that tests can count or disable them.
_PLAIN_READERS: dict[str, tuple[str, Callable[[ArmRecord], PreReadModel | None]]] = {
    "microsoft.network/virtualnetworks": ("Microsoft.Network/virtualNetworks", _vnet),
    "microsoft.network/routetables": ("Microsoft.Network/routeTables", _route_table),
    "microsoft.network/networksecuritygroups": ("Microsoft.Network/networkSecurityGroups", _nsg),
}


def preread_export_item(item: dict[str, Any], document: SourceDocument, pointer: Pointer) -> Any:
    """Translate an export item while the export is read (export_stream), when it is a VNet, route table or
    NSG that the translation would read the same way later: with its children (subnets and peerings,
    routes, security rules) embedded, every value of the plain kinds (arm/plain.py, arm/plain_tables.py).
    The item is then dropped and only the model object kept. Anything else is returned as it is, for the
    translation to read (and report) in its turn; nothing here raises, as nothing can be located before
    the export is read through. A parent whose children are also listed on their own is read again from
    the file (read_again)."""
    declared, resource_id, inner = item.get("type"), item.get("id"), item.get("properties")
    if declared.__class__ is not str:
        return item
    reader = _PLAIN_READERS.get(declared.lower())
    if reader is None:
        return item
    if resource_id.__class__ is not str or not resource_id or (inner is not None and inner.__class__ is not dict):
        return item  # record_of reports these
    model = reader[1](ArmRecord(item, document, pointer, reader[0], resource_id))
    return item if model is None else PreRead(item, model)


def is_preread(record: ArmRecord) -> bool:
    return record.data.__class__ is PreRead


def read_again(record: ArmRecord) -> ArmRecord:
    """A pre-read item as it was: its children are also listed on their own, and the translation merges
    them (the file is read back for that one item)."""
    document = record.document
    assert isinstance(document, JsonDocument), "only an export parsed item by item has pre-read items"
    return ArmRecord(json.loads(document.value_text(record.pointer)), document, record.pointer, record.type, record.id)

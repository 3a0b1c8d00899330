"""Export items translated while the export is parsed (export_stream), so that only the model object is kept."""

from __future__ import annotations

import json
from typing import Any

from anycast_lint.model.positions import JsonDocument, Pointer, SourceDocument
from anycast_lint.model.topology import VirtualNetwork
from anycast_lint.sources.arm.plain import plain_children, plain_vnet
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.translator_base import NET


class PreRead(dict[str, Any]):
    """An export item translated as soon as it was parsed (see export_stream): a plain VNet. Only its id
    and type are kept as the item's content (for format detection and records); the rest is `vnet`."""

    def __init__(self, item: dict[str, Any], vnet: VirtualNetwork):
        super().__init__(id=item["id"], type=item["type"])
        self.vnet = vnet


def preread_export_item(item: dict[str, Any], document: SourceDocument, pointer: Pointer) -> Any:
    """Translate an export item while the export is read (export_stream), when it is a VNet that the
    translation would read the same way later: with its subnets and peerings embedded, every value of
    the plain kinds (arm_plain). The item is then dropped and only the model object kept. Anything else
    is returned as it is, for the translation to read (and report) in its turn; nothing here raises, as
    nothing can be located before the export is read through. A VNet whose subnets or peerings are also
    listed on their own is read again from the file (_vnets)."""
    declared, resource_id, inner = item.get("type"), item.get("id"), item.get("properties")
    if declared.__class__ is not str or declared.lower() != "microsoft.network/virtualnetworks":
        return item
    if resource_id.__class__ is not str or not resource_id or (inner is not None and inner.__class__ is not dict):
        return item  # record_of reports these
    record = ArmRecord(item, document, pointer, NET + "virtualNetworks", resource_id)
    plain = plain_vnet(record)
    children = plain_children(record) if plain is not None else None
    if plain is None or children is None:
        return item
    return PreRead(item, VirtualNetwork(**plain, subnets=children[0], peerings=children[1]))


def is_preread(record: ArmRecord) -> bool:
    return record.data.__class__ is PreRead


def read_again(record: ArmRecord) -> ArmRecord:
    """A pre-read VNet as the item it was: its subnets or peerings are also listed on their own, and the
    translation merges them (the file is read back for that one item)."""
    document = record.document
    assert isinstance(document, JsonDocument), "only an export parsed item by item has pre-read items"
    return ArmRecord(json.loads(document.value_text(record.pointer)), document, record.pointer, record.type, record.id)

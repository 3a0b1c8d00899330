"""The plain case of the most numerous ARM objects, VNets with their subnets and peerings, read without `_Reader`.

An export of 10,000 VNets holds 20,000 subnets and as many peerings, and reading each value through the
general reader (which accepts either shape, collects template unknowns and locates wrong types) was most
of the translation's time. A child whose values are all of the plain kinds an export holds (strings,
booleans, `{"id": ...}` references, valid IPv4 prefixes, no delegations) is read here; for anything else
these return None and the general reader in vnets.py reads it, with its errors and unknowns. Both must give
the same model object for a plain child: tests/test_arm_exports.py compares them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.topology import EMPTY_TAGS, IPNetwork, Peering, Subnet
from anycast_lint.model.values import plain_ipv4_prefix
from anycast_lint.sources.arm.shapes import ArmRecord, enum_value


class NotPlainError(Exception):
    """A value the general reader (reading.Reader) must read."""


def plain_bag(item: Any) -> dict[str, Any]:
    """The property bag: `properties{}` (REST) or the item itself (az CLI); see reading.props.
    NotPlainError where props would read the item another way."""
    if item.__class__ is not dict:
        raise NotPlainError
    inner = item.get("properties")
    if inner.__class__ is dict:
        return inner
    if inner is None:
        return item
    raise NotPlainError


def plain_reference(value: Any) -> str | None:
    """`{"id": "..."}` or a plain id string (None when empty or absent); NotPlainError for anything else,
    which reading.Reader.reference reads: template unknowns, or an error."""
    if value is None:
        return None
    if value.__class__ is dict:
        inner = value.get("id")
        if inner.__class__ is str:
            return inner or None
        if inner is None:
            return None
    elif value.__class__ is str:
        return value or None
    raise NotPlainError


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if value.__class__ is bool:
        return value
    raise NotPlainError


def plain_text(value: Any) -> str | None:
    if value is None or value.__class__ is str:
        return value
    raise NotPlainError


def _prefix(value: Any) -> IPNetwork:
    prefix = plain_ipv4_prefix(value)
    if prefix is None:
        raise NotPlainError
    return prefix


def plain_subnet(
    vnet_id: str, subnet_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
) -> Subnet | None:
    try:
        bag = plain_bag(item)
        prefixes = []
        single = bag.get("addressPrefix")
        if single is not None and single != "":
            prefixes.append(_prefix(single))
        several = bag.get("addressPrefixes")
        if several is not None:
            if several.__class__ is not list:
                raise NotPlainError
            prefixes += [_prefix(value) for value in several]
        if bag.get("delegations"):
            raise NotPlainError
        outbound = bag.get("defaultOutboundAccess")
        if outbound is not None and outbound.__class__ is not bool:
            raise NotPlainError
        route_table_id = plain_reference(bag.get("routeTable"))
        nsg_id = plain_reference(bag.get("networkSecurityGroup"))
        nat_gateway_id = plain_reference(bag.get("natGateway"))
    except NotPlainError:
        return None
    return Subnet(
        id=subnet_id,
        name=id_name(subnet_id),
        origin=Origin(document.path, pointer, document),
        vnet_id=vnet_id,
        address_prefixes=tuple(dict.fromkeys(prefixes)) if len(prefixes) > 1 else tuple(prefixes),
        route_table_id=route_table_id,
        nsg_id=nsg_id,
        nat_gateway_id=nat_gateway_id,
        default_outbound_access=outbound,
    )


def plain_peering(
    vnet_id: str, peering_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
) -> Peering | None:
    try:
        bag = plain_bag(item)
        remote = plain_reference(bag.get("remoteVirtualNetwork"))
        access = _flag(bag.get("allowVirtualNetworkAccess"), True)
        forwarded = _flag(bag.get("allowForwardedTraffic"), False)
        transit = _flag(bag.get("allowGatewayTransit"), False)
        remote_gateways = _flag(bag.get("useRemoteGateways"), False)
        state = plain_text(bag.get("peeringState"))
        sync_level = plain_text(bag.get("peeringSyncLevel"))
    except NotPlainError:
        return None
    name = id_name(peering_id)
    remote_name = id_name(remote) if remote else ""
    return Peering(
        id=peering_id,
        name=name,
        origin=Origin(document.path, pointer, document),
        vnet_id=vnet_id,
        remote_vnet_id=remote,
        allow_virtual_network_access=access,
        allow_forwarded_traffic=forwarded,
        allow_gateway_transit=transit,
        use_remote_gateways=remote_gateways,
        state=enum_value(state or "Connected"),
        sync_level=enum_value(sync_level),
        to_vwan_hub=name.startswith(("RemoteVnetToHubPeering", "HV_")) or remote_name.startswith("HV_"),
    )


def plain_vnet(record: ArmRecord) -> dict[str, Any] | None:
    """A VNet's own fields (all but subnets and peerings) when they are plain: a region, string tags, an
    address space of valid IPv4 prefixes, and none of the rarer properties (BGP communities, summarised
    gateway prefixes, IPAM allocations), which the general reader handles."""
    data = record.data
    try:
        location = data.get("location")
        if location is not None and (location.__class__ is not str or not location):
            raise NotPlainError
        tags = data.get("tags")
        if tags is not None and (tags.__class__ is not dict or any(v.__class__ is not str for v in tags.values())):
            raise NotPlainError
        bag = plain_bag(data)
        pointer = (*record.pointer, "properties") if bag is not data else record.pointer
        if bag.get("bgpCommunities") is not None or bag.get("summarizedGatewayPrefixes") is not None:
            raise NotPlainError
        space = bag.get("addressSpace")
        if space.__class__ is not dict or space.get("ipamPoolPrefixAllocations"):
            raise NotPlainError
        values = space.get("addressPrefixes")
        if values is None:
            values = []
        elif values.__class__ is not list:
            raise NotPlainError
        prefixes = tuple([_prefix(value) for value in values])
    except NotPlainError:
        return None
    name = data.get("name")
    document, path = record.document, record.document.path
    prefixes_pointer = (*pointer, "addressSpace", "addressPrefixes")
    return {
        "id": record.id,
        "name": id_name(record.id) if not isinstance(name, str) or "/" in name else name,
        "origin": Origin(path, record.pointer, document),
        "region": location,
        "address_prefixes": prefixes,
        "prefix_origins": tuple([Origin(path, (*prefixes_pointer, i), document) for i in range(len(prefixes))]),
        "tags": MappingProxyType(dict(tags)) if tags else EMPTY_TAGS,
    }


def child_id_of(item: dict[str, Any], parent_id: str, segment: str) -> str | None:
    """A child object's id: its own, else made from its name under its parent; None when it has neither
    (TranslatorBase._unique reports that)."""
    child_id, name = item.get("id"), item.get("name")
    child_id = child_id if isinstance(child_id, str) else None
    name = name if isinstance(name, str) else None
    if child_id is None and name is None:
        return None
    return child_id or f"{parent_id}/{segment}/{name}"


def plain_children(record: ArmRecord) -> tuple[tuple[Subnet, ...], tuple[Peering, ...]] | None:
    """A VNet's embedded subnets and peerings, when every one is plain (for preread.preread_export_item): the
    same objects, in the same order, as TranslatorBase._group and _unique and VnetTranslation._vnet_children give, each
    child once by id; None as soon as one is not plain, without raising."""
    data, vnet_id = record.data, record.id
    try:
        bag = plain_bag(data)
    except NotPlainError:
        return None
    pointer = (*record.pointer, "properties") if bag is not data else record.pointer
    found: list[tuple[Any, ...]] = []
    for key, read in (("subnets", plain_subnet), ("virtualNetworkPeerings", plain_peering)):
        items = bag.get(key)
        if items is None:
            items = []
        elif items.__class__ is not list:
            return None
        by_id: dict[str, Any] = {}
        for index, item in enumerate(items):
            if item.__class__ is not dict:
                return None
            child_id = child_id_of(item, vnet_id, key)
            if child_id is None:
                return None
            child_key = id_key(child_id) if len(items) > 1 else child_id  # one child: nothing to compare
            if child_key in by_id:
                continue  # the first of two copies counts, as in _unique
            child = read(vnet_id, child_id, item, (*pointer, key, index), record.document)
            if child is None:
                return None
            by_id[child_key] = child
        found.append(tuple(by_id.values()))
    return found[0], found[1]

"""The plain case of route tables and NSGs, read without the general reader, as arm/plain.py does for VNets.

A real export carries a route table and an NSG beside most spokes: at 10,000 VNets, 40,000 routes and as
many security rules, and reading each value through `Reader` (either shape, template unknowns, located
errors) was most of the translation's time. A table or NSG whose values are all of the plain kinds an
export holds (strings, booleans, integers, valid IPv4 prefixes and addresses, no ECMP next hops) is read
here; for anything else these return None and the general reader in route_tables.py reads it, with its
errors and unknowns. Both give the same model object for a plain one: tests/test_arm_plain_tables.py compares them.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.topology import IPAddress, IPNetwork, NetworkSecurityGroup, Route, RouteTable, SecurityRule
from anycast_lint.model.values import is_ascii_number, is_service_tag, plain_ipv4_prefix
from anycast_lint.sources.arm.plain import NotPlainError, child_id_of, plain_bag, plain_text
from anycast_lint.sources.arm.shapes import ArmRecord, enum_value

# Values already read, shared by every table that holds them: an export repeats the same few next hops (its
# hubs' firewalls), route prefixes (0.0.0.0/0, the private ranges) and NSG addresses in every spoke. The
# objects are immutable; each cache stops growing at _CACHED values.
_CACHED = 65_536
_NEXT_HOPS: dict[str, IPAddress] = {}
_ROUTE_PREFIXES: dict[str, IPNetwork] = {}
_NSG_ADDRESSES: dict[str, str] = {}


def _address(value: Any) -> IPAddress | None:
    """A next-hop address as Reader.ip reads it; a prefix-shaped one (its first address) is left to it."""
    if value is None or value == "":
        return None
    if value.__class__ is not str:
        raise NotPlainError
    address = _NEXT_HOPS.get(value)
    if address is not None:
        return address
    if "/" in value or value != value.strip():
        raise NotPlainError
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        raise NotPlainError from None
    if len(_NEXT_HOPS) < _CACHED:
        _NEXT_HOPS[value] = address
    return address


def _route_prefix(text: str) -> IPNetwork:
    """A route's prefix as parse_prefix reads a plain one (is_cidr said it is no service tag)."""
    prefix = _ROUTE_PREFIXES.get(text)
    if prefix is None:
        prefix = plain_ipv4_prefix(text)
        if prefix is None:
            raise NotPlainError
        if len(_ROUTE_PREFIXES) < _CACHED:
            _ROUTE_PREFIXES[text] = prefix
    return prefix


def _unique_children(items: Any, parent_id: str, segment: str) -> list[tuple[str, dict[str, Any], int]]:
    """(id, item, index) of an embedded child list, once each by id, as TranslatorBase._group and _unique
    take them; NotPlainError for a list the general reader must see (not a list, an item not an object)."""
    if items is None:
        return []
    if items.__class__ is not list:
        raise NotPlainError
    seen: dict[str, tuple[str, dict[str, Any], int]] = {}
    for index, item in enumerate(items):
        if item.__class__ is not dict:
            raise NotPlainError
        inner = item.get("properties")
        if inner is not None and inner.__class__ is not dict:
            raise NotPlainError
        child_id = child_id_of(item, parent_id, segment)
        if child_id is None:
            raise NotPlainError
        seen.setdefault(id_key(child_id) if len(items) > 1 else child_id, (child_id, item, index))
    return list(seen.values())


def _envelope(record: ArmRecord) -> tuple[dict[str, Any], dict[str, Any], Pointer]:
    """A parent's envelope fields as TranslatorBase._envelope gives them, its bag and the bag's pointer."""
    data = record.data
    location = data.get("location")
    if location is not None and (location.__class__ is not str or not location):
        raise NotPlainError
    bag = plain_bag(data)
    name = data.get("name")
    base = {
        "id": record.id,
        "name": id_name(record.id) if not isinstance(name, str) or "/" in name else name,
        "origin": Origin(record.document.path, record.pointer, record.document),
        "region": location,
    }
    return base, bag, (*record.pointer, "properties") if bag is not data else record.pointer


def plain_route(
    table_id: str, route_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
) -> Route | None:
    """A route as RouteTableTranslation._route reads it, or None when it is not plain."""
    try:
        bag = plain_bag(item)
        text = plain_text(bag.get("addressPrefix")) or ""
        prefix = _route_prefix(text) if text and not is_service_tag(text) else None  # is_cidr
        single = _address(bag.get("nextHopIpAddress"))
        if bag.get("nextHop") is not None:
            raise NotPlainError
        hop_type = plain_text(bag.get("nextHopType"))
    except NotPlainError:
        return None
    return Route(
        id=route_id,
        name=id_name(route_id),
        origin=Origin(document.path, pointer, document),
        route_table_id=table_id,
        address_prefix=text,
        prefix=prefix,
        next_hop_type=enum_value(hop_type or "None"),
        next_hop_ips=() if single is None else (single,),
    )


def plain_route_table(record: ArmRecord) -> RouteTable | None:
    """A route table with its embedded routes, when every value is plain (for preread_export_item)."""
    try:
        base, bag, routes = _with_children(record, "routes", plain_route)
        disable = bag.get("disableBgpRoutePropagation")
        if disable is not None and disable.__class__ is not bool:
            raise NotPlainError
    except NotPlainError:
        return None
    return RouteTable(**base, routes=routes, disable_bgp_route_propagation=bool(disable))


def _with_children(
    record: ArmRecord, key: str, read_child: Callable[[str, str, Any, Pointer, SourceDocument], Any]
) -> tuple[dict[str, Any], dict[str, Any], tuple[Any, ...]]:
    """The envelope, property bag and embedded children (routes, security rules) of a plain parent;
    NotPlainError when any child is not plain, so that the general reader reads the whole parent."""
    base, bag, pointer = _envelope(record)
    children = []
    for child_id, item, index in _unique_children(bag.get(key), record.id, key):
        child = read_child(record.id, child_id, item, (*pointer, key, index), record.document)
        if child is None:
            raise NotPlainError
        children.append(child)
    return base, bag, tuple(children)


def _nsg_address(value: Any) -> str:
    """An NSG rule's address as parse_nsg_address reads it; NotPlainError for anything it would reject."""
    if value.__class__ is not str:
        raise NotPlainError
    checked = _NSG_ADDRESSES.get(value)
    if checked is not None:
        return checked
    text = value.strip()
    if not (text == "*" or is_service_tag(text)):
        if not text.isascii():
            raise NotPlainError
        try:
            ipaddress.ip_network(text, strict=False)
        except ValueError:
            raise NotPlainError from None
    if len(_NSG_ADDRESSES) < _CACHED:
        _NSG_ADDRESSES[value] = text
    return text


def _strings(bag: dict[str, Any], singular: str, plural: str) -> tuple[str, ...]:
    """The singular value first, then the plural list, as _security_rule's `both` and `addresses` take them."""
    one, values = bag.get(singular), bag.get(plural)
    if one is not None and one.__class__ is not str:
        raise NotPlainError
    if values is None:
        return (one,) if one else ()  # the common case: one value, no list
    if values.__class__ is not list or any(v.__class__ is not str for v in values):
        raise NotPlainError
    return (one, *values) if one else tuple(values)


def _priority(value: Any) -> int:
    """The priority as _security_rule reads it: a number of at most five digits, else 65000."""
    if value.__class__ is int:
        return value if 0 <= value < 100_000 else 65000
    if value is None:
        return 65000
    if value.__class__ is not str:
        raise NotPlainError
    return int(value) if is_ascii_number(value) and len(value) < 6 else 65000


def plain_security_rule(
    nsg_id: str, rule_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
) -> SecurityRule | None:
    """A security rule as RouteTableTranslation._security_rule reads it, or None when it is not plain."""
    try:
        bag = plain_bag(item)
        direction = plain_text(bag.get("direction"))
        access = plain_text(bag.get("access"))
        protocol = plain_text(bag.get("protocol"))
        priority = _priority(bag.get("priority"))
        sources = _strings(bag, "sourceAddressPrefix", "sourceAddressPrefixes")
        destinations = _strings(bag, "destinationAddressPrefix", "destinationAddressPrefixes")
        source_ports = _strings(bag, "sourcePortRange", "sourcePortRanges")
        destination_ports = _strings(bag, "destinationPortRange", "destinationPortRanges")
        sources = tuple([_nsg_address(v) for v in sources])
        destinations = tuple([_nsg_address(v) for v in destinations])
    except NotPlainError:
        return None
    return SecurityRule(
        id=rule_id,
        name=id_name(rule_id),
        origin=Origin(document.path, pointer, document),
        nsg_id=nsg_id,
        direction=enum_value(direction or "Inbound"),
        access=enum_value(access or "Allow"),
        priority=priority,
        protocol=enum_value(protocol or "*"),
        source_prefixes=sources or ("*",),
        destination_prefixes=destinations or ("*",),
        source_ports=source_ports or ("*",),
        destination_ports=destination_ports or ("*",),
    )


def plain_nsg(record: ArmRecord) -> NetworkSecurityGroup | None:
    """An NSG with its embedded security rules, when every value is plain (for preread_export_item)."""
    try:
        base, _, rules = _with_children(record, "securityRules", plain_security_rule)
    except NotPlainError:
        return None
    return NetworkSecurityGroup(**base, rules=rules)

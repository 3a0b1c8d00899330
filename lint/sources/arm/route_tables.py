"""Route tables with their routes, and network security groups with their rules."""

from __future__ import annotations

from typing import Any, cast

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Pointer, SourceDocument
from anycast_lint.model.topology import NetworkSecurityGroup, Route, RouteTable, SecurityRule
from anycast_lint.model.values import is_ascii_number, is_service_tag, parse_nsg_address, parse_prefix
from anycast_lint.sources.arm.plain_tables import plain_route, plain_security_rule
from anycast_lint.sources.arm.preread import PreRead, is_preread, read_again
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, TranslatorBase


class RouteTableTranslation(TranslatorBase):
    """Route tables and NSGs, each with its children embedded or listed on their own."""

    # -- route tables and NSGs ------------------------------------------------------------------

    def _route_tables(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "routeTables"]
        children = {"routes": [r for r in found if r.type == NET + "routeTables/routes"]}
        parents = _with_children_read_again(parents, children)
        for key, group in self._group(parents, children, {"routes": "routes"}):
            if group.record is not None and is_preread(group.record):
                self.builder.add(cast(PreRead, group.record.data).model)
                continue
            table_id, base, reader = self._parent_base(group, key, "routes")
            routes = [
                plain_route(table_id, *item) or self._route(table_id, *item)
                for item in self._unique(group.children.get("routes", []), table_id, "routes")
            ]
            disable = False
            if group.record is not None:
                bag, pointer = props(group.record.data, group.record.pointer)
                disable = reader.flag(
                    bag, "disableBgpRoutePropagation", "disable_bgp_route_propagation", pointer, False
                )
            base["unknowns"] = tuple(base["unknowns"]) + tuple(reader.unknowns)
            self.builder.add(RouteTable(**base, routes=tuple(routes), disable_bgp_route_propagation=disable))

    def _route(
        self, table_id: str, route_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> Route:
        reader = Reader(document, pointer)
        bag, p = props(item, pointer)
        text = reader.text(bag, "addressPrefix", "address_prefix", p) or ""
        prefix = parse_prefix(text, reader.origin((*p, "addressPrefix"))) if is_cidr(text) else None
        hops = []
        single = reader.ip(bag, "nextHopIpAddress", "next_hop_ips", p)
        if single is not None:
            hops.append(single)
        ecmp = reader.object(bag, "nextHop", "next_hop_ips", p)
        if ecmp is not None:
            hops += reader.ips(ecmp, "nextHopIpAddresses", "next_hop_ips", (*p, "nextHop"))
        return Route(
            id=route_id,
            name=id_name(route_id),
            origin=reader.origin(pointer),
            route_table_id=table_id,
            address_prefix=text,
            prefix=prefix,
            next_hop_type=_enum(reader.text(bag, "nextHopType", "next_hop_type", p) or "None"),
            next_hop_ips=tuple(hops),
            unknowns=tuple(reader.unknowns),
        )

    def _nsgs(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "networkSecurityGroups"]
        children = {"securityRules": [r for r in found if r.type == NET + "networkSecurityGroups/securityRules"]}
        parents = _with_children_read_again(parents, children)
        for key, group in self._group(parents, children, {"securityRules": "securityRules"}):
            if group.record is not None and is_preread(group.record):
                self.builder.add(cast(PreRead, group.record.data).model)
                continue
            nsg_id, base, _ = self._parent_base(group, key, "security rules")
            rules = [
                plain_security_rule(nsg_id, *item) or self._security_rule(nsg_id, *item)
                for item in self._unique(group.children.get("securityRules", []), nsg_id, "securityRules")
            ]
            self.builder.add(NetworkSecurityGroup(**base, rules=tuple(rules)))

    def _security_rule(
        self, nsg_id: str, rule_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> SecurityRule:
        reader = Reader(document, pointer)
        bag, p = props(item, pointer)

        def both(singular: str, plural: str) -> tuple[str, ...]:
            values = reader.texts(bag, plural, plural, p)
            one = reader.get(bag, singular, singular, p)
            if one not in (None, ""):
                if isinstance(one, (dict, list)):
                    raise reader.wrong((*p, singular), "a string", one)
                values.insert(0, str(one))
            return tuple(values) or ("*",)

        def addresses(singular: str, plural: str) -> tuple[str, ...]:
            located = reader.items(bag, plural, plural, p)
            one = reader.get(bag, singular, singular, p)
            if one not in (None, ""):
                located.insert(0, (one, (*p, singular)))
            return tuple(parse_nsg_address(value, reader.origin(q)) for value, q in located) or ("*",)

        priority = reader.get(bag, "priority", "priority", p)
        return SecurityRule(
            id=rule_id,
            name=id_name(rule_id),
            origin=reader.origin(pointer),
            nsg_id=nsg_id,
            direction=_enum(reader.text(bag, "direction", "direction", p) or "Inbound"),
            access=_enum(reader.text(bag, "access", "access", p) or "Allow"),
            priority=int(priority)
            if isinstance(priority, (int, str)) and is_ascii_number(str(priority)) and len(str(priority)) < 6
            else 65000,
            protocol=_enum(reader.text(bag, "protocol", "protocol", p) or "*"),
            source_prefixes=addresses("sourceAddressPrefix", "sourceAddressPrefixes"),
            destination_prefixes=addresses("destinationAddressPrefix", "destinationAddressPrefixes"),
            source_ports=both("sourcePortRange", "sourcePortRanges"),
            destination_ports=both("destinationPortRange", "destinationPortRanges"),
            unknowns=tuple(reader.unknowns),
        )


def _with_children_read_again(parents: list[ArmRecord], children: dict[str, list[ArmRecord]]) -> list[ArmRecord]:
    """The parents, each pre-read one whose children are also listed on their own read again from its file,
    for the translation to merge them (as _vnets does)."""
    listed = {id_key(id_parent(r.id)) for records in children.values() for r in records}
    return [read_again(r) if is_preread(r) and id_key(r.id) in listed else r for r in parents]


def is_cidr(text: str) -> bool:
    """A route's addressPrefix is a prefix or a service tag (`AzureMonitor`); anything else is read as a
    prefix, so that a malformed one is an error rather than a tag matching nothing."""
    return bool(text) and not is_service_tag(text)

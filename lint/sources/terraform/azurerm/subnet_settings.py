"""What a subnet is associated with: route tables and their routes, NSGs and their rules, NAT gateways."""

from __future__ import annotations

from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import NatGateway, NetworkSecurityGroup, Route, RouteTable, SecurityRule
from anycast_lint.model.values import parse_nsg_address, parse_prefix
from anycast_lint.sources.arm.resources import is_cidr
from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import Path, enum_spelling
from anycast_lint.sources.terraform.plan import Instance


class SubnetSettingsFamily(TranslatorCore):
    """Reads route tables, routes, NSGs, security rules and NAT gateways."""

    def _route_table(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        table_id = base["id"]
        routes = [self._route(table_id, instance, path) for _, path in reader.blocks("route", "routes")]
        routes += [
            self._route(table_id, child, (), self.ids[child.address])
            for child in self.children.routes.pop(id_key(table_id), [])
        ]
        disabled = reader.get(("disable_bgp_route_propagation",), "disable_bgp_route_propagation")
        enabled = reader.get(("bgp_route_propagation_enabled",), "disable_bgp_route_propagation")
        disable = disabled if isinstance(disabled, bool) else (enabled is False)
        self._add(RouteTable, reader, base, routes=tuple(routes), disable_bgp_route_propagation=disable)

    def _route(self, table_id: str, instance: Instance, path: Path, route_id: str | None = None) -> Route:
        own = Reader(self, instance)
        name = own.text((*path, "name"), "name") or ""
        text = own.text((*path, "address_prefix"), "address_prefix") or ""
        prefix = parse_prefix(text, own.origin(*path, "address_prefix")) if is_cidr(text) else None
        hop, forwarder = own.next_hop((*path, "next_hop_in_ip_address"), "next_hop_ips")
        route_id = route_id or f"{table_id}/routes/{name}"
        return Route(
            id=route_id,
            name=id_name(route_id),
            origin=own.origin(*path) if path else instance.where,
            route_table_id=table_id,
            address_prefix=text,
            prefix=prefix,
            next_hop_type=enum_spelling(own.text((*path, "next_hop_type"), "next_hop_type") or "None"),
            next_hop_ips=(hop,) if hop else (),
            next_hop_forwarder_id=forwarder,
            unknowns=tuple(own.unknowns),
        )

    def _nsg(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        nsg_id = base["id"]
        rules = [self._rule(nsg_id, instance, path) for _, path in reader.blocks("security_rule", "security_rules")]
        rules += [
            self._rule(nsg_id, child, (), self.ids[child.address])
            for child in self.children.rules.pop(id_key(nsg_id), [])
        ]
        self._add(NetworkSecurityGroup, reader, base, rules=tuple(rules))

    def _rule(self, nsg_id: str, instance: Instance, path: Path, rule_id: str | None = None) -> SecurityRule:
        reader = Reader(self, instance)
        name = reader.text((*path, "name"), "name") or ""
        rule_id = rule_id or f"{nsg_id}/securityRules/{name}"

        def both(singular: str, plural: str) -> tuple[str, ...]:
            values = list(reader.strings((*path, plural), plural))
            one = reader.text((*path, singular), singular)
            if one:
                values.insert(0, one)
            return tuple(values) or ("*",)

        def addresses(singular: str, plural: str) -> tuple[str, ...]:
            """Each an address, a prefix, `*` or a service tag (never read as a tag that matches nothing)."""
            located = [(v, p) for v, p in reader.items((*path, plural), plural) if v != ""]
            one = reader.text((*path, singular), singular)
            if one:
                located.insert(0, (one, (*path, singular)))
            return tuple(parse_nsg_address(value, reader.origin(*where)) for value, where in located) or ("*",)

        priority = reader.get((*path, "priority"), "priority")
        for side in ("source", "destination"):
            attribute = f"{side}_application_security_group_ids"
            if reader.items((*path, attribute), f"{side}_prefixes"):
                reader.note(
                    f"{side}_prefixes",
                    (*path, attribute),
                    f"{attribute} is set: which addresses an application security group holds is not read",
                )
        return SecurityRule(
            id=rule_id,
            name=id_name(rule_id),
            origin=reader.origin(*path) if path else instance.where,
            nsg_id=nsg_id,
            direction=enum_spelling(reader.text((*path, "direction"), "direction") or "Inbound"),
            access=enum_spelling(reader.text((*path, "access"), "access") or "Allow"),
            priority=priority if isinstance(priority, int) and not isinstance(priority, bool) else 65000,
            protocol=enum_spelling(reader.text((*path, "protocol"), "protocol") or "*"),
            source_prefixes=addresses("source_address_prefix", "source_address_prefixes"),
            destination_prefixes=addresses("destination_address_prefix", "destination_address_prefixes"),
            source_ports=both("source_port_range", "source_port_ranges"),
            destination_ports=both("destination_port_range", "destination_port_ranges"),
            unknowns=tuple(reader.unknowns),
        )

    def _nat_gateway(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        self._add(NatGateway, reader, self._envelope(instance, reader))

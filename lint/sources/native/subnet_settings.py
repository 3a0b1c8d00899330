"""What a subnet is associated with: route tables, NSGs and NAT gateways."""

from __future__ import annotations

from typing import Any

from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import NatGateway, NetworkSecurityGroup, Route, RouteTable, SecurityRule
from anycast_lint.model.values import is_service_tag, parse_ip, parse_nsg_address, parse_prefix
from anycast_lint.sources.native.core import BuilderCore
from anycast_lint.sources.native.names import error_at


class SubnetSettingsFamily(BuilderCore):
    """Builds `routeTables`, `networkSecurityGroups` and `natGateways`."""

    def route_table(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("routeTable", index)
        routes = []
        for r_index, route in enumerate(entry.get("routes", [])):
            r_origin = origin.child("routes", r_index)
            text = str(route["addressPrefix"])
            prefix = parse_prefix(text, r_origin.child("addressPrefix")) if not is_service_tag(text) else None
            hops = []
            if "nextHopIpAddress" in route:
                hops.append(parse_ip(route["nextHopIpAddress"], r_origin.child("nextHopIpAddress")))
            for h_index, hop in enumerate(route.get("nextHopIpAddresses", [])):
                hops.append(parse_ip(hop, r_origin.child("nextHopIpAddresses", h_index)))
            if route["nextHopType"] in ("VirtualAppliance", "VirtualApplianceEcmp") and not hops:
                raise error_at(
                    r_origin,
                    f"route {route['name']!r} has nextHopType {route['nextHopType']} but no nextHopIpAddress",
                )
            routes.append(
                Route(
                    id=f"{resource_id}/routes/{route['name']}",
                    name=route["name"],
                    origin=r_origin,
                    route_table_id=resource_id,
                    address_prefix=text,
                    prefix=prefix,
                    next_hop_type=route["nextHopType"],
                    next_hop_ips=tuple(hops),
                )
            )
        self.builder.add(
            RouteTable(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                routes=tuple(routes),
                disable_bgp_route_propagation=entry.get("disableBgpRoutePropagation", False),
            )
        )

    def nsg(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nsg", index)
        rules = []
        for r_index, rule in enumerate(entry.get("securityRules", [])):
            r_origin = origin.child("securityRules", r_index)
            rules.append(
                SecurityRule(
                    id=f"{resource_id}/securityRules/{rule['name']}",
                    name=rule["name"],
                    origin=r_origin,
                    nsg_id=resource_id,
                    direction=rule["direction"],
                    access=rule["access"],
                    priority=rule["priority"],
                    protocol=rule.get("protocol", "*"),
                    source_prefixes=_nsg_addresses(rule, "sourceAddressPrefix", r_origin),
                    destination_prefixes=_nsg_addresses(rule, "destinationAddressPrefix", r_origin),
                    source_ports=_singular_or_plural(rule, "sourcePortRange"),
                    destination_ports=_singular_or_plural(rule, "destinationPortRange"),
                )
            )
        self.builder.add(
            NetworkSecurityGroup(id=resource_id, name=entry["name"], origin=origin, region=region, rules=tuple(rules))
        )

    def nat_gateway(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("natGateway", index)
        self.builder.add(NatGateway(id=resource_id, name=entry["name"], origin=origin, region=region))


def _nsg_addresses(rule: dict[str, Any], singular: str, origin: Origin) -> tuple[str, ...]:
    plural = singular + "es"
    located = [(value, origin.child(plural, index)) for index, value in enumerate(rule.get(plural, []))]
    if singular in rule:
        located.insert(0, (rule[singular], origin.child(singular)))
    return tuple(parse_nsg_address(value, where) for value, where in located) or ("*",)


def _singular_or_plural(rule: dict[str, Any], singular: str) -> tuple[str, ...]:
    """Port ranges, singular and plural together; '*' when neither is given."""
    values = [str(v) for v in rule.get(singular + "es" if singular.endswith("Prefix") else singular + "s", [])]
    if singular in rule:
        values.insert(0, str(rule[singular]))
    return tuple(values) or ("*",)

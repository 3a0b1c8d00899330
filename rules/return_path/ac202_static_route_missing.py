"""AC202 static-route-missing: the transit connection needs a static route to the member via a forwarder.

Virtual WAN learns an indirect spoke only from a static route on the hub connection to its transit VNet:
its prefixes must cover the member's prefix and its next hop must be a forwarder inside the transit VNet
(the IP of an Azure Firewall, an NVA, or a NIC with IP forwarding).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from anycast_lint.analysis.design_facts import (
    TransitLink,
    covering_static_routes,
    forwarder_ips,
    forwarders_in,
    forwarders_known,
    nic_with_address,
)
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import APPEND, SET, Change, Edit, Fix
from anycast_lint.fixes.builders import PROPAGATE_ARM, advice, connection_az, connection_tf
from anycast_lint.fixes.snippets import arm_property, block
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import (
    HubVirtualNetworkConnection,
    IPAddress,
    IPNetwork,
    StaticRoute,
    Topology,
    VirtualNetwork,
)
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule
from anycast_lint.rules.return_path._shared import indirect_members


@rule("AC202", "static-route-missing", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    for service, _vip, link in indirect_members(ctx):
        member, transit = link.member, link.transit
        forwarders = _TransitForwarders.of(topology, transit)
        for connection in link.connections:
            unknown = connection.unknown("static_routes")
            if unknown is not None:
                yield undecided(
                    f"cannot check the static routes of {connection.name} for '{member.name}': {unknown.reason}",
                    connection.id,
                    unknown.origin,
                    f"{id_key(member.id)}|unknown",
                    f"give the static routes of {connection.name} values known before deployment, or scan after apply",
                )
                continue
            for prefix in member.address_prefixes:
                routes = covering_static_routes(connection, prefix)
                if not routes:
                    yield Violation(
                        f"hub connection '{connection.name}' to transit '{transit.name}' has no static route covering "
                        f"{prefix} of member '{member.name}' (service '{service.name}'): the hub never learns where "
                        f"this prefix is, so no circuit reaches the member through it. Add static route {prefix} -> "
                        f"{forwarders.hop_text} with propagateStaticRoutes on",
                        connection.id,
                        connection.routing.origin,
                        f"{id_key(member.id)}|{prefix}",
                        (
                            Related(
                                f"member '{member.name}' peers with {transit.name}",
                                link.peering.origin,
                                link.peering.id,
                            ),
                        ),
                        fix=add_static_route(connection, member, prefix, forwarders.suggestion, forwarders.hop_text),
                    )
                    continue
                for route in routes:
                    yield from _next_hop_findings(topology, link, connection, prefix, route, forwarders)


@dataclass(frozen=True)
class _TransitForwarders:
    """The forwarders of a transit VNet a static route may point at, and the one a fix suggests."""

    ips: dict[IPAddress, str]  # address -> label
    known: bool  # whether the input holds the transit's forwarders at all
    suggestion: IPAddress | None
    hop_text: str

    @staticmethod
    def of(topology: Topology, transit: VirtualNetwork) -> _TransitForwarders:
        ips = forwarder_ips(topology, transit)
        suggestion = next(iter(ips), None)
        planned = next(iter(forwarders_in(topology, transit).values()), None)  # its address known after apply
        if suggestion:
            hop_text = str(suggestion)
        elif planned:
            hop_text = f"the private IP of {planned}"
        else:
            hop_text = f"<forwarder IP in {transit.name}>"
        return _TransitForwarders(ips, forwarders_known(topology, transit), suggestion, hop_text)


def _next_hop_findings(
    topology: Topology,
    link: TransitLink,
    connection: HubVirtualNetworkConnection,
    prefix: IPNetwork,
    route: StaticRoute,
    forwarders: _TransitForwarders,
) -> Iterator[Violation]:
    """A static route covering the member must point at a forwarder inside the transit VNet."""
    member, transit, hop_text = link.member, link.transit, forwarders.hop_text
    hop = route.next_hop_ip
    if hop is None and route.next_hop_forwarder_id is not None:
        forwarder = topology.forwarders.find(route.next_hop_forwarder_id)
        inside_transit = (
            forwarder is not None and forwarder.vnet_id is not None and id_key(forwarder.vnet_id) == id_key(transit.id)
        )
        if forwarder is not None and not inside_transit:
            yield Violation(
                f"static route '{route.name}' on '{connection.name}' sends {prefix} to the private "
                f"IP of {forwarder.label}, which is not in transit '{transit.name}': the hub cannot "
                f"deliver it to '{member.name}' there. Use a forwarder in '{transit.name}'",
                connection.id,
                route.origin,
                f"{id_key(member.id)}|{prefix}|{id_key(route.next_hop_forwarder_id)}",
                fix=advice(f"point static route '{route.name}' at a forwarder in '{transit.name}' ({hop_text})"),
            )
        return
    if hop is None:
        return
    inside = any(hop.version == p.version and hop in p for p in transit.address_prefixes)
    if not inside:
        spaces = ", ".join(map(str, transit.address_prefixes))
        yield Violation(
            f"static route '{route.name}' on '{connection.name}' sends {prefix} to {hop}, which is not "
            f"inside transit '{transit.name}' ({spaces}): the hub cannot deliver it. Use the forwarder "
            f"{hop_text}",
            connection.id,
            route.origin,
            f"{id_key(member.id)}|{prefix}|{hop}",
            fix=advice(f"point static route '{route.name}' at {hop_text}, inside '{transit.name}'"),
        )
    elif hop not in forwarders.ips and (nic := nic_with_address(topology, transit, hop)) is not None:
        yield Violation(
            f"static route '{route.name}' on '{connection.name}' sends {prefix} to {hop}, the address "
            f"of NIC '{nic.name}' in '{transit.name}', which has IP forwarding off: Azure drops the "
            f"packets addressed to '{member.name}' there. Enable IP forwarding on the NIC (and in its "
            f"guest OS), or point the route at {hop_text if forwarders.suggestion else 'a firewall or NVA'}",
            connection.id,
            route.origin,
            f"{id_key(member.id)}|{prefix}|{hop}",
            fix=advice(f"point static route '{route.name}' at {hop_text}, or turn on IP forwarding on that NIC"),
        )
    elif forwarders.known and hop not in forwarders.ips:
        listing = ", ".join(f"{ip} ({label})" for ip, label in forwarders.ips.items()) or "none"
        yield Violation(
            f"static route '{route.name}' on '{connection.name}' sends {prefix} to {hop}, which is not "
            f"the address of a firewall, NVA or IP-forwarding NIC in '{transit.name}' (forwarders: "
            f"{listing}): nothing forwards the traffic on to '{member.name}'",
            connection.id,
            route.origin,
            f"{id_key(member.id)}|{prefix}|{hop}",
            fix=advice(f"point static route '{route.name}' at {hop_text}"),
        )
    elif not forwarders.known:
        yield undecided(
            f"cannot tell whether {hop} (static route '{route.name}' on '{connection.name}') forwards "
            f"packets: the input has no firewall, NVA or NIC in '{transit.name}'",
            connection.id,
            route.origin,
            f"{id_key(member.id)}|{prefix}|{hop}|unknown",
            f"include the forwarders of '{transit.name}' in the input",
        )


STATIC_ROUTES_ARM = ("properties", "routingConfiguration", "vnetRoutes", "staticRoutes")


def add_static_route(
    connection: HubVirtualNetworkConnection,
    member: VirtualNetwork,
    prefix: IPNetwork,
    next_hop: IPAddress | None,
    hop_text: str,
) -> Fix:
    """AC202: a static route on the transit connection for the member prefix, via the forwarder."""
    hub = id_name(connection.hub_id)
    name = f"anycast-{member.name}"
    hop = str(next_hop) if next_hop is not None else hop_text
    route = {"name": name, "addressPrefixes": [str(prefix)], "nextHopIpAddress": hop}
    propagate = connection.routing.propagate_static_routes is not True
    native = [Change(APPEND, ("routingConfiguration", "staticRoutes"), route)]
    arm = [Change(APPEND, STATIC_ROUTES_ARM, route)]
    if propagate:
        native.append(Change(SET, ("routingConfiguration", "propagateStaticRoutes"), True))
        arm.append(Change(SET, PROPAGATE_ARM, True))
    routing: list[tuple[str, Any]] = [
        ("static_vnet_propagate_static_routes_enabled", True),
        (
            "static_vnet_route",
            block(
                "static_vnet_route", ("name", name), ("address_prefixes", [str(prefix)]), ("next_hop_ip_address", hop)
            ),
        ),
    ]
    return Fix(
        f"add static route '{name}' {prefix} -> {hop} to hub connection '{hub}/{connection.name}', with "
        f"propagateStaticRoutes true",
        az=connection_az(
            connection,
            add=["properties.routingConfiguration.vnetRoutes.staticRoutes", json.dumps(route)],
            set="properties.routingConfiguration.vnetRoutes.staticRoutesConfig.propagateStaticRoutes=true",
        ),
        terraform=connection_tf(connection, *routing),
        arm=arm_property(
            "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            f"{hub}/{connection.name}",
            {
                "routingConfiguration": {
                    "vnetRoutes": {"staticRoutes": [route], "staticRoutesConfig": {"propagateStaticRoutes": True}}
                }
            },
        ),
        edits=(Edit(connection.origin, tuple(native), tuple(arm)),) if next_hop is not None else (),
    )

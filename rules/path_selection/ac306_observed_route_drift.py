"""AC306 observed-route-drift: a captured ExpressRoute route table disagrees with the prediction.

For every prefix the design predicts at a circuit and the capture marks a best path for, both best
paths must lead to the same place: the same next hop when the design knows the gateway's addresses,
else the same hub. Anycast member prefixes the design predicts must be in the capture at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, ObservedRouteTable, Topology
from anycast_lint.routing.advertise import Advertisement
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


def _circuit_for(topology: Topology, table: ObservedRouteTable) -> ExpressRouteCircuit | None:
    circuits = list(topology.circuits.values())
    if table.circuit_name:
        return next((c for c in circuits if c.name.lower() == table.circuit_name.lower()), None)
    return circuits[0] if len(circuits) == 1 else None


def _site_of_address(topology: Topology, address: IPAddress) -> str | None:
    """The hub an edge next hop belongs to: a gateway declaring it, else the address space holding it."""
    for gateway in topology.vnet_gateways.values():
        if address in gateway.bgp_peering_addresses and gateway.vnet_id:
            return id_key(gateway.vnet_id)
    for er_gateway in topology.er_gateways.values():
        if address in er_gateway.instance_ips and er_gateway.hub_id:
            return id_key(er_gateway.hub_id)
    for hub in topology.virtual_hubs.values():
        if hub.address_prefix is not None and address in hub.address_prefix:
            return id_key(hub.id)
    for vnet in topology.virtual_networks.values():
        if any(address.version == p.version and address in p for p in vnet.address_prefixes):
            return id_key(vnet.id)
    return None


def _site_of_route(topology: Topology, route: Advertisement) -> str | None:
    gateway = topology.vnet_gateways.find(route.gateway_id)
    if gateway is not None and gateway.vnet_id:
        return id_key(gateway.vnet_id)
    er_gateway = topology.er_gateways.find(route.gateway_id)
    return id_key(er_gateway.hub_id) if er_gateway is not None and er_gateway.hub_id else None


def _why_unmatched(topology: Topology, table: ObservedRouteTable) -> str:
    """Why a captured table matches no circuit of the input, in the terms of what the input holds."""
    count = len(topology.circuits)
    if count == 0:
        return "the input has no ExpressRoute circuit (add the circuit the table was captured from)"
    if table.circuit_name:
        return f"circuit '{table.circuit_name}' is not in the input ({count} other circuit{'s' if count > 1 else ''})"
    return (
        f"the capture does not name its circuit and the input has {count} circuits (name it with -n in the "
        f"captured command line)"
    )


@rule("AC306", "observed-route-drift", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    member_prefixes = {p for service in ctx.services for m in service.members for p in m.address_prefixes}
    for table in topology.observed_route_tables:
        circuit = _circuit_for(topology, table)
        if circuit is None:
            yield undecided(
                f"cannot compare the {table.label} with the design: {_why_unmatched(topology, table)}",
                table.origin.file,
                table.origin,
                "unmatched",
                "capture the table with its command line (az network express-route list-route-tables --name CIRCUIT ... -o table), so the circuit is named",
            )
            continue
        observed = {route.network: route for route in table.routes if route.best and route.network is not None}
        if not observed and table.routes:
            how = (
                "Azure returned no row whose nextHop ends in '*', so the comparison cannot be made; read it again"
                if table.origin.live
                else "capture it with -o table, where '*' marks them"
            )
            yield undecided(
                f"the {table.label} does not mark its best paths ({how})",
                circuit.id,
                table.origin,
                "unmarked",
                "capture the table again with -o table, where '*' marks the best paths",
            )
            continue
        rows = {route.prefix: route for route, best in ctx.routing.table(circuit.id) if best}
        for prefix, predicted in sorted(rows.items(), key=lambda item: (item[0].version, int(item[0].network_address))):
            seen = observed.get(prefix)
            if seen is None:
                if prefix in member_prefixes and any(r.network == prefix for r in table.routes) is False:
                    yield Violation(
                        f"circuit '{circuit.name}': the captured {table.label} has no route for anycast prefix "
                        f"{prefix}; the design predicts {predicted.next_hop_text} (AS path {predicted.path_text}) "
                        f"via {predicted.gateway_label}",
                        circuit.id,
                        table.origin,
                        f"{prefix}|missing",
                        fix=advice(
                            f"find why {prefix} is missing at '{circuit.name}' (trace it: anycast-lint trace <on-premises address> <VIP>), or capture the table again if it is out of date"
                        ),
                    )
                continue
            if seen.next_hop is None or predicted.next_hop == seen.next_hop:
                continue
            inexact = predicted.next_hop is None or predicted.next_hop_predicted
            if inexact and _site_of_address(topology, seen.next_hop) == _site_of_route(topology, predicted):
                continue
            path = " ".join(map(str, seen.as_path))
            yield Violation(
                f"circuit '{circuit.name}': observed best path for {prefix} is {seen.next_hop} (AS path {path}), "
                f"the design predicts {predicted.next_hop_text} (AS path {predicted.path_text}) via "
                f"{predicted.gateway_label}. The running network differs from the design: a member or peering "
                f"down, a route map or gateway changed, or an input out of date",
                circuit.id,
                seen.origin,
                f"{prefix}|{seen.next_hop}|{predicted.next_hop_text}",
                fix=advice(
                    f"reconcile the design with the network at '{circuit.name}': anycast-lint simulate with --fail of what is down should predict {seen.next_hop}; else capture the table again"
                ),
            )

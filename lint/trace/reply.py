"""The reply: from the endpoint's subnet back to on-premises — the subnet's UDR or learned route, the
forwarder, the hub, the gateway, the circuit — and whether it retraces the request.

Routing inside a VNet, as documented in "Virtual network traffic routing" (Microsoft Learn): a
user-defined route wins over a learned (BGP) route and over the system routes for the same prefix, the
longest prefix first; without either, the system route for the RFC 1918 ranges has next hop None (the
packet is dropped), and other addresses go to the Internet. A spoke learns on-premises routes from its
hub's gateway through `useRemoteGateways` unless its route table disables gateway route propagation;
an indirect spoke (peered to a transit VNet of a Virtual WAN hub) learns none (field report, design B).
"""

from __future__ import annotations

from anycast_lint.analysis.design_facts import PRIVATE_RANGES, directly_connected, route_for, transit_links
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPAddress, Route, VirtualNetwork, VirtualNetworkGateway
from anycast_lint.trace.context import TraceContext
from anycast_lint.trace.forward import Arrival
from anycast_lint.trace.hops import DROP, UNKNOWN, Hop, Leg

APPLIANCE = ("VirtualAppliance", "VirtualApplianceEcmp")


def trace_reply(ctx: TraceContext, arrival: Arrival) -> tuple[Leg, str | None]:
    """The reply's hops, and the asymmetry with the request (None when it retraces it)."""
    leg = Leg()
    member, subnet = arrival.member, arrival.subnet
    if member is None or subnet is None:
        return leg, None
    indirect = bool(transit_links(ctx.topology, member))
    gateway = _learned_gateway(ctx, member)
    # the rule that explains a reply with no way back: the indirect spoke's UDR (AC201), the gateway routes a
    # spoke turned off or overrode (AC207), or no gateway to learn from at all (AC204)
    code = "AC201" if indirect else "AC207" if gateway is not None else "AC204"
    table = ctx.topology.route_tables.find(subnet.route_table_id)
    source = ctx.host(ctx.source)
    route = route_for(table, source).route if table is not None else None
    if route is not None:
        return _by_udr(ctx, leg, arrival, member, route, code)
    learns = gateway is not None and (table is None or not table.disable_bgp_route_propagation)
    if learns and gateway is not None:
        leg.add(
            Hop(
                "route",
                subnet.label,
                f"no UDR covers {ctx.source}: the on-premises route learned from {gateway.label} (gateway transit)",
                table.id if table else subnet.id,
                table.origin if table else subnet.origin,
                kind="documented",
                findings=ctx.codes(subnet.id, table.id if table else None),
            )
        )
        asymmetry = None
        if arrival.gateway_id and id_key(arrival.gateway_id) != id_key(gateway.id):
            came = arrival.gateway_id.rsplit("/", 1)[-1]
            asymmetry = f"the request came through {came}, the reply leaves by {gateway.label} ({gateway.region})"
        _out_through_gateway(ctx, leg, gateway)
        return leg, asymmetry
    where = (
        f"route table '{table.name}' has no route covering {ctx.source}"
        + (" and disables gateway route propagation" if table.disable_bgp_route_propagation and gateway else "")
        if table is not None
        else "no route table"
    )
    if indirect:
        why = f"{member.name} is an indirect spoke, connected to no gateway: it learns no on-premises route"
    elif gateway is not None:
        why = f"so {member.name} does not learn the on-premises routes of {gateway.label}"
    else:
        why = f"{member.name} learns no on-premises route from a gateway"
    leg.add(
        Hop(
            "route",
            subnet.label,
            f"{where}; {why}; {_system_route(ctx.source)}",
            table.id if table else subnet.id,
            table.origin if table else subnet.origin,
            DROP,
            code,
            kind="documented",
            findings=ctx.codes(subnet.id, table.id if table else None),
        )
    )
    return leg, None


def _system_route(address: IPAddress) -> str:
    for private in PRIVATE_RANGES:
        if address.version == private.version and address in private:
            return f"Azure's system route for {private} has next hop None: the reply is dropped"
    return "Azure's system route 0.0.0.0/0 sends the reply to the Internet, not back through the circuit"


def _by_udr(
    ctx: TraceContext, leg: Leg, arrival: Arrival, member: VirtualNetwork, route: Route, code: str
) -> tuple[Leg, str | None]:
    hops = " ".join(map(str, route.next_hop_ips))
    text = f"UDR '{route.name}' {route.address_prefix} -> {route.next_hop_type} {hops}".rstrip()
    codes = ctx.codes(route.id, route.route_table_id)
    if route.next_hop_type not in APPLIANCE or not route.next_hop_ips:
        leg.add(
            Hop.at(
                "route",
                route,
                f"{text}: the reply does not go back through the circuit",
                DROP,
                code,
                findings=codes,
            )
        )
        return leg, None
    hop_ip = route.next_hop_ips[0]
    asymmetry = None
    if arrival.forwarder_ip is not None and str(hop_ip) != arrival.forwarder_ip:
        asymmetry = (
            f"the request came through {arrival.forwarder.label if arrival.forwarder else arrival.forwarder_ip}, "
            f"the reply goes to {hop_ip}: a stateful firewall drops a reply it did not see the request of ({code})"
        )
    elif arrival.forwarder_ip is None:
        asymmetry = f"the request came through no forwarder, the reply goes to {hop_ip}: a stateful forwarder drops it"
    leg.add(
        Hop.at(
            "route",
            route,
            text,
            "pass" if asymmetry is None else DROP,
            None if asymmetry is None else code,
            "documented",
            codes,
        )
    )
    if asymmetry is not None:
        return leg, asymmetry
    forwarder = ctx.forwarder_at(hop_ip)
    if forwarder is None:
        leg.add(
            Hop("forwarder", f"next hop {hop_ip}", "no firewall or NVA of the input has this address", verdict=UNKNOWN)
        )
        return leg, None
    leg.add(
        Hop.at(
            "forwarder",
            forwarder,
            "the same forwarder as the request: it routes the reply by its own VNet's routes",
            findings=ctx.codes(forwarder.id),
        )
    )
    transit = ctx.topology.virtual_networks.find(forwarder.vnet_id)
    connections = directly_connected(ctx.topology, transit) if transit else []
    if not connections:
        leg.add(
            Hop.at(
                "hub connection",
                forwarder,
                "its VNet is connected to no virtual hub",
                UNKNOWN,
            )
        )
        return leg, None
    connection = connections[0]
    hub = ctx.topology.virtual_hubs.find(connection.hub_id)
    if ctx.failed(connection.id) or (hub is not None and ctx.failed(hub.id, hub.region)):
        leg.add(Hop.at("hub connection", connection, "failed (--fail)", DROP))
        return leg, None
    leg.add(
        Hop.at(
            "hub connection",
            connection,
            f"{transit.name if transit else '?'} learns on-premises from hub {hub.name if hub else '?'}",
            kind="documented",
            findings=ctx.codes(connection.id),
        )
    )
    _out_through_hub(ctx, leg, hub.id if hub else None)
    return leg, None


def _learned_gateway(ctx: TraceContext, member: VirtualNetwork) -> VirtualNetworkGateway | None:
    """The ExpressRoute gateway a spoke learns on-premises from: its hub's, through useRemoteGateways."""
    for gateway in ctx.topology.vnet_gateways.values():
        if gateway.vnet_id and id_key(gateway.vnet_id) == id_key(member.id):
            return gateway
    for peering in member.peerings:
        if not (peering.use_remote_gateways and peering.connected and peering.remote_vnet_id):
            continue
        for gateway in ctx.topology.vnet_gateways.values():
            if gateway.vnet_id and id_key(gateway.vnet_id) == id_key(peering.remote_vnet_id):
                return gateway
    return None


def _out_through_gateway(ctx: TraceContext, leg: Leg, gateway: VirtualNetworkGateway) -> None:
    if ctx.failed(gateway.id, gateway.region):
        leg.add(Hop.at("gateway", gateway, "failed (--fail)", DROP))
        return
    connections = [
        c
        for c in ctx.topology.gateway_connections.values()
        if c.gateway_id and id_key(c.gateway_id) == id_key(gateway.id) and c.circuit_id
    ]
    leg.add(
        Hop.at(
            "gateway",
            gateway,
            f"ExpressRoute gateway ({gateway.region or 'region unknown'})",
            findings=ctx.codes(gateway.id),
        )
    )
    _to_circuit(ctx, leg, [(c.circuit_id, c.routing_weight, c.id) for c in connections if c.circuit_id])


def _out_through_hub(ctx: TraceContext, leg: Leg, hub_id: str | None) -> None:
    hub = ctx.topology.virtual_hubs.find(hub_id)
    if hub is None:
        leg.add(Hop("hub", "unknown hub", "the hub is not in the input", verdict=UNKNOWN))
        return
    gateway = ctx.topology.er_gateways.find(hub.er_gateway_id) or next(
        (g for g in ctx.topology.er_gateways.values() if g.hub_id and id_key(g.hub_id) == id_key(hub.id)), None
    )
    if gateway is None:
        leg.add(
            Hop.at(
                "hub",
                hub,
                "no ExpressRoute gateway: the hub has no way to on-premises",
                DROP,
                "AC204",
            )
        )
        return
    leg.add(
        Hop.at(
            "hub",
            hub,
            f"routes {ctx.source} to its ExpressRoute gateway '{gateway.name}' ({hub.region or 'region unknown'})",
            kind="documented",
            findings=ctx.codes(hub.id, gateway.id),
        )
    )
    circuits = [
        (c.circuit_id, c.routing_weight, c.id)
        for c in ctx.topology.er_connections.values()
        if c.circuit_id and id_key(c.gateway_id) == id_key(gateway.id) and not ctx.failed(c.id)
    ]
    _to_circuit(ctx, leg, circuits)


def _to_circuit(ctx: TraceContext, leg: Leg, links: list[tuple[str, int, str]]) -> None:
    """The circuit the reply leaves by: among the gateway's connections that are up, the highest routing weight
    ("Optimize ExpressRoute routing": weight is compared before the AS path for traffic from Azure to
    on-premises); equal weights are ECMP across the circuits (ExpressRoute FAQ), unless the on-premises routes'
    AS paths differ, which the input does not hold. A reply that leaves, or may leave, by another circuit than
    the request came in by crosses on-premises asymmetrically: a stateful device there drops it."""
    down = {(id_key(d.gateway_id), id_key(d.circuit_id)) for d in ctx.view.down}
    alive = [
        (circuit_id, weight)
        for circuit_id, weight, connection_id in links
        if not ctx.failed(circuit_id) and not _down(ctx, connection_id, circuit_id, down)
    ]
    if not alive:
        leg.add(Hop("circuit", "no circuit", "the gateway is connected to no circuit", verdict=DROP, rule="AC204"))
        return
    heaviest = max(weight for _, weight in alive)
    chosen = list(dict.fromkeys(id_key(c) for c, w in alive if w == heaviest))
    names = {id_key(c): (ctx.topology.circuits.find(c) or ctx.circuit).name for c, _ in alive}
    request = id_key(ctx.circuit.id)
    circuit = ctx.circuit if request in chosen else ctx.topology.circuits.find(chosen[0]) or ctx.circuit
    weight = f"connection weight {heaviest}"
    if chosen == [request]:
        detail = f"back to on-premises {ctx.source}" + (f" ({weight}, the highest)" if len(alive) > 1 else "")
    elif len(chosen) == 1:
        detail = f"back to on-premises {ctx.source} by '{circuit.name}' ({weight}, the highest)"
        leg.asymmetry = (
            f"the request came in by circuit '{ctx.circuit.name}', the reply leaves by '{circuit.name}' ({weight} "
            "is the highest): a stateful device on premises that saw one direction drops the other"
        )
    else:
        listed = ", ".join(f"'{names[c]}'" for c in chosen)
        detail = f"back to on-premises {ctx.source} by either of {listed} (equal {weight}: ECMP)"
        others = ", ".join(f"'{names[c]}'" for c in chosen if c != request)
        leg.asymmetry = (
            f"the request came in by circuit '{ctx.circuit.name}', the reply may leave by {others} (equal {weight}: "
            "ECMP, ExpressRoute FAQ): a stateful device on premises that saw one direction drops the other; give "
            "the request's circuit's connection a higher weight to keep replies on it"
        )
    leg.add(
        Hop.at(
            "circuit",
            circuit,
            detail,
            kind="documented",
            findings=ctx.codes(circuit.id),
        )
    )
    leg.arrived = True


def _down(ctx: TraceContext, connection_id: str, circuit_id: str, down: set[tuple[str, str]]) -> bool:
    """Whether the connection is over the prefix limit (prefix_limit.py), looked up by its gateway."""
    connection = ctx.topology.gateway_connections.find(connection_id) or ctx.topology.er_connections.find(connection_id)
    gateway_id = getattr(connection, "gateway_id", None) or ""
    return (id_key(gateway_id), id_key(circuit_id)) in down

"""The request: on-premises -> circuit (the edge's choice) -> gateway -> hub / static route -> forwarder ->
peering -> member subnet (NSG) -> endpoint.

Built on the routing model's view: the edge's choice is `Routing.lookup` (failures applied, every hub
choosing again), and the way from the gateway to the member follows what the winning route depends on
(the hub VNet connection whose static route it is, the spoke's gateway-transit peering).
"""

from __future__ import annotations

from dataclasses import dataclass

from anycast_lint.analysis.design_facts import covering_static_routes, directly_connected, forwarder_ips, transit_links
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import (
    Forwarder,
    HubVirtualNetworkConnection,
    IPAddress,
    StaticRoute,
    Subnet,
    VirtualHub,
    VirtualNetwork,
)
from anycast_lint.routing.advertise import Advertisement
from anycast_lint.routing.select import TIE_BREAK, decide
from anycast_lint.trace.context import TraceContext
from anycast_lint.trace.hops import DROP, UNKNOWN, Hop, Leg


@dataclass
class Arrival:
    """Where the request went: what the reply must retrace to be symmetric."""

    member: VirtualNetwork | None = None
    subnet: Subnet | None = None
    gateway_id: str | None = None
    region: str | None = None
    forwarder: Forwarder | None = None
    forwarder_ip: str | None = None


def trace_forward(ctx: TraceContext) -> tuple[Leg, Arrival]:
    leg, arrival = Leg(), Arrival()
    if not leg.add(_onprem_hop(ctx)):
        return leg, arrival
    choice = ctx.view.lookup(ctx.circuit.id, ctx.destination)
    if choice is None:
        # with a failure, AC304 explains it only when the scan says losing a member leaves a circuit with nothing
        code = ("AC304" if ctx.reported("AC304") else None) if ctx.view.failure else "AC204"
        leg.add(
            Hop.at(
                "circuit",
                ctx.circuit,
                f"no route covers {ctx.destination}"
                + (" once the failed elements are gone" if ctx.view.failure else ""),
                DROP,
                code,
            )
        )
        return leg, arrival
    winner = choice.best
    leg.add(_circuit_hop(ctx, winner, list(choice.ranked)))
    arrival.gateway_id = winner.gateway_id
    member = _landing(ctx, winner)
    if not _gateway_hops(ctx, leg, winner, arrival):
        return leg, arrival
    if member is None:
        leg.add(
            Hop(
                "virtual network",
                "no virtual network",
                f"route {winner.prefix} lands in no VNet of the input",
                verdict=DROP,
            )
        )
        return leg, arrival
    arrival.member = member
    if not _into_member(ctx, leg, winner, member, arrival):
        return leg, arrival
    subnet = ctx.subnet_holding(member, ctx.destination)
    if subnet is None:
        leg.add(
            Hop.at(
                "virtual network",
                member,
                f"no subnet of {member.name} holds {ctx.destination}",
                DROP,
                _no_answer_rule(ctx, member),
            )
        )
        return leg, arrival
    arrival.subnet = subnet
    if not leg.add(ctx.nsg_hop(subnet, member, ctx.source, ctx.destination)):
        return leg, arrival
    leg.arrived = leg.add(_endpoint_hop(ctx, member))
    return leg, arrival


def _onprem_hop(ctx: TraceContext) -> Hop:
    config = ctx.config
    for prefix, origin in zip(config.onprem_prefixes, config.onprem_origins, strict=False):
        if ctx.source.version == prefix.version and ctx.source in prefix:
            return Hop("on-premises", f"on-premises {ctx.source}", f"inside on-premises range {prefix}", origin=origin)
    ranges = ", ".join(map(str, config.onprem_prefixes)) or "none configured"
    return Hop(
        "on-premises",
        f"on-premises {ctx.source}",
        f"not inside the configured on-premises ranges ({ranges}): traced as if the circuit carried it",
        verdict=UNKNOWN,
    )


def _circuit_hop(ctx: TraceContext, winner: Advertisement, ranked: list[Advertisement]) -> Hop:
    detail = f"best route {winner.prefix} via {winner.next_hop_text}, AS path {winner.path_text} ({winner.how})"
    other = next((r for r in ranked if r.gateway_id != winner.gateway_id), None)
    kind = None
    if other is not None:
        decided_by, comparison = decide(winner, other)
        detail += f"; beats {other.next_hop_text} ({other.gateway_label}) by {decided_by}: {comparison}"
        if decided_by == TIE_BREAK:
            detail += " [lowest-next-hop tie-break: observed, not documented]"
            kind = "observed"
        else:
            kind = "assumed" if decided_by in ("AS path length", "weight", "local preference") else None
    return Hop(
        "circuit",
        ctx.circuit.label,
        detail,
        ctx.circuit.id,
        winner.origin,
        kind=kind,
        findings=ctx.codes(ctx.circuit.id),
    )


def _landing(ctx: TraceContext, route: Advertisement) -> VirtualNetwork | None:
    """The VNet the route's traffic lands in: its first member still up in this view."""
    for member_id in route.members:
        vnet = ctx.topology.virtual_networks.find(member_id)
        if vnet is not None and not ctx.failed(vnet.id, vnet.region):
            return vnet
    return None


def _gateway_hops(ctx: TraceContext, leg: Leg, route: Advertisement, arrival: Arrival) -> bool:
    topology = ctx.topology
    gateway = topology.vnet_gateways.find(route.gateway_id)
    if gateway is not None:
        arrival.region = gateway.region
        hub_vnet = topology.virtual_networks.find(gateway.vnet_id)
        where = f" in hub VNet {hub_vnet.name}" if hub_vnet else ""
        return leg.add(
            Hop.at(
                "gateway",
                gateway,
                f"ExpressRoute gateway{where} ({gateway.region or 'region unknown'}), instance {route.next_hop_text}",
                findings=ctx.codes(gateway.id),
            )
        )
    er_gateway = topology.er_gateways.find(route.gateway_id)
    if er_gateway is None:
        return leg.add(
            Hop("gateway", route.gateway_label, "gateway not in the input", route.gateway_id, verdict=UNKNOWN)
        )
    hub = topology.virtual_hubs.find(er_gateway.hub_id)
    arrival.region = hub.region if hub else er_gateway.region
    leg.add(
        Hop.at(
            "gateway",
            er_gateway,
            f"ExpressRoute gateway of hub {hub.name if hub else '?'} ({arrival.region or 'region unknown'}), "
            f"instance {route.next_hop_text}",
            findings=ctx.codes(er_gateway.id),
        )
    )
    return True


def _into_member(ctx: TraceContext, leg: Leg, route: Advertisement, member: VirtualNetwork, arrival: Arrival) -> bool:
    """From the gateway (or hub) to the member VNet: gateway transit, or hub connection, static route,
    forwarder and peering."""
    topology = ctx.topology
    gateway = topology.vnet_gateways.find(route.gateway_id)
    if gateway is not None:  # design A: the member is the hub VNet, or a spoke using its gateway
        if gateway.vnet_id and id_key(gateway.vnet_id) == id_key(member.id):
            return True
        peering = next(
            (
                p
                for p in member.peerings
                if p.remote_vnet_id and id_key(p.remote_vnet_id) == id_key(gateway.vnet_id or "")
            ),
            None,
        )
        if peering is None:
            return leg.add(Hop.at("peering", member, "no peering to the gateway's hub", DROP, "AC204"))
        return leg.add(
            Hop.at(
                "peering",
                peering,
                f"gateway transit: {member.name} uses the hub's gateway (useRemoteGateways), state {peering.state}",
                kind="observed",
                findings=ctx.codes(peering.id),
            )
        )
    connection = _hub_connection(ctx, route, member)
    if connection is None:
        return leg.add(
            Hop(
                "hub",
                route.gateway_label,
                f"no hub connection leads to {member.name}",
                route.gateway_id,
                route.origin,
                UNKNOWN,
            )
        )
    hub = topology.virtual_hubs.find(connection.hub_id)
    _hub_hops(ctx, leg, route, hub)
    if connection.remote_vnet_id and id_key(connection.remote_vnet_id) == id_key(member.id):
        return leg.add(
            Hop.at(
                "hub connection",
                connection,
                f"{member.name} is connected to hub {hub.name if hub else '?'} directly",
                findings=ctx.codes(connection.id),
            )
        )
    static = _static_route(connection, member)
    if static is None:
        return leg.add(
            Hop(
                "hub connection",
                connection.label,
                f"no static route covers {member.name}",
                connection.id,
                connection.routing.origin,
                DROP,
                "AC202",
            )
        )
    leg.add(
        Hop(
            "static route",
            connection.label,
            f"static route '{static.name}' {', '.join(map(str, static.address_prefixes))} -> {static.next_hop_text}",
            connection.id,
            static.origin,
            kind="documented",
            findings=ctx.codes(connection.id),
        )
    )
    if static.next_hop_ip is None:
        return leg.add(Hop("forwarder", "unknown forwarder", static.next_hop_text, verdict=UNKNOWN))
    arrival.forwarder_ip = str(static.next_hop_ip)
    if not _forwarder_hops(ctx, leg, member, static.next_hop_ip, connection.remote_vnet_id, arrival):
        return False
    return _transit_peering(ctx, leg, member, connection.remote_vnet_id)


def _forwarder_hops(
    ctx: TraceContext, leg: Leg, member: VirtualNetwork, address: IPAddress, transit_id: str | None, arrival: Arrival
) -> bool:
    """The forwarder at the static route's next hop (a firewall, an NVA, a NIC with IP forwarding), then the
    NSG of its subnet on the way in; its own rule set is not in the model, so that part is unknown."""
    transit = ctx.topology.virtual_networks.find(transit_id)
    forwarder = ctx.forwarder_at(address)
    arrival.forwarder = forwarder
    labels = forwarder_ips(ctx.topology, transit) if transit else {}
    if forwarder is not None and ctx.failed(forwarder.id, forwarder.region):
        return leg.add(Hop.at("forwarder", forwarder, "failed (--fail)", DROP))
    if forwarder is None and address not in labels:
        leg.add(
            Hop(
                "forwarder",
                f"next hop {address}",
                "no firewall, NVA or forwarding NIC has this address",
                verdict=UNKNOWN,
            )
        )
        return True
    leg.add(
        Hop(
            "forwarder",
            forwarder.label if forwarder else labels[address],
            f"forwards {ctx.source} -> {ctx.destination} to {member.name}; its own rules are not in the model: whether "
            f"it allows the flow is unknown",
            forwarder.id if forwarder else None,
            forwarder.origin if forwarder else None,
            UNKNOWN,
            findings=ctx.codes(forwarder.id) if forwarder else (),
        )
    )
    subnet = ctx.subnet_holding(transit, address) if transit else None
    if transit is None or subnet is None or not subnet.nsg_id:
        return True
    return leg.add(ctx.nsg_hop(subnet, transit, ctx.source, ctx.destination))


def _hub_connection(
    ctx: TraceContext, route: Advertisement, member: VirtualNetwork
) -> HubVirtualNetworkConnection | None:
    """The hub VNet connection the winning route comes from: the one it depends on that leads to the member."""
    candidates = [c for c in ctx.topology.hub_connections.values() if id_key(c.id) in route.depends_on]
    targets = {id_key(member.id)} | {id_key(link.transit.id) for link in transit_links(ctx.topology, member)}
    for connection in candidates:
        if connection.remote_vnet_id and id_key(connection.remote_vnet_id) in targets:
            return connection
    direct = directly_connected(ctx.topology, member)
    return candidates[0] if candidates else (direct[0] if direct else None)


def _static_route(connection: HubVirtualNetworkConnection, member: VirtualNetwork) -> StaticRoute | None:
    for prefix in member.address_prefixes:
        found = covering_static_routes(connection, prefix)
        if found:
            return found[0]
    return None


def _hub_hops(ctx: TraceContext, leg: Leg, route: Advertisement, hub: VirtualHub | None) -> None:
    """The virtual hub that holds the route; a route learned from another hub crosses the hub-to-hub link."""
    er_gateway = ctx.topology.er_gateways.find(route.gateway_id)
    edge_hub = ctx.topology.virtual_hubs.find(er_gateway.hub_id) if er_gateway else None
    if hub is None:
        return
    if edge_hub is not None and id_key(edge_hub.id) != id_key(hub.id):
        leg.add(
            Hop.at(
                "hub",
                edge_hub,
                f"learned from hub {hub.name} (AS path 65520 65520): forwards over the hub-to-hub link",
                kind="observed",
                findings=ctx.codes(edge_hub.id),
            )
        )
    leg.add(
        Hop.at(
            "hub",
            hub,
            f"virtual hub ({hub.region or 'region unknown'}) routes {ctx.destination} by its connection's static route",
            kind="documented",
            findings=ctx.codes(hub.id),
        )
    )


def _transit_peering(ctx: TraceContext, leg: Leg, member: VirtualNetwork, transit_id: str | None) -> bool:
    """The member's peering with the transit VNet the static route leads to must be Connected both ways and
    take forwarded traffic (the same conditions AC205 checks)."""
    transit = ctx.topology.virtual_networks.find(transit_id)
    peering = next(
        (p for p in member.peerings if transit and p.remote_vnet_id and id_key(p.remote_vnet_id) == id_key(transit.id)),
        None,
    )
    if transit is None or peering is None:
        return leg.add(Hop.at("peering", member, "no peering to the transit VNet", DROP, "AC205"))
    back = next(
        (p for p in transit.peerings if p.remote_vnet_id and id_key(p.remote_vnet_id) == id_key(member.id)), None
    )
    codes = ctx.codes(peering.id)
    if not peering.connected or back is None or not back.connected:
        state = peering.state if back is None or peering.connected else back.state
        return leg.add(
            Hop.at(
                "peering",
                peering,
                f"not Connected both ways ({state if back else 'no peering back'}): the forwarder cannot deliver",
                DROP,
                "AC205",
                findings=codes,
            )
        )
    if not peering.allow_forwarded_traffic:
        return leg.add(
            Hop.at(
                "peering",
                peering,
                f"does not allow forwarded traffic: the packet from the forwarder in {transit.name} is dropped",
                DROP,
                "AC205",
                findings=codes,
            )
        )
    return leg.add(
        Hop.at(
            "peering",
            peering,
            f"{transit.name} -> {member.name}: Connected, allows forwarded traffic",
            findings=codes,
        )
    )


def _endpoint_hop(ctx: TraceContext, member: VirtualNetwork) -> Hop:
    for subnet, address, owner in ctx.topology.addresses_in(member):
        if address == ctx.destination:
            return Hop.at(
                "endpoint",
                owner,
                f"answers on {address} in {subnet.label}",
                findings=ctx.codes(owner.id),
            )
    if not ctx.vip:  # any address: the input need not hold every server that may answer on it
        return Hop.at(
            "endpoint",
            member,
            f"no endpoint of the input answers on {ctx.destination}",
            UNKNOWN,
        )
    return Hop.at(
        "endpoint",
        member,
        f"nothing in {member.name} answers on {ctx.destination}",
        DROP,
        _no_answer_rule(ctx, member),
        findings=ctx.codes(member.id),
    )


def _no_answer_rule(ctx: TraceContext, vnet: VirtualNetwork) -> str:
    """Why nothing answers in the VNet the route led to: a VNet outside the service that overlaps its range
    drew the flow (AC101, which the scan reports on it), else a member without the VIP (AC104)."""
    return "AC101" if "AC101" in ctx.codes(vnet.id) else "AC104"

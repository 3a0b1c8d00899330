"""Why a VNet reaches no ExpressRoute circuit: the first broken link, or what the input cannot tell.

The answer is one of (kind, reason, where):
- `path`: a link the input shows broken (a peering not Connected, a gateway-transit flag missing, a gateway
  without a connection): AC204's error;
- `static-route`: an indirect spoke's static route missing or not propagated: AC202/AC203 say it precisely;
- `unknown`: reached only by a hub route table static route whose advertisement Microsoft does not document
  (see hub_static.py): AC203's note;
- `not-covered`: the link runs through a kind of resource the input does not cover (a list of VNets holds no
  gateways), or through a resource outside the input that the input itself says exists: AC204's note.
  Absent is not broken (coverage.py).

Evidence outweighs a listing: Azure accepts `useRemoteGateways` on a peering only when the remote VNet has a
gateway (documented: "Configure VPN gateway transit for virtual network peering", and the peering's
UseRemoteGateways setting), and a peering named `HV_…`/`RemoteVnetToHubPeering…` is the one a virtual hub
connection creates; so a Connected peering that says so proves a gateway or hub connection that the input
lacks, unless the design is complete by its author's declaration (a native topology), where the author's
omission is the design's error.
"""

from __future__ import annotations

from anycast_lint.model.coverage import holds_no
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import HubVirtualNetworkConnection, Resource, Topology, VirtualNetwork
from anycast_lint.routing.hub_static import NOT_DOCUMENTED, option_two_to
from anycast_lint.routing.reach_index import ReachIndex

PATH, STATIC_ROUTE, UNKNOWN, NOT_COVERED = "path", "static-route", "unknown", "not-covered"
Why = tuple[str, str, Resource | None]


def why_not(topology: Topology, vnet: VirtualNetwork, index: ReachIndex) -> Why:
    """(kind, reason, where): the first broken link on the way from `vnet` to a circuit, in words an engineer
    can act on, and the resource to change (None: the VNet itself, where a peering is missing)."""
    connections = index.hub_connections(vnet)
    if connections:
        return _why_not_hub(topology, connections[0], index)
    transits = index.transits(vnet)
    if transits:
        option_two = option_two_to(topology, tuple(transits), vnet.address_prefixes, index.table_static_routes)
        if option_two:
            reason = (
                f"it is reached only through {option_two[0].label}, a static route in a hub route table "
                f"('option 2'): {NOT_DOCUMENTED}"
            )
            return UNKNOWN, reason, option_two[0].table
        kind, reason = _why_not_indirect(topology, vnet, transits, index)
        return kind, reason, None
    return _why_not_peered(topology, vnet, index)


def _why_not_hub(topology: Topology, connection: HubVirtualNetworkConnection, index: ReachIndex) -> Why:
    """A VNet connected to a virtual hub directly: the hub needs an ExpressRoute gateway connected to a circuit
    whose connection learns the VNet's routes."""
    hub = topology.virtual_hubs.find(connection.hub_id)
    coverage = topology.coverage
    if hub is None:
        reason = f"it is connected to virtual hub {id_name(connection.hub_id)}, which is not in the input"
        return NOT_COVERED, reason, connection
    gateways = index.hub_er_gateways(hub)
    if not gateways and coverage.missing("er_gateways"):
        reason = f"it is connected to virtual hub {hub.name}, and {holds_no(['er_gateways'])}"
        return NOT_COVERED, reason, connection
    if gateways and not any(index.er_connected(g) for g in gateways) and coverage.missing("er_connections"):
        reason = f"it is connected to virtual hub {hub.name}, and {holds_no(['er_connections'])}"
        return NOT_COVERED, reason, connection
    reason = f"it is connected to a virtual hub ({connection.name}) but no ExpressRoute connection learns its routes"
    return PATH, reason, connection


def _why_not_peered(topology: Topology, vnet: VirtualNetwork, index: ReachIndex) -> Why:
    """Design A: a spoke reaches a circuit through the gateway of a hub it peers with (gateway transit). The
    first link the input shows broken is the answer; links through what the input does not hold are
    gathered, and the answer is "cannot tell" when nothing shows a break."""
    coverage = topology.coverage
    unread = vnet.unknown("peerings")
    if unread is not None:  # a template's peering list it could not evaluate: the way may run through it
        return UNKNOWN, f"its peerings are unknown ({unread.reason})", None  # AC001 notes it: one finding
    evidence: list[str] = []
    for peering in vnet.peerings:
        remote = topology.virtual_networks.find(peering.remote_vnet_id)
        if remote is None:
            if peering.remote_vnet_id and (peering.use_remote_gateways or coverage.missing("hub_connections")):
                uses = " uses its gateway, but" if peering.use_remote_gateways else ""
                evidence.append(
                    f"its peering {peering.name} to {id_name(peering.remote_vnet_id)}{uses} is not in the input"
                )
            continue
        gateways = index.gateways(remote)
        if not any(g.gateway_type == "ExpressRoute" for g in gateways):
            if peering.use_remote_gateways and not coverage.declared:
                evidence.append(
                    f"its peering {peering.name} sets useRemoteGateways, which Azure accepts only when "
                    f"{remote.name} has a gateway, and the input holds none there"
                )
            elif any(p.to_vwan_hub for p in remote.peerings) and not index.hub_connections(remote):
                hub_peering = next(p.name for p in remote.peerings if p.to_vwan_hub)
                evidence.append(
                    f"it peers with {remote.name}, which a virtual hub connection reaches (its peering "
                    f"{hub_peering}), and the hub connection is not in the input"
                )
            continue
        back = index.back(remote, vnet)
        if not peering.connected:
            return PATH, f"its peering {peering.name} to {remote.name} is {peering.state}, not Connected", peering
        if back is None:
            return PATH, f"{remote.name} has no peering back to it", remote
        if not back.connected:
            return PATH, f"{remote.name}'s peering {back.name} is {back.state}, not Connected", back
        if not peering.use_remote_gateways:
            return PATH, f"its peering {peering.name} to {remote.name} does not set useRemoteGateways", peering
        if not back.allow_gateway_transit:
            return PATH, f"{remote.name}'s peering {back.name} does not set allowGatewayTransit", back
        if not any(index.connected(g) for g in gateways):
            if coverage.missing("gateway_connections"):
                first = next(g for g in gateways if g.gateway_type == "ExpressRoute")
                evidence.append(
                    f"gateway {first.name} in {remote.name} is there, and {holds_no(['gateway_connections'])}"
                )
                continue
            reason = f"gateway {gateways[0].name} in {remote.name} has no connection to an ExpressRoute circuit"
            return PATH, reason, gateways[0]
    unanswered = _unanswered_transit(topology, vnet, index)
    if unanswered is not None:
        return unanswered
    gateways = index.gateways(vnet)
    if gateways:
        if coverage.missing("gateway_connections"):
            return (
                NOT_COVERED,
                f"its gateway {gateways[0].name} is there, and {holds_no(['gateway_connections'])}",
                None,
            )
        return PATH, f"its gateway {gateways[0].name} has no connection to an ExpressRoute circuit", gateways[0]
    if evidence:
        return NOT_COVERED, "; ".join(evidence), None
    missing = coverage.missing("vnet_gateways", "hub_connections")
    if missing:
        return NOT_COVERED, f"no peering in the input leads to a gateway, and {holds_no(missing)}", None
    reason = "no peering to a hub with an ExpressRoute gateway, and no virtual hub connection, reaches it"
    return PATH, reason, None


def _unanswered_transit(topology: Topology, vnet: VirtualNetwork, index: ReachIndex) -> Why | None:
    """A hub with an ExpressRoute gateway offers gateway transit to the VNet, which has no peering back: the
    hub's peering stays Initiated (documented: a peering is Connected only once both sides exist), a broken
    link the input shows, whatever else it lacks."""
    for remote, offered in topology.peerings_by_remote.get(id_key(vnet.id), ()):
        if not offered.allow_gateway_transit or index.back(vnet, remote) is not None:
            continue
        if any(g.gateway_type == "ExpressRoute" for g in index.gateways(remote)):
            reason = f"{remote.name}'s peering {offered.name} offers its gateway, but {vnet.name} has no peering back"
            return PATH, reason, None
    return None


def _why_not_indirect(
    topology: Topology, vnet: VirtualNetwork, transits: list[HubVirtualNetworkConnection], index: ReachIndex
) -> tuple[str, str]:
    """Design B: an indirect spoke is learned from a propagated static route on its transit's hub connection."""
    unread = [c for c in transits if topology.virtual_networks.find(c.remote_vnet_id) is None]
    if len(unread) == len(transits):  # the static route's traffic lands in the transit's peers: none are known
        transit = id_name(unread[0].remote_vnet_id or "")
        reason = f"it peers with {transit}, which {unread[0].name} connects to a hub, and {transit} is not in the input"
        return NOT_COVERED, reason
    prefixes = ", ".join(map(str, vnet.address_prefixes))
    covering = [
        (c, r)
        for c in transits
        for r in c.routing.static_routes
        if any(p.version == q.version and q.subnet_of(p) for p in r.address_prefixes for q in vnet.address_prefixes)  # type: ignore[arg-type]
    ]
    if not covering:
        return (
            STATIC_ROUTE,
            f"it is an indirect spoke behind {transits[0].name}, but no static route there covers {prefixes}",
        )
    propagated = [(c, r) for c, r in covering if c.routing.propagate_static_routes]
    if not propagated:
        connection, route = covering[0]
        return STATIC_ROUTE, (
            f"static route '{route.name}' on {connection.name} is not propagated (propagateStaticRoutes is "
            f"{connection.routing.propagate_static_routes})"
        )
    coverage = topology.coverage
    for connection, _ in propagated:
        hub = topology.virtual_hubs.find(connection.hub_id)
        gateway = topology.er_gateways.find(hub.er_gateway_id) if hub else None
        gateways = [gateway] if gateway else index.hub_er_gateways(hub) if hub else []
        if not any(index.er_connected(g) for g in gateways):  # looked up: walking every connection was quadratic
            name = hub.name if hub else id_name(connection.hub_id)  # a hub outside the input: its name
            if hub is None:
                return NOT_COVERED, f"its static route is on a connection of hub {name}, which is not in the input"
            missing = coverage.missing("er_gateways") if not gateways else coverage.missing("er_connections")
            if missing:
                return NOT_COVERED, f"its static route is on a connection of hub {name}, and {holds_no(missing)}"
            return PATH, f"hub {name} has no ExpressRoute gateway connected to a circuit"
    connection = propagated[0][0]
    return STATIC_ROUTE, (
        f"static routes on {connection.name} propagate to route tables that no ExpressRoute connection learns from"
    )

"""What each ExpressRoute circuit learns: one route per gateway instance per prefix.

Design A (self-managed hub and spoke): an ExpressRoute virtual network gateway in a hub VNet, linked to
the circuit by a connection, advertises the hub's address space and every spoke that peers with the
hub using its gateway (spoke side `useRemoteGateways`, hub side `allowGatewayTransit`, both Connected)
(documented: ExpressRoute FAQ, "How are VNets advertised on ExpressRoute Private Peering?"), with AS path
`65515` from each gateway instance (observed: the field report's tables).

Design B (Virtual WAN): a hub's ExpressRoute gateway advertises, on each ExpressRoute connection, the
routes of the hub route table that connection is associated with. Routes get there from VNet
connections that propagate into the table (by id or label, labels spanning the hubs of one WAN): the
connected VNet's address space and, with `propagateStaticRoutes`, its static routes. The VNet
connection's inbound route map and the ExpressRoute connection's outbound route map apply in that
order, then the hub prepends its router ASN. The hub's own address prefix is advertised too.

Every advertisement records what it depends on (VNets, hubs, gateways, connections, regions), so a
what-if failure is just a filter, and every member that is *not* advertised gets the reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    HubVirtualNetworkConnection,
    IPAddress,
    IPNetwork,
    Peering,
    Resource,
    RouteMap,
    Topology,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
)
from anycast_lint.routing.asns import is_reserved
from anycast_lint.routing.intent import intent_entries
from anycast_lint.routing.reach_index import ReachIndex
from anycast_lint.routing.routemaps import HubRoute, apply_route_map
from anycast_lint.routing.why_not import why_not

AZURE_ASN = 65515
# The AS path Virtual WAN puts on routes learned from another hub (documented: "Virtual WAN routing deep dive").
HUB_TO_HUB = (65520, 65520)
GATEWAY_FIRST_HOST = 4  # Azure keeps .0-.3 of a subnet; gateway instances start at .4


@lru_cache(maxsize=4096)
def region_key(region: str | None) -> str:
    """The failure key of a region (memoised: every route of a large scan names one of a few regions)."""
    return f"region:{(region or '').lower()}"


class Advertisement(NamedTuple):
    """One route as one ExpressRoute edge router (MSEE) receives it.

    Immutable like the other records, but a NamedTuple: a scan of 10,000 VNets builds 40,000 of them, and a
    tuple is built in C, three times faster than a frozen dataclass that sets each field in Python.
    """

    circuit_id: str
    prefix: IPNetwork
    next_hop: IPAddress | None
    as_path: tuple[int, ...]
    gateway_id: str
    gateway_label: str
    origin: Origin
    members: tuple[str, ...] = ()  # VNets the traffic lands in
    depends_on: frozenset[str] = frozenset()
    next_hop_predicted: bool = False  # from the GatewaySubnet, marked `?`
    next_hop_observed: bool = False  # taken from a captured route table (the design does not declare it)
    weight: int = 0
    local_preference: int = 100
    communities: frozenset[str] = frozenset()
    how: str = ""  # one line: how the route gets here ("spoke dns-01 via gateway transit")
    # Virtual WAN: the hub advertises one of the routes its table holds for a prefix. Every candidate is
    # kept, with the hub's preference (`hub_rank`, lower wins) within its `hub_slot`; a routing view picks
    # the best candidate that survives its failures, so a failure can bring a route learned from another
    # hub to the edge (the hub re-chooses: it does not just lose routes).
    hub_slot: tuple[str, IPNetwork] | None = None  # (ExpressRoute connection key, prefix in the hub)
    hub_rank: tuple[int, int, int] = (0, 0, 0)
    global_reach: str | None = None  # the circuit this edge learned the route from over Global Reach
    from_other_hub: bool = False  # a Virtual WAN hub's route it learned from another hub (65520 65520)

    @property
    def path_text(self) -> str:
        return " ".join(str(asn) for asn in self.as_path)

    @property
    def next_hop_text(self) -> str:
        if self.next_hop is None:
            return "unknown"
        return f"{self.next_hop}?" if self.next_hop_predicted else str(self.next_hop)


@dataclass(frozen=True, slots=True)
class NotAdvertised:
    """A VNet whose address space reaches no circuit, and why.

    `kind` is "static-route" when an indirect spoke's static route is missing or not propagated
    (AC202/AC203 say it precisely), "unknown" when it is reached only by a hub route table static route
    whose advertisement to ExpressRoute is not documented (see hub_static.py), "not-covered" when the way
    runs through what the input does not hold (AC204's note, see why_not.py), else "path" (AC204's error).
    """

    vnet_id: str
    reason: str
    origin: Origin
    kind: str = "path"
    where: Resource | None = None  # what must change (a peering, a gateway, a hub connection); None: the VNet

    @property
    def unknown(self) -> bool:
        """Whether the model cannot tell if the VNet is advertised (rather than knowing it is not)."""
        return self.kind in ("unknown", "not-covered")


@dataclass(frozen=True, slots=True)
class Refused:
    """A route a hub sends to its ExpressRoute connection that the edge does not accept: a route map put an
    ASN reserved by Azure into its AS path (12076 is the edge's own: BGP loop prevention drops it; the
    route-maps page says not to use any of them, see asns.py). The route is not a candidate at the edge,
    so the hub's next choice, or another hub's route, is what the edge gets."""

    circuit_id: str
    connection_id: str
    prefix: IPNetwork
    as_path: tuple[int, ...]
    members: tuple[str, ...]
    reserved: tuple[tuple[int, str], ...]  # (ASN, route map id)
    how: str
    remote: bool  # the hub learned it from another hub (that hub's own connection still advertises it)


@dataclass
class Advertisements:
    routes: list[Advertisement] = field(default_factory=list)
    not_advertised: list[NotAdvertised] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)


def gateway_instances(gateway: VirtualNetworkGateway, topology: Topology) -> tuple[list[IPAddress], str]:
    """Instance addresses and where they come from ("declared", "observed", "predicted").

    Declared: the gateway's BGP peering addresses. Observed: the next hops inside the GatewaySubnet of a
    captured route table (AC306 input). Predicted: `.4`/`.5` of the GatewaySubnet (Azure keeps `.0`-`.3` of
    a subnet; the first usable addresses). The prediction is known to be unreliable: the field report
    observed `.12`/`.13` (192.168.128.12/.13, 192.168.130.12/.13) in both of its designs, so predicted
    addresses are marked `?` and compared by hub, not by address (AC306).
    """
    if gateway.bgp_peering_addresses:
        return list(gateway.bgp_peering_addresses), "declared"
    vnet = topology.virtual_networks.find(gateway.vnet_id)
    subnet = next((s for s in vnet.subnets if s.name.lower() == "gatewaysubnet"), None) if vnet else None
    if subnet is None or not subnet.address_prefixes:
        return [], "predicted"
    network = subnet.address_prefixes[0]
    observed = observed_next_hops(topology, network)
    if observed:
        return observed, "observed"
    return [
        network.network_address + GATEWAY_FIRST_HOST,
        network.network_address + GATEWAY_FIRST_HOST + 1,
    ], "predicted"


def observed_next_hops(topology: Topology, network: IPNetwork, excluded: tuple[IPAddress, ...] = ()) -> list[IPAddress]:
    """The next hops inside `network` that captured route tables show: a gateway's instance addresses."""
    found = {
        route.next_hop
        for table in topology.observed_route_tables
        for route in table.routes
        if route.next_hop is not None and route.next_hop.version == network.version and route.next_hop in network
    }
    return sorted(found - set(excluded), key=int)


def _hops(instances: list[IPAddress]) -> list[IPAddress | None]:
    """One route per gateway instance; a single route with an unknown next hop when none is known."""
    return list(instances) if instances else [None]


def compute(topology: Topology) -> Advertisements:
    result = Advertisements()
    reached: set[str] = set()
    _design_a(topology, result, reached)
    _design_b(topology, result, reached)
    _explain_missing(topology, result, reached)
    return result


# --- Design A ---------------------------------------------------------------------------------------


def _spokes_using_gateway(topology: Topology, hub: VirtualNetwork) -> list[tuple[VirtualNetwork, str, str]]:
    """(spoke, spoke id key, peering id) for the spokes that reach the circuit through `hub`'s gateway."""
    back_by_spoke: dict[str, Peering] = {}
    for hub_side in hub.peerings:
        if hub_side.remote_vnet_id:
            back_by_spoke.setdefault(id_key(hub_side.remote_vnet_id), hub_side)
    spokes = []
    for spoke, peering in topology.peerings_by_remote.get(id_key(hub.id), ()):
        if not peering.use_remote_gateways:
            continue
        key = id_key(spoke.id)
        back = back_by_spoke.get(key)
        if peering.connected and back is not None and back.connected and back.allow_gateway_transit:
            spokes.append((spoke, key, peering.id))
    return spokes


def _design_a(topology: Topology, result: Advertisements, reached: set[str]) -> None:
    advertised: dict[str, HubAdvertised] = {}  # per hub VNet: what its gateway advertises, on every circuit
    for connection in topology.gateway_connections.values():
        circuit = topology.circuits.find(connection.circuit_id)
        gateway = topology.vnet_gateways.find(connection.gateway_id)
        if circuit is None or gateway is None or connection.connection_type != "ExpressRoute":
            continue
        if gateway.gateway_type != "ExpressRoute":
            continue
        hub = topology.virtual_networks.find(gateway.vnet_id)
        if hub is None:
            continue
        instances, source = gateway_instances(gateway, topology)
        asn = gateway.asn or AZURE_ASN
        hub_key = id_key(hub.id)
        base = frozenset(
            {
                id_key(gateway.id),
                id_key(connection.id),
                hub_key,
                region_key(hub.region),
                region_key(gateway.region),
            }
        )
        label = f"gateway '{gateway.name}' in {hub.name}"
        if hub_key not in advertised:
            advertised[hub_key] = _hub_advertised(topology, hub)
        spoke_keys, prefixes = advertised[hub_key]
        reached.add(hub_key)
        reached.update(spoke_keys)
        hops = [(hop, source == "predicted" and hop is not None) for hop in _hops(instances)]
        for prefix, members, own, origin, how in prefixes:
            deps = base | own if own else base
            for hop, predicted in hops:
                result.routes.append(
                    Advertisement(
                        circuit_id=circuit.id,
                        prefix=prefix,
                        next_hop=hop,
                        next_hop_predicted=predicted,
                        next_hop_observed=source == "observed",
                        as_path=(asn,),
                        gateway_id=gateway.id,
                        gateway_label=label,
                        origin=origin,
                        members=members,
                        depends_on=deps,
                        how=how,
                    )
                )


GatewayPrefix = tuple[IPNetwork, tuple[str, ...], frozenset[str], Origin, str]
HubAdvertised = tuple[list[str], list[GatewayPrefix]]  # (keys of the spokes it reaches, its gateway prefixes)


def _hub_advertised(topology: Topology, hub: VirtualNetwork) -> HubAdvertised:
    """What a hub VNet's gateway advertises, the same on every connection (computed once per hub): the
    spokes using the gateway, each with what its routes depend on besides the gateway's connection."""
    spokes = _spokes_using_gateway(topology, hub)
    dependencies = [
        (spoke, frozenset({key, id_key(peering_id), region_key(spoke.region)})) for spoke, key, peering_id in spokes
    ]
    return [key for _, key, _ in spokes], _gateway_prefixes(hub, dependencies)


def _gateway_prefixes(hub: VirtualNetwork, spokes: list[tuple[VirtualNetwork, frozenset[str]]]) -> list[GatewayPrefix]:
    """(prefix, members, depends on besides the connection, origin, how) of every prefix a hub's gateway
    advertises.

    Documented ("Advertised gateway prefixes in Azure virtual networks",
    learn.microsoft.com/azure/virtual-network/advertised-gateway-prefixes-overview): by default the hub's
    address space and every peered spoke's; with `summarizedGatewayPrefixes` on the hub the gateway
    ignores the hub's address space and publishes the summaries instead, and a spoke's address space that
    a summary covers is not advertised. A summary lands in the spokes it covers (the first still up), and
    stays advertised when they fail: it depends on the hub and its gateway only.
    """
    summaries = hub.summarized_gateway_prefixes
    found: list[GatewayPrefix] = []
    nothing: frozenset[str] = frozenset()
    if not summaries:
        found += [
            (prefix, (hub.id,), nothing, hub.prefix_origin(i), f"hub {hub.name}'s own address space")
            for i, prefix in enumerate(hub.address_prefixes)
        ]
    covered: dict[IPNetwork, list[str]] = {s: [] for s in summaries}
    for spoke, deps in spokes:
        for index, prefix in enumerate(spoke.address_prefixes):
            summary = _covering(summaries, prefix) if summaries else None
            if summary is not None:
                covered[summary].append(spoke.id)
                continue
            how = f"spoke {spoke.name} via gateway transit from {hub.name}"
            found.append((prefix, (spoke.id,), deps, spoke.prefix_origin(index), how))
    for index, summary in enumerate(summaries):
        members = tuple(dict.fromkeys(covered[summary])) or (hub.id,)
        origin = hub.summary_origins[index] if index < len(hub.summary_origins) else hub.origin
        found.append((summary, members, nothing, origin, f"summarizedGatewayPrefixes {summary} of hub {hub.name}"))
    return found


def _covering(summaries: tuple[IPNetwork, ...], prefix: IPNetwork) -> IPNetwork | None:
    """The first summary that covers `prefix`."""
    return next((s for s in summaries if s.version == prefix.version and prefix.subnet_of(s)), None)  # type: ignore[arg-type]


# --- Design B ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _TableEntry:
    route: HubRoute
    members: tuple[str, ...]
    depends_on: frozenset[str]
    origin: Origin
    how: str
    remote: bool  # learned from another hub of the WAN


def _static_route_members(
    topology: Topology, connection: HubVirtualNetworkConnection, prefix: IPNetwork
) -> list[VirtualNetwork]:
    """The VNets a static route's traffic can land in: the transit VNet itself if it holds the prefix,
    else VNets peered with the transit VNet whose address space overlaps the prefix."""
    transit = topology.virtual_networks.find(connection.remote_vnet_id)
    if transit is None:
        return []
    if any(p.version == prefix.version and p.overlaps(prefix) for p in transit.address_prefixes):
        return [transit]
    found = []
    for peering in transit.peerings:
        remote = topology.virtual_networks.find(peering.remote_vnet_id)
        if remote is None or not peering.connected:
            continue
        back = next(
            (p for p in remote.peerings if p.remote_vnet_id and id_key(p.remote_vnet_id) == id_key(transit.id)), None
        )
        if (
            back is not None
            and back.connected
            and any(p.version == prefix.version and p.overlaps(prefix) for p in remote.address_prefixes)
        ):
            found.append(remote)
    return found


def _connection_entries(
    topology: Topology, connection: HubVirtualNetworkConnection, hub: VirtualHub
) -> list[_TableEntry]:
    """Routes a VNet connection brings into the hub, after its inbound route map."""
    remote = topology.virtual_networks.find(connection.remote_vnet_id)
    if remote is None:
        return []
    base = {
        id_key(connection.id),
        id_key(hub.id),
        id_key(remote.id),
        region_key(hub.region),
        region_key(remote.region),
    }
    entries = []
    for index, prefix in enumerate(remote.address_prefixes):
        entries.append(
            _TableEntry(
                HubRoute(prefix),
                (remote.id,),
                frozenset(base),
                remote.prefix_origin(index),
                f"VNet {remote.name} connected to hub {hub.name}",
                False,
            )
        )
    if connection.routing.propagate_static_routes:
        for static in connection.routing.static_routes:
            for prefix in static.address_prefixes:
                members = _static_route_members(topology, connection, prefix)
                # A member fails together with the static routes that exist only for it: Azure does
                # not withdraw a static route by itself, so failing over means removing it (see AC304).
                deps = frozenset(base | {id_key(m.id) for m in members} | {region_key(m.region) for m in members})
                entries.append(
                    _TableEntry(
                        HubRoute(prefix),
                        tuple(m.id for m in members),
                        deps,
                        static.origin,
                        f"static route '{static.name}' on {connection.name} to {static.next_hop_text}",
                        False,
                    )
                )
    route_map = topology.route_maps.find(connection.routing.inbound_route_map_id)
    if route_map is None:
        return entries
    return [entry for entry, _ in _mapped([(entry, (0, 0, 0)) for entry in entries], route_map)]


Ranked = list[tuple["_TableEntry", tuple[int, int, int]]]


def _mapped(entries: Ranked, route_map: RouteMap) -> Ranked:
    """The entries after a route map. Routes it summarises into one prefix become one entry: it lands
    where its contributors land (best-ranked first), and it is withdrawn only with all of them."""
    result: Ranked = []
    summaries: dict[IPNetwork, Ranked] = defaultdict(list)
    for entry, rank in entries:
        for route in apply_route_map(route_map, entry.route):
            mapped = _TableEntry(
                route, entry.members, entry.depends_on | {id_key(route_map.id)}, entry.origin, entry.how, entry.remote
            )
            if route.summary:
                summaries[route.prefix].append((mapped, rank))
            else:
                result.append((mapped, rank))
    for prefix, parts in summaries.items():
        parts.sort(key=lambda part: part[1])
        members = tuple(dict.fromkeys(m for entry, _ in parts for m in entry.members))
        common = frozenset.intersection(*(entry.depends_on for entry, _ in parts))
        first, rank = parts[0]
        how = f"summary {prefix} of {len(parts)} route{'s' if len(parts) > 1 else ''} ({first.how}" + (
            ", ...)" if len(parts) > 1 else ")"
        )
        result.append((_TableEntry(first.route, members, common, first.origin, how, first.remote), rank))
    return result


LabelIndex = dict[tuple[str, str], list[str]]  # (WAN key, label) -> route table keys


def label_index(topology: Topology) -> LabelIndex:
    """Which hub route tables carry which label, per virtual WAN (a label spans the hubs of one WAN)."""
    by_label: LabelIndex = defaultdict(list)
    for table in topology.hub_route_tables.values():
        hub = topology.virtual_hubs.find(table.hub_id)
        wan = id_key(hub.wan_id) if hub and hub.wan_id else id_key(table.hub_id)
        for label in table.labels:
            by_label[(wan, label.lower())].append(id_key(table.id))
    return by_label


def propagated_labels(connection: HubVirtualNetworkConnection) -> tuple[str, ...]:
    """The labels a VNet connection propagates to. Documented (about-virtual-hub-routing, Labels,
    learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing#labels): "If no label is specified in
    the list of labels that a virtual network connection is propagating to, then the virtual network
    connection will automatically propagate to the 'Default' label"."""
    return connection.routing.propagated_labels or ("default",)


def propagation_targets(
    topology: Topology, connection: HubVirtualNetworkConnection, by_label: LabelIndex | None = None
) -> set[str]:
    """Keys of the hub route tables a VNet connection propagates its routes into: by id, and by label."""
    hub = topology.virtual_hubs.find(connection.hub_id)
    if hub is None:
        return set()
    index = label_index(topology) if by_label is None else by_label
    wan = id_key(hub.wan_id) if hub.wan_id else id_key(hub.id)
    targets = {id_key(t) for t in connection.routing.propagated_route_table_ids}
    for label in propagated_labels(connection):
        targets.update(index.get((wan, label.lower()), []))
    return targets


def _hub_tables(topology: Topology) -> dict[str, list[_TableEntry]]:
    """Route table id key -> entries propagated into it."""
    tables: dict[str, list[_TableEntry]] = defaultdict(list)
    by_label = label_index(topology)
    table_hubs: dict[str, tuple[str, frozenset[str]] | None] = {}  # per target table: its hub's key, keys it adds
    for connection in topology.hub_connections.values():
        hub = topology.virtual_hubs.find(connection.hub_id)
        if hub is None:
            continue
        entries, hub_key = _connection_entries(topology, connection, hub), id_key(hub.id)
        learned: list[tuple[_TableEntry, HubRoute, str]] | None = None  # the entries as another hub learns them
        for target in propagation_targets(topology, connection, by_label):
            if target not in table_hubs:
                table_hubs[target] = _table_hub(topology, target)
            found = table_hubs[target]
            if found is None or found[0] == hub_key:  # a table not in the input counts as the own hub's
                tables[target] += entries
                continue
            if learned is None:
                learned = [(e, _learned_route(e.route), f"{e.how}, learned from hub {hub.name}") for e in entries]
            added = found[1]
            tables[target] += [
                _TableEntry(route, entry.members, entry.depends_on | added, entry.origin, how, True)
                for entry, route, how in learned
            ]
    return tables


def _table_hub(topology: Topology, table_key: str) -> tuple[str, frozenset[str]] | None:
    """A route table's hub key, and what a route learned there from another hub depends on besides its own
    connection: that hub and its region. None when the table is not in the input."""
    table = topology.hub_route_tables.find(table_key)
    if table is None:
        return None
    target_hub = topology.virtual_hubs.find(table.hub_id)
    added = {id_key(table.hub_id)} | ({region_key(target_hub.region)} if target_hub else set())
    return id_key(table.hub_id), frozenset(added)


def _learned_route(route: HubRoute) -> HubRoute:
    """A route as a hub learns it from another hub of the WAN: Virtual WAN puts 65520 65520 in front."""
    return HubRoute(
        route.prefix, HUB_TO_HUB + route.as_path, route.communities, route.applied, added_asns=route.added_asns
    )


def _hub_ranked(entries: Iterable[_TableEntry], hub: VirtualHub) -> Ranked:
    """Every entry with the hub's own preference among the entries for its prefix (lower wins), as the
    route selection algorithm of "Virtual hub routing preference" documents it
    (learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing-preference): with the default
    `ExpressRoute` (and `VPN`) preference, routes from connections local to the hub before routes learned
    from a remote hub, then the shortest AS path; with `ASPath`, the shortest AS path first. The page
    describes routes toward on-premises; applying it to VNet and static routes is assumed. Ties keep the
    first declared (the page's ECMP between equal routes is not modelled). Each gateway instance advertises
    the best entry that is still there (see `Advertisement.hub_slot`)."""
    by_path = (hub.hub_routing_preference or "").lower() == "aspath"
    return [
        (
            entry,
            (len(entry.route.as_path), int(entry.remote), index)
            if by_path
            else (int(entry.remote), len(entry.route.as_path), index),
        )
        for index, entry in enumerate(entries)
    ]


# (entry, hub rank, how, AS path leaving the hub, reserved ASNs a route map put in it): one hub table entry as
# the hub's ExpressRoute gateway sends it
Outgoing = tuple[_TableEntry, tuple[int, int, int], str, tuple[int, ...], tuple[tuple[int, str], ...]]


class _HubOutput:
    """What hubs send to ExpressRoute, per (hub, associated route table, outbound route map): the same on
    every ExpressRoute connection that shares the three, so ranked, mapped and worded once, not once per
    connection (a hub's table holds every region's routes: 8,000 entries at 200 services x 20 regions)."""

    def __init__(self, topology: Topology, reached: set[str]):
        self._topology = topology
        self._tables = _hub_tables(topology)
        self._reached = reached
        self._counted: set[tuple[str, ...]] = set()
        self._done: dict[tuple[str, str, str], list[Outgoing]] = {}

    def of(self, hub: VirtualHub, table_id: str, outbound: RouteMap | None) -> list[Outgoing]:
        key = (id_key(hub.id), id_key(table_id), id_key(outbound.id) if outbound else "")
        if key not in self._done:
            self._done[key] = self._outgoing(hub, table_id, outbound)
        return self._done[key]

    def _outgoing(self, hub: VirtualHub, table_id: str, outbound: RouteMap | None) -> list[Outgoing]:
        if hub.private_intent:  # routing intent: the hub's own connections, whatever the tables say (intent.py)
            entries = _hub_ranked(intent_entries(self._topology, hub, _connection_entries), hub)
        else:
            entries = _hub_ranked(self._tables.get(id_key(table_id), []), hub)
        if outbound is not None:
            entries = _mapped(entries, outbound)
        if hub.address_prefix is not None:
            # "Route-maps won't be applied to the hub address space" (route-maps-about, considerations)
            own = _TableEntry(
                HubRoute(hub.address_prefix), (), frozenset(), hub.origin, f"hub {hub.name}'s address prefix", False
            )
            entries.append((own, (0, 0, -1)))
        asn = hub.router_asn or AZURE_ASN
        found: list[Outgoing] = []
        next_hop = hub.routing_intent.private_next_hop if hub.routing_intent else None
        intent = f"; routing intent: private traffic through {id_name(next_hop)}" if next_hop else ""
        for entry, rank in entries:
            route = entry.route
            if entry.members not in self._counted:  # the same members tuple reaches many tables: key it once
                self._counted.add(entry.members)
                self._reached.update(id_key(m) for m in entry.members)
            how = entry.how + (f"; {', '.join(route.applied)}" if route.applied else "") + intent
            reserved = tuple(pair for pair in route.added_asns if is_reserved(pair[0])) if route.added_asns else ()
            found.append((entry, rank, how, (asn, *route.as_path), reserved))
        return found


def _design_b(topology: Topology, result: Advertisements, reached: set[str]) -> None:
    output = _HubOutput(topology, reached)
    for er_connection in topology.er_connections.values():
        circuit = topology.circuits.find(er_connection.circuit_id)
        gateway = topology.er_gateways.find(er_connection.gateway_id)
        hub = topology.virtual_hubs.find(gateway.hub_id) if gateway else None
        if circuit is None or gateway is None or hub is None:
            continue
        instances = list(gateway.instance_ips)
        # Virtual WAN gateways: declared `instanceIps`, else the next hops a capture shows inside the hub's
        # address prefix (not the hub router's own addresses), else unknown (no prediction is documented).
        observed = not instances and hub.address_prefix is not None
        if observed and hub.address_prefix is not None:
            instances = observed_next_hops(topology, hub.address_prefix, hub.router_ips)
        hops = [(hop, observed and hop is not None) for hop in _hops(instances)]
        er_key = id_key(er_connection.id)
        base = frozenset({id_key(gateway.id), er_key, id_key(hub.id), region_key(hub.region)})
        label = f"ExpressRoute gateway '{gateway.name}' of hub {hub.name}"
        outbound = topology.route_maps.find(er_connection.routing.outbound_route_map_id)
        table_id = er_connection.routing.associated_route_table_id or ""
        for entry, rank, how, as_path, reserved in output.of(hub, table_id, outbound):
            route = entry.route
            if reserved:
                result.refused.append(
                    Refused(
                        circuit.id, er_connection.id, route.prefix, as_path, entry.members, reserved, how, entry.remote
                    )
                )
                continue
            deps = entry.depends_on | base
            hub_slot = (er_key, route.prefix)  # one tuple for the entry's instances
            for hop, hop_observed in hops:
                # Positional, in field order: binding keywords took twice as long, for 640,000 candidates at
                # 200 services x 20 regions (prefix, next hop, AS path, ..., weight 0, local preference 100).
                result.routes.append(
                    Advertisement(
                        circuit.id,
                        route.prefix,
                        hop,
                        as_path,
                        gateway.id,
                        label,
                        entry.origin,
                        entry.members,
                        deps,
                        False,
                        hop_observed,
                        0,
                        100,
                        route.communities,
                        how,
                        hub_slot,
                        rank,
                        None,
                        entry.remote,
                    )
                )


# --- why a VNet is missing ---------------------------------------------------------------------------


def _explain_missing(topology: Topology, result: Advertisements, reached: set[str]) -> None:
    index = ReachIndex(topology)
    for vnet in topology.virtual_networks.values():
        if id_key(vnet.id) in reached:
            continue
        kind, reason, where = why_not(topology, vnet, index)
        if reason:
            result.not_advertised.append(NotAdvertised(vnet.id, reason, vnet.origin, kind, where))

"""What on-premises receives from each ExpressRoute circuit, and where each site sends an anycast VIP.

Per circuit, the edge sends on-premises its best path for each prefix (eBGP: one path per prefix, see
select.py), changed on the way out:

- AS path: Microsoft's 12076 in front, private ASNs removed (routing/asns.py: observed for 65515 in the
  field report, assumed for the others). So `65515 65001` at the edge arrives as `12076`, and a private
  prepend that ranks regions at the edge is invisible on premises.
- Communities (documented, "ExpressRoute routing requirements", Support for BGP communities, and
  "Configure custom BGP communities for Azure ExpressRoute private peering"): a VNet's custom community
  (`bgpCommunities.virtualNetworkCommunity`) and, only when a custom one is set, its region's community
  12076:50xxx (data/regional_communities.json, from the same page) travel with the VNet's own address
  space. A Virtual WAN static route is not the VNet's address space: Microsoft does not say that it carries
  the member's community, so none is assumed. Communities a Virtual WAN route map adds are assumed to
  reach on-premises like any other BGP community (not documented for ExpressRoute).

On premises, each site (`onprem.circuits.<name>.site`, default one site) ranks the routes of its circuits
as BGP does: longest prefix first (forwarding), then the highest local preference (a community matched in
`onprem.circuits.<name>.communities`, else the circuit's `local-preference`, else 100), then the shortest
AS path as received. Equal best routes are all used with `onprem.multipath: true` (ECMP); without it the
site's routers break the tie by their own rules (IGP cost to the exit, route age, router ID), which the
model does not know — different routers may decide differently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

from anycast_lint.analysis.services import AnycastService
from anycast_lint.inputs.config import DEFAULT_LOCAL_PREFERENCE, DEFAULT_SITE, CircuitPolicy, Config
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, Topology
from anycast_lint.routing import Advertisement, Routing
from anycast_lint.routing.asns import onprem_path, path_text

ON_PREMISES_TIE = "on-premises tie-break"
MULTIPATH = "multipath"


@cache
def regional_communities() -> dict[str, str]:
    """ARM region name -> the regional BGP community Azure attaches on private peering."""
    text = resources.files("anycast_lint.data").joinpath("regional_communities.json").read_text(encoding="utf-8")
    return {region: entry["community"] for region, entry in json.loads(text)["regions"].items()}


def route_communities(topology: Topology, route: Advertisement) -> tuple[str, ...]:
    """The communities on-premises receives with a route (see the module docstring for the sources)."""
    found = list(route.communities)
    if not route.how.startswith("static route"):
        for member in route.members:
            vnet = topology.virtual_networks.find(member)
            if vnet is None or vnet.bgp_community is None or route.prefix not in vnet.address_prefixes:
                continue
            found.append(vnet.bgp_community)
            regional = vnet.regional_community or regional_communities().get((vnet.region or "").lower())
            if regional:
                found.append(regional)
    return tuple(sorted(dict.fromkeys(found)))


@dataclass(frozen=True)
class OnpremRoute:
    """The route for a VIP one circuit sends on-premises, as the site's routers rank it."""

    circuit: ExpressRouteCircuit
    edge: Advertisement  # the edge's best route for the VIP at this circuit
    member_id: str | None
    as_path: tuple[int, ...]  # as on-premises receives it
    communities: tuple[str, ...]
    local_preference: int
    preference_reason: str  # "community 12076:50002", "local-preference of er-ams", "default"

    @property
    def path_text(self) -> str:
        return path_text(self.as_path)

    @property
    def rank(self) -> tuple[int, int, int]:
        return (-self.edge.prefix.prefixlen, -self.local_preference, len(self.as_path))


@dataclass(frozen=True)
class OnpremChoice:
    """Where one on-premises site sends a service's VIP, and why."""

    site: str
    routes: tuple[OnpremRoute, ...]  # best first
    multipath: bool

    @property
    def best(self) -> OnpremRoute:
        return self.routes[0]

    @property
    def equal_best(self) -> tuple[OnpremRoute, ...]:
        return tuple(r for r in self.routes if r.rank == self.best.rank)

    @property
    def used(self) -> tuple[OnpremRoute, ...]:
        """The routes the site's traffic takes: every equal best one with multipath, else the best."""
        return self.equal_best if self.multipath else (self.best,)

    @property
    def split(self) -> bool:
        """Equal best routes lead to different members: flows of one client can land in two regions."""
        return len({r.member_id for r in self.equal_best}) > 1

    @property
    def runner_up(self) -> OnpremRoute | None:
        """The best route that leads to another member than the best one."""
        return next((r for r in self.routes[1:] if r.member_id != self.best.member_id), None)

    def decided(self) -> tuple[str, str]:
        """(what decided, how the best route and the runner-up compare)."""
        best, other = self.best, self.runner_up
        if len(self.routes) == 1:
            return "one circuit", f"'{best.circuit.name}' is the only circuit with a route to the VIP"
        if other is None:
            return "one member", "every circuit leads to the same member"
        if self.split:
            decided = MULTIPATH if self.multipath else ON_PREMISES_TIE
            return decided, (
                f"equal: local preference {best.local_preference}, AS path {best.path_text} vs {other.path_text} "
                f"as received"
            )
        if best.edge.prefix != other.edge.prefix:
            return "prefix length", f"/{best.edge.prefix.prefixlen} is longer than /{other.edge.prefix.prefixlen}"
        if best.local_preference != other.local_preference:
            return "local preference", (
                f"local preference {best.local_preference} ({best.preference_reason}) vs {other.local_preference} "
                f"({other.preference_reason})"
            )
        return "AS path length", f"AS path {best.path_text} vs {other.path_text} as received"


def site_of(config: Config, circuit: ExpressRouteCircuit) -> str:
    policy = config.onprem_circuits.get(circuit.name.lower())
    return policy.site if policy else DEFAULT_SITE


def sites(config: Config, circuits: list[ExpressRouteCircuit]) -> dict[str, list[ExpressRouteCircuit]]:
    """Site name -> its circuits, in circuit order."""
    found: dict[str, list[ExpressRouteCircuit]] = {}
    for circuit in circuits:
        found.setdefault(site_of(config, circuit), []).append(circuit)
    return found


def unknown_policies(config: Config, topology: Topology) -> list[CircuitPolicy]:
    """`onprem.circuits` entries that name no circuit of the design."""
    names = {c.name.lower() for c in topology.circuits.values()}
    return [p for key, p in config.onprem_circuits.items() if key not in names]


def _preference(config: Config, circuit: ExpressRouteCircuit, communities: tuple[str, ...]) -> tuple[int, str]:
    policy = config.onprem_circuits.get(circuit.name.lower())
    if policy is None:
        return DEFAULT_LOCAL_PREFERENCE, "default"
    matched = [(preference, community) for community, preference in policy.communities if community in communities]
    if matched:
        preference, community = max(matched)
        return preference, f"community {community} on '{circuit.name}'"
    return policy.local_preference, f"local-preference of '{circuit.name}'"


def onprem_route(
    routing: Routing, config: Config, circuit: ExpressRouteCircuit, service: AnycastService, vip: IPAddress
) -> OnpremRoute | None:
    choice = routing.service_choice(service, circuit.id, vip)
    if choice is None:
        return None
    communities = route_communities(routing.topology, choice.winner)
    preference, reason = _preference(config, circuit, communities)
    return OnpremRoute(
        circuit, choice.winner, choice.member_id, onprem_path(choice.winner.as_path), communities, preference, reason
    )


def onprem_choices(routing: Routing, config: Config, service: AnycastService, vip: IPAddress) -> list[OnpremChoice]:
    """Per on-premises site, where it sends the VIP (sites without any route to it are left out)."""
    found = []
    for site, circuits in sites(config, routing.circuits()).items():
        routes = [r for c in circuits if (r := onprem_route(routing, config, c, service, vip)) is not None]
        if routes:
            ranked = tuple(sorted(routes, key=lambda r: r.rank))
            found.append(OnpremChoice(site, ranked, config.onprem_multipath))
    return found

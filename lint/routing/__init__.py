"""The routing model: what every ExpressRoute edge learns and chooses, and what-if failures.

`Routing(topology, services)` computes every candidate advertisement once (see advertise.py). `fail(...)`
returns a view of the same model with some elements gone: the routes that depend on a failed VNet, hub,
gateway, connection or region are removed, then every choice is made again inside the view, the virtual
hub's choice among its table's routes included (a hub that loses its own route for a prefix advertises
the one it learned from another hub). A view computes only the choices it is asked for. Failback is the
base view itself: route age plays no part in the edge's choice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from anycast_lint.analysis.services import AnycastService, Services
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, IPNetwork, Topology
from anycast_lint.routing.advertise import (
    Advertisement,
    Advertisements,
    NotAdvertised,
    Refused,
    compute,
    region_key,
)
from anycast_lint.routing.bow_tie import BowTie
from anycast_lint.routing.global_reach import over_global_reach
from anycast_lint.routing.prefix_limit import DownConnection, take_down
from anycast_lint.routing.select import Choice, choose, decide, rank
from anycast_lint.routing.slots import SlotIndex

__all__ = [
    "Advertisement",
    "DownConnection",
    "Failure",
    "NotAdvertised",
    "Refused",
    "Routing",
    "ServiceChoice",
    "region_key",
]


@dataclass(frozen=True)
class Failure:
    """What is gone: resource id keys and `region:<name>` keys, with how to describe them."""

    keys: frozenset[str] = frozenset()
    description: tuple[str, ...] = ()

    def removes(self, route: Advertisement) -> bool:
        return not self.keys.isdisjoint(route.depends_on)

    def __bool__(self) -> bool:
        return bool(self.keys)


@dataclass(frozen=True)
class ServiceChoice:
    """Which member an edge sends a service's VIP to, and why."""

    service: AnycastService
    circuit_id: str
    vip: IPAddress
    winner: Advertisement
    member_id: str | None  # the service member the winning route lands in (None: not a member)
    runner_up: Advertisement | None  # the best route that leads to another member
    runner_up_member_id: str | None
    decided_by: str  # "prefix length", "AS path length", "lowest next hop", "unknown", "only member", ...
    comparison: str


class Routing:
    def __init__(
        self,
        topology: Topology,
        services: Services,
        failure: Failure | None = None,
        base: Routing | None = None,
        every_connection_up: bool = False,
    ):
        self.topology = topology
        self.services = services
        self.failure = failure or Failure()
        self._base = base
        self._down: list[DownConnection] = []
        if base is None:
            self._computed: Advertisements = compute(topology)
            every = self._every_index = SlotIndex(self._computed.routes)
            # a connection over the prefix limit goes down (prefix_limit.py): its routes never reach the edge
            kept, self._down = take_down(self._computed.routes, every)
            linked = over_global_reach(topology, kept)
            self._index = SlotIndex(kept + linked) if self._down or linked else every
            self._bow_tie = BowTie(topology, self._index.routes)
        elif every_connection_up:
            self._computed, self._index = base._computed, base._every_index
            self._every_index, self._bow_tie = base._every_index, base._bow_tie
        else:
            self._computed, self._index, self._down = base._computed, base._index, base._down
            self._every_index, self._bow_tie = base._every_index, base._bow_tie
        self._learned_over_er: dict[tuple[str, int], bool] = {}  # (hub key, prefix id) -> see bow_tie.py
        self._removed = self._index.removed_by(self.failure.keys)  # what a failed resource or circuit takes
        self._choices: dict[int, Choice | None] = {}  # slot number -> the edge's choice in this view
        self._received: list[Advertisement] | None = None
        self._via: dict[tuple[str, str], list[Advertisement]] | None = None

    # -- views ----------------------------------------------------------------------------------

    def fail(self, failure: Failure) -> Routing:
        """The same network with `failure` applied (on top of this view's own failure)."""
        combined = Failure(self.failure.keys | failure.keys, self.failure.description + failure.description)
        return Routing(self.topology, self.services, combined, base=self._base or self)

    @property
    def down(self) -> list[DownConnection]:
        """Connections over the prefix limit, taken out of every view (AC308 names them)."""
        return self._down

    def down_members(self) -> set[str]:
        """Keys of the VNets whose routes a down connection would have carried."""
        return {id_key(member) for connection in self._down for member in connection.members}

    def with_every_connection_up(self) -> Routing:
        """The base view as if no connection were over the limit: what each connection would advertise (AC308
        counts it). The same view when none is."""
        base = self._base or self
        return Routing(self.topology, self.services, base=base, every_connection_up=True) if self._down else base

    @property
    def not_advertised(self) -> list[NotAdvertised]:
        return self._computed.not_advertised

    @property
    def refused(self) -> list[Refused]:
        """Routes the edge does not accept (a reserved ASN in the AS path), whatever fails."""
        return self._computed.refused

    @property
    def candidate_count(self) -> int:
        """How many routes the model holds for the edges, every virtual hub's fallback candidates included
        (`routes` holds each hub's current choice only)."""
        return len(self._computed.routes)

    @property
    def routes(self) -> list[Advertisement]:
        """The routes the edges receive in this view (each hub's current choice, per gateway instance)."""
        if self._received is None:
            found: list[Advertisement] = []
            for _, ranked in self.received():
                found += ranked
            self._received = found
        return list(self._received)

    def via(self, gateway_id: str, circuit_id: str) -> list[Advertisement]:
        """The routes an edge receives in this view through one gateway's connection to a circuit, in `routes`
        order. Grouped once per view: rules ask per connection, and walking every route for each was quadratic."""
        if self._via is None:
            self._via = defaultdict(list)
            keys: dict[tuple[str, str], tuple[str, str]] = {}  # the routes of a connection share its two ids
            for route in self.routes:
                ids = (route.gateway_id, route.circuit_id)
                key = keys.get(ids) or keys.setdefault(ids, (id_key(route.gateway_id), id_key(route.circuit_id)))
                self._via[key].append(route)
        return list(self._via.get((id_key(gateway_id), id_key(circuit_id)), ()))

    def received(self) -> Iterator[tuple[IPNetwork, tuple[Advertisement, ...]]]:
        """Per circuit and prefix, once each: the prefix and the routes that edge receives in this view, best
        first (a rule counting prefixes per connection need not hash every route's prefix)."""
        for slot, (_, prefix) in enumerate(self._index.slots):
            chosen = self._choice_at(slot)
            if chosen is not None:
                yield prefix, chosen.ranked

    def circuits(self) -> list[ExpressRouteCircuit]:
        return sorted(self.topology.circuits.values(), key=lambda c: c.name.lower())

    def circuit_failed(self, circuit_id: str) -> bool:
        return id_key(circuit_id) in self.failure.keys

    def choice(self, circuit_id: str, prefix: IPNetwork) -> Choice | None:
        slot = self._index.numbers.get((id_key(circuit_id), prefix))
        return None if slot is None else self._choice_at(slot)

    def _choice_at(self, slot: int) -> Choice | None:
        if slot not in self._choices:
            removed, every = self._removed, self._index.routes
            plain, hubs = self._index.groups(slot)
            routes = [every[i] for i in plain if i not in removed] if removed else [every[i] for i in plain]
            for ranked in hubs:  # each hub advertises its best surviving candidate (one route per instance)
                for group in ranked:
                    alive = [every[i] for i in group if i not in removed]
                    if alive:
                        if not (alive[0].from_other_hub and self._learns_over_expressroute(alive[0])):
                            routes += alive
                        break
            self._choices[slot] = choose(_best_over_global_reach(routes)) if routes else None
        return self._choices[slot]

    def _learns_over_expressroute(self, route: Advertisement) -> bool:
        """Whether the hub whose hub-to-hub candidate this is learns the prefix over one of its circuits in this
        view, and so sends ExpressRoute nothing for it (bow_tie.py)."""
        bow_tie = self._bow_tie
        hub = bow_tie.hub(route)
        if hub is None or hub not in bow_tie.prefers_expressroute or not bow_tie.may_learn(hub):
            return False
        key = (hub, id(route.prefix))
        if key not in self._learned_over_er:
            self._learned_over_er[key] = self._learned_from_circuits(hub, route.prefix)
        return self._learned_over_er[key]

    def _learned_from_circuits(self, hub: str, prefix: IPNetwork) -> bool:
        own, every, removed = self._bow_tie.gateways[hub], self._index.routes, self._removed
        for circuit in self._bow_tie.circuits[hub]:
            slot = self._index.numbers.get((circuit, prefix))
            for i in self._index.members[slot] if slot is not None else ():
                route = every[i]
                if i not in removed and not route.from_other_hub and id_key(route.gateway_id) not in own:
                    return True
        return False

    def table(self, circuit_id: str) -> list[tuple[Advertisement, bool]]:
        """(route, is best) rows, ordered like `az network express-route list-route-tables`: by
        prefix, then best path first (the field report's tables list routes in preference order)."""
        slots = self._index.by_circuit.get(id_key(circuit_id), [])
        rows = []
        for slot in sorted(slots, key=lambda number: _prefix_order(self._index.slots[number][1])):
            found = self._choice_at(slot)
            if found is not None:
                rows += [(route, route is found.best) for route in found.ranked]
        return rows

    # -- services ---------------------------------------------------------------------------------

    def _vip_prefixes(self, circuit_id: str, vip: IPAddress) -> list[IPNetwork]:
        """Prefixes at a circuit that contain the VIP, longest first (shared by every view)."""
        index = self._index
        key = (id_key(circuit_id), vip)
        if key not in index.vip_prefixes:
            index.vip_prefixes[key] = index.covering(key[0], vip)
        return index.vip_prefixes[key]

    def lookup(self, circuit_id: str, address: IPAddress) -> Choice | None:
        """What the edge does with one packet: the longest prefix containing `address` that still has a
        route in this view, and its routes best first (forwarding takes the longest prefix first)."""
        for prefix in self._vip_prefixes(circuit_id, address):
            found = self.choice(circuit_id, prefix)
            if found is not None:
                return found
        return None

    def failed(self, resource_id: str, region: str | None = None) -> bool:
        """Whether this view takes the resource out (by its id, or its region)."""
        return id_key(resource_id) in self.failure.keys or (
            region is not None and region_key(region) in self.failure.keys
        )

    def member_of(self, service: AnycastService, route: Advertisement) -> str | None:
        """The service member the route's traffic lands in: the first one still up in this view (a summary
        route lands behind several routes, best first, and outlives all but the last of them)."""
        for member in route.members:
            if service.has_member(member) and not self._failed(member):
                return member
        return None

    def _failed(self, vnet_id: str) -> bool:
        if not self.failure:
            return False
        vnet = self.topology.virtual_networks.find(vnet_id)
        return id_key(vnet_id) in self.failure.keys or (
            vnet is not None and region_key(vnet.region) in self.failure.keys
        )

    def route_to(self, circuit_id: str, vip: IPAddress, member_ids: set[str]) -> Advertisement | None:
        """The best route for the VIP at a circuit that lands in one of `member_ids` (id keys)."""
        for prefix in self._vip_prefixes(circuit_id, vip):
            found = self.choice(circuit_id, prefix)
            for route in found.ranked if found else ():
                if any(id_key(member) in member_ids for member in route.members):
                    return route
        return None

    def service_choice(self, service: AnycastService, circuit_id: str, vip: IPAddress) -> ServiceChoice | None:
        """Where `circuit_id` sends the VIP: longest prefix first, then the best path of that prefix."""
        winner: Advertisement | None = None
        winner_member: str | None = None
        runner_up: Advertisement | None = None
        runner_member: str | None = None
        for prefix in self._vip_prefixes(circuit_id, vip):
            found = self.choice(circuit_id, prefix)
            if found is None:
                continue
            for route in found.ranked:
                member = self.member_of(service, route)
                if winner is None:
                    winner, winner_member = route, member
                elif member != winner_member or (member is None and route.members != winner.members):
                    runner_up, runner_member = route, member
                    break
            if runner_up is not None:
                break
        if winner is None:
            return None
        if runner_up is None:
            decided_by, comparison = "only member", "no route to another member"
        else:
            decided_by, comparison = decide(winner, runner_up)
        return ServiceChoice(
            service, circuit_id, vip, winner, winner_member, runner_up, runner_member, decided_by, comparison
        )


def _best_over_global_reach(routes: list[Advertisement]) -> list[Advertisement]:
    """A linked circuit's edge advertises over Global Reach its best route only (global_reach.py)."""
    if not any(r.global_reach for r in routes):
        return routes
    best: dict[str, Advertisement] = {}
    for route in routes:
        if route.global_reach:
            source = route.global_reach
            if source not in best or rank(route) < rank(best[source]):
                best[source] = route
    return [r for r in routes if not r.global_reach or best.get(r.global_reach) is r]


def _prefix_order(prefix: IPNetwork) -> tuple[int, int, int]:
    return (prefix.version, int(prefix.network_address), prefix.prefixlen)

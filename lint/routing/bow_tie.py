"""A hub does not send ExpressRoute a route it prefers to learn over ExpressRoute (bow-tie, Global Reach).

Documented ("Virtual WAN FAQ", how the virtual hub selects the best path for a route from multiple hubs): with
the default hub routing preference (ExpressRoute), a hub prefers a route it learns over ExpressRoute to the
same prefix learned from another hub (hub-to-hub, `65520 65520`); "Virtual WAN routing deep dive": routes a hub
learns from ExpressRoute are not advertised back to ExpressRoute. So where a hub's ExpressRoute gateway learns a
prefix from one of its circuits, because another hub or gateway advertises it there (one circuit connected to
two hubs: a bow-tie) or Global Reach brings it, the hub's hub-to-hub route for that prefix reaches no circuit.
With the `VpnGateway` preference ExpressRoute routes still come before remote-hub ones; with `ASPath` the hub
compares path lengths, which the model does not try (its hub-to-hub route stays, as before).
"""

from __future__ import annotations

from collections import defaultdict

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Topology
from anycast_lint.routing.advertise import Advertisement


class BowTie:
    """Per hub: its circuits and gateways; per circuit: which gateways advertise there at all. Built once."""

    def __init__(self, topology: Topology, routes: list[Advertisement]):
        self.hub_of_connection: dict[str, str] = {}
        self.circuits: dict[str, list[str]] = defaultdict(list)
        self.gateways: dict[str, set[str]] = defaultdict(set)
        self.prefers_expressroute: set[str] = set()
        for connection in topology.er_connections.values():
            gateway = topology.er_gateways.find(connection.gateway_id)
            hub = topology.virtual_hubs.find(gateway.hub_id) if gateway else None
            if gateway is None or hub is None or not connection.circuit_id:
                continue
            hub_key = id_key(hub.id)
            self.hub_of_connection[id_key(connection.id)] = hub_key
            self.circuits[hub_key].append(id_key(connection.circuit_id))
            self.gateways[hub_key].add(id_key(gateway.id))
            if (hub.hub_routing_preference or "expressroute").lower() != "aspath":
                self.prefers_expressroute.add(hub_key)
        self._may_learn: dict[str, bool] = {}
        self.sources: dict[str, set[str]] = defaultdict(set)  # circuit key -> gateway keys advertising there
        for route in routes:
            if not route.from_other_hub:
                self.sources[id_key(route.circuit_id)].add(id_key(route.gateway_id))

    def hub(self, route: Advertisement) -> str | None:
        """The hub whose choice a hub candidate is (by its ExpressRoute connection)."""
        return self.hub_of_connection.get(route.hub_slot[0]) if route.hub_slot else None

    def may_learn(self, hub_key: str) -> bool:
        """Whether anything else advertises at the hub's circuits at all (else nothing to check, ever)."""
        if hub_key not in self._may_learn:
            own = self.gateways[hub_key]
            self._may_learn[hub_key] = any(self.sources[c] - own for c in self.circuits[hub_key])
        return self._may_learn[hub_key]

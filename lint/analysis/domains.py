"""Routing domains: the sets of address spaces that can see each other's routes.

Two address spaces are in one domain when a chain of peerings, hub connections, hubs of one virtual WAN
or gateways connected to one ExpressRoute circuit links them. Inside a domain, the same prefix twice is
either anycast (both members of one service) or a conflict.
"""

from __future__ import annotations

from collections import deque

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Topology


class RoutingDomains:
    """Connected components over VNets, virtual hubs, virtual WANs and circuits, keeping the links to explain
    how two members are linked."""

    def __init__(self, topology: Topology):
        self._links: dict[str, list[str]] = {}  # node key -> the nodes it links to, both ways
        self._names: dict[str, str] = {}
        self._keys: dict[str, str] = {}  # resource id as written -> its node key (one key string per node)
        self._build(topology)
        self._domains = self._components()

    def _node(self, resource_id: str, name: str) -> None:
        key = id_key(resource_id)
        if key not in self._names:
            self._names[key] = name
            self._links[key] = []
        self._keys[resource_id] = key

    def _link(self, left_id: str, right_id: str) -> None:
        """Link two resources registered as nodes (by their ids as written: no id is keyed twice)."""
        left, right = self._keys[left_id], self._keys[right_id]
        self._links[left].append(right)
        self._links[right].append(left)

    def _components(self) -> dict[str, str]:
        """Node key -> its domain: the smallest key of its component (walked once, after every link is known)."""
        domains: dict[str, str] = {}
        for start in self._links:
            if start in domains:
                continue
            component = [start]
            domains[start] = start
            for node in component:  # grows while it is walked: a breadth-first search
                for neighbour in self._links[node]:
                    if neighbour not in domains:
                        domains[neighbour] = start
                        component.append(neighbour)
            smallest = min(component)
            for node in component:
                domains[node] = smallest
        return domains

    def _build(self, topology: Topology) -> None:
        vnets = topology.virtual_networks
        for vnet in vnets.values():
            self._node(vnet.id, vnet.name)
        for hub in topology.virtual_hubs.values():
            self._node(hub.id, f"hub {hub.name}")
        for circuit in topology.circuits.values():
            self._node(circuit.id, f"circuit {circuit.name}")
        for wan in topology.virtual_wans.values():
            self._node(wan.id, f"virtual WAN {wan.name}")

        for vnet in vnets.values():
            for peering in vnet.peerings:
                remote = vnets.find(peering.remote_vnet_id)
                if remote is not None and peering.state.lower() != "disconnected":
                    self._link(vnet.id, remote.id)
        for connection in topology.hub_connections.values():
            remote = vnets.find(connection.remote_vnet_id)
            connected_hub = topology.virtual_hubs.find(connection.hub_id)
            if remote is not None and connected_hub is not None:
                self._link(connected_hub.id, remote.id)
        for wan_hub in topology.virtual_hubs.values():
            hub_wan = topology.virtual_wans.find(wan_hub.wan_id)
            if hub_wan is not None:
                self._link(wan_hub.id, hub_wan.id)
        for gateway_connection in topology.gateway_connections.values():
            gateway = topology.vnet_gateways.find(gateway_connection.gateway_id)
            home = vnets.find(gateway.vnet_id) if gateway else None
            if gateway is None or home is None:
                continue
            gateway_circuit = topology.circuits.find(gateway_connection.circuit_id)
            if gateway_circuit is not None:
                self._link(home.id, gateway_circuit.id)
            peer = topology.vnet_gateways.find(gateway_connection.peer_gateway_id)
            peer_home = vnets.find(peer.vnet_id) if peer else None
            if peer_home is not None:
                self._link(home.id, peer_home.id)
        for er_connection in topology.er_connections.values():
            er_gateway = topology.er_gateways.find(er_connection.gateway_id)
            er_hub = topology.virtual_hubs.find(er_gateway.hub_id) if er_gateway else None
            er_circuit = topology.circuits.find(er_connection.circuit_id)
            if er_gateway is not None and er_hub is not None and er_circuit is not None:
                self._link(er_hub.id, er_circuit.id)

    def domain_of(self, resource_id: str) -> str:
        """An opaque key naming the domain of a VNet or hub (equal keys = same domain)."""
        key = id_key(resource_id)
        return self._domains.get(key, key)

    def path(self, source_id: str, target_id: str) -> list[str]:
        """Names along a shortest chain of links between two members of a domain (for messages).

        Searches from both ends at once, so a path through a hub with thousands of spokes costs
        about the hub's fan-out, not the whole domain.
        """
        source, target = id_key(source_id), id_key(target_id)
        if source == target:
            return [self._names.get(source, source)]
        forward: dict[str, str | None] = {source: None}
        backward: dict[str, str | None] = {target: None}
        frontier_f, frontier_b = deque([source]), deque([target])
        meeting = None
        while frontier_f and frontier_b and meeting is None:
            if len(frontier_f) <= len(frontier_b):
                meeting = self._expand(frontier_f, forward, backward)
            else:
                meeting = self._expand(frontier_b, backward, forward)
        if meeting is None:
            return []
        chain: list[str] = []
        step: str | None = meeting
        while step is not None:
            chain.append(step)
            step = forward[step]
        chain.reverse()
        step = backward[meeting]
        while step is not None:
            chain.append(step)
            step = backward[step]
        return [self._names.get(node, node) for node in chain]

    def _expand(self, frontier: deque[str], seen: dict[str, str | None], other: dict[str, str | None]) -> str | None:
        """Advance one BFS level; return a node both searches reached, if any."""
        for _ in range(len(frontier)):
            node = frontier.popleft()
            for target in self._links.get(node, []):
                if target in seen:
                    continue
                seen[target] = node
                if target in other:
                    return target
                frontier.append(target)
        return None

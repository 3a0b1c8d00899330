"""Routing domains: the sets of address spaces that can see each other's routes.

Two address spaces are in one domain when a chain of peerings, hub connections, hubs of one virtual WAN
or gateways connected to one ExpressRoute circuit links them. Inside a domain, the same prefix twice is
either anycast (both members of one service) or a conflict.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from anycast_lint.ids import id_key
from anycast_lint.model import Topology


@dataclass(frozen=True, slots=True)
class Edge:
    target: str
    via: str


class RoutingDomains:
    """Union-find over VNets, virtual hubs, virtual WANs and circuits, keeping edges to explain a link."""

    def __init__(self, topology: Topology):
        self._parent: dict[str, str] = {}
        self._edges: dict[str, list[Edge]] = {}
        self._names: dict[str, str] = {}
        self._build(topology)

    def _node(self, resource_id: str, name: str) -> str:
        key = id_key(resource_id)
        if key not in self._parent:
            self._parent[key] = key
            self._names[key] = name
        return key

    def _find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:  # path compression
            self._parent[key], key = root, self._parent[key]
        return root

    def _link(self, left: str, right: str, via: str) -> None:
        self._edges.setdefault(left, []).append(Edge(right, via))
        self._edges.setdefault(right, []).append(Edge(left, via))
        root_left, root_right = self._find(left), self._find(right)
        if root_left != root_right:
            self._parent[max(root_left, root_right)] = min(root_left, root_right)

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
                    self._link(id_key(vnet.id), id_key(remote.id), f"peering '{peering.name}'")
        for connection in topology.hub_connections.values():
            remote = vnets.find(connection.remote_vnet_id)
            connected_hub = topology.virtual_hubs.find(connection.hub_id)
            if remote is not None and connected_hub is not None:
                self._link(id_key(connected_hub.id), id_key(remote.id), f"hub connection '{connection.name}'")
        for wan_hub in topology.virtual_hubs.values():
            hub_wan = topology.virtual_wans.find(wan_hub.wan_id)
            if hub_wan is not None:
                self._link(id_key(wan_hub.id), id_key(hub_wan.id), "virtual WAN")
        for gateway_connection in topology.gateway_connections.values():
            gateway = topology.vnet_gateways.find(gateway_connection.gateway_id)
            home = vnets.find(gateway.vnet_id) if gateway else None
            if gateway is None or home is None:
                continue
            via = f"gateway '{gateway.name}' connection '{gateway_connection.name}'"
            gateway_circuit = topology.circuits.find(gateway_connection.circuit_id)
            if gateway_circuit is not None:
                self._link(id_key(home.id), id_key(gateway_circuit.id), via)
            peer = topology.vnet_gateways.find(gateway_connection.peer_gateway_id)
            peer_home = vnets.find(peer.vnet_id) if peer else None
            if peer_home is not None:
                self._link(id_key(home.id), id_key(peer_home.id), via)
        for er_connection in topology.er_connections.values():
            er_gateway = topology.er_gateways.find(er_connection.gateway_id)
            er_hub = topology.virtual_hubs.find(er_gateway.hub_id) if er_gateway else None
            er_circuit = topology.circuits.find(er_connection.circuit_id)
            if er_gateway is not None and er_hub is not None and er_circuit is not None:
                self._link(
                    id_key(er_hub.id),
                    id_key(er_circuit.id),
                    f"ExpressRoute gateway '{er_gateway.name}' connection '{er_connection.name}'",
                )

    def domain_of(self, resource_id: str) -> str:
        """An opaque key naming the domain of a VNet or hub (equal keys = same domain)."""
        key = id_key(resource_id)
        return self._find(key) if key in self._parent else key

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
            for edge in self._edges.get(node, []):
                if edge.target in seen:
                    continue
                seen[edge.target] = node
                if edge.target in other:
                    return edge.target
                frontier.append(edge.target)
        return None

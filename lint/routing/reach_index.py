"""The links a VNet that reaches no circuit is checked along, indexed once for all such VNets.

Explaining why a VNet is not advertised asks, per VNet, for its hub connections, the gateways of the VNets
it peers with and their peering back to it, and for an indirect spoke the option-2 routes and whether its
hubs' ExpressRoute gateways connect to a circuit. Walking every hub connection, gateway, hub peering, hub
route table and ExpressRoute connection for each was quadratic: 10,000 spokes without gateway transit took
0.45 s, growing with the square of a hub's spokes.
"""

from __future__ import annotations

from functools import cached_property

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import (
    ExpressRouteGateway,
    HubVirtualNetworkConnection,
    Peering,
    Topology,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
)
from anycast_lint.routing.hub_static import TableStaticRoute, table_static_routes


class ReachIndex:
    """Lookups by VNet key that give exactly what the walks gave, in the same order."""

    def __init__(self, topology: Topology):
        self._topology = topology
        self._backs: dict[str, dict[str, Peering]] = {}

    @cached_property
    def _connections(self) -> dict[str, list[tuple[int, HubVirtualNetworkConnection]]]:
        """Remote VNet key ("" when it names none) -> (position, hub connection), in input order."""
        found: dict[str, list[tuple[int, HubVirtualNetworkConnection]]] = {}
        for position, connection in enumerate(self._topology.hub_connections.values()):
            found.setdefault(id_key(connection.remote_vnet_id or ""), []).append((position, connection))
        return found

    @cached_property
    def _gateways(self) -> dict[str, list[VirtualNetworkGateway]]:
        found: dict[str, list[VirtualNetworkGateway]] = {}
        for gateway in self._topology.vnet_gateways.values():
            if gateway.vnet_id:
                found.setdefault(id_key(gateway.vnet_id), []).append(gateway)
        return found

    @cached_property
    def _connected(self) -> set[str]:
        """Keys of the gateways that some connection links to a circuit."""
        return {
            id_key(c.gateway_id) for c in self._topology.gateway_connections.values() if c.gateway_id and c.circuit_id
        }

    @cached_property
    def _er_gateways_by_hub(self) -> dict[str, list[ExpressRouteGateway]]:
        found: dict[str, list[ExpressRouteGateway]] = {}
        for gateway in self._topology.er_gateways.values():
            if gateway.hub_id:
                found.setdefault(id_key(gateway.hub_id), []).append(gateway)
        return found

    @cached_property
    def _er_connected(self) -> set[str]:
        """Keys of the ExpressRoute gateways (Virtual WAN) that some connection links to a circuit."""
        return {id_key(c.gateway_id) for c in self._topology.er_connections.values() if c.circuit_id}

    def hub_er_gateways(self, hub: VirtualHub) -> list[ExpressRouteGateway]:
        """The ExpressRoute gateways that name the virtual hub, in input order."""
        return list(self._er_gateways_by_hub.get(id_key(hub.id), ()))

    def er_connected(self, gateway: ExpressRouteGateway) -> bool:
        return id_key(gateway.id) in self._er_connected

    @cached_property
    def table_static_routes(self) -> list[TableStaticRoute]:
        """Every option-2 route of the hub route tables, gathered once (see hub_static.py)."""
        return table_static_routes(self._topology)

    def hub_connections(self, vnet: VirtualNetwork) -> list[HubVirtualNetworkConnection]:
        """The hub connections of the VNet itself."""
        return [c for _, c in self._connections.get(id_key(vnet.id), ()) if c.remote_vnet_id]

    def transits(self, vnet: VirtualNetwork) -> list[HubVirtualNetworkConnection]:
        """The hub connections of the VNets it peers with, in input order."""
        keys = {id_key(p.remote_vnet_id) for p in vnet.peerings if p.remote_vnet_id}
        found = {position: c for key in keys for position, c in self._connections.get(key, ())}
        return [found[position] for position in sorted(found)]

    def gateways(self, vnet: VirtualNetwork) -> list[VirtualNetworkGateway]:
        """The virtual network gateways in the VNet, in input order."""
        return list(self._gateways.get(id_key(vnet.id), ()))

    def connected(self, gateway: VirtualNetworkGateway) -> bool:
        return id_key(gateway.id) in self._connected

    def back(self, remote: VirtualNetwork, vnet: VirtualNetwork) -> Peering | None:
        """The first peering of `remote` that points at `vnet`."""
        remote_key = id_key(remote.id)
        if remote_key not in self._backs:
            firsts: dict[str, Peering] = {}
            for peering in remote.peerings:
                if peering.remote_vnet_id:
                    firsts.setdefault(id_key(peering.remote_vnet_id), peering)
            self._backs[remote_key] = firsts
        return self._backs[remote_key].get(id_key(vnet.id))

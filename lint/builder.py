"""Collect model objects from every source into one Topology, refusing the same resource twice."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.ids import IdMap, id_key
from anycast_lint.model import (
    DnsResolver,
    ExpressRouteCircuit,
    ExpressRouteConnection,
    ExpressRouteGateway,
    Forwarder,
    GatewayConnection,
    HubRouteTable,
    HubVirtualNetworkConnection,
    NatGateway,
    NetworkInterface,
    NetworkSecurityGroup,
    Resource,
    RouteMap,
    RouteTable,
    Topology,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
    VirtualWan,
)
from anycast_lint.positions import SourceDocument

COLLECTION_OF: dict[type[Resource], str] = {
    VirtualNetwork: "virtual_networks",
    RouteTable: "route_tables",
    NetworkSecurityGroup: "network_security_groups",
    NatGateway: "nat_gateways",
    NetworkInterface: "network_interfaces",
    ExpressRouteCircuit: "circuits",
    VirtualNetworkGateway: "vnet_gateways",
    GatewayConnection: "gateway_connections",
    VirtualWan: "virtual_wans",
    VirtualHub: "virtual_hubs",
    HubRouteTable: "hub_route_tables",
    HubVirtualNetworkConnection: "hub_connections",
    RouteMap: "route_maps",
    ExpressRouteGateway: "er_gateways",
    ExpressRouteConnection: "er_connections",
    Forwarder: "forwarders",
    DnsResolver: "dns_resolvers",
}


class TopologyBuilder:
    """Accumulates resources; `build()` freezes them into a Topology."""

    def __init__(self) -> None:
        self._collections: dict[str, dict[str, Resource]] = {name: {} for name in COLLECTION_OF.values()}
        self._documents: list[SourceDocument] = []

    def add_document(self, document: SourceDocument) -> None:
        self._documents.append(document)

    def add(self, resource: Resource) -> None:
        collection = self._collections[COLLECTION_OF[type(resource)]]
        key = id_key(resource.id)
        existing = collection.get(key)
        if existing is not None:
            first = existing.origin
            raise InputError.at(
                resource.origin, f"{resource.label} is declared twice: {resource.id} (first at {first})"
            )
        collection[key] = resource

    def build(self) -> Topology:
        kwargs: dict[str, Any] = {name: IdMap(items) for name, items in self._collections.items()}
        kwargs["documents"] = tuple(self._documents)
        topology = Topology(**kwargs)
        assert {f.name for f in fields(Topology)} >= set(kwargs)
        return topology

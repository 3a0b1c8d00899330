"""Collect model objects from every source into one Topology, refusing the same resource twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar

from anycast_lint.errors import InputError
from anycast_lint.model.coverage import Coverage
from anycast_lint.model.ids import IdMap, id_key, id_name
from anycast_lint.model.positions import Origin, SourceDocument
from anycast_lint.model.topology import (
    DnsResolver,
    ExpressRouteCircuit,
    ExpressRouteConnection,
    ExpressRouteGateway,
    Forwarder,
    GatewayConnection,
    GlobalReach,
    HubRouteTable,
    HubVirtualNetworkConnection,
    InboundEndpoint,
    NatGateway,
    NetworkInterface,
    NetworkSecurityGroup,
    ObservedRouteTable,
    OutboundEndpoint,
    Resource,
    RouteMap,
    RouteTable,
    TemplateRead,
    Topology,
    UnknownValue,
    UnmodelledRouting,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
    VirtualWan,
)

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
    InboundEndpoint: "inbound_endpoints",
    OutboundEndpoint: "outbound_endpoints",
}


R = TypeVar("R", bound=Resource)
_WHERE = ("origin", "origins")  # origin, prefix_origins, propagate_origin: where, not what


def content(value: Any) -> Any:
    """A comparable form of a model object without its origins (where it was read is not what it is)."""
    if is_dataclass(value) and not isinstance(value, type):
        compared = (f.name for f in fields(value) if f.name != "unknowns" and not f.name.endswith(_WHERE))
        return (type(value).__name__, *((name, content(getattr(value, name))) for name in compared))
    if isinstance(value, (tuple, list)):
        return tuple(content(item) for item in value)
    if hasattr(value, "items"):
        return tuple(sorted((str(k), content(v)) for k, v in value.items()))
    return value


class TopologyBuilder:
    """Accumulates resources; `build()` freezes them into a Topology."""

    def __init__(self) -> None:
        self._collections: dict[str, dict[str, Resource]] = {name: {} for name in COLLECTION_OF.values()}
        self._documents: list[SourceDocument] = []
        self._observed: list[ObservedRouteTable] = []
        self.ignored: Counter[str] = Counter()  # resource types read but not modelled, for --verbose
        self.repeats: list[str] = []  # identical resources met again (several exports of one tenant)
        self.notices: list[tuple[Origin, str]] = []  # what a source could not evaluate, outside any resource
        self.template_reads: list[TemplateRead] = []  # per template file: what was read, what could not be
        self.unmodelled: list[UnmodelledRouting] = []  # routing-relevant resources the model does not follow
        self.global_reach: list[GlobalReach] = []  # circuit pairs linked by Global Reach
        self._covers_all = False
        self._declared = False
        self._covered: set[str] = set()

    def cover(self, kinds: Iterable[str] | None, declared: bool = False) -> None:
        """A source declares the kinds its input covers (see coverage.py); None: every kind. `declared`: the
        input is a whole design by its author's word (the native format)."""
        if kinds is None:
            self._covers_all = True
            self._declared = self._declared or declared
        else:
            self._covered.update(kinds)

    def present_kinds(self) -> set[str]:
        """The kinds some resource has been read into so far (a plan or template covers what it declares)."""
        return {name for name, items in self._collections.items() if items}

    def add_document(self, document: SourceDocument) -> None:
        self._documents.append(document)

    def add_observed(self, table: ObservedRouteTable) -> None:
        self._observed.append(table)

    def collection(self, resource_type: type[R]) -> list[R]:
        """The resources of one type added so far."""
        return list(self._collections[COLLECTION_OF[resource_type]].values())  # type: ignore[arg-type]

    def has(self, resource_type: type[Resource], resource_id: str) -> bool:
        return id_key(resource_id) in self._collections[COLLECTION_OF[resource_type]]

    def add(self, resource: Resource) -> None:
        collection = self._collections[COLLECTION_OF[type(resource)]]
        key = id_key(resource.id)
        existing = collection.get(key)
        if existing is not None:
            first = existing.origin
            if content(existing) == content(resource):
                self.repeats.append(f"{resource.origin}: {resource.label} repeats {first}; read once")
                return
            message = f"{resource.label} is declared twice with different content: {resource.id}"
            raise InputError.at(resource.origin, f"{message} (first at {first})")
        collection[key] = resource

    def build(self) -> Topology:
        self._referenced_circuits()
        self._global_reach_outside()
        kwargs: dict[str, Any] = {name: IdMap(items) for name, items in self._collections.items()}
        kwargs["documents"] = tuple(self._documents)
        kwargs["observed_route_tables"] = tuple(self._observed)
        kwargs["template_reads"] = tuple(self.template_reads)
        kwargs["coverage"] = Coverage(self._covers_all, frozenset(self._covered), self._declared)
        kwargs["unmodelled"] = tuple(self.unmodelled)
        kwargs["global_reach"] = tuple(self.global_reach)
        topology = Topology(**kwargs)
        assert {f.name for f in fields(Topology)} >= set(kwargs)
        return topology

    def _referenced_circuits(self) -> None:
        """A circuit that a connection names but the input does not hold (it lives in another subscription, or
        outside a plan) is known by its id: keep it as a placeholder, so the routes towards it are predicted,
        and list what is unknown about it (its SKU and peering location), instead of dropping the connection."""
        circuits = self._collections["circuits"]
        for collection in ("gateway_connections", "er_connections"):
            for connection in self._collections[collection].values():
                circuit_id = getattr(connection, "circuit_id", None)
                if not circuit_id or id_key(circuit_id) in circuits:
                    continue
                reason = f"it is not in the input, only named by {connection.label}"
                circuits[id_key(circuit_id)] = ExpressRouteCircuit(
                    id=circuit_id,
                    name=id_name(circuit_id),
                    origin=connection.origin,
                    unknowns=(UnknownValue("properties", reason, connection.origin),),
                )

    def _global_reach_outside(self) -> None:
        """Global Reach to a circuit the input does not hold: the routes it brings cannot be predicted, so AC002
        says so (linked circuits both in the input are modelled, routing/global_reach.py)."""
        circuits = self._collections["circuits"]
        for link in self.global_reach:
            missing = [c for c in (link.circuit_id, link.peer_circuit_id) if id_key(c) not in circuits]
            if missing:
                effect = (
                    f"it links to circuit '{id_name(missing[0])}', which is not in the input: the routes that "
                    "circuit's edge holds reach this one, and the model cannot tell which"
                )
                self.unmodelled.append(
                    UnmodelledRouting(
                        link.circuit_id, link.name, "ExpressRoute Global Reach connection", effect, link.origin
                    )
                )

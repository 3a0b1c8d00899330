"""The topology model: one typed, immutable picture of an Azure network, whatever the input was.

Sources (native YAML, ARM exports, Terraform plans, live Azure) only translate into these objects; rules
only read them. Every object keeps its `origin` (document + JSON path, line resolved on demand) and the
values its source could not know (`unknowns`), so a rule can say "unknown" instead of guessing.
References between objects are resource ids, compared case-insensitively through `IdMap`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from types import MappingProxyType
from typing import ClassVar

from anycast_lint.model.coverage import Coverage
from anycast_lint.model.ids import IdMap, id_key, id_name
from anycast_lint.model.positions import Origin, SourceDocument

IPNetwork = IPv4Network | IPv6Network
IPAddress = IPv4Address | IPv6Address

EMPTY_TAGS: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class UnknownValue:
    """A value the source could not determine (unevaluated expression, "known after apply", …)."""

    field: str
    reason: str
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class Resource:
    """Common envelope: id, name, where it was declared and what is unknown about it."""

    KIND: ClassVar[str] = "resource"

    id: str
    name: str
    origin: Origin
    unknowns: tuple[UnknownValue, ...] = ()

    def unknown(self, field_name: str) -> UnknownValue | None:
        for value in self.unknowns:
            if value.field == field_name:
                return value
        return None

    @property
    def label(self) -> str:
        """`virtual network 'dns-01'`: how messages name the resource."""
        return f"{self.KIND} '{self.name}'"


@dataclass(frozen=True, slots=True)
class UnreadResource:
    """Something an input declares that may hold network resources the model reads, but that could not be
    evaluated into the model: a template resource of unknown type, a linked template not fetched."""

    what: str  # 'nested deployment', or the resource type
    reason: str
    origin: Origin

    @property
    def id(self) -> str:
        """A stable synthetic identity (file and JSON path) for fingerprints and suppressions."""
        return f"{self.origin.file}#{self.origin.json_path}"


@dataclass(frozen=True, slots=True)
class UnmodelledRouting:
    """A resource that changes routing in ways the model does not follow (Azure Route Server and its BGP
    peers, routing intent, Virtual Network Manager connectivity, VPN sites, Global Reach): never ignored
    quietly, AC002 names it and what it may change."""

    id: str
    name: str
    what: str  # `Azure Route Server`, `routing intent`, ...
    effect: str  # what it may change, in one clause
    origin: Origin


@dataclass
class TemplateRead:
    """One template file: how many network resources of the types the model reads were read into it,
    and what could not be read."""

    file: str
    read: int = 0
    unread: list[UnreadResource] = field(default_factory=list)
    not_deployed: list[UnreadResource] = field(default_factory=list)  # conditions false with the values given


# --- virtual networks -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Subnet(Resource):
    KIND: ClassVar[str] = "subnet"

    vnet_id: str
    address_prefixes: tuple[IPNetwork, ...] = ()
    route_table_id: str | None = None
    nsg_id: str | None = None
    nat_gateway_id: str | None = None
    delegations: tuple[str, ...] = ()
    default_outbound_access: bool | None = None

    @property
    def label(self) -> str:
        return f"subnet '{id_name(self.vnet_id)}/{self.name}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class Peering(Resource):
    KIND: ClassVar[str] = "peering"

    vnet_id: str
    remote_vnet_id: str | None
    allow_virtual_network_access: bool = True
    allow_forwarded_traffic: bool = False
    allow_gateway_transit: bool = False
    use_remote_gateways: bool = False
    state: str = "Connected"
    sync_level: str | None = None
    to_vwan_hub: bool = False  # the hidden peering a hub connection creates to a Microsoft-managed VNet

    @property
    def connected(self) -> bool:
        return self.state.lower() == "connected"

    @property
    def label(self) -> str:
        return f"peering '{id_name(self.vnet_id)}/{self.name}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualNetwork(Resource):
    KIND: ClassVar[str] = "virtual network"

    region: str | None = None
    address_prefixes: tuple[IPNetwork, ...] = ()
    prefix_origins: tuple[Origin, ...] = ()
    tags: Mapping[str, str] = field(default_factory=lambda: EMPTY_TAGS)  # read-only view
    subnets: tuple[Subnet, ...] = ()
    peerings: tuple[Peering, ...] = ()
    # `bgpCommunities`: the custom community Azure attaches to the VNet's routes towards on-premises, and the
    # regional one (read-only in ARM; shown only when a custom one is set, see routing/onprem.py).
    bgp_community: str | None = None
    regional_community: str | None = None
    # `summarizedGatewayPrefixes` (advertised gateway prefixes): what the VNet's gateway advertises instead of
    # the VNet's own space and the spokes the summaries cover (routing/advertise.py).
    summarized_gateway_prefixes: tuple[IPNetwork, ...] = ()
    summary_origins: tuple[Origin, ...] = ()

    def tag(self, key: str) -> str | None:
        """A tag's value; Azure tag names are case-insensitive, values are not."""
        wanted = key.lower()
        for name, value in self.tags.items():
            if name.lower() == wanted:
                return value
        return None

    def prefix_origin(self, index: int) -> Origin:
        return self.prefix_origins[index] if index < len(self.prefix_origins) else self.origin


# --- route tables, NSGs, NAT, NICs ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Route(Resource):
    KIND: ClassVar[str] = "route"

    route_table_id: str
    address_prefix: str
    prefix: IPNetwork | None = None  # None when address_prefix is a service tag
    next_hop_type: str = "None"
    next_hop_ips: tuple[IPAddress, ...] = ()
    # The next hop is this forwarder's private IP, not known before deployment (a Terraform reference
    # to `azurerm_firewall.x.ip_configuration[0].private_ip_address` on first create).
    next_hop_forwarder_id: str | None = None

    @property
    def label(self) -> str:
        return f"route '{id_name(self.route_table_id)}/{self.name}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteTable(Resource):
    KIND: ClassVar[str] = "route table"

    region: str | None = None
    routes: tuple[Route, ...] = ()
    disable_bgp_route_propagation: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityRule(Resource):
    KIND: ClassVar[str] = "security rule"

    nsg_id: str
    direction: str
    access: str
    priority: int
    protocol: str = "*"
    source_prefixes: tuple[str, ...] = ("*",)
    destination_prefixes: tuple[str, ...] = ("*",)
    source_ports: tuple[str, ...] = ("*",)
    destination_ports: tuple[str, ...] = ("*",)

    @property
    def label(self) -> str:
        return f"security rule '{id_name(self.nsg_id)}/{self.name}'"


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkSecurityGroup(Resource):
    KIND: ClassVar[str] = "network security group"

    region: str | None = None
    rules: tuple[SecurityRule, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class NatGateway(Resource):
    KIND: ClassVar[str] = "NAT gateway"

    region: str | None = None


@dataclass(frozen=True, slots=True)
class NicIpConfiguration:
    name: str
    origin: Origin
    private_ip: IPAddress | None = None
    subnet_id: str | None = None
    primary: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class NetworkInterface(Resource):
    KIND: ClassVar[str] = "network interface"

    region: str | None = None
    vm_id: str | None = None
    enable_ip_forwarding: bool = False
    ip_configurations: tuple[NicIpConfiguration, ...] = ()


# --- ExpressRoute, self-managed gateways ------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpressRouteCircuit(Resource):
    KIND: ClassVar[str] = "ExpressRoute circuit"

    region: str | None = None
    peering_location: str | None = None
    bandwidth_mbps: int | None = None
    sku_tier: str | None = None


@dataclass(frozen=True, slots=True)
class GlobalReach:
    """ExpressRoute Global Reach between two circuits' private peerings (`expressRouteCircuits/peerings/
    connections`): the circuits' edges exchange routes, Azure's VNet routes included (see routing/global_reach.py)."""

    circuit_id: str
    peer_circuit_id: str
    name: str
    origin: Origin


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualNetworkGateway(Resource):
    KIND: ClassVar[str] = "virtual network gateway"

    region: str | None = None
    gateway_type: str = "ExpressRoute"
    sku: str | None = None
    asn: int | None = None
    vnet_id: str | None = None
    bgp_peering_addresses: tuple[IPAddress, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayConnection(Resource):
    """A `Microsoft.Network/connections` resource: gateway to circuit (or gateway to gateway)."""

    KIND: ClassVar[str] = "connection"

    region: str | None = None
    connection_type: str = "ExpressRoute"
    gateway_id: str | None = None
    circuit_id: str | None = None
    peer_gateway_id: str | None = None
    routing_weight: int = 0
    express_route_gateway_bypass: bool = False  # FastPath: traffic from on-premises skips the gateway


# --- Virtual WAN ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualWan(Resource):
    KIND: ClassVar[str] = "virtual WAN"

    region: str | None = None


@dataclass(frozen=True, slots=True)
class RoutingIntent:
    """A hub's routing intent (`virtualHubs/routingIntent`): which traffic its firewall (or NVA, SaaS) carries.
    `private_next_hop` is the next hop of the PrivateTraffic policy, `internet_next_hop` of the Internet one."""

    id: str
    name: str
    origin: Origin
    private_next_hop: str | None = None
    internet_next_hop: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class VirtualHub(Resource):
    KIND: ClassVar[str] = "virtual hub"

    region: str | None = None
    wan_id: str | None = None
    address_prefix: IPNetwork | None = None
    router_asn: int = 65515
    router_ips: tuple[IPAddress, ...] = ()
    er_gateway_id: str | None = None
    firewall_id: str | None = None
    hub_routing_preference: str | None = None
    routing_intent: RoutingIntent | None = None

    @property
    def private_intent(self) -> bool:
        """Routing intent with a private traffic policy: the hub's connections propagate to the noneRouteTable
        and the next hop carries private traffic (see routing/intent.py)."""
        return self.routing_intent is not None and self.routing_intent.private_next_hop is not None


@dataclass(frozen=True, slots=True)
class HubRoute:
    name: str
    origin: Origin
    destination_type: str = "CIDR"
    destinations: tuple[str, ...] = ()
    next_hop_type: str = "ResourceId"
    next_hop: str | None = None


DEFAULT_HUB_TABLES = (("defaultRouteTable", "default"), ("noneRouteTable", "none"))  # every hub has both


def default_route_table_id(hub_id: str) -> str:
    return f"{hub_id}/hubRouteTables/defaultRouteTable"


@dataclass(frozen=True, slots=True, kw_only=True)
class HubRouteTable(Resource):
    KIND: ClassVar[str] = "hub route table"

    hub_id: str
    labels: tuple[str, ...] = ()
    routes: tuple[HubRoute, ...] = ()


@dataclass(frozen=True, slots=True)
class StaticRoute:
    """A static route on a hub connection (`vnetRoutes.staticRoutes[]`)."""

    name: str
    origin: Origin
    address_prefixes: tuple[IPNetwork, ...] = ()
    next_hop_ip: IPAddress | None = None
    next_hop_forwarder_id: str | None = None  # as on Route: the forwarder whose unknown IP is the next hop

    @property
    def next_hop_text(self) -> str:
        if self.next_hop_ip is not None:
            return str(self.next_hop_ip)
        if self.next_hop_forwarder_id is not None:
            return f"the private IP of '{id_name(self.next_hop_forwarder_id)}' (known after apply)"
        return "an unknown next hop"


@dataclass(frozen=True, slots=True)
class RoutingConfiguration:
    """The routing block shared by hub VNet connections and ExpressRoute connections."""

    origin: Origin
    associated_route_table_id: str | None = None
    propagated_route_table_ids: tuple[str, ...] = ()
    propagated_labels: tuple[str, ...] = ()
    static_routes: tuple[StaticRoute, ...] = ()
    propagate_static_routes: bool | None = None
    propagate_origin: Origin | None = None  # where propagateStaticRoutes is set, to point at it
    vnet_local_route_override: str | None = None
    inbound_route_map_id: str | None = None
    outbound_route_map_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HubVirtualNetworkConnection(Resource):
    KIND: ClassVar[str] = "hub virtual network connection"

    hub_id: str
    remote_vnet_id: str | None = None
    routing: RoutingConfiguration
    enable_internet_security: bool | None = None


@dataclass(frozen=True, slots=True)
class MatchCriterion:
    condition: str
    origin: Origin
    route_prefixes: tuple[IPNetwork, ...] = ()
    communities: tuple[str, ...] = ()
    as_paths: tuple[str, ...] = ()


ROUTE_MAP_PROPERTIES = ("asPath", "community", "routePrefix")


@dataclass(frozen=True, slots=True)
class RouteMapAction:
    """One action of a route map rule. `properties` names the parameter properties the action sets, even
    with an empty list: `Replace` of `asPath` with no value removes every ASN, which an absent `asPath`
    does not."""

    type: str
    origin: Origin
    as_paths: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    route_prefixes: tuple[IPNetwork, ...] = ()
    properties: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RouteMapRule:
    name: str
    origin: Origin
    match_criteria: tuple[MatchCriterion, ...] = ()
    actions: tuple[RouteMapAction, ...] = ()
    next_step: str = "Continue"


@dataclass(frozen=True, slots=True, kw_only=True)
class RouteMap(Resource):
    KIND: ClassVar[str] = "route map"

    hub_id: str
    rules: tuple[RouteMapRule, ...] = ()
    associated_inbound: tuple[str, ...] = ()
    associated_outbound: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpressRouteGateway(Resource):
    """The ExpressRoute gateway of a virtual hub (`Microsoft.Network/expressRouteGateways`)."""

    KIND: ClassVar[str] = "ExpressRoute gateway"

    region: str | None = None
    hub_id: str | None = None
    instance_ips: tuple[IPAddress, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpressRouteConnection(Resource):
    KIND: ClassVar[str] = "ExpressRoute connection"

    gateway_id: str
    circuit_id: str | None = None
    circuit_peering_id: str | None = None
    routing_weight: int = 0
    routing: RoutingConfiguration
    express_route_gateway_bypass: bool = False  # FastPath


# --- forwarders and services ------------------------------------------------------------------------

FORWARDER_KINDS = ("AzureFirewall", "NetworkVirtualAppliance")


@dataclass(frozen=True, slots=True, kw_only=True)
class Forwarder(Resource):
    """Something that forwards packets for other addresses: Azure Firewall or an NVA."""

    KIND: ClassVar[str] = "forwarder"

    kind: str
    region: str | None = None
    sku: str | None = None
    vnet_id: str | None = None
    hub_id: str | None = None
    private_ips: tuple[IPAddress, ...] = ()

    @property
    def label(self) -> str:
        noun = "Azure Firewall" if self.kind == "AzureFirewall" else "network virtual appliance"
        return f"{noun} '{self.name}'"


@dataclass(frozen=True, slots=True)
class EndpointIp:
    origin: Origin
    private_ip: IPAddress | None = None
    subnet_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InboundEndpoint(Resource):
    """A resolver's inbound endpoint: a separate ARM resource, linked to its resolver by id."""

    KIND: ClassVar[str] = "DNS resolver inbound endpoint"

    region: str | None = None
    resolver_id: str | None = None
    ip_configurations: tuple[EndpointIp, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboundEndpoint(Resource):
    KIND: ClassVar[str] = "DNS resolver outbound endpoint"

    region: str | None = None
    resolver_id: str | None = None
    subnet_id: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DnsResolver(Resource):
    KIND: ClassVar[str] = "DNS resolver"

    region: str | None = None
    vnet_id: str | None = None


# --- observed state -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ObservedRoute:
    """One row of `az network express-route list-route-tables`."""

    origin: Origin
    network: IPNetwork | None
    next_hop: IPAddress | None
    as_path: tuple[int, ...] = ()
    local_preference: int | None = None
    weight: int | None = None
    best: bool | None = None  # None when the output does not mark the best path


@dataclass(frozen=True, slots=True)
class ObservedRouteTable:
    """A route table read from an ExpressRoute circuit, as the user captured it."""

    origin: Origin
    routes: tuple[ObservedRoute, ...]
    circuit_name: str | None = None  # from the command line that produced it, when it was literal
    device_path: str | None = None  # primary | secondary
    peering: str | None = None

    @property
    def label(self) -> str:
        circuit = f"circuit '{self.circuit_name}'" if self.circuit_name else "an unnamed circuit"
        return f"route table of {circuit}" + (f" ({self.device_path})" if self.device_path else "")


# --- the whole picture ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Topology:
    """Everything read from the inputs, indexed by resource id."""

    virtual_networks: IdMap[VirtualNetwork] = field(default_factory=IdMap)
    route_tables: IdMap[RouteTable] = field(default_factory=IdMap)
    network_security_groups: IdMap[NetworkSecurityGroup] = field(default_factory=IdMap)
    nat_gateways: IdMap[NatGateway] = field(default_factory=IdMap)
    network_interfaces: IdMap[NetworkInterface] = field(default_factory=IdMap)
    circuits: IdMap[ExpressRouteCircuit] = field(default_factory=IdMap)
    vnet_gateways: IdMap[VirtualNetworkGateway] = field(default_factory=IdMap)
    gateway_connections: IdMap[GatewayConnection] = field(default_factory=IdMap)
    virtual_wans: IdMap[VirtualWan] = field(default_factory=IdMap)
    virtual_hubs: IdMap[VirtualHub] = field(default_factory=IdMap)
    hub_route_tables: IdMap[HubRouteTable] = field(default_factory=IdMap)
    hub_connections: IdMap[HubVirtualNetworkConnection] = field(default_factory=IdMap)
    route_maps: IdMap[RouteMap] = field(default_factory=IdMap)
    er_gateways: IdMap[ExpressRouteGateway] = field(default_factory=IdMap)
    er_connections: IdMap[ExpressRouteConnection] = field(default_factory=IdMap)
    forwarders: IdMap[Forwarder] = field(default_factory=IdMap)
    dns_resolvers: IdMap[DnsResolver] = field(default_factory=IdMap)
    inbound_endpoints: IdMap[InboundEndpoint] = field(default_factory=IdMap)
    outbound_endpoints: IdMap[OutboundEndpoint] = field(default_factory=IdMap)
    observed_route_tables: tuple[ObservedRouteTable, ...] = ()
    global_reach: tuple[GlobalReach, ...] = ()  # circuit pairs linked by Global Reach
    documents: tuple[SourceDocument, ...] = ()
    template_reads: tuple[TemplateRead, ...] = ()  # per template file: network resources read and unread
    coverage: Coverage = field(default_factory=Coverage)  # which kinds the inputs cover (see coverage.py)
    unmodelled: tuple[UnmodelledRouting, ...] = ()  # resources that change routing but are not modelled

    # Collections that are embedded in a parent get their own id index on first use.
    @cached_property
    def subnets(self) -> IdMap[Subnet]:
        return IdMap.of([s for vnet in self.virtual_networks.values() for s in vnet.subnets])

    @cached_property
    def peerings(self) -> IdMap[Peering]:
        return IdMap.of([p for vnet in self.virtual_networks.values() for p in vnet.peerings])

    @cached_property
    def peerings_by_remote(self) -> dict[str, list[tuple[VirtualNetwork, Peering]]]:
        """Remote VNet key -> (VNet, peering) of every peering that points at it: who peers with a hub."""
        index: dict[str, list[tuple[VirtualNetwork, Peering]]] = {}
        for vnet in self.virtual_networks.values():
            for peering in vnet.peerings:
                if peering.remote_vnet_id:
                    index.setdefault(id_key(peering.remote_vnet_id), []).append((vnet, peering))
        return index

    @cached_property
    def hub_connections_by_remote(self) -> dict[str, list[HubVirtualNetworkConnection]]:
        """Remote VNet key -> the hub connections to it, in input order: rules ask per VNet whether a hub
        connects it (design B), and walking every connection per VNet was quadratic."""
        index: dict[str, list[HubVirtualNetworkConnection]] = {}
        for connection in self.hub_connections.values():
            if connection.remote_vnet_id:
                index.setdefault(id_key(connection.remote_vnet_id), []).append(connection)
        return index

    @cached_property
    def addresses_by_subnet(self) -> dict[str, list[tuple[IPAddress | None, InboundEndpoint | NetworkInterface]]]:
        """Subnet key -> (address, owner) of every resolver inbound endpoint and NIC configuration in it.

        Rules ask "what answers in this VNet" once per member; indexing once keeps that linear in the
        tenant size instead of members x NICs.
        """
        index: dict[str, list[tuple[IPAddress | None, InboundEndpoint | NetworkInterface]]] = {}
        for endpoint in self.inbound_endpoints.values():
            for config in endpoint.ip_configurations:
                if config.subnet_id:
                    index.setdefault(id_key(config.subnet_id), []).append((config.private_ip, endpoint))
        for nic in self.network_interfaces.values():
            for nic_config in nic.ip_configurations:
                if nic_config.subnet_id:
                    index.setdefault(id_key(nic_config.subnet_id), []).append((nic_config.private_ip, nic))
        return index

    def addresses_in(self, vnet: VirtualNetwork) -> Iterator[tuple[Subnet, IPAddress | None, Resource]]:
        """(subnet, address, owner) for every endpoint and NIC configuration in a VNet."""
        index = self.addresses_by_subnet
        for subnet in vnet.subnets:
            for address, owner in index.get(id_key(subnet.id), ()):
                yield subnet, address, owner

    def vnet_of_subnet(self, subnet_id: str | None) -> VirtualNetwork | None:
        subnet = self.subnets.find(subnet_id)
        return self.virtual_networks.find(subnet.vnet_id) if subnet else None

    def collections(self) -> Iterator[tuple[str, IdMap[Resource]]]:
        """(name, map) for every resource collection, for counting and generic lookups."""
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, IdMap):
                yield name, value

    def find(self, resource_id: str | None) -> Resource | None:
        """Any top-level or embedded resource by id."""
        if resource_id is None:
            return None
        for _, mapping in self.collections():
            found = mapping.find(resource_id)
            if found is not None:
                return found
        for extra in (self.subnets, self.peerings):
            child: Resource | None = extra.find(resource_id)
            if child is not None:
                return child
        return None

    def counts(self) -> dict[str, int]:
        counts = {name: len(mapping) for name, mapping in self.collections() if len(mapping)}
        if self.observed_route_tables:
            counts["observed_route_tables"] = len(self.observed_route_tables)
        return counts

    def all_unknowns(self) -> list[tuple[Resource, UnknownValue]]:
        """Every value some source could not determine, embedded resources included, for reporting."""
        found: list[tuple[Resource, UnknownValue]] = []
        for _, mapping in self.collections():
            for resource in mapping.values():
                if resource.unknowns:
                    found += [(resource, u) for u in resource.unknowns]
                for name in _embedded_fields(type(resource)):
                    for child in getattr(resource, name):
                        if child.unknowns:
                            found += [(child, u) for u in child.unknowns]
        return found


_TUPLE_OF = re.compile(r"tuple\[(\w+), \.\.\.\]\Z")
_EMBEDDED_FIELDS: dict[type[Resource], tuple[str, ...]] = {}


def _embedded_fields(kind: type[Resource]) -> tuple[str, ...]:
    """The fields of a resource class that keep resources inside it (a VNet's subnets and peerings, a table's
    routes, an NSG's rules): those declared `tuple[SomeResource, ...]`. Found once per class from the
    declarations, so that listing unknowns looks at those fields only, not at every field of every resource."""
    fields = _EMBEDDED_FIELDS.get(kind)
    if fields is None:
        fields = tuple(
            name
            for name, declared in kind.__dataclass_fields__.items()
            if isinstance(declared.type, str)
            and (match := _TUPLE_OF.match(declared.type))
            and isinstance(item := globals().get(match.group(1)), type)
            and issubclass(item, Resource)
        )
        _EMBEDDED_FIELDS[kind] = fields
    return fields

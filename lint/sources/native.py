"""The native topology format (`apiVersion: anycast-lint/v1`, `kind: Topology`), YAML or JSON.

Concise enough to sketch a design by hand: resources refer to each other by name (or full id), ids are
built from the file's default subscription and resource group, and hub children (route tables,
connections, route maps, the ExpressRoute gateway) nest inside their hub. Loading runs in three passes
over all native files together: schema check, naming every resource, then building objects with every
reference resolved, so one file can refer to a resource declared in another.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.inputs.schema import validate
from anycast_lint.model.ids import arm_id, id_key, id_name, is_resource_id, network_id
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    DEFAULT_HUB_TABLES,
    ROUTE_MAP_PROPERTIES,
    DnsResolver,
    EndpointIp,
    ExpressRouteCircuit,
    ExpressRouteConnection,
    ExpressRouteGateway,
    Forwarder,
    GatewayConnection,
    GlobalReach,
    HubRoute,
    HubRouteTable,
    HubVirtualNetworkConnection,
    InboundEndpoint,
    IPNetwork,
    MatchCriterion,
    NatGateway,
    NetworkInterface,
    NetworkSecurityGroup,
    NicIpConfiguration,
    OutboundEndpoint,
    Peering,
    Route,
    RouteMap,
    RouteMapAction,
    RouteMapRule,
    RouteTable,
    RoutingConfiguration,
    RoutingIntent,
    SecurityRule,
    StaticRoute,
    Subnet,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
    VirtualWan,
)
from anycast_lint.model.values import as_tag_value, is_service_tag, parse_asn, parse_ip, parse_nsg_address, parse_prefix

API_PREFIX = "anycast-lint/"
DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
DEFAULT_RESOURCE_GROUP = "anycast-lint"

# kind -> (top-level key, ARM type segment, words for messages)
TOP_LEVEL: dict[str, tuple[str, str, str]] = {
    "circuit": ("expressRouteCircuits", "expressRouteCircuits", "ExpressRoute circuit"),
    "vnet": ("virtualNetworks", "virtualNetworks", "virtual network"),
    "routeTable": ("routeTables", "routeTables", "route table"),
    "nsg": ("networkSecurityGroups", "networkSecurityGroups", "network security group"),
    "natGateway": ("natGateways", "natGateways", "NAT gateway"),
    "nic": ("networkInterfaces", "networkInterfaces", "network interface"),
    "vnetGateway": ("virtualNetworkGateways", "virtualNetworkGateways", "virtual network gateway"),
    "connection": ("connections", "connections", "connection"),
    "wan": ("virtualWans", "virtualWans", "virtual WAN"),
    "hub": ("virtualHubs", "virtualHubs", "virtual hub"),
    "firewall": ("azureFirewalls", "azureFirewalls", "Azure Firewall"),
    "nva": ("networkVirtualAppliances", "networkVirtualAppliances", "network virtual appliance"),
    "resolver": ("dnsResolvers", "dnsResolvers", "DNS resolver"),
}
CHILD_WORDS = {"subnet": "subnet", "hubRouteTable": "hub route table", "routeMap": "route map"}


def claims(data: Any) -> bool:
    """Is this parsed file a native topology document?"""
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and data["apiVersion"].startswith(API_PREFIX)
        and data.get("kind") == "Topology"
    )


def near_miss(data: Any) -> str | None:
    """What keeps a file that looks like a native topology from being one (a user's most common slip: `kind:
    topology`, or no `apiVersion`), said plainly instead of "not a recognised input"."""
    if not isinstance(data, dict):
        return None
    sections = {key for key, _, _ in TOP_LEVEL.values()} | {"virtualHubs", "defaults"}
    api, kind = data.get("apiVersion"), data.get("kind")
    looks = bool(sections & set(data)) or (isinstance(api, str) and api.startswith(API_PREFIX))
    if not looks:
        return None
    wanted = f"apiVersion: {API_PREFIX}v1 and kind: Topology"
    if not isinstance(api, str) or not api.startswith(API_PREFIX):
        found = f"apiVersion {api!r}" if api is not None else "no apiVersion"
        return f"this looks like an anycast-lint topology, but it has {found} (expected {wanted})"
    if kind != "Topology":
        found = f"kind {kind!r}" if kind is not None else "no kind"
        hint = " (kinds are case-sensitive)" if isinstance(kind, str) and kind.lower() == "topology" else ""
        return f"this looks like an anycast-lint topology, but it has {found}{hint} (expected {wanted})"
    return None


@dataclass
class _Doc:
    parsed: ParsedFile
    data: dict[str, Any]
    subscription: str
    resource_group: str
    region: str | None

    def origin(self, *pointer: str | int) -> Origin:
        return Origin.of(self.parsed.document, pointer)


@dataclass
class _Declared:
    id: str
    doc: _Doc
    origin: Origin
    name: str


@dataclass
class _Names:
    """Every declared resource by kind and lower-cased name, for resolving references."""

    by_kind: dict[str, dict[str, list[_Declared]]] = field(default_factory=dict)
    ids: dict[str, dict[str, _Declared]] = field(default_factory=dict)

    def declare(self, kind: str, name: str, declared: _Declared) -> None:
        existing = self.ids.setdefault(kind, {}).get(id_key(declared.id))
        if existing is not None:
            words = TOP_LEVEL[kind][2] if kind in TOP_LEVEL else CHILD_WORDS.get(kind, kind)
            raise _error(declared.origin, f"{words} '{name}' is declared twice (first at {existing.origin})")
        self.ids[kind][id_key(declared.id)] = declared
        self.by_kind.setdefault(kind, {}).setdefault(name.lower(), []).append(declared)


def _error(origin: Origin, message: str) -> InputError:
    return InputError.at(origin, message)


def check(parsed: ParsedFile) -> list[InputError]:
    """Every schema violation of one file (the loader checks all files before it builds any)."""
    try:
        validate(parsed.data, "topology.schema.json", parsed.document)
    except InputErrors as exc:
        return exc.errors
    except InputError as exc:
        return [exc]
    return []


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    """Translate native topology files, already checked against the schema, into model objects."""
    docs = []
    for parsed in files:
        defaults = parsed.data.get("defaults", {})
        docs.append(
            _Doc(
                parsed,
                parsed.data,
                defaults.get("subscription", DEFAULT_SUBSCRIPTION),
                defaults.get("resourceGroup", DEFAULT_RESOURCE_GROUP),
                defaults.get("region"),
            )
        )
    builder.cover(
        None, declared=True
    )  # the author's whole design, by declaration (the config's `coverage:` may say otherwise)
    names = _Names()
    for doc in docs:
        _declare_all(doc, names)
    for doc in docs:
        builder.add_document(doc.parsed.document)
        _NativeBuilder(doc, names, builder).build()


def _resource_id(doc: _Doc, entry: dict[str, Any], type_segment: str) -> str:
    if "id" in entry:
        return str(entry["id"])
    return network_id(
        entry.get("subscription", doc.subscription),
        entry.get("resourceGroup", doc.resource_group),
        type_segment,
        entry["name"],
    )


def _declare_all(doc: _Doc, names: _Names) -> None:
    for kind, (key, type_segment, _) in TOP_LEVEL.items():
        for index, entry in enumerate(doc.data.get(key, [])):
            origin = doc.origin(key, index)
            resource_id = _resource_id(doc, entry, type_segment)
            names.declare(kind, entry["name"], _Declared(resource_id, doc, origin, entry["name"]))
            if kind == "vnet":
                for sub_index, subnet in enumerate(entry.get("subnets", [])):
                    sub_origin = origin.child("subnets", sub_index)
                    subnet_id = f"{resource_id}/subnets/{subnet['name']}"
                    qualified = f"{entry['name']}/{subnet['name']}"
                    names.declare("subnet", qualified, _Declared(subnet_id, doc, sub_origin, qualified))
            if kind == "hub":
                declared_tables = {t["name"].lower() for t in entry.get("routeTables", [])}
                for t_index, table in enumerate(entry.get("routeTables", [])):
                    table_id = f"{resource_id}/hubRouteTables/{table['name']}"
                    t_origin = origin.child("routeTables", t_index)
                    qualified = f"{entry['name']}/{table['name']}"
                    names.declare("hubRouteTable", qualified, _Declared(table_id, doc, t_origin, qualified))
                for table_name, _label in DEFAULT_HUB_TABLES:
                    if table_name.lower() not in declared_tables:
                        table_id = f"{resource_id}/hubRouteTables/{table_name}"
                        qualified = f"{entry['name']}/{table_name}"
                        names.declare("hubRouteTable", qualified, _Declared(table_id, doc, origin, qualified))
                for m_index, route_map in enumerate(entry.get("routeMaps", [])):
                    map_id = f"{resource_id}/routeMaps/{route_map['name']}"
                    m_origin = origin.child("routeMaps", m_index)
                    qualified = f"{entry['name']}/{route_map['name']}"
                    names.declare("routeMap", qualified, _Declared(map_id, doc, m_origin, qualified))


class _NativeBuilder:
    """Builds the model objects of one native document."""

    def __init__(self, doc: _Doc, names: _Names, builder: TopologyBuilder):
        self.doc = doc
        self.names = names
        self.builder = builder
        self.hub_firewalls: dict[str, str] = {}

    # -- references ------------------------------------------------------------------------------

    def ref(self, kind: str, value: str, origin: Origin) -> str:
        """Resolve a reference to a top-level resource: a full id, or a name declared in some file."""
        if is_resource_id(value):
            return value
        candidates = self.names.by_kind.get(kind, {}).get(value.lower(), [])
        local = [c for c in candidates if c.doc is self.doc]
        chosen = local or candidates
        if len(chosen) == 1:
            return chosen[0].id
        words = TOP_LEVEL[kind][2] if kind in TOP_LEVEL else CHILD_WORDS[kind]
        if len(chosen) > 1:
            places = ", ".join(str(c.origin) for c in chosen)
            raise _error(origin, f"{words} name {value!r} is ambiguous ({places}); use the resource id")
        known = [d.name for declared in self.names.by_kind.get(kind, {}).values() for d in declared]
        close = difflib.get_close_matches(value, known, n=1)
        where = TOP_LEVEL[kind][0] if kind in TOP_LEVEL else "the topology"
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise _error(origin, f"unknown {words} {value!r} (expected a name from {where} or a resource id){hint}")

    def subnet_ref(self, value: str, origin: Origin, vnet_name: str | None = None) -> str:
        """Resolve `VNET/SUBNET`, a bare subnet name inside `vnet_name`, or a subnet id."""
        if is_resource_id(value):
            return value
        key = value if "/" in value or vnet_name is None else f"{vnet_name}/{value}"
        if "/" not in key:
            raise _error(origin, f"expected a subnet as VNET/SUBNET or a subnet id, got {value!r}")
        return self.ref("subnet", key, origin)

    def hub_child_ref(self, kind: str, hub_name: str, value: str, origin: Origin) -> str:
        if is_resource_id(value):
            return value
        key = value if "/" in value else f"{hub_name}/{value}"
        return self.ref(kind, key, origin)

    def common(self, kind: str, index: int) -> tuple[dict[str, Any], Origin, str, str | None]:
        key, type_segment, _ = TOP_LEVEL[kind]
        entry = self.doc.data[key][index]
        return (
            entry,
            self.doc.origin(key, index),
            _resource_id(self.doc, entry, type_segment),
            entry.get("region", self.doc.region),
        )

    def entries(self, kind: str) -> range:
        return range(len(self.doc.data.get(TOP_LEVEL[kind][0], [])))

    # -- build -------------------------------------------------------------------------------------

    def build(self) -> None:
        for index in self.entries("firewall"):
            entry, origin, resource_id, _ = self.common("firewall", index)
            if "virtualHub" in entry:
                hub_id = self.ref("hub", entry["virtualHub"], origin.child("virtualHub"))
                self.hub_firewalls[id_key(hub_id)] = resource_id
        steps: list[tuple[str, Callable[[int], None]]] = [
            ("circuit", self.circuit),
            ("vnet", self.vnet),
            ("routeTable", self.route_table),
            ("nsg", self.nsg),
            ("natGateway", self.nat_gateway),
            ("nic", self.nic),
            ("vnetGateway", self.vnet_gateway),
            ("connection", self.connection),
            ("wan", self.wan),
            ("hub", self.hub),
            ("firewall", self.firewall),
            ("nva", self.nva),
            ("resolver", self.resolver),
        ]
        for kind, step in steps:
            for index in self.entries(kind):
                step(index)

    def circuit(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("circuit", index)
        self.builder.add(
            ExpressRouteCircuit(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                peering_location=entry.get("peeringLocation"),
                bandwidth_mbps=entry.get("bandwidthInMbps"),
                sku_tier=entry.get("skuTier"),
            )
        )
        for r_index, peer in enumerate(entry.get("globalReach", [])):
            at = origin.child("globalReach", r_index)
            peer_id = self.ref("circuit", peer, at)
            self.builder.global_reach.append(
                GlobalReach(resource_id, peer_id, f"{entry['name']}-{id_name(peer_id)}", at)
            )

    def vnet(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("vnet", index)
        prefixes = []
        prefix_origins = []
        for p_index, text in enumerate(entry["addressSpace"]):
            p_origin = origin.child("addressSpace", p_index)
            prefixes.append(parse_prefix(text, p_origin))
            prefix_origins.append(p_origin)
        subnets = tuple(
            self.subnet(resource_id, subnet, origin.child("subnets", s_index))
            for s_index, subnet in enumerate(entry.get("subnets", []))
        )
        peerings = tuple(
            self.peering(resource_id, entry["name"], peering, origin.child("peerings", p_index))
            for p_index, peering in enumerate(entry.get("peerings", []))
        )
        self.builder.add(
            VirtualNetwork(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                address_prefixes=tuple(prefixes),
                prefix_origins=tuple(prefix_origins),
                tags=MappingProxyType({k: as_tag_value(v) for k, v in entry.get("tags", {}).items()}),
                subnets=subnets,
                peerings=peerings,
                summarized_gateway_prefixes=tuple(
                    parse_prefix(text, origin.child("summarizedGatewayPrefixes", i))
                    for i, text in enumerate(entry.get("summarizedGatewayPrefixes", []))
                ),
                summary_origins=tuple(
                    origin.child("summarizedGatewayPrefixes", i)
                    for i in range(len(entry.get("summarizedGatewayPrefixes", [])))
                ),
                bgp_community=entry.get("bgpCommunities", {}).get("virtualNetworkCommunity"),
                regional_community=entry.get("bgpCommunities", {}).get("regionalCommunity"),
            )
        )

    def subnet(self, vnet_id: str, entry: dict[str, Any], origin: Origin) -> Subnet:
        if "addressPrefix" in entry and "addressPrefixes" in entry:
            raise _error(origin, "give either addressPrefix or addressPrefixes, not both")
        prefixes: tuple[IPNetwork, ...]
        if "addressPrefix" in entry:
            prefixes = (parse_prefix(entry["addressPrefix"], origin.child("addressPrefix")),)
        else:
            prefixes = tuple(
                parse_prefix(text, origin.child("addressPrefixes", i))
                for i, text in enumerate(entry.get("addressPrefixes", []))
            )
        return Subnet(
            id=f"{vnet_id}/subnets/{entry['name']}",
            name=entry["name"],
            origin=origin,
            vnet_id=vnet_id,
            address_prefixes=prefixes,
            route_table_id=self.optional_ref("routeTable", entry, "routeTable", origin),
            nsg_id=self.optional_ref("nsg", entry, "networkSecurityGroup", origin),
            nat_gateway_id=self.optional_ref("natGateway", entry, "natGateway", origin),
            delegations=tuple(entry.get("delegations", [])),
            default_outbound_access=entry.get("defaultOutboundAccess"),
        )

    def optional_ref(self, kind: str, entry: dict[str, Any], key: str, origin: Origin) -> str | None:
        return self.ref(kind, entry[key], origin.child(key)) if key in entry else None

    def peering(self, vnet_id: str, vnet_name: str, entry: dict[str, Any], origin: Origin) -> Peering:
        remote_id = self.ref("vnet", entry["remoteVirtualNetwork"], origin.child("remoteVirtualNetwork"))
        remote_name = remote_id.rstrip("/").rsplit("/", 1)[-1]
        name = entry.get("name", f"{vnet_name}-to-{remote_name}")
        return Peering(
            id=f"{vnet_id}/virtualNetworkPeerings/{name}",
            name=name,
            origin=origin,
            vnet_id=vnet_id,
            remote_vnet_id=remote_id,
            allow_virtual_network_access=entry.get("allowVirtualNetworkAccess", True),
            allow_forwarded_traffic=entry.get("allowForwardedTraffic", False),
            allow_gateway_transit=entry.get("allowGatewayTransit", False),
            use_remote_gateways=entry.get("useRemoteGateways", False),
            state=entry.get("peeringState", "Connected"),
        )

    def route_table(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("routeTable", index)
        routes = []
        for r_index, route in enumerate(entry.get("routes", [])):
            r_origin = origin.child("routes", r_index)
            text = str(route["addressPrefix"])
            prefix = parse_prefix(text, r_origin.child("addressPrefix")) if not is_service_tag(text) else None
            hops = []
            if "nextHopIpAddress" in route:
                hops.append(parse_ip(route["nextHopIpAddress"], r_origin.child("nextHopIpAddress")))
            for h_index, hop in enumerate(route.get("nextHopIpAddresses", [])):
                hops.append(parse_ip(hop, r_origin.child("nextHopIpAddresses", h_index)))
            if route["nextHopType"] in ("VirtualAppliance", "VirtualApplianceEcmp") and not hops:
                raise _error(
                    r_origin,
                    f"route {route['name']!r} has nextHopType {route['nextHopType']} but no nextHopIpAddress",
                )
            routes.append(
                Route(
                    id=f"{resource_id}/routes/{route['name']}",
                    name=route["name"],
                    origin=r_origin,
                    route_table_id=resource_id,
                    address_prefix=text,
                    prefix=prefix,
                    next_hop_type=route["nextHopType"],
                    next_hop_ips=tuple(hops),
                )
            )
        self.builder.add(
            RouteTable(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                routes=tuple(routes),
                disable_bgp_route_propagation=entry.get("disableBgpRoutePropagation", False),
            )
        )

    def nsg(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nsg", index)
        rules = []
        for r_index, rule in enumerate(entry.get("securityRules", [])):
            r_origin = origin.child("securityRules", r_index)
            rules.append(
                SecurityRule(
                    id=f"{resource_id}/securityRules/{rule['name']}",
                    name=rule["name"],
                    origin=r_origin,
                    nsg_id=resource_id,
                    direction=rule["direction"],
                    access=rule["access"],
                    priority=rule["priority"],
                    protocol=rule.get("protocol", "*"),
                    source_prefixes=_nsg_addresses(rule, "sourceAddressPrefix", r_origin),
                    destination_prefixes=_nsg_addresses(rule, "destinationAddressPrefix", r_origin),
                    source_ports=_singular_or_plural(rule, "sourcePortRange"),
                    destination_ports=_singular_or_plural(rule, "destinationPortRange"),
                )
            )
        self.builder.add(
            NetworkSecurityGroup(id=resource_id, name=entry["name"], origin=origin, region=region, rules=tuple(rules))
        )

    def nat_gateway(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("natGateway", index)
        self.builder.add(NatGateway(id=resource_id, name=entry["name"], origin=origin, region=region))

    def nic(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nic", index)
        vm_id = None
        if "virtualMachine" in entry:
            vm = str(entry["virtualMachine"])
            subscription = entry.get("subscription", self.doc.subscription)
            resource_group = entry.get("resourceGroup", self.doc.resource_group)
            vm_id = (
                vm
                if is_resource_id(vm)
                else arm_id(subscription, resource_group, "Microsoft.Compute", "virtualMachines", vm)
            )
        configs = []
        for c_index, config in enumerate(entry["ipConfigurations"]):
            c_origin = origin.child("ipConfigurations", c_index)
            ip = (
                parse_ip(config["privateIPAddress"], c_origin.child("privateIPAddress"))
                if ("privateIPAddress" in config)
                else None
            )
            configs.append(
                NicIpConfiguration(
                    name=config["name"],
                    origin=c_origin,
                    private_ip=ip,
                    subnet_id=self.subnet_ref(config["subnet"], c_origin.child("subnet")),
                    primary=config.get("primary", c_index == 0),
                )
            )
        self.builder.add(
            NetworkInterface(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                vm_id=vm_id,
                enable_ip_forwarding=entry.get("enableIPForwarding", False),
                ip_configurations=tuple(configs),
            )
        )

    def vnet_gateway(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("vnetGateway", index)
        addresses = tuple(
            parse_ip(ip, origin.child("bgpPeeringAddresses", i))
            for i, ip in enumerate(entry.get("bgpPeeringAddresses", []))
        )
        asn = parse_asn(entry["asn"], origin.child("asn")) if "asn" in entry else 65515
        self.builder.add(
            VirtualNetworkGateway(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                gateway_type=entry.get("gatewayType", "ExpressRoute"),
                sku=entry.get("sku"),
                asn=asn,
                vnet_id=self.ref("vnet", entry["virtualNetwork"], origin.child("virtualNetwork")),
                bgp_peering_addresses=addresses,
            )
        )

    def connection(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("connection", index)
        connection_type = entry.get("connectionType", "ExpressRoute")
        if connection_type == "ExpressRoute" and "circuit" not in entry:
            raise _error(origin, "an ExpressRoute connection needs 'circuit'")
        self.builder.add(
            GatewayConnection(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                connection_type=connection_type,
                gateway_id=self.ref("vnetGateway", entry["gateway"], origin.child("gateway")),
                circuit_id=self.optional_ref("circuit", entry, "circuit", origin),
                peer_gateway_id=self.optional_ref("vnetGateway", entry, "peerGateway", origin),
                routing_weight=entry.get("routingWeight", 0),
                express_route_gateway_bypass=entry.get("expressRouteGatewayBypass", False),
            )
        )

    def wan(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("wan", index)
        self.builder.add(VirtualWan(id=resource_id, name=entry["name"], origin=origin, region=region))

    def hub(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("hub", index)
        hub_name = entry["name"]
        tables = self.hub_route_tables(resource_id, entry, origin)
        for table in tables:
            self.builder.add(table)
        connections = [
            self.hub_connection(resource_id, hub_name, conn, origin.child("virtualNetworkConnections", c_index))
            for c_index, conn in enumerate(entry.get("virtualNetworkConnections", []))
        ]
        for connection in connections:
            self.builder.add(connection)
        er_gateway_id = None
        er_connections: list[ExpressRouteConnection] = []
        if "expressRouteGateway" in entry:
            er_gateway_id, er_connections = self.er_gateway(resource_id, hub_name, entry, region, origin)
        routings = [c.routing for c in connections] + [c.routing for c in er_connections]
        owners = [c.id for c in connections] + [c.id for c in er_connections]
        for m_index, route_map in enumerate(entry.get("routeMaps", [])):
            map_id = f"{resource_id}/routeMaps/{route_map['name']}"
            inbound = tuple(o for o, r in zip(owners, routings, strict=True) if _same(r.inbound_route_map_id, map_id))
            outbound = tuple(o for o, r in zip(owners, routings, strict=True) if _same(r.outbound_route_map_id, map_id))
            self.builder.add(
                self.route_map(resource_id, route_map, origin.child("routeMaps", m_index), inbound, outbound)
            )
        self.builder.add(
            VirtualHub(
                id=resource_id,
                name=hub_name,
                origin=origin,
                region=region,
                wan_id=self.ref("wan", entry["virtualWan"], origin.child("virtualWan")),
                address_prefix=parse_prefix(entry["addressPrefix"], origin.child("addressPrefix")),
                router_asn=entry.get("virtualRouterAsn", 65515),
                router_ips=tuple(
                    parse_ip(ip, origin.child("virtualRouterIps", i))
                    for i, ip in enumerate(entry.get("virtualRouterIps", []))
                ),
                er_gateway_id=er_gateway_id,
                firewall_id=self.hub_firewalls.get(id_key(resource_id)),
                hub_routing_preference=entry.get("hubRoutingPreference"),
                routing_intent=self.routing_intent(resource_id, entry, origin),
            )
        )

    def routing_intent(self, hub_id: str, entry: dict[str, Any], origin: Origin) -> RoutingIntent | None:
        """`routingIntent.routingPolicies`, as ARM writes them; a next hop names a firewall or an NVA."""
        if "routingIntent" not in entry:
            return None
        body, at = entry["routingIntent"], origin.child("routingIntent")
        hops: dict[str, str] = {}
        for index, policy in enumerate(body["routingPolicies"]):
            value, where = policy["nextHop"], at.child("routingPolicies", index, "nextHop")
            kind = "nva" if any(n.lower() == value.lower() for n in self.names.by_kind.get("nva", {})) else "firewall"
            next_hop = self.ref(kind, value, where)
            for destination in policy["destinations"]:
                hops[destination] = next_hop
        name = body.get("name", "intent")
        return RoutingIntent(
            f"{hub_id}/routingIntent/{name}", name, at, hops.get("PrivateTraffic"), hops.get("Internet")
        )

    def hub_route_tables(self, hub_id: str, entry: dict[str, Any], origin: Origin) -> list[HubRouteTable]:
        tables = []
        # A route's next hop may name one of this hub's VNet connections ("option 2" static routes): keep its id,
        # as an ARM export does.
        connections = {
            c["name"]: f"{hub_id}/hubVirtualNetworkConnections/{c['name']}"
            for c in entry.get("virtualNetworkConnections", [])
        }
        for t_index, table in enumerate(entry.get("routeTables", [])):
            t_origin = origin.child("routeTables", t_index)
            routes = tuple(
                HubRoute(
                    name=route["name"],
                    origin=t_origin.child("routes", r_index),
                    destination_type=route.get("destinationType", "CIDR"),
                    destinations=tuple(route["destinations"]),
                    next_hop_type=route.get("nextHopType", "ResourceId"),
                    next_hop=connections.get(route["nextHop"], route["nextHop"]),
                )
                for r_index, route in enumerate(table.get("routes", []))
            )
            tables.append(
                HubRouteTable(
                    id=f"{hub_id}/hubRouteTables/{table['name']}",
                    name=table["name"],
                    origin=t_origin,
                    hub_id=hub_id,
                    labels=tuple(table.get("labels", [])),
                    routes=routes,
                )
            )
        declared = {t.name.lower() for t in tables}
        for table_name, label in DEFAULT_HUB_TABLES:
            if table_name.lower() not in declared:
                tables.append(
                    HubRouteTable(
                        id=f"{hub_id}/hubRouteTables/{table_name}",
                        name=table_name,
                        origin=origin,
                        hub_id=hub_id,
                        labels=(label,),
                    )
                )
        return tables

    def routing(self, hub_id: str, hub_name: str, entry: dict[str, Any], origin: Origin) -> RoutingConfiguration:
        """Routing with Azure's defaults: associated with and propagating to defaultRouteTable."""
        config = entry.get("routingConfiguration", {})
        c_origin = origin.child("routingConfiguration")
        default_table = f"{hub_id}/hubRouteTables/defaultRouteTable"
        associated = (
            self.hub_child_ref(
                "hubRouteTable",
                hub_name,
                config["associatedRouteTable"],
                c_origin.child("associatedRouteTable"),
            )
            if "associatedRouteTable" in config
            else default_table
        )
        if "propagatedRouteTables" in config:
            propagated = config["propagatedRouteTables"]
            p_origin = c_origin.child("propagatedRouteTables")
            ids = tuple(
                self.hub_child_ref("hubRouteTable", hub_name, ref, p_origin.child("ids", i))
                for i, ref in enumerate(propagated.get("ids", []))
            )
            labels = tuple(propagated.get("labels", []))
        else:
            ids, labels = (default_table,), ("default",)
        static_routes = []
        for s_index, route in enumerate(config.get("staticRoutes", [])):
            s_origin = c_origin.child("staticRoutes", s_index)
            static_routes.append(
                StaticRoute(
                    name=route["name"],
                    origin=s_origin,
                    address_prefixes=tuple(
                        parse_prefix(p, s_origin.child("addressPrefixes", i))
                        for i, p in enumerate(route["addressPrefixes"])
                    ),
                    next_hop_ip=parse_ip(route["nextHopIpAddress"], s_origin.child("nextHopIpAddress")),
                )
            )
        return RoutingConfiguration(
            origin=c_origin,
            associated_route_table_id=associated,
            propagated_route_table_ids=ids,
            propagated_labels=labels,
            static_routes=tuple(static_routes),
            propagate_static_routes=config.get("propagateStaticRoutes"),
            propagate_origin=c_origin.child("propagateStaticRoutes") if "propagateStaticRoutes" in config else None,
            vnet_local_route_override=config.get("vnetLocalRouteOverrideCriteria"),
            inbound_route_map_id=self.route_map_ref(hub_name, config, "inboundRouteMap", c_origin),
            outbound_route_map_id=self.route_map_ref(hub_name, config, "outboundRouteMap", c_origin),
        )

    def route_map_ref(self, hub_name: str, config: dict[str, Any], key: str, origin: Origin) -> str | None:
        if key not in config:
            return None
        return self.hub_child_ref("routeMap", hub_name, config[key], origin.child(key))

    def hub_connection(
        self, hub_id: str, hub_name: str, entry: dict[str, Any], origin: Origin
    ) -> HubVirtualNetworkConnection:
        return HubVirtualNetworkConnection(
            id=f"{hub_id}/hubVirtualNetworkConnections/{entry['name']}",
            name=entry["name"],
            origin=origin,
            hub_id=hub_id,
            remote_vnet_id=self.ref("vnet", entry["remoteVirtualNetwork"], origin.child("remoteVirtualNetwork")),
            routing=self.routing(hub_id, hub_name, entry, origin),
            enable_internet_security=entry.get("enableInternetSecurity"),
        )

    def er_gateway(
        self, hub_id: str, hub_name: str, hub_entry: dict[str, Any], region: str | None, hub_origin: Origin
    ) -> tuple[str, list[ExpressRouteConnection]]:
        entry = hub_entry["expressRouteGateway"]
        origin = hub_origin.child("expressRouteGateway")
        gateway_id = network_id(
            hub_entry.get("subscription", self.doc.subscription),
            hub_entry.get("resourceGroup", self.doc.resource_group),
            "expressRouteGateways",
            entry["name"],
        )
        connections = []
        for c_index, conn in enumerate(entry.get("connections", [])):
            c_origin = origin.child("connections", c_index)
            circuit_id = self.ref("circuit", conn["circuit"], c_origin.child("circuit"))
            connection = ExpressRouteConnection(
                id=f"{gateway_id}/expressRouteConnections/{conn['name']}",
                name=conn["name"],
                origin=c_origin,
                gateway_id=gateway_id,
                circuit_id=circuit_id,
                circuit_peering_id=f"{circuit_id}/peerings/AzurePrivatePeering",
                routing_weight=conn.get("routingWeight", 0),
                express_route_gateway_bypass=conn.get("expressRouteGatewayBypass", False),
                routing=self.routing(hub_id, hub_name, conn, c_origin),
            )
            connections.append(connection)
            self.builder.add(connection)
        self.builder.add(
            ExpressRouteGateway(
                id=gateway_id,
                name=entry["name"],
                origin=origin,
                region=region,
                hub_id=hub_id,
                instance_ips=tuple(
                    parse_ip(ip, origin.child("instanceIps", i)) for i, ip in enumerate(entry.get("instanceIps", []))
                ),
            )
        )
        return gateway_id, connections

    def route_map(
        self,
        hub_id: str,
        entry: dict[str, Any],
        origin: Origin,
        inbound: tuple[str, ...],
        outbound: tuple[str, ...],
    ) -> RouteMap:
        rules = []
        for r_index, rule in enumerate(entry.get("rules", [])):
            r_origin = origin.child("rules", r_index)
            criteria = tuple(
                MatchCriterion(
                    condition=crit["matchCondition"],
                    origin=r_origin.child("matchCriteria", c_index),
                    route_prefixes=tuple(
                        parse_prefix(p, r_origin.child("matchCriteria", c_index, "routePrefix", i))
                        for i, p in enumerate(crit.get("routePrefix", []))
                    ),
                    communities=tuple(crit.get("community", [])),
                    as_paths=tuple(str(a) for a in crit.get("asPath", [])),
                )
                for c_index, crit in enumerate(rule.get("matchCriteria", []))
            )
            actions = []
            for a_index, action in enumerate(rule.get("actions", [])):
                a_origin = r_origin.child("actions", a_index)
                params = action.get("parameters", [])
                as_paths = []
                for p_index, param in enumerate(params):
                    for i, asn in enumerate(param.get("asPath", [])):
                        as_paths.append(str(parse_asn(asn, a_origin.child("parameters", p_index, "asPath", i))))
                actions.append(
                    RouteMapAction(
                        type=action["type"],
                        origin=a_origin,
                        as_paths=tuple(as_paths),
                        communities=tuple(c for p in params for c in p.get("community", [])),
                        route_prefixes=tuple(
                            parse_prefix(prefix, a_origin.child("parameters", p_index, "routePrefix", i))
                            for p_index, p in enumerate(params)
                            for i, prefix in enumerate(p.get("routePrefix", []))
                        ),
                        properties=tuple(k for k in ROUTE_MAP_PROPERTIES if any(k in p for p in params)),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=rule["name"],
                    origin=r_origin,
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=rule.get("nextStepIfMatched", "Continue"),
                )
            )
        return RouteMap(
            id=f"{hub_id}/routeMaps/{entry['name']}",
            name=entry["name"],
            origin=origin,
            hub_id=hub_id,
            rules=tuple(rules),
            associated_inbound=inbound,
            associated_outbound=outbound,
        )

    def firewall(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("firewall", index)
        in_vnet, in_hub = "virtualNetwork" in entry, "virtualHub" in entry
        if in_vnet == in_hub:
            raise _error(
                origin,
                "an Azure Firewall needs exactly one of virtualNetwork (AZFW_VNet) or virtualHub (AZFW_Hub)",
            )
        ips = (
            (parse_ip(entry["privateIPAddress"], origin.child("privateIPAddress")),)
            if "privateIPAddress" in entry
            else ()
        )
        self.builder.add(
            Forwarder(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                kind="AzureFirewall",
                region=region,
                sku=entry.get("sku", "AZFW_VNet" if in_vnet else "AZFW_Hub"),
                vnet_id=self.optional_ref("vnet", entry, "virtualNetwork", origin),
                hub_id=self.optional_ref("hub", entry, "virtualHub", origin),
                private_ips=ips,
            )
        )

    def nva(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nva", index)
        if ("virtualNetwork" in entry) == ("virtualHub" in entry):
            raise _error(origin, "a network virtual appliance needs exactly one of virtualNetwork or virtualHub")
        self.builder.add(
            Forwarder(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                kind="NetworkVirtualAppliance",
                region=region,
                vnet_id=self.optional_ref("vnet", entry, "virtualNetwork", origin),
                hub_id=self.optional_ref("hub", entry, "virtualHub", origin),
                private_ips=tuple(
                    parse_ip(ip, origin.child("privateIPAddresses", i))
                    for i, ip in enumerate(entry.get("privateIPAddresses", []))
                ),
            )
        )

    def resolver(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("resolver", index)
        vnet_id = self.ref("vnet", entry["virtualNetwork"], origin.child("virtualNetwork"))
        vnet_name = vnet_id.rstrip("/").rsplit("/", 1)[-1] if not is_resource_id(entry["virtualNetwork"]) else None
        for e_index, endpoint in enumerate(entry.get("inboundEndpoints", [])):
            e_origin = origin.child("inboundEndpoints", e_index)
            ips = []
            for c_index, config in enumerate(endpoint["ipConfigurations"]):
                c_origin = e_origin.child("ipConfigurations", c_index)
                ips.append(
                    EndpointIp(
                        origin=c_origin,
                        private_ip=parse_ip(config["privateIPAddress"], c_origin.child("privateIPAddress"))
                        if "privateIPAddress" in config
                        else None,
                        subnet_id=self.subnet_ref(config["subnet"], c_origin.child("subnet"), vnet_name),
                    )
                )
            self.builder.add(
                InboundEndpoint(
                    id=f"{resource_id}/inboundEndpoints/{endpoint['name']}",
                    name=endpoint["name"],
                    origin=e_origin,
                    region=region,
                    resolver_id=resource_id,
                    ip_configurations=tuple(ips),
                )
            )
        for e_index, endpoint in enumerate(entry.get("outboundEndpoints", [])):
            e_origin = origin.child("outboundEndpoints", e_index)
            self.builder.add(
                OutboundEndpoint(
                    id=f"{resource_id}/outboundEndpoints/{endpoint['name']}",
                    name=endpoint["name"],
                    origin=e_origin,
                    region=region,
                    resolver_id=resource_id,
                    subnet_id=self.subnet_ref(endpoint["subnet"], e_origin.child("subnet"), vnet_name),
                )
            )
        self.builder.add(DnsResolver(id=resource_id, name=entry["name"], origin=origin, region=region, vnet_id=vnet_id))


def _same(left: str | None, right: str) -> bool:
    return left is not None and id_key(left) == id_key(right)


def _nsg_addresses(rule: dict[str, Any], singular: str, origin: Origin) -> tuple[str, ...]:
    plural = singular + "es"
    located = [(value, origin.child(plural, index)) for index, value in enumerate(rule.get(plural, []))]
    if singular in rule:
        located.insert(0, (rule[singular], origin.child(singular)))
    return tuple(parse_nsg_address(value, where) for value, where in located) or ("*",)


def _singular_or_plural(rule: dict[str, Any], singular: str) -> tuple[str, ...]:
    """Port ranges, singular and plural together; '*' when neither is given."""
    values = [str(v) for v in rule.get(singular + "es" if singular.endswith("Prefix") else singular + "s", [])]
    if singular in rule:
        values.insert(0, str(rule[singular]))
    return tuple(values) or ("*",)

"""Terraform's azurerm vocabulary -> the model: the planned state of a `terraform show -json` plan.

One translator per vocabulary (DESIGN.md §2): attribute names, blocks and defaults are azurerm's, across
provider 3.x, 4.x and 5.x (`disable_bgp_route_propagation` vs the inverted `bgp_route_propagation_enabled`,
`enable_ip_forwarding` vs `ip_forwarding_enabled`, `address_prefix` vs `address_prefixes`).

Identity: the ARM id when the plan knows it (resources that already exist), else a synthetic id of the
same shape built from the names, in the placeholder subscription 00000000-0000-0000-0000-000000000000
(as for ARM templates), so that messages, suppressions (`*/virtualNetworks/dns-01`) and hub children
(`<hub>/hubRouteTables/defaultRouteTable`) work alike. Links whose value is known only after apply (ids,
firewall addresses) are followed through the configuration's references; a route whose next hop is the
unknown private IP of an Azure Firewall keeps that firewall as its next hop. What cannot be resolved is
an `UnknownValue`, listed in the report; rules never guess it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.model.ids import NETWORK, arm_id, id_key, id_name, id_parent, is_resource_id
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    DEFAULT_HUB_TABLES,
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
    IPAddress,
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
    UnknownValue,
    UnmodelledRouting,
    VirtualHub,
    VirtualNetwork,
    VirtualNetworkGateway,
    VirtualWan,
    default_route_table_id,
)
from anycast_lint.model.values import Unknown, as_tag_value, parse_asn, parse_ip, parse_nsg_address, parse_prefix
from anycast_lint.sources.arm.resources import circuit_of, is_cidr
from anycast_lint.sources.terraform.plan import KNOWN_AFTER_APPLY, Instance, Plan
from anycast_lint.sources.terraform.references import References, Target
from anycast_lint.sources.unmodelled import INTENT_OF_HUB_NOT_READ, UNMODELLED_ARM_TYPES, UNMODELLED_AZURERM_TYPES

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
Path = tuple[str | int, ...]

# azurerm type -> ARM type segment under Microsoft.Network, for top-level resources
TOP_LEVEL = {
    "azurerm_virtual_network": "virtualNetworks",
    "azurerm_route_table": "routeTables",
    "azurerm_network_security_group": "networkSecurityGroups",
    "azurerm_nat_gateway": "natGateways",
    "azurerm_network_interface": "networkInterfaces",
    "azurerm_virtual_network_gateway": "virtualNetworkGateways",
    "azurerm_virtual_network_gateway_connection": "connections",
    "azurerm_express_route_circuit": "expressRouteCircuits",
    "azurerm_virtual_wan": "virtualWans",
    "azurerm_virtual_hub": "virtualHubs",
    "azurerm_express_route_gateway": "expressRouteGateways",
    "azurerm_firewall": "azureFirewalls",
    "azurerm_private_dns_resolver": "dnsResolvers",
}
# child type -> (segment, attribute naming the parent, how: "name" (parent name + resource group) or "id")
CHILDREN = {
    "azurerm_subnet": ("subnets", "virtual_network_name", "azurerm_virtual_network"),
    "azurerm_virtual_network_peering": ("virtualNetworkPeerings", "virtual_network_name", "azurerm_virtual_network"),
    "azurerm_route": ("routes", "route_table_name", "azurerm_route_table"),
    "azurerm_network_security_rule": ("securityRules", "network_security_group_name", "azurerm_network_security_group"),
    "azurerm_express_route_circuit_peering": (
        "peerings",
        "express_route_circuit_name",
        "azurerm_express_route_circuit",
    ),
    "azurerm_virtual_hub_connection": ("hubVirtualNetworkConnections", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_virtual_hub_route_table": ("hubRouteTables", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_route_map": ("routeMaps", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_express_route_connection": (
        "expressRouteConnections",
        "express_route_gateway_id",
        "azurerm_express_route_gateway",
    ),
    "azurerm_private_dns_resolver_inbound_endpoint": (
        "inboundEndpoints",
        "private_dns_resolver_id",
        "azurerm_private_dns_resolver",
    ),
    "azurerm_private_dns_resolver_outbound_endpoint": (
        "outboundEndpoints",
        "private_dns_resolver_id",
        "azurerm_private_dns_resolver",
    ),
}
ASSOCIATIONS = {
    "azurerm_subnet_route_table_association": "route_table_id",
    "azurerm_subnet_network_security_group_association": "network_security_group_id",
    "azurerm_subnet_nat_gateway_association": "nat_gateway_id",
}
OTHER_READ = {
    "azurerm_virtual_hub_route_table_route",
    "azurerm_virtual_hub_routing_intent",  # read into its hub (routing/intent.py)
    "azurerm_express_route_circuit_connection",  # Global Reach (routing/global_reach.py)
}
NETWORK_TYPES = frozenset(TOP_LEVEL) | frozenset(CHILDREN) | frozenset(ASSOCIATIONS) | OTHER_READ
_ENUMS = {
    n.lower(): n
    for n in (
        "VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None", "Inbound", "Outbound",
        "Allow", "Deny", "Tcp", "Udp", "Icmp", "Esp", "Ah", "ExpressRoute", "Vpn", "IPsec", "Vnet2Vnet",
        "Contains", "Equals", "NotContains", "NotEquals", "Add", "Replace", "Remove", "Drop", "Continue",
        "Terminate", "CIDR", "ResourceId", "Service", "AZFW_VNet", "AZFW_Hub", "ASPath", "Equal",
    )
}  # fmt: skip


def _enum(value: Any) -> Any:
    return _ENUMS.get(value.lower(), value) if isinstance(value, str) else value


def _walk(values: Any, path: Path) -> Any:
    node = values
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or node.__class__ is Unknown:
            return node
    return node


class _Reader:
    """Reads one instance's attributes, collecting what is unknown (with the reference it waits for)."""

    def __init__(self, translator: AzurermTranslator, instance: Instance):
        self.translator = translator
        self.instance = instance
        self.unknowns: list[UnknownValue] = []

    def origin(self, *path: str | int) -> Origin:
        return self.instance.at(*path)

    def note(self, field_name: str, path: Path, reason: str) -> None:
        self.unknowns.append(UnknownValue(field_name, reason, self.origin(*path)))

    def unknown_reason(self, value: Unknown, path: Path, why: str | None = None) -> str:
        if value.reason != KNOWN_AFTER_APPLY:
            return value.describe()
        if why:
            return f"{value.expression} ({KNOWN_AFTER_APPLY}): {why}"
        written = self.translator.references.describe(self.instance, path)
        return f"{written or value.expression} ({KNOWN_AFTER_APPLY})"

    def targets(
        self, path: Path, fits: Callable[[Target], bool], strict: bool = False
    ) -> tuple[list[Target], str | None]:
        """Where an unknown value comes from: its own expression's references, or, inside a list that
        Terraform records as one expression (`route`, `security_rule`, `subnet`: see tf_references), or
        when `strict`, the one reference that can supply it; else no target and why."""
        references = self.translator.references
        nested = any(isinstance(part, int) for part in path)
        if (
            strict
            or references.whole(self.instance, path)
            or (nested and references.expression(self.instance, path) is None)
        ):
            pinned = references.pin(self.instance, path, fits)
            return ([pinned.target] if pinned.target else []), pinned.why or None
        return references.resolve(self.instance, path), None

    def get(self, path: Path, field_name: str) -> Any:
        value = _walk(self.instance.values, path)
        if value.__class__ is Unknown:
            self.note(field_name, path, self.unknown_reason(value, path))
            return None
        return value

    def text(self, path: Path, field_name: str) -> str | None:
        value = self.get(path, field_name)
        return str(value) if isinstance(value, (str, int)) and value != "" else None

    def flag(self, path: Path, field_name: str, default: bool) -> bool:
        value = self.get(path, field_name)
        return value if isinstance(value, bool) else default

    def items(self, path: Path, field_name: str) -> list[tuple[Any, Path]]:
        value = self.get(path, field_name)
        if not isinstance(value, list):
            return []
        found = []
        for index, item in enumerate(value):
            if item.__class__ is Unknown:
                self.note(field_name, (*path, index), self.unknown_reason(item, (*path, index)))
            elif item is not None:
                found.append((item, (*path, index)))
        return found

    def blocks(self, name: str, field_name: str) -> list[tuple[Any, Path]]:
        """Inline blocks that azurerm also computes from separate resources (`subnet`, `route`,
        `security_rule`): unknown but not written in the configuration, they only echo those resources,
        which are read on their own."""
        value = self.instance.values.get(name)
        config = self.instance.config
        written = config.get("expressions") if config is not None else None
        if value.__class__ is Unknown and isinstance(written, dict) and name not in written:
            return []
        return self.items((name,), field_name)

    def prefixes(self, path: Path, field_name: str) -> list[tuple[IPNetwork, Path]]:
        return [(parse_prefix(item, self.origin(*p)), p) for item, p in self.items(path, field_name) if item != ""]

    def strings(self, path: Path, field_name: str) -> tuple[str, ...]:
        return tuple(str(item) for item, _ in self.items(path, field_name) if item != "")

    def reference(self, path: Path, field_name: str, kinds: tuple[str, ...]) -> str | None:
        """An id: as written when known, else the model id of the instance the configuration names."""
        value = _walk(self.instance.values, path)
        if isinstance(value, str) and value:
            return value
        if value.__class__ is not Unknown:
            return None
        found_targets, why = self.targets(path, lambda t: t.path not in ((), ("id",)) or t.instance.type in kinds)
        for target in found_targets:
            found = self.translator.id_of_target(target, kinds)
            if found is not None:
                return found
        self.note(field_name, path, self.unknown_reason(value, path, why))
        return None

    def next_hop(self, path: Path, field_name: str) -> tuple[IPAddress | None, str | None]:
        """A next-hop address, or the forwarder whose address it will be (known after apply)."""
        value = _walk(self.instance.values, path)
        if isinstance(value, str) and value:
            return parse_ip(value, self.origin(*path)), None
        if value.__class__ is not Unknown:
            return None, None
        found_targets, why = self.targets(path, lambda t: t.path[-1:] != ("id",), strict=True)
        for target in found_targets:
            known = _walk(target.instance.values, target.path) if target.path else None
            if isinstance(known, str) and known:
                return parse_ip(known, self.origin(*path)), None
            if target.instance.type == "azurerm_firewall" and target.path[:1] in (
                ("ip_configuration",),
                ("virtual_hub",),
            ):
                firewall = self.translator.ids.get(target.instance.address)
                if firewall:
                    return None, firewall
        self.note(field_name, path, self.unknown_reason(value, path, why))
        return None, None


@dataclass
class _Children:
    """Resources that the model keeps inside a parent, grouped by the parent's id key."""

    subnets: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    peerings: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    routes: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    rules: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    hub_routes: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    associations: dict[str, dict[str, tuple[str | None, Instance]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # subnet key -> attribute -> (id, association)


class AzurermTranslator:
    def __init__(self, plan: Plan, builder: TopologyBuilder):
        self.plan = plan
        self.builder = builder
        self.references = References(plan)
        self.ids: dict[str, str] = {}  # address -> model id
        self._claimed: dict[str, str] = {}  # id key -> address
        self.types: dict[str, str] = {}  # address -> azurerm type
        self.children = _Children()
        self.read = 0  # network resources translated
        self.read = 0  # network resources translated
        self.intents: dict[
            str, RoutingIntent
        ] = {}  # hub key -> its routing intent (azurerm_virtual_hub_routing_intent)

    # -- identity -----------------------------------------------------------------------------------

    def id_of_target(self, target: Target, kinds: tuple[str, ...]) -> str | None:
        """The id a reference stands for: `x.id` (or `x` itself) of an expected type, a hub's default table."""
        instance = target.instance
        if target.path in ((), ("id",)) and instance.type in kinds:
            return self.ids.get(instance.address) or _known_id(instance)
        if instance.type == "azurerm_virtual_hub" and target.path == ("default_route_table_id",):
            hub = self.ids.get(instance.address)
            return default_route_table_id(hub) if hub else None
        if instance.type == "azurerm_virtual_network" and target.path == ("subnet",) and "azurerm_subnet" in kinds:
            return self._only_inline_subnet(instance)
        known = _walk(instance.values, target.path) if target.path else None
        return known if isinstance(known, str) and is_resource_id(known) else None

    def _only_inline_subnet(self, instance: Instance) -> str | None:
        """`tolist(azurerm_virtual_network.x.subnet)[0].id`, `one(...)` or a `for` filter by name: Terraform
        records only `azurerm_virtual_network.x.subnet` (a set, so never indexed in the reference). One
        subnet id taken from a list of one inline subnet is that subnet; from several, it cannot be told."""
        subnets = instance.values.get("subnet")
        vnet_id = self.ids.get(instance.address)
        if not isinstance(subnets, list) or len(subnets) != 1 or not isinstance(subnets[0], dict) or not vnet_id:
            return None
        known, name = subnets[0].get("id"), subnets[0].get("name")
        if isinstance(known, str) and is_resource_id(known):
            return known
        return f"{vnet_id}/subnets/{name}" if isinstance(name, str) and name else None

    def _resource_group(self, instance: Instance) -> str:
        value = instance.values.get("resource_group_name")
        if isinstance(value, str) and value:
            return value
        for target in self.references.resolve(instance, ("resource_group_name",)):
            name = _walk(target.instance.values, target.path)
            if isinstance(name, str) and name:
                return name
        return "unknown-resource-group"

    def _own_name(self, instance: Instance) -> str:
        name = instance.values.get("name")
        if isinstance(name, str) and name:
            return name
        if instance.type == "azurerm_express_route_circuit_peering":
            peering_type = instance.values.get("peering_type")
            if isinstance(peering_type, str):
                return peering_type
        return instance.address.replace("/", "%2F")

    def _assign_ids(self, network: list[Instance]) -> None:
        """Top-level ids first, then children (whose ids extend their parent's)."""
        by_name: dict[tuple[str, str, str], str] = {}
        for instance in network:
            segment = TOP_LEVEL.get(instance.type)
            if segment is None:
                continue
            rg = self._resource_group(instance)
            name = self._own_name(instance)
            model_id = _known_id(instance) or arm_id(PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, segment, name)
            model_id = self._unclaimed(model_id, instance)
            self.ids[instance.address] = model_id
            by_name[(instance.type, rg.lower(), name.lower())] = model_id
            by_name.setdefault((instance.type, "", name.lower()), model_id)
        pending = [i for i in network if i.type in CHILDREN]
        for _ in range(3):  # routes of hub tables hang off children; two rounds settle everything
            later = []
            for instance in pending:
                segment, attribute, parent_type = CHILDREN[instance.type]
                parent = self._parent(instance, attribute, parent_type, by_name)
                if parent is None:
                    later.append(instance)
                    continue
                model_id = _known_id(instance) or f"{parent}/{segment}/{self._own_name(instance)}"
                self.ids[instance.address] = self._unclaimed(model_id, instance)
            pending = later
        for instance in pending:  # a parent that cannot be named: a synthetic id under the address
            segment, _, _ = CHILDREN[instance.type]
            rg = self._resource_group(instance)
            self.ids[instance.address] = _known_id(instance) or arm_id(
                PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, segment, self._own_name(instance)
            )

    def _unclaimed(self, model_id: str, instance: Instance) -> str:
        """The id, unless another planned resource has it: then that resource's address tells them apart.

        Two resources of one type with the same name in one resource group cannot both exist in Azure;
        the plan may still hold them (apply would fail), and each is checked as written."""
        taken = self._claimed.get(id_key(model_id))
        if taken is None or taken == instance.address:
            self._claimed[id_key(model_id)] = instance.address
            return model_id
        unique = f"{model_id}@{instance.address.replace('/', '%2F')}"
        self._claimed[id_key(unique)] = instance.address
        self.builder.notices.append(
            (
                instance.where,
                f"{instance.address} has the same Azure id as {taken} ({model_id}); Azure would refuse one of "
                "them at apply",
            )
        )
        return unique

    def _parent(
        self, instance: Instance, attribute: str, parent_type: str, by_name: dict[tuple[str, str, str], str]
    ) -> str | None:
        value = instance.values.get(attribute)
        if attribute.endswith("_id"):
            if isinstance(value, str) and value:
                return value
            for target in self.references.resolve(instance, (attribute,)):
                found = self.id_of_target(target, (parent_type,))
                if found:
                    return found
            return None
        for target in self.references.resolve(instance, (attribute,)):
            if target.instance.type == parent_type and target.path == ("name",):
                return self.ids.get(target.instance.address)
        if isinstance(value, str) and value:
            rg = self._resource_group(instance)
            found = by_name.get((parent_type, rg.lower(), value.lower()))
            return found or arm_id(PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, TOP_LEVEL[parent_type], value)
        return None

    # -- translation --------------------------------------------------------------------------------

    def translate(self) -> None:
        network = [i for i in self.plan.instances if i.mode == "managed" and i.type in NETWORK_TYPES]
        data_sources = [i for i in self.plan.instances if i.mode == "data"]
        for instance in self.plan.instances:
            if instance.mode == "managed" and instance.type in UNMODELLED_AZURERM_TYPES:
                what, effect = UNMODELLED_AZURERM_TYPES[instance.type]  # AC002 names it
                name = instance.values.get("name")
                label = name if isinstance(name, str) and name else instance.address
                self.builder.unmodelled.append(UnmodelledRouting(instance.address, label, what, effect, instance.where))
            elif instance.mode == "managed" and instance.type not in NETWORK_TYPES:
                self.builder.ignored[instance.type] += 1
        self._assign_ids(network + [d for d in data_sources if d.type in TOP_LEVEL or d.type in CHILDREN])
        for instance in network:
            self._collect_child(instance)
        handlers: dict[str, Callable[[Instance], None]] = {
            "azurerm_virtual_network": self._vnet,
            "azurerm_route_table": self._route_table,
            "azurerm_network_security_group": self._nsg,
            "azurerm_nat_gateway": self._nat_gateway,
            "azurerm_network_interface": self._nic,
            "azurerm_virtual_network_gateway": self._vnet_gateway,
            "azurerm_virtual_network_gateway_connection": self._connection,
            "azurerm_express_route_circuit": self._circuit,
            "azurerm_virtual_wan": self._wan,
            "azurerm_virtual_hub": self._hub,
            "azurerm_virtual_hub_connection": self._hub_connection,
            "azurerm_virtual_hub_route_table": self._hub_route_table,
            "azurerm_route_map": self._route_map,
            "azurerm_express_route_gateway": self._er_gateway,
            "azurerm_express_route_connection": self._er_connection,
            "azurerm_firewall": self._firewall,
            "azurerm_private_dns_resolver": self._resolver,
            "azurerm_private_dns_resolver_inbound_endpoint": self._inbound_endpoint,
            "azurerm_private_dns_resolver_outbound_endpoint": self._outbound_endpoint,
        }
        intents = [self._routing_intent(i) for i in network if i.type == "azurerm_virtual_hub_routing_intent"]
        self.intents = {id_key(hub): intent for hub, intent in intents if hub}
        handlers["azurerm_express_route_circuit_connection"] = self._global_reach
        for instance in network:
            handler = handlers.get(instance.type)
            if handler is not None:
                handler(instance)
            self.read += 1
        self._orphans()
        hubs = {id_key(hub.id) for hub in self.builder.collection(VirtualHub)}
        for hub, intent in intents:  # an intent whose hub the plan does not hold: said, not dropped
            if hub is None or id_key(hub) not in hubs:
                self.builder.unmodelled.append(
                    UnmodelledRouting(intent.id, intent.name, *INTENT_OF_HUB_NOT_READ, intent.origin)
                )

    def _routing_intent(self, instance: Instance) -> tuple[str | None, RoutingIntent]:
        """`azurerm_virtual_hub_routing_intent`: its hub, and the next hop of each `routing_policy` by the traffic
        it names (PrivateTraffic, Internet), as ARM's routingPolicies."""
        reader = _Reader(self, instance)
        hub = reader.reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        hops: dict[str, str | None] = {}
        for _, path in reader.items(("routing_policy",), "routing_intent"):
            next_hop = reader.reference((*path, "next_hop"), "routing_intent", ("azurerm_firewall",))
            for destination in reader.strings((*path, "destinations"), "routing_intent"):
                hops[destination.lower()] = next_hop
        name = reader.text(("name",), "name") or instance.name
        intent_id = f"{hub}/routingIntent/{name}" if hub else instance.address
        return hub, RoutingIntent(intent_id, name, instance.where, hops.get("privatetraffic"), hops.get("internet"))

    def _global_reach(self, instance: Instance) -> None:
        """`azurerm_express_route_circuit_connection`: Global Reach from `peering_id`'s circuit to
        `peer_peering_id`'s."""
        reader = _Reader(self, instance)
        kinds = ("azurerm_express_route_circuit_peering",)
        peering = reader.reference(("peering_id",), "global_reach", kinds)
        peer = reader.reference(("peer_peering_id",), "global_reach", kinds)
        name = reader.text(("name",), "name") or instance.name
        if peering is None or peer is None:
            what, effect = UNMODELLED_ARM_TYPES["microsoft.network/expressroutecircuits/peerings/connections"]
            self.builder.unmodelled.append(UnmodelledRouting(instance.address, name, what, effect, instance.where))
            return
        self.builder.global_reach.append(GlobalReach(circuit_of(peering), circuit_of(peer), name, instance.where))

    def _collect_child(self, instance: Instance) -> None:
        model_id = self.ids.get(instance.address)
        kind = instance.type
        if kind == "azurerm_subnet" and model_id:
            self.children.subnets[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_virtual_network_peering" and model_id:
            self.children.peerings[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_route" and model_id:
            self.children.routes[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_network_security_rule" and model_id:
            self.children.rules[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_virtual_hub_route_table_route":
            reader = _Reader(self, instance)
            table = reader.reference(("route_table_id",), "route_table_id", ("azurerm_virtual_hub_route_table",))
            if table:
                self.children.hub_routes[id_key(table)].append(instance)
            self._unplaced(instance, reader, "route table", placed=bool(table))
        elif kind in ASSOCIATIONS:
            reader = _Reader(self, instance)
            subnet = reader.reference(("subnet_id",), "subnet_id", ("azurerm_subnet",))
            attribute = ASSOCIATIONS[kind]
            target_kind = {
                "route_table_id": "azurerm_route_table",
                "network_security_group_id": "azurerm_network_security_group",
                "nat_gateway_id": "azurerm_nat_gateway",
            }[attribute]
            linked = reader.reference((attribute,), attribute, (target_kind,))
            if subnet:
                self.children.associations[id_key(subnet)][attribute] = (linked, instance)
            self._unplaced(instance, reader, "subnet", placed=bool(subnet))

    def _unplaced(self, instance: Instance, reader: _Reader, what: str, placed: bool) -> None:
        """A link resource (association, hub route) is no model object of its own: what it leaves unknown
        becomes a notice, and so does a link that reaches nothing, rather than vanishing."""
        for value in reader.unknowns:
            self.builder.notices.append(
                (value.origin, f"{instance.address}: {value.field.replace('_', ' ')} is unknown: {value.reason}")
            )
        if not placed:
            self.builder.notices.append((instance.where, f"{instance.address} is not applied to any {what}"))

    def _envelope(self, instance: Instance, reader: _Reader, with_region: bool = True) -> dict[str, Any]:
        model_id = self.ids[instance.address]
        name = instance.values.get("name")
        base: dict[str, Any] = {
            "id": model_id,
            "name": name if isinstance(name, str) and name else id_name(model_id),
            "origin": instance.where,
        }
        if with_region:
            base["region"] = reader.text(("location",), "region")
        return base

    def _add(self, model: Any, reader: _Reader, base: dict[str, Any], **values: Any) -> None:
        self.builder.add(model(**base, **values, unknowns=tuple(reader.unknowns)))

    # -- virtual networks ---------------------------------------------------------------------------

    def _vnet(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        vnet_id = base["id"]
        prefixes = reader.prefixes(("address_space",), "address_prefixes")
        tags = reader.get(("tags",), "tags")
        subnets = [
            self._inline_subnet(vnet_id, instance, item, path) for item, path in reader.blocks("subnet", "subnets")
        ]
        subnets += [self._subnet(vnet_id, child) for child in self.children.subnets.pop(id_key(vnet_id), [])]
        peerings = [self._peering(vnet_id, child) for child in self.children.peerings.pop(id_key(vnet_id), [])]
        self._add(
            VirtualNetwork,
            reader,
            base,
            address_prefixes=tuple(p for p, _ in prefixes),
            prefix_origins=tuple(reader.origin(*p) for _, p in prefixes),
            tags=MappingProxyType(
                {
                    str(k): as_tag_value(v)
                    for k, v in (tags if isinstance(tags, dict) else {}).items()
                    if v is not None and v.__class__ is not Unknown
                }
            ),
            subnets=tuple(subnets),
            peerings=tuple(peerings),
            bgp_community=reader.text(("bgp_community",), "bgp_community"),
        )

    def _subnet_fields(self, reader: _Reader, path: Path, subnet_id: str) -> dict[str, Any]:
        single = reader.text((*path, "address_prefix"), "address_prefixes")  # azurerm < 4.0
        prefixes = [parse_prefix(single, reader.origin(*path, "address_prefix"))] if single else []
        if not (single and _walk(reader.instance.values, (*path, "address_prefixes")).__class__ is Unknown):
            prefixes += [p for p, _ in reader.prefixes((*path, "address_prefixes"), "address_prefixes")]
        delegations = []
        for _delegation, d_path in reader.items((*path, "delegation"), "delegations"):
            for _service, s_path in reader.items((*d_path, "service_delegation"), "delegations"):
                name = reader.text((*s_path, "name"), "delegations")
                if name:
                    delegations.append(name)
        outbound = reader.get((*path, "default_outbound_access_enabled"), "default_outbound_access")
        linked = self.children.associations.get(id_key(subnet_id), {})

        def link(attribute: str, inline: str, kind: str, field_name: str) -> str | None:
            """The association's target, else the inline attribute's (unknowns named by the model field)."""
            if attribute in linked:
                return linked[attribute][0]
            return reader.reference((*path, inline), field_name, (f"azurerm_{kind}",)) if inline else None

        return {
            "address_prefixes": tuple(dict.fromkeys(prefixes)),
            "route_table_id": link("route_table_id", "route_table_id", "route_table", "route_table_id"),
            "nsg_id": link("network_security_group_id", "security_group", "network_security_group", "nsg_id"),
            "nat_gateway_id": link("nat_gateway_id", "", "nat_gateway", "nat_gateway_id"),
            "delegations": tuple(delegations),
            "default_outbound_access": outbound if isinstance(outbound, bool) else None,
        }

    def _inline_subnet(self, vnet_id: str, instance: Instance, item: Any, path: Path) -> Subnet:
        reader = _Reader(self, instance)
        name = str(item.get("name") or "") if isinstance(item, dict) else ""
        written = item.get("id") if isinstance(item, dict) else None
        subnet_id = written if isinstance(written, str) and written else f"{vnet_id}/subnets/{name}"
        fields = self._subnet_fields(reader, path, subnet_id)
        return Subnet(
            id=subnet_id,
            name=name,
            origin=reader.origin(*path),
            vnet_id=vnet_id,
            **fields,
            unknowns=tuple(reader.unknowns),
        )

    def _subnet(self, vnet_id: str, instance: Instance) -> Subnet:
        reader = _Reader(self, instance)
        subnet_id = self.ids[instance.address]
        fields = self._subnet_fields(reader, (), subnet_id)
        for suffix, field_name in (("route_table_id_wo", "route_table_id"), ("network_security_group_id_wo", "nsg_id")):
            if not fields[field_name] and instance.values.get(suffix + "_version") is not None:
                reader.note(
                    field_name,
                    (suffix,),
                    f"set through the write-only {suffix}, which a plan never shows; use an association resource",
                )
        return Subnet(
            id=subnet_id,
            name=id_name(subnet_id),
            origin=instance.where,
            vnet_id=vnet_id,
            **fields,
            unknowns=tuple(reader.unknowns),
        )

    def _peering(self, vnet_id: str, instance: Instance) -> Peering:
        reader = _Reader(self, instance)
        remote = reader.reference(("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",))
        return Peering(
            id=self.ids[instance.address],
            name=id_name(self.ids[instance.address]),
            origin=instance.where,
            vnet_id=vnet_id,
            remote_vnet_id=remote,
            allow_virtual_network_access=reader.flag(
                ("allow_virtual_network_access",), "allow_virtual_network_access", True
            ),
            allow_forwarded_traffic=reader.flag(("allow_forwarded_traffic",), "allow_forwarded_traffic", False),
            allow_gateway_transit=reader.flag(("allow_gateway_transit",), "allow_gateway_transit", False),
            use_remote_gateways=reader.flag(("use_remote_gateways",), "use_remote_gateways", False),
            state=self._peering_state(vnet_id, remote),
            unknowns=tuple(reader.unknowns),
        )

    def _peering_state(self, vnet_id: str, remote: str | None) -> str:
        """Documented: a peering stays Initiated until the remote VNet peers back, then both are Connected
        (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering). A plan has no
        state; the reverse peering in the plan decides, and one to a VNet outside the plan is taken as
        the design intends (Connected)."""
        if remote is None:
            return "Connected"
        if id_key(remote) not in self._by_id:
            return "Connected"
        return "Connected" if (id_key(remote), id_key(vnet_id)) in self._peered_pairs else "Initiated"

    @cached_property
    def _peered_pairs(self) -> set[tuple[str, str]]:
        """(VNet, remote VNet) id keys of every planned peering, resolved once (read after ids are assigned)."""
        pairs = set()
        for instance in self.plan.instances:
            if instance.type == "azurerm_virtual_network_peering" and instance.address in self.ids:
                remote = _Reader(self, instance).reference(
                    ("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",)
                )
                if remote:
                    pairs.add((id_key(id_parent(self.ids[instance.address])), id_key(remote)))
        return pairs

    # -- route tables, NSGs, NAT, NICs ----------------------------------------------------------------

    def _route_table(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        table_id = base["id"]
        routes = [self._route(table_id, instance, path) for _, path in reader.blocks("route", "routes")]
        routes += [
            self._route(table_id, child, (), self.ids[child.address])
            for child in self.children.routes.pop(id_key(table_id), [])
        ]
        disabled = reader.get(("disable_bgp_route_propagation",), "disable_bgp_route_propagation")
        enabled = reader.get(("bgp_route_propagation_enabled",), "disable_bgp_route_propagation")
        disable = disabled if isinstance(disabled, bool) else (enabled is False)
        self._add(RouteTable, reader, base, routes=tuple(routes), disable_bgp_route_propagation=disable)

    def _route(self, table_id: str, instance: Instance, path: Path, route_id: str | None = None) -> Route:
        own = _Reader(self, instance)
        name = own.text((*path, "name"), "name") or ""
        text = own.text((*path, "address_prefix"), "address_prefix") or ""
        prefix = parse_prefix(text, own.origin(*path, "address_prefix")) if is_cidr(text) else None
        hop, forwarder = own.next_hop((*path, "next_hop_in_ip_address"), "next_hop_ips")
        route_id = route_id or f"{table_id}/routes/{name}"
        return Route(
            id=route_id,
            name=id_name(route_id),
            origin=own.origin(*path) if path else instance.where,
            route_table_id=table_id,
            address_prefix=text,
            prefix=prefix,
            next_hop_type=_enum(own.text((*path, "next_hop_type"), "next_hop_type") or "None"),
            next_hop_ips=(hop,) if hop else (),
            next_hop_forwarder_id=forwarder,
            unknowns=tuple(own.unknowns),
        )

    def _nsg(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        nsg_id = base["id"]
        rules = [self._rule(nsg_id, instance, path) for _, path in reader.blocks("security_rule", "security_rules")]
        rules += [
            self._rule(nsg_id, child, (), self.ids[child.address])
            for child in self.children.rules.pop(id_key(nsg_id), [])
        ]
        self._add(NetworkSecurityGroup, reader, base, rules=tuple(rules))

    def _rule(self, nsg_id: str, instance: Instance, path: Path, rule_id: str | None = None) -> SecurityRule:
        reader = _Reader(self, instance)
        name = reader.text((*path, "name"), "name") or ""
        rule_id = rule_id or f"{nsg_id}/securityRules/{name}"

        def both(singular: str, plural: str) -> tuple[str, ...]:
            values = list(reader.strings((*path, plural), plural))
            one = reader.text((*path, singular), singular)
            if one:
                values.insert(0, one)
            return tuple(values) or ("*",)

        def addresses(singular: str, plural: str) -> tuple[str, ...]:
            """Each an address, a prefix, `*` or a service tag (never read as a tag that matches nothing)."""
            located = [(v, p) for v, p in reader.items((*path, plural), plural) if v != ""]
            one = reader.text((*path, singular), singular)
            if one:
                located.insert(0, (one, (*path, singular)))
            return tuple(parse_nsg_address(value, reader.origin(*where)) for value, where in located) or ("*",)

        priority = reader.get((*path, "priority"), "priority")
        for side in ("source", "destination"):
            attribute = f"{side}_application_security_group_ids"
            if reader.items((*path, attribute), f"{side}_prefixes"):
                reader.note(
                    f"{side}_prefixes",
                    (*path, attribute),
                    f"{attribute} is set: which addresses an application security group holds is not read",
                )
        return SecurityRule(
            id=rule_id,
            name=id_name(rule_id),
            origin=reader.origin(*path) if path else instance.where,
            nsg_id=nsg_id,
            direction=_enum(reader.text((*path, "direction"), "direction") or "Inbound"),
            access=_enum(reader.text((*path, "access"), "access") or "Allow"),
            priority=priority if isinstance(priority, int) and not isinstance(priority, bool) else 65000,
            protocol=_enum(reader.text((*path, "protocol"), "protocol") or "*"),
            source_prefixes=addresses("source_address_prefix", "source_address_prefixes"),
            destination_prefixes=addresses("destination_address_prefix", "destination_address_prefixes"),
            source_ports=both("source_port_range", "source_port_ranges"),
            destination_ports=both("destination_port_range", "destination_port_ranges"),
            unknowns=tuple(reader.unknowns),
        )

    def _nat_gateway(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        self._add(NatGateway, reader, self._envelope(instance, reader))

    def _nic(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        configs: list[NicIpConfiguration] = []
        for _config, path in reader.items(("ip_configuration",), "ip_configurations"):
            address = reader.text((*path, "private_ip_address"), "ip_configurations")
            primary = reader.get((*path, "primary"), "ip_configurations")
            configs.append(
                NicIpConfiguration(
                    name=reader.text((*path, "name"), "ip_configurations") or "",
                    origin=reader.origin(*path),
                    private_ip=parse_ip(address, reader.origin(*path, "private_ip_address")) if address else None,
                    subnet_id=reader.reference((*path, "subnet_id"), "ip_configurations", ("azurerm_subnet",)),
                    primary=primary if isinstance(primary, bool) else not configs,
                )
            )
        forwarding = reader.get(("ip_forwarding_enabled",), "enable_ip_forwarding")
        if not isinstance(forwarding, bool):
            forwarding = reader.get(("enable_ip_forwarding",), "enable_ip_forwarding")
        vm = instance.values.get("virtual_machine_id")
        self._add(
            NetworkInterface,
            reader,
            base,
            vm_id=vm if isinstance(vm, str) and vm else None,
            enable_ip_forwarding=forwarding is True,
            ip_configurations=tuple(configs),
        )

    # -- ExpressRoute and self-managed gateways ---------------------------------------------------

    def _vnet_gateway(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        vnet_id = None
        for _, path in reader.items(("ip_configuration",), "vnet_id"):
            subnet = reader.reference((*path, "subnet_id"), "vnet_id", ("azurerm_subnet",))
            if subnet and "/subnets/" in subnet.lower():
                vnet_id = id_parent(subnet)
                break
        asn = None
        addresses: list[IPAddress] = []
        for _, path in reader.items(("bgp_settings",), "bgp_peering_addresses"):
            raw = reader.get((*path, "asn"), "asn")
            if raw not in (None, 0, ""):
                asn = parse_asn(raw, reader.origin(*path, "asn"))
            for _, p_path in reader.items((*path, "peering_addresses"), "bgp_peering_addresses"):
                for key in ("apipa_addresses", "default_addresses"):
                    addresses += [
                        parse_ip(item, reader.origin(*ip_path))
                        for item, ip_path in reader.items((*p_path, key), "bgp_peering_addresses")
                        if item
                    ]
        self._add(
            VirtualNetworkGateway,
            reader,
            base,
            gateway_type=_enum(reader.text(("type",), "gateway_type") or "ExpressRoute"),
            sku=reader.text(("sku",), "sku"),
            asn=asn,
            vnet_id=vnet_id,
            bgp_peering_addresses=tuple(dict.fromkeys(addresses)),
        )

    def _connection(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        weight = reader.get(("routing_weight",), "routing_weight")
        self._add(
            GatewayConnection,
            reader,
            base,
            connection_type=_enum(reader.text(("type",), "connection_type") or "ExpressRoute"),
            gateway_id=reader.reference(
                ("virtual_network_gateway_id",), "gateway_id", ("azurerm_virtual_network_gateway",)
            ),
            circuit_id=reader.reference(
                ("express_route_circuit_id",), "circuit_id", ("azurerm_express_route_circuit",)
            ),
            peer_gateway_id=reader.reference(
                ("peer_virtual_network_gateway_id",), "peer_gateway_id", ("azurerm_virtual_network_gateway",)
            ),
            routing_weight=weight if isinstance(weight, int) else 0,
            express_route_gateway_bypass=reader.flag(
                ("express_route_gateway_bypass",), "express_route_gateway_bypass", False
            ),
        )

    def _circuit(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        bandwidth = instance.values.get("bandwidth_in_mbps")
        gbps = instance.values.get("bandwidth_in_gbps")
        if not isinstance(bandwidth, int) and isinstance(gbps, (int, float)):
            bandwidth = int(gbps * 1000)
        tier = _walk(instance.values, ("sku", 0, "tier"))
        self._add(
            ExpressRouteCircuit,
            reader,
            base,
            peering_location=reader.text(("peering_location",), "peering_location"),
            bandwidth_mbps=bandwidth if isinstance(bandwidth, int) else None,
            sku_tier=tier if isinstance(tier, str) else None,
        )

    # -- Virtual WAN ------------------------------------------------------------------------------

    def _wan(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        self._add(VirtualWan, reader, self._envelope(instance, reader))

    def _hub(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        hub_id = base["id"]
        prefix = reader.text(("address_prefix",), "address_prefix")
        asn = instance.values.get("virtual_router_asn")
        ips = instance.values.get("virtual_router_ips")
        self._add(
            VirtualHub,
            reader,
            base,
            wan_id=reader.reference(("virtual_wan_id",), "wan_id", ("azurerm_virtual_wan",)),
            address_prefix=parse_prefix(prefix, reader.origin("address_prefix")) if prefix else None,
            router_asn=asn if isinstance(asn, int) and asn else 65515,
            router_ips=tuple(parse_ip(ip, reader.origin("virtual_router_ips")) for ip in ips)
            if isinstance(ips, list)
            else (),
            hub_routing_preference=_enum(reader.text(("hub_routing_preference",), "hub_routing_preference")),
            routing_intent=self.intents.get(id_key(hub_id)),
        )
        for table_name, label in DEFAULT_HUB_TABLES:  # Azure creates both with every hub
            table_id = f"{hub_id}/hubRouteTables/{table_name}"
            if not any(id_key(v) == id_key(table_id) for v in self.ids.values()):
                self.builder.add(
                    HubRouteTable(id=table_id, name=table_name, origin=instance.where, hub_id=hub_id, labels=(label,))
                )

    def _routing(self, reader: _Reader, hub_id: str | None, hub_connection: bool) -> RoutingConfiguration:
        """The `routing` block; absent, Azure's default: associated with and propagating to the default
        table (label `default`). `static_vnet_propagate_static_routes_enabled` defaults to true in azurerm."""
        default_table = default_route_table_id(hub_id) if hub_id else None
        blocks = reader.items(("routing",), "static_routes" if hub_connection else "routing")
        if not blocks:
            return RoutingConfiguration(
                origin=reader.origin(),
                associated_route_table_id=default_table,
                propagated_route_table_ids=(default_table,) if default_table else (),
                propagated_labels=("default",),
            )
        _, path = blocks[0]
        kinds = ("azurerm_virtual_hub_route_table",)
        associated = reader.reference((*path, "associated_route_table_id"), "routing", kinds) or default_table
        propagated = reader.items((*path, "propagated_route_table"), "routing")
        if propagated:
            _, p_path = propagated[0]
            ids = tuple(
                r
                for index in range(len(reader.items((*p_path, "route_table_ids"), "routing")))
                if (r := reader.reference((*p_path, "route_table_ids", index), "routing", kinds)) is not None
            )
            labels = reader.strings((*p_path, "labels"), "routing")
        else:
            ids, labels = ((default_table,) if default_table else ()), ("default",)
        statics = []
        for _route, r_path in reader.items((*path, "static_vnet_route"), "static_routes"):
            hop, forwarder = reader.next_hop((*r_path, "next_hop_ip_address"), "static_routes")
            statics.append(
                StaticRoute(
                    name=reader.text((*r_path, "name"), "static_routes") or "",
                    origin=reader.origin(*r_path),
                    address_prefixes=tuple(
                        p for p, _ in reader.prefixes((*r_path, "address_prefixes"), "static_routes")
                    ),
                    next_hop_ip=hop,
                    next_hop_forwarder_id=forwarder,
                )
            )
        propagate: bool | None = None
        propagate_origin = None
        if hub_connection:
            value = reader.get((*path, "static_vnet_propagate_static_routes_enabled"), "propagate_static_routes")
            propagate = value if isinstance(value, bool) else True
            propagate_origin = reader.origin(*path, "static_vnet_propagate_static_routes_enabled")
        return RoutingConfiguration(
            origin=reader.origin(*path),
            associated_route_table_id=associated,
            propagated_route_table_ids=ids,
            propagated_labels=labels,
            static_routes=tuple(statics),
            propagate_static_routes=propagate,
            propagate_origin=propagate_origin,
            vnet_local_route_override=_enum(
                reader.text((*path, "static_vnet_local_route_override_criteria"), "routing")
            ),
            inbound_route_map_id=reader.reference((*path, "inbound_route_map_id"), "routing", ("azurerm_route_map",)),
            outbound_route_map_id=reader.reference((*path, "outbound_route_map_id"), "routing", ("azurerm_route_map",)),
        )

    def _hub_connection(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        connection_id = self.ids[instance.address]
        hub_id = id_parent(connection_id)
        security = reader.get(("internet_security_enabled",), "enable_internet_security")
        self.builder.add(
            HubVirtualNetworkConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=instance.where,
                hub_id=hub_id,
                remote_vnet_id=reader.reference(
                    ("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",)
                ),
                routing=self._routing(reader, hub_id, hub_connection=True),
                enable_internet_security=security if isinstance(security, bool) else None,
                unknowns=tuple(reader.unknowns),
            )
        )

    def _hub_route_table(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        table_id = self.ids[instance.address]
        routes = [self._hub_route(reader, path) for _, path in reader.items(("route",), "routes")]
        for child in self.children.hub_routes.pop(id_key(table_id), []):
            routes.append(self._hub_route(_Reader(self, child), ()))
        self.builder.add(
            HubRouteTable(
                id=table_id,
                name=id_name(table_id),
                origin=instance.where,
                hub_id=id_parent(table_id),
                labels=reader.strings(("labels",), "labels"),
                routes=tuple(routes),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _hub_route(self, reader: _Reader, path: Path) -> HubRoute:
        next_hop = reader.reference(
            (*path, "next_hop"), "routes", ("azurerm_virtual_hub_connection", "azurerm_firewall")
        ) or reader.text((*path, "next_hop"), "routes")
        return HubRoute(
            name=reader.text((*path, "name"), "routes") or "",
            origin=reader.origin(*path),
            destination_type=_enum(reader.text((*path, "destinations_type"), "routes") or "CIDR"),
            destinations=reader.strings((*path, "destinations"), "routes"),
            next_hop_type=_enum(reader.text((*path, "next_hop_type"), "routes") or "ResourceId"),
            next_hop=next_hop,
        )

    def _route_map(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        map_id = self.ids[instance.address]
        rules = []
        for _rule, r_path in reader.items(("rule",), "rules"):
            criteria = tuple(
                MatchCriterion(
                    condition=_enum(reader.text((*c_path, "match_condition"), "rules") or "Unknown"),
                    origin=reader.origin(*c_path),
                    route_prefixes=tuple(p for p, _ in reader.prefixes((*c_path, "route_prefix"), "rules")),
                    communities=reader.strings((*c_path, "community"), "rules"),
                    as_paths=tuple(
                        str(parse_asn(x, reader.origin(*xp))) for x, xp in reader.items((*c_path, "as_path"), "rules")
                    ),
                )
                for _, c_path in reader.items((*r_path, "match_criterion"), "rules")
            )
            actions = []
            for _, a_path in reader.items((*r_path, "action"), "rules"):
                parameters = reader.items((*a_path, "parameter"), "rules")
                actions.append(
                    RouteMapAction(
                        type=_enum(reader.text((*a_path, "type"), "rules") or "Unknown"),
                        origin=reader.origin(*a_path),
                        as_paths=tuple(
                            str(parse_asn(x, reader.origin(*xp)))
                            for _, pp in parameters
                            for x, xp in reader.items((*pp, "as_path"), "rules")
                        ),
                        communities=tuple(
                            x for _, pp in parameters for x in reader.strings((*pp, "community"), "rules")
                        ),
                        route_prefixes=tuple(
                            x for _, pp in parameters for x, _ in reader.prefixes((*pp, "route_prefix"), "rules")
                        ),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=reader.text((*r_path, "name"), "rules") or "",
                    origin=reader.origin(*r_path),
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=_enum(reader.text((*r_path, "next_step_if_matched"), "rules") or "Continue"),
                )
            )
        self.builder.add(
            RouteMap(
                id=map_id,
                name=id_name(map_id),
                origin=instance.where,
                hub_id=id_parent(map_id),
                rules=tuple(rules),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _er_gateway(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        hub = reader.reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        self._add(ExpressRouteGateway, reader, base, hub_id=hub)

    def _er_connection(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        connection_id = self.ids[instance.address]
        gateway_id = id_parent(connection_id)
        gateway = next((i for a, i in self._by_id.items() if a == id_key(gateway_id)), None)
        hub_id = None
        if gateway is not None:
            hub_id = _Reader(self, gateway).reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        peering = reader.reference(
            ("express_route_circuit_peering_id",), "circuit_id", ("azurerm_express_route_circuit_peering",)
        )
        weight = reader.get(("routing_weight",), "routing_weight")
        self.builder.add(
            ExpressRouteConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=instance.where,
                gateway_id=gateway_id,
                circuit_id=circuit_of(peering) if peering else None,
                circuit_peering_id=peering,
                routing_weight=weight if isinstance(weight, int) else 0,
                routing=self._routing(reader, hub_id, hub_connection=False),
                express_route_gateway_bypass=reader.flag(
                    ("express_route_gateway_bypass_enabled",), "express_route_gateway_bypass", False
                ),
                unknowns=tuple(reader.unknowns),
            )
        )

    @cached_property
    def _by_id(self) -> dict[str, Instance]:
        """Model id key -> planned (managed) instance, read after ids are assigned. Data sources describe
        resources that exist outside the plan, so they are not in it."""
        addresses = {i.address: i for i in self.plan.instances if i.mode == "managed"}
        return {id_key(model_id): addresses[a] for a, model_id in self.ids.items() if a in addresses}

    # -- forwarders and DNS -----------------------------------------------------------------------

    def _firewall(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        ips: list[IPAddress] = []
        vnet_id = None
        for _, path in reader.items(("ip_configuration",), "private_ips"):
            address = reader.text((*path, "private_ip_address"), "private_ips")
            if address:
                ips.append(parse_ip(address, reader.origin(*path, "private_ip_address")))
            subnet = reader.reference((*path, "subnet_id"), "vnet_id", ("azurerm_subnet",))
            if subnet and vnet_id is None and "/subnets/" in subnet.lower():
                vnet_id = id_parent(subnet)
        hub_id = None
        for _, path in reader.items(("virtual_hub",), "hub_id"):
            hub_id = reader.reference((*path, "virtual_hub_id"), "hub_id", ("azurerm_virtual_hub",))
            address = reader.text((*path, "private_ip_address"), "private_ips")
            if address:
                ips.append(parse_ip(address, reader.origin(*path, "private_ip_address")))
        sku = reader.text(("sku_name",), "sku")
        self._add(
            Forwarder,
            reader,
            base,
            kind="AzureFirewall",
            sku=_enum(sku) if sku else ("AZFW_Hub" if hub_id else "AZFW_VNet"),
            vnet_id=vnet_id,
            hub_id=hub_id,
            private_ips=tuple(dict.fromkeys(ips)),
        )

    def _resolver(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        vnet = reader.reference(("virtual_network_id",), "vnet_id", ("azurerm_virtual_network",))
        self._add(DnsResolver, reader, base, vnet_id=vnet)

    def _inbound_endpoint(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        configs = []
        for _, path in reader.items(("ip_configurations",), "ip_configurations") + reader.items(
            ("ip_configuration",), "ip_configurations"
        ):
            address = reader.text((*path, "private_ip_address"), "ip_configurations")
            configs.append(
                EndpointIp(
                    origin=reader.origin(*path),
                    private_ip=parse_ip(address, reader.origin(*path, "private_ip_address")) if address else None,
                    subnet_id=reader.reference((*path, "subnet_id"), "ip_configurations", ("azurerm_subnet",)),
                )
            )
        self._add(InboundEndpoint, reader, base, resolver_id=id_parent(base["id"]), ip_configurations=tuple(configs))

    def _outbound_endpoint(self, instance: Instance) -> None:
        reader = _Reader(self, instance)
        base = self._envelope(instance, reader)
        subnet = reader.reference(("subnet_id",), "subnet_id", ("azurerm_subnet",))
        self._add(OutboundEndpoint, reader, base, resolver_id=id_parent(base["id"]), subnet_id=subnet)

    # -- children without a planned parent --------------------------------------------------------

    def _orphans(self) -> None:
        """Subnets, peerings, routes and rules whose parent exists outside the plan: kept under a
        placeholder parent that says it is not in the input (as for partial ARM exports)."""
        for vnet_key, subnets in list(self.children.subnets.items()):
            if subnets:
                self._placeholder_vnet(subnets[0], subnets, self.children.peerings.pop(vnet_key, []))
        for _vnet_key, peerings in list(self.children.peerings.items()):
            if peerings:
                self._placeholder_vnet(peerings[0], [], peerings)
        for table_key, routes in list(self.children.routes.items()):
            if routes:
                first = routes[0]
                table_id = id_parent(self.ids[first.address])
                self.builder.add(
                    RouteTable(
                        id=table_id,
                        name=id_name(table_id),
                        origin=first.where,
                        routes=tuple(self._route(table_id, r, (), self.ids[r.address]) for r in routes),
                        unknowns=(_not_in_plan("route table", "routes", first),),
                    )
                )
            del self.children.routes[table_key]
        for nsg_key, rules in list(self.children.rules.items()):
            if rules:
                first = rules[0]
                nsg_id = id_parent(self.ids[first.address])
                self.builder.add(
                    NetworkSecurityGroup(
                        id=nsg_id,
                        name=id_name(nsg_id),
                        origin=first.where,
                        rules=tuple(self._rule(nsg_id, r, (), self.ids[r.address]) for r in rules),
                        unknowns=(_not_in_plan("network security group", "security rules", first),),
                    )
                )
            del self.children.rules[nsg_key]

    def _placeholder_vnet(self, first: Instance, subnets: list[Instance], peerings: list[Instance]) -> None:
        vnet_id = id_parent(self.ids[first.address])
        self.children.subnets.pop(id_key(vnet_id), None)
        self.children.peerings.pop(id_key(vnet_id), None)
        self.builder.add(
            VirtualNetwork(
                id=vnet_id,
                name=id_name(vnet_id),
                origin=first.where,
                subnets=tuple(self._subnet(vnet_id, s) for s in subnets),
                peerings=tuple(self._peering(vnet_id, p) for p in peerings),
                unknowns=(_not_in_plan("virtual network", "subnets or peerings", first, "address_prefixes"),),
            )
        )


def _not_in_plan(what: str, children: str, first: Instance, field_name: str = "properties") -> UnknownValue:
    return UnknownValue(field_name, f"the {what} is not in the plan, only its {children}", first.where)


def _known_id(instance: Instance) -> str | None:
    value = instance.values.get("id")
    return value if isinstance(value, str) and is_resource_id(value) else None

"""Azure resource JSON (ARM REST, az CLI output, Resource Graph rows, evaluated templates) -> the model.

The translation reads each property in either shape: under `properties{}` (REST, Resource Graph,
templates) or lifted to the top level (az CLI). References are `{id}` objects or plain strings, enum
values and types compare case-insensitively, child resources come embedded in their parent or as
resources of their own (both at once is fine when they agree), and values a template could not
evaluate arrive as `Unknown` and become `UnknownValue`s on the model object. Secret-bearing
properties are never read into the model; their values are registered for redaction.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.coverage import is_scope_listing, kinds_of_types
from anycast_lint.model.ids import id_key, id_name, id_parent, id_segment
from anycast_lint.model.positions import JsonDocument, Origin, Pointer, SourceDocument
from anycast_lint.model.secrets import SECRETS
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
)
from anycast_lint.model.values import (
    Unknown,
    as_tag_value,
    describe,
    is_ascii_number,
    is_service_tag,
    parse_asn,
    parse_ip,
    parse_nsg_address,
    parse_prefix,
)
from anycast_lint.sources.arm.lookalikes import suspect_notices
from anycast_lint.sources.arm.plain import (
    NotPlainError,
    child_id_of,
    plain_children,
    plain_peering,
    plain_reference,
    plain_subnet,
    plain_vnet,
)
from anycast_lint.sources.arm.shapes import ArmRecord, check_properties, claims, records
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.unmodelled import (
    INTENT_OF_HUB_NOT_READ,
    ROUTE_SERVER,
    UNMODELLED_ARM_TYPES,
    is_route_server,
)

__all__ = ["ArmTranslator", "claims", "load"]

NET = "Microsoft.Network/"


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    """Translate Azure resource exports into model objects on the builder."""
    found: list[ArmRecord] = []
    for parsed in files:
        builder.add_document(parsed.document)
        file_records = list(records(parsed))
        types = {record.type for record in file_records}
        builder.cover(None if is_scope_listing(types) else kinds_of_types(types))
        found.extend(file_records)
    ArmTranslator(builder).translate(found)


VNET_CHILDREN = {"subnets": "subnets", "virtualNetworkPeerings": "virtualNetworkPeerings"}  # type -> property


class PreRead(dict[str, Any]):
    """An export item translated as soon as it was parsed (see export_stream): a plain VNet. Only its id
    and type are kept as the item's content (for format detection and records); the rest is `vnet`."""

    def __init__(self, item: dict[str, Any], vnet: VirtualNetwork):
        super().__init__(id=item["id"], type=item["type"])
        self.vnet = vnet


def preread_export_item(item: dict[str, Any], document: SourceDocument, pointer: Pointer) -> Any:
    """Translate an export item while the export is read (export_stream), when it is a VNet that the
    translation would read the same way later: with its subnets and peerings embedded, every value of
    the plain kinds (arm_plain). The item is then dropped and only the model object kept. Anything else
    is returned as it is, for the translation to read (and report) in its turn; nothing here raises, as
    nothing can be located before the export is read through. A VNet whose subnets or peerings are also
    listed on their own is read again from the file (_vnets)."""
    declared, resource_id, inner = item.get("type"), item.get("id"), item.get("properties")
    if declared.__class__ is not str or declared.lower() != "microsoft.network/virtualnetworks":
        return item
    if resource_id.__class__ is not str or not resource_id or (inner is not None and inner.__class__ is not dict):
        return item  # record_of reports these
    record = ArmRecord(item, document, pointer, NET + "virtualNetworks", resource_id)
    plain = plain_vnet(record)
    children = plain_children(record) if plain is not None else None
    if plain is None or children is None:
        return item
    return PreRead(item, VirtualNetwork(**plain, subnets=children[0], peerings=children[1]))


def _is_preread(record: ArmRecord) -> bool:
    return record.data.__class__ is PreRead


def _read_again(record: ArmRecord) -> ArmRecord:
    """A pre-read VNet as the item it was: its subnets or peerings are also listed on their own, and the
    translation merges them (the file is read back for that one item)."""
    document = record.document
    assert isinstance(document, JsonDocument), "only an export parsed item by item has pre-read items"
    return ArmRecord(json.loads(document.value_text(record.pointer)), document, record.pointer, record.type, record.id)


def props(node: Any, pointer: Pointer) -> tuple[dict[str, Any], Pointer]:
    """The property bag of a resource or child object, in the REST shape or flattened (az CLI)."""
    if isinstance(node, dict):
        inner = node.get("properties")
        if isinstance(inner, dict):
            return inner, (*pointer, "properties")
        return node, pointer
    return {}, pointer


def ref(value: Any) -> str | None:
    """A reference: `{"id": ...}` (most of ARM) or a plain string (route-map associations)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


class _Reader:
    """Reads one resource's values from a property bag, collecting what is unknown."""

    def __init__(self, document: SourceDocument, base: Pointer):
        self.document = document
        self.base = base
        self.unknowns: list[UnknownValue] = []

    def origin(self, pointer: Pointer) -> Origin:
        return Origin(self.document.path, pointer, self.document)

    def known(self, value: Any, field_name: str, pointer: Pointer) -> Any:
        if value.__class__ is Unknown:
            self.unknowns.append(UnknownValue(field_name, value.describe(), self.origin(pointer)))
            return None
        return value

    def get(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> Any:
        value = bag.get(key)
        if value.__class__ is Unknown:  # the common case returns at once: this runs ~30 times a VNet
            return self.known(value, field_name, (*pointer, key))
        return value

    def text(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> str | None:
        value = self.get(bag, key, field_name, pointer)
        if value.__class__ is dict or value.__class__ is list:
            raise self.wrong((*pointer, key), "a string", value)
        return None if value is None else str(value)

    def flag(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer, default: bool) -> bool:
        value = self.get(bag, key, field_name, pointer)
        if isinstance(value, str):
            return value.strip().lower() == "true"
        return default if value is None else bool(value)

    def reference(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> str | None:
        value = bag.get(key)
        try:
            return plain_reference(value)
        except NotPlainError:
            pass
        if value.__class__ is dict:
            inner = value.get("id")
            if self.known(inner, field_name, (*pointer, key, "id")) is None:
                return None
            raise self.wrong((*pointer, key, "id"), "a resource id", inner)
        if self.known(value, field_name, (*pointer, key)) is None:
            return None
        raise self.wrong((*pointer, key), 'a reference ({"id": "/subscriptions/..."}) or a resource id', value)

    def wrong(self, pointer: Pointer, expected: str, value: Any) -> InputError:
        """The located error for a value of the wrong shape: path, what was expected, what was found."""
        return InputError.at(self.origin(pointer), f"expected {expected}, got {describe(value)}")

    def object(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> dict[str, Any] | None:
        """A nested object (`addressSpace`, `bgpSettings`, ...); absent or unknown is None, any other
        shape an error, so a malformed export is never read as an empty one."""
        value = self.get(bag, key, field_name, pointer)
        if value is None or value.__class__ is dict:
            return value
        raise self.wrong((*pointer, key), "an object", value)

    def objects(
        self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer
    ) -> list[tuple[dict[str, Any], Pointer]]:
        """A list of objects (`ipConfigurations`, `routes`, ...), each checked to be an object."""
        value = bag.get(key)
        if value.__class__ is list:  # the plain case, checked without building an origin per item
            plain = []
            for index, item in enumerate(value):
                if item.__class__ is not dict:
                    break
                inner = item.get("properties")
                if inner is not None and inner.__class__ is not dict:
                    break
                plain.append((item, (*pointer, key, index)))
            else:
                return plain
        found = self.items(bag, key, field_name, pointer)
        for item, item_pointer in found:
            if item.__class__ is not dict:
                raise self.wrong(item_pointer, "an object", item)
            check_properties(item, self.origin(item_pointer))
        return found

    def texts(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[str]:
        """A list of strings (labels, destinations, communities); numbers are taken as their text."""
        result = []
        for item, item_pointer in self.items(bag, key, field_name, pointer):
            if isinstance(item, (dict, list, bool)):
                raise self.wrong(item_pointer, "a string", item)
            result.append(str(item))
        return result

    def items(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[tuple[Any, Pointer]]:
        value = self.get(bag, key, field_name, pointer)
        if value is None:
            return []
        if value.__class__ is not list:
            raise self.wrong((*pointer, key), "a list", value)
        result = []
        for index, item in enumerate(value):
            item_pointer = (*pointer, key, index)
            if self.known(item, field_name, item_pointer) is not None:
                result.append((item, item_pointer))
        return result

    def prefixes(
        self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer
    ) -> list[tuple[IPNetwork, Pointer]]:
        return [(parse_prefix(item, self.origin(p)), p) for item, p in self.items(bag, key, field_name, pointer)]

    def asns(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> tuple[str, ...]:
        """A list of AS numbers (a route map's AS path), each checked: a match on `int()` of any text failed."""
        return tuple(str(parse_asn(item, self.origin(p))) for item, p in self.items(bag, key, field_name, pointer))

    def ips(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[IPAddress]:
        return [parse_ip(item, self.origin(p)) for item, p in self.items(bag, key, field_name, pointer) if item]

    def ip(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> IPAddress | None:
        """An address; a NIC configuration may hold a prefix (`172.20.2.16/28`): its first address counts."""
        value = self.get(bag, key, field_name, pointer)
        if not value:
            return None
        if isinstance(value, str) and "/" in value:
            return parse_prefix(value, self.origin((*pointer, key))).network_address
        return parse_ip(value, self.origin((*pointer, key)))


@dataclass
class _Group:
    """A parent resource with the children found embedded in it or beside it."""

    record: ArmRecord | None
    children: dict[str, list[tuple[Any, Pointer, SourceDocument]]] = field(default_factory=dict)
    # embedded child lists (or items of them) a template could not evaluate: unknowns of the parent
    unknowns: list[UnknownValue] = field(default_factory=list)


# The model's name for each embedded child list, as unknowns name it ("subnets is unknown").
_LIST_FIELDS = {
    "subnets": "subnets",
    "virtualNetworkPeerings": "peerings",
    "routes": "routes",
    "securityRules": "security_rules",
    "expressRouteConnections": "connections",
}


class ArmTranslator:
    """Translates ARM records into model objects; shared by exports and evaluated templates."""

    def __init__(self, builder: TopologyBuilder):
        self.builder = builder
        self.ignored: Counter[str] = Counter()

    def translate(self, found: Iterable[ArmRecord]) -> None:
        by_type: dict[str, list[ArmRecord]] = defaultdict(list)
        for record in found:
            by_type[record.type].append(record)
        handlers: list[tuple[str, Callable[[list[ArmRecord]], None]]] = [
            ("virtualNetworks", self._vnets),
            ("routeTables", self._route_tables),
            ("networkSecurityGroups", self._nsgs),
            ("natGateways", self._simple(NatGateway)),
            ("networkInterfaces", self._each(self._nic)),
            ("virtualNetworkGateways", self._each(self._vnet_gateway)),
            ("connections", self._each(self._connection)),
            ("expressRouteCircuits", self._each(self._circuit)),
            ("virtualWans", self._simple(VirtualWan)),
            ("virtualHubs", self._hubs),
            ("expressRouteGateways", self._er_gateways),
            ("azureFirewalls", self._each(self._firewall)),
            ("networkVirtualAppliances", self._each(self._nva)),
            ("dnsResolvers", self._resolvers),
        ]
        handled: set[str] = set()
        for resource_type, items in by_type.items():
            if resource_type.lower() == "microsoft.network/expressroutecircuits/peerings/connections":
                handled.add(resource_type)
                for record in items:  # a Global Reach connection listed on its own
                    self._global_reach(circuit_of(record.id), record.data, record.origin)
                continue
            unmodelled = UNMODELLED_ARM_TYPES.get(resource_type.lower())
            if unmodelled is not None:
                handled.add(resource_type)
                for record in items:
                    self._unmodelled(record, *unmodelled)
        for top, handler in handlers:
            family = [t for t in by_type if t not in handled and (t == NET + top or t.startswith(NET + top + "/"))]
            handled.update(family)
            handler([r for t in family for r in by_type[t]])
        for resource_type, items in by_type.items():
            if resource_type not in handled:
                self.ignored[resource_type] += len(items)
        self.builder.ignored.update(self.ignored)
        self.builder.notices += suspect_notices(by_type, handled)  # a misspelt network type is said, not ignored

    # -- helpers --------------------------------------------------------------------------------

    def _unmodelled(self, record: ArmRecord, what: str, effect: str) -> None:
        """A resource that changes routing in ways the model does not follow: kept for AC002's note."""
        self.builder.unmodelled.append(UnmodelledRouting(record.id, self._name(record), what, effect, record.origin))

    def _each(self, handler: Callable[[ArmRecord], None]) -> Callable[[list[ArmRecord]], None]:
        def run(found: list[ArmRecord]) -> None:
            for record in found:
                handler(record)

        return run

    def _simple(self, model: type[NatGateway] | type[VirtualWan]) -> Callable[[list[ArmRecord]], None]:
        def build(record: ArmRecord) -> None:
            self.builder.add(model(**self._envelope(record, _Reader(record.document, record.pointer))))

        return self._each(build)

    def _envelope(self, record: ArmRecord, reader: _Reader) -> dict[str, Any]:
        location = reader.get(record.data, "location", "region", record.pointer)
        if location == "":
            # AVM's hub-networking passes `location ?? ''` to its VNet module: an empty region is no region
            origin = reader.origin((*record.pointer, "location"))
            reader.unknowns.append(UnknownValue("region", "the location evaluates to an empty string", origin))
            location = None
        return {
            "id": record.id,
            "name": self._name(record),
            "origin": record.origin,
            "region": str(location) if location is not None else None,
            "unknowns": tuple(reader.unknowns),
        }

    @staticmethod
    def _name(record: ArmRecord) -> str:
        name = record.data.get("name")
        return id_name(record.id) if not isinstance(name, str) or "/" in name else name

    def _group(
        self, parents: list[ArmRecord], children: dict[str, list[ArmRecord]], embedded: dict[str, str]
    ) -> list[tuple[str, _Group]]:
        """Parents with their children, embedded (`embedded[child type] = property`) or separate.

        A parent met twice (two exports of one tenant) yields two groups; the builder then keeps one
        copy if they agree and reports them if they do not.
        """
        groups: list[tuple[str, _Group]] = []
        first: dict[str, _Group] = {}
        for record in parents:
            key = id_key(record.id)
            group = _Group(record)
            groups.append((key, group))
            first.setdefault(key, group)
            bag, pointer = props(record.data, record.pointer)
            reader = _Reader(record.document, pointer)
            for child_type, name in embedded.items():
                embedded_items = reader.objects(bag, name, name, pointer)
                group.children.setdefault(child_type, []).extend(
                    (item, at, record.document) for item, at in embedded_items
                )
            group.unknowns = [_list_unknown(unknown) for unknown in reader.unknowns]
        for child_type, found in children.items():
            for record in found:
                key = id_key(id_parent(record.id))
                if key not in first:
                    first[key] = _Group(None)
                    groups.append((key, first[key]))
                first[key].children.setdefault(child_type, []).append((record.data, record.pointer, record.document))
        return groups

    @staticmethod
    def _unique(
        items: list[tuple[Any, Pointer, SourceDocument]], parent_id: str, segment: str
    ) -> list[tuple[str, Any, Pointer, SourceDocument]]:
        """Children by id, once each: the same child embedded and listed separately counts once."""
        seen: dict[str, tuple[str, Any, Pointer, SourceDocument]] = {}
        for item, pointer, document in items:
            child_id = child_id_of(item, parent_id, segment)
            if child_id is None:
                raise InputError.at(
                    Origin(document.path, pointer, document), "child object has neither 'id' nor 'name'"
                )
            seen.setdefault(id_key(child_id), (child_id, item, pointer, document))
        return list(seen.values())

    def _placeholder(
        self, items: list[tuple[Any, Pointer, SourceDocument]], what: str, field_name: str
    ) -> tuple[Origin, UnknownValue]:
        """Children whose parent is not in the input: keep them, and say what is missing."""
        _, pointer, document = items[0]
        origin = Origin(document.path, pointer, document)
        return origin, UnknownValue(field_name, f"it is not in the input, only its {what}", origin)

    # -- virtual networks -----------------------------------------------------------------------

    def _vnets(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "virtualNetworks"]
        children = {
            "subnets": [r for r in found if r.type == NET + "virtualNetworks/subnets"],
            "virtualNetworkPeerings": [r for r in found if r.type == NET + "virtualNetworks/virtualNetworkPeerings"],
        }
        with_children = {id_key(id_parent(r.id)) for records in children.values() for r in records}
        parents = [_read_again(r) if _is_preread(r) and id_key(r.id) in with_children else r for r in parents]
        for key, group in self._group(parents, children, VNET_CHILDREN):
            if group.record is not None and _is_preread(group.record):
                self.builder.add(cast(PreRead, group.record.data).vnet)
                continue
            plain = plain_vnet(group.record) if group.record is not None and not group.unknowns else None
            if plain is None:
                self.builder.add(self._vnet(key, group))
                continue
            subnets, peerings = self._vnet_children(plain["id"], group)
            self.builder.add(VirtualNetwork(**plain, subnets=subnets, peerings=peerings))

    def _vnet_children(self, vnet_id: str, group: _Group) -> tuple[tuple[Subnet, ...], tuple[Peering, ...]]:
        """A VNet's subnets and peerings, each read in its plain form when it has one (see arm_plain)."""
        subnets = tuple(
            plain_subnet(vnet_id, *item) or self._subnet(vnet_id, *item)
            for item in self._unique(group.children.get("subnets", []), vnet_id, "subnets")
        )
        peerings = tuple(
            plain_peering(vnet_id, *item) or self._peering(vnet_id, *item)
            for item in self._unique(
                group.children.get("virtualNetworkPeerings", []), vnet_id, "virtualNetworkPeerings"
            )
        )
        return subnets, peerings

    def _vnet(self, key: str, group: _Group) -> VirtualNetwork:
        """A VNet through the general reader: any shape, template unknowns, or a placeholder for a VNet
        that is not in the input but whose subnets or peerings are."""
        vnet_id, base, reader = self._parent_base(group, key, "subnets or peerings", "address_prefixes")
        prefixes: list[tuple[IPNetwork, Pointer]] = []
        tags: Any = None
        communities: dict[str, Any] = {}
        summaries: list[tuple[IPNetwork, Pointer]] = []
        if group.record is not None:
            tags = reader.object(group.record.data, "tags", "tags", group.record.pointer)
            bag, pointer = props(group.record.data, group.record.pointer)
            communities = reader.object(bag, "bgpCommunities", "bgp_community", pointer) or {}
            communities_pointer = (*pointer, "bgpCommunities")
            summary = reader.object(bag, "summarizedGatewayPrefixes", "summarized_gateway_prefixes", pointer)
            if summary is not None:
                summaries = reader.prefixes(
                    summary,
                    "addressPrefixes",
                    "summarized_gateway_prefixes",
                    (*pointer, "summarizedGatewayPrefixes"),
                )
            space = reader.object(bag, "addressSpace", "address_prefixes", pointer)
            space_pointer = (*pointer, "addressSpace")
            if space is not None:
                prefixes = reader.prefixes(space, "addressPrefixes", "address_prefixes", space_pointer)
                allocations = reader.objects(space, "ipamPoolPrefixAllocations", "address_prefixes", space_pointer)
                for allocation, allocation_pointer in allocations:
                    prefixes += reader.prefixes(
                        allocation, "allocatedAddressPrefixes", "address_prefixes", allocation_pointer
                    )
            elif space is None and not reader.unknowns:
                reader.unknowns.append(
                    UnknownValue("address_prefixes", "the input has no addressSpace", group.record.origin)
                )
        subnets, peerings = self._vnet_children(vnet_id, group)
        base["unknowns"] = tuple(base["unknowns"]) + tuple(reader.unknowns)
        return VirtualNetwork(
            **base,
            address_prefixes=tuple(p for p, _ in prefixes),
            prefix_origins=tuple(reader.origin(p) for _, p in prefixes),
            tags=MappingProxyType(
                {
                    str(k): as_tag_value(v)
                    for k, v in (tags if isinstance(tags, dict) else {}).items()
                    if not isinstance(v, Unknown)
                }
            ),
            subnets=subnets,
            peerings=peerings,
            summarized_gateway_prefixes=tuple(p for p, _ in summaries),
            summary_origins=tuple(reader.origin(p) for _, p in summaries),
            bgp_community=reader.text(communities, "virtualNetworkCommunity", "bgp_community", communities_pointer)
            if communities
            else None,
            regional_community=reader.text(communities, "regionalCommunity", "regional_community", communities_pointer)
            if communities
            else None,
        )

    def _subnet(
        self, vnet_id: str, subnet_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> Subnet:
        reader = _Reader(document, pointer)
        bag, bag_pointer = props(item, pointer)
        prefixes = []
        if "addressPrefix" in bag:
            value = reader.get(bag, "addressPrefix", "address_prefixes", bag_pointer)
            if value:
                prefixes.append(parse_prefix(value, reader.origin((*bag_pointer, "addressPrefix"))))
        prefixes += [p for p, _ in reader.prefixes(bag, "addressPrefixes", "address_prefixes", bag_pointer)]
        delegations = []
        for delegation, d_pointer in reader.objects(bag, "delegations", "delegations", bag_pointer):
            d_bag, d_bag_pointer = props(delegation, d_pointer)
            service = reader.text(d_bag, "serviceName", "delegations", d_bag_pointer)
            if service:
                delegations.append(service)
        outbound = reader.get(bag, "defaultOutboundAccess", "default_outbound_access", bag_pointer)
        return Subnet(
            id=subnet_id,
            name=id_name(subnet_id),
            origin=reader.origin(pointer),
            vnet_id=vnet_id,
            address_prefixes=tuple(dict.fromkeys(prefixes)) if len(prefixes) > 1 else tuple(prefixes),
            route_table_id=reader.reference(bag, "routeTable", "route_table_id", bag_pointer),
            nsg_id=reader.reference(bag, "networkSecurityGroup", "nsg_id", bag_pointer),
            nat_gateway_id=reader.reference(bag, "natGateway", "nat_gateway_id", bag_pointer),
            delegations=tuple(delegations),
            default_outbound_access=None if outbound is None else bool(outbound),
            unknowns=tuple(reader.unknowns),
        )

    def _peering(
        self, vnet_id: str, peering_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> Peering:
        reader = _Reader(document, pointer)
        bag, p = props(item, pointer)
        remote = reader.reference(bag, "remoteVirtualNetwork", "remote_vnet_id", p)
        name = id_name(peering_id)
        remote_name = id_name(remote) if remote else ""
        return Peering(
            id=peering_id,
            name=name,
            origin=reader.origin(pointer),
            vnet_id=vnet_id,
            remote_vnet_id=remote,
            allow_virtual_network_access=reader.flag(
                bag, "allowVirtualNetworkAccess", "allow_virtual_network_access", p, True
            ),
            allow_forwarded_traffic=reader.flag(bag, "allowForwardedTraffic", "allow_forwarded_traffic", p, False),
            allow_gateway_transit=reader.flag(bag, "allowGatewayTransit", "allow_gateway_transit", p, False),
            use_remote_gateways=reader.flag(bag, "useRemoteGateways", "use_remote_gateways", p, False),
            state=_enum(reader.text(bag, "peeringState", "state", p) or "Connected"),
            sync_level=_enum(reader.text(bag, "peeringSyncLevel", "sync_level", p)),
            to_vwan_hub=name.startswith(("RemoteVnetToHubPeering", "HV_")) or remote_name.startswith("HV_"),
            unknowns=tuple(reader.unknowns),
        )

    # -- route tables and NSGs ------------------------------------------------------------------

    def _route_tables(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "routeTables"]
        children = {"routes": [r for r in found if r.type == NET + "routeTables/routes"]}
        for key, group in self._group(parents, children, {"routes": "routes"}):
            table_id, base, reader = self._parent_base(group, key, "routes")
            routes = [
                self._route(table_id, *item)
                for item in self._unique(group.children.get("routes", []), table_id, "routes")
            ]
            disable = False
            if group.record is not None:
                bag, pointer = props(group.record.data, group.record.pointer)
                disable = reader.flag(
                    bag, "disableBgpRoutePropagation", "disable_bgp_route_propagation", pointer, False
                )
            base["unknowns"] = tuple(base["unknowns"]) + tuple(reader.unknowns)
            self.builder.add(RouteTable(**base, routes=tuple(routes), disable_bgp_route_propagation=disable))

    def _parent_base(
        self, group: _Group, key: str, what: str, field_name: str = "properties"
    ) -> tuple[str, dict[str, Any], _Reader]:
        """Envelope fields of a parent, or of a placeholder when only its children are in the input;
        plus a fresh reader for the parent's own properties."""
        if group.record is not None:
            record = group.record
            base = self._envelope(record, _Reader(record.document, record.pointer))
            base["unknowns"] = (*base["unknowns"], *group.unknowns)
            return record.id, base, _Reader(record.document, record.pointer)
        items = next(iter(group.children.values()))
        parent_id = id_parent(_first_id(items) or key)
        origin, missing = self._placeholder(items, what, field_name)
        base = {
            "id": parent_id,
            "name": id_name(parent_id),
            "origin": origin,
            "region": None,
            "unknowns": (missing,),
        }
        return parent_id, base, _Reader(items[0][2], items[0][1])

    def _route(
        self, table_id: str, route_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> Route:
        reader = _Reader(document, pointer)
        bag, p = props(item, pointer)
        text = reader.text(bag, "addressPrefix", "address_prefix", p) or ""
        prefix = parse_prefix(text, reader.origin((*p, "addressPrefix"))) if is_cidr(text) else None
        hops = []
        single = reader.ip(bag, "nextHopIpAddress", "next_hop_ips", p)
        if single is not None:
            hops.append(single)
        ecmp = reader.object(bag, "nextHop", "next_hop_ips", p)
        if ecmp is not None:
            hops += reader.ips(ecmp, "nextHopIpAddresses", "next_hop_ips", (*p, "nextHop"))
        return Route(
            id=route_id,
            name=id_name(route_id),
            origin=reader.origin(pointer),
            route_table_id=table_id,
            address_prefix=text,
            prefix=prefix,
            next_hop_type=_enum(reader.text(bag, "nextHopType", "next_hop_type", p) or "None"),
            next_hop_ips=tuple(hops),
            unknowns=tuple(reader.unknowns),
        )

    def _nsgs(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "networkSecurityGroups"]
        children = {"securityRules": [r for r in found if r.type == NET + "networkSecurityGroups/securityRules"]}
        for key, group in self._group(parents, children, {"securityRules": "securityRules"}):
            nsg_id, base, _ = self._parent_base(group, key, "security rules")
            rules = [
                self._security_rule(nsg_id, *item)
                for item in self._unique(group.children.get("securityRules", []), nsg_id, "securityRules")
            ]
            self.builder.add(NetworkSecurityGroup(**base, rules=tuple(rules)))

    def _security_rule(
        self, nsg_id: str, rule_id: str, item: dict[str, Any], pointer: Pointer, document: SourceDocument
    ) -> SecurityRule:
        reader = _Reader(document, pointer)
        bag, p = props(item, pointer)

        def both(singular: str, plural: str) -> tuple[str, ...]:
            values = reader.texts(bag, plural, plural, p)
            one = reader.get(bag, singular, singular, p)
            if one not in (None, ""):
                if isinstance(one, (dict, list)):
                    raise reader.wrong((*p, singular), "a string", one)
                values.insert(0, str(one))
            return tuple(values) or ("*",)

        def addresses(singular: str, plural: str) -> tuple[str, ...]:
            located = reader.items(bag, plural, plural, p)
            one = reader.get(bag, singular, singular, p)
            if one not in (None, ""):
                located.insert(0, (one, (*p, singular)))
            return tuple(parse_nsg_address(value, reader.origin(q)) for value, q in located) or ("*",)

        priority = reader.get(bag, "priority", "priority", p)
        return SecurityRule(
            id=rule_id,
            name=id_name(rule_id),
            origin=reader.origin(pointer),
            nsg_id=nsg_id,
            direction=_enum(reader.text(bag, "direction", "direction", p) or "Inbound"),
            access=_enum(reader.text(bag, "access", "access", p) or "Allow"),
            priority=int(priority)
            if isinstance(priority, (int, str)) and is_ascii_number(str(priority)) and len(str(priority)) < 6
            else 65000,
            protocol=_enum(reader.text(bag, "protocol", "protocol", p) or "*"),
            source_prefixes=addresses("sourceAddressPrefix", "sourceAddressPrefixes"),
            destination_prefixes=addresses("destinationAddressPrefix", "destinationAddressPrefixes"),
            source_ports=both("sourcePortRange", "sourcePortRanges"),
            destination_ports=both("destinationPortRange", "destinationPortRanges"),
            unknowns=tuple(reader.unknowns),
        )

    # -- NICs, gateways, connections, circuits --------------------------------------------------

    def _nic(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        configs: list[NicIpConfiguration] = []
        for config, c_pointer in reader.objects(bag, "ipConfigurations", "ip_configurations", p):
            c_bag, cp = props(config, c_pointer)
            primary = reader.get(c_bag, "primary", "ip_configurations", cp)
            configs.append(
                NicIpConfiguration(
                    name=str(config.get("name") or ""),
                    origin=reader.origin(c_pointer),
                    private_ip=reader.ip(c_bag, "privateIPAddress", "ip_configurations", cp),
                    subnet_id=reader.reference(c_bag, "subnet", "ip_configurations", cp),
                    primary=bool(primary) if primary is not None else not configs,
                )
            )
        vm_id = reader.reference(bag, "virtualMachine", "vm_id", p)
        forwarding = reader.flag(bag, "enableIPForwarding", "enable_ip_forwarding", p, False)
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            NetworkInterface(
                **base,
                vm_id=vm_id,
                enable_ip_forwarding=forwarding,
                ip_configurations=tuple(configs),
            )
        )

    def _vnet_gateway(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        vnet_id = None
        for config, c_pointer in reader.objects(bag, "ipConfigurations", "vnet_id", p):
            c_bag, cp = props(config, c_pointer)
            subnet = reader.reference(c_bag, "subnet", "vnet_id", cp)
            if subnet and "/subnets/" in subnet.lower():
                vnet_id = id_parent(subnet) or None  # a hub firewall's "/subnets/AzureFirewallSubnet" names no VNet
                break
        sku = reader.object(bag, "sku", "sku", p)
        settings = reader.object(bag, "bgpSettings", "bgp_peering_addresses", p)
        addresses: list[IPAddress] = []
        asn = None
        if settings is not None:
            sp = (*p, "bgpSettings")
            raw_asn = reader.get(settings, "asn", "asn", sp)
            asn = parse_asn(raw_asn, reader.origin((*sp, "asn"))) if raw_asn not in (None, 0, "") else None
            for entry, e_pointer in reader.objects(settings, "bgpPeeringAddresses", "bgp_peering_addresses", sp):
                for key in ("customBgpIpAddresses", "defaultBgpIpAddresses"):
                    addresses += reader.ips(entry, key, "bgp_peering_addresses", e_pointer)
            legacy = reader.text(settings, "bgpPeeringAddress", "bgp_peering_addresses", sp)
            if not addresses and legacy:
                addresses = [
                    parse_ip(part, reader.origin((*sp, "bgpPeeringAddress")))
                    for part in legacy.split(",")
                    if part.strip()
                ]
        gateway_type = _enum(reader.text(bag, "gatewayType", "gateway_type", p) or "ExpressRoute")
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            VirtualNetworkGateway(
                **base,
                gateway_type=gateway_type,
                sku=str(sku.get("name")) if sku is not None and sku.get("name") else None,
                asn=asn,
                vnet_id=vnet_id,
                bgp_peering_addresses=tuple(dict.fromkeys(addresses)),
            )
        )

    def _connection(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        SECRETS.register_properties(bag)
        peer = reader.reference(bag, "peer", "circuit_id", p)
        circuit = circuit_of(peer) if peer and "/expressroutecircuits/" in peer.lower() else None
        weight = reader.get(bag, "routingWeight", "routing_weight", p)
        connection_type = _enum(reader.text(bag, "connectionType", "connection_type", p) or "ExpressRoute")
        gateway_id = reader.reference(bag, "virtualNetworkGateway1", "gateway_id", p)
        peer_gateway_id = reader.reference(bag, "virtualNetworkGateway2", "peer_gateway_id", p)
        bypass = reader.flag(bag, "expressRouteGatewayBypass", "express_route_gateway_bypass", p, False)
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            GatewayConnection(
                **base,
                connection_type=connection_type,
                gateway_id=gateway_id,
                circuit_id=circuit,
                peer_gateway_id=peer_gateway_id,
                routing_weight=int(weight) if isinstance(weight, int) else 0,
                express_route_gateway_bypass=bypass,
            )
        )

    def _circuit(self, record: ArmRecord) -> None:
        if record.type != NET + "expressRouteCircuits":
            # `expressRouteCircuits/peerings` declared on its own: a peering of its circuit, not a second
            # circuit; its keys are registered for redaction and nothing else of it is modelled.
            SECRETS.register_properties(props(record.data, ())[0])
            return
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        SECRETS.register_properties(bag)
        for peering, peering_pointer in reader.objects(bag, "peerings", "peerings", p):
            peering_bag = props(peering, ())[0]
            SECRETS.register_properties(peering_bag)
            if isinstance(peering_bag.get("connections"), list):  # Global Reach, embedded in the circuit
                inner = (*peering_pointer, *(("properties",) if "properties" in peering else ()))
                for connection, at in reader.objects(peering_bag, "connections", "global_reach", inner):
                    self._global_reach(record.id, connection, Origin(record.document.path, at, record.document))
        provider = reader.object(bag, "serviceProviderProperties", "peering_location", p) or {}
        sku = reader.object(record.data, "sku", "sku_tier", record.pointer) or {}
        provider_pointer = (*p, "serviceProviderProperties")
        # read through the reader, so that a value left unknown (AVM's required peeringLocation without a
        # value) is listed instead of read as absent
        location = reader.get(provider, "peeringLocation", "peering_location", provider_pointer)
        bandwidth = reader.get(provider, "bandwidthInMbps", "bandwidth_mbps", provider_pointer) or reader.get(
            bag, "bandwidthInGbps", "bandwidth_mbps", p
        )
        tier = reader.get(sku, "tier", "sku_tier", (*record.pointer, "sku"))
        base["unknowns"] = tuple(reader.unknowns)
        self.builder.add(
            ExpressRouteCircuit(
                **base,
                peering_location=_text(location),
                bandwidth_mbps=bandwidth if isinstance(bandwidth, int) else None,
                sku_tier=_text(tier),
            )
        )

    def _global_reach(self, circuit_id: str, connection: dict[str, Any], origin: Origin) -> None:
        """A Global Reach connection: this circuit's private peering linked to a peer circuit's
        (`peerExpressRouteCircuitPeering`, the shape of the ExpressRouteCircuitConnection REST examples)."""
        bag, pointer = props(connection, origin.pointer)
        document = origin.document
        assert document is not None, "connections are read from documents"
        peer = _Reader(document, origin.pointer).reference(
            bag, "peerExpressRouteCircuitPeering", "global_reach", pointer
        )
        name = connection.get("name")
        if peer is None:  # not known before deployment, or absent: said, never guessed
            what, effect = UNMODELLED_ARM_TYPES["microsoft.network/expressroutecircuits/peerings/connections"]
            label = name if isinstance(name, str) else "Global Reach"
            self.builder.unmodelled.append(UnmodelledRouting(circuit_id, label, what, effect, origin))
            return
        label = name if isinstance(name, str) and name else f"{id_name(circuit_id)}-{id_name(circuit_of(peer))}"
        self.builder.global_reach.append(GlobalReach(circuit_id, circuit_of(peer), label, origin))

    # -- Virtual WAN ------------------------------------------------------------------------------

    def _hubs(self, found: list[ArmRecord]) -> None:
        hubs = {id_key(r.id): r for r in found if r.type == NET + "virtualHubs"}
        tables: dict[str, list[str]] = defaultdict(list)
        intents: dict[str, RoutingIntent] = {}
        for record in found:
            if record.type == NET + "virtualHubs/hubRouteTables":
                self._hub_route_table(record)
                tables[id_key(id_parent(record.id))].append(id_name(record.id).lower())
            elif record.type == NET + "virtualHubs/hubVirtualNetworkConnections":
                self._hub_connection(record)
            elif record.type == NET + "virtualHubs/routeMaps":
                self._route_map(record)
            elif record.type == NET + "virtualHubs/routingIntent":
                intents[id_key(id_parent(record.id))] = self._routing_intent(record)
            elif record.type != NET + "virtualHubs":
                self.ignored[record.type] += 1
        for key, intent in intents.items():
            if key not in hubs:  # its hub is not in the input: nothing it routes is, either; still said
                self.builder.unmodelled.append(
                    UnmodelledRouting(intent.id, intent.name, *INTENT_OF_HUB_NOT_READ, intent.origin)
                )
        for key, record in hubs.items():
            if is_route_server(props(record.data, record.pointer)[0]):
                self._unmodelled(record, *ROUTE_SERVER)  # a virtual hub outside any WAN: no hub route tables
                continue
            self._hub(record, intents.get(key))
            for table_name, label in DEFAULT_HUB_TABLES:  # every hub has them, exported or not
                if table_name.lower() not in tables[key]:
                    table_id = f"{record.id}/hubRouteTables/{table_name}"
                    if not self.builder.has(HubRouteTable, table_id):
                        self.builder.add(
                            HubRouteTable(
                                id=table_id,
                                name=table_name,
                                origin=record.origin,
                                hub_id=record.id,
                                labels=(label,),
                            )
                        )

    def _routing_intent(self, record: ArmRecord) -> RoutingIntent:
        """`routingPolicies`: each names its destinations (PrivateTraffic, Internet) and a next hop (the hub's
        firewall, an NVA or a SaaS solution), as "How to configure Virtual WAN Hub routing intent" shows."""
        reader = _Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        private = internet = None
        for policy, policy_pointer in reader.objects(bag, "routingPolicies", "routing_intent", p):
            policy_bag, pp = props(policy, policy_pointer)
            destinations = {d.lower() for d in reader.texts(policy_bag, "destinations", "routing_intent", pp)}
            next_hop = reader.text(policy_bag, "nextHop", "routing_intent", pp)
            if "privatetraffic" in destinations:
                private = next_hop
            if "internet" in destinations:
                internet = next_hop
        return RoutingIntent(record.id, self._name(record), record.origin, private, internet)

    def _hub(self, record: ArmRecord, intent: RoutingIntent | None = None) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        prefix_text = reader.text(bag, "addressPrefix", "address_prefix", p)
        asn = reader.get(bag, "virtualRouterAsn", "router_asn", p)
        wan_id = reader.reference(bag, "virtualWan", "wan_id", p)
        router_ips = tuple(reader.ips(bag, "virtualRouterIps", "router_ips", p))
        er_gateway_id = reader.reference(bag, "expressRouteGateway", "er_gateway_id", p)
        firewall_id = reader.reference(bag, "azureFirewall", "firewall_id", p)
        preference = _enum(reader.text(bag, "hubRoutingPreference", "hub_routing_preference", p))
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            VirtualHub(
                **base,
                wan_id=wan_id,
                address_prefix=parse_prefix(prefix_text, reader.origin((*p, "addressPrefix"))) if prefix_text else None,
                router_asn=int(asn) if isinstance(asn, int) and asn else 65515,
                router_ips=router_ips,
                er_gateway_id=er_gateway_id,
                firewall_id=firewall_id,
                hub_routing_preference=preference,
                routing_intent=intent,
            )
        )

    def _hub_route_table(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        routes = []
        for route, r_pointer in reader.objects(bag, "routes", "routes", p):
            r_bag, rp = props(route, r_pointer)
            routes.append(
                HubRoute(
                    name=str(route.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    destination_type=_enum(reader.text(r_bag, "destinationType", "routes", rp) or "CIDR"),
                    destinations=tuple(reader.texts(r_bag, "destinations", "routes", rp)),
                    next_hop_type=_enum(reader.text(r_bag, "nextHopType", "routes", rp) or "ResourceId"),
                    next_hop=reader.text(r_bag, "nextHop", "routes", rp),
                )
            )
        labels = tuple(reader.texts(bag, "labels", "labels", p))
        self.builder.add(
            HubRouteTable(
                id=record.id,
                name=self._name(record),
                origin=record.origin,
                hub_id=id_parent(record.id),
                labels=labels,
                routes=tuple(routes),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _routing(
        self, reader: _Reader, bag: dict[str, Any], pointer: Pointer, hub_id: str | None
    ) -> RoutingConfiguration:
        """A routing configuration; absent, it is Azure's default (defaultRouteTable, label 'default')."""
        config = reader.object(bag, "routingConfiguration", "routing", pointer)
        c_pointer = (*pointer, "routingConfiguration")
        default_table = f"{hub_id}/hubRouteTables/defaultRouteTable" if hub_id else None
        if config is None:
            return RoutingConfiguration(
                origin=reader.origin(pointer),
                associated_route_table_id=default_table,
                propagated_route_table_ids=(default_table,) if default_table else (),
                propagated_labels=("default",),
                inbound_route_map_id=reader.reference(bag, "inboundRouteMap", "routing", pointer),
                outbound_route_map_id=reader.reference(bag, "outboundRouteMap", "routing", pointer),
            )
        propagated = reader.object(config, "propagatedRouteTables", "routing", c_pointer) or {}
        pp = (*c_pointer, "propagatedRouteTables")
        vnet_routes = reader.object(config, "vnetRoutes", "static_routes", c_pointer) or {}
        vp = (*c_pointer, "vnetRoutes")
        static_config = reader.object(vnet_routes, "staticRoutesConfig", "propagate_static_routes", vp) or {}
        sp = (*vp, "staticRoutesConfig")
        static_routes = []
        for route, r_pointer in reader.objects(vnet_routes, "staticRoutes", "static_routes", vp):
            static_routes.append(
                StaticRoute(
                    name=str(route.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    address_prefixes=tuple(
                        p for p, _ in reader.prefixes(route, "addressPrefixes", "static_routes", r_pointer)
                    ),
                    next_hop_ip=reader.ip(route, "nextHopIpAddress", "static_routes", r_pointer),
                )
            )
        propagate = reader.get(static_config, "propagateStaticRoutes", "propagate_static_routes", sp)
        # Azure fills in what a create request leaves out: the default table and label.
        associated = reader.reference(config, "associatedRouteTable", "routing", c_pointer) or default_table
        if "propagatedRouteTables" in config:
            propagated_ids = tuple(
                r for item, _ in reader.items(propagated, "ids", "routing", pp) if (r := ref(item)) is not None
            )
            propagated_labels = tuple(reader.texts(propagated, "labels", "routing", pp))
        else:
            propagated_ids = (default_table,) if default_table else ()
            propagated_labels = ("default",)
        return RoutingConfiguration(
            origin=reader.origin(c_pointer),
            associated_route_table_id=associated,
            propagated_route_table_ids=propagated_ids,
            propagated_labels=propagated_labels,
            static_routes=tuple(static_routes),
            propagate_static_routes=None if propagate is None else bool(propagate),
            propagate_origin=None if propagate is None else reader.origin((*sp, "propagateStaticRoutes")),
            vnet_local_route_override=_enum(
                reader.text(static_config, "vnetLocalRouteOverrideCriteria", "routing", sp)
            ),
            inbound_route_map_id=reader.reference(config, "inboundRouteMap", "routing", c_pointer)
            or reader.reference(bag, "inboundRouteMap", "routing", pointer),
            outbound_route_map_id=reader.reference(config, "outboundRouteMap", "routing", c_pointer)
            or reader.reference(bag, "outboundRouteMap", "routing", pointer),
        )

    def _hub_connection(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        hub_id = id_parent(record.id)
        routing = self._routing(reader, bag, p, hub_id)
        security = reader.get(bag, "enableInternetSecurity", "enable_internet_security", p)
        self.builder.add(
            HubVirtualNetworkConnection(
                id=_canonical_connection_id(record.id),
                name=self._name(record),
                origin=record.origin,
                hub_id=hub_id,
                remote_vnet_id=reader.reference(bag, "remoteVirtualNetwork", "remote_vnet_id", p),
                routing=routing,
                enable_internet_security=None if security is None else bool(security),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _route_map(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        rules = []
        for rule, r_pointer in reader.objects(bag, "rules", "rules", p):
            criteria = tuple(
                MatchCriterion(
                    condition=_enum(reader.text(c, "matchCondition", "rules", cp) or "Unknown"),
                    origin=reader.origin(cp),
                    route_prefixes=tuple(x for x, _ in reader.prefixes(c, "routePrefix", "rules", cp)),
                    communities=tuple(reader.texts(c, "community", "rules", cp)),
                    as_paths=reader.asns(c, "asPath", "rules", cp),
                )
                for c, cp in reader.objects(rule, "matchCriteria", "rules", r_pointer)
            )
            actions = []
            for action, a_pointer in reader.objects(rule, "actions", "rules", r_pointer):
                params = reader.objects(action, "parameters", "rules", a_pointer)
                actions.append(
                    RouteMapAction(
                        type=_enum(reader.text(action, "type", "rules", a_pointer) or "Unknown"),
                        origin=reader.origin(a_pointer),
                        as_paths=tuple(
                            asn for param, at in params for asn in reader.asns(param, "asPath", "rules", at)
                        ),
                        communities=tuple(
                            x for param, pp in params for x in reader.texts(param, "community", "rules", pp)
                        ),
                        route_prefixes=tuple(
                            x for param, pp in params for x, _ in reader.prefixes(param, "routePrefix", "rules", pp)
                        ),
                        properties=tuple(
                            k for k in ROUTE_MAP_PROPERTIES if any(isinstance(q, dict) and k in q for q, _ in params)
                        ),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=str(rule.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=_enum(reader.text(rule, "nextStepIfMatched", "rules", r_pointer) or "Continue"),
                )
            )
        self.builder.add(
            RouteMap(
                id=record.id,
                name=self._name(record),
                origin=record.origin,
                hub_id=id_parent(record.id),
                rules=tuple(rules),
                associated_inbound=tuple(
                    r
                    for x, _ in reader.items(bag, "associatedInboundConnections", "associations", p)
                    if (r := ref(x)) is not None
                ),
                associated_outbound=tuple(
                    r
                    for x, _ in reader.items(bag, "associatedOutboundConnections", "associations", p)
                    if (r := ref(x)) is not None
                ),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _er_gateways(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "expressRouteGateways"]
        children = {"connections": [r for r in found if r.type == NET + "expressRouteGateways/expressRouteConnections"]}
        for key, group in self._group(parents, children, {"connections": "expressRouteConnections"}):
            gateway_id, base, reader = self._parent_base(group, key, "connections")
            hub_id = None
            if group.record is not None:
                bag, p = props(group.record.data, group.record.pointer)
                hub_id = reader.reference(bag, "virtualHub", "hub_id", p)
            base["unknowns"] = tuple(base["unknowns"]) + tuple(reader.unknowns)
            self.builder.add(ExpressRouteGateway(**base, hub_id=hub_id))
            for connection_id, item, pointer, document in self._unique(
                group.children.get("connections", []), gateway_id, "expressRouteConnections"
            ):
                self._er_connection(gateway_id, hub_id, connection_id, item, pointer, document)

    def _er_connection(
        self,
        gateway_id: str,
        hub_id: str | None,
        connection_id: str,
        item: dict[str, Any],
        pointer: Pointer,
        document: SourceDocument,
    ) -> None:
        reader = _Reader(document, pointer)
        bag, p = props(item, pointer)
        SECRETS.register_properties(bag)
        peering = reader.reference(bag, "expressRouteCircuitPeering", "circuit_id", p)
        weight = reader.get(bag, "routingWeight", "routing_weight", p)
        routing = self._routing(reader, bag, p, hub_id)
        bypass = reader.flag(bag, "expressRouteGatewayBypass", "express_route_gateway_bypass", p, False)
        self.builder.add(
            ExpressRouteConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=reader.origin(pointer),
                gateway_id=gateway_id,
                circuit_id=circuit_of(peering) if peering else None,
                circuit_peering_id=peering,
                routing_weight=int(weight) if isinstance(weight, int) else 0,
                routing=routing,
                express_route_gateway_bypass=bypass,
                unknowns=tuple(reader.unknowns),
            )
        )

    # -- forwarders and DNS ---------------------------------------------------------------------

    def _firewall(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        ips: list[IPAddress] = []
        vnet_id = None
        for config, c_pointer in reader.objects(bag, "ipConfigurations", "private_ips", p):
            c_bag, cp = props(config, c_pointer)
            address = reader.ip(c_bag, "privateIPAddress", "private_ips", cp)
            if address is not None:
                ips.append(address)
            subnet = reader.reference(c_bag, "subnet", "vnet_id", cp)
            if subnet and vnet_id is None and "/subnets/" in subnet.lower():
                vnet_id = id_parent(subnet) or None  # a hub firewall's "/subnets/AzureFirewallSubnet" names no VNet
        hub_addresses = reader.object(bag, "hubIPAddresses", "private_ips", p)
        if hub_addresses is not None:
            address = reader.ip(hub_addresses, "privateIPAddress", "private_ips", (*p, "hubIPAddresses"))
            if address is not None:
                ips.append(address)
        sku = reader.object(bag, "sku", "sku", p) or {}
        hub_id = reader.reference(bag, "virtualHub", "hub_id", p)
        base["unknowns"] = tuple(reader.unknowns)
        self.builder.add(
            Forwarder(
                **base,
                kind="AzureFirewall",
                sku=_enum(sku.get("name"))
                if isinstance(sku.get("name"), str)
                else ("AZFW_Hub" if hub_id else "AZFW_VNet"),
                vnet_id=vnet_id,
                hub_id=hub_id,
                private_ips=tuple(dict.fromkeys(ips)),
            )
        )

    def _nva(self, record: ArmRecord) -> None:
        reader = _Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        ips = []
        for nic, n_pointer in reader.objects(bag, "virtualApplianceNics", "private_ips", p):
            address = reader.ip(nic, "privateIpAddress", "private_ips", n_pointer)
            if address is not None:
                ips.append(address)
        own = reader.ip(bag, "privateIpAddress", "private_ips", p)
        if own is not None:
            ips.insert(0, own)
        hub_id = reader.reference(bag, "virtualHub", "hub_id", p)
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            Forwarder(
                **base,
                kind="NetworkVirtualAppliance",
                hub_id=hub_id,
                private_ips=tuple(dict.fromkeys(ips)),
            )
        )

    def _resolvers(self, found: list[ArmRecord]) -> None:
        for record in found:
            reader = _Reader(record.document, record.pointer)
            base = self._envelope(record, reader)
            bag, p = props(record.data, record.pointer)
            if record.type == NET + "dnsResolvers":
                vnet_id = reader.reference(bag, "virtualNetwork", "vnet_id", p)
                base["unknowns"] = tuple(reader.unknowns)
                self.builder.add(DnsResolver(**base, vnet_id=vnet_id))
                continue
            resolver_id = id_parent(record.id) if id_segment(record.id, "dnsResolvers") else None
            if resolver_id is None:
                reader.unknowns.append(
                    UnknownValue("resolver_id", "the endpoint's id does not name its DNS resolver", record.origin)
                )
            if record.type == NET + "dnsResolvers/inboundEndpoints":
                configs = []
                for config, c_pointer in reader.objects(bag, "ipConfigurations", "ip_configurations", p):
                    address = reader.ip(config, "privateIpAddress", "ip_configurations", c_pointer) or reader.ip(
                        config, "privateIPAddress", "ip_configurations", c_pointer
                    )
                    written = [v for k, v in config.items() if k.lower() == "privateipaddress"]
                    if address is None and all(v is None for v in written):
                        # a template's Dynamic endpoint (AVM's default): Azure picks the address when it
                        # deploys it; reads of deployed resources always carry it
                        reason = "the address is assigned by Azure at deployment (dynamic allocation)"
                        reader.unknowns.append(UnknownValue("ip_configurations", reason, reader.origin(c_pointer)))
                    configs.append(
                        EndpointIp(
                            origin=reader.origin(c_pointer),
                            private_ip=address,
                            subnet_id=reader.reference(config, "subnet", "ip_configurations", c_pointer),
                        )
                    )
                base["unknowns"] = tuple(reader.unknowns)
                self.builder.add(InboundEndpoint(**base, resolver_id=resolver_id, ip_configurations=tuple(configs)))
            elif record.type == NET + "dnsResolvers/outboundEndpoints":
                subnet = reader.reference(bag, "subnet", "subnet_id", p)
                base["unknowns"] = tuple(reader.unknowns)
                self.builder.add(OutboundEndpoint(**base, resolver_id=resolver_id, subnet_id=subnet))
            else:
                self.ignored[record.type] += 1


def _list_unknown(unknown: UnknownValue) -> UnknownValue:
    """An embedded child list, or an item of it, that a template could not evaluate: an unknown of the
    parent under the model's name for the list, never an empty list (AC001 reports the children unread)."""
    pointer = unknown.origin.pointer
    reason = unknown.reason
    if pointer and isinstance(pointer[-1], int):
        reason = f"item {pointer[-1]} cannot be evaluated: {reason}"
    return UnknownValue(_LIST_FIELDS.get(unknown.field, unknown.field), reason, unknown.origin)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _first_id(items: list[tuple[Any, Pointer, SourceDocument]]) -> str | None:
    for item, _, _ in items:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return str(item["id"])
    return None


def circuit_of(peering_or_circuit: str) -> str:
    """`.../expressRouteCircuits/c/peerings/AzurePrivatePeering` -> `.../expressRouteCircuits/c`."""
    parts = peering_or_circuit.rstrip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "expressroutecircuits" in lowered:
        index = lowered.index("expressroutecircuits")
        return "/".join(parts[: index + 2])
    return peering_or_circuit


def _canonical_connection_id(resource_id: str) -> str:
    """Hub connection ids appear with `virtualHubVnetConnections` too; one spelling for lookups."""
    parts = resource_id.split("/")
    return "/".join("hubVirtualNetworkConnections" if p.lower() == "virtualhubvnetconnections" else p for p in parts)


def is_cidr(text: str) -> bool:
    """A route's addressPrefix is a prefix or a service tag (`AzureMonitor`); anything else is read as a
    prefix, so that a malformed one is an error rather than a tag matching nothing."""
    return bool(text) and not is_service_tag(text)

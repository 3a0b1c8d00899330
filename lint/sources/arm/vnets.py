"""Virtual networks with their subnets and peerings; a plain VNet is read while the export is parsed."""

from __future__ import annotations

import json
from types import MappingProxyType
from typing import Any, cast

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import JsonDocument, Pointer, SourceDocument
from anycast_lint.model.topology import IPNetwork, Peering, Subnet, UnknownValue, VirtualNetwork
from anycast_lint.model.values import Unknown, as_tag_value, parse_prefix
from anycast_lint.sources.arm.plain import plain_children, plain_peering, plain_subnet, plain_vnet
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, Group, TranslatorBase

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


class VnetTranslation(TranslatorBase):
    """Virtual networks, subnets and peerings."""

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

    def _vnet_children(self, vnet_id: str, group: Group) -> tuple[tuple[Subnet, ...], tuple[Peering, ...]]:
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

    def _vnet(self, key: str, group: Group) -> VirtualNetwork:
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
        reader = Reader(document, pointer)
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
        reader = Reader(document, pointer)
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

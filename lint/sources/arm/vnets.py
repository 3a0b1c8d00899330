"""Virtual networks with their subnets and peerings; a plain VNet is read while the export is parsed."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, cast

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Pointer, SourceDocument
from anycast_lint.model.topology import IPNetwork, Peering, Subnet, UnknownValue, VirtualNetwork
from anycast_lint.model.values import Unknown, as_tag_value, parse_prefix
from anycast_lint.sources.arm.plain import plain_peering, plain_subnet, plain_vnet
from anycast_lint.sources.arm.preread import PreRead, is_preread, read_again
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, Group, TranslatorBase

VNET_CHILDREN = {"subnets": "subnets", "virtualNetworkPeerings": "virtualNetworkPeerings"}  # type -> property


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
        parents = [read_again(r) if is_preread(r) and id_key(r.id) in with_children else r for r in parents]
        for key, group in self._group(parents, children, VNET_CHILDREN):
            if group.record is not None and is_preread(group.record):
                self.builder.add(cast(PreRead, group.record.data).model)
                continue
            plain = plain_vnet(group.record) if group.record is not None and not group.unknowns else None
            if plain is None:
                self.builder.add(self._vnet(key, group))
                continue
            subnets, peerings = self._vnet_children(plain["id"], group)
            self.builder.add(VirtualNetwork(**plain, subnets=subnets, peerings=peerings))

    def _vnet_children(self, vnet_id: str, group: Group) -> tuple[tuple[Subnet, ...], tuple[Peering, ...]]:
        """A VNet's subnets and peerings, each read in its plain form when it has one (see arm/plain.py)."""
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

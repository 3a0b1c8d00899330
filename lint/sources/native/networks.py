"""Virtual networks, their subnets and peerings."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPNetwork, Peering, Subnet, VirtualNetwork
from anycast_lint.model.values import as_tag_value, parse_prefix
from anycast_lint.sources.native.core import BuilderCore
from anycast_lint.sources.native.names import error_at


class NetworkFamily(BuilderCore):
    """Builds `virtualNetworks` with their subnets and peerings."""

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
            raise error_at(origin, "give either addressPrefix or addressPrefixes, not both")
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

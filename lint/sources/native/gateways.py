"""ExpressRoute circuits (with Global Reach), virtual network gateways and their connections."""

from __future__ import annotations

from anycast_lint.model.ids import id_name
from anycast_lint.model.topology import ExpressRouteCircuit, GatewayConnection, GlobalReach, VirtualNetworkGateway
from anycast_lint.model.values import parse_asn, parse_ip
from anycast_lint.sources.native.core import BuilderCore
from anycast_lint.sources.native.names import error_at


class GatewayFamily(BuilderCore):
    """Builds `expressRouteCircuits`, `virtualNetworkGateways` and `connections`."""

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
            raise error_at(origin, "an ExpressRoute connection needs 'circuit'")
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

"""ExpressRoute circuits and Global Reach, and self-managed gateways with their connections."""

from __future__ import annotations

from anycast_lint.model.ids import id_parent
from anycast_lint.model.topology import (
    ExpressRouteCircuit,
    GatewayConnection,
    GlobalReach,
    IPAddress,
    UnmodelledRouting,
    VirtualNetworkGateway,
)
from anycast_lint.model.values import parse_asn, parse_ip
from anycast_lint.sources.arm.resources import circuit_of
from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import enum_spelling, walk
from anycast_lint.sources.terraform.plan import Instance
from anycast_lint.sources.unmodelled import UNMODELLED_ARM_TYPES


class GatewayFamily(TranslatorCore):
    """Reads virtual network gateways, their connections, circuits and Global Reach connections."""

    def _vnet_gateway(self, instance: Instance) -> None:
        reader = Reader(self, instance)
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
            gateway_type=enum_spelling(reader.text(("type",), "gateway_type") or "ExpressRoute"),
            sku=reader.text(("sku",), "sku"),
            asn=asn,
            vnet_id=vnet_id,
            bgp_peering_addresses=tuple(dict.fromkeys(addresses)),
        )

    def _connection(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        weight = reader.get(("routing_weight",), "routing_weight")
        self._add(
            GatewayConnection,
            reader,
            base,
            connection_type=enum_spelling(reader.text(("type",), "connection_type") or "ExpressRoute"),
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
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        bandwidth = instance.values.get("bandwidth_in_mbps")
        gbps = instance.values.get("bandwidth_in_gbps")
        if not isinstance(bandwidth, int) and isinstance(gbps, (int, float)):
            bandwidth = int(gbps * 1000)
        tier = walk(instance.values, ("sku", 0, "tier"))
        self._add(
            ExpressRouteCircuit,
            reader,
            base,
            peering_location=reader.text(("peering_location",), "peering_location"),
            bandwidth_mbps=bandwidth if isinstance(bandwidth, int) else None,
            sku_tier=tier if isinstance(tier, str) else None,
        )

    def _global_reach(self, instance: Instance) -> None:
        """`azurerm_express_route_circuit_connection`: Global Reach from `peering_id`'s circuit to
        `peer_peering_id`'s."""
        reader = Reader(self, instance)
        kinds = ("azurerm_express_route_circuit_peering",)
        peering = reader.reference(("peering_id",), "global_reach", kinds)
        peer = reader.reference(("peer_peering_id",), "global_reach", kinds)
        name = reader.text(("name",), "name") or instance.name
        if peering is None or peer is None:
            what, effect = UNMODELLED_ARM_TYPES["microsoft.network/expressroutecircuits/peerings/connections"]
            self.builder.unmodelled.append(UnmodelledRouting(instance.address, name, what, effect, instance.where))
            return
        self.builder.global_reach.append(GlobalReach(circuit_of(peering), circuit_of(peer), name, instance.where))

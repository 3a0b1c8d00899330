"""Virtual network gateways, their connections, ExpressRoute circuits and Global Reach."""

from __future__ import annotations

from typing import Any

from anycast_lint.model.ids import id_name, id_parent
from anycast_lint.model.positions import Origin
from anycast_lint.model.secrets import SECRETS
from anycast_lint.model.topology import (
    ExpressRouteCircuit,
    GatewayConnection,
    GlobalReach,
    IPAddress,
    UnmodelledRouting,
    VirtualNetworkGateway,
)
from anycast_lint.model.values import parse_asn, parse_ip
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, TranslatorBase
from anycast_lint.sources.unmodelled import UNMODELLED_ARM_TYPES


class GatewayTranslation(TranslatorBase):
    """Gateways, connections, circuits and Global Reach."""

    # -- gateways, connections, circuits --------------------------------------------------------

    def _vnet_gateway(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
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
        reader = Reader(record.document, record.pointer)
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
        reader = Reader(record.document, record.pointer)
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
        peer = Reader(document, origin.pointer).reference(
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


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def circuit_of(peering_or_circuit: str) -> str:
    """`.../expressRouteCircuits/c/peerings/AzurePrivatePeering` -> `.../expressRouteCircuits/c`."""
    parts = peering_or_circuit.rstrip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "expressroutecircuits" in lowered:
        index = lowered.index("expressroutecircuits")
        return "/".join(parts[: index + 2])
    return peering_or_circuit

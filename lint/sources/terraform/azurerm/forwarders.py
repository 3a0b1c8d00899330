"""Forwarders and DNS: NICs (NVAs), Azure Firewalls, DNS resolvers and their endpoints."""

from __future__ import annotations

from anycast_lint.model.ids import id_parent
from anycast_lint.model.topology import (
    DnsResolver,
    EndpointIp,
    Forwarder,
    InboundEndpoint,
    IPAddress,
    NetworkInterface,
    NicIpConfiguration,
    OutboundEndpoint,
)
from anycast_lint.model.values import parse_ip
from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import enum_spelling
from anycast_lint.sources.terraform.plan import Instance


class ForwarderFamily(TranslatorCore):
    """Reads NICs, firewalls and DNS resolvers."""

    def _nic(self, instance: Instance) -> None:
        reader = Reader(self, instance)
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

    def _firewall(self, instance: Instance) -> None:
        reader = Reader(self, instance)
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
            sku=enum_spelling(sku) if sku else ("AZFW_Hub" if hub_id else "AZFW_VNet"),
            vnet_id=vnet_id,
            hub_id=hub_id,
            private_ips=tuple(dict.fromkeys(ips)),
        )

    def _resolver(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        vnet = reader.reference(("virtual_network_id",), "vnet_id", ("azurerm_virtual_network",))
        self._add(DnsResolver, reader, base, vnet_id=vnet)

    def _inbound_endpoint(self, instance: Instance) -> None:
        reader = Reader(self, instance)
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
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        subnet = reader.reference(("subnet_id",), "subnet_id", ("azurerm_subnet",))
        self._add(OutboundEndpoint, reader, base, resolver_id=id_parent(base["id"]), subnet_id=subnet)

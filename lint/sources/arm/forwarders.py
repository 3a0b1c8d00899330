"""What forwards traffic or answers DNS: NICs, Azure Firewalls, network virtual appliances, DNS resolvers."""

from __future__ import annotations

from anycast_lint.model.ids import id_parent, id_segment
from anycast_lint.model.topology import (
    DnsResolver,
    EndpointIp,
    Forwarder,
    InboundEndpoint,
    IPAddress,
    NetworkInterface,
    NicIpConfiguration,
    OutboundEndpoint,
    UnknownValue,
)
from anycast_lint.sources.arm.reading import Reader, props
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, TranslatorBase


class ForwarderTranslation(TranslatorBase):
    """NICs, firewalls, NVAs and DNS resolvers."""

    def _nic(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
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

    # -- forwarders and DNS ---------------------------------------------------------------------

    def _firewall(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
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
        reader = Reader(record.document, record.pointer)
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
            reader = Reader(record.document, record.pointer)
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

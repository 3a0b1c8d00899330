"""Forwarders and DNS: NICs, Azure Firewalls, NVAs and DNS resolvers."""

from __future__ import annotations

from anycast_lint.model.ids import arm_id, is_resource_id
from anycast_lint.model.topology import (
    DnsResolver,
    EndpointIp,
    Forwarder,
    InboundEndpoint,
    NetworkInterface,
    NicIpConfiguration,
    OutboundEndpoint,
)
from anycast_lint.model.values import parse_ip
from anycast_lint.sources.native.core import BuilderCore
from anycast_lint.sources.native.names import error_at


class ForwarderFamily(BuilderCore):
    """Builds `networkInterfaces`, `azureFirewalls`, `networkVirtualAppliances` and `dnsResolvers`."""

    def nic(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nic", index)
        vm_id = None
        if "virtualMachine" in entry:
            vm = str(entry["virtualMachine"])
            subscription = entry.get("subscription", self.doc.subscription)
            resource_group = entry.get("resourceGroup", self.doc.resource_group)
            vm_id = (
                vm
                if is_resource_id(vm)
                else arm_id(subscription, resource_group, "Microsoft.Compute", "virtualMachines", vm)
            )
        configs = []
        for c_index, config in enumerate(entry["ipConfigurations"]):
            c_origin = origin.child("ipConfigurations", c_index)
            ip = (
                parse_ip(config["privateIPAddress"], c_origin.child("privateIPAddress"))
                if ("privateIPAddress" in config)
                else None
            )
            configs.append(
                NicIpConfiguration(
                    name=config["name"],
                    origin=c_origin,
                    private_ip=ip,
                    subnet_id=self.subnet_ref(config["subnet"], c_origin.child("subnet")),
                    primary=config.get("primary", c_index == 0),
                )
            )
        self.builder.add(
            NetworkInterface(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                region=region,
                vm_id=vm_id,
                enable_ip_forwarding=entry.get("enableIPForwarding", False),
                ip_configurations=tuple(configs),
            )
        )

    def firewall(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("firewall", index)
        in_vnet, in_hub = "virtualNetwork" in entry, "virtualHub" in entry
        if in_vnet == in_hub:
            raise error_at(
                origin,
                "an Azure Firewall needs exactly one of virtualNetwork (AZFW_VNet) or virtualHub (AZFW_Hub)",
            )
        ips = (
            (parse_ip(entry["privateIPAddress"], origin.child("privateIPAddress")),)
            if "privateIPAddress" in entry
            else ()
        )
        self.builder.add(
            Forwarder(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                kind="AzureFirewall",
                region=region,
                sku=entry.get("sku", "AZFW_VNet" if in_vnet else "AZFW_Hub"),
                vnet_id=self.optional_ref("vnet", entry, "virtualNetwork", origin),
                hub_id=self.optional_ref("hub", entry, "virtualHub", origin),
                private_ips=ips,
            )
        )

    def nva(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("nva", index)
        if ("virtualNetwork" in entry) == ("virtualHub" in entry):
            raise error_at(origin, "a network virtual appliance needs exactly one of virtualNetwork or virtualHub")
        self.builder.add(
            Forwarder(
                id=resource_id,
                name=entry["name"],
                origin=origin,
                kind="NetworkVirtualAppliance",
                region=region,
                vnet_id=self.optional_ref("vnet", entry, "virtualNetwork", origin),
                hub_id=self.optional_ref("hub", entry, "virtualHub", origin),
                private_ips=tuple(
                    parse_ip(ip, origin.child("privateIPAddresses", i))
                    for i, ip in enumerate(entry.get("privateIPAddresses", []))
                ),
            )
        )

    def resolver(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("resolver", index)
        vnet_id = self.ref("vnet", entry["virtualNetwork"], origin.child("virtualNetwork"))
        vnet_name = vnet_id.rstrip("/").rsplit("/", 1)[-1] if not is_resource_id(entry["virtualNetwork"]) else None
        for e_index, endpoint in enumerate(entry.get("inboundEndpoints", [])):
            e_origin = origin.child("inboundEndpoints", e_index)
            ips = []
            for c_index, config in enumerate(endpoint["ipConfigurations"]):
                c_origin = e_origin.child("ipConfigurations", c_index)
                ips.append(
                    EndpointIp(
                        origin=c_origin,
                        private_ip=parse_ip(config["privateIPAddress"], c_origin.child("privateIPAddress"))
                        if "privateIPAddress" in config
                        else None,
                        subnet_id=self.subnet_ref(config["subnet"], c_origin.child("subnet"), vnet_name),
                    )
                )
            self.builder.add(
                InboundEndpoint(
                    id=f"{resource_id}/inboundEndpoints/{endpoint['name']}",
                    name=endpoint["name"],
                    origin=e_origin,
                    region=region,
                    resolver_id=resource_id,
                    ip_configurations=tuple(ips),
                )
            )
        for e_index, endpoint in enumerate(entry.get("outboundEndpoints", [])):
            e_origin = origin.child("outboundEndpoints", e_index)
            self.builder.add(
                OutboundEndpoint(
                    id=f"{resource_id}/outboundEndpoints/{endpoint['name']}",
                    name=endpoint["name"],
                    origin=e_origin,
                    region=region,
                    resolver_id=resource_id,
                    subnet_id=self.subnet_ref(endpoint["subnet"], e_origin.child("subnet"), vnet_name),
                )
            )
        self.builder.add(DnsResolver(id=resource_id, name=entry["name"], origin=origin, region=region, vnet_id=vnet_id))

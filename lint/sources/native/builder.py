"""One native document into model objects, family by family, in the order references need."""

from __future__ import annotations

from collections.abc import Callable

from anycast_lint.model.ids import id_key
from anycast_lint.sources.native.forwarders import ForwarderFamily
from anycast_lint.sources.native.gateways import GatewayFamily
from anycast_lint.sources.native.networks import NetworkFamily
from anycast_lint.sources.native.subnet_settings import SubnetSettingsFamily
from anycast_lint.sources.native.wan import WanFamily


class NativeBuilder(NetworkFamily, SubnetSettingsFamily, GatewayFamily, WanFamily, ForwarderFamily):
    """Builds the model objects of one native document."""

    # -- build -------------------------------------------------------------------------------------

    def build(self) -> None:
        for index in self.entries("firewall"):
            entry, origin, resource_id, _ = self.common("firewall", index)
            if "virtualHub" in entry:
                hub_id = self.ref("hub", entry["virtualHub"], origin.child("virtualHub"))
                self.hub_firewalls[id_key(hub_id)] = resource_id
        steps: list[tuple[str, Callable[[int], None]]] = [
            ("circuit", self.circuit),
            ("vnet", self.vnet),
            ("routeTable", self.route_table),
            ("nsg", self.nsg),
            ("natGateway", self.nat_gateway),
            ("nic", self.nic),
            ("vnetGateway", self.vnet_gateway),
            ("connection", self.connection),
            ("wan", self.wan),
            ("hub", self.hub),
            ("firewall", self.firewall),
            ("nva", self.nva),
            ("resolver", self.resolver),
        ]
        for kind, step in steps:
            for index in self.entries(kind):
                step(index)

"""What every step of a trace reads: the design, the routing view (failures applied) and the scan's findings."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from anycast_lint.analysis.design_facts import inbound_decision, virtual_network_tag_space
from anycast_lint.inputs.config import Config
from anycast_lint.model.findings import Finding
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import (
    ExpressRouteCircuit,
    Forwarder,
    IPAddress,
    IPNetwork,
    Subnet,
    Topology,
    VirtualNetwork,
)
from anycast_lint.routing import Routing
from anycast_lint.trace.hops import DROP, PASS, Hop


@dataclass
class TraceContext:
    topology: Topology
    config: Config
    view: Routing
    source: IPAddress
    destination: IPAddress
    circuit: ExpressRouteCircuit
    findings: list[Finding] = field(default_factory=list)
    vip: bool = False  # the destination is a service's VIP: every member must answer on it (AC104)

    @cached_property
    def _codes(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = defaultdict(list)
        for finding in self.findings:
            found[id_key(finding.resource_id)].append(finding.code)
        return {key: tuple(dict.fromkeys(codes)) for key, codes in found.items()}

    def codes(self, *resource_ids: str | None) -> tuple[str, ...]:
        """The codes the scan reports on these resources (and their children: a route of a table)."""
        keys = [id_key(r) for r in resource_ids if r]
        found = [
            code
            for key, codes in self._codes.items()
            if any(key == k or key.startswith(k + "/") for k in keys)
            for code in codes
        ]
        return tuple(dict.fromkeys(found))

    def reported(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)

    def failed(self, resource_id: str | None, region: str | None = None) -> bool:
        return resource_id is not None and self.view.failed(resource_id, region)

    def host(self, address: IPAddress) -> IPNetwork:
        return ipaddress.ip_network(address)

    def forwarder_at(self, address: IPAddress) -> Forwarder | None:
        for forwarder in self.topology.forwarders.values():
            if address in forwarder.private_ips:
                return forwarder
        return None

    def subnet_holding(self, vnet: VirtualNetwork, address: IPAddress) -> Subnet | None:
        for subnet in vnet.subnets:
            if any(address.version == p.version and address in p for p in subnet.address_prefixes):
                return subnet
        return None

    def nsg_hop(self, subnet: Subnet, vnet: VirtualNetwork, source: IPAddress, destination: IPAddress) -> Hop:
        """The subnet's NSG on the way in (the reply passes: NSGs are stateful)."""
        nsg = self.topology.network_security_groups.find(subnet.nsg_id)
        if subnet.nsg_id and nsg is None:
            return Hop.at(
                "subnet",
                subnet,
                f"its NSG {subnet.nsg_id} is not in the input: whether it admits {source} is unknown",
                "unknown",
            )
        if nsg is None:
            return Hop.at("subnet", subnet, "no NSG: nothing filters the flow here")
        space = virtual_network_tag_space(self.topology, vnet, self.config.onprem_prefixes)
        decision = inbound_decision(nsg, self.host(source), self.host(destination), space)
        rule = decision.rule
        which = f"{'default rule ' if decision.default else 'rule '}{decision.rule_name} (priority {decision.priority})"
        if rule is not None and (rule.protocol != "*" or set(rule.destination_ports) - {"*", "0-65535"}):
            which += f", {rule.protocol} port {' '.join(rule.destination_ports)}"
        verdict = PASS if decision.access == "Allow" else DROP
        verb = "admits" if verdict == PASS else "drops"
        return Hop(
            "subnet",
            subnet.label,
            f"NSG '{nsg.name}' {verb} {source} -> {destination} by {which}",
            nsg.id,
            rule.origin if rule is not None else nsg.origin,
            verdict,
            findings=self.codes(nsg.id, subnet.id),
        )

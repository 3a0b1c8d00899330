"""AC402 vip-only-nic: a VM needs a NIC outside the anycast range for its own outbound traffic."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from anycast_lint.context import RuleContext
from anycast_lint.findings import Level, Violation
from anycast_lint.ids import id_key, id_name
from anycast_lint.model import NetworkInterface
from anycast_lint.rules.registry import rule


@rule("AC402", "vip-only-nic", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    machines: dict[str, list[NetworkInterface]] = defaultdict(list)
    for nic in topology.network_interfaces.values():
        if nic.vm_id:
            machines[id_key(nic.vm_id)].append(nic)
    for nics in machines.values():
        vnets = {
            id_key(vnet.id): vnet
            for nic in nics
            for config in nic.ip_configurations
            if (vnet := topology.vnet_of_subnet(config.subnet_id)) is not None
        }
        if not vnets or not all(ctx.services.of(v.id) for v in vnets.values()):
            continue
        nic = nics[0]
        vm_id = nic.vm_id or nic.id
        service = ctx.services.of(next(iter(vnets.values())).id)
        assert service is not None
        names = ", ".join(v.name for v in vnets.values())
        yield Violation(
            f"virtual machine '{id_name(vm_id)}' has NICs only in anycast VNets ({names}, service '{service.name}'): "
            f"its own outbound traffic (updates, monitoring, logins) is sourced from the anycast range, and replies go "
            f"to whichever region wins at the edge. Add a second NIC with a unique address for outbound traffic",
            vm_id,
            nic.origin,
            service.name,
        )

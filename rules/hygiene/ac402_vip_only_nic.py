"""AC402 vip-only-nic: a VM needs an address outside the anycast range for its own outbound traffic.

Azure keeps every NIC of a VM in one VNet, so the unique address is a second NIC in a per-region address
space of the member VNet (or the VM lives outside the member). A NIC configuration counts as anycast when
its address (or, when dynamic, its whole subnet) lies in the member's anycast prefixes: those holding the
VIP or shared with another member.

It needs the network interfaces: an input that does not cover them gets one note saying so, not a pass.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from anycast_lint.analysis.services import AnycastService, anycast_prefixes, service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.snippets import arm_property, az, block, resource, resource_group
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import IPNetwork, NetworkInterface, NicIpConfiguration, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.inputs._coverage import cannot_tell
from anycast_lint.rules.registry import rule


@dataclass(frozen=True)
class _Anycast:
    """A NIC configuration inside the anycast range of a member."""

    service: AnycastService
    member: VirtualNetwork
    prefixes: tuple[IPNetwork, ...]


_UNIQUE = "unique"


def _anycast_ranges(ctx: RuleContext) -> dict[str, _Anycast]:
    """Member VNet key -> its service and anycast prefixes, computed once per service (VIP included)."""
    ranges = {}
    for service in ctx.services:
        vip = service_vip(service, ctx.topology)
        for member in service.members:
            ranges[id_key(member.id)] = _Anycast(service, member, anycast_prefixes(service, member, vip))
    return ranges


def _placement(ctx: RuleContext, ranges: dict[str, _Anycast], config: NicIpConfiguration) -> _Anycast | str:
    """_Anycast, _UNIQUE, or the reason it cannot be told."""
    subnet = ctx.topology.subnets.find(config.subnet_id)
    if subnet is None:
        return f"subnet {config.subnet_id or '(none)'} of configuration '{config.name}' is not in the input"
    anycast = ranges.get(id_key(subnet.vnet_id))
    if anycast is None:
        return _UNIQUE
    prefixes = anycast.prefixes
    if config.private_ip is not None:
        inside = any(config.private_ip.version == p.version and config.private_ip in p for p in prefixes)
    elif subnet.address_prefixes:
        inside = all(
            any(s.version == p.version and s.subnet_of(p) for p in prefixes)  # type: ignore[arg-type]
            for s in subnet.address_prefixes
        )
    else:
        return f"configuration '{config.name}' has no address and its subnet '{subnet.name}' no prefix"
    return anycast if inside else _UNIQUE


@rule("AC402", "vip-only-nic", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    if ctx.topology.coverage.missing("network_interfaces"):
        yield from cannot_tell(
            ctx, "network_interfaces", "whether a virtual machine has addresses only in an anycast range"
        )
        return
    ranges = _anycast_ranges(ctx)
    machines: dict[str, list[NetworkInterface]] = defaultdict(list)
    for nic in ctx.topology.network_interfaces.values():
        if nic.vm_id:
            machines[id_key(nic.vm_id)].append(nic)
    for nics in machines.values():
        placements = [_placement(ctx, ranges, config) for nic in nics for config in nic.ip_configurations]
        if not placements or _UNIQUE in placements:
            continue
        anycast = [p for p in placements if isinstance(p, _Anycast)]
        if not anycast:
            continue
        first, nic = anycast[0], nics[0]
        vm_id = nic.vm_id or nic.id
        vm = id_name(vm_id)
        listed = ", ".join(map(str, first.prefixes))
        unknown = [p for p in placements if isinstance(p, str)]
        if unknown:
            yield undecided(
                f"cannot tell whether virtual machine '{vm}' has an address outside the anycast range {listed} of "
                f"'{first.member.name}': {'; '.join(unknown)}",
                vm_id,
                nic.origin,
                f"{first.service.name}|unknown",
                f"include the NICs and subnets of '{vm}' in the input, or scan after apply",
            )
            continue
        names = ", ".join(n.name for n in nics)
        yield Violation(
            f"virtual machine '{vm}' has addresses only in the anycast range {listed} of '{first.member.name}' "
            f"(service '{first.service.name}', NICs {names}): its own outbound traffic (updates, monitoring, logins) "
            f"is sourced from the anycast range, and replies go to whichever region wins at the edge. Give "
            f"'{first.member.name}' a unique per-region address space with a subnet, and the VM a second NIC there "
            f"for its own traffic",
            vm_id,
            nic.origin,
            first.service.name,
            fix=second_nic(vm, vm_id, first.member),
        )


def second_nic(vm_name: str, vm_id: str, member: VirtualNetwork) -> Fix:
    """AC402: the VM's own traffic needs an address outside anycast space, on a second NIC."""
    group = resource_group(vm_id)
    nic = f"{vm_name}-mgmt"
    prefix = "<unique per-region prefix>"
    commands = [
        az(
            "az network vnet update",
            resource_group=group,
            name=member.name,
            add=f"addressSpace.addressPrefixes {prefix}",
        ),
        az(
            "az network vnet subnet create",
            resource_group=group,
            vnet_name=member.name,
            name="snet-mgmt",
            address_prefixes=prefix,
        ),
        az("az network nic create", resource_group=group, name=nic, vnet_name=member.name, subnet="snet-mgmt"),
        az("az vm nic add", resource_group=group, vm_name=vm_name, nics=nic),
    ]
    subnet_id = f"{member.id}/subnets/snet-mgmt"
    return Fix(
        f"give '{member.name}' a unique per-region address space with a subnet 'snet-mgmt', and VM '{vm_name}' a "
        f"second NIC '{nic}' there for its own traffic",
        az="\n".join(commands),
        terraform=resource(
            "azurerm_network_interface",
            nic,
            ("name", nic),
            ("resource_group_name", group),
            ("location", member.region or "<region>"),
            (
                "ip_configuration",
                block(
                    "ip_configuration",
                    ("name", "mgmt"),
                    ("subnet_id", subnet_id),
                    ("private_ip_address_allocation", "Dynamic"),
                ),
            ),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/networkInterfaces",
            nic,
            {"ipConfigurations": [{"name": "mgmt", "properties": {"subnet": {"id": subnet_id}}}]},
        ),
    )

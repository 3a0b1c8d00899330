"""AC403 outbound-not-denied: the VIP subnet's NSG must deny new outbound flows to private ranges.

NSGs are stateful: replies to inbound queries pass whatever the outbound rules say. Denying new outbound
flows to private ranges keeps anything in the VIP subnet from starting conversations whose replies anycast
would deliver to another region. The NSG is evaluated as Azure does: outbound rules by priority, then the
default rules (AllowVnetOutBound covers VNet, peered and on-premises space), singular and plural prefix
fields, service tags `VirtualNetwork`, `Internet` and `*`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from anycast_lint.analysis.design_facts import (
    PRIVATE_RANGES,
    NsgDecision,
    covers,
    outbound_decision,
    service_subnets,
    virtual_network_tag_space,
)
from anycast_lint.analysis.services import service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import advice, append_child, free_name
from anycast_lint.fixes.snippets import arm_property, az, resource, resource_group
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPNetwork, NetworkSecurityGroup, SecurityRule, UnknownValue
from anycast_lint.rules._common import undecided, unread_link
from anycast_lint.rules.registry import rule


def _targets(onprem: tuple[IPNetwork, ...]) -> list[IPNetwork]:
    extra = [p for p in onprem if not any(covers(r, p) for r in PRIVATE_RANGES)]
    return [*PRIVATE_RANGES, *extra]


def _unknown_match(rule_: SecurityRule) -> UnknownValue | None:
    """What is unknown about an outbound rule's match or verdict (an address known only after apply, an
    application security group); None when the rule is read in full."""
    if rule_.direction != "Outbound" and rule_.unknown("direction") is None:
        return None
    return next((u for u in rule_.unknowns if u.field != "name"), None)


def _undecidable(nsg: NetworkSecurityGroup, decision: NsgDecision) -> tuple[SecurityRule, UnknownValue] | None:
    """The first rule with an unknown match evaluated before `decision` (reached without such rules)
    whose verdict could differ from it: whether it matches decides, so the decision is not told."""
    for candidate in sorted(nsg.rules, key=lambda r: r.priority):
        value = _unknown_match(candidate)
        if candidate.priority > decision.priority:
            break
        if value is not None and (candidate.access != decision.access or candidate.unknown("access")):
            return candidate, value
    return None


@rule("AC403", "outbound-not-denied", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    targets = _targets(ctx.config.onprem_prefixes)
    for service in ctx.services:
        vip = service_vip(service, topology)
        for member in service.members:
            space = virtual_network_tag_space(topology, member, ctx.config.onprem_prefixes)
            for subnet in service_subnets(topology, member, vip):
                where = f"subnet '{member.name}/{subnet.name}' (service '{service.name}')"
                nsg = topology.network_security_groups.find(subnet.nsg_id)
                unread = unread_link(
                    subnet,
                    "nsg_id",
                    nsg is not None,
                    "NSG",
                    f"outbound rules of {where}",
                    f"{id_key(subnet.id)}|unknown",
                )
                if unread is not None:
                    yield unread
                    continue
                if nsg is None:
                    yield Violation(
                        f"{where} has no network security group: the default rule AllowVnetOutBound lets anything in it "
                        f"open new flows to VNets and on-premises, and anycast delivers the replies to whichever region "
                        f"wins. Attach an NSG with an outbound Deny to {', '.join(map(str, targets))}",
                        subnet.id,
                        subnet.origin,
                        f"{id_key(subnet.id)}|no-nsg",
                        fix=advice(
                            f"create an NSG with an outbound Deny to {', '.join(map(str, targets))} (az network nsg create, az network nsg rule create) and associate it with {where} (az network vnet subnet update --network-security-group)"
                        ),
                    )
                    continue
                if nsg.unknown("security_rules") is not None:
                    continue  # a template's rule list it could not evaluate: AC001 notes it (one finding per cause)
                allowed = []
                priorities = []
                unsure: list[tuple[str, SecurityRule, UnknownValue]] = []
                known = replace(nsg, rules=tuple(r for r in nsg.rules if _unknown_match(r) is None))
                for target in targets:
                    decision = outbound_decision(known, target, space, subnet.address_prefixes)
                    blocker = _undecidable(nsg, decision)
                    if blocker is not None:
                        unsure.append((str(target), *blocker))
                        continue
                    if decision.access == "Allow":
                        priorities.append(decision.priority)
                        allowed.append(
                            f"{target} by {'default rule ' if decision.default else 'rule '}"
                            f"{decision.rule_name} (priority {decision.priority})"
                        )
                if unsure:
                    _, rule_, value = unsure[0]
                    yield undecided(
                        f"cannot tell whether NSG '{nsg.name}' on {where} allows new outbound flows to "
                        f"{', '.join(t for t, _, _ in unsure)}: rule '{rule_.name}' (priority {rule_.priority}) "
                        f"decides if it matches, and its {value.field.replace('_', ' ')} is unknown: {value.reason}",
                        nsg.id,
                        value.origin,
                        f"{id_key(subnet.id)}|rule-unknown",
                        "scan the plan after apply, or give the rule's addresses as prefixes",
                    )
                if allowed:
                    yield Violation(
                        f"NSG '{nsg.name}' on {where} allows new outbound flows to private ranges: "
                        f"{'; '.join(allowed)}. Replies to flows started from the anycast range go to whichever region "
                        f"wins at the edge. Add an outbound Deny for these ranges with a priority above the Allow "
                        f"(replies to inbound queries still pass: NSGs are stateful)",
                        nsg.id,
                        nsg.origin,
                        f"{id_key(subnet.id)}|allow",
                        fix=deny_outbound(nsg, targets, min(priorities)),
                    )


def _free_priority(nsg: NetworkSecurityGroup, below: int) -> int:
    taken = {r.priority for r in nsg.rules if r.direction == "Outbound"}
    for priority in range(min(below - 1, 4096), 99, -1):
        if priority not in taken and ((below > 4096 and priority <= 4000) or below <= 4096):
            return priority
    return 100


def deny_outbound(nsg: NetworkSecurityGroup, targets: Sequence[IPNetwork], allow_priority: int) -> Fix:
    """AC403: an outbound Deny to the private ranges above the Allow that lets new flows out."""
    group = resource_group(nsg.id)
    name = free_name("deny-outbound-private", [r.name for r in nsg.rules])
    priority = _free_priority(nsg, allow_priority)
    prefixes = [str(t) for t in targets]
    body = {
        "protocol": "*",
        "access": "Deny",
        "priority": priority,
        "direction": "Outbound",
        "sourceAddressPrefix": "*",
        "sourcePortRange": "*",
        "destinationAddressPrefixes": prefixes,
        "destinationPortRange": "*",
    }
    return Fix(
        f"add outbound rule '{name}' (priority {priority}): Deny to {', '.join(prefixes)} in NSG '{nsg.name}'",
        az=az(
            "az network nsg rule create",
            resource_group=group,
            nsg_name=nsg.name,
            name=name,
            priority=str(priority),
            direction="Outbound",
            access="Deny",
            protocol="*",
            destination_address_prefixes=prefixes,
            destination_port_ranges="*",
        ),
        terraform=resource(
            "azurerm_network_security_rule",
            f"{nsg.name}-{name}",
            ("name", name),
            ("resource_group_name", group),
            ("network_security_group_name", nsg.name),
            ("priority", priority),
            ("direction", "Outbound"),
            ("access", "Deny"),
            ("protocol", "*"),
            ("source_address_prefix", "*"),
            ("source_port_range", "*"),
            ("destination_address_prefixes", prefixes),
            ("destination_port_range", "*"),
        ).text(),
        arm=arm_property("Microsoft.Network/networkSecurityGroups/securityRules", f"{nsg.name}/{name}", body),
        edits=(append_child(nsg.origin, nsg.id, "securityRules", name, body),),
    )

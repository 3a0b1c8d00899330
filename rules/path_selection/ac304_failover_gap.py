"""AC304 failover-gap: losing any one member must leave the VIP served by another member.

Every single-member failure is simulated: the member VNet goes, with the routes that exist only for it
(its spoke prefix behind a gateway, or the static routes on a transit connection that cover it; Azure
keeps a static route until someone removes it, which is the failover step the indirect-spoke design
needs). After each failure the VIP must still reach every circuit that reached it before, and land in
a member that answers on the VIP.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.services import answers
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.routing import Failure
from anycast_lint.rules.path_selection._shared import member_name, reach_unknown, services_with_vip
from anycast_lint.rules.registry import rule


@rule("AC304", "failover-gap", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    routing = ctx.routing
    for service, vip in services_with_vip(ctx):
        if len(service.members) < 2:
            continue  # AC303 says it: there is nothing to fail over to
        # Circuits that reach a member today; where the VIP already lands elsewhere, AC101/AC104 say why.
        circuits = [
            c
            for c in routing.circuits()
            if (before := routing.service_choice(service, c.id, vip)) is not None and before.member_id is not None
        ]
        down = routing.down_members()  # behind a connection over the prefix limit: AC308's cause
        for member in service.members:
            failed = routing.fail(Failure(frozenset({id_key(member.id)}), (member.label,)))
            unknown = [name for name, _ in reach_unknown(ctx, service) if name != member.name]
            unknown += [m.name for m in service.members if m is not member and id_key(m.id) in down]
            for circuit in circuits:
                after = failed.service_choice(service, circuit.id, vip)
                evidence = f"{id_key(circuit.id)}|{service.name}"
                if after is None and unknown:
                    continue  # another member is unknown (AC203/AC204's note) or down (AC308): one finding per cause
                if after is None:
                    yield Violation(
                        f"if member '{member.name}' of service '{service.name}' fails, circuit '{circuit.name}' has no "
                        f"route to VIP {vip} any more: no other member is advertised to that circuit. Connect another "
                        f"member's hub or gateway to '{circuit.name}'",
                        member.id,
                        member.origin,
                        evidence,
                        fix=advice(
                            f"connect the gateway or hub of another member of '{service.name}' to circuit "
                            f"'{circuit.name}' (design A: a connection from its ExpressRoute gateway to the circuit; "
                            f"Virtual WAN: an ExpressRoute connection of its hub)"
                        ),
                    )
                    continue
                target = ctx.topology.virtual_networks.find(after.member_id)
                if target is None:
                    yield Violation(
                        f"if member '{member.name}' of service '{service.name}' fails, circuit '{circuit.name}' sends "
                        f"VIP {vip} to {after.winner.how} via {after.winner.next_hop_text}, which is not a member of "
                        f"the service",
                        member.id,
                        member.origin,
                        evidence,
                        (Related(f"takes over at '{circuit.name}'", after.winner.origin),),
                        fix=advice(
                            f"keep {vip} out of the routes that take over ({after.winner.how}), or make that VNet a "
                            f"member of '{service.name}' with an endpoint on {vip}"
                        ),
                    )
                    continue
                if answers(ctx.topology, target, vip) is False:
                    yield Violation(
                        f"if member '{member.name}' of service '{service.name}' fails, circuit '{circuit.name}' sends "
                        f"VIP {vip} to {member_name(ctx, target.id)}, which has no endpoint on {vip}: the service "
                        f"fails over to a member that cannot answer",
                        member.id,
                        member.origin,
                        evidence,
                        (Related(f"takes over at '{circuit.name}'", target.origin, target.id),),
                        fix=advice(
                            f"give {member_name(ctx, target.id)} an endpoint (resolver inbound endpoint or NIC) on {vip}"
                        ),
                    )

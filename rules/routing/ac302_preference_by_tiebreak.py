"""AC302 preference-by-tiebreak: the region is picked by the edge's lowest-next-hop tie-break.

Reported for services that declare a preferred member (tag `anycast-preferred` or `preferred-region`),
where who wins matters; without a declared preference, `anycast-lint simulate` shows the winner.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.context import RuleContext
from anycast_lint.findings import Level, Violation
from anycast_lint.ids import id_key
from anycast_lint.routing.select import TIE_BREAK
from anycast_lint.rules.registry import rule
from anycast_lint.rules.routing._shared import member_name, services_with_vip


@rule("AC302", "preference-by-tiebreak", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service, vip in services_with_vip(ctx):
        if not service.preferred:
            continue
        for circuit in ctx.routing.circuits():
            choice = ctx.routing.service_choice(service, circuit.id, vip)
            if choice is None or choice.decided_by not in (TIE_BREAK, "unknown"):
                continue
            member = ctx.topology.virtual_networks.find(choice.member_id)
            anchor = member or service.members[0]
            evidence = f"{id_key(circuit.id)}|{service.name}"
            if choice.decided_by == "unknown":
                yield Violation(
                    f"at circuit '{circuit.name}' the member for service '{service.name}' is decided by the "
                    f"{TIE_BREAK} tie-break, and the next hops are not known: {choice.comparison}",
                    anchor.id,
                    anchor.origin,
                    evidence,
                    unknown=True,
                )
                continue
            yield Violation(
                f"at circuit '{circuit.name}' VIP {vip} of service '{service.name}' goes to "
                f"{member_name(ctx, choice.member_id)} via {choice.winner.next_hop_text} only because of the "
                f"{TIE_BREAK} tie-break ({choice.comparison}); the edge's tie-break is observed, not documented, "
                f"and re-addressing a gateway changes the winner. Make the intended member win by AS path or prefix "
                f"length",
                anchor.id,
                anchor.origin,
                evidence,
            )

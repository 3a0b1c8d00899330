"""AC302 preference-by-tiebreak: a service without a declared preference is placed by the tie-break.

The ExpressRoute edge's last resort between equal paths is the lowest next-hop IP (observed in the field
report, not documented). For a service with no declared preference this decides the region silently;
the note names the winner and the two addresses so the owner can make it a checked intent. A service
*with* a declared preference that wins only by the tie-break is AC301's finding (one finding per cause).
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.routing.select import TIE_BREAK
from anycast_lint.rules._common import undecided
from anycast_lint.rules.path_selection._shared import member_name, services_with_vip
from anycast_lint.rules.registry import rule

DECLARE = "declare preferred-region (or tag the member anycast-preferred) to make this a checked intent"


@rule("AC302", "preference-by-tiebreak", Level.NOTE)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service, vip in services_with_vip(ctx):
        if service.preferred or service.preferred_region is not None:
            continue  # a declared preference is checked by AC301
        for circuit in ctx.routing.circuits():
            choice = ctx.routing.service_choice(service, circuit.id, vip)
            if choice is None or choice.decided_by not in (TIE_BREAK, "unknown") or choice.runner_up is None:
                continue
            member = ctx.topology.virtual_networks.find(choice.member_id)
            anchor = member or service.members[0]
            evidence = f"{id_key(circuit.id)}|{service.name}"
            if choice.decided_by == "unknown":
                yield undecided(
                    f"at circuit '{circuit.name}' the member for VIP {vip} of service '{service.name}' is decided by "
                    f"the {TIE_BREAK} tie-break, and the next hops are not known: {choice.comparison}; {DECLARE}",
                    anchor.id,
                    anchor.origin,
                    evidence,
                    f"declare the preferred region of service '{service.name}' (services.{service.name}."
                    "preferred-region, or the anycast-preferred tag) and make it win by AS path or prefix length",
                )
                continue
            yield Violation(
                f"at circuit '{circuit.name}' VIP {vip} of service '{service.name}' goes to "
                f"{member_name(ctx, choice.member_id)} only because {choice.winner.next_hop} < "
                f"{choice.runner_up.next_hop} (the edge's {TIE_BREAK} tie-break: observed, not documented); "
                f"{DECLARE}",
                anchor.id,
                anchor.origin,
                evidence,
                fix=advice(
                    f"declare the preferred region of service '{service.name}' (services.{service.name}.preferred-region"
                    f", or tag the member anycast-preferred) and make it win by AS path (a route map prepending a "
                    f"public ASN on the other regions' ExpressRoute connections) or by a longer prefix, not by "
                    f"{choice.winner.next_hop} < {choice.runner_up.next_hop}"
                ),
            )

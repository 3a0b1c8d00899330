"""AC301 preferred-not-shortest-path: the preferred member must win outright at every circuit.

Outright means by something the design controls (a longer prefix, weight, local preference, a
strictly shorter AS path), not by the edge's undocumented lowest-next-hop tie-break.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.routing import Advertisement
from anycast_lint.routing.select import TIE_BREAK, decide
from anycast_lint.rules._common import undecided
from anycast_lint.rules.path_selection._shared import member_name, reach_unknown, services_with_vip
from anycast_lint.rules.registry import rule

OUTRIGHT = ("prefix length", "weight", "local preference", "AS path length", "only member")
FIX = (
    "prepend the other members' routes (Virtual WAN route map, Add AS path on their ExpressRoute "
    "connection) or give the preferred member a longer prefix"
)


@rule("AC301", "preferred-not-shortest-path", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service, vip in services_with_vip(ctx):
        preferred = service.preferred
        if not preferred:
            continue
        wanted = {id_key(m.id) for m in preferred}
        anchor = preferred[0]
        names = ", ".join(f"'{m.name}'" for m in preferred)
        for circuit in ctx.routing.circuits():
            choice = ctx.routing.service_choice(service, circuit.id, vip)
            if choice is None:
                continue
            evidence = f"{id_key(circuit.id)}|{service.name}"
            wins = choice.member_id is not None and id_key(choice.member_id) in wanted
            if wins and choice.decided_by in OUTRIGHT:
                continue
            if choice.decided_by == "unknown":
                yield undecided(
                    f"cannot tell whether preferred member {names} of service '{service.name}' wins at circuit "
                    f"'{circuit.name}': {choice.comparison}",
                    anchor.id,
                    anchor.origin,
                    evidence,
                    "declare the gateways' instance addresses (bgpPeeringAddresses / instanceIps), or give a captured route table",
                )
                continue
            winner = choice.winner
            related = (Related(f"chosen at '{circuit.name}': {winner.how}", winner.origin),)
            fix = _fix(names, winner, ctx.topology.vnet_gateways.find(winner.gateway_id) is not None)
            if wins:
                message = (
                    f"preferred member {names} of service '{service.name}' wins at circuit '{circuit.name}' only by "
                    f"the {TIE_BREAK} tie-break ({choice.comparison}), not by a shorter AS path: {FIX}"
                )
            else:
                ours = ctx.routing.route_to(circuit.id, vip, wanted)
                if ours is None and any(id_key(gap.vnet_id) in wanted for _, gap in reach_unknown(ctx, service)):
                    continue  # whether it is advertised at all is unknown: AC203's note says so (one per cause)
                if ours is None and wanted & ctx.routing.down_members():
                    continue  # its connection is over the prefix limit and down: AC308 says so (one per cause)
                if ours == winner:
                    # The winning route is a summary that covers the preferred member too (a route map's Replace,
                    # summarizedGatewayPrefixes): which member the traffic lands in is not the edge's choice,
                    # and AC309 or AC308 reports the summary (one finding per cause).
                    continue
                if ours is None:
                    reason = f"no route to the preferred member reaches '{circuit.name}'"
                else:
                    decided_by, comparison = decide(winner, ours)
                    reason = f"{decided_by} decides against it: {comparison}"
                message = (
                    f"preferred member {names} of service '{service.name}' does not win at circuit '{circuit.name}': "
                    f"VIP {vip} goes to {member_name(ctx, choice.member_id)} via {winner.next_hop_text} "
                    f"(AS path {winner.path_text}); {reason}. To prefer {names}, {FIX}"
                )
            yield Violation(message, anchor.id, anchor.origin, evidence, related, fix=fix)


def _fix(names: str, winner: Advertisement, self_managed: bool = False) -> Fix:
    """The fix that fits the design's kind: a self-managed gateway cannot prepend (a connection has no AS path
    to set), so there the preferred member's longer prefix is the way; Virtual WAN can prepend by route map."""
    if self_managed:
        return advice(
            f"give {names} a longer prefix than the other members (the prefix-length design: a /25 inside the others' "
            f"/24 wins at every circuit): {winner.gateway_label} is a self-managed gateway, which cannot prepend an AS "
            "path; AS-path prepending needs Virtual WAN route maps"
        )
    return advice(
        f"make {names} win by AS path: prepend a public ASN you hold on the routes of {winner.gateway_label} (a "
        f"route map with an Add asPath action on its ExpressRoute connection), or give {names} a longer prefix than "
        "the other members"
    )

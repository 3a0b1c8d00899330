"""AC305 ecmp-split-risk: equal paths to different regions split one session's flows.

The ExpressRoute edge sends on-premises only its best path per circuit, so one circuit never splits a
service. Several circuits whose best paths lead to different members with AS paths of equal length
look equal on premises (`12076 65515 ...`): routers doing ECMP (iBGP/OSPF/IS-IS multipath) spread
flows over both, and routers that pick different circuits send one client's flows to different regions.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations

from anycast_lint.context import RuleContext
from anycast_lint.findings import Level, Related, Violation
from anycast_lint.ids import id_key
from anycast_lint.rules.registry import rule
from anycast_lint.rules.routing._shared import member_name, services_with_vip


@rule("AC305", "ecmp-split-risk", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    multipath = ctx.config.onprem_multipath
    for service, vip in services_with_vip(ctx):
        choices = [
            (circuit, choice)
            for circuit in ctx.routing.circuits()
            if (choice := ctx.routing.service_choice(service, circuit.id, vip)) is not None
        ]
        for (first, one), (second, other) in combinations(choices, 2):
            if one.member_id == other.member_id or len(one.winner.as_path) != len(other.winner.as_path):
                continue
            how = (
                "on-premises routers do ECMP (onprem.multipath: true) and will spread flows over both"
                if multipath
                else "routers that prefer different circuits send one client's flows to different regions"
            )
            anchor = ctx.topology.virtual_networks.find(one.member_id) or service.members[0]
            yield Violation(
                f"service '{service.name}': circuit '{first.name}' sends VIP {vip} to "
                f"{member_name(ctx, one.member_id)} and circuit '{second.name}' to "
                f"{member_name(ctx, other.member_id)}, with AS paths of equal length on premises "
                f"({one.winner.path_text} / {other.winner.path_text}); {how}. Prepend one region's routes on "
                f"every circuit, or pin on-premises to one circuit for this prefix",
                anchor.id,
                anchor.origin,
                f"{id_key(first.id)}|{id_key(second.id)}|{service.name}",
                (Related(f"chosen at '{second.name}'", other.winner.origin),),
            )

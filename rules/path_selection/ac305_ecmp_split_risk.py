"""AC305 ecmp-split-risk: equal paths to different regions, as on-premises sees them, split one session's flows.

The ExpressRoute edge sends on-premises only its best path per circuit, so one circuit never splits a
service. Several circuits can: the comparison is made on premises, on the paths as on-premises receives
them (routing/onprem.py): 12076 in front and private ASNs removed, so `65515 65001` at one circuit and
`65515` at another both arrive as `12076`; local preference set per circuit or by community
(`onprem.circuits`) decides first. When a site's best routes are equal and lead to different members,
routers doing ECMP (`onprem.multipath: true`) spread flows over both, and without multipath routers that
break the tie differently send one client's flows to different regions.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.routing.asns import is_private
from anycast_lint.routing.onprem import OnpremRoute, onprem_choices
from anycast_lint.rules.path_selection._shared import member_name, services_with_vip
from anycast_lint.rules.registry import rule


@rule("AC305", "ecmp-split-risk", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    multipath = ctx.config.onprem_multipath
    for service, vip in services_with_vip(ctx):
        for choice in onprem_choices(ctx.routing, ctx.config, service, vip):
            if not choice.split:
                continue
            equal = choice.equal_best
            first = equal[0]
            other = next(r for r in equal if r.member_id != first.member_id)
            how = (
                "on-premises routers do ECMP (onprem.multipath: true) and will spread flows over both"
                if multipath
                else "routers that prefer different circuits send one client's flows to different regions"
            )
            site = "" if len(ctx.config.onprem_circuits) == 0 else f" (site '{choice.site}')"
            anchor = ctx.topology.virtual_networks.find(first.member_id) or service.members[0]
            yield Violation(
                f"service '{service.name}'{site}: circuit '{first.circuit.name}' sends VIP {vip} to "
                f"{member_name(ctx, first.member_id)} and circuit '{other.circuit.name}' to "
                f"{member_name(ctx, other.member_id)}, with AS paths of equal length on premises "
                f"({first.path_text} / {other.path_text}{_edge_paths(first, other)}) and local preference "
                f"{first.local_preference}; {how}. Prepend one region's routes on every circuit with a public ASN, or "
                "give one circuit a higher local preference on premises (onprem.circuits) for this prefix",
                anchor.id,
                anchor.origin,
                "|".join(sorted(id_key(r.circuit.id) for r in equal)) + f"|{service.name}",
                (Related(f"chosen at '{other.circuit.name}'", other.edge.origin),),
                fix=advice(
                    f"make one region win for {vip} everywhere: prepend a public ASN you hold on "
                    f"{member_name(ctx, other.member_id)}'s routes on every circuit, or set a higher local preference "
                    f"on premises for circuit '{first.circuit.name}' (onprem.circuits)"
                ),
            )


def _edge_paths(first: OnpremRoute, other: OnpremRoute) -> str:
    """`; at the edge 65515 65001 / 65515, private ASNs removed on the way` when the edge saw a difference."""
    if first.edge.as_path == other.edge.as_path:
        return ""
    removed = sorted({asn for r in (first, other) for asn in r.edge.as_path if is_private(asn)} - {65515})
    note = f"; private ASN {', '.join(map(str, removed))} removed on the way" if removed else ""
    return f"; at the edge {first.edge.path_text} / {other.edge.path_text}{note}"

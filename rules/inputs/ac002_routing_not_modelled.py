"""AC002 routing-not-modelled: a resource that changes routing in ways the model does not follow.

Azure Route Server and its BGP peers, BGP connections of a virtual hub, Virtual Network Manager connectivity
and routing configurations, VPN sites and gateways of a hub, ExpressRoute Global Reach, routing intent of a hub
that is not in the input:
each can add, move or hide the routes the ExpressRoute edge chooses among, and the model (`simulate`, the
AC3xx rules) leaves them out. Never ignored quietly: one note per resource, naming it and what it may change
(sources/unmodelled.py cites the documentation for each), so a prediction that leaves it out says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC002", "routing-not-modelled", Level.NOTE)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for resource in ctx.topology.unmodelled:
        yield undecided(
            f"{resource.what} '{resource.name}' changes routing in ways the model does not follow: {resource.effect}. "
            "Predictions (simulate, trace and the AC3xx rules) leave it out; check them against the circuits' "
            "route tables (anycast-lint scan --azure --observed-routes, or a captured table for AC306)",
            resource.id,
            resource.origin,
            f"{resource.what}|{id_key(resource.id)}",
            "compare the prediction with the circuit's real route table (AC306) before relying on it",
        )

"""AC204 member-not-advertised: every member's prefix must reach an ExpressRoute circuit.

Uses the routing model's account of what each circuit learns; for members it does not reach, the first
broken link: a peering not Connected, `useRemoteGateways`/`allowGatewayTransit` missing, a hub without
gateway or connection to a circuit. The finding points at what must change (the peering, the gateway,
the hub connection; the member itself where a peering is missing), with the member as related location. Indirect spokes whose static route is missing or not propagated are
AC202/AC203's.

Absent is not broken: when the way to a circuit runs through a kind of resource the input does not hold (a
list of VNets has no gateways) or through a resource outside it that the input says exists (a peering that
uses a remote gateway), the finding is a note saying what cannot be told (routing/why_not.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import advice, peering_flag
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Peering, Resource, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC204", "member-not-advertised", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    missing = {id_key(n.vnet_id): n for n in ctx.routing.not_advertised}
    for service in ctx.services:
        for member in service.members:
            gap = missing.get(id_key(member.id))
            if gap is None or gap.kind not in ("path", "not-covered"):
                continue
            if not member.address_prefixes:
                continue  # unknown address space: AC104 notes it
            if gap.kind == "not-covered":
                yield _cannot_tell(service.name, member, gap.reason)
                continue
            where = gap.where or member  # the broken link, or the member itself where a peering is missing
            related = () if where is member else (Related(f"member '{member.name}'", member.origin, member.id),)
            yield Violation(
                f"member '{member.name}' of service '{service.name}' is not advertised to any ExpressRoute circuit: "
                f"{gap.reason}. On-premises never reaches this region, and it cannot take over when another fails",
                where.id,
                where.origin,
                f"{service.name}|{id_key(member.id)}",
                related,
                fix=_fix(where, member)
                or advice(f"repair the first broken link on the way to a circuit: {gap.reason}"),
            )


def _fix(where: Resource, member: VirtualNetwork) -> Fix | None:
    """The gateway-transit flag the broken peering lacks (a peering not Connected is re-synced, not edited)."""
    if not isinstance(where, Peering) or not where.connected:
        return None
    if id_key(where.vnet_id) == id_key(member.id) and not where.use_remote_gateways:
        return peering_flag(where, "useRemoteGateways")
    if id_key(where.vnet_id) != id_key(member.id) and not where.allow_gateway_transit:
        return peering_flag(where, "allowGatewayTransit")
    return None


def _cannot_tell(service: str, member: VirtualNetwork, reason: str) -> Violation:
    """The way to a circuit runs through what the input does not hold: absent is not broken."""
    return undecided(
        f"cannot tell whether member '{member.name}' of service '{service}' is advertised to an ExpressRoute "
        f"circuit: {reason}. Scan it together with the hub's gateway, its connections and circuits (a full export, "
        "or --azure), or set coverage: complete in anycast-lint.yaml if the input is the whole design",
        member.id,
        member.origin,
        f"{service}|{id_key(member.id)}",
        "include the hub, its gateway, connections and circuits in the input",
    )

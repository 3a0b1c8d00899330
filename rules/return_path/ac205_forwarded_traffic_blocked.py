"""AC205 forwarded-traffic-blocked: the member must accept traffic its transit VNet forwards to it.

Queries reach an indirect spoke from the forwarder in the transit VNet: forwarded traffic. The member's
peering to the transit VNet must be Connected both ways and allow forwarded traffic
(`allowForwardedTraffic` on the member's side), or the peering drops them.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice, peering_flag
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.rules.registry import rule
from anycast_lint.rules.return_path._shared import indirect_members


@rule("AC205", "forwarded-traffic-blocked", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service, _vip, link in indirect_members(ctx):
        member, transit, peering = link.member, link.transit, link.peering
        back = next(
            (p for p in transit.peerings if p.remote_vnet_id and id_key(p.remote_vnet_id) == id_key(member.id)), None
        )
        evidence = f"{id_key(peering.id)}"
        if not peering.connected or (back is not None and not back.connected) or back is None:
            state = (
                f"'{peering.name}' is {peering.state}"
                if not peering.connected
                else (f"'{transit.name}' has no peering back" if back is None else f"'{back.name}' is {back.state}")
            )
            yield Violation(
                f"the peering between member '{member.name}' (service '{service.name}') and transit '{transit.name}' is "
                f"not Connected both ways ({state}): the static route still attracts the traffic, and the forwarder "
                f"cannot deliver it",
                peering.id,
                peering.origin,
                evidence + "|state",
                fix=advice(
                    f"re-create or sync the peering between '{member.name}' and '{transit.name}' so both sides are Connected (az network vnet peering sync)"
                ),
            )
            continue
        if not peering.allow_forwarded_traffic:
            yield Violation(
                f"peering '{peering.name}' of member '{member.name}' (service '{service.name}') does not allow forwarded "
                f"traffic: queries forwarded by the firewall in '{transit.name}' are dropped at the peering. Set "
                f"allowForwardedTraffic to true on it",
                peering.id,
                peering.origin,
                evidence,
                fix=peering_flag(peering, "allowForwardedTraffic"),
            )

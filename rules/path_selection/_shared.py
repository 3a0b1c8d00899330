"""Helpers the AC3xx rules share: each service with its VIP, and readable names for members."""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.services import AnycastService, service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import IPAddress
from anycast_lint.routing import NotAdvertised


def services_with_vip(ctx: RuleContext) -> Iterator[tuple[AnycastService, IPAddress]]:
    """Services whose VIP is known (configured, or the one address all members answer on)."""
    for service in ctx.services:
        vip = service_vip(service, ctx.topology)
        if vip is not None and service.members:
            yield service, vip


def member_name(ctx: RuleContext, member_id: str | None) -> str:
    if member_id is None:
        return "a VNet that is not a member"
    vnet = ctx.topology.virtual_networks.find(member_id)
    return f"'{vnet.name}' ({vnet.region})" if vnet and vnet.region else f"'{id_name(member_id)}'"


def reach_unknown(ctx: RuleContext, service: AnycastService) -> list[tuple[str, NotAdvertised]]:
    """(member name, why) for the members whose advertisement to ExpressRoute the model cannot know (a hub
    route table static route, 'option 2'; a way through what the input does not hold): a finding that depends
    on them is left to the rule that states the unknown (AC203, AC204)."""
    missing = {id_key(n.vnet_id): n for n in ctx.routing.not_advertised if n.unknown}
    return [(m.name, missing[id_key(m.id)]) for m in service.members if id_key(m.id) in missing]

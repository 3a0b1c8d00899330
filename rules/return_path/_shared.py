"""What the AC2xx rules share: the indirect-spoke members of every service."""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.design_facts import TransitLink, transit_links
from anycast_lint.analysis.services import AnycastService, service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.model.topology import IPAddress


def indirect_members(ctx: RuleContext) -> Iterator[tuple[AnycastService, IPAddress | None, TransitLink]]:
    """(service, VIP, link) for every member reached through a transit VNet (Design B)."""
    for service in ctx.services:
        vip = service_vip(service, ctx.topology)
        for member in service.members:
            for link in transit_links(ctx.topology, member):
                yield service, vip, link

"""AC105 anycast-overlaps-onprem: an anycast prefix must not overlap an on-premises range."""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.design_facts import overlaps
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import listing, renumber
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.topology import IPNetwork, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC105", "anycast-overlaps-onprem", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    services = [s for s in ctx.services if s.members]
    if not services:
        return
    onprem = ctx.config.onprem_prefixes
    if not onprem:
        anchor = services[0].members[0]
        config = ctx.config.origin  # the config file that leaves them out, where there is one
        yield undecided(
            "on-premises ranges are not configured (onprem.prefixes in anycast-lint.yaml): cannot check that anycast "
            "prefixes stay clear of them, nor the indirect spokes' return routes",
            anchor.id,
            config.child("onprem", "prefixes") if config else anchor.origin,
            "no-onprem",
            "set onprem.prefixes in anycast-lint.yaml to the on-premises ranges",
        )
        return
    for service in services:
        for member in service.members:
            found = [
                (index, prefix, range_, range_origin)
                for index, prefix in enumerate(member.address_prefixes)
                for range_, range_origin in zip(onprem, ctx.config.onprem_origins, strict=True)
                if overlaps(prefix, range_)
            ]
            if not found:
                continue
            # one fix per member, shared by its findings (its whole address space, written once)
            first_range: dict[IPNetwork, IPNetwork] = {}
            for _, prefix, range_, _ in found:
                first_range.setdefault(prefix, range_)
            fix = renumber_member(member, first_range)
            for index, prefix, range_, range_origin in found:
                yield Violation(
                    f"anycast prefix {prefix} of '{member.name}' (service '{service.name}') overlaps the "
                    f"on-premises range {range_}: on-premises routers prefer their own route for the overlap, and "
                    f"replies from the members to those addresses cannot be told from the anycast range. Pick "
                    f"an anycast range that is unused on premises",
                    member.id,
                    member.prefix_origin(index),
                    f"{prefix}|{range_}",
                    (Related(f"on-premises range {range_}", range_origin),),
                    fix=fix,
                )


def renumber_member(vnet: VirtualNetwork, overlaps: dict[IPNetwork, IPNetwork]) -> Fix:
    """AC105: the service needs an anycast range unused on premises; which one is the user's choice. One fix
    per member for all its prefixes that overlap (prefix -> the on-premises range it overlaps), shared by
    their findings: a fix per prefix rewriting the whole address space costs prefixes squared, and each
    would undo the others."""
    if len(overlaps) == 1:
        ((prefix, range_),) = overlaps.items()
        what = f"{prefix} (overlaps on-premises {range_}) to a range"
    else:
        what = f"{listing(overlaps)} (they overlap on-premises ranges) to ranges"
    return renumber(
        vnet,
        overlaps,
        "<anycast prefix unused on premises>",
        f"renumber '{vnet.name}' from {what} unused on premises, the same in every member, and move the VIP "
        f"(services.<name>.vip) into it",
    )

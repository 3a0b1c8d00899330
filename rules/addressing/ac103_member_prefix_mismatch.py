"""AC103 member-prefix-mismatch: members announce different prefixes, so the longest wins everywhere.

ExpressRoute forwards by longest prefix before it compares paths. When one member announces a longer
prefix containing the VIP, it wins at every circuit whatever the AS paths say; the others only take
over when it disappears. Deliberate when the longer prefix belongs to the preferred member (the
prefix-length design); reported otherwise, naming who wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from anycast_lint.analysis.services import service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.builders import set_address_space
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPNetwork, VirtualNetwork
from anycast_lint.rules.registry import rule


def _nested(
    winners: list[tuple[VirtualNetwork, int, IPNetwork]], announced: list[tuple[VirtualNetwork, int, IPNetwork]]
) -> tuple[tuple[VirtualNetwork, int, IPNetwork], IPNetwork] | None:
    """The first longest prefix that sits inside a shorter announced one, with that shorter prefix: only then
    does longest match pick a member. Prefixes holding the VIP always nest; without a VIP, members may
    announce prefixes of one length that share nothing, and nothing wins by length."""
    for winner in winners:
        for _, _, shorter in announced:
            if (
                shorter.prefixlen < winner[2].prefixlen
                and shorter.version == winner[2].version
                and winner[2].subnet_of(shorter)  # type: ignore[arg-type]
            ):
                return winner, shorter
    return None


@rule("AC103", "member-prefix-mismatch", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service in ctx.services:
        if len(service.members) < 2:
            continue
        vip = service_vip(service, ctx.topology)
        announced: list[tuple[VirtualNetwork, int, IPNetwork]] = []
        for member in service.members:
            for index, prefix in enumerate(member.address_prefixes):
                if vip is None or (vip.version == prefix.version and vip in prefix):
                    announced.append((member, index, prefix))
        if len({prefix for _, _, prefix in announced}) < 2:
            continue
        longest = max(prefix.prefixlen for _, _, prefix in announced)
        winners = [(m, i, p) for m, i, p in announced if p.prefixlen == longest]
        preferred = {id_key(m.id) for m in service.preferred}
        if preferred and all(id_key(m.id) in preferred for m, _, _ in winners):
            continue  # the prefix-length preference, on purpose
        nested = _nested(winners, announced)
        if nested is None:
            continue  # prefixes of one length that do not nest: none wins by longest match (no VIP: AC104 says so)
        (winner, index, prefix), common = nested
        listing = ", ".join(f"'{m.name}' {p}" for m, _, p in announced)
        space = [common if i == index else p for i, p in enumerate(winner.address_prefixes)]
        reason = (
            "no member is marked preferred (anycast-preferred), so this looks accidental"
            if not preferred
            else "the preferred member does not announce it"
        )
        yield Violation(
            f"members of service '{service.name}' announce different prefixes ({listing}): by longest match "
            f"{prefix} of '{winner.name}' wins at every circuit regardless of AS paths, and the others only take "
            f"over when it disappears; {reason}. Give all members the same prefix, or mark '{winner.name}' "
            f"preferred if this is the intended preference",
            winner.id,
            winner.prefix_origin(index),
            f"{service.name}|{prefix}",
            tuple(
                Related(f"'{m.name}' announces {p}", m.prefix_origin(i), m.id)
                for m, i, p in announced
                if m is not winner
            ),
            fix=address_space(winner, space, f"the same {common} as the other members"),
        )


def address_space(vnet: VirtualNetwork, prefixes: Sequence[IPNetwork], why: str) -> Fix:
    """AC103: give the member the same prefix as the others."""
    space = [str(p) for p in prefixes]
    edit = Edit(
        vnet.origin,
        (Change(SET, ("addressSpace",), space),),
        (Change(SET, ("properties", "addressSpace", "addressPrefixes"), space),),
    )
    return set_address_space(
        vnet, space, f"set the address space of '{vnet.name}' to {', '.join(space)}: {why}", (edit,)
    )

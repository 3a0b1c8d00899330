"""AC101 overlap-outside-anycast: overlapping address spaces in one routing domain must be anycast.

Sort-and-sweep per routing domain: prefixes sorted by first address, a running list of the ones still
open; each new prefix overlaps exactly the open ones that end at or after its start. O(n log n + k)
for n prefixes and k overlapping pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from anycast_lint.context import RuleContext
from anycast_lint.findings import Level, Related, Violation
from anycast_lint.ids import id_key
from anycast_lint.model import IPNetwork, Resource
from anycast_lint.positions import Origin
from anycast_lint.rules.registry import rule
from anycast_lint.services import SERVICE_TAG


@dataclass(frozen=True, slots=True)
class _Space:
    """One prefix of one address space (a VNet's or a virtual hub's)."""

    prefix: IPNetwork
    owner: Resource
    origin: Origin
    service: str | None

    @property
    def start(self) -> int:
        return int(self.prefix.network_address)

    @property
    def end(self) -> int:
        return int(self.prefix.broadcast_address)


def _spaces_by_domain(ctx: RuleContext) -> dict[tuple[str, int], list[_Space]]:
    groups: dict[tuple[str, int], list[_Space]] = defaultdict(list)
    domains = ctx.domains
    for vnet in ctx.topology.virtual_networks.values():
        service = ctx.services.of(vnet.id)
        domain = domains.domain_of(vnet.id)
        for index, prefix in enumerate(vnet.address_prefixes):
            groups[(domain, prefix.version)].append(
                _Space(prefix, vnet, vnet.prefix_origin(index), service.name if service else None)
            )
    for hub in ctx.topology.virtual_hubs.values():
        if hub.address_prefix is not None:
            groups[(domains.domain_of(hub.id), hub.address_prefix.version)].append(
                _Space(hub.address_prefix, hub, hub.origin, None)
            )
    return groups


def overlapping_pairs(spaces: list[_Space]) -> Iterator[tuple[_Space, _Space]]:
    """Every pair of overlapping prefixes, the earlier-starting one first."""
    open_spaces: list[_Space] = []
    for space in sorted(spaces, key=lambda s: (s.start, -s.end, id_key(s.owner.id))):
        open_spaces = [o for o in open_spaces if o.end >= space.start]
        for other in open_spaces:
            yield other, space
        open_spaces.append(space)


def _is_anycast_pair(left: _Space, right: _Space) -> bool:
    return left.service is not None and left.service == right.service


def _anchor(left: _Space, right: _Space) -> tuple[_Space, _Space]:
    """Which side the finding is about: the one that is not an anycast member, else the later one."""
    if left.service is None and right.service is not None:
        return left, right
    return right, left


def _reason(anchor: _Space, other: _Space) -> str:
    if anchor.service is None and other.service is not None:
        return (
            f"'{anchor.owner.name}' is not a member of anycast service '{other.service}' "
            f"(members carry the tag {SERVICE_TAG}: {other.service})"
        )
    if anchor.service is not None and other.service is not None:
        return f"they belong to different anycast services ('{anchor.service}' and '{other.service}')"
    return "neither is a member of an anycast service"


MAX_NAMED = 3  # overlapping spaces named in the message; all of them are related locations


@rule("AC101", "overlap-outside-anycast", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    """One finding per address-space prefix, naming every space it overlaps (one cause, one finding)."""
    for spaces in _spaces_by_domain(ctx).values():
        if len(spaces) < 2:
            continue
        overlaps: dict[tuple[str, IPNetwork], tuple[_Space, list[_Space]]] = {}
        for left, right in overlapping_pairs(spaces):
            if left.owner is right.owner or _is_anycast_pair(left, right):
                continue
            anchor, other = _anchor(left, right)
            overlaps.setdefault((id_key(anchor.owner.id), anchor.prefix), (anchor, []))[1].append(other)
        for anchor, others in overlaps.values():
            yield _violation(ctx, anchor, others)


def _violation(ctx: RuleContext, anchor: _Space, others: list[_Space]) -> Violation:
    chains = [f"({' -> '.join(ctx.domains.path(anchor.owner.id, o.owner.id))})" for o in others]
    if len(others) == 1:
        named = f"{others[0].prefix} of {others[0].owner.label} in one routing domain {chains[0]}"
    else:
        named = ", ".join(f"{o.prefix} of {o.owner.label}" for o in others[:MAX_NAMED])
        if len(others) > MAX_NAMED:
            named += f" and {len(others) - MAX_NAMED} more"
        named += " in one routing domain"
    reasons = "; ".join(dict.fromkeys(_reason(anchor, o) for o in others))
    message = (
        f"{anchor.prefix} of {anchor.owner.label} overlaps {named}, and {reasons}: "
        "the edge routes the shared addresses to only one of them"
    )
    related = tuple(
        Related(f"{o.prefix} of {o.owner.label} {chain}", o.origin, o.owner.id)
        for o, chain in zip(others, chains, strict=True)
    )
    return Violation(
        message=message,
        resource_id=anchor.owner.id,
        origin=anchor.origin,
        evidence=str(anchor.prefix),
        related=related,
    )

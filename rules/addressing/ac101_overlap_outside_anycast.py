"""AC101 overlap-outside-anycast: overlapping address spaces in one routing domain must be anycast.

Per routing domain, spaces with the same prefix are bucketed; a sort-and-sweep over the distinct prefixes
(a running list of the ones still open: each new prefix overlaps exactly the open ones that end at or
after its start) pairs buckets, and counts per owner and service give each space its number of
conflicts without pairing spaces one by one. One finding per VNet and prefix, with at most MAX_RELATED
related locations: 100 VNets sharing 100 prefixes give 10,000 findings at most, not 495,000.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from anycast_lint.context import RuleContext
from anycast_lint.coverage import holds_no
from anycast_lint.findings import Level, Related, Violation
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import advice, renumber
from anycast_lint.ids import id_key
from anycast_lint.model import IPNetwork, Resource, VirtualNetwork
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
    owner_key: str = field(init=False)
    start: int = field(init=False)
    end: int = field(init=False)

    def __post_init__(self) -> None:  # computed once: the sweep compares them millions of times
        object.__setattr__(self, "owner_key", id_key(self.owner.id))
        object.__setattr__(self, "start", int(self.prefix.network_address))
        # the broadcast address as an integer, without building (and caching) an address object per prefix
        object.__setattr__(self, "end", self.start + (1 << (self.prefix.max_prefixlen - self.prefix.prefixlen)) - 1)


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


MAX_RELATED = 10  # related locations per finding; the message gives the full count


@dataclass(slots=True)
class _Bucket:
    """The spaces of one domain with one exact prefix, ordered by owner id, with counts by owner and
    service so that the overlaps of a space are counted without pairing it with every other. The counts
    are made on first use: most prefixes of a large tenant overlap nothing."""

    spaces: list[_Space]
    start: int = field(init=False)
    end: int = field(init=False)
    _owners: Counter[str] | None = field(default=None, init=False)
    _services: Counter[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.start, self.end = self.spaces[0].start, self.spaces[0].end

    def _count(self) -> tuple[Counter[str], Counter[str]]:
        if self._owners is None or self._services is None:
            self._owners = Counter(_owner(space) for space in self.spaces)
            self._services = Counter(space.service for space in self.spaces if space.service is not None)
        return self._owners, self._services

    @property
    def owners(self) -> Counter[str]:
        return self._count()[0]

    @property
    def services(self) -> Counter[str]:
        return self._count()[1]

    @property
    def members(self) -> int:
        return self.services.total()


@dataclass(slots=True)
class Conflicts:
    """The spaces one space is reported against: how many, and the first MAX_RELATED of them."""

    count: int = 0
    others: list[_Space] = field(default_factory=list)

    def add(self, count: int, candidates: Iterable[_Space], wanted: Callable[[_Space], bool]) -> None:
        if count <= 0:
            return
        self.count += count
        room = MAX_RELATED - len(self.others)
        if room > 0:
            self.others += islice((c for c in candidates if wanted(c)), room)


def _owner(space: _Space) -> str:
    return space.owner_key


def _buckets(spaces: list[_Space]) -> list[_Bucket]:
    by_prefix: dict[tuple[int, int], list[_Space]] = defaultdict(list)
    for space in spaces:
        by_prefix[(space.start, space.end)].append(space)
    ordered = sorted(by_prefix.items(), key=lambda item: (item[0][0], -item[0][1]))
    return [_Bucket(sorted(group, key=_owner) if len(group) > 1 else group) for _, group in ordered]


def overlapping_buckets(buckets: list[_Bucket]) -> Iterator[tuple[_Bucket, _Bucket]]:
    """Every pair of distinct overlapping prefixes, the earlier-starting one first. Prefixes nest or are
    disjoint, so the open list holds at most one chain of enclosing prefixes (33 for IPv4)."""
    open_buckets: list[_Bucket] = []
    for bucket in buckets:
        open_buckets = [o for o in open_buckets if o.end >= bucket.start]
        for other in open_buckets:
            yield other, bucket
        open_buckets.append(bucket)


def reported_against(x: _Space, y: _Space, x_later: bool) -> bool:
    """Whether the overlap of x and y is reported on x: never within one VNet or one anycast service; on
    the VNet that is not a member when only one is, else on the later of the two in sweep order."""
    if _owner(x) == _owner(y) or (x.service is not None and x.service == y.service):
        return False
    if x_later:
        return not (y.service is None and x.service is not None)
    return x.service is None and y.service is not None


def conflicts(spaces: list[_Space]) -> dict[int, Conflicts]:
    """For each space (by id()) reported on, its conflicts. Work is linear in the spaces and the nesting
    of distinct prefixes, not in the overlapping pairs: 100 VNets sharing 100 prefixes are 10,000 spaces,
    not 495,000 pairs."""
    found: dict[int, Conflicts] = defaultdict(Conflicts)
    buckets = _buckets(spaces)
    for earlier, later in overlapping_buckets(buckets):
        for x in later.spaces:
            if x.service is None:
                count = len(earlier.spaces) - earlier.owners[_owner(x)]
            else:
                count = earlier.members - earlier.services[x.service]
            found[id(x)].add(count, earlier.spaces, lambda y, x=x: reported_against(x, y, True))  # type: ignore[misc]
        for x in earlier.spaces:
            if x.service is None:
                found[id(x)].add(later.members, later.spaces, lambda y: y.service is not None)
    for bucket in buckets:
        if len(bucket.spaces) < 2:
            continue
        seen_owners: Counter[str] = Counter()
        seen_services: Counter[str] = Counter()
        for index, x in enumerate(bucket.spaces):
            before, after = bucket.spaces[:index], bucket.spaces[index + 1 :]
            seen_members = seen_services.total()
            if x.service is None:
                entry = found[id(x)]
                entry.add(index - seen_owners[_owner(x)], before, lambda y, x=x: _owner(y) != _owner(x))  # type: ignore[misc]
                later_members = bucket.members - seen_members
                entry.add(later_members, after, lambda y: y.service is not None)
            else:
                count = seen_members - seen_services[x.service]
                found[id(x)].add(count, before, lambda y, x=x: reported_against(x, y, True))  # type: ignore[misc]
                seen_services[x.service] += 1
            seen_owners[_owner(x)] += 1
    return {key: entry for key, entry in found.items() if entry.count}


def _reason(anchor: _Space, other: _Space) -> str:
    if anchor.service is None and other.service is not None:
        return (
            f"'{anchor.owner.name}' is not a member of anycast service '{other.service}' "
            f"(members carry the tag {SERVICE_TAG}: {other.service})"
        )
    if anchor.service is not None and other.service is not None:
        return f"they belong to different anycast services ('{anchor.service}' and '{other.service}')"
    return "neither is a member of an anycast service"


MAX_NAMED = 3  # overlapping spaces named in the message; up to MAX_RELATED of them are related locations


@rule("AC101", "overlap-outside-anycast", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    """One finding per address-space prefix, naming the spaces it overlaps (one cause, one finding)."""
    chains: dict[tuple[str, str], str] = {}  # one path search per pair of VNets, not per pair of prefixes
    reported: set[tuple[str, IPNetwork]] = set()
    for spaces in _spaces_by_domain(ctx).values():
        if len(spaces) < 2:
            continue
        found = conflicts(spaces)
        for anchor in spaces:
            entry = found.get(id(anchor))
            if entry is None or (_owner(anchor), anchor.prefix) in reported:
                continue
            reported.add((_owner(anchor), anchor.prefix))
            yield _violation(ctx, anchor, entry, chains)
    yield from _unknown_domains(ctx, reported)


LINK_KINDS = ("vnet_gateways", "gateway_connections", "circuits", "virtual_hubs", "hub_connections", "er_gateways")


def _unknown_domains(ctx: RuleContext, reported: set[tuple[str, IPNetwork]]) -> Iterator[Violation]:
    """An overlap with an anycast prefix across routing domains that the input may split only because it does
    not hold the links between them (gateways, connections, circuits, hubs): "cannot tell", once per prefix
    of the VNet that is not a member, unless that prefix already has its finding."""
    missing = ctx.topology.coverage.missing(*LINK_KINDS)
    if not missing:
        return
    members = [
        (service.name, member, prefix)
        for service in ctx.services
        for member in service.members
        for prefix in member.address_prefixes
    ]
    if not members:
        return
    domains = ctx.domains
    for vnet in ctx.topology.virtual_networks.values():
        service = ctx.services.of(vnet.id)
        domain = domains.domain_of(vnet.id)
        for index, prefix in enumerate(vnet.address_prefixes):
            if (id_key(vnet.id), prefix) in reported:
                continue
            other = next(
                (
                    (name, member, theirs)
                    for name, member, theirs in members
                    if (service is None or service.name != name)
                    and theirs.version == prefix.version
                    and theirs.overlaps(prefix)
                    and domains.domain_of(member.id) != domain
                ),
                None,
            )
            if other is None:
                continue
            name, member, theirs = other
            reported.add((id_key(vnet.id), prefix))
            yield Violation(
                f"cannot tell whether {prefix} of {vnet.label} and anycast prefix {theirs} of '{member.name}' "
                f"(service '{name}') share a routing domain: nothing in the input links them, and "
                f"{holds_no(missing)}, which may. If they do, the edge routes the shared addresses to only one of "
                "them",
                vnet.id,
                vnet.prefix_origin(index),
                f"{prefix}|domain-unknown",
                (
                    Related(
                        f"{theirs} of '{member.name}'",
                        member.prefix_origin(member.address_prefixes.index(theirs)),
                        member.id,
                    ),
                ),
                unknown=True,
                fix=advice("scan the VNets together with their gateways, connections, circuits and hubs"),
            )


def _chain(ctx: RuleContext, anchor: _Space, other: _Space, chains: dict[tuple[str, str], str]) -> str:
    key = (_owner(anchor), _owner(other))
    if key not in chains:
        chains[key] = f"({' -> '.join(ctx.domains.path(anchor.owner.id, other.owner.id))})"
    return chains[key]


def _violation(ctx: RuleContext, anchor: _Space, entry: Conflicts, chains: dict[tuple[str, str], str]) -> Violation:
    others = entry.others
    paths = [_chain(ctx, anchor, o, chains) for o in others]
    if entry.count == 1:
        named = f"{others[0].prefix} of {others[0].owner.label} in one routing domain {paths[0]}"
    else:
        named = ", ".join(f"{o.prefix} of {o.owner.label}" for o in others[:MAX_NAMED])
        if entry.count > MAX_NAMED:
            listed = "" if entry.count <= MAX_RELATED else f"; the first {MAX_RELATED} are related locations"
            named += f" and {entry.count - MAX_NAMED} more{listed}"
        named += " in one routing domain"
    reasons = "; ".join(dict.fromkeys(_reason(anchor, o) for o in others))
    message = (
        f"{anchor.prefix} of {anchor.owner.label} overlaps {named}, and {reasons}: "
        "the edge routes the shared addresses to only one of them"
    )
    related = tuple(
        Related(f"{o.prefix} of {o.owner.label} {path}", o.origin, o.owner.id)
        for o, path in zip(others, paths, strict=True)
    )
    return Violation(
        message=message,
        resource_id=anchor.owner.id,
        origin=anchor.origin,
        evidence=str(anchor.prefix),
        related=related,
        fix=_fix(anchor),
    )


def _fix(anchor: _Space) -> Fix:
    """Renumber the VNet that borrows the space (which free range to use is the user's choice)."""
    if isinstance(anchor.owner, VirtualNetwork):
        return renumber(
            anchor.owner,
            anchor.prefix,
            "<prefix unused in this routing domain>",
            f"renumber {anchor.owner.label} from {anchor.prefix} to a prefix no other VNet of the routing domain uses "
            f"(outside every anycast range)",
        )
    return advice(f"move {anchor.owner.label} off {anchor.prefix}: give it a prefix no other VNet of the domain uses")

"""AC101 overlap-outside-anycast: overlapping address spaces in one routing domain must be anycast.

Per routing domain, spaces with the same prefix are bucketed; a sort-and-sweep over the distinct prefixes
(a running list of the ones still open: each new prefix overlaps exactly the open ones that end at or
after its start) pairs buckets, and counts per owner and service give each space its number of
conflicts without pairing spaces one by one. One finding per VNet (or hub): with one overlapping prefix it
names at most MAX_RELATED spaces it overlaps; with several, each of its overlapping prefixes is a related
location. 100 VNets sharing 100 prefixes give 100 findings and 10,000 related locations, not 495,000 pairs.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from anycast_lint.analysis.services import SERVICE_TAG
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import advice, listing, renumber
from anycast_lint.model.coverage import holds_no
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPNetwork, Resource, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


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

    def first(self, count: int, candidates: list[_Space]) -> None:
        """`count` conflicts with the first `count` candidates, all wanted (none filtered out)."""
        self.count += count
        room = MAX_RELATED - len(self.others)
        if room > 0:
            self.others += candidates[: min(room, count)]

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


def _between(spaces: list[_Space], start: int, stop: int) -> Iterator[_Space]:
    return (spaces[index] for index in range(start, stop))


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
        members = bucket.members
        # the usual bucket: one space per VNet, none a member; each space's others are the first ones
        plain = members == 0 and len(bucket.owners) == len(bucket.spaces)
        for index, x in enumerate(bucket.spaces):
            if plain:
                if index:
                    found[id(x)].first(index, bucket.spaces)
                continue
            # read lazily, never copied: a bucket of 300 VNets sharing a prefix made 45,000 copies a prefix
            before, after = _between(bucket.spaces, 0, index), _between(bucket.spaces, index + 1, len(bucket.spaces))
            seen_members = seen_services.total()
            if x.service is None:
                entry = found[id(x)]
                entry.add(index - seen_owners[_owner(x)], before, lambda y, x=x: _owner(y) != _owner(x))  # type: ignore[misc]
                later_members = members - seen_members
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
    """One finding per VNet (or hub) whose address space overlaps others: naming the spaces it overlaps when
    one of its prefixes does (as it always did), with every overlapping prefix as a related location when
    several do. Findings, related locations and the fix then grow with the prefixes, not with their square:
    a finding per prefix carried a fix rewriting the whole address space (1,000 prefixes: a million)."""
    chains: dict[tuple[str, str], str] = {}  # one path search per pair of VNets, not per pair of prefixes
    by_owner: dict[str, dict[IPNetwork, tuple[_Space, Conflicts]]] = defaultdict(dict)
    for spaces in _spaces_by_domain(ctx).values():
        if len(spaces) < 2:
            continue
        found = conflicts(spaces)
        for anchor in spaces:
            entry = found.get(id(anchor))
            if entry is not None:
                by_owner[_owner(anchor)].setdefault(anchor.prefix, (anchor, entry))
    for reported in by_owner.values():
        anchors = list(reported.values())
        if len(anchors) == 1:
            yield _violation(ctx, *anchors[0], chains)
        else:
            yield _grouped(ctx, anchors, chains)
    yield from _unknown_domains(ctx, set(by_owner))


LINK_KINDS = ("vnet_gateways", "gateway_connections", "circuits", "virtual_hubs", "hub_connections", "er_gateways")
MemberPrefix = tuple[str, VirtualNetwork, IPNetwork]  # (service name, member, prefix)


def _unknown_domains(ctx: RuleContext, reported: set[str]) -> Iterator[Violation]:
    """An overlap with an anycast prefix across routing domains that the input may split only because it does
    not hold the links between them (gateways, connections, circuits, hubs): "cannot tell", once per VNet that
    has no AC101 finding already. Member prefixes are looked up by containment (prefixes overlap only by
    nesting): the supernets of a prefix by dictionary, the prefixes inside it by a sorted sweep, so the cost
    grows with the prefixes, not with their product."""
    missing = ctx.topology.coverage.missing(*LINK_KINDS)
    if not missing:
        return
    lookup = _MemberPrefixes(ctx)
    if not lookup.any:
        return
    domains = ctx.domains
    for vnet in ctx.topology.virtual_networks.values():
        if id_key(vnet.id) in reported:
            continue
        service = ctx.services.of(vnet.id)
        domain = domains.domain_of(vnet.id)
        for index, prefix in enumerate(vnet.address_prefixes):
            other = next(
                (
                    (name, member, theirs)
                    for name, member, theirs in lookup.overlapping(prefix)
                    if (service is None or service.name != name) and domains.domain_of(member.id) != domain
                ),
                None,
            )
            if other is None:
                continue
            yield _domain_unknown(vnet, index, prefix, other, missing)
            break


def _domain_unknown(
    vnet: VirtualNetwork, index: int, prefix: IPNetwork, other: MemberPrefix, missing: list[str]
) -> Violation:
    name, member, theirs = other
    return undecided(
        f"cannot tell whether {prefix} of {vnet.label} and anycast prefix {theirs} of '{member.name}' "
        f"(service '{name}') share a routing domain: nothing in the input links them, and "
        f"{holds_no(missing)}, which may. If they do, the edge routes the shared addresses to only one of them",
        vnet.id,
        vnet.prefix_origin(index),
        f"{prefix}|domain-unknown",
        "scan the VNets together with their gateways, connections, circuits and hubs",
        related=(
            Related(
                f"{theirs} of '{member.name}'", member.prefix_origin(member.address_prefixes.index(theirs)), member.id
            ),
        ),
    )


class _MemberPrefixes:
    """Every anycast member's prefixes, found by containment either way."""

    def __init__(self, ctx: RuleContext):
        self._exact: dict[tuple[int, int, int], list[MemberPrefix]] = defaultdict(list)
        starts: list[tuple[int, int, int, int]] = []  # (version, start, end, position)
        self._entries: list[MemberPrefix] = []
        for service in ctx.services:
            for member in service.members:
                for prefix in member.address_prefixes:
                    start = int(prefix.network_address)
                    self._exact[(prefix.version, start, prefix.prefixlen)].append((service.name, member, prefix))
                    starts.append((prefix.version, start, int(prefix.broadcast_address), len(self._entries)))
                    self._entries.append((service.name, member, prefix))
        self._starts = sorted(starts)
        self.any = bool(self._entries)

    def overlapping(self, prefix: IPNetwork) -> Iterator[MemberPrefix]:
        """Member prefixes containing `prefix` (its supernets, at most 33 or 129 lookups), then inside it."""
        start, end = int(prefix.network_address), int(prefix.broadcast_address)
        for length in range(prefix.prefixlen, -1, -1):
            host = prefix.max_prefixlen - length
            yield from self._exact.get((prefix.version, (start >> host) << host, length), ())
        low = bisect_left(self._starts, (prefix.version, start, -1, -1))
        for version, other_start, other_end, position in self._starts[low:]:
            if version != prefix.version or other_start > end:
                break
            if other_end <= end and self._entries[position][2].prefixlen > prefix.prefixlen:
                yield self._entries[position]


def _chain(ctx: RuleContext, anchor: _Space, other: _Space, chains: dict[tuple[str, str], str]) -> str:
    key = (_owner(anchor), _owner(other))
    if key not in chains:
        chains[key] = f"({' -> '.join(ctx.domains.path(anchor.owner.id, other.owner.id))})"
    return chains[key]


def _violation(ctx: RuleContext, anchor: _Space, entry: Conflicts, chains: dict[tuple[str, str], str]) -> Violation:
    """The finding of a VNet one of whose prefixes overlaps others: that prefix, and the spaces it overlaps."""
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
        fix=_fix([anchor]),
    )


def _grouped(
    ctx: RuleContext, anchors: list[tuple[_Space, Conflicts]], chains: dict[tuple[str, str], str]
) -> Violation:
    """The finding of a VNet several of whose prefixes overlap others: each of them is a related location
    naming the first space it overlaps; the evidence is the list of them, so a new overlap is a new finding."""
    first, _ = anchors[0]
    owner = first.owner
    related = []
    reasons: dict[str, None] = {}
    for anchor, entry in anchors[:MAX_RELATED]:
        other = entry.others[0]
        more = f" and {entry.count - 1} more" if entry.count > 1 else ""
        related.append(
            Related(
                f"{anchor.prefix} of {owner.label} overlaps {other.prefix} of {other.owner.label}{more} "
                f"{_chain(ctx, anchor, other, chains)}",
                anchor.origin,
                owner.id,
            )
        )
    # one reason per service of the spaces overlapped (the VNet has one service or none: `first` stands for all)
    by_service: dict[str | None, _Space] = {}
    for _, entry in anchors:
        for other in entry.others:
            by_service.setdefault(other.service, other)
    for other in by_service.values():
        reasons.setdefault(_reason(first, other))
    prefixes = [anchor.prefix for anchor, _ in anchors]
    named = "; ".join(
        f"{anchor.prefix} overlaps {entry.others[0].prefix} of {entry.others[0].owner.label}"
        + (f" and {entry.count - 1} more" if entry.count > 1 else "")
        for anchor, entry in anchors[:MAX_NAMED]
    )
    if len(anchors) > MAX_NAMED:
        named += f"; and {len(anchors) - MAX_NAMED} more of its prefixes"
    listed = "each is a related location" if len(anchors) <= MAX_RELATED else f"the first {MAX_RELATED} are related"
    message = (
        f"{len(anchors)} prefixes of {owner.label} overlap other address spaces in one routing domain ({named}; "
        f"{listed}; the fix names them all), and {'; '.join(reasons)}: the edge routes the shared addresses to "
        "only one of them"
    )
    return Violation(
        message=message,
        resource_id=owner.id,
        origin=first.origin,
        evidence=",".join(map(str, prefixes)),
        related=tuple(related),
        fix=_fix([anchor for anchor, _ in anchors]),
    )


def _fix(anchors: list[_Space]) -> Fix:
    """Renumber the VNet that borrows the space (which free range to use is the user's choice): every
    reported prefix of it in one fix, the address space written once."""
    owner = anchors[0].owner
    prefixes = [anchor.prefix for anchor in anchors]
    if isinstance(owner, VirtualNetwork):
        return renumber(
            owner,
            prefixes,
            "<prefix unused in this routing domain>",
            f"renumber {owner.label} from {listing(prefixes)} to "
            + ("a prefix" if len(prefixes) == 1 else "prefixes")
            + " no other VNet of the routing domain uses (outside every anycast range)",
        )
    return advice(f"move {owner.label} off {listing(prefixes)}: give it a prefix no other VNet of the domain uses")

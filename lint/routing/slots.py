"""The edge slots of a routing model: which routes each ExpressRoute edge holds per prefix, indexed once.

A slot is (circuit key, prefix): the routes one edge router compares for one prefix. The base `Routing`
builds this index from its advertisements and every what-if view shares it, so a view only filters and
re-chooses; nothing here walks all the routes again per view, per prefix or per connection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property
from ipaddress import IPv4Network, IPv6Network

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPAddress, IPNetwork
from anycast_lint.routing.advertise import Advertisement

Slot = tuple[str, IPNetwork]  # (circuit id key, prefix)
HubGroups = tuple[tuple[tuple[int, ...], ...], ...]  # per virtual hub slot: candidate groups, best first
SlotGroups = tuple[Iterable[int], HubGroups]  # (routes no hub chooses among, hub groups)


class SlotIndex:
    """Slots in first-seen order (numbered), the route indexes of each, and what each route depends on."""

    def __init__(self, routes: list[Advertisement]):
        self.routes = routes
        self.slots: list[Slot] = []
        self.numbers: dict[Slot, int] = {}
        self.members: list[list[int]] = []  # per slot number: indexes into `routes`, in order
        self._hub_chosen: set[int] = set()  # slots where a virtual hub chooses among candidates
        self._by_dependencies: dict[frozenset[str], list[int]] = defaultdict(list)  # gateway instances share them
        self._groups: dict[int, SlotGroups] = {}
        self.vip_prefixes: dict[tuple[str, IPAddress], list[IPNetwork]] = {}  # filled by Routing._vip_prefixes
        self._index(routes)

    def _index(self, routes: list[Advertisement]) -> None:
        circuit_keys: dict[str, str] = {}
        circuit_id: str | None = None  # the previous route's circuit id and prefix objects
        prefix: IPNetwork | None = None
        slot, indexes = -1, []
        dependencies: frozenset[str] | None = None
        dependents: list[int] = []
        # Slot by (circuit id, prefix object identity): hashing an IPv4Network runs Python code, and a virtual
        # hub's candidates carry the few prefix objects of the VNets and static routes they come from. The
        # routes keep every prefix object alive while this runs, so an identity names one object throughout.
        seen: dict[tuple[str, int], int] = {}
        for index, route in enumerate(routes):
            # A gateway's instances advertise the same prefix object in a row: look its slot up once.
            if route.prefix is not prefix or route.circuit_id is not circuit_id:
                circuit_id, prefix = route.circuit_id, route.prefix
                known = seen.get((circuit_id, id(prefix)))
                if known is None:
                    circuit = circuit_keys.get(circuit_id) or circuit_keys.setdefault(circuit_id, id_key(circuit_id))
                    known = seen[(circuit_id, id(prefix))] = self._number((circuit, prefix))
                slot = known
                indexes = self.members[slot]
            indexes.append(index)
            if route.hub_slot is not None:
                self._hub_chosen.add(slot)
            if route.depends_on is not dependencies:
                dependencies = route.depends_on
                dependents = self._by_dependencies[dependencies]
            dependents.append(index)

    def _number(self, slot: Slot) -> int:
        number = self.numbers.setdefault(slot, len(self.slots))
        if number == len(self.slots):
            self.slots.append(slot)
            self.members.append([])
        return number

    @cached_property
    def by_dependency(self) -> dict[str, list[int]]:
        """Resource or region key -> the routes that depend on it (built on the first what-if view)."""
        found: dict[str, list[int]] = defaultdict(list)
        for dependencies, indexes in self._by_dependencies.items():
            for key in dependencies:
                found[key].extend(indexes)  # one dict lookup, where += takes three
        return found

    @cached_property
    def by_circuit(self) -> dict[str, list[int]]:
        """Circuit key -> its slot numbers, in slot order."""
        found: dict[str, list[int]] = defaultdict(list)
        for number, (circuit, _) in enumerate(self.slots):
            found[circuit].append(number)
        return found

    def covering(self, circuit: str, address: IPAddress) -> list[IPNetwork]:
        """The prefixes at a circuit that contain `address`, longest first. A circuit has at most one per prefix
        length, so this looks each length up (33 for IPv4) instead of testing every prefix the circuit carries
        (20,000 at 10,000 VNets, once per anycast VIP)."""
        network = IPv4Network if address.version == 4 else IPv6Network
        bits, value = address.max_prefixlen, int(address)
        found = []
        for length in range(bits, -1, -1):
            host = bits - length  # built from integers: parsing an address per length cost more than the lookups
            slot = self.numbers.get((circuit, network(((value >> host) << host, length))))
            if slot is not None:
                found.append(self.slots[slot][1])
        return found

    def removed_by(self, keys: frozenset[str]) -> frozenset[int]:
        """The routes a failure takes away: those depending on a failed resource, and a failed circuit's."""
        if not keys:
            return frozenset()
        removed = {i for key in keys for i in self.by_dependency.get(key, ())}
        removed.update(i for key in keys for slot in self.by_circuit.get(key, ()) for i in self.members[slot])
        return frozenset(removed)

    def groups(self, slot: int) -> SlotGroups:
        """The routes no hub chooses among (self-managed gateways), and per virtual hub slot its candidates
        grouped by the hub's preference, best first, so a view finds a hub's choice by walking the groups
        until one survives its failures (usually the first). Computed per slot on first use."""
        if slot not in self._hub_chosen:
            return self.members[slot], ()
        found = self._groups.get(slot)
        if found is None:
            found = self._groups[slot] = _hub_groups(self.routes, self.members[slot])
        return found


def _hub_groups(routes: list[Advertisement], indexes: list[int]) -> SlotGroups:
    """One pass over the slot's routes: the plain ones, and per hub slot its candidates by rank."""
    plain: list[int] = []
    ranked: dict[str, dict[tuple[int, int, int], list[int]]] = {}
    for i in indexes:
        route = routes[i]
        hub_slot = route.hub_slot
        if hub_slot is None:
            plain.append(i)
            continue
        # Within one edge slot every hub slot has the slot's prefix: its ExpressRoute connection tells them
        # apart, without hashing the prefix again.
        by_rank = ranked.get(hub_slot[0])
        if by_rank is None:
            by_rank = ranked[hub_slot[0]] = {}
        same = by_rank.get(route.hub_rank)
        if same is None:
            by_rank[route.hub_rank] = [i]
        else:
            same.append(i)
    hubs = tuple(tuple(tuple(by_rank[r]) for r in sorted(by_rank)) for by_rank in ranked.values())
    return tuple(plain), hubs

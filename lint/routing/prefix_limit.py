"""Connections over the prefix limit go down: the routing model takes them out, AC308 names the cause.

Documented ("Azure subscription and service limits", ExpressRoute route advertisement limits: 1,000 IPv4 and 100
IPv6 prefixes advertised from Azure private peering per connection; the ExpressRoute FAQ: past them "the
connection between the ExpressRoute circuit and the gateway (and peered VNets using gateway transit) will go
down"). So a connection that would advertise more is not a path at all: its routes are taken out of what the
edge receives, and `simulate`, `trace` and the AC3xx rules see where the VIP goes instead. Counted per gateway
connection (design A) or ExpressRoute connection (Virtual WAN: assumed alike, the limits page names the
ExpressRoute virtual network gateway), as distinct prefixes per IP version over every route the connection
would carry in the design as given (a failure that brings the count back under the limit is not modelled).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from anycast_lint.model.ids import id_key
from anycast_lint.routing.advertise import Advertisement
from anycast_lint.routing.slots import SlotIndex

LIMITS = {4: 1000, 6: 100}


@dataclass
class DownConnection:
    """A gateway's connection to a circuit over the limit: what it would have advertised, now withdrawn."""

    gateway_id: str
    circuit_id: str
    gateway_label: str
    counts: dict[int, int]  # IP version -> distinct prefixes it would advertise
    members: set[str] = field(default_factory=set)  # VNets whose routes it would have carried

    def over(self) -> list[tuple[int, int, int]]:
        """(version, count, limit) for each IP version over its limit."""
        return [(v, n, LIMITS[v]) for v, n in sorted(self.counts.items()) if n > LIMITS[v]]


def take_down(routes: list[Advertisement], index: SlotIndex) -> tuple[list[Advertisement], list[DownConnection]]:
    """The routes without those of connections over the limit, and those connections. Prefixes are counted as
    the slots (circuit, prefix) of the index a connection has a route in: integers, not prefixes to hash."""
    slots: dict[tuple[str, str], dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    keys: dict[tuple[str, str], tuple[str, str]] = {}
    for number, members in enumerate(index.members):
        version = index.slots[number][1].version
        for i in members:
            route = routes[i]
            ids = (route.gateway_id, route.circuit_id)
            key = keys.get(ids) or keys.setdefault(ids, (id_key(ids[0]), id_key(ids[1])))
            slots[key][version].add(number)
    over = {
        key: {version: len(found) for version, found in by_version.items()}
        for key, by_version in slots.items()
        if any(len(found) > LIMITS[version] for version, found in by_version.items())
    }
    if not over:
        return routes, []
    down: dict[tuple[str, str], DownConnection] = {}
    kept = []
    for route in routes:
        key = keys[(route.gateway_id, route.circuit_id)]
        if key not in over:
            kept.append(route)
            continue
        entry = down.get(key)
        if entry is None:
            entry = down[key] = DownConnection(route.gateway_id, route.circuit_id, route.gateway_label, over[key])
        entry.members.update(route.members)
    return kept, list(down.values())

"""ExpressRoute Global Reach: two circuits' edges exchange routes, so an edge learns the other circuit's.

Documented ("About ExpressRoute Global Reach"; "Virtual WAN routing deep dive" follows routes "from hub 1 to
circuit 1, from circuit 1 to circuit 2 … to hub 2"): with Global Reach between circuits C1 and C2, the routes
C2's edge holds reach C1's edge, and traffic from C1's on-premises side follows them through C2 into Azure.
So each route an edge receives from a gateway is also a candidate at every circuit linked to it by Global
Reach, depending on what the original depends on and on the circuit it came through; one hop only (Global
Reach is not transitive).

Assumed: the edge prefers a route it receives from a gateway over an equal one learned over Global Reach (the
MSEEs of one AS; standard BGP prefers external to internal routes), and it keeps only the best route of each
linked circuit, which that circuit's edge advertises. A hub that learns a prefix this way does not send its
hub-to-hub route for it to ExpressRoute (bow_tie.py).
"""

from __future__ import annotations

from collections import defaultdict

from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import Topology
from anycast_lint.routing.advertise import Advertisement


def linked_circuits(topology: Topology) -> dict[str, list[str]]:
    """Circuit key -> the ids of the circuits Global Reach links it to (both ways), those in the input."""
    linked: dict[str, list[str]] = defaultdict(list)
    for link in topology.global_reach:
        left, right = topology.circuits.find(link.circuit_id), topology.circuits.find(link.peer_circuit_id)
        if left is None or right is None or id_key(left.id) == id_key(right.id):
            continue
        if right.id not in linked[id_key(left.id)]:
            linked[id_key(left.id)].append(right.id)
        if left.id not in linked[id_key(right.id)]:
            linked[id_key(right.id)].append(left.id)
    return linked


def over_global_reach(topology: Topology, routes: list[Advertisement]) -> list[Advertisement]:
    """Every route as the circuits linked to its own by Global Reach receive it."""
    linked = linked_circuits(topology)
    if not linked:
        return []
    copies: list[Advertisement] = []
    for route in routes:
        peers = linked.get(id_key(route.circuit_id))
        if not peers:
            continue
        source = route.circuit_id
        for peer in peers:
            hub_slot = (route.hub_slot[0] + "|global-reach", route.hub_slot[1]) if route.hub_slot else None
            copies.append(
                route._replace(
                    circuit_id=peer,
                    depends_on=route.depends_on | {id_key(source)},
                    how=f"over Global Reach from circuit '{id_name(source)}': {route.how}",
                    hub_slot=hub_slot,
                    global_reach=source,
                )
            )
    return copies

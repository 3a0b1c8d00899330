"""Routing intent on a Virtual WAN hub: what its ExpressRoute connections advertise when a private traffic
policy sends private traffic through the hub's firewall (or NVA, SaaS solution).

Documented ("How to configure Virtual WAN Hub routing intent and routing policies"): with a private traffic
routing policy, every connection of the hub (VNet, VPN, ExpressRoute) propagates to the `noneRouteTable`, and
the hub's next hop carries private traffic between them; the hub still advertises to on-premises the address
spaces of its own connected VNets and the prefixes its VNet connections' static routes point to. So the
table entries the model builds from labels and propagation do not decide what an intent hub's ExpressRoute
connections carry: its own connections do, each with its inbound route map, static routes included when the
connection propagates them.

Static routes: the routing-policies page says a hub route table static route whose next hop is a VNet
connection ("option 2") cannot be used with routing intent, and lists static routes on connections among the
limitations; the newer "Configure static routes in a virtual hub" says connection static routes ("option 1")
are "compatible with routing intent hubs". The model follows the newer page for option 1 (the static route
is advertised) and flags option 2 (AC203). Routes learned from other hubs are not assumed: what an intent
hub advertises of another hub's VNets is not documented here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import HubVirtualNetworkConnection, Topology, VirtualHub

Entry = TypeVar("Entry")


def intent_entries(
    topology: Topology,
    hub: VirtualHub,
    entries_of: Callable[[Topology, HubVirtualNetworkConnection, VirtualHub], list[Entry]],
) -> list[Entry]:
    """The entries an intent hub advertises: those of its own VNet connections, in input order."""
    found: list[Entry] = []
    hub_key = id_key(hub.id)
    for connection in topology.hub_connections.values():
        if id_key(connection.hub_id) == hub_key:
            found += entries_of(topology, connection, hub)
    return found

"""Static routes in Virtual WAN hub route tables that point at a VNet connection ("option 2").

Documented ("Static routes in Virtual WAN", learn.microsoft.com/azure/virtual-wan/static-routes,
"Configuration options"): to reach an NVA in a spoke (and the indirect spokes behind it), option 1 is a
static route on the VNet connection with "Propagate static route" on; option 2 is "a static route in a
Virtual WAN route table, with the next hop set to the Hub virtual network connection", plus a matching
static route with the next-hop IP on that connection, in every route table (remote hubs included) that
needs it. Both are listed as supported for indirect spokes.

Not documented: whether a hub advertises an option-2 route to its ExpressRoute connections (the page
says option 1 routes are "automatically propagated"; for option 2 it is silent, and "About virtual hub
routing" says hubs exchange only dynamic routes, not static ones). So anycast-lint neither advertises
such a route nor calls it missing: the member behind it is reported as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import ip_network

from anycast_lint.model.ids import id_key, is_resource_id
from anycast_lint.model.topology import HubRoute, HubRouteTable, HubVirtualNetworkConnection, IPNetwork, Topology

NOT_DOCUMENTED = (
    "Microsoft's 'Static routes in Virtual WAN' page does not say whether the hub advertises such a route to "
    "ExpressRoute"
)


@dataclass(frozen=True)
class TableStaticRoute:
    """A hub route table route whose next hop is a hub VNet connection."""

    table: HubRouteTable
    route: HubRoute
    connection: HubVirtualNetworkConnection
    prefixes: tuple[IPNetwork, ...]

    def covers(self, prefix: IPNetwork) -> bool:
        return any(p.version == prefix.version and prefix.subnet_of(p) for p in self.prefixes)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        return f"route '{self.route.name}' in hub route table '{self.table.name}' (next hop {self.connection.name})"


def _connection(topology: Topology, next_hop: str | None) -> HubVirtualNetworkConnection | None:
    """The VNet connection a hub route names as next hop (by resource id; the sources resolve names)."""
    return topology.hub_connections.find(next_hop) if next_hop and is_resource_id(next_hop) else None


def _prefixes(route: HubRoute) -> tuple[IPNetwork, ...]:
    found = []
    for destination in route.destinations:
        try:
            found.append(ip_network(destination, strict=False))
        except ValueError:
            continue  # a service tag or resource id, not a prefix
    return tuple(found)


def table_static_routes(topology: Topology) -> list[TableStaticRoute]:
    """Every option-2 route in a hub route table that an ExpressRoute connection learns from."""
    learned = {
        id_key(c.routing.associated_route_table_id)
        for c in topology.er_connections.values()
        if c.routing.associated_route_table_id and c.circuit_id
    }
    found = []
    for table in topology.hub_route_tables.values():
        if id_key(table.id) not in learned:
            continue
        for route in table.routes:
            connection = _connection(topology, route.next_hop)
            if connection is not None:
                found.append(TableStaticRoute(table, route, connection, _prefixes(route)))
    return found


def option_two_to(
    topology: Topology,
    connections: tuple[HubVirtualNetworkConnection, ...],
    prefixes: tuple[IPNetwork, ...],
    statics: list[TableStaticRoute] | None = None,
) -> list[TableStaticRoute]:
    """The option-2 routes that send one of `prefixes` to one of `connections`. Callers asking per connection
    pass `statics` (table_static_routes, gathered once): gathering them per call walked every hub route table
    and ExpressRoute connection for each hub connection."""
    keys = {id_key(c.id) for c in connections}
    return [
        r
        for r in (table_static_routes(topology) if statics is None else statics)
        if id_key(r.connection.id) in keys and any(r.covers(p) for p in prefixes)
    ]

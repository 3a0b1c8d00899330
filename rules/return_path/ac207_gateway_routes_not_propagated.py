"""AC207 gateway-routes-not-propagated: a member's VIP subnet ignores the gateway's routes and has no route back.

Documented ("Virtual network traffic routing", learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview):
a subnet learns the on-premises routes of its VNet's gateway (or a peered hub's, with gateway transit, or
its virtual hub's) through BGP propagation, which a route table can switch off ("Propagate gateway
routes": `disableBgpRoutePropagation: true`). Without a user-defined route for the on-premises ranges,
replies then follow Azure's default system routes: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and
100.64.0.0/10 have next hop None (dropped), everything else goes to the Internet. The query arrives over
ExpressRoute and the answer never returns. A user-defined route cannot stand in with next hop
VirtualNetworkGateway either: "You can't specify a virtual network gateway created as type ExpressRoute in
a user-defined route because with ExpressRoute, you must use BGP for custom routes" (same page). Indirect spokes (design B) never learn gateway routes; their
return routes are AC201's.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_network

from anycast_lint.analysis.design_facts import covers, route_for, service_subnets, transit_links
from anycast_lint.analysis.services import service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.snippets import arm_property, az, resource, resource_group
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPNetwork, RouteTable, Subnet, VirtualNetwork, VirtualNetworkGateway
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule

SYSTEM_NONE = tuple(ip_network(p) for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"))
BROKEN_HOPS = ("None", "Internet")
GATEWAY_HOP = "VirtualNetworkGateway"


@rule("AC207", "gateway-routes-not-propagated", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    onprem = ctx.config.onprem_prefixes
    if not onprem:
        return  # AC105 notes once that the on-premises ranges are not configured
    learners = _gateway_learners(ctx)
    for service in ctx.services:
        vip = service_vip(service, ctx.topology)
        for member in service.members:
            if id_key(member.id) not in learners or transit_links(ctx.topology, member):
                continue
            for subnet in service_subnets(ctx.topology, member, vip):
                table = ctx.topology.route_tables.find(subnet.route_table_id)
                if subnet.route_table_id and table is None:
                    yield _unread_table(service.name, member, subnet)
                    continue
                if table is None or not table.disable_bgp_route_propagation or table.unknown("routes") is not None:
                    continue  # routes a template could not evaluate: AC001 notes them (one finding per cause)
                broken = [_fate(table, prefix) for prefix in onprem]
                lost = [text for text in broken if text]
                if lost:
                    yield _violation(service.name, member, subnet, table, lost, learners[id_key(member.id)])


def _gateway_learners(ctx: RuleContext) -> dict[str, str]:
    """VNet key -> where it would learn on-premises routes from: a gateway (its own or its hub's through
    gateway transit) or a virtual hub it is connected to."""
    found: dict[str, str] = {}
    gateways: dict[str, VirtualNetworkGateway | None] = {}  # looked up once per gateway, not once per route
    for route in ctx.routing.routes:
        if route.gateway_id not in gateways:
            gateways[route.gateway_id] = ctx.topology.vnet_gateways.find(route.gateway_id)
        gateway = gateways[route.gateway_id]
        if gateway is not None:
            for member in route.members:
                found.setdefault(id_key(member), gateway.label)
    for connection in ctx.topology.hub_connections.values():
        if connection.remote_vnet_id:
            hub = ctx.topology.virtual_hubs.find(connection.hub_id)
            found.setdefault(id_key(connection.remote_vnet_id), hub.label if hub else "its virtual hub")
    return found


def _fate(table: RouteTable, prefix: IPNetwork) -> str | None:
    """What happens to replies towards an on-premises range, or None when a route carries them."""
    decision = route_for(table, prefix)
    if decision.route is not None:
        if decision.route.next_hop_type in BROKEN_HOPS:
            return f"{prefix}: route '{decision.route.name}' sends them to {decision.route.next_hop_type}"
        if decision.route.next_hop_type == GATEWAY_HOP:
            return (
                f"{prefix}: route '{decision.route.name}' names next hop {GATEWAY_HOP}, which cannot be an ExpressRoute "
                "gateway (with ExpressRoute, custom routes come from BGP)"
            )
        return None
    system = next((p for p in SYSTEM_NONE if p.version == prefix.version and covers(p, prefix)), None)
    if system is not None:
        return f"{prefix}: Azure's system route {system} -> None drops them"
    return f"{prefix}: Azure's default route 0.0.0.0/0 -> Internet takes them"


def _violation(
    service: str, member: VirtualNetwork, subnet: Subnet, table: RouteTable, lost: list[str], learner: str
) -> Violation:
    return Violation(
        f"subnet '{member.name}/{subnet.name}' of member '{member.name}' (service '{service}') uses route table "
        f"'{table.name}' with propagate gateway routes off (disableBgpRoutePropagation: true), so it does not learn "
        f"the on-premises routes of {learner}, and replies to on-premises are lost — {'; '.join(lost)}. Queries "
        "arrive over ExpressRoute, answers never return. Turn propagation on (an ExpressRoute gateway cannot be a "
        "user-defined route's next hop), or route each on-premises range to a firewall or NVA that forwards it",
        subnet.id,
        subnet.origin,
        f"{id_key(table.id)}",
        (Related(f"route table '{table.name}'", table.origin, table.id),),
        fix=propagate_gateway_routes(table),
    )


def _unread_table(service: str, member: VirtualNetwork, subnet: Subnet) -> Violation:
    """The subnet names a route table the input does not hold: whether it drops the gateway's routes is unknown."""
    return undecided(
        f"cannot tell whether subnet '{member.name}/{subnet.name}' of member '{member.name}' (service '{service}') "
        f"learns the gateway's on-premises routes: its route table {subnet.route_table_id} is not in the input",
        subnet.id,
        subnet.origin,
        f"{id_key(subnet.route_table_id or '')}|not-in-input",
        f"include route table {subnet.route_table_id} in the input",
    )


def propagate_gateway_routes(table: RouteTable) -> Fix:
    """AC207: the member subnet's table learns the gateway's routes again (an ExpressRoute gateway cannot be
    a user-defined route's next hop, so propagation is the fix; a firewall route is the user's alternative)."""
    return Fix(
        f"turn propagate gateway routes on for route table '{table.name}' (disableBgpRoutePropagation: false)",
        az=az("az resource update", ids=table.id, set="properties.disableBgpRoutePropagation=false"),
        terraform=resource(
            "azurerm_route_table",
            table.name,
            ("name", table.name),
            ("resource_group_name", resource_group(table.id)),
            ("location", table.region or "<region>"),
            ("bgp_route_propagation_enabled", True),
        ).text(),
        arm=arm_property("Microsoft.Network/routeTables", table.name, {"disableBgpRoutePropagation": False}),
        edits=(
            Edit(
                table.origin,
                (Change(SET, ("disableBgpRoutePropagation",), False),),
                (Change(SET, ("properties", "disableBgpRoutePropagation"), False),),
            ),
        ),
    )

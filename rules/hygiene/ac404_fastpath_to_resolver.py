"""AC404 fastpath-to-resolver: FastPath on a connection that carries on-premises traffic to a DNS Private Resolver.

Documented ("About ExpressRoute FastPath", Limitations, learn.microsoft.com/azure/expressroute/about-fastpath):
"Azure ExpressRoute FastPath does not support connectivity to DNS Private Resolver." A gateway connection
with `expressRouteGatewayBypass` that advertises an anycast member hosting a resolver inbound endpoint is
therefore outside what Microsoft supports. What the data path then does (falls back to the gateway, or
drops) is not documented: the finding is a note naming the source, not a prediction. An input that holds no
resolver inbound endpoints cannot tell whether the members host one: a note says so.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.snippets import arm_property, az, resource
from anycast_lint.model.coverage import holds_no
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import ExpressRouteConnection, GatewayConnection, InboundEndpoint, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule

SOURCE = "'About ExpressRoute FastPath', Limitations: FastPath does not support connectivity to DNS Private Resolver"


@rule("AC404", "fastpath-to-resolver", Level.NOTE)
def check(ctx: RuleContext) -> Iterator[Violation]:
    connections: list[GatewayConnection | ExpressRouteConnection] = [
        *ctx.topology.gateway_connections.values(),
        *ctx.topology.er_connections.values(),
    ]
    for connection in connections:
        if not connection.express_route_gateway_bypass or connection.gateway_id is None:
            continue
        members = _resolver_members(ctx, connection.gateway_id, connection.circuit_id or "")
        if not members and ctx.topology.coverage.missing("inbound_endpoints"):
            carried = _anycast_members(ctx, connection.gateway_id, connection.circuit_id or "")
            if carried:
                yield undecided(
                    f"{connection.label} has FastPath on (expressRouteGatewayBypass) and carries anycast members "
                    f"{', '.join(carried)}: cannot tell whether they host a DNS Private Resolver, which FastPath does "
                    f"not support ({SOURCE}): {holds_no(['inbound_endpoints'])}",
                    connection.id,
                    connection.origin,
                    f"{id_key(connection.id)}|not-covered",
                    "include the DNS resolvers and their inbound endpoints in the input",
                )
            continue
        if not members:
            continue
        names = ", ".join(f"'{vnet.name}' (resolver inbound endpoint '{endpoint.name}')" for vnet, endpoint in members)
        yield Violation(
            f"{connection.label} has FastPath on (expressRouteGatewayBypass) and carries on-premises traffic to anycast "
            f"members hosting a DNS Private Resolver: {names}. Microsoft does not support that ({SOURCE}); what the "
            "data path does then is not documented. Turn FastPath off on this connection, or keep the resolvers "
            "behind a connection without it",
            connection.id,
            connection.origin,
            id_key(connection.id),
            tuple(Related(f"resolver inbound endpoint '{e.name}'", e.origin, e.id) for _, e in members),
            fix=fastpath_off(connection),
        )


def _resolver_members(
    ctx: RuleContext, gateway_id: str, circuit_id: str
) -> list[tuple[VirtualNetwork, InboundEndpoint]]:
    """Anycast members advertised through this gateway to this circuit that hold a resolver inbound endpoint."""
    found: dict[str, tuple[VirtualNetwork, InboundEndpoint]] = {}
    for route in ctx.routing.via(gateway_id, circuit_id):
        for member in route.members:
            vnet = ctx.topology.virtual_networks.find(member)
            if vnet is None or ctx.services.of(vnet.id) is None or id_key(vnet.id) in found:
                continue
            endpoint = next((o for _, _, o in ctx.topology.addresses_in(vnet) if isinstance(o, InboundEndpoint)), None)
            if endpoint is not None:
                found[id_key(vnet.id)] = (vnet, endpoint)
    return sorted(found.values(), key=lambda pair: pair[0].name)


def _anycast_members(ctx: RuleContext, gateway_id: str, circuit_id: str) -> list[str]:
    """Names of the anycast members whose routes reach the circuit through this gateway."""
    names = {
        f"'{vnet.name}'"
        for route in ctx.routing.via(gateway_id, circuit_id)
        for member in route.members
        if (vnet := ctx.topology.virtual_networks.find(member)) is not None and ctx.services.of(vnet.id) is not None
    }
    return sorted(names)


def fastpath_off(connection: GatewayConnection | ExpressRouteConnection) -> Fix:
    """AC404: FastPath off on the connection that carries on-premises traffic to the resolvers."""
    design_a = isinstance(connection, GatewayConnection)
    return Fix(
        f"turn FastPath off on {connection.label} (expressRouteGatewayBypass: false)",
        az=az("az resource update", ids=connection.id, set="properties.expressRouteGatewayBypass=false"),
        terraform=resource(
            "azurerm_virtual_network_gateway_connection" if design_a else "azurerm_express_route_connection",
            connection.name,
            ("name", connection.name),
            ("express_route_gateway_bypass" if design_a else "express_route_gateway_bypass_enabled", False),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/connections"
            if design_a
            else "Microsoft.Network/expressRouteGateways/expressRouteConnections",
            connection.name,
            {"expressRouteGatewayBypass": False},
        ),
        edits=(
            Edit(
                connection.origin,
                (Change(SET, ("expressRouteGatewayBypass",), False),),
                (Change(SET, ("properties", "expressRouteGatewayBypass"), False),),
            ),
        ),
    )

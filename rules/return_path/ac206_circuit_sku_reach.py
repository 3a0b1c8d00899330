"""AC206 circuit-sku-reach: a gateway is linked to a circuit whose SKU does not reach the gateway's region.

Documented (ExpressRoute FAQ, "What is the connectivity scope for different ExpressRoute circuit SKUs?" and
"What is ExpressRoute Local?"; "ExpressRoute peering locations and connectivity partners"): a Local circuit
reaches only the Azure regions local to its peering location, a Standard circuit the regions of its peering
location's geopolitical region ("Connectivity across geopolitical regions isn't supported on the standard
ExpressRoute SKU"), a Premium circuit every region. The locations, their geopolitical regions and Local
regions come from data/expressroute_locations.json (lint/locations.py). What the data cannot place — a
peering location or region it does not list, a circuit whose SKU is not in the input when only Premium
would do — is a note naming the unknown, never a guess.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.snippets import az, block, resource, resource_group
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.locations import location_key, locations
from anycast_lint.model.topology import ExpressRouteCircuit, Resource
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule

SOURCE = "ExpressRoute FAQ, connectivity scope of circuit SKUs; peering locations from expressroute-locations-providers"


@rule("AC206", "circuit-sku-reach", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for connection, circuit, region, gateway in _links(ctx):
        yield from _check_link(ctx, connection, circuit, region, gateway)


def _links(ctx: RuleContext) -> Iterator[tuple[Resource, ExpressRouteCircuit, str | None, str]]:
    """(connection, circuit, region of the linked gateway, gateway label) for every gateway-circuit link."""
    topology = ctx.topology
    for connection in topology.gateway_connections.values():
        circuit = topology.circuits.find(connection.circuit_id)
        gateway = topology.vnet_gateways.find(connection.gateway_id)
        if circuit is None or gateway is None:
            continue
        vnet = topology.virtual_networks.find(gateway.vnet_id)
        yield connection, circuit, gateway.region or (vnet.region if vnet else None), gateway.label
    for er_connection in topology.er_connections.values():
        circuit = topology.circuits.find(er_connection.circuit_id)
        er_gateway = topology.er_gateways.find(er_connection.gateway_id)
        if circuit is None or er_gateway is None:
            continue
        hub = topology.virtual_hubs.find(er_gateway.hub_id)
        yield er_connection, circuit, er_gateway.region or (hub.region if hub else None), er_gateway.label


def _check_link(
    ctx: RuleContext, connection: Resource, circuit: ExpressRouteCircuit, region: str | None, gateway: str
) -> Iterator[Violation]:
    tier = (circuit.sku_tier or "").capitalize() or None
    if tier == "Premium" or region is None:
        return
    where = circuit.peering_location
    data = locations()
    link = f"{connection.label} links {gateway} ({region}) to circuit '{circuit.name}'"
    if where is None or not data.known(where):
        said = (
            f"peering location {where!r} is not in"
            if where
            else "the circuit's peering location is not in the input, nor"
        )
        yield _note(
            connection,
            circuit,
            f"{link}: {said} Microsoft's locations table, so whether the {tier or 'circuit'} SKU reaches {region} is unknown",
        )
        return
    local = data.local_regions(where) or ()
    location_geo, region_geo = data.geo_of_location(where), data.geo_of_region(region)
    if location_key(region) in local:
        return  # every SKU reaches the location's local region
    if tier == "Local":
        reach = ", ".join(local) or "none (ExpressRoute Local is not offered there)"
        yield _finding(
            ctx,
            connection,
            circuit,
            f"{link}: a Local circuit reaches only the regions local to {where} ({reach})",
            "Standard" if region_geo and region_geo == location_geo else "Premium",
        )
        return
    if region_geo is None or location_geo is None:
        missing = region if region_geo is None else where
        yield _note(
            connection,
            circuit,
            f"{link}: Microsoft's geopolitical table does not place {missing}, so whether a {tier or 'circuit of unknown SKU'} reaches it is unknown",
        )
        return
    if region_geo == location_geo:
        return
    if tier is None:
        yield _note(
            connection,
            circuit,
            f"{link}: {region} is in {region_geo}, {where} in {location_geo}; only a Premium circuit reaches across geopolitical regions, and the circuit's SKU is not in the input",
        )
        return
    yield _finding(
        ctx,
        connection,
        circuit,
        f"{link}: a {tier} circuit reaches only the regions of its peering location's geopolitical region "
        f"({where}: {location_geo}), and {region} is in {region_geo}",
        "Premium",
    )


def _members_behind(ctx: RuleContext, connection: Resource, circuit: ExpressRouteCircuit) -> list[str]:
    """Anycast members whose routes reach the circuit through this connection (its own routes only: walking
    every route, every service and its members per finding took 0.75 s for 20 findings at 10,000 VNets)."""
    gateway_id = getattr(connection, "gateway_id", None) or ""
    names = {
        f"'{vnet.name}' (service '{service.name}')"
        for route in ctx.routing.via(gateway_id, circuit.id)
        for member in route.members
        for service in ctx.services.memberships(member)
        if (vnet := ctx.topology.virtual_networks.find(member)) is not None
    }
    return sorted(names)


def _finding(ctx: RuleContext, connection: Resource, circuit: ExpressRouteCircuit, text: str, needed: str) -> Violation:
    members = _members_behind(ctx, connection, circuit)
    behind = (
        f"; anycast members behind it are not reached through '{circuit.name}': {', '.join(members)}" if members else ""
    )
    return Violation(
        f"{text} ({SOURCE}){behind}. Upgrade the circuit to {needed}, or link a circuit in the gateway's "
        "geopolitical region",
        connection.id,
        connection.origin,
        f"{id_key(circuit.id)}|{needed}",
        fix=circuit_tier(circuit, needed),
    )


def _note(connection: Resource, circuit: ExpressRouteCircuit, text: str) -> Violation:
    return undecided(
        f"{text} ({SOURCE})",
        connection.id,
        connection.origin,
        f"{id_key(circuit.id)}|unknown",
        f"give the peering location of circuit '{circuit.name}' and the gateway's region in the input",
    )


def circuit_tier(circuit: ExpressRouteCircuit, tier: str) -> Fix:
    """AC206: the circuit's SKU tier must reach the gateway's region (Local < Standard < Premium)."""
    group = resource_group(circuit.id)
    return Fix(
        f"upgrade circuit '{circuit.name}' to the {tier} tier",
        az=az("az network express-route update", resource_group=group, name=circuit.name, sku_tier=tier),
        terraform=resource(
            "azurerm_express_route_circuit",
            circuit.name,
            ("name", circuit.name),
            ("resource_group_name", group),
            ("location", circuit.region or "<region>"),
            ("sku", block("sku", ("tier", tier), ("family", "<MeteredData or UnlimitedData, as now>"))),
        ).text(),
        arm=json.dumps(
            {"type": "Microsoft.Network/expressRouteCircuits", "name": circuit.name, "sku": {"tier": tier}}, indent=2
        ),
        edits=(Edit(circuit.origin, (Change(SET, ("skuTier",), tier),), (Change(SET, ("sku", "tier"), tier),)),),
    )

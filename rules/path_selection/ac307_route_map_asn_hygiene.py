"""AC307 route-map-asn-hygiene: a route map prepends an ASN the edge refuses, or one on-premises never sees.

Documented ("About Route-maps for virtual hubs", considerations and limitations): do not prepend ASNs
reserved by Azure (8074, 8075, 12076, 65515, 65517-65520; the routing requirements reserve 65515-65520),
do not prepend private ASNs ("the same applies for ExpressRoute private peerings"), and route maps take
2-byte ASNs only. What follows from each, as the routing model encodes it (see routing/asns.py):

- a reserved ASN: the edge does not accept the route through that connection (12076 is the edge's own
  ASN, so BGP loop prevention drops it; for the others the page's "do not use" is all Microsoft says, and
  the model treats them alike). The region is then reached through another hub, if at all — an error;
- a private ASN: the edge honours it (`65515 65001` loses to `65515`), but private ASNs are removed
  towards on-premises (observed for 65515 in the field report), so with several circuits or on-premises
  multipath the prepend that was meant to rank regions is invisible where the choice is made — a warning;
- an ASN above 65535: not supported by route maps — an error.

A connection that names a route map the input does not hold gets a note: what the map does is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.snippets import arm_property, az, block, resource
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import (
    ExpressRouteConnection,
    HubVirtualNetworkConnection,
    RouteMap,
    RouteMapAction,
    RouteMapRule,
)
from anycast_lint.routing import Refused
from anycast_lint.routing.asns import TWO_BYTE_MAX, is_private, is_reserved, onprem_path, path_text
from anycast_lint.rules._common import undecided
from anycast_lint.rules.path_selection._shared import member_name, services_with_vip
from anycast_lint.rules.registry import rule

RESERVED_TEXT = "Azure reserves 8074, 8075, 12076 and 65515-65520 (route-maps-about; expressroute-routing)"
FIX = "prepend a 2-byte public ASN your organisation holds instead"


@rule("AC307", "route-map-asn-hygiene", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    yield from _unread_maps(ctx)
    circuits = len(ctx.topology.circuits)
    multipath = ctx.config.onprem_multipath
    for route_map in ctx.topology.route_maps.values():
        for map_rule in route_map.rules:
            for action in map_rule.actions:
                if action.type not in ("Add", "Replace") or not action.as_paths:
                    continue
                for text in dict.fromkeys(action.as_paths):
                    asn = int(text)
                    if is_reserved(asn):
                        yield _reserved(ctx, route_map, map_rule, action, asn)
                    elif asn > TWO_BYTE_MAX:
                        yield _violation(
                            route_map,
                            map_rule,
                            action,
                            asn,
                            f"puts {asn} into the AS path, but route maps support 2-byte ASNs only (route-maps-about); "
                            f"{FIX}",
                        )
                    elif is_private(asn) and (circuits > 1 or multipath):
                        yield _private(route_map, map_rule, action, asn, circuits, multipath)


def _where(route_map: RouteMap, map_rule: RouteMapRule) -> str:
    return f"route map '{route_map.name}' rule '{map_rule.name}'"


def _violation(
    route_map: RouteMap,
    map_rule: RouteMapRule,
    action: RouteMapAction,
    asn: int,
    text: str,
    level: Level | None = None,
    related: tuple[Related, ...] = (),
) -> Violation:
    return Violation(
        f"{_where(route_map, map_rule)} {text}",
        route_map.id,
        action.origin,
        f"{map_rule.name}|{asn}",
        related,
        level=level,
        fix=route_map_without_asn(route_map, route_map.rules.index(map_rule), map_rule.actions.index(action), asn),
    )


def _reserved(
    ctx: RuleContext, route_map: RouteMap, map_rule: RouteMapRule, action: RouteMapAction, asn: int
) -> Violation:
    refused = [r for r in ctx.routing.refused if any(id_key(m) == id_key(route_map.id) for _, m in r.reserved)]
    why = "the ExpressRoute edge's own ASN, so BGP loop prevention drops" if asn == 12076 else "so the edge refuses"
    text = (
        f"prepends {asn}, {why} every route it changes (documented: {RESERVED_TEXT})"
        + (_consequences(ctx, refused) if refused else "; it changes no route that reaches a circuit now")
        + f". Remove {asn} from the route map; to rank regions, {FIX}"
    )
    related = tuple(
        Related(f"applied to ExpressRoute connection '{c.name}'", c.origin, c.id)
        for c in ctx.topology.er_connections.values()
        if id_key(c.routing.outbound_route_map_id or "") == id_key(route_map.id)
    )
    return _violation(route_map, map_rule, action, asn, text, related=related)


def _consequences(ctx: RuleContext, refused: list[Refused]) -> str:
    """What the edge loses: the refused prefixes per connection, and where each affected member's VIP goes."""
    lost: dict[tuple[str, str], list[str]] = {}
    for route in refused:
        if route.remote:
            continue  # a route from another hub: that hub's own connection still advertises it
        connection = ctx.topology.er_connections.find(route.connection_id)
        circuit = ctx.topology.circuits.find(route.circuit_id)
        key = (circuit.name if circuit else route.circuit_id, connection.name if connection else route.connection_id)
        lost.setdefault(key, []).append(f"{route.prefix} (AS path {path_text(route.as_path)})")
    parts = [f"circuit '{c}' refuses {', '.join(dict.fromkeys(p))} from '{conn}'" for (c, conn), p in lost.items()]
    outcomes = []
    for service, vip in services_with_vip(ctx):
        for route in refused:
            members = [m for m in route.members if service.has_member(m)] if not route.remote else []
            for member in members:
                other = ctx.routing.route_to(route.circuit_id, vip, {id_key(member)})
                circuit = ctx.topology.circuits.find(route.circuit_id)
                where = f"circuit '{circuit.name if circuit else route.circuit_id}'"
                outcomes.append(
                    f"member {member_name(ctx, member)} of service '{service.name}' is not reached from {where}"
                    if other is None
                    else f"member {member_name(ctx, member)} of service '{service.name}' is reached from {where} "
                    f"only through {other.gateway_label} ({other.path_text})"
                )
    return (": " + "; ".join(parts) if parts else "") + (
        ", so " + "; ".join(dict.fromkeys(outcomes)) if outcomes else ""
    )


def _private(
    route_map: RouteMap, map_rule: RouteMapRule, action: RouteMapAction, asn: int, circuits: int, multipath: bool
) -> Violation:
    edge = (65515, asn)
    involved = []
    if circuits > 1:
        involved.append(f"{circuits} circuits")
    if multipath:
        involved.append("on-premises multipath (onprem.multipath: true)")
    text = (
        f"prepends private ASN {asn}: the edge honours it ({path_text(edge)} loses to 65515), but private ASNs are "
        f"removed towards on-premises, which receives {path_text(onprem_path(edge))} either way (observed for "
        f"65515 in the field report; route-maps-about: do not prepend private ASNs). With "
        f"{' and '.join(involved)}, on-premises routers compare paths that look equal; {FIX}, or rank the "
        "regions on premises (local preference per circuit, or matched on the regional BGP community)"
    )
    return _violation(route_map, map_rule, action, asn, text, Level.WARNING)


def _unread_maps(ctx: RuleContext) -> Iterator[Violation]:
    """A connection that names a route map the input does not hold: its actions are unknown, so the AS paths
    predicted through that connection may be wrong; say so instead of predicting them as if it were empty."""
    topology = ctx.topology
    connections: list[HubVirtualNetworkConnection | ExpressRouteConnection] = [
        *topology.hub_connections.values(),
        *topology.er_connections.values(),
    ]
    for connection in connections:
        for direction, map_id in (
            ("inbound", connection.routing.inbound_route_map_id),
            ("outbound", connection.routing.outbound_route_map_id),
        ):
            if not map_id or topology.route_maps.find(map_id) is not None:
                continue
            yield undecided(
                f"cannot check route map '{id_name(map_id)}' ({direction} on {connection.label}): it is not in the "
                "input, so the AS paths and communities predicted through this connection leave its actions out",
                connection.id,
                connection.routing.origin,
                f"{id_key(map_id)}|{direction}|not-in-input",
                f"include route map {map_id} in the input",
            )


def route_map_without_asn(route_map: RouteMap, rule_index: int, action_index: int, asn: int) -> Fix:
    """AC307: take the ASN out of the rule's action; the ASN to prepend instead is the user's (one they hold)."""
    hub = id_name(route_map.hub_id)
    rule = route_map.rules[rule_index]
    action = rule.actions[action_index]
    kept = [a for a in action.as_paths if a != str(asn)] or ["<2-byte public ASN you hold>"]
    where = f"rules[{rule_index}].actions[{action_index}].parameters[0].asPath"
    return Fix(
        f"in route map '{hub}/{route_map.name}' rule '{rule.name}', prepend {' '.join(kept)} instead of {asn}",
        az=az("az resource update", ids=route_map.id, set=f"properties.{where}={json.dumps(kept)}"),
        terraform=resource(
            "azurerm_route_map",
            route_map.name,
            ("name", route_map.name),
            ("virtual_hub_id", route_map.hub_id),
            (
                "rule",
                block(
                    "rule",
                    ("name", rule.name),
                    ("next_step_if_matched", rule.next_step),
                    (
                        "action",
                        block("action", ("type", action.type), ("parameter", block("parameter", ("as_path", kept)))),
                    ),
                ),
            ),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/virtualHubs/routeMaps",
            f"{hub}/{route_map.name}",
            {"rules": [{"name": rule.name, "actions": [{"type": action.type, "parameters": [{"asPath": kept}]}]}]},
        ),
    )

"""AC203 static-route-not-propagated: the member's static route must reach what ExpressRoute learns from.

A static route on a hub connection only becomes a BGP route toward the circuit when the connection
propagates static routes (`propagateStaticRoutes`) into a route table that the hub's ExpressRoute
connection is associated with (by table id or label; the label `default` spans every hub of the WAN).

A design may instead put a static route in the hub route table itself, next hop the transit connection
("option 2" of "Static routes in Virtual WAN", learn.microsoft.com/azure/virtual-wan/static-routes): a
supported way to reach indirect spokes, but Microsoft does not document whether the hub advertises it to
ExpressRoute. Then the finding is a note that says so, not an error.

A hub with routing intent (a private traffic policy) advertises its own connections' VNets and static routes
whatever the labels and tables say (routing/intent.py): propagation targets do not matter there, and a hub
route table static route to a VNet connection ("option 2") cannot be used with routing intent at all (the
routing-policies page): an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.design_facts import covering_static_routes
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.builders import PROPAGATE_ARM, advice, connection_az, connection_tf
from anycast_lint.fixes.snippets import arm_property
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import HubVirtualNetworkConnection
from anycast_lint.routing.advertise import label_index, propagated_labels, propagation_targets
from anycast_lint.routing.hub_static import NOT_DOCUMENTED, option_two_to, table_static_routes
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule
from anycast_lint.rules.return_path._shared import indirect_members


@rule("AC203", "static-route-not-propagated", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    learned_from = {
        id_key(c.routing.associated_route_table_id): c
        for c in topology.er_connections.values()
        if c.routing.associated_route_table_id and c.circuit_id
    }
    by_label = label_index(topology)  # once each: building them per hub connection walked every route table
    statics = table_static_routes(topology)
    for _service, _vip, link in indirect_members(ctx):
        member = link.member
        for connection in link.connections:
            routes = [r for p in member.address_prefixes for r in covering_static_routes(connection, p)]
            if not routes:
                continue  # AC202
            route = routes[0]
            evidence = f"{id_key(member.id)}|{id_key(connection.id)}"
            flag = connection.routing.propagate_static_routes
            hub = topology.virtual_hubs.find(connection.hub_id)
            intent = hub is not None and hub.private_intent  # the hub advertises its own connections (intent.py)
            targets = propagation_targets(topology, connection, by_label)
            propagated = flag is True and (intent or bool(targets & set(learned_from)))
            option_two = option_two_to(topology, (connection,), member.address_prefixes, statics)
            if option_two and intent and hub is not None:
                yield Violation(
                    f"{option_two[0].label} sends member '{member.name}' to the transit connection ('option 2'), but "
                    f"hub '{hub.name}' has routing intent: a hub route table static route to a VNet connection cannot "
                    "be used with routing intent (How to configure Virtual WAN Hub routing intent and routing "
                    f"policies). Use static route '{route.name}' on '{connection.name}' (option 1), which the newer "
                    "'Configure static routes in a virtual hub' page calls compatible with routing intent hubs",
                    connection.id,
                    option_two[0].route.origin,
                    evidence + "|intent",
                    fix=advice(
                        f"remove the hub route table route and keep static route '{route.name}' on '{connection.name}' with propagateStaticRoutes true"
                    ),
                )
                continue
            if option_two and not propagated:
                yield undecided(
                    f"whether member '{member.name}' reaches a circuit is unknown: {option_two[0].label} sends it to "
                    f"the transit connection (Virtual WAN static routes, 'option 2'), and {NOT_DOCUMENTED}. Static "
                    f"route '{route.name}' on '{connection.name}' with propagateStaticRoutes true ('option 1') is "
                    f"the documented way",
                    connection.id,
                    option_two[0].route.origin,
                    evidence,
                    f"use static route '{route.name}' on '{connection.name}' with propagateStaticRoutes true (option 1) instead of the hub route table route",
                )
                continue
            if flag is None:
                yield Violation(
                    f"propagateStaticRoutes is not set on hub connection '{connection.name}': whether static route "
                    f"'{route.name}' for '{member.name}' reaches the circuits is unknown. Set it to true explicitly",
                    connection.id,
                    connection.routing.origin,
                    evidence,
                    unknown=True,
                    fix=propagate_static_routes(connection),
                )
                continue
            if flag is False:
                yield Violation(
                    f"static route '{route.name}' for member '{member.name}' on hub connection '{connection.name}' is "
                    f"not propagated (propagateStaticRoutes: false): the hub keeps it to itself and never advertises "
                    f"{', '.join(map(str, route.address_prefixes))} to ExpressRoute. Set propagateStaticRoutes to true",
                    connection.id,
                    connection.routing.propagate_origin or connection.routing.origin,
                    evidence,
                    fix=propagate_static_routes(connection),
                )
                continue
            if not learned_from or intent:
                continue  # no ExpressRoute connection at all (AC204 says so), or routing intent advertises it
            if targets & set(learned_from):
                continue
            tables = ", ".join(sorted({id_name(t) for t in connection.routing.propagated_route_table_ids}))
            labels = ", ".join(propagated_labels(connection))
            wanted = ", ".join(
                sorted({id_name(c.routing.associated_route_table_id or "") for c in learned_from.values()})
            )
            yield Violation(
                f"hub connection '{connection.name}' propagates static route '{route.name}' for member '{member.name}' "
                f"to route tables [{tables}] and labels [{labels}], but the ExpressRoute connections learn from "
                f"[{wanted}]: the route never reaches a circuit. Propagate to {wanted} (or its label)",
                connection.id,
                connection.routing.origin,
                evidence,
                fix=advice(f"propagate '{connection.name}' to the route table {wanted} (or its label)"),
            )


def propagate_static_routes(connection: HubVirtualNetworkConnection) -> Fix:
    """AC203: the hub advertises the connection's static routes only with propagateStaticRoutes."""
    hub = id_name(connection.hub_id)
    return Fix(
        f"set propagateStaticRoutes to true on hub connection '{hub}/{connection.name}'",
        az=connection_az(
            connection, set="properties.routingConfiguration.vnetRoutes.staticRoutesConfig.propagateStaticRoutes=true"
        ),
        terraform=connection_tf(connection, ("static_vnet_propagate_static_routes_enabled", True)),
        arm=arm_property(
            "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            f"{hub}/{connection.name}",
            {"routingConfiguration": {"vnetRoutes": {"staticRoutesConfig": {"propagateStaticRoutes": True}}}},
        ),
        edits=(
            Edit(
                connection.origin,
                (Change(SET, ("routingConfiguration", "propagateStaticRoutes"), True),),
                (Change(SET, PROPAGATE_ARM, True),),
            ),
        ),
    )

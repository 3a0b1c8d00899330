"""Virtual WAN: hubs and what nests in them (route tables, connections, route maps, routing intent,
the ExpressRoute gateway)."""

from __future__ import annotations

from typing import Any

from anycast_lint.model.ids import id_key, network_id
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    DEFAULT_HUB_TABLES,
    ROUTE_MAP_PROPERTIES,
    ExpressRouteConnection,
    ExpressRouteGateway,
    HubRoute,
    HubRouteTable,
    HubVirtualNetworkConnection,
    MatchCriterion,
    RouteMap,
    RouteMapAction,
    RouteMapRule,
    RoutingConfiguration,
    RoutingIntent,
    StaticRoute,
    VirtualHub,
    VirtualWan,
)
from anycast_lint.model.values import parse_asn, parse_ip, parse_prefix
from anycast_lint.sources.native.core import BuilderCore


class WanFamily(BuilderCore):
    """Builds `virtualWans` and `virtualHubs` with everything nested in them."""

    def wan(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("wan", index)
        self.builder.add(VirtualWan(id=resource_id, name=entry["name"], origin=origin, region=region))

    def hub(self, index: int) -> None:
        entry, origin, resource_id, region = self.common("hub", index)
        hub_name = entry["name"]
        tables = self.hub_route_tables(resource_id, entry, origin)
        for table in tables:
            self.builder.add(table)
        connections = [
            self.hub_connection(resource_id, hub_name, conn, origin.child("virtualNetworkConnections", c_index))
            for c_index, conn in enumerate(entry.get("virtualNetworkConnections", []))
        ]
        for connection in connections:
            self.builder.add(connection)
        er_gateway_id = None
        er_connections: list[ExpressRouteConnection] = []
        if "expressRouteGateway" in entry:
            er_gateway_id, er_connections = self.er_gateway(resource_id, hub_name, entry, region, origin)
        routings = [c.routing for c in connections] + [c.routing for c in er_connections]
        owners = [c.id for c in connections] + [c.id for c in er_connections]
        for m_index, route_map in enumerate(entry.get("routeMaps", [])):
            map_id = f"{resource_id}/routeMaps/{route_map['name']}"
            inbound = tuple(o for o, r in zip(owners, routings, strict=True) if _same(r.inbound_route_map_id, map_id))
            outbound = tuple(o for o, r in zip(owners, routings, strict=True) if _same(r.outbound_route_map_id, map_id))
            self.builder.add(
                self.route_map(resource_id, route_map, origin.child("routeMaps", m_index), inbound, outbound)
            )
        self.builder.add(
            VirtualHub(
                id=resource_id,
                name=hub_name,
                origin=origin,
                region=region,
                wan_id=self.ref("wan", entry["virtualWan"], origin.child("virtualWan")),
                address_prefix=parse_prefix(entry["addressPrefix"], origin.child("addressPrefix")),
                router_asn=entry.get("virtualRouterAsn", 65515),
                router_ips=tuple(
                    parse_ip(ip, origin.child("virtualRouterIps", i))
                    for i, ip in enumerate(entry.get("virtualRouterIps", []))
                ),
                er_gateway_id=er_gateway_id,
                firewall_id=self.hub_firewalls.get(id_key(resource_id)),
                hub_routing_preference=entry.get("hubRoutingPreference"),
                routing_intent=self.routing_intent(resource_id, entry, origin),
            )
        )

    def routing_intent(self, hub_id: str, entry: dict[str, Any], origin: Origin) -> RoutingIntent | None:
        """`routingIntent.routingPolicies`, as ARM writes them; a next hop names a firewall or an NVA."""
        if "routingIntent" not in entry:
            return None
        body, at = entry["routingIntent"], origin.child("routingIntent")
        hops: dict[str, str] = {}
        for index, policy in enumerate(body["routingPolicies"]):
            value, where = policy["nextHop"], at.child("routingPolicies", index, "nextHop")
            kind = "nva" if any(n.lower() == value.lower() for n in self.names.by_kind.get("nva", {})) else "firewall"
            next_hop = self.ref(kind, value, where)
            for destination in policy["destinations"]:
                hops[destination] = next_hop
        name = body.get("name", "intent")
        return RoutingIntent(
            f"{hub_id}/routingIntent/{name}", name, at, hops.get("PrivateTraffic"), hops.get("Internet")
        )

    def hub_route_tables(self, hub_id: str, entry: dict[str, Any], origin: Origin) -> list[HubRouteTable]:
        tables = []
        # A route's next hop may name one of this hub's VNet connections ("option 2" static routes): keep its id,
        # as an ARM export does.
        connections = {
            c["name"]: f"{hub_id}/hubVirtualNetworkConnections/{c['name']}"
            for c in entry.get("virtualNetworkConnections", [])
        }
        for t_index, table in enumerate(entry.get("routeTables", [])):
            t_origin = origin.child("routeTables", t_index)
            routes = tuple(
                HubRoute(
                    name=route["name"],
                    origin=t_origin.child("routes", r_index),
                    destination_type=route.get("destinationType", "CIDR"),
                    destinations=tuple(route["destinations"]),
                    next_hop_type=route.get("nextHopType", "ResourceId"),
                    next_hop=connections.get(route["nextHop"], route["nextHop"]),
                )
                for r_index, route in enumerate(table.get("routes", []))
            )
            tables.append(
                HubRouteTable(
                    id=f"{hub_id}/hubRouteTables/{table['name']}",
                    name=table["name"],
                    origin=t_origin,
                    hub_id=hub_id,
                    labels=tuple(table.get("labels", [])),
                    routes=routes,
                )
            )
        declared = {t.name.lower() for t in tables}
        for table_name, label in DEFAULT_HUB_TABLES:
            if table_name.lower() not in declared:
                tables.append(
                    HubRouteTable(
                        id=f"{hub_id}/hubRouteTables/{table_name}",
                        name=table_name,
                        origin=origin,
                        hub_id=hub_id,
                        labels=(label,),
                    )
                )
        return tables

    def routing(self, hub_id: str, hub_name: str, entry: dict[str, Any], origin: Origin) -> RoutingConfiguration:
        """Routing with Azure's defaults: associated with and propagating to defaultRouteTable."""
        config = entry.get("routingConfiguration", {})
        c_origin = origin.child("routingConfiguration")
        default_table = f"{hub_id}/hubRouteTables/defaultRouteTable"
        associated = (
            self.hub_child_ref(
                "hubRouteTable",
                hub_name,
                config["associatedRouteTable"],
                c_origin.child("associatedRouteTable"),
            )
            if "associatedRouteTable" in config
            else default_table
        )
        if "propagatedRouteTables" in config:
            propagated = config["propagatedRouteTables"]
            p_origin = c_origin.child("propagatedRouteTables")
            ids = tuple(
                self.hub_child_ref("hubRouteTable", hub_name, ref, p_origin.child("ids", i))
                for i, ref in enumerate(propagated.get("ids", []))
            )
            labels = tuple(propagated.get("labels", []))
        else:
            ids, labels = (default_table,), ("default",)
        static_routes = []
        for s_index, route in enumerate(config.get("staticRoutes", [])):
            s_origin = c_origin.child("staticRoutes", s_index)
            static_routes.append(
                StaticRoute(
                    name=route["name"],
                    origin=s_origin,
                    address_prefixes=tuple(
                        parse_prefix(p, s_origin.child("addressPrefixes", i))
                        for i, p in enumerate(route["addressPrefixes"])
                    ),
                    next_hop_ip=parse_ip(route["nextHopIpAddress"], s_origin.child("nextHopIpAddress")),
                )
            )
        return RoutingConfiguration(
            origin=c_origin,
            associated_route_table_id=associated,
            propagated_route_table_ids=ids,
            propagated_labels=labels,
            static_routes=tuple(static_routes),
            propagate_static_routes=config.get("propagateStaticRoutes"),
            propagate_origin=c_origin.child("propagateStaticRoutes") if "propagateStaticRoutes" in config else None,
            vnet_local_route_override=config.get("vnetLocalRouteOverrideCriteria"),
            inbound_route_map_id=self.route_map_ref(hub_name, config, "inboundRouteMap", c_origin),
            outbound_route_map_id=self.route_map_ref(hub_name, config, "outboundRouteMap", c_origin),
        )

    def route_map_ref(self, hub_name: str, config: dict[str, Any], key: str, origin: Origin) -> str | None:
        if key not in config:
            return None
        return self.hub_child_ref("routeMap", hub_name, config[key], origin.child(key))

    def hub_connection(
        self, hub_id: str, hub_name: str, entry: dict[str, Any], origin: Origin
    ) -> HubVirtualNetworkConnection:
        return HubVirtualNetworkConnection(
            id=f"{hub_id}/hubVirtualNetworkConnections/{entry['name']}",
            name=entry["name"],
            origin=origin,
            hub_id=hub_id,
            remote_vnet_id=self.ref("vnet", entry["remoteVirtualNetwork"], origin.child("remoteVirtualNetwork")),
            routing=self.routing(hub_id, hub_name, entry, origin),
            enable_internet_security=entry.get("enableInternetSecurity"),
        )

    def er_gateway(
        self, hub_id: str, hub_name: str, hub_entry: dict[str, Any], region: str | None, hub_origin: Origin
    ) -> tuple[str, list[ExpressRouteConnection]]:
        entry = hub_entry["expressRouteGateway"]
        origin = hub_origin.child("expressRouteGateway")
        gateway_id = network_id(
            hub_entry.get("subscription", self.doc.subscription),
            hub_entry.get("resourceGroup", self.doc.resource_group),
            "expressRouteGateways",
            entry["name"],
        )
        connections = []
        for c_index, conn in enumerate(entry.get("connections", [])):
            c_origin = origin.child("connections", c_index)
            circuit_id = self.ref("circuit", conn["circuit"], c_origin.child("circuit"))
            connection = ExpressRouteConnection(
                id=f"{gateway_id}/expressRouteConnections/{conn['name']}",
                name=conn["name"],
                origin=c_origin,
                gateway_id=gateway_id,
                circuit_id=circuit_id,
                circuit_peering_id=f"{circuit_id}/peerings/AzurePrivatePeering",
                routing_weight=conn.get("routingWeight", 0),
                express_route_gateway_bypass=conn.get("expressRouteGatewayBypass", False),
                routing=self.routing(hub_id, hub_name, conn, c_origin),
            )
            connections.append(connection)
            self.builder.add(connection)
        self.builder.add(
            ExpressRouteGateway(
                id=gateway_id,
                name=entry["name"],
                origin=origin,
                region=region,
                hub_id=hub_id,
                instance_ips=tuple(
                    parse_ip(ip, origin.child("instanceIps", i)) for i, ip in enumerate(entry.get("instanceIps", []))
                ),
            )
        )
        return gateway_id, connections

    def route_map(
        self,
        hub_id: str,
        entry: dict[str, Any],
        origin: Origin,
        inbound: tuple[str, ...],
        outbound: tuple[str, ...],
    ) -> RouteMap:
        rules = []
        for r_index, rule in enumerate(entry.get("rules", [])):
            r_origin = origin.child("rules", r_index)
            criteria = tuple(
                MatchCriterion(
                    condition=crit["matchCondition"],
                    origin=r_origin.child("matchCriteria", c_index),
                    route_prefixes=tuple(
                        parse_prefix(p, r_origin.child("matchCriteria", c_index, "routePrefix", i))
                        for i, p in enumerate(crit.get("routePrefix", []))
                    ),
                    communities=tuple(crit.get("community", [])),
                    as_paths=tuple(str(a) for a in crit.get("asPath", [])),
                )
                for c_index, crit in enumerate(rule.get("matchCriteria", []))
            )
            actions = []
            for a_index, action in enumerate(rule.get("actions", [])):
                a_origin = r_origin.child("actions", a_index)
                params = action.get("parameters", [])
                as_paths = []
                for p_index, param in enumerate(params):
                    for i, asn in enumerate(param.get("asPath", [])):
                        as_paths.append(str(parse_asn(asn, a_origin.child("parameters", p_index, "asPath", i))))
                actions.append(
                    RouteMapAction(
                        type=action["type"],
                        origin=a_origin,
                        as_paths=tuple(as_paths),
                        communities=tuple(c for p in params for c in p.get("community", [])),
                        route_prefixes=tuple(
                            parse_prefix(prefix, a_origin.child("parameters", p_index, "routePrefix", i))
                            for p_index, p in enumerate(params)
                            for i, prefix in enumerate(p.get("routePrefix", []))
                        ),
                        properties=tuple(k for k in ROUTE_MAP_PROPERTIES if any(k in p for p in params)),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=rule["name"],
                    origin=r_origin,
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=rule.get("nextStepIfMatched", "Continue"),
                )
            )
        return RouteMap(
            id=f"{hub_id}/routeMaps/{entry['name']}",
            name=entry["name"],
            origin=origin,
            hub_id=hub_id,
            rules=tuple(rules),
            associated_inbound=inbound,
            associated_outbound=outbound,
        )


def _same(left: str | None, right: str) -> bool:
    return left is not None and id_key(left) == id_key(right)

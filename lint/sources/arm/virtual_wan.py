"""Virtual WAN hubs: their route tables, connections, route maps, routing intent and ExpressRoute gateways."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Pointer, SourceDocument
from anycast_lint.model.secrets import SECRETS
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
    UnmodelledRouting,
    VirtualHub,
)
from anycast_lint.model.values import parse_prefix
from anycast_lint.sources.arm.gateways import circuit_of
from anycast_lint.sources.arm.reading import Reader, props, ref
from anycast_lint.sources.arm.shapes import ArmRecord
from anycast_lint.sources.arm.shapes import enum_value as _enum
from anycast_lint.sources.arm.translator_base import NET, TranslatorBase
from anycast_lint.sources.unmodelled import INTENT_OF_HUB_NOT_READ, ROUTE_SERVER, is_route_server


class VirtualWanTranslation(TranslatorBase):
    """Virtual hubs and everything a hub holds."""

    # -- Virtual WAN ------------------------------------------------------------------------------

    def _hubs(self, found: list[ArmRecord]) -> None:
        hubs = {id_key(r.id): r for r in found if r.type == NET + "virtualHubs"}
        tables: dict[str, list[str]] = defaultdict(list)
        intents: dict[str, RoutingIntent] = {}
        for record in found:
            if record.type == NET + "virtualHubs/hubRouteTables":
                self._hub_route_table(record)
                tables[id_key(id_parent(record.id))].append(id_name(record.id).lower())
            elif record.type == NET + "virtualHubs/hubVirtualNetworkConnections":
                self._hub_connection(record)
            elif record.type == NET + "virtualHubs/routeMaps":
                self._route_map(record)
            elif record.type == NET + "virtualHubs/routingIntent":
                intents[id_key(id_parent(record.id))] = self._routing_intent(record)
            elif record.type != NET + "virtualHubs":
                self.ignored[record.type] += 1
        for key, intent in intents.items():
            if key not in hubs:  # its hub is not in the input: nothing it routes is, either; still said
                self.builder.unmodelled.append(
                    UnmodelledRouting(intent.id, intent.name, *INTENT_OF_HUB_NOT_READ, intent.origin)
                )
        for key, record in hubs.items():
            if is_route_server(props(record.data, record.pointer)[0]):
                self._unmodelled(record, *ROUTE_SERVER)  # a virtual hub outside any WAN: no hub route tables
                continue
            self._hub(record, intents.get(key))
            for table_name, label in DEFAULT_HUB_TABLES:  # every hub has them, exported or not
                if table_name.lower() not in tables[key]:
                    table_id = f"{record.id}/hubRouteTables/{table_name}"
                    if not self.builder.has(HubRouteTable, table_id):
                        self.builder.add(
                            HubRouteTable(
                                id=table_id,
                                name=table_name,
                                origin=record.origin,
                                hub_id=record.id,
                                labels=(label,),
                            )
                        )

    def _routing_intent(self, record: ArmRecord) -> RoutingIntent:
        """`routingPolicies`: each names its destinations (PrivateTraffic, Internet) and a next hop (the hub's
        firewall, an NVA or a SaaS solution), as "How to configure Virtual WAN Hub routing intent" shows."""
        reader = Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        private = internet = None
        for policy, policy_pointer in reader.objects(bag, "routingPolicies", "routing_intent", p):
            policy_bag, pp = props(policy, policy_pointer)
            destinations = {d.lower() for d in reader.texts(policy_bag, "destinations", "routing_intent", pp)}
            next_hop = reader.text(policy_bag, "nextHop", "routing_intent", pp)
            if "privatetraffic" in destinations:
                private = next_hop
            if "internet" in destinations:
                internet = next_hop
        return RoutingIntent(record.id, self._name(record), record.origin, private, internet)

    def _hub(self, record: ArmRecord, intent: RoutingIntent | None = None) -> None:
        reader = Reader(record.document, record.pointer)
        base = self._envelope(record, reader)
        bag, p = props(record.data, record.pointer)
        prefix_text = reader.text(bag, "addressPrefix", "address_prefix", p)
        asn = reader.get(bag, "virtualRouterAsn", "router_asn", p)
        wan_id = reader.reference(bag, "virtualWan", "wan_id", p)
        router_ips = tuple(reader.ips(bag, "virtualRouterIps", "router_ips", p))
        er_gateway_id = reader.reference(bag, "expressRouteGateway", "er_gateway_id", p)
        firewall_id = reader.reference(bag, "azureFirewall", "firewall_id", p)
        preference = _enum(reader.text(bag, "hubRoutingPreference", "hub_routing_preference", p))
        base["unknowns"] = tuple(reader.unknowns)  # after every read: an unknown read later would be lost
        self.builder.add(
            VirtualHub(
                **base,
                wan_id=wan_id,
                address_prefix=parse_prefix(prefix_text, reader.origin((*p, "addressPrefix"))) if prefix_text else None,
                router_asn=int(asn) if isinstance(asn, int) and asn else 65515,
                router_ips=router_ips,
                er_gateway_id=er_gateway_id,
                firewall_id=firewall_id,
                hub_routing_preference=preference,
                routing_intent=intent,
            )
        )

    def _hub_route_table(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        routes = []
        for route, r_pointer in reader.objects(bag, "routes", "routes", p):
            r_bag, rp = props(route, r_pointer)
            routes.append(
                HubRoute(
                    name=str(route.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    destination_type=_enum(reader.text(r_bag, "destinationType", "routes", rp) or "CIDR"),
                    destinations=tuple(reader.texts(r_bag, "destinations", "routes", rp)),
                    next_hop_type=_enum(reader.text(r_bag, "nextHopType", "routes", rp) or "ResourceId"),
                    next_hop=reader.text(r_bag, "nextHop", "routes", rp),
                )
            )
        labels = tuple(reader.texts(bag, "labels", "labels", p))
        self.builder.add(
            HubRouteTable(
                id=record.id,
                name=self._name(record),
                origin=record.origin,
                hub_id=id_parent(record.id),
                labels=labels,
                routes=tuple(routes),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _routing(
        self, reader: Reader, bag: dict[str, Any], pointer: Pointer, hub_id: str | None
    ) -> RoutingConfiguration:
        """A routing configuration; absent, it is Azure's default (defaultRouteTable, label 'default')."""
        config = reader.object(bag, "routingConfiguration", "routing", pointer)
        c_pointer = (*pointer, "routingConfiguration")
        default_table = f"{hub_id}/hubRouteTables/defaultRouteTable" if hub_id else None
        if config is None:
            return RoutingConfiguration(
                origin=reader.origin(pointer),
                associated_route_table_id=default_table,
                propagated_route_table_ids=(default_table,) if default_table else (),
                propagated_labels=("default",),
                inbound_route_map_id=reader.reference(bag, "inboundRouteMap", "routing", pointer),
                outbound_route_map_id=reader.reference(bag, "outboundRouteMap", "routing", pointer),
            )
        propagated = reader.object(config, "propagatedRouteTables", "routing", c_pointer) or {}
        pp = (*c_pointer, "propagatedRouteTables")
        vnet_routes = reader.object(config, "vnetRoutes", "static_routes", c_pointer) or {}
        vp = (*c_pointer, "vnetRoutes")
        static_config = reader.object(vnet_routes, "staticRoutesConfig", "propagate_static_routes", vp) or {}
        sp = (*vp, "staticRoutesConfig")
        static_routes = []
        for route, r_pointer in reader.objects(vnet_routes, "staticRoutes", "static_routes", vp):
            static_routes.append(
                StaticRoute(
                    name=str(route.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    address_prefixes=tuple(
                        p for p, _ in reader.prefixes(route, "addressPrefixes", "static_routes", r_pointer)
                    ),
                    next_hop_ip=reader.ip(route, "nextHopIpAddress", "static_routes", r_pointer),
                )
            )
        propagate = reader.get(static_config, "propagateStaticRoutes", "propagate_static_routes", sp)
        # Azure fills in what a create request leaves out: the default table and label.
        associated = reader.reference(config, "associatedRouteTable", "routing", c_pointer) or default_table
        if "propagatedRouteTables" in config:
            propagated_ids = tuple(
                r for item, _ in reader.items(propagated, "ids", "routing", pp) if (r := ref(item)) is not None
            )
            propagated_labels = tuple(reader.texts(propagated, "labels", "routing", pp))
        else:
            propagated_ids = (default_table,) if default_table else ()
            propagated_labels = ("default",)
        return RoutingConfiguration(
            origin=reader.origin(c_pointer),
            associated_route_table_id=associated,
            propagated_route_table_ids=propagated_ids,
            propagated_labels=propagated_labels,
            static_routes=tuple(static_routes),
            propagate_static_routes=None if propagate is None else bool(propagate),
            propagate_origin=None if propagate is None else reader.origin((*sp, "propagateStaticRoutes")),
            vnet_local_route_override=_enum(
                reader.text(static_config, "vnetLocalRouteOverrideCriteria", "routing", sp)
            ),
            inbound_route_map_id=reader.reference(config, "inboundRouteMap", "routing", c_pointer)
            or reader.reference(bag, "inboundRouteMap", "routing", pointer),
            outbound_route_map_id=reader.reference(config, "outboundRouteMap", "routing", c_pointer)
            or reader.reference(bag, "outboundRouteMap", "routing", pointer),
        )

    def _hub_connection(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        hub_id = id_parent(record.id)
        routing = self._routing(reader, bag, p, hub_id)
        security = reader.get(bag, "enableInternetSecurity", "enable_internet_security", p)
        self.builder.add(
            HubVirtualNetworkConnection(
                id=_canonical_connection_id(record.id),
                name=self._name(record),
                origin=record.origin,
                hub_id=hub_id,
                remote_vnet_id=reader.reference(bag, "remoteVirtualNetwork", "remote_vnet_id", p),
                routing=routing,
                enable_internet_security=None if security is None else bool(security),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _route_map(self, record: ArmRecord) -> None:
        reader = Reader(record.document, record.pointer)
        bag, p = props(record.data, record.pointer)
        rules = []
        for rule, r_pointer in reader.objects(bag, "rules", "rules", p):
            criteria = tuple(
                MatchCriterion(
                    condition=_enum(reader.text(c, "matchCondition", "rules", cp) or "Unknown"),
                    origin=reader.origin(cp),
                    route_prefixes=tuple(x for x, _ in reader.prefixes(c, "routePrefix", "rules", cp)),
                    communities=tuple(reader.texts(c, "community", "rules", cp)),
                    as_paths=reader.asns(c, "asPath", "rules", cp),
                )
                for c, cp in reader.objects(rule, "matchCriteria", "rules", r_pointer)
            )
            actions = []
            for action, a_pointer in reader.objects(rule, "actions", "rules", r_pointer):
                params = reader.objects(action, "parameters", "rules", a_pointer)
                actions.append(
                    RouteMapAction(
                        type=_enum(reader.text(action, "type", "rules", a_pointer) or "Unknown"),
                        origin=reader.origin(a_pointer),
                        as_paths=tuple(
                            asn for param, at in params for asn in reader.asns(param, "asPath", "rules", at)
                        ),
                        communities=tuple(
                            x for param, pp in params for x in reader.texts(param, "community", "rules", pp)
                        ),
                        route_prefixes=tuple(
                            x for param, pp in params for x, _ in reader.prefixes(param, "routePrefix", "rules", pp)
                        ),
                        properties=tuple(
                            k for k in ROUTE_MAP_PROPERTIES if any(isinstance(q, dict) and k in q for q, _ in params)
                        ),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=str(rule.get("name") or ""),
                    origin=reader.origin(r_pointer),
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=_enum(reader.text(rule, "nextStepIfMatched", "rules", r_pointer) or "Continue"),
                )
            )
        self.builder.add(
            RouteMap(
                id=record.id,
                name=self._name(record),
                origin=record.origin,
                hub_id=id_parent(record.id),
                rules=tuple(rules),
                associated_inbound=tuple(
                    r
                    for x, _ in reader.items(bag, "associatedInboundConnections", "associations", p)
                    if (r := ref(x)) is not None
                ),
                associated_outbound=tuple(
                    r
                    for x, _ in reader.items(bag, "associatedOutboundConnections", "associations", p)
                    if (r := ref(x)) is not None
                ),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _er_gateways(self, found: list[ArmRecord]) -> None:
        parents = [r for r in found if r.type == NET + "expressRouteGateways"]
        children = {"connections": [r for r in found if r.type == NET + "expressRouteGateways/expressRouteConnections"]}
        for key, group in self._group(parents, children, {"connections": "expressRouteConnections"}):
            gateway_id, base, reader = self._parent_base(group, key, "connections")
            hub_id = None
            if group.record is not None:
                bag, p = props(group.record.data, group.record.pointer)
                hub_id = reader.reference(bag, "virtualHub", "hub_id", p)
            base["unknowns"] = tuple(base["unknowns"]) + tuple(reader.unknowns)
            self.builder.add(ExpressRouteGateway(**base, hub_id=hub_id))
            for connection_id, item, pointer, document in self._unique(
                group.children.get("connections", []), gateway_id, "expressRouteConnections"
            ):
                self._er_connection(gateway_id, hub_id, connection_id, item, pointer, document)

    def _er_connection(
        self,
        gateway_id: str,
        hub_id: str | None,
        connection_id: str,
        item: dict[str, Any],
        pointer: Pointer,
        document: SourceDocument,
    ) -> None:
        reader = Reader(document, pointer)
        bag, p = props(item, pointer)
        SECRETS.register_properties(bag)
        peering = reader.reference(bag, "expressRouteCircuitPeering", "circuit_id", p)
        weight = reader.get(bag, "routingWeight", "routing_weight", p)
        routing = self._routing(reader, bag, p, hub_id)
        bypass = reader.flag(bag, "expressRouteGatewayBypass", "express_route_gateway_bypass", p, False)
        self.builder.add(
            ExpressRouteConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=reader.origin(pointer),
                gateway_id=gateway_id,
                circuit_id=circuit_of(peering) if peering else None,
                circuit_peering_id=peering,
                routing_weight=int(weight) if isinstance(weight, int) else 0,
                routing=routing,
                express_route_gateway_bypass=bypass,
                unknowns=tuple(reader.unknowns),
            )
        )


def _canonical_connection_id(resource_id: str) -> str:
    """Hub connection ids appear with `virtualHubVnetConnections` too; one spelling for lookups."""
    parts = resource_id.split("/")
    return "/".join("hubVirtualNetworkConnections" if p.lower() == "virtualhubvnetconnections" else p for p in parts)

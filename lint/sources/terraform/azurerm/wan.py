"""Virtual WAN: hubs, their connections, route tables, route maps and routing intent, ExpressRoute gateways."""

from __future__ import annotations

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.topology import (
    DEFAULT_HUB_TABLES,
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
    default_route_table_id,
)
from anycast_lint.model.values import parse_asn, parse_ip, parse_prefix
from anycast_lint.sources.arm.resources import circuit_of
from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import Path, enum_spelling
from anycast_lint.sources.terraform.plan import Instance


class WanFamily(TranslatorCore):
    """Reads virtual WANs, hubs and what hangs off them."""

    def _wan(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        self._add(VirtualWan, reader, self._envelope(instance, reader))

    def _hub(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        hub_id = base["id"]
        prefix = reader.text(("address_prefix",), "address_prefix")
        asn = instance.values.get("virtual_router_asn")
        ips = instance.values.get("virtual_router_ips")
        self._add(
            VirtualHub,
            reader,
            base,
            wan_id=reader.reference(("virtual_wan_id",), "wan_id", ("azurerm_virtual_wan",)),
            address_prefix=parse_prefix(prefix, reader.origin("address_prefix")) if prefix else None,
            router_asn=asn if isinstance(asn, int) and asn else 65515,
            router_ips=tuple(parse_ip(ip, reader.origin("virtual_router_ips")) for ip in ips)
            if isinstance(ips, list)
            else (),
            hub_routing_preference=enum_spelling(reader.text(("hub_routing_preference",), "hub_routing_preference")),
            routing_intent=self.intents.get(id_key(hub_id)),
        )
        for table_name, label in DEFAULT_HUB_TABLES:  # Azure creates both with every hub
            table_id = f"{hub_id}/hubRouteTables/{table_name}"
            if not any(id_key(v) == id_key(table_id) for v in self.ids.values()):
                self.builder.add(
                    HubRouteTable(id=table_id, name=table_name, origin=instance.where, hub_id=hub_id, labels=(label,))
                )

    def _routing(self, reader: Reader, hub_id: str | None, hub_connection: bool) -> RoutingConfiguration:
        """The `routing` block; absent, Azure's default: associated with and propagating to the default
        table (label `default`). `static_vnet_propagate_static_routes_enabled` defaults to true in azurerm."""
        default_table = default_route_table_id(hub_id) if hub_id else None
        blocks = reader.items(("routing",), "static_routes" if hub_connection else "routing")
        if not blocks:
            return RoutingConfiguration(
                origin=reader.origin(),
                associated_route_table_id=default_table,
                propagated_route_table_ids=(default_table,) if default_table else (),
                propagated_labels=("default",),
            )
        _, path = blocks[0]
        kinds = ("azurerm_virtual_hub_route_table",)
        associated = reader.reference((*path, "associated_route_table_id"), "routing", kinds) or default_table
        propagated = reader.items((*path, "propagated_route_table"), "routing")
        if propagated:
            _, p_path = propagated[0]
            ids = tuple(
                r
                for index in range(len(reader.items((*p_path, "route_table_ids"), "routing")))
                if (r := reader.reference((*p_path, "route_table_ids", index), "routing", kinds)) is not None
            )
            labels = reader.strings((*p_path, "labels"), "routing")
        else:
            ids, labels = ((default_table,) if default_table else ()), ("default",)
        statics = []
        for _route, r_path in reader.items((*path, "static_vnet_route"), "static_routes"):
            hop, forwarder = reader.next_hop((*r_path, "next_hop_ip_address"), "static_routes")
            statics.append(
                StaticRoute(
                    name=reader.text((*r_path, "name"), "static_routes") or "",
                    origin=reader.origin(*r_path),
                    address_prefixes=tuple(
                        p for p, _ in reader.prefixes((*r_path, "address_prefixes"), "static_routes")
                    ),
                    next_hop_ip=hop,
                    next_hop_forwarder_id=forwarder,
                )
            )
        propagate: bool | None = None
        propagate_origin = None
        if hub_connection:
            value = reader.get((*path, "static_vnet_propagate_static_routes_enabled"), "propagate_static_routes")
            propagate = value if isinstance(value, bool) else True
            propagate_origin = reader.origin(*path, "static_vnet_propagate_static_routes_enabled")
        return RoutingConfiguration(
            origin=reader.origin(*path),
            associated_route_table_id=associated,
            propagated_route_table_ids=ids,
            propagated_labels=labels,
            static_routes=tuple(statics),
            propagate_static_routes=propagate,
            propagate_origin=propagate_origin,
            vnet_local_route_override=enum_spelling(
                reader.text((*path, "static_vnet_local_route_override_criteria"), "routing")
            ),
            inbound_route_map_id=reader.reference((*path, "inbound_route_map_id"), "routing", ("azurerm_route_map",)),
            outbound_route_map_id=reader.reference((*path, "outbound_route_map_id"), "routing", ("azurerm_route_map",)),
        )

    def _hub_connection(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        connection_id = self.ids[instance.address]
        hub_id = id_parent(connection_id)
        security = reader.get(("internet_security_enabled",), "enable_internet_security")
        self.builder.add(
            HubVirtualNetworkConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=instance.where,
                hub_id=hub_id,
                remote_vnet_id=reader.reference(
                    ("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",)
                ),
                routing=self._routing(reader, hub_id, hub_connection=True),
                enable_internet_security=security if isinstance(security, bool) else None,
                unknowns=tuple(reader.unknowns),
            )
        )

    def _hub_route_table(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        table_id = self.ids[instance.address]
        routes = [self._hub_route(reader, path) for _, path in reader.items(("route",), "routes")]
        for child in self.children.hub_routes.pop(id_key(table_id), []):
            routes.append(self._hub_route(Reader(self, child), ()))
        self.builder.add(
            HubRouteTable(
                id=table_id,
                name=id_name(table_id),
                origin=instance.where,
                hub_id=id_parent(table_id),
                labels=reader.strings(("labels",), "labels"),
                routes=tuple(routes),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _hub_route(self, reader: Reader, path: Path) -> HubRoute:
        next_hop = reader.reference(
            (*path, "next_hop"), "routes", ("azurerm_virtual_hub_connection", "azurerm_firewall")
        ) or reader.text((*path, "next_hop"), "routes")
        return HubRoute(
            name=reader.text((*path, "name"), "routes") or "",
            origin=reader.origin(*path),
            destination_type=enum_spelling(reader.text((*path, "destinations_type"), "routes") or "CIDR"),
            destinations=reader.strings((*path, "destinations"), "routes"),
            next_hop_type=enum_spelling(reader.text((*path, "next_hop_type"), "routes") or "ResourceId"),
            next_hop=next_hop,
        )

    def _route_map(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        map_id = self.ids[instance.address]
        rules = []
        for _rule, r_path in reader.items(("rule",), "rules"):
            criteria = tuple(
                MatchCriterion(
                    condition=enum_spelling(reader.text((*c_path, "match_condition"), "rules") or "Unknown"),
                    origin=reader.origin(*c_path),
                    route_prefixes=tuple(p for p, _ in reader.prefixes((*c_path, "route_prefix"), "rules")),
                    communities=reader.strings((*c_path, "community"), "rules"),
                    as_paths=tuple(
                        str(parse_asn(x, reader.origin(*xp))) for x, xp in reader.items((*c_path, "as_path"), "rules")
                    ),
                )
                for _, c_path in reader.items((*r_path, "match_criterion"), "rules")
            )
            actions = []
            for _, a_path in reader.items((*r_path, "action"), "rules"):
                parameters = reader.items((*a_path, "parameter"), "rules")
                actions.append(
                    RouteMapAction(
                        type=enum_spelling(reader.text((*a_path, "type"), "rules") or "Unknown"),
                        origin=reader.origin(*a_path),
                        as_paths=tuple(
                            str(parse_asn(x, reader.origin(*xp)))
                            for _, pp in parameters
                            for x, xp in reader.items((*pp, "as_path"), "rules")
                        ),
                        communities=tuple(
                            x for _, pp in parameters for x in reader.strings((*pp, "community"), "rules")
                        ),
                        route_prefixes=tuple(
                            x for _, pp in parameters for x, _ in reader.prefixes((*pp, "route_prefix"), "rules")
                        ),
                    )
                )
            rules.append(
                RouteMapRule(
                    name=reader.text((*r_path, "name"), "rules") or "",
                    origin=reader.origin(*r_path),
                    match_criteria=criteria,
                    actions=tuple(actions),
                    next_step=enum_spelling(reader.text((*r_path, "next_step_if_matched"), "rules") or "Continue"),
                )
            )
        self.builder.add(
            RouteMap(
                id=map_id,
                name=id_name(map_id),
                origin=instance.where,
                hub_id=id_parent(map_id),
                rules=tuple(rules),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _er_gateway(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        hub = reader.reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        self._add(ExpressRouteGateway, reader, base, hub_id=hub)

    def _er_connection(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        connection_id = self.ids[instance.address]
        gateway_id = id_parent(connection_id)
        gateway = next((i for a, i in self._by_id.items() if a == id_key(gateway_id)), None)
        hub_id = None
        if gateway is not None:
            hub_id = Reader(self, gateway).reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        peering = reader.reference(
            ("express_route_circuit_peering_id",), "circuit_id", ("azurerm_express_route_circuit_peering",)
        )
        weight = reader.get(("routing_weight",), "routing_weight")
        self.builder.add(
            ExpressRouteConnection(
                id=connection_id,
                name=id_name(connection_id),
                origin=instance.where,
                gateway_id=gateway_id,
                circuit_id=circuit_of(peering) if peering else None,
                circuit_peering_id=peering,
                routing_weight=weight if isinstance(weight, int) else 0,
                routing=self._routing(reader, hub_id, hub_connection=False),
                express_route_gateway_bypass=reader.flag(
                    ("express_route_gateway_bypass_enabled",), "express_route_gateway_bypass", False
                ),
                unknowns=tuple(reader.unknowns),
            )
        )

    def _routing_intent(self, instance: Instance) -> tuple[str | None, RoutingIntent]:
        """`azurerm_virtual_hub_routing_intent`: its hub, and the next hop of each `routing_policy` by the traffic
        it names (PrivateTraffic, Internet), as ARM's routingPolicies."""
        reader = Reader(self, instance)
        hub = reader.reference(("virtual_hub_id",), "hub_id", ("azurerm_virtual_hub",))
        hops: dict[str, str | None] = {}
        for _, path in reader.items(("routing_policy",), "routing_intent"):
            next_hop = reader.reference((*path, "next_hop"), "routing_intent", ("azurerm_firewall",))
            for destination in reader.strings((*path, "destinations"), "routing_intent"):
                hops[destination.lower()] = next_hop
        name = reader.text(("name",), "name") or instance.name
        intent_id = f"{hub}/routingIntent/{name}" if hub else instance.address
        return hub, RoutingIntent(intent_id, name, instance.where, hops.get("privatetraffic"), hops.get("internet"))

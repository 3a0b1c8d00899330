"""The fixes the rules attach to their findings, one function per kind of change.

Each builds the change from the finding's evidence (the peering, the connection, the route table, the
prefix, the forwarder's address), in four forms: az CLI, Terraform azurerm, ARM, and edits of the input
file (native format and ARM REST). Values never come from a guess: where the evidence lacks one (a
forwarder address known only after apply), the edit is left out and the text says what to fill in.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from itertools import islice
from typing import Any

from anycast_lint.analysis.design_facts import route_for
from anycast_lint.fixes import APPEND, REMOVE, SET, Change, Edit, Fix
from anycast_lint.fixes.snippets import arm_property, az, block, resource, resource_group
from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import (
    EndpointIp,
    ExpressRouteCircuit,
    ExpressRouteConnection,
    GatewayConnection,
    HubVirtualNetworkConnection,
    InboundEndpoint,
    IPAddress,
    IPNetwork,
    NetworkSecurityGroup,
    OutboundEndpoint,
    Peering,
    Route,
    RouteMap,
    RouteTable,
    Subnet,
    Topology,
    VirtualNetwork,
)

PEERING_TF = {
    "allowForwardedTraffic": "allow_forwarded_traffic",
    "useRemoteGateways": "use_remote_gateways",
    "allowGatewayTransit": "allow_gateway_transit",
}
PEERING_AZ = {
    "allowForwardedTraffic": "allow_forwarded_traffic",
    "useRemoteGateways": "use_remote_gateways",
    "allowGatewayTransit": "allow_gateway_transit",
}
# Virtual WAN and DNS resolver commands (az network vhub, az dns-resolver) come from az extensions; the
# core `az resource` commands change the same ARM properties without one.
STATIC_ROUTES_ARM = ("properties", "routingConfiguration", "vnetRoutes", "staticRoutes")
PROPAGATE_ARM = ("properties", "routingConfiguration", "vnetRoutes", "staticRoutesConfig", "propagateStaticRoutes")


def _root(origin: Origin) -> Origin:
    return Origin(origin.file, (), origin.document)


# --- peerings -------------------------------------------------------------------------------------


def peering_flag(peering: Peering, flag: str) -> Fix:
    """AC205 (allowForwardedTraffic), AC204 (useRemoteGateways, allowGatewayTransit)."""
    vnet = id_name(peering.vnet_id)
    group = resource_group(peering.id)
    return Fix(
        f"set {flag} to true on peering '{vnet}/{peering.name}'",
        az=az(
            "az network vnet peering update",
            resource_group=group,
            vnet_name=vnet,
            name=peering.name,
            **{PEERING_AZ[flag]: "true"},
        ),
        terraform=resource(
            "azurerm_virtual_network_peering",
            peering.name,
            ("name", peering.name),
            ("resource_group_name", group),
            ("virtual_network_name", vnet),
            ("remote_virtual_network_id", peering.remote_vnet_id or "<remote VNet id>"),
            (PEERING_TF[flag], True),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/virtualNetworks/virtualNetworkPeerings", f"{vnet}/{peering.name}", {flag: True}
        ),
        edits=(Edit(peering.origin, (Change(SET, (flag,), True),), (Change(SET, ("properties", flag), True),)),),
    )


# --- hub connections ------------------------------------------------------------------------------


def _connection_tf(connection: HubVirtualNetworkConnection, *routing: tuple[str, Any]) -> str:
    return resource(
        "azurerm_virtual_hub_connection",
        connection.name,
        ("name", connection.name),
        ("virtual_hub_id", connection.hub_id),
        ("remote_virtual_network_id", connection.remote_vnet_id or "<remote VNet id>"),
        ("routing", block("routing", *routing)),
    ).text()


def _connection_az(connection: HubVirtualNetworkConnection, **change: str | list[str]) -> str:
    return az("az resource update", ids=connection.id, **change)


def propagate_static_routes(connection: HubVirtualNetworkConnection) -> Fix:
    """AC203: the hub advertises the connection's static routes only with propagateStaticRoutes."""
    hub = id_name(connection.hub_id)
    return Fix(
        f"set propagateStaticRoutes to true on hub connection '{hub}/{connection.name}'",
        az=_connection_az(
            connection, set="properties.routingConfiguration.vnetRoutes.staticRoutesConfig.propagateStaticRoutes=true"
        ),
        terraform=_connection_tf(connection, ("static_vnet_propagate_static_routes_enabled", True)),
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


def add_static_route(
    connection: HubVirtualNetworkConnection,
    member: VirtualNetwork,
    prefix: IPNetwork,
    next_hop: IPAddress | None,
    hop_text: str,
) -> Fix:
    """AC202: a static route on the transit connection for the member prefix, via the forwarder."""
    hub = id_name(connection.hub_id)
    name = f"anycast-{member.name}"
    hop = str(next_hop) if next_hop is not None else hop_text
    route = {"name": name, "addressPrefixes": [str(prefix)], "nextHopIpAddress": hop}
    propagate = connection.routing.propagate_static_routes is not True
    native = [Change(APPEND, ("routingConfiguration", "staticRoutes"), route)]
    arm = [Change(APPEND, STATIC_ROUTES_ARM, route)]
    if propagate:
        native.append(Change(SET, ("routingConfiguration", "propagateStaticRoutes"), True))
        arm.append(Change(SET, PROPAGATE_ARM, True))
    routing: list[tuple[str, Any]] = [
        ("static_vnet_propagate_static_routes_enabled", True),
        (
            "static_vnet_route",
            block(
                "static_vnet_route", ("name", name), ("address_prefixes", [str(prefix)]), ("next_hop_ip_address", hop)
            ),
        ),
    ]
    return Fix(
        f"add static route '{name}' {prefix} -> {hop} to hub connection '{hub}/{connection.name}', with "
        f"propagateStaticRoutes true",
        az=_connection_az(
            connection,
            add=["properties.routingConfiguration.vnetRoutes.staticRoutes", json.dumps(route)],
            set="properties.routingConfiguration.vnetRoutes.staticRoutesConfig.propagateStaticRoutes=true",
        ),
        terraform=_connection_tf(connection, *routing),
        arm=arm_property(
            "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            f"{hub}/{connection.name}",
            {
                "routingConfiguration": {
                    "vnetRoutes": {"staticRoutes": [route], "staticRoutesConfig": {"propagateStaticRoutes": True}}
                }
            },
        ),
        edits=(Edit(connection.origin, tuple(native), tuple(arm)),) if next_hop is not None else (),
    )


def remove_hub_connection(connection: HubVirtualNetworkConnection, instead: str) -> Fix:
    """AC102: Azure refuses the second overlapping direct connection; the member goes behind a transit VNet."""
    hub = id_name(connection.hub_id)
    return Fix(
        f"remove hub connection '{hub}/{connection.name}'; {instead}",
        az=az("az resource delete", ids=connection.id),
        terraform=f"# remove the azurerm_virtual_hub_connection named {json.dumps(connection.name)} (hub {hub})\n",
        arm=f"remove the resource Microsoft.Network/virtualHubs/hubVirtualNetworkConnections '{hub}/{connection.name}'",
        edits=(Edit(connection.origin, (Change(REMOVE),), (Change(REMOVE),)),),
    )


# --- route tables (UDR) ---------------------------------------------------------------------------


def _route_body(prefix: IPNetwork, next_hop: str) -> dict[str, Any]:
    return {"addressPrefix": str(prefix), "nextHopType": "VirtualAppliance", "nextHopIpAddress": next_hop}


def _route_az(table: str, group: str, name: str, prefix: IPNetwork, next_hop: str) -> str:
    return az(
        "az network route-table route create",
        resource_group=group,
        route_table_name=table,
        name=name,
        address_prefix=str(prefix),
        next_hop_type="VirtualAppliance",
        next_hop_ip_address=next_hop,
    )


def _route_tf(table: str, group: str, name: str, prefix: IPNetwork, next_hop: str) -> str:
    return resource(
        "azurerm_route",
        f"{table}-{name}",
        ("name", name),
        ("resource_group_name", group),
        ("route_table_name", table),
        ("address_prefix", str(prefix)),
        ("next_hop_type", "VirtualAppliance"),
        ("next_hop_in_ip_address", next_hop),
    ).text()


def _free_name(wanted: str, taken: Sequence[str]) -> str:
    names = {t.lower() for t in taken}
    if wanted.lower() not in names:
        return wanted
    index = 2
    while f"{wanted}-{index}".lower() in names:
        index += 1
    return f"{wanted}-{index}"


def _append_child(parent: Origin, parent_id: str, collection: str, name: str, body: dict[str, Any]) -> Edit:
    """A new child (route, security rule) at the end of its parent's list: flat in the native format, under
    `properties` with its own id in ARM REST."""
    return Edit(
        parent,
        (Change(APPEND, (collection,), {"name": name, **body}),),
        (
            Change(
                APPEND,
                ("properties", collection),
                {"name": name, "id": f"{parent_id}/{collection}/{name}", "properties": body},
            ),
        ),
    )


def add_udr(table: RouteTable, prefix: IPNetwork, next_hop: IPAddress | None, hop_text: str) -> Fix:
    """AC201: the member subnet's table lacks a route for an on-premises range."""
    group = resource_group(table.id)
    name = _free_name(f"onprem-{str(prefix).replace('/', '-')}", [r.name for r in table.routes])
    hop = str(next_hop) if next_hop is not None else hop_text
    body = _route_body(prefix, hop)
    return Fix(
        f"add route {prefix} -> VirtualAppliance {hop} to route table '{table.name}'",
        az=_route_az(table.name, group, name, prefix, hop),
        terraform=_route_tf(table.name, group, name, prefix, hop),
        arm=arm_property("Microsoft.Network/routeTables/routes", f"{table.name}/{name}", body),
        edits=(_append_child(table.origin, table.id, "routes", name, body),) if next_hop is not None else (),
    )


def udr_next_hop(route: Route, prefix: IPNetwork, next_hop: IPAddress | None, hop_text: str) -> Fix:
    """AC201: the route covering on-premises goes elsewhere than the forwarder the traffic came through."""
    table = id_name(route.route_table_id)
    group = resource_group(route.id)
    hop = str(next_hop) if next_hop is not None else hop_text
    return Fix(
        f"point route '{table}/{route.name}' ({route.address_prefix}) at VirtualAppliance {hop}",
        az=az(
            "az network route-table route update",
            resource_group=group,
            route_table_name=table,
            name=route.name,
            next_hop_type="VirtualAppliance",
            next_hop_ip_address=hop,
        ),
        terraform=_route_tf(table, group, route.name, route.prefix or prefix, hop),
        arm=arm_property(
            "Microsoft.Network/routeTables/routes",
            f"{table}/{route.name}",
            {"addressPrefix": route.address_prefix, "nextHopType": "VirtualAppliance", "nextHopIpAddress": hop},
        ),
        edits=(
            Edit(
                route.origin,
                (Change(SET, ("nextHopType",), "VirtualAppliance"), Change(SET, ("nextHopIpAddress",), hop)),
                (
                    Change(SET, ("properties", "nextHopType"), "VirtualAppliance"),
                    Change(SET, ("properties", "nextHopIpAddress"), hop),
                ),
            ),
        )
        if next_hop is not None
        else (),
    )


def _table_with_routes(
    topology: Topology, member: VirtualNetwork, ranges: Sequence[IPNetwork], next_hop: IPAddress | None
) -> RouteTable | None:
    """A route table of the input, in the member's region, that already sends every range to the forwarder."""
    if next_hop is None:
        return None
    for table in topology.route_tables.values():
        if (table.region or "").lower() != (member.region or "").lower():
            continue
        decisions = [route_for(table, r) for r in ranges]
        if all(d.route is not None and next_hop in d.route.next_hop_ips and not d.exceptions for d in decisions):
            return table
    return None


def _associate(member: VirtualNetwork, subnet: Subnet, table: RouteTable) -> Fix:
    group = resource_group(subnet.id)
    return Fix(
        f"associate route table '{table.name}' (it already sends on-premises to the forwarder) with subnet "
        f"'{member.name}/{subnet.name}'",
        az=az(
            "az network vnet subnet update",
            resource_group=group,
            vnet_name=member.name,
            name=subnet.name,
            route_table=table.name,
        ),
        terraform=resource(
            "azurerm_subnet_route_table_association",
            f"{member.name}-{subnet.name}",
            ("subnet_id", subnet.id),
            ("route_table_id", table.id),
        ).text(),
        arm=json.dumps({"subnet": {"properties": {"routeTable": {"id": table.id}}}}, indent=2),
        edits=(
            Edit(
                subnet.origin,
                (Change(SET, ("routeTable",), table.name),),
                (Change(SET, ("properties", "routeTable"), {"id": table.id}),),
            ),
        ),
    )


def new_route_table(
    topology: Topology,
    member: VirtualNetwork,
    subnet: Subnet,
    ranges: Sequence[IPNetwork],
    next_hop: IPAddress | None,
    hop_text: str,
) -> Fix:
    """AC201: the member subnet has no route table: create one with every on-premises range via the
    forwarder (gateway route propagation off: the indirect spoke learns nothing useful) and associate it."""
    group = resource_group(subnet.id)
    existing = _table_with_routes(topology, member, ranges, next_hop)
    if existing is not None:
        return _associate(member, subnet, existing)
    name = _free_name(f"rt-{member.name}", [t.name for t in topology.route_tables.values()])
    table_id = f"{id_parent(member.id)}/routeTables/{name}"
    hop = str(next_hop) if next_hop is not None else hop_text
    routes = [(f"onprem-{str(p).replace('/', '-')}", p) for p in ranges]
    region = member.region or "<region>"
    native_table = {
        "name": name,
        "region": region,
        "disableBgpRoutePropagation": True,
        "routes": [{"name": n, **_route_body(p, hop)} for n, p in routes],
    }
    arm_table = {
        "name": name,
        "id": table_id,
        "type": "Microsoft.Network/routeTables",
        "location": region,
        "properties": {
            "disableBgpRoutePropagation": True,
            "routes": [
                {"name": n, "id": f"{table_id}/routes/{n}", "properties": _route_body(p, hop)} for n, p in routes
            ],
        },
    }
    commands = [
        az(
            "az network route-table create",
            resource_group=group,
            name=name,
            location=region,
            disable_bgp_route_propagation="true",
        )
    ]
    commands += [_route_az(name, group, n, p, hop) for n, p in routes]
    commands.append(
        az(
            "az network vnet subnet update",
            resource_group=group,
            vnet_name=member.name,
            name=subnet.name,
            route_table=name,
        )
    )
    terraform = resource(
        "azurerm_route_table",
        name,
        ("name", name),
        ("resource_group_name", group),
        ("location", region),
        ("bgp_route_propagation_enabled", False),
        *[
            (
                "route",
                block(
                    "route",
                    ("name", n),
                    ("address_prefix", str(p)),
                    ("next_hop_type", "VirtualAppliance"),
                    ("next_hop_in_ip_address", hop),
                ),
            )
            for n, p in routes
        ],
    ).text()
    terraform += (
        "\n"
        + resource(
            "azurerm_subnet_route_table_association",
            f"{member.name}-{subnet.name}",
            ("subnet_id", subnet.id),
            ("route_table_id", table_id),
        ).text()
    )
    return Fix(
        f"create route table '{name}' ({', '.join(f'{p} -> VirtualAppliance {hop}' for _, p in routes)}, gateway route "
        f"propagation off) and associate it with subnet '{member.name}/{subnet.name}'",
        az="\n".join(commands),
        terraform=terraform,
        arm=json.dumps({"subnet": {"properties": {"routeTable": {"id": table_id}}}, "routeTable": arm_table}, indent=2),
        edits=(
            Edit(
                subnet.origin,
                (Change(SET, ("routeTable",), name),),
                (Change(SET, ("properties", "routeTable"), {"id": table_id}),),
            ),
            Edit(
                _root(subnet.origin),
                (Change(APPEND, ("routeTables",), native_table),),
                (Change(APPEND, ("value",), arm_table),),
            ),
        )
        if next_hop is not None
        else (),
    )


# --- NSGs -----------------------------------------------------------------------------------------


def _free_priority(nsg: NetworkSecurityGroup, below: int) -> int:
    taken = {r.priority for r in nsg.rules if r.direction == "Outbound"}
    for priority in range(min(below - 1, 4096), 99, -1):
        if priority not in taken and ((below > 4096 and priority <= 4000) or below <= 4096):
            return priority
    return 100


def deny_outbound(nsg: NetworkSecurityGroup, targets: Sequence[IPNetwork], allow_priority: int) -> Fix:
    """AC403: an outbound Deny to the private ranges above the Allow that lets new flows out."""
    group = resource_group(nsg.id)
    name = _free_name("deny-outbound-private", [r.name for r in nsg.rules])
    priority = _free_priority(nsg, allow_priority)
    prefixes = [str(t) for t in targets]
    body = {
        "protocol": "*",
        "access": "Deny",
        "priority": priority,
        "direction": "Outbound",
        "sourceAddressPrefix": "*",
        "sourcePortRange": "*",
        "destinationAddressPrefixes": prefixes,
        "destinationPortRange": "*",
    }
    return Fix(
        f"add outbound rule '{name}' (priority {priority}): Deny to {', '.join(prefixes)} in NSG '{nsg.name}'",
        az=az(
            "az network nsg rule create",
            resource_group=group,
            nsg_name=nsg.name,
            name=name,
            priority=str(priority),
            direction="Outbound",
            access="Deny",
            protocol="*",
            destination_address_prefixes=prefixes,
            destination_port_ranges="*",
        ),
        terraform=resource(
            "azurerm_network_security_rule",
            f"{nsg.name}-{name}",
            ("name", name),
            ("resource_group_name", group),
            ("network_security_group_name", nsg.name),
            ("priority", priority),
            ("direction", "Outbound"),
            ("access", "Deny"),
            ("protocol", "*"),
            ("source_address_prefix", "*"),
            ("source_port_range", "*"),
            ("destination_address_prefixes", prefixes),
            ("destination_port_range", "*"),
        ).text(),
        arm=arm_property("Microsoft.Network/networkSecurityGroups/securityRules", f"{nsg.name}/{name}", body),
        edits=(_append_child(nsg.origin, nsg.id, "securityRules", name, body),),
    )


# --- addresses ------------------------------------------------------------------------------------


def address_space(vnet: VirtualNetwork, prefixes: Sequence[IPNetwork], why: str) -> Fix:
    """AC103: give the member the same prefix as the others."""
    space = [str(p) for p in prefixes]
    edit = Edit(
        vnet.origin,
        (Change(SET, ("addressSpace",), space),),
        (Change(SET, ("properties", "addressSpace", "addressPrefixes"), space),),
    )
    return _set_address_space(
        vnet, space, f"set the address space of '{vnet.name}' to {', '.join(space)}: {why}", (edit,)
    )


def _set_address_space(vnet: VirtualNetwork, space: list[str], description: str, edits: tuple[Edit, ...] = ()) -> Fix:
    """A VNet's address space set to `space`, in az CLI, azurerm and ARM (AC103, and the renumbering of AC101/AC105)."""
    group = resource_group(vnet.id)
    return Fix(
        description,
        az=az("az network vnet update", resource_group=group, name=vnet.name, address_prefixes=space),
        terraform=resource(
            "azurerm_virtual_network",
            vnet.name,
            ("name", vnet.name),
            ("resource_group_name", group),
            ("location", vnet.region or "<region>"),
            ("address_space", space),
        ).text(),
        arm=arm_property("Microsoft.Network/virtualNetworks", vnet.name, {"addressSpace": {"addressPrefixes": space}}),
        edits=edits,
    )


def endpoint_address(endpoint: InboundEndpoint, config: EndpointIp, vip: IPAddress) -> Fix:
    """AC104: the resolver inbound endpoint answers on the VIP (static; the address is set at creation)."""
    resolver = id_name(endpoint.resolver_id or id_parent(endpoint.id))
    subnet = config.subnet_id or "<subnet id>"
    ip_configuration = {"subnet": {"id": subnet}, "privateIpAddress": str(vip), "privateIpAllocationMethod": "Static"}
    return Fix(
        f"give resolver inbound endpoint '{resolver}/{endpoint.name}' the static address {vip} (recreate it: the "
        f"address is set at creation)",
        az="\n".join(
            (
                az("az resource delete", ids=endpoint.id),
                az(
                    "az resource create",
                    id=endpoint.id,
                    location=endpoint.region or "<region>",
                    properties=json.dumps({"ipConfigurations": [ip_configuration]}),
                ),
            )
        ),
        terraform=resource(
            "azurerm_private_dns_resolver_inbound_endpoint",
            endpoint.name,
            ("name", endpoint.name),
            ("private_dns_resolver_id", endpoint.resolver_id or "<resolver id>"),
            ("location", endpoint.region or "<region>"),
            (
                "ip_configurations",
                block(
                    "ip_configurations",
                    ("subnet_id", subnet),
                    ("private_ip_address", str(vip)),
                    ("private_ip_allocation_method", "Static"),
                ),
            ),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/dnsResolvers/inboundEndpoints",
            f"{resolver}/{endpoint.name}",
            {
                "ipConfigurations": [
                    {"subnet": {"id": subnet}, "privateIpAddress": str(vip), "privateIpAllocationMethod": "Static"}
                ]
            },
        ),
        edits=(
            Edit(
                config.origin,
                (Change(SET, ("privateIPAddress",), str(vip)),),
                (Change(SET, ("privateIpAddress",), str(vip)), Change(SET, ("privateIpAllocationMethod",), "Static")),
            ),
        ),
    )


def remove_outbound_endpoint(endpoint: OutboundEndpoint, instead: str) -> Fix:
    """AC401: the outbound endpoint leaves the anycast VNet (recreate it in a VNet with unique addresses)."""
    resolver = id_name(endpoint.resolver_id or id_parent(endpoint.id))
    return Fix(
        f"remove outbound endpoint '{resolver}/{endpoint.name}' from the anycast VNet; {instead}",
        az=az("az resource delete", ids=endpoint.id),
        terraform=f"# remove azurerm_private_dns_resolver_outbound_endpoint {json.dumps(endpoint.name)}; {instead}\n",
        arm=f"remove the resource Microsoft.Network/dnsResolvers/outboundEndpoints '{resolver}/{endpoint.name}'",
        edits=(Edit(endpoint.origin, (Change(REMOVE),), (Change(REMOVE),)),),
    )


def same_key(left: str | None, right: str | None) -> bool:
    return left is not None and right is not None and id_key(left) == id_key(right)


# --- fixes that need a value only the user can choose (text, no file edit) ---------------------------


def renumber_member(vnet: VirtualNetwork, overlaps: dict[IPNetwork, IPNetwork]) -> Fix:
    """AC105: the service needs an anycast range unused on premises; which one is the user's choice. One fix
    per member for all its prefixes that overlap (prefix -> the on-premises range it overlaps), shared by
    their findings: a fix per prefix rewriting the whole address space costs prefixes squared, and each
    would undo the others."""
    if len(overlaps) == 1:
        ((prefix, range_),) = overlaps.items()
        what = f"{prefix} (overlaps on-premises {range_}) to a range"
    else:
        what = f"{listing(overlaps)} (they overlap on-premises ranges) to ranges"
    return renumber(
        vnet,
        overlaps,
        "<anycast prefix unused on premises>",
        f"renumber '{vnet.name}' from {what} unused on premises, the same in every member, and move the VIP "
        f"(services.<name>.vip) into it",
    )


def renumber(vnet: VirtualNetwork, prefixes: Collection[IPNetwork], wanted: str, description: str) -> Fix:
    """A VNet's prefixes replaced by ones the user picks (AC101, AC105): no file edit, the values are
    placeholders (numbered when there are several). Built once per VNet, the address space is written once."""
    chosen = {_key(p) for p in prefixes}
    space: list[str] = []
    replaced = 0
    for prefix in vnet.address_prefixes:
        if _key(prefix) not in chosen:
            space.append(str(prefix))
            continue
        replaced += 1
        space.append(f"{wanted[:-1]} #{replaced}>" if len(chosen) > 1 else wanted)
    return _set_address_space(vnet, space, description)


def _key(prefix: IPNetwork) -> tuple[int, int, int]:
    """A prefix as a key cheaper to hash than the network object (whose hash is computed in Python)."""
    return prefix.version, int(prefix.network_address), prefix.prefixlen


MAX_LISTED = 3  # prefixes named in a fix's one-line description; the count says how many in all


def listing(prefixes: Collection[IPNetwork]) -> str:
    """`10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24 and 997 more`: a description stays one short line."""
    named = ", ".join(str(p) for p in islice(prefixes, MAX_LISTED))
    return named if len(prefixes) <= MAX_LISTED else f"{named} and {len(prefixes) - MAX_LISTED} more"


def advice(description: str) -> Fix:
    """A fix no single command expresses (a design choice, a capture to take again): said in one line."""
    return Fix(description)


def second_nic(vm_name: str, vm_id: str, member: VirtualNetwork) -> Fix:
    """AC402: the VM's own traffic needs an address outside anycast space, on a second NIC."""
    group = resource_group(vm_id)
    nic = f"{vm_name}-mgmt"
    prefix = "<unique per-region prefix>"
    commands = [
        az(
            "az network vnet update",
            resource_group=group,
            name=member.name,
            add=f"addressSpace.addressPrefixes {prefix}",
        ),
        az(
            "az network vnet subnet create",
            resource_group=group,
            vnet_name=member.name,
            name="snet-mgmt",
            address_prefixes=prefix,
        ),
        az("az network nic create", resource_group=group, name=nic, vnet_name=member.name, subnet="snet-mgmt"),
        az("az vm nic add", resource_group=group, vm_name=vm_name, nics=nic),
    ]
    subnet_id = f"{member.id}/subnets/snet-mgmt"
    return Fix(
        f"give '{member.name}' a unique per-region address space with a subnet 'snet-mgmt', and VM '{vm_name}' a "
        f"second NIC '{nic}' there for its own traffic",
        az="\n".join(commands),
        terraform=resource(
            "azurerm_network_interface",
            nic,
            ("name", nic),
            ("resource_group_name", group),
            ("location", member.region or "<region>"),
            (
                "ip_configuration",
                block(
                    "ip_configuration",
                    ("name", "mgmt"),
                    ("subnet_id", subnet_id),
                    ("private_ip_address_allocation", "Dynamic"),
                ),
            ),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/networkInterfaces",
            nic,
            {"ipConfigurations": [{"name": "mgmt", "properties": {"subnet": {"id": subnet_id}}}]},
        ),
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


def gateway_summaries(hub: VirtualNetwork, summaries: Sequence[str], why: str) -> Fix:
    """AC308: the prefixes a hub's gateway advertises instead of its spokes' (summarizedGatewayPrefixes)."""
    path = "properties.summarizedGatewayPrefixes.addressPrefixes"
    return Fix(
        f"set summarizedGatewayPrefixes of hub '{hub.name}' to {', '.join(summaries)}: {why}",
        az=az("az resource update", ids=hub.id, set=f"{path}={json.dumps(list(summaries))}"),
        terraform="# summarizedGatewayPrefixes has no azurerm attribute: set it with the azapi provider\n"
        + resource(
            "azapi_update_resource",
            f"{hub.name}-summaries",
            ("type", "Microsoft.Network/virtualNetworks@2025-05-01"),
            ("resource_id", hub.id),
            ("body", {"properties": {"summarizedGatewayPrefixes": {"addressPrefixes": list(summaries)}}}),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/virtualNetworks",
            hub.name,
            {"summarizedGatewayPrefixes": {"addressPrefixes": list(summaries)}},
        ),
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

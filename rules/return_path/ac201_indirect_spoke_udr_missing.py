"""AC201 indirect-spoke-udr-missing: replies from an indirect spoke need a UDR back to the forwarder.

An indirect spoke is not connected to any gateway or hub, so it has no route to on-premises. Its VIP
subnet needs a route for every on-premises range with next hop the forwarder in the transit VNet (the
same address the hub connection's static route points to); otherwise queries arrive and replies are
dropped. Coverage is prefix math: 172.16.0.0/12 covers 172.16.10.0/24, and a more specific route inside
the range that goes elsewhere breaks that part.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from anycast_lint.analysis.design_facts import (
    TransitLink,
    covering_static_routes,
    forwarder_ips,
    forwarders_in,
    route_for,
    service_subnets,
)
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import APPEND, SET, Change, Edit, Fix
from anycast_lint.fixes.builders import advice, append_child, free_name
from anycast_lint.fixes.snippets import arm_property, az, block, resource, resource_group
from anycast_lint.model.coverage import holds_no
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPAddress, IPNetwork, Route, RouteTable, Subnet, Topology, VirtualNetwork
from anycast_lint.rules._common import undecided, unread_link
from anycast_lint.rules.registry import rule
from anycast_lint.rules.return_path._shared import indirect_members

APPLIANCE = ("VirtualAppliance", "VirtualApplianceEcmp")


@dataclass(frozen=True)
class _Forwarder:
    """Where one indirect member's replies must go: the forwarder in its transit VNet that the traffic came
    through, as the hub connection's static route names it (else any forwarder in the transit VNet)."""

    transit: VirtualNetwork
    targets: dict[IPAddress, str]  # the forwarder's addresses -> what names them
    forwarders: dict[str, str]  # forwarders whose address is known only after apply: id key -> label
    unread: list[str]  # the forwarder kinds the input holds none of
    want: IPAddress | None
    want_text: str


@rule("AC201", "indirect-spoke-udr-missing", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    onprem = ctx.config.onprem_prefixes
    if not onprem:
        return  # AC105 notes once that the on-premises ranges are not configured
    for service, vip, link in indirect_members(ctx):
        member = link.member
        forwarder = _expected_forwarder(topology, link)
        subnets = service_subnets(topology, member, vip)
        if not subnets:
            yield undecided(
                f"cannot check the return route of '{member.name}' (service '{service.name}'): no subnet holds the VIP "
                f"or an endpoint",
                member.id,
                member.origin,
                f"{id_key(link.transit.id)}|no-subnet",
                f"include the subnet of '{member.name}' that holds the VIP or its endpoint in the input",
            )
            continue
        for subnet in subnets:
            yield from _subnet_findings(topology, member, subnet, onprem, forwarder)


def _expected_forwarder(topology: Topology, link: TransitLink) -> _Forwarder:
    transit = link.transit
    expected: dict[IPAddress, str] = {}
    expected_forwarders: dict[str, str] = {}  # next hops known only as "this firewall's IP"
    for connection in link.connections:
        for prefix in link.member.address_prefixes:
            for static in covering_static_routes(connection, prefix):
                if static.next_hop_ip is not None:
                    expected[static.next_hop_ip] = f"static route '{static.name}' on {connection.name}"
                elif static.next_hop_forwarder_id is not None:
                    forwarder = topology.forwarders.find(static.next_hop_forwarder_id)
                    label = forwarder.label if forwarder else static.next_hop_text
                    expected_forwarders[id_key(static.next_hop_forwarder_id)] = label
    forwarders = forwarder_ips(topology, transit)
    targets = expected or ({} if expected_forwarders else forwarders)
    target_forwarders = expected_forwarders or ({} if expected else forwarders_in(topology, transit))
    want = next(iter(targets), None)
    if want:
        want_text = str(want)
    elif target_forwarders:
        want_text = f"the private IP of {_first(target_forwarders)}"
    else:
        want_text = f"a forwarder in {transit.name}"
    # the forwarders are firewalls/NVAs and NICs with IP forwarding: unread when the input holds neither kind
    unread = topology.coverage.missing("forwarders", "network_interfaces")
    return _Forwarder(transit, targets, target_forwarders, unread, want, want_text)


def _subnet_findings(
    topology: Topology, member: VirtualNetwork, subnet: Subnet, onprem: Sequence[IPNetwork], forwarder: _Forwarder
) -> Iterator[Violation]:
    """The subnet's route table, if it can be read, must send every on-premises range to the forwarder."""
    transit = forwarder.transit
    table = topology.route_tables.find(subnet.route_table_id)
    what = f"the return route of subnet '{member.name}/{subnet.name}'"
    unread = unread_link(
        subnet, "route_table_id", table is not None, "route table", what, f"{id_key(transit.id)}|table-unknown"
    )
    if unread is not None:
        yield unread
        return
    if table is None:
        ranges = ", ".join(map(str, onprem))
        yield Violation(
            f"subnet '{member.name}/{subnet.name}' of indirect spoke '{member.name}' has no route table: replies "
            f"to on-premises ({ranges}) have no way back, since '{member.name}' is reached through "
            f"{transit.name} and is connected to no gateway. Associate a route table with "
            + "; ".join(f"{p} -> VirtualAppliance {forwarder.want_text}" for p in onprem),
            subnet.id,
            subnet.origin,
            f"{id_key(transit.id)}|no-table",
            fix=new_route_table(topology, member, subnet, onprem, forwarder.want, forwarder.want_text),
        )
        return
    if table.unknown("routes") is not None:
        return  # a template's route list it could not evaluate: AC001 notes it (one finding per cause)
    for range_ in onprem:
        yield from _range_findings(member, subnet, table, range_, forwarder)


def _range_findings(
    member: VirtualNetwork, subnet: Subnet, table: RouteTable, range_: IPNetwork, forwarder: _Forwarder
) -> Iterator[Violation]:
    """The route the table uses for one on-premises range, and the more specific routes inside it."""
    transit, want, want_text = forwarder.transit, forwarder.want, forwarder.want_text
    decision = route_for(table, range_)
    route = decision.route
    fix = f"add route {range_} -> VirtualAppliance {want_text} to route table {table.name}"
    if route is None:
        yield Violation(
            f"route table '{table.name}' of subnet '{member.name}/{subnet.name}' has no route covering "
            f"on-premises {range_}: replies from the indirect spoke have no way back. Fix: {fix}",
            table.id,
            table.origin,
            f"{range_}|missing",
            fix=add_udr(table, range_, want, want_text),
        )
        return
    good = _good(route, forwarder)
    if good is None:
        yield undecided(
            f"cannot tell whether route '{route.name}' in '{table.name}' sends on-premises {range_} to "
            f"the forwarder in {transit.name}: {_unknown_because(route, forwarder)}",
            route.id,
            route.origin,
            f"{range_}|{route.name}|unknown",
            "scan the plan after apply (the forwarder's address is known then), or give the address in the route",
        )
        return
    if not good:
        where = f"{route.next_hop_type} {' '.join(map(str, route.next_hop_ips))}".strip()
        yield Violation(
            f"route '{route.name}' in '{table.name}' sends on-premises {range_} to {where}, not to the "
            f"forwarder {want_text} in {transit.name} that the traffic came through: replies take another "
            f"path and the stateful forwarder drops them. Fix: route {range_} -> VirtualAppliance "
            f"{want_text}",
            route.id,
            route.origin,
            f"{range_}|{route.name}",
            (Related(f"the forwarder: {forwarder.targets.get(want, '')}", transit.origin, transit.id),) if want else (),
            fix=udr_next_hop(route, range_, want, want_text),
        )
        return
    for exception in decision.exceptions:
        yield from _exception_findings(table, range_, exception, forwarder)


def _exception_findings(
    table: RouteTable, range_: IPNetwork, exception: Route, forwarder: _Forwarder
) -> Iterator[Violation]:
    """A more specific route inside an on-premises range that goes elsewhere breaks that part."""
    verdict = _good(exception, forwarder)
    if verdict:
        return
    if verdict is None:
        yield undecided(
            f"cannot tell whether route '{exception.name}' in '{table.name}' sends "
            f"{exception.address_prefix} (part of on-premises {range_}) to the forwarder in "
            f"{forwarder.transit.name}: {_unknown_because(exception, forwarder)}",
            exception.id,
            exception.origin,
            f"{range_}|{exception.name}|unknown",
            "scan the plan after apply, or give the address in the route",
        )
        return
    yield Violation(
        f"route '{exception.name}' in '{table.name}' sends {exception.address_prefix} (part of "
        f"on-premises {range_}) to {exception.next_hop_type}, not to the forwarder {forwarder.want_text}: replies "
        f"to that part have no way back",
        exception.id,
        exception.origin,
        f"{range_}|{exception.name}",
        fix=advice(f"point route '{exception.name}' at VirtualAppliance {forwarder.want_text}, or remove it"),
    )


def _first(labels: dict[str, str]) -> str:
    return next(iter(labels.values()))


def _good(route: Route, forwarder: _Forwarder) -> bool | None:
    """Whether a route sends to one of the expected forwarders; None when its next hop is unknown (not
    pinned by a Terraform reference, say): unknown is never compared as a different next hop."""
    if route.unknown("next_hop_type") is not None:
        return None
    if route.next_hop_type not in APPLIANCE:
        return False
    verdict = _reaches(route, forwarder)
    if verdict is False and _hop_unknown(route):
        return None
    return verdict


def _hop_unknown(route: Route) -> bool:
    return not route.next_hop_ips and route.next_hop_forwarder_id is None and route.unknown("next_hop_ips") is not None


def _reaches(route: Route, forwarder: _Forwarder) -> bool | None:
    """Whether a route's next hop is one of the expected forwarders; None when that is unknown (the
    next hop, or the forwarders' addresses, are known only after deployment, or the input holds no
    forwarders to compare with)."""
    targets, forwarders = forwarder.targets, forwarder.forwarders
    if route.next_hop_forwarder_id is not None and id_key(route.next_hop_forwarder_id) in forwarders:
        return True
    if set(route.next_hop_ips) & set(targets):
        return True
    if not targets and not forwarders:
        return None if forwarder.unread and route.next_hop_ips else True  # nothing to compare with: read, or not read
    if route.next_hop_forwarder_id is not None and targets:
        return None  # the route names a firewall whose address is not known; the expected one is
    if route.next_hop_ips and forwarders and not targets:
        return None  # the route names an address; the forwarder's is not known yet
    return False


def _unknown_because(route: Route, forwarder: _Forwarder) -> str:
    unknown = route.unknown("next_hop_type") or (route.unknown("next_hop_ips") if _hop_unknown(route) else None)
    if unknown is not None:
        return f"its next hop is unknown: {unknown.reason}"
    if not forwarder.forwarders and forwarder.unread:
        return f"its next hop is {' '.join(map(str, route.next_hop_ips))}, and {holds_no(forwarder.unread)}"
    if route.next_hop_forwarder_id is not None:
        return f"its next hop is the private IP of '{route.next_hop_forwarder_id.rsplit('/', 1)[-1]}', known only after apply"
    hops = " ".join(map(str, route.next_hop_ips))
    return f"its next hop is {hops}, and the address of {_first(forwarder.forwarders)} is known only after apply"


def _root(origin: Origin) -> Origin:
    return Origin(origin.file, (), origin.document)


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


def add_udr(table: RouteTable, prefix: IPNetwork, next_hop: IPAddress | None, hop_text: str) -> Fix:
    """AC201: the member subnet's table lacks a route for an on-premises range."""
    group = resource_group(table.id)
    name = free_name(f"onprem-{str(prefix).replace('/', '-')}", [r.name for r in table.routes])
    hop = str(next_hop) if next_hop is not None else hop_text
    body = _route_body(prefix, hop)
    return Fix(
        f"add route {prefix} -> VirtualAppliance {hop} to route table '{table.name}'",
        az=_route_az(table.name, group, name, prefix, hop),
        terraform=_route_tf(table.name, group, name, prefix, hop),
        arm=arm_property("Microsoft.Network/routeTables/routes", f"{table.name}/{name}", body),
        edits=(append_child(table.origin, table.id, "routes", name, body),) if next_hop is not None else (),
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


def _association_az(member: VirtualNetwork, subnet: Subnet, table_name: str) -> str:
    return az(
        "az network vnet subnet update",
        resource_group=resource_group(subnet.id),
        vnet_name=member.name,
        name=subnet.name,
        route_table=table_name,
    )


def _association_tf(member: VirtualNetwork, subnet: Subnet, table_id: str) -> str:
    return resource(
        "azurerm_subnet_route_table_association",
        f"{member.name}-{subnet.name}",
        ("subnet_id", subnet.id),
        ("route_table_id", table_id),
    ).text()


def _association_edit(subnet: Subnet, table_name: str, table_id: str) -> Edit:
    return Edit(
        subnet.origin,
        (Change(SET, ("routeTable",), table_name),),
        (Change(SET, ("properties", "routeTable"), {"id": table_id}),),
    )


def _associate(member: VirtualNetwork, subnet: Subnet, table: RouteTable) -> Fix:
    return Fix(
        f"associate route table '{table.name}' (it already sends on-premises to the forwarder) with subnet "
        f"'{member.name}/{subnet.name}'",
        az=_association_az(member, subnet, table.name),
        terraform=_association_tf(member, subnet, table.id),
        arm=json.dumps({"subnet": {"properties": {"routeTable": {"id": table.id}}}}, indent=2),
        edits=(_association_edit(subnet, table.name, table.id),),
    )


@dataclass(frozen=True)
class _NewTable:
    """The route table the fix creates: every on-premises range via the forwarder, gateway route propagation
    off (the indirect spoke learns nothing useful from a gateway)."""

    name: str
    id: str
    group: str
    region: str
    routes: tuple[tuple[str, IPNetwork], ...]  # (route name, on-premises range)
    hop: str

    def native_body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "region": self.region,
            "disableBgpRoutePropagation": True,
            "routes": [{"name": n, **_route_body(p, self.hop)} for n, p in self.routes],
        }

    def arm_body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "id": self.id,
            "type": "Microsoft.Network/routeTables",
            "location": self.region,
            "properties": {
                "disableBgpRoutePropagation": True,
                "routes": [
                    {"name": n, "id": f"{self.id}/routes/{n}", "properties": _route_body(p, self.hop)}
                    for n, p in self.routes
                ],
            },
        }

    def az_commands(self) -> list[str]:
        create = az(
            "az network route-table create",
            resource_group=self.group,
            name=self.name,
            location=self.region,
            disable_bgp_route_propagation="true",
        )
        return [create] + [_route_az(self.name, self.group, n, p, self.hop) for n, p in self.routes]

    def terraform(self) -> str:
        return resource(
            "azurerm_route_table",
            self.name,
            ("name", self.name),
            ("resource_group_name", self.group),
            ("location", self.region),
            ("bgp_route_propagation_enabled", False),
            *[
                (
                    "route",
                    block(
                        "route",
                        ("name", n),
                        ("address_prefix", str(p)),
                        ("next_hop_type", "VirtualAppliance"),
                        ("next_hop_in_ip_address", self.hop),
                    ),
                )
                for n, p in self.routes
            ],
        ).text()


def new_route_table(
    topology: Topology,
    member: VirtualNetwork,
    subnet: Subnet,
    ranges: Sequence[IPNetwork],
    next_hop: IPAddress | None,
    hop_text: str,
) -> Fix:
    """AC201: the member subnet has no route table: associate one of the input that already sends every
    on-premises range to the forwarder, else create one (see _NewTable) and associate it."""
    existing = _table_with_routes(topology, member, ranges, next_hop)
    if existing is not None:
        return _associate(member, subnet, existing)
    name = free_name(f"rt-{member.name}", [t.name for t in topology.route_tables.values()])
    table = _NewTable(
        name,
        f"{id_parent(member.id)}/routeTables/{name}",
        resource_group(subnet.id),
        member.region or "<region>",
        tuple((f"onprem-{str(p).replace('/', '-')}", p) for p in ranges),
        str(next_hop) if next_hop is not None else hop_text,
    )
    routes = ", ".join(f"{p} -> VirtualAppliance {table.hop}" for _, p in table.routes)
    return Fix(
        f"create route table '{name}' ({routes}, gateway route propagation off) and associate it with subnet "
        f"'{member.name}/{subnet.name}'",
        az="\n".join([*table.az_commands(), _association_az(member, subnet, name)]),
        terraform=table.terraform() + "\n" + _association_tf(member, subnet, table.id),
        arm=json.dumps(
            {"subnet": {"properties": {"routeTable": {"id": table.id}}}, "routeTable": table.arm_body()}, indent=2
        ),
        edits=(
            _association_edit(subnet, name, table.id),
            Edit(
                _root(subnet.origin),
                (Change(APPEND, ("routeTables",), table.native_body()),),
                (Change(APPEND, ("value",), table.arm_body()),),
            ),
        )
        if next_hop is not None
        else (),
    )

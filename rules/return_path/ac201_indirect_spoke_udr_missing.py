"""AC201 indirect-spoke-udr-missing: replies from an indirect spoke need a UDR back to the forwarder.

An indirect spoke is not connected to any gateway or hub, so it has no route to on-premises. Its VIP
subnet needs a route for every on-premises range with next hop the forwarder in the transit VNet (the
same address the hub connection's static route points to); otherwise queries arrive and replies are
dropped. Coverage is prefix math: 172.16.0.0/12 covers 172.16.10.0/24, and a more specific route inside
the range that goes elsewhere breaks that part.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.design_facts import (
    covering_static_routes,
    forwarder_ips,
    forwarders_in,
    route_for,
    service_subnets,
)
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import add_udr, advice, new_route_table, udr_next_hop
from anycast_lint.model.coverage import holds_no
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPAddress, Route
from anycast_lint.rules.registry import rule
from anycast_lint.rules.return_path._shared import indirect_members

APPLIANCE = ("VirtualAppliance", "VirtualApplianceEcmp")


@rule("AC201", "indirect-spoke-udr-missing", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    onprem = ctx.config.onprem_prefixes
    for service, vip, link in indirect_members(ctx):
        member, transit = link.member, link.transit
        if not onprem:
            continue  # AC105 notes once that the on-premises ranges are not configured
        expected: dict[IPAddress, str] = {}
        expected_forwarders: dict[str, str] = {}  # next hops known only as "this firewall's IP"
        for connection in link.connections:
            for prefix in member.address_prefixes:
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
        subnets = service_subnets(topology, member, vip)
        if not subnets:
            yield Violation(
                f"cannot check the return route of '{member.name}' (service '{service.name}'): no subnet holds the VIP "
                f"or an endpoint",
                member.id,
                member.origin,
                f"{id_key(transit.id)}|no-subnet",
                unknown=True,
                fix=advice(f"include the subnet of '{member.name}' that holds the VIP or its endpoint in the input"),
            )
            continue
        for subnet in subnets:
            table = topology.route_tables.find(subnet.route_table_id)
            if subnet.route_table_id and table is None:
                yield Violation(
                    f"cannot check the return route of subnet '{member.name}/{subnet.name}': its route table "
                    f"{subnet.route_table_id} is not in the input",
                    subnet.id,
                    subnet.origin,
                    f"{id_key(transit.id)}|table-unknown",
                    unknown=True,
                    fix=advice(f"include route table {subnet.route_table_id} in the input"),
                )
                continue
            unknown_table = subnet.unknown("route_table_id")
            if table is None and unknown_table is not None:
                yield Violation(
                    f"cannot check the return route of subnet '{member.name}/{subnet.name}': its route table is "
                    f"unknown: {unknown_table.reason}",
                    subnet.id,
                    unknown_table.origin,
                    f"{id_key(transit.id)}|table-unknown",
                    unknown=True,
                    fix=advice("scan the plan after apply, or link the route table with an association resource"),
                )
                continue
            if table is None:
                ranges = ", ".join(map(str, onprem))
                yield Violation(
                    f"subnet '{member.name}/{subnet.name}' of indirect spoke '{member.name}' has no route table: replies "
                    f"to on-premises ({ranges}) have no way back, since '{member.name}' is reached through "
                    f"{transit.name} and is connected to no gateway. Associate a route table with "
                    + "; ".join(f"{p} -> VirtualAppliance {want_text}" for p in onprem),
                    subnet.id,
                    subnet.origin,
                    f"{id_key(transit.id)}|no-table",
                    fix=new_route_table(topology, member, subnet, onprem, want, want_text),
                )
                continue
            if table.unknown("routes") is not None:
                continue  # a template's route list it could not evaluate: AC001 notes it (one finding per cause)
            for range_ in onprem:
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
                    continue
                good = _good(route, targets, target_forwarders, unread)
                if good is None:
                    yield Violation(
                        f"cannot tell whether route '{route.name}' in '{table.name}' sends on-premises {range_} to "
                        f"the forwarder in {transit.name}: {_undecided(route, target_forwarders, unread)}",
                        route.id,
                        route.origin,
                        f"{range_}|{route.name}|unknown",
                        unknown=True,
                        fix=advice(
                            "scan the plan after apply (the forwarder's address is known then), or give the address in the route"
                        ),
                    )
                    continue
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
                        (Related(f"the forwarder: {targets.get(want, '')}", transit.origin, transit.id),)
                        if want
                        else (),
                        fix=udr_next_hop(route, range_, want, want_text),
                    )
                    continue
                for exception in decision.exceptions:
                    verdict = _good(exception, targets, target_forwarders, unread)
                    if verdict:
                        continue
                    if verdict is None:
                        yield Violation(
                            f"cannot tell whether route '{exception.name}' in '{table.name}' sends "
                            f"{exception.address_prefix} (part of on-premises {range_}) to the forwarder in "
                            f"{transit.name}: {_undecided(exception, target_forwarders, unread)}",
                            exception.id,
                            exception.origin,
                            f"{range_}|{exception.name}|unknown",
                            unknown=True,
                            fix=advice("scan the plan after apply, or give the address in the route"),
                        )
                        continue
                    yield Violation(
                        f"route '{exception.name}' in '{table.name}' sends {exception.address_prefix} (part of "
                        f"on-premises {range_}) to {exception.next_hop_type}, not to the forwarder {want_text}: replies "
                        f"to that part have no way back",
                        exception.id,
                        exception.origin,
                        f"{range_}|{exception.name}",
                        fix=advice(f"point route '{exception.name}' at VirtualAppliance {want_text}, or remove it"),
                    )


def _first(labels: dict[str, str]) -> str:
    return next(iter(labels.values()))


def _good(route: Route, targets: dict[IPAddress, str], forwarders: dict[str, str], unread: list[str]) -> bool | None:
    """Whether a route sends to one of the expected forwarders; None when its next hop is unknown (not
    pinned by a Terraform reference, say): unknown is never compared as a different next hop."""
    if route.unknown("next_hop_type") is not None:
        return None
    if route.next_hop_type not in APPLIANCE:
        return False
    verdict = _reaches(route, targets, forwarders, unread)
    if verdict is False and _hop_unknown(route):
        return None
    return verdict


def _hop_unknown(route: Route) -> bool:
    return not route.next_hop_ips and route.next_hop_forwarder_id is None and route.unknown("next_hop_ips") is not None


def _reaches(route: Route, targets: dict[IPAddress, str], forwarders: dict[str, str], unread: list[str]) -> bool | None:
    """Whether a route's next hop is one of the expected forwarders; None when that is unknown (the
    next hop, or the forwarders' addresses, are known only after deployment, or the input holds no
    forwarders to compare with)."""
    if route.next_hop_forwarder_id is not None and id_key(route.next_hop_forwarder_id) in forwarders:
        return True
    if set(route.next_hop_ips) & set(targets):
        return True
    if not targets and not forwarders:
        return None if unread and route.next_hop_ips else True  # nothing to compare with: read, or not read
    if route.next_hop_forwarder_id is not None and targets:
        return None  # the route names a firewall whose address is not known; the expected one is
    if route.next_hop_ips and forwarders and not targets:
        return None  # the route names an address; the forwarder's is not known yet
    return False


def _undecided(route: Route, forwarders: dict[str, str], unread: list[str]) -> str:
    unknown = route.unknown("next_hop_type") or (route.unknown("next_hop_ips") if _hop_unknown(route) else None)
    if unknown is not None:
        return f"its next hop is unknown: {unknown.reason}"
    if not forwarders and unread:
        return f"its next hop is {' '.join(map(str, route.next_hop_ips))}, and {holds_no(unread)}"
    if route.next_hop_forwarder_id is not None:
        return f"its next hop is the private IP of '{route.next_hop_forwarder_id.rsplit('/', 1)[-1]}', known only after apply"
    hops = " ".join(map(str, route.next_hop_ips))
    return f"its next hop is {hops}, and the address of {_first(forwarders)} is known only after apply"

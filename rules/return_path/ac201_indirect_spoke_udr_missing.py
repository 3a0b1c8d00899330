"""AC201 indirect-spoke-udr-missing: replies from an indirect spoke need a UDR back to the forwarder.

An indirect spoke is not connected to any gateway or hub, so it has no route to on-premises. Its VIP
subnet needs a route for every on-premises range with next hop the forwarder in the transit VNet (the
same address the hub connection's static route points to); otherwise queries arrive and replies are
dropped. Coverage is prefix math: 172.16.0.0/12 covers 172.16.10.0/24, and a more specific route inside
the range that goes elsewhere breaks that part.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.context import RuleContext
from anycast_lint.design import covering_static_routes, forwarder_ips, route_for, service_subnets
from anycast_lint.findings import Level, Related, Violation
from anycast_lint.ids import id_key
from anycast_lint.model import IPAddress
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
        for connection in link.connections:
            for prefix in member.address_prefixes:
                for static in covering_static_routes(connection, prefix):
                    if static.next_hop_ip is not None:
                        expected[static.next_hop_ip] = f"static route '{static.name}' on {connection.name}"
        forwarders = forwarder_ips(topology, transit)
        targets = expected or forwarders
        want = next(iter(targets), None)
        want_text = str(want) if want else f"a forwarder in {transit.name}"
        subnets = service_subnets(topology, member, vip)
        if not subnets:
            yield Violation(
                f"cannot check the return route of '{member.name}' (service '{service.name}'): no subnet holds the VIP "
                f"or an endpoint",
                member.id,
                member.origin,
                f"{id_key(transit.id)}|no-subnet",
                unknown=True,
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
                )
                continue
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
                    )
                    continue
                hops = set(route.next_hop_ips)
                good = route.next_hop_type in APPLIANCE and (hops & set(targets) if targets else True)
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
                    )
                    continue
                for exception in decision.exceptions:
                    if exception.next_hop_type in APPLIANCE and set(exception.next_hop_ips) & set(targets):
                        continue
                    yield Violation(
                        f"route '{exception.name}' in '{table.name}' sends {exception.address_prefix} (part of "
                        f"on-premises {range_}) to {exception.next_hop_type}, not to the forwarder {want_text}: replies "
                        f"to that part have no way back",
                        exception.id,
                        exception.origin,
                        f"{range_}|{exception.name}",
                    )

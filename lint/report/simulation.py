"""`anycast-lint simulate` output: predicted route tables in the az CLI's columns, and service winners."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from anycast_lint.analysis.services import AnycastService, service_vip
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import IPAddress, Topology
from anycast_lint.routing import DownConnection, Failure, Refused, Routing, ServiceChoice
from anycast_lint.routing.advertise import Advertisement
from anycast_lint.routing.asns import path_text
from anycast_lint.routing.select import TIE_BREAK

COLUMNS = ("LocPrf", "Network", "NextHop", "Path", "Weight")


@dataclass
class Simulation:
    topology: Topology
    base: Routing
    view: Routing  # the base, or the base with --fail applied
    each_member: bool = False


def route_table(rows: list[tuple[Advertisement, bool]]) -> str:
    """The table as `az network express-route list-route-tables -o table` prints it."""
    cells = [
        (
            str(r.local_preference),
            str(r.prefix),
            r.next_hop_text + ("*" if best else ""),
            r.path_text,
            str(r.weight),
        )
        for r, best in rows
    ]
    return text_table(COLUMNS, cells)


def text_table(columns: tuple[str, ...], cells: Sequence[tuple[str, ...]], indent: str = "") -> str:
    """Columns as the az CLI's `-o table` lays them out: a header, dashes, left-aligned cells."""
    widths = [max([len(h) + 2] + [len(c[i]) for c in cells]) for i, h in enumerate(columns)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip() for cell in cells]
    return "\n".join(indent + line for line in lines)


def member_label(topology: Topology, member_id: str | None) -> str:
    if member_id is None:
        return "no member of the service"
    vnet = topology.virtual_networks.find(member_id)
    return f"{vnet.name} ({vnet.region or 'region unknown'})" if vnet else id_name(member_id)


def _choice_lines(topology: Topology, circuit_name: str, choice: ServiceChoice | None) -> list[str]:
    if choice is None:
        return [f"  {circuit_name}: no route to the VIP"]
    winner, runner_up = choice.winner, choice.runner_up
    target = member_label(topology, choice.member_id)
    lines = [f"  {circuit_name} -> {target} via {winner.next_hop_text}, {winner.gateway_label}"]
    if runner_up is not None:
        note = " [lowest-next-hop tie-break: observed, not documented]" if choice.decided_by == TIE_BREAK else ""
        other = member_label(topology, choice.runner_up_member_id)
        lines.append(f"    runner-up {other} via {runner_up.next_hop_text}: {choice.comparison}{note}")
    return lines


def _services(simulation: Simulation) -> list[tuple[AnycastService, IPAddress | None]]:
    return [(s, service_vip(s, simulation.topology)) for s in simulation.view.services]


def render_text(simulation: Simulation) -> str:
    view, topology = simulation.view, simulation.topology
    out: list[str] = []
    if view.failure:
        out.append(f"Failed: {', '.join(view.failure.description)}")
        withdrawn = sorted({r.how for r in simulation.base.routes if _withdrawn_only_with_member(r, view.failure)})
        for how in withdrawn:
            out.append(f"  withdrawn with the failed member: {how} (Azure keeps a static route until it is removed)")
        out.append("")
    for circuit in view.circuits():
        rows = view.table(circuit.id)
        out.append(f"Circuit {circuit.name}: predicted routes (primary and secondary paths alike)")
        out.append(route_table(rows) if rows else "(no routes)")
        if any(r.next_hop_predicted for r, _ in rows):
            out.append(
                "? next hop predicted from the GatewaySubnet (.4, .5; the field report observed .12, .13); declare "
                "the gateway's BGP peering addresses, or give a captured route table, to know it"
            )
        if any(r.next_hop_observed for r, _ in rows):
            out.append("next hops of gateways that declare no addresses are taken from the captured route table")
        if any(r.next_hop is None for r, _ in rows):
            out.append("unknown: gateway instance addresses are not in the input (instanceIps / bgpPeeringAddresses)")
        out += [f"not accepted: {_refused_text(topology, r)}" for r in _refused_at(view, circuit.id)]
        out += [f"down: {_down_text(d)}" for d in view.down if id_key(d.circuit_id) == id_key(circuit.id)]
        out += _reasons(rows)
        out.append("")
    for gap in simulation.base.not_advertised:
        if gap.unknown:
            out.append(f"unknown: {member_label(topology, gap.vnet_id)} is not in the tables above: {gap.reason}")
            out.append("")
    for service, vip in _services(simulation):
        members = len(service.members)
        if vip is None:
            out.append(f"Service {service.name}: no VIP known (set services.{service.name}.vip in anycast-lint.yaml)")
            out.append("")
            continue
        out.append(f"Service {service.name} (VIP {vip}, {members} member{'s' if members != 1 else ''}):")
        for circuit in view.circuits():
            choice = view.service_choice(service, circuit.id, vip)
            out += _choice_lines(topology, circuit.name, choice)
            if view.failure:
                before = simulation.base.service_choice(service, circuit.id, vip)
                if before is not None and (
                    choice is None or before.member_id != (choice.member_id if choice else None)
                ):
                    now = member_label(topology, choice.member_id) if choice else "nowhere"
                    out.append(f"    failover: {member_label(topology, before.member_id)} -> {now}")
        if simulation.each_member:
            out.append("  if one member fails:")
            for member in service.members:
                failed = simulation.base.fail(_member_failure(member.id, member.name))
                for circuit in view.circuits():
                    choice = failed.service_choice(service, circuit.id, vip)
                    target = (
                        f"{member_label(topology, choice.member_id)} via {choice.winner.next_hop_text}"
                        if choice
                        else _no_route(simulation, service, member.id)
                    )
                    out.append(f"    {member.name} down: {circuit.name} -> {target}")
        out.append("")
    if not view.circuits():
        out.append("No ExpressRoute circuit in the input: nothing to simulate.")
    return "\n".join(out).rstrip() + "\n"


def _no_route(simulation: Simulation, service: AnycastService, failed_id: str) -> str:
    """No modelled route: unreachable, unless another member's advertisement is unknown (see above)."""
    unknown = [
        n
        for n in simulation.base.not_advertised
        if n.unknown and service.has_member(n.vnet_id) and id_key(n.vnet_id) != id_key(failed_id)
    ]
    if unknown:
        other = member_label(simulation.topology, unknown[0].vnet_id)
        return f"unknown: no modelled route; {other} may be advertised (see above)"
    return "no route: the VIP is unreachable"


def _refused_at(view: Routing, circuit_id: str) -> list[Refused]:
    return [r for r in view.refused if id_key(r.circuit_id) == id_key(circuit_id)]


def _refused_text(topology: Topology, route: Refused) -> str:
    """`10.13.76.0/24 path 65515 12076 from er-conn-hub-01: route map 'x' put reserved ASN 12076 in it`."""
    connection = topology.er_connections.find(route.connection_id)
    maps = ", ".join(
        f"route map '{id_name(map_id)}' put reserved ASN {asn}" for asn, map_id in dict.fromkeys(route.reserved)
    )
    name = connection.name if connection else id_name(route.connection_id)
    return f"{route.prefix} path {path_text(route.as_path)} from '{name}' ({route.how}): {maps} in it (AC307)"


def unreachable(simulation: Simulation) -> list[str]:
    """Where a service's VIP has no route at a circuit that is up, in the simulated state: `simulate`
    is a gate, and these make it exit 1."""
    view = simulation.view
    gaps = []
    for service, vip in _services(simulation):
        if vip is None:
            continue
        for circuit in view.circuits():
            if not view.circuit_failed(circuit.id) and view.service_choice(service, circuit.id, vip) is None:
                gaps.append(f"service {service.name}: VIP {vip} has no route at circuit {circuit.name}")
    return gaps


def _withdrawn_only_with_member(route: Advertisement, failure: Failure) -> bool:
    """A static route that goes only because a member it covers failed (its hub and transit are up)."""
    if not route.how.startswith("static") or not failure.removes(route):
        return False
    members = {id_key(m) for m in route.members}
    return failure.keys & route.depends_on <= members


def _reasons(rows: list[tuple[Advertisement, bool]]) -> list[str]:
    """What the az-shaped columns cannot show: routes learned over Global Reach, and hubs with routing intent."""
    lines = [
        f"global reach: {route.prefix} via {route.next_hop_text} is learned from circuit "
        f"'{id_name(route.global_reach)}' over Global Reach"
        for route, _ in rows
        if route.global_reach
    ]
    intents = sorted(
        {route.how.rsplit("; routing intent: ", 1)[1] for route, _ in rows if "; routing intent: " in route.how}
    )
    gateways = sorted({route.gateway_label for route, _ in rows if "; routing intent: " in route.how})
    if intents:
        lines.append(
            f"routing intent: {', '.join(gateways)} advertise their hubs' own connections ({'; '.join(intents)}), "
            "whatever the route tables say"
        )
    return lines


def _down_text(connection: DownConnection) -> str:
    """`the connection of gateway 'x' advertises 1,002 IPv4 prefixes, over the 1,000 limit: ...`."""
    over = "; ".join(
        f"{count:,} IPv{version} prefixes, over the {limit:,} limit" for version, count, limit in connection.over()
    )
    return (
        f"the connection of {connection.gateway_label} would advertise {over} (ExpressRoute FAQ: the connection goes "
        "down, AC308); its routes are not in the table above"
    )


def _member_failure(member_id: str, name: str) -> Failure:
    return Failure(frozenset({id_key(member_id)}), (f"virtual network '{name}'",))


def _route_json(route: Advertisement, best: bool) -> dict[str, Any]:
    return {
        "network": str(route.prefix),
        "nextHop": str(route.next_hop) if route.next_hop else None,
        "nextHopPredicted": route.next_hop_predicted,
        "nextHopObserved": route.next_hop_observed,
        "path": route.path_text,
        "locPrf": route.local_preference,
        "weight": route.weight,
        "best": best,
        "gateway": route.gateway_id,
        "members": list(route.members),
        "how": route.how,
    }


def _choice_json(choice: ServiceChoice | None) -> dict[str, Any] | None:
    if choice is None:
        return None
    return {
        "member": choice.member_id,
        "nextHop": str(choice.winner.next_hop) if choice.winner.next_hop else None,
        "network": str(choice.winner.prefix),
        "runnerUp": choice.runner_up_member_id,
        "runnerUpNextHop": str(choice.runner_up.next_hop) if choice.runner_up and choice.runner_up.next_hop else None,
        "decidedBy": choice.decided_by,
        "comparison": choice.comparison,
    }


def render_json(simulation: Simulation) -> str:
    view = simulation.view
    document: dict[str, Any] = {
        "failed": list(view.failure.description),
        "circuits": [
            {
                "id": c.id,
                "name": c.name,
                "routes": [_route_json(r, best) for r, best in view.table(c.id)],
                "notAccepted": [
                    {
                        "network": str(r.prefix),
                        "path": path_text(r.as_path),
                        "connection": r.connection_id,
                        "reservedAsns": [{"asn": asn, "routeMap": m} for asn, m in dict.fromkeys(r.reserved)],
                        "how": r.how,
                    }
                    for r in _refused_at(view, c.id)
                ],
            }
            for c in view.circuits()
        ],
        "services": [],
    }
    for service, vip in _services(simulation):
        entry: dict[str, Any] = {
            "name": service.name,
            "vip": str(vip) if vip else None,
            "members": [m.id for m in service.members],
            "circuits": {},
        }
        if vip is not None:
            for circuit in view.circuits():
                entry["circuits"][circuit.name] = _choice_json(view.service_choice(service, circuit.id, vip))
            if simulation.each_member:
                entry["ifMemberFails"] = {
                    member.name: {
                        c.name: _choice_json(
                            simulation.base.fail(_member_failure(member.id, member.name)).service_choice(
                                service, c.id, vip
                            )
                        )
                        for c in view.circuits()
                    }
                    for member in service.members
                }
        document["services"].append(entry)
    document["down"] = [
        {
            "gateway": d.gateway_id,
            "circuit": d.circuit_id,
            "prefixes": {f"IPv{version}": count for version, count in sorted(d.counts.items())},
            "reason": "over the ExpressRoute prefix limit (AC308)",
        }
        for d in simulation.view.down
    ]
    document["notAdvertised"] = [
        {"vnet": n.vnet_id, "kind": n.kind, "reason": n.reason, "file": n.origin.file, "line": n.origin.line}
        for n in simulation.base.not_advertised
    ]
    return json.dumps(document, indent=2) + "\n"

"""`anycast-lint simulate --from onprem`: where each on-premises site sends each VIP, and why.

The model is routing/onprem.py: per circuit the edge's best route as on-premises receives it (12076 in
front, private ASNs removed, Azure's communities), ranked per site by prefix length, local preference
(`onprem.circuits` in anycast-lint.yaml) and AS path length; equal best routes are ECMP with
`onprem.multipath: true`, else each router's own tie-break.
"""

from __future__ import annotations

import json
from typing import Any

from anycast_lint.analysis.services import AnycastService, service_vip
from anycast_lint.inputs.config import Config
from anycast_lint.model.topology import IPAddress, Topology
from anycast_lint.report.simulation import Simulation, member_label, text_table
from anycast_lint.routing import Routing
from anycast_lint.routing.onprem import (
    MULTIPATH,
    ON_PREMISES_TIE,
    OnpremChoice,
    OnpremRoute,
    onprem_choices,
    unknown_policies,
)

COLUMNS = ("Circuit", "Network", "LocPrf", "Path", "Communities", "EdgePath", "Member")
HEADER = (
    "On-premises view: paths as on-premises receives them (12076 in front, private ASNs removed: observed in "
    "the field report); local preference from onprem.circuits in anycast-lint.yaml (default 100)"
)


def _cells(topology: Topology, choice: OnpremChoice) -> list[tuple[str, ...]]:
    used = {id(r) for r in choice.used}
    return [
        (
            r.circuit.name,
            str(r.edge.prefix),
            str(r.local_preference),
            r.path_text + ("*" if id(r) in used else ""),
            " ".join(r.communities) or "-",
            r.edge.path_text,
            member_label(topology, r.member_id),
        )
        for r in choice.routes
    ]


def _via(topology: Topology, route: OnpremRoute) -> str:
    return f"{member_label(topology, route.member_id)} via circuit {route.circuit.name}"


def _outcome(topology: Topology, choice: OnpremChoice) -> str:
    decided, comparison = choice.decided()
    if decided == MULTIPATH:
        targets = " and ".join(_via(topology, r) for r in choice.equal_best)
        return f"-> split: {targets}: {comparison}; multipath spreads flows over all of them (AC305)"
    if decided == ON_PREMISES_TIE:
        targets = " or ".join(_via(topology, r) for r in choice.equal_best)
        return (
            f"-> {targets}: {comparison}; each router's own tie-break decides (IGP cost to the exit, route age, "
            "router ID: not modelled), so routers can disagree (AC305)"
        )
    return f"-> {_via(topology, choice.best)}: {comparison}"


def _lines(simulation: Simulation, config: Config, service: AnycastService, vip: IPAddress) -> list[str]:
    topology, view = simulation.topology, simulation.view
    lines = []
    choices = onprem_choices(view, config, service, vip)
    before = {c.site: c for c in onprem_choices(simulation.base, config, service, vip)} if view.failure else {}
    for choice in choices:
        mode = "multipath on" if config.onprem_multipath else "multipath off"
        lines.append(f"  Site {choice.site} ({mode}):")
        lines.append(text_table(COLUMNS, _cells(topology, choice), indent="    "))
        lines.append(f"    {_outcome(topology, choice)}")
        earlier = before.get(choice.site)
        if earlier is not None and earlier.best.member_id != choice.best.member_id:
            was, now = member_label(topology, earlier.best.member_id), member_label(topology, choice.best.member_id)
            lines.append(f"    failover: {was} -> {now}")
    for site in sorted(set(before) - {c.site for c in choices}):
        lines.append(f"  Site {site}: no route to the VIP (was {member_label(topology, before[site].best.member_id)})")
    if not choices and not before:
        lines.append("  no circuit has a route to the VIP")
    return lines


def render_onprem_text(simulation: Simulation, config: Config) -> str:
    topology, view = simulation.topology, simulation.view
    out = [f"Failed: {', '.join(view.failure.description)}", ""] if view.failure else []
    out.append(HEADER)
    out += [
        f"note: onprem.circuits names '{p.circuit}' ({p.origin}), which is not a circuit of this design"
        for p in unknown_policies(config, topology)
    ]
    out.append("")
    for service in view.services:
        vip = service_vip(service, topology)
        if vip is None:
            out += [f"Service {service.name}: no VIP known (set services.{service.name}.vip in anycast-lint.yaml)", ""]
            continue
        out.append(f"Service {service.name} (VIP {vip}):")
        out += _lines(simulation, config, service, vip)
        out.append("")
    if not view.circuits():
        out.append("No ExpressRoute circuit in the input: nothing to simulate.")
    return "\n".join(out).rstrip() + "\n"


def _route_json(route: OnpremRoute, used: bool) -> dict[str, Any]:
    return {
        "circuit": route.circuit.name,
        "network": str(route.edge.prefix),
        "locPrf": route.local_preference,
        "localPreferenceFrom": route.preference_reason,
        "path": route.path_text,
        "edgePath": route.edge.path_text,
        "communities": list(route.communities),
        "member": route.member_id,
        "used": used,
    }


def _choice_json(choice: OnpremChoice) -> dict[str, Any]:
    decided, comparison = choice.decided()
    return {
        "site": choice.site,
        "members": list(dict.fromkeys(r.member_id for r in choice.used)),
        "split": choice.split,
        "decidedBy": decided,
        "comparison": comparison,
        "routes": [_route_json(r, r in choice.used) for r in choice.routes],
    }


def render_onprem_json(simulation: Simulation, config: Config) -> str:
    view: Routing = simulation.view
    services = []
    for service in view.services:
        vip = service_vip(service, simulation.topology)
        choices = onprem_choices(view, config, service, vip) if vip is not None else []
        services.append(
            {"name": service.name, "vip": str(vip) if vip else None, "sites": [_choice_json(c) for c in choices]}
        )
    document = {
        "from": "onprem",
        "failed": list(view.failure.description),
        "multipath": config.onprem_multipath,
        "services": services,
        "unknownCircuits": [p.circuit for p in unknown_policies(config, simulation.topology)],
    }
    return json.dumps(document, indent=2) + "\n"

"""Routing simulation: 200 anycast services x 20 regions, with every single-member failure.

    python benchmarks/bench_routing.py [--services 200] [--regions 20] [--circuits 2] [--repeat 3] [--vwan]

Builds a self-managed hub-and-spoke tenant: per region a hub VNet whose ExpressRoute gateway is
connected to every circuit, and one member spoke per service (the same /24 in every region). With
`--vwan`, a Virtual WAN tenant instead (design B): per region a virtual hub with an ExpressRoute gateway
on every circuit, and per service an indirect member behind a transit VNet whose hub connection carries
the member's static route, propagated to the Default label (so every hub's table holds every region's
route, and a failure makes the hub fall back to the route learned from another hub). The route count grows
with services x regions x regions, as Virtual WAN's does: every hub advertises every region's transit prefix
on each circuit, and holds every region's route for each service prefix as a candidate (the route learned from
another hub that a failure brings to the edge). Times:

  parse       yaml.load of the topology file (the baseline, ratio 1.0)
  load        anycast-lint's load of the same file
  routing     advertisements and best paths at every circuit (the base view)
  choices     every service's winner at every circuit
  failures    every single-member failure (services x regions), each with the winner at every circuit
  AC304       the failover-gap rule over the same failures, as `scan` runs it

Ratios are to the parse time of the same run. Everything runs with the cyclic garbage collector paused
(`collector_paused()`), as the CLI runs: the routing model allocates hundreds of thousands of acyclic
objects, and generation-2 passes over them roughly tripled the routing figures, which then said little
about a scan.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from anycast_lint.analysis.services import find_services
from anycast_lint.engine.run import run
from anycast_lint.inputs.config import Config, ServiceConfig
from anycast_lint.inputs.loader import collector_paused, load_inputs
from anycast_lint.model.ids import id_key
from anycast_lint.model.positions import Origin
from anycast_lint.routing import Failure, Routing
from timing import best_of


def topology(services: int, regions: int, circuits: int) -> dict[str, Any]:
    vnets: list[dict[str, Any]] = []
    gateways, connections = [], []
    for r in range(regions):
        hub = f"hub-{r:02d}"
        hub_vnet: dict[str, Any] = {
            "name": hub,
            "region": f"region-{r:02d}",
            "addressSpace": [f"192.168.{2 * r}.0/23"],
            "subnets": [{"name": "GatewaySubnet", "addressPrefix": f"192.168.{2 * r}.0/27"}],
            "peerings": [],
        }
        vnets.append(hub_vnet)
        gateways.append(
            {
                "name": f"ergw-{r:02d}",
                "virtualNetwork": hub,
                "bgpPeeringAddresses": [f"192.168.{2 * r}.12", f"192.168.{2 * r}.13"],
            }
        )
        connections += [
            {"name": f"ergw-{r:02d}-er-{c}", "gateway": f"ergw-{r:02d}", "circuit": f"er-{c}"} for c in range(circuits)
        ]
        for s in range(services):
            name = f"svc{s:03d}-{r:02d}"
            vnets.append(_member(name, r, s, {"remoteVirtualNetwork": hub, "useRemoteGateways": True}))
            hub_vnet["peerings"].append({"remoteVirtualNetwork": name, "allowGatewayTransit": True})
    return {
        "apiVersion": "anycast-lint/v1",
        "kind": "Topology",
        "expressRouteCircuits": [{"name": f"er-{c}"} for c in range(circuits)],
        "virtualNetworks": vnets,
        "virtualNetworkGateways": gateways,
        "connections": connections,
    }


def vwan_topology(services: int, regions: int, circuits: int) -> dict[str, Any]:
    vnets: list[dict[str, Any]] = []
    hubs: list[dict[str, Any]] = []
    for r in range(regions):
        connections = []
        for s in range(services):
            transit, member = f"transit{s:03d}-{r:02d}", f"svc{s:03d}-{r:02d}"
            transit_prefix = ipaddress.IPv4Network(
                (int(ipaddress.IPv4Address("10.0.0.0")) + (r * services + s) * 64, 26)
            )
            vnets.append(
                {
                    "name": transit,
                    "region": f"region-{r:02d}",
                    "addressSpace": [str(transit_prefix)],
                    "peerings": [{"remoteVirtualNetwork": member, "allowForwardedTraffic": True}],
                }
            )
            vnets.append(_member(member, r, s, {"remoteVirtualNetwork": transit, "allowForwardedTraffic": True}))
            route = {"name": "anycast", "addressPrefixes": [str(_service_prefix(s))]}
            route["nextHopIpAddress"] = str(transit_prefix.network_address + 4)
            connections.append(
                {
                    "name": f"conn-{transit}",
                    "remoteVirtualNetwork": transit,
                    "routingConfiguration": {"staticRoutes": [route], "propagateStaticRoutes": True},
                }
            )
        hubs.append(
            {
                "name": f"hub-{r:02d}",
                "region": f"region-{r:02d}",
                "virtualWan": "vwan",
                "addressPrefix": f"192.168.{2 * r}.0/23",
                "virtualNetworkConnections": connections,
                "expressRouteGateway": {
                    "name": f"ergw-{r:02d}",
                    "instanceIps": [f"192.168.{2 * r}.12", f"192.168.{2 * r}.13"],
                    "connections": [{"name": f"er-{r:02d}-{c}", "circuit": f"er-{c}"} for c in range(circuits)],
                },
            }
        )
    return {
        "apiVersion": "anycast-lint/v1",
        "kind": "Topology",
        "expressRouteCircuits": [{"name": f"er-{c}"} for c in range(circuits)],
        "virtualWans": [{"name": "vwan"}],
        "virtualNetworks": vnets,
        "virtualHubs": hubs,
    }


def _member(name: str, region: int, service: int, peering: dict[str, Any]) -> dict[str, Any]:
    """Service `service`'s member VNet in region `region`: the service's /24, tagged, with one peering."""
    return {
        "name": name,
        "region": f"region-{region:02d}",
        "addressSpace": [str(_service_prefix(service))],
        "tags": {"anycast-service": f"svc{service:03d}"},
        "peerings": [peering],
    }


def _service_prefix(index: int) -> ipaddress.IPv4Network:
    return ipaddress.IPv4Network((int(ipaddress.IPv4Address("100.64.0.0")) + index * 256, 24))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=200)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--circuits", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--vwan", action="store_true", help="a Virtual WAN tenant with indirect spokes")
    args = parser.parse_args()
    with collector_paused():
        figures = _measure(args)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    _print(figures)
    return 0


def _measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every step's best-of time, and the counts that say what was measured."""

    config = Config(
        services={
            f"svc{s:03d}": ServiceConfig(f"svc{s:03d}", Origin("bench", ()), vip=_service_prefix(s).network_address + 4)
            for s in range(args.services)
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tenant.yaml"
        build = vwan_topology if args.vwan else topology
        path.write_text(yaml.safe_dump(build(args.services, args.regions, args.circuits), sort_keys=False))
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        parse_s, _ = best_of(args.repeat, lambda: yaml.load(path.read_text(), Loader=loader))
        load_s, loaded = best_of(args.repeat, lambda: load_inputs([str(path)]))
    tenant = loaded.topology
    services = find_services(tenant, config)
    routing_s, routing = best_of(args.repeat, lambda: _base(tenant, services))
    circuits = routing.circuits()

    def choices() -> int:
        return sum(
            1 for s in services for c in circuits if routing.service_choice(s, c.id, config.services[s.name].vip)
        )

    choices_s, _ = best_of(args.repeat, choices)

    def failures() -> int:
        moved = 0
        for service in services:
            vip = config.services[service.name].vip
            for member in service.members:
                view = routing.fail(Failure(frozenset({id_key(member.id)})))
                moved += sum(1 for c in circuits if view.service_choice(service, c.id, vip) is not None)
        return moved

    failures_s, moved = best_of(args.repeat, failures)
    rule_s, result = best_of(args.repeat, lambda: run(tenant, config, select=["AC304"]))
    count = args.services * args.regions
    figures = {
        "services": args.services,
        "regions": args.regions,
        "circuits": args.circuits,
        "vnets": len(tenant.virtual_networks),
        "routes": len(routing.routes),
        "candidates": routing.candidate_count,
        "member_failures": count,
        "parse_s": parse_s,
        "load_s": load_s,
        "routing_s": routing_s,
        "choices_s": choices_s,
        "failures_s": failures_s,
        "ac304_s": rule_s,
        "per_failure_ms": 1000 * failures_s / count,
        "ac304_findings": len(result.findings),
        "winners_after_failures": moved,
    }
    return figures


def _print(figures: dict[str, Any]) -> None:
    parse_s = figures["parse_s"]
    print(
        f"{figures['services']} services x {figures['regions']} regions, {figures['circuits']} circuits: "
        f"{figures['vnets']} VNets, {figures['routes']} routes ({figures['candidates']} candidates), "
        f"{figures['member_failures']} single-member failures"
    )
    print(f"  {'step':<34} {'seconds':>9} {'x parse':>9}")
    for label, key in (
        ("parse (yaml.load, baseline)", "parse_s"),
        ("load", "load_s"),
        ("routing (all circuits)", "routing_s"),
        ("service winners (all circuits)", "choices_s"),
        ("every single-member failure", "failures_s"),
        ("AC304 over every failure", "ac304_s"),
    ):
        print(f"  {label:<34} {figures[key]:>9.3f} {figures[key] / parse_s:>9.2f}")
    print(f"  per failure: {figures['per_failure_ms']:.2f} ms; AC304 findings: {figures['ac304_findings']}")


def _base(tenant: Any, services: Any) -> Routing:
    routing = Routing(tenant, services)
    for circuit in routing.circuits():
        routing.table(circuit.id)
    return routing


if __name__ == "__main__":
    sys.exit(main())

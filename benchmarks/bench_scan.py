"""Scan-time benchmark on a synthetic tenant, reported as ratios to the time to parse the same file.

    python benchmarks/bench_scan.py [--vnets 10000] [--regions 20] [--services 5] [--repeat 3]

Generates a tenant that gives every rule work: per region a self-managed hub with an ExpressRoute gateway
on two circuits, spokes peered to it (each with a VM NIC), a few anycast services with one member per
region (resolver inbound endpoint on the VIP, NSG denying new outbound flows), and a Virtual WAN hub whose
ExpressRoute gateway reaches an indirect anycast spoke through a transit VNet with Azure Firewall (static
route, route table back to the firewall). A handful of spokes overlap an anycast range on purpose. It
is written as native YAML and as JSON, and timed:

  parse     yaml.load (libyaml) / json.load of the file: the baseline, ratio 1.0
  load      anycast-lint's reader + schema check + model building (what `scan` does before rules)
  rules     every registered rule (all of them, on-premises configured), with routing and services
  report    rendering JSON and SARIF for the findings

and, with --per-rule, each rule alone on the YAML input (a rule that needs the routing model or the
services pays for building them, so the per-rule figures do not add up to the `rules` line).

Figures are best-of-N wall-clock seconds; ratios are relative to the parse baseline of the same run,
so they compare across machines.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from anycast_lint.engine.run import run
from anycast_lint.inputs.config import Config, load_config
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.inputs.workspace import Design, Inputs
from anycast_lint.report import ReportData, render
from anycast_lint.rules.registry import all_rules
from timing import best_of

OVERLAPPING_SPOKES = 10
CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\n"


def _spoke(
    vnets: list[dict[str, Any]],
    hub: dict[str, Any],
    name: str,
    prefix: str,
    tags: dict[str, str] | None = None,
    nsg: str | None = None,
) -> None:
    """A spoke peered to `hub`, using its gateway; the hub side allows gateway transit."""
    subnet: dict[str, Any] = {"name": "default", "addressPrefix": prefix}
    if nsg:
        subnet["networkSecurityGroup"] = nsg
    entry: dict[str, Any] = {
        "name": name,
        "region": hub["region"],
        "addressSpace": [prefix],
        "subnets": [subnet],
        "peerings": [{"remoteVirtualNetwork": hub["name"], "useRemoteGateways": True}],
    }
    if tags:
        entry["tags"] = tags
    vnets.append(entry)
    hub["peerings"].append(
        {"name": f"{hub['name']}-to-{name}", "remoteVirtualNetwork": name, "allowGatewayTransit": True}
    )


def _nsg(name: str, region: str) -> dict[str, Any]:
    return {
        "name": name,
        "region": region,
        "securityRules": [
            {
                "name": "allow-dns-inbound",
                "direction": "Inbound",
                "access": "Allow",
                "priority": 100,
                "protocol": "*",
                "sourceAddressPrefix": "*",
                "destinationAddressPrefix": "*",
                "destinationPortRange": "53",
            },
            {
                "name": "deny-outbound-private",
                "direction": "Outbound",
                "access": "Deny",
                "priority": 4000,
                "protocol": "*",
                "sourceAddressPrefix": "*",
                "destinationAddressPrefixes": ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
                "destinationPortRange": "*",
            },
        ],
    }


def _resolver(name: str, vnet: str, region: str, vip: str) -> dict[str, Any]:
    return {
        "name": name,
        "region": region,
        "virtualNetwork": vnet,
        "inboundEndpoints": [{"name": "inbound", "ipConfigurations": [{"subnet": "default", "privateIPAddress": vip}]}],
    }


def _vwan_region(r: int, design: dict[str, Any]) -> None:
    """A vWAN hub with an ExpressRoute gateway, a transit VNet with a firewall and an indirect anycast spoke."""
    region, transit, member = f"region-{r:02d}", f"transit-{r:02d}", f"vsvc-{r:02d}"
    firewall_ip = f"172.29.{r}.4"
    design["virtualNetworks"] += [
        {
            "name": transit,
            "region": region,
            "addressSpace": [f"172.29.{r}.0/24"],
            "subnets": [{"name": "AzureFirewallSubnet", "addressPrefix": f"172.29.{r}.0/26"}],
            "peerings": [{"remoteVirtualNetwork": member, "allowForwardedTraffic": True}],
        },
        {
            "name": member,
            "region": region,
            "addressSpace": ["100.65.0.0/24"],
            "tags": {"anycast-service": "vsvc"},
            "subnets": [
                {
                    "name": "default",
                    "addressPrefix": "100.65.0.0/28",
                    "routeTable": f"rt-{member}",
                    "networkSecurityGroup": f"nsg-{r:02d}",
                }
            ],
            "peerings": [{"remoteVirtualNetwork": transit, "allowForwardedTraffic": True}],
        },
    ]
    design["azureFirewalls"].append(
        {"name": f"azfw-{transit}", "region": region, "virtualNetwork": transit, "privateIPAddress": firewall_ip}
    )
    design["routeTables"].append(
        {
            "name": f"rt-{member}",
            "region": region,
            "disableBgpRoutePropagation": True,
            "routes": [
                {
                    "name": "onprem",
                    "addressPrefix": "172.16.0.0/12",
                    "nextHopType": "VirtualAppliance",
                    "nextHopIpAddress": firewall_ip,
                }
            ],
        }
    )
    design["dnsResolvers"].append(_resolver(f"dnspr-{member}", member, region, "100.65.0.4"))
    design["virtualHubs"].append(
        {
            "name": f"vhub-{r:02d}",
            "region": region,
            "virtualWan": "vwan",
            "addressPrefix": f"172.30.{2 * r}.0/23",
            "virtualNetworkConnections": [
                {
                    "name": f"conn-{transit}",
                    "remoteVirtualNetwork": transit,
                    "routingConfiguration": {
                        "staticRoutes": [
                            {"name": "vsvc", "addressPrefixes": ["100.65.0.0/24"], "nextHopIpAddress": firewall_ip}
                        ],
                        "propagateStaticRoutes": True,
                    },
                }
            ],
            "expressRouteGateway": {
                "name": f"vergw-{r:02d}",
                "connections": [{"name": f"vconn-{r:02d}", "circuit": "er-primary"}],
            },
        }
    )


def synthetic_topology(vnet_count: int, regions: int, services: int) -> dict[str, Any]:
    circuits = [{"name": "er-primary"}, {"name": "er-secondary"}]
    vnets: list[dict[str, Any]] = []
    gateways, connections, nsgs, resolvers, nics = [], [], [], [], []
    design: dict[str, Any] = {
        "virtualNetworks": vnets,
        "azureFirewalls": [],
        "routeTables": [],
        "dnsResolvers": resolvers,
        "virtualHubs": [],
    }
    spokes_per_region = (vnet_count - regions * (3 + services)) // regions
    overlaps_left = OVERLAPPING_SPOKES
    for r in range(regions):
        hub: dict[str, Any] = {
            "name": f"hub-{r:02d}",
            "region": f"region-{r:02d}",
            "addressSpace": [f"192.168.{2 * r}.0/23"],
            "subnets": [{"name": "GatewaySubnet", "addressPrefix": f"192.168.{2 * r}.0/27"}],
            "peerings": [],
        }
        vnets.append(hub)
        nsgs.append(_nsg(f"nsg-{r:02d}", hub["region"]))
        gateway = f"ergw-{r:02d}"
        gateways.append(
            {
                "name": gateway,
                "region": hub["region"],
                "virtualNetwork": hub["name"],
                "bgpPeeringAddresses": [f"192.168.{2 * r}.12", f"192.168.{2 * r}.13"],
            }
        )
        for circuit in circuits:
            name = f"{gateway}-{circuit['name']}"
            connections.append({"name": name, "gateway": gateway, "circuit": circuit["name"]})
        for s in range(services):
            member = f"svc{s}-{r:02d}"
            _spoke(vnets, hub, member, f"100.64.{s}.0/24", {"anycast-service": f"svc{s}"}, f"nsg-{r:02d}")
            resolvers.append(_resolver(f"dnspr-{member}", member, hub["region"], f"100.64.{s}.4"))
        for k in range(spokes_per_region):
            name = f"spoke-{r:02d}-{k:04d}"
            if overlaps_left and k == 0:
                overlaps_left -= 1
                _spoke(vnets, hub, name, f"100.64.{r % services}.128/25")
                continue
            _spoke(vnets, hub, name, f"10.{r}.{k // 2}.{(k % 2) * 128}/25")
            nics.append(
                {
                    "name": f"nic-{name}",
                    "region": hub["region"],
                    "virtualMachine": f"vm-{name}",
                    "ipConfigurations": [
                        {
                            "name": "ipconfig1",
                            "subnet": f"{name}/default",
                            "privateIPAddress": f"10.{r}.{k // 2}.{(k % 2) * 128 + 4}",
                        }
                    ],
                }
            )
        _vwan_region(r, design)
    return {
        "apiVersion": "anycast-lint/v1",
        "kind": "Topology",
        "metadata": {"name": "synthetic"},
        "expressRouteCircuits": circuits,
        "virtualWans": [{"name": "vwan"}],
        **design,
        "networkSecurityGroups": nsgs,
        "networkInterfaces": nics,
        "virtualNetworkGateways": gateways,
        "connections": connections,
    }


def measure(path: Path, parse: Callable[[], Any], repeat: int, config: Config) -> dict[str, float]:
    parse_s, _ = best_of(repeat, parse)
    load_s, loaded = best_of(repeat, lambda: load_inputs([str(path)]))
    rules_s, result = best_of(repeat, lambda: run(loaded.topology, config))
    data = ReportData(scan=result, load=Inputs(designs=[Design(loaded, config)]), root=path.parent)
    report_s, _ = best_of(repeat, lambda: (render("json", data), render("sarif", data)))
    return {
        "parse_s": parse_s,
        "load_s": load_s,
        "rules_s": rules_s,
        "report_s": report_s,
        "scan_s": load_s + rules_s,
        "findings": len(result.findings),
        "vnets": len(loaded.topology.virtual_networks),
        "megabytes": path.stat().st_size / 1e6,
    }


def per_rule_seconds(path: Path, config: Config, repeat: int) -> dict[str, float]:
    topology = load_inputs([str(path)]).topology
    return {r.code: best_of(repeat, lambda r=r: run(topology, config, select=[r.code]))[0] for r in all_rules()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vnets", type=int, default=10_000)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--services", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--per-rule", action="store_true", help="also time each rule alone")
    args = parser.parse_args()

    topology = synthetic_topology(args.vnets, args.regions, args.services)
    figures = {}
    with tempfile.TemporaryDirectory() as folder:
        yaml_path = Path(folder) / "synthetic.yaml"
        yaml_path.write_text(yaml.safe_dump(topology, sort_keys=False), encoding="utf-8")
        json_path = Path(folder) / "synthetic.json"
        json_path.write_text(json.dumps(topology, indent=2), encoding="utf-8")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

        def parse_yaml() -> Any:
            return yaml.load(yaml_path.read_text(encoding="utf-8"), Loader=loader)

        def parse_json() -> Any:
            return json.loads(json_path.read_text(encoding="utf-8"))

        config_path = Path(folder) / "anycast-lint.yaml"
        config_path.write_text(CONFIG, encoding="utf-8")
        config = load_config(config_path)
        figures["yaml"] = measure(yaml_path, parse_yaml, args.repeat, config)
        figures["json"] = measure(json_path, parse_json, args.repeat, config)
        per_rule = per_rule_seconds(yaml_path, config, args.repeat) if args.per_rule else {}

    if args.json:
        print(json.dumps({**figures, "per_rule_s": per_rule}, indent=2))
        return 0
    print(f"synthetic topology: {args.vnets} VNets, {args.regions} regions, {args.services} anycast services")
    for kind, f in figures.items():
        base = f["parse_s"]
        print(f"\n{kind}: {f['vnets']} VNets, {f['megabytes']:.1f} MB, {f['findings']} findings (planted)")
        print(f"  {'step':<8} {'seconds':>9} {'x parse':>9}")
        for step in ("parse", "load", "rules", "scan", "report"):
            seconds = f[f"{step}_s"]
            print(f"  {step:<8} {seconds:>9.3f} {seconds / base:>9.2f}")
    if per_rule:
        base = figures["yaml"]["parse_s"]
        print(f"\neach rule alone (yaml), x parse: {'  '.join(f'{c} {t / base:.3f}' for c, t in per_rule.items())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

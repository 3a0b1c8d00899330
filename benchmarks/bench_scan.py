"""Scan-time benchmark on a synthetic tenant, reported as ratios to the time to parse the same file.

    python benchmarks/bench_scan.py [--vnets 10000] [--regions 20] [--services 5] [--repeat 3]

Generates a hub-and-spoke topology (one hub per region with an ExpressRoute gateway on two circuits,
spokes peered to their hub, a few anycast services with one member per region, and a handful of
spokes that overlap an anycast range on purpose), writes it as native YAML and as JSON, and times:

  parse     yaml.load (libyaml) / json.load of the file: the baseline, ratio 1.0
  load      anycast-lint's reader + schema check + model building (what `scan` does before rules)
  rules     every registered rule, with routing domains and services
  report    rendering JSON and SARIF for the findings

Figures are best-of-N wall-clock seconds; ratios are relative to the parse baseline of the same run,
so they compare across machines.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from anycast_lint.config import Config
from anycast_lint.engine import run
from anycast_lint.loader import load_inputs
from anycast_lint.report import ReportData, render

OVERLAPPING_SPOKES = 10


def _spoke(
    vnets: list[dict[str, Any]],
    hub: dict[str, Any],
    name: str,
    prefix: str,
    tags: dict[str, str] | None = None,
) -> None:
    """A spoke peered to `hub`, using its gateway; the hub side allows gateway transit."""
    entry: dict[str, Any] = {
        "name": name,
        "region": hub["region"],
        "addressSpace": [prefix],
        "subnets": [{"name": "default", "addressPrefix": prefix}],
        "peerings": [{"remoteVirtualNetwork": hub["name"], "useRemoteGateways": True}],
    }
    if tags:
        entry["tags"] = tags
    vnets.append(entry)
    hub["peerings"].append(
        {"name": f"{hub['name']}-to-{name}", "remoteVirtualNetwork": name, "allowGatewayTransit": True}
    )


def synthetic_topology(vnet_count: int, regions: int, services: int) -> dict[str, Any]:
    circuits = [{"name": "er-primary"}, {"name": "er-secondary"}]
    vnets: list[dict[str, Any]] = []
    gateways, connections = [], []
    spokes_per_region = (vnet_count - regions * (1 + services)) // regions
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
            _spoke(vnets, hub, f"svc{s}-{r:02d}", f"100.64.{s}.0/24", {"anycast-service": f"svc{s}"})
        for k in range(spokes_per_region):
            if overlaps_left and k == 0:
                overlaps_left -= 1
                _spoke(vnets, hub, f"spoke-{r:02d}-{k:04d}", f"100.64.{r % services}.128/25")
            else:
                _spoke(vnets, hub, f"spoke-{r:02d}-{k:04d}", f"10.{r}.{k // 2}.{(k % 2) * 128}/25")
    return {
        "apiVersion": "anycast-lint/v1",
        "kind": "Topology",
        "metadata": {"name": "synthetic"},
        "expressRouteCircuits": circuits,
        "virtualNetworks": vnets,
        "virtualNetworkGateways": gateways,
        "connections": connections,
    }


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def measure(path: Path, parse: Callable[[], Any], repeat: int) -> dict[str, float]:
    parse_s, _ = best_of(repeat, parse)
    load_s, loaded = best_of(repeat, lambda: load_inputs([str(path)]))
    rules_s, result = best_of(repeat, lambda: run(loaded.topology, Config()))
    data = ReportData(scan=result, load=loaded, root=path.parent)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vnets", type=int, default=10_000)
    parser.add_argument("--regions", type=int, default=20)
    parser.add_argument("--services", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
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

        figures["yaml"] = measure(yaml_path, parse_yaml, args.repeat)
        figures["json"] = measure(json_path, parse_json, args.repeat)

    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"synthetic topology: {args.vnets} VNets, {args.regions} regions, {args.services} anycast services")
    for kind, f in figures.items():
        base = f["parse_s"]
        print(f"\n{kind}: {f['vnets']} VNets, {f['megabytes']:.1f} MB, {f['findings']} findings (planted)")
        print(f"  {'step':<8} {'seconds':>9} {'x parse':>9}")
        for step in ("parse", "load", "rules", "scan", "report"):
            seconds = f[f"{step}_s"]
            print(f"  {step:<8} {seconds:>9.3f} {seconds / base:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

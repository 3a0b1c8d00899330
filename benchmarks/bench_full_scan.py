"""The speed goal (issue 14): a full scan of a large ARM export, as a ratio to `json.load` of the same file.

    python benchmarks/bench_full_scan.py [--sizes 1000,10000,50000] [--repeat 3] [--json]

For each size, writes an `az rest`-style export in the REST shape, with what a real one carries: per
region a hub VNet with an Azure Firewall and an ExpressRoute gateway connected to two circuits, spokes
peered to their hub with gateway transit (each with the bulk of bench_arm_load: NIC references, GUIDs,
etags), every spoke and member with its own route table (the default route and two private ranges to
its hub's firewall, a service-tag route to the Internet) and NSG (four security rules; Azure's six
defaultSecurityRules, which a read carries too, are left out: bulk the scan skips would flatter its ratio)
associated to its subnets, and anycast services with one member per region. 10,000 VNets
are 20 regions x 489 spokes + 10 services x 20 members + 20 hubs. Then it times, best of --repeat:

  json.load    the baseline: read and parse the file in this process, collector off (ratio 1.0); plain
               json.load (collector on) is shown too, as the issue measured it
  full scan    `anycast-lint scan FILE --format json -o OUT` as a user runs it, in a fresh interpreter:
               start-up and imports, load, every rule (routing, simulation, every single-member
               failure) and the report
  startup      `anycast-lint --version` in a fresh interpreter (the floor under every scan)

and the scan's peak resident memory (the child's own VmHWM, which it prints at exit) as a ratio to
the file size. Goal: full scan within 2x json.load, peak RSS within 3x the input, cost linear in size.
The export is written one file per 10,000 VNets (VNETS_PER_FILE), and scanned as those files; the 50,000-VNet
size writes five, ~690 MB, and takes minutes on a busy machine: run it by hand, not in CI.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench_arm_load import ETAG, _id, _vnet
from timing import best_of

REGIONS = 20
SERVICES = 10
CIRCUITS = ("er-primary", "er-secondary")
# VNets an export file holds: 50,000 VNets in one file would pass the 512 MiB input limit, and a tenant that
# size spans several subscriptions (Azure allows 1,000 VNets per subscription and region) anyway.
VNETS_PER_FILE = 10_000


def _firewall_ip(region: int) -> str:
    return f"192.168.{2 * region}.68"


def _hub(region: int, spokes: list[str]) -> dict[str, Any]:
    """A hub VNet whose peerings to its spokes allow gateway transit, with its firewall's subnet."""
    hub_id = _id("rg-hub", "virtualNetworks", f"hub-{region:02d}")
    return {
        "name": f"hub-{region:02d}",
        "id": hub_id,
        "etag": ETAG,
        "type": "Microsoft.Network/virtualNetworks",
        "location": f"region-{region:02d}",
        "properties": {
            "addressSpace": {"addressPrefixes": [f"192.168.{2 * region}.0/23"]},
            "subnets": [
                {
                    "name": "GatewaySubnet",
                    "id": f"{hub_id}/subnets/GatewaySubnet",
                    "properties": {"addressPrefix": f"192.168.{2 * region}.0/27"},
                },
                {
                    "name": "AzureFirewallSubnet",
                    "id": f"{hub_id}/subnets/AzureFirewallSubnet",
                    "properties": {"addressPrefix": f"192.168.{2 * region}.64/26"},
                },
            ],
            "virtualNetworkPeerings": [
                {
                    "name": f"hub-{region:02d}-to-{spoke.rsplit('/', 1)[1]}",
                    "id": f"{hub_id}/virtualNetworkPeerings/hub-{region:02d}-to-{spoke.rsplit('/', 1)[1]}",
                    "properties": {
                        "peeringState": "Connected",
                        "remoteVirtualNetwork": {"id": spoke},
                        "allowVirtualNetworkAccess": True,
                        "allowForwardedTraffic": True,
                        "allowGatewayTransit": True,
                        "useRemoteGateways": False,
                    },
                }
                for spoke in spokes
            ],
        },
    }


def _firewall(region: int) -> dict[str, Any]:
    """The hub's Azure Firewall (the next hop of its spokes' route tables), in its AzureFirewallSubnet."""
    name = f"afw-hub-{region:02d}"
    firewall_id = _id("rg-hub", "azureFirewalls", name)
    hub_id = _id("rg-hub", "virtualNetworks", f"hub-{region:02d}")
    return {
        "name": name,
        "id": firewall_id,
        "etag": ETAG,
        "type": "Microsoft.Network/azureFirewalls",
        "location": f"region-{region:02d}",
        "zones": ["1", "2", "3"],
        "properties": {
            "provisioningState": "Succeeded",
            "sku": {"name": "AZFW_VNet", "tier": "Premium"},
            "threatIntelMode": "Alert",
            "firewallPolicy": {"id": _id("rg-hub", "firewallPolicies", f"afwp-{region:02d}")},
            "ipConfigurations": [
                {
                    "name": "ipconfig1",
                    "id": f"{firewall_id}/azureFirewallIpConfigurations/ipconfig1",
                    "etag": ETAG,
                    "properties": {
                        "provisioningState": "Succeeded",
                        "privateIPAddress": _firewall_ip(region),
                        "privateIPAllocationMethod": "Dynamic",
                        "publicIPAddress": {"id": _id("rg-hub", "publicIPAddresses", f"pip-{name}")},
                        "subnet": {"id": f"{hub_id}/subnets/AzureFirewallSubnet"},
                    },
                }
            ],
            "applicationRuleCollections": [],
            "natRuleCollections": [],
            "networkRuleCollections": [],
        },
    }


def _route_table(vnet: dict[str, Any], region: int) -> dict[str, Any]:
    """A spoke's route table: everything private and the Internet through its hub's firewall, as a
    forced-tunnelling landing zone has it, with a service-tag route that leaves directly."""
    rg = vnet["id"].split("/")[4]
    table_id = _id(rg, "routeTables", f"rt-{vnet['name']}")
    firewall = _firewall_ip(region)
    routes = [
        ("default-to-firewall", "0.0.0.0/0", "VirtualAppliance", firewall),
        ("rfc1918-10-to-firewall", "10.0.0.0/8", "VirtualAppliance", firewall),
        ("rfc1918-172-to-firewall", "172.16.0.0/12", "VirtualAppliance", firewall),
        ("azure-monitor-direct", "AzureMonitor", "Internet", None),
    ]
    return {
        "name": f"rt-{vnet['name']}",
        "id": table_id,
        "etag": ETAG,
        "type": "Microsoft.Network/routeTables",
        "location": vnet["location"],
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": vnet["properties"]["resourceGuid"],
            "disableBgpRoutePropagation": False,
            "routes": [
                {
                    "name": name,
                    "id": f"{table_id}/routes/{name}",
                    "etag": ETAG,
                    "type": "Microsoft.Network/routeTables/routes",
                    "properties": {
                        "provisioningState": "Succeeded",
                        "addressPrefix": prefix,
                        "nextHopType": hop_type,
                        **({"nextHopIpAddress": hop} if hop else {}),
                        "hasBgpOverride": False,
                    },
                }
                for name, prefix, hop_type, hop in routes
            ],
            "subnets": [{"id": subnet["id"]} for subnet in vnet["properties"]["subnets"]],
        },
    }


def _nsg(vnet: dict[str, Any]) -> dict[str, Any]:
    """A spoke's NSG: HTTPS and the anycast services' port in, SSH from the management range, a deny."""
    rg = vnet["id"].split("/")[4]
    nsg_id = _id(rg, "networkSecurityGroups", f"nsg-{vnet['name']}")
    space = vnet["properties"]["addressSpace"]["addressPrefixes"][0]

    rules = {
        "allow-https-in": {"priority": 100, "protocol": "Tcp", "access": "Allow", "sourceAddressPrefix": "10.0.0.0/8",
                           "destinationAddressPrefix": space, "destinationPortRange": "443"},
        "allow-dns-in": {"priority": 110, "protocol": "Udp", "access": "Allow",
                         "sourceAddressPrefixes": ["10.0.0.0/8", "172.16.0.0/12"],
                         "destinationAddressPrefix": "VirtualNetwork", "destinationPortRanges": ["53", "853"]},
        "allow-ssh-mgmt-in": {"priority": 200, "protocol": "Tcp", "access": "Allow",
                              "sourceAddressPrefix": "172.16.10.0/24", "destinationAddressPrefix": "*",
                              "destinationPortRange": "22"},
        "deny-internet-in": {"priority": 4000, "protocol": "*", "access": "Deny", "sourceAddressPrefix": "Internet",
                             "destinationAddressPrefix": "*", "destinationPortRange": "*"},
    }  # fmt: skip
    return {
        "name": f"nsg-{vnet['name']}",
        "id": nsg_id,
        "etag": ETAG,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": vnet["location"],
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": vnet["properties"]["resourceGuid"],
            "securityRules": [
                {
                    "name": name,
                    "id": f"{nsg_id}/securityRules/{name}",
                    "etag": ETAG,
                    "type": "Microsoft.Network/networkSecurityGroups/securityRules",
                    "properties": {
                        "provisioningState": "Succeeded",
                        "direction": "Inbound",
                        "sourcePortRange": "*",
                        **fields,
                    },
                }
                for name, fields in rules.items()
            ],
            "subnets": [{"id": subnet["id"]} for subnet in vnet["properties"]["subnets"]],
        },
    }


def _gateway(region: int) -> list[dict[str, Any]]:
    """The hub's ExpressRoute gateway and its connections to both circuits."""
    gateway_id = _id("rg-hub", "virtualNetworkGateways", f"ergw-{region:02d}")
    subnet = f"{_id('rg-hub', 'virtualNetworks', f'hub-{region:02d}')}/subnets/GatewaySubnet"
    gateway = {
        "name": f"ergw-{region:02d}",
        "id": gateway_id,
        "type": "Microsoft.Network/virtualNetworkGateways",
        "location": f"region-{region:02d}",
        "properties": {
            "gatewayType": "ExpressRoute",
            "sku": {"name": "ErGw1AZ", "tier": "ErGw1AZ"},
            "ipConfigurations": [{"name": "default", "properties": {"subnet": {"id": subnet}}}],
            "bgpSettings": {
                "asn": 65515,
                "bgpPeeringAddresses": [
                    {"defaultBgpIpAddresses": [f"192.168.{2 * region}.{12 + i}"]} for i in range(2)
                ],
            },
        },
    }
    connections = [
        {
            "name": f"ergw-{region:02d}-{circuit}",
            "id": _id("rg-hub", "connections", f"ergw-{region:02d}-{circuit}"),
            "type": "Microsoft.Network/connections",
            "location": f"region-{region:02d}",
            "etag": ETAG,
            "properties": {
                "provisioningState": "Succeeded",
                "connectionType": "ExpressRoute",
                "connectionStatus": "Connected",
                "virtualNetworkGateway1": {"id": gateway_id, "properties": {}},
                "peer": {"id": _id("rg-er", "expressRouteCircuits", circuit)},
                "routingWeight": 10 if circuit == CIRCUITS[0] else 0,
                "enableBgp": False,
                "expressRouteGatewayBypass": False,
                "ingressBytesTransferred": 0,
                "egressBytesTransferred": 0,
            },
        }
        for circuit in CIRCUITS
    ]
    return [gateway, *connections]


def _member(service: int, region: int) -> dict[str, Any]:
    """An anycast member: the service's prefix, tagged, peered to its region's hub."""
    vnet = _vnet(service * REGIONS + region, REGIONS)  # the bulk of a real VNet, then made a member
    name = f"svc{service}-{region:02d}"
    vnet_id = _id("rg-anycast", "virtualNetworks", name)
    vnet.update(name=name, id=vnet_id, tags={"anycast-service": f"svc{service}"}, location=f"region-{region:02d}")
    properties = vnet["properties"]
    properties["addressSpace"] = {"addressPrefixes": [f"100.64.{service}.0/24"]}
    for index, subnet in enumerate(properties["subnets"]):
        subnet["id"] = f"{vnet_id}/subnets/{subnet['name']}"
        subnet["properties"]["addressPrefix"] = f"100.64.{service}.{index * 64}/26"
        subnet["properties"]["routeTable"] = {"id": _id("rg-anycast", "routeTables", f"rt-{name}")}
        subnet["properties"]["networkSecurityGroup"] = {"id": _id("rg-anycast", "networkSecurityGroups", f"nsg-{name}")}
    peering = properties["virtualNetworkPeerings"][0]
    peering["id"] = f"{vnet_id}/virtualNetworkPeerings/{peering['name']}"
    peering["properties"]["remoteVirtualNetwork"] = {"id": _id("rg-hub", "virtualNetworks", f"hub-{region:02d}")}
    return vnet


def export(vnet_count: int) -> dict[str, Any]:
    spoke_count = vnet_count - REGIONS - SERVICES * REGIONS
    spokes = [_vnet(i, REGIONS) for i in range(spoke_count)]
    members = [_member(s, r) for s in range(SERVICES) for r in range(REGIONS)]
    by_hub: dict[int, list[str]] = {r: [] for r in range(REGIONS)}
    for vnet in [*spokes, *members]:
        hub = vnet["properties"]["virtualNetworkPeerings"][0]["properties"]["remoteVirtualNetwork"]["id"]
        by_hub[int(hub[-2:])].append(vnet["id"])
    circuits = [
        {
            "name": circuit,
            "id": _id("rg-er", "expressRouteCircuits", circuit),
            "type": "Microsoft.Network/expressRouteCircuits",
            "location": "region-00",
            "properties": {"serviceProviderProperties": {"peeringLocation": "Amsterdam", "bandwidthInMbps": 1000}},
        }
        for circuit in CIRCUITS
    ]
    resources = [*circuits, *(_hub(r, by_hub[r]) for r in range(REGIONS))]
    resources += [item for r in range(REGIONS) for item in (*_gateway(r), _firewall(r))]
    attached = []
    for vnet in [*members, *spokes]:
        region = int(vnet["location"][-2:])
        attached += [vnet, _route_table(vnet, region), _nsg(vnet)]
    return {"value": [*resources, *attached]}


def export_files(vnet_count: int) -> list[dict[str, Any]]:
    """The export as a tenant this size is exported: one list response per VNETS_PER_FILE VNets (a
    subscription holds at most 1,000 VNets a region), each VNet with its route table and NSG."""
    items = export(vnet_count)["value"]
    files: list[list[Any]] = [[]]
    vnets = 0
    for item in items:
        if item["type"] == "Microsoft.Network/virtualNetworks":
            if vnets == VNETS_PER_FILE:
                files.append([])
                vnets = 0
            vnets += 1
        files[-1].append(item)
    return [{"value": chunk} for chunk in files]


# Runs the CLI as a user does (`python -m anycast_lint`, which ends with os._exit, so no atexit hook of
# its own could report), from a small wrapper process that times it and then prints the scan's peak
# resident memory: RUSAGE_CHILDREN's ru_maxrss. The wrapper itself is small, so the forked copy of it
# that exists before exec (whose high-water mark rusage also keeps) cannot be mistaken for the scan's;
# the benchmark process itself, which holds the generated export, is never the one that forks the scan.
_PEAK_WRAPPER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call([sys.executable, "-m", "anycast_lint", *sys.argv[1:]], stdout=subprocess.DEVNULL)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
sys.stderr.write(f"scan-seconds {elapsed}\\npeak-rss-kib {peak}\\n")
sys.exit(code)
"""


def _child_run(arguments: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in bytes, exit code) of one `anycast-lint ARGUMENTS` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    figures = dict(line.split()[:2] for line in done.stderr.splitlines() if line.startswith(("scan-", "peak-")))
    if "scan-seconds" not in figures:
        raise RuntimeError(f"the scan wrapper failed: {done.stderr.strip()}")
    return float(figures["scan-seconds"]), int(figures["peak-rss-kib"]) * 1024, done.returncode


def measure(vnet_count: int, repeat: int, folder: Path) -> dict[str, Any]:
    design = folder / f"export-{vnet_count}"
    design.mkdir()
    paths = []
    for index, content in enumerate(export_files(vnet_count)):
        paths.append(design / f"export-{index}.json")
        paths[-1].write_text(json.dumps(content, indent=2), encoding="utf-8")
    size = sum(path.stat().st_size for path in paths)

    def plain() -> Any:
        loaded = []
        for path in paths:
            with path.open(encoding="utf-8") as handle:
                loaded.append(json.load(handle))
        return {"value": [item for data in loaded for item in data["value"]]}

    def baseline() -> Any:
        """json.load with the cyclic collector off, as the scan runs: with it on, its passes over the
        growing document make json.load itself superlinear (9.5 s instead of 2.9 s at 50,000 VNets)."""
        gc.disable()
        try:
            return plain()
        finally:
            gc.enable()

    plain_s, _ = best_of(repeat, plain)
    parse_s, data = best_of(repeat, baseline)
    vnets = sum(1 for r in data["value"] if r["type"] == "Microsoft.Network/virtualNetworks")
    del data
    scan = ["scan", *(str(path) for path in paths), "--format", "json", "-o", str(folder / "out.json")]
    runs = [_child_run(scan) for _ in range(repeat)]
    if runs[0][2] not in (0, 1):  # 2 is an input the scan refused: its time would measure nothing
        raise RuntimeError(f"the scan of {vnet_count} VNets exited with {runs[0][2]}")
    scan_s = min(r[0] for r in runs)
    peak = max(r[1] for r in runs)
    startup_s = min(_child_run(["--version"])[0] for _ in range(repeat))
    return {
        "vnets": vnets,
        "megabytes": size / 1e6,
        "files": len(paths),
        "json_load_s": parse_s,
        "json_load_collector_on_s": plain_s,
        "scan_s": scan_s,
        "scan_ratio": scan_s / parse_s,
        "scan_ratio_collector_on": scan_s / plain_s,
        "startup_s": startup_s,
        "peak_rss_mb": peak / 1e6,
        "rss_ratio": peak / size,
        "exit_code": runs[0][2],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="VNet counts, comma-separated (50000: by hand)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(s) for s in args.sizes.split(",")):
            figures.append(measure(size, 1 if size >= 50_000 else args.repeat, Path(folder)))
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'VNets':>7} {'MB':>7} {'json.load s':>12} {'(gc on) s':>10} {'scan s':>8} {'x json.load':>12} "
          f"{'(gc on)':>8} {'startup s':>10} {'peak RSS MB':>12} {'x input':>8}")  # fmt: skip
    for f in figures:
        print(
            f"{f['vnets']:>7} {f['megabytes']:>7.1f} {f['json_load_s']:>12.3f} {f['json_load_collector_on_s']:>10.3f} "
            f"{f['scan_s']:>8.2f} {f['scan_ratio']:>12.2f} {f['scan_ratio_collector_on']:>8.2f} "
            f"{f['startup_s']:>10.2f} {f['peak_rss_mb']:>12.0f} {f['rss_ratio']:>8.2f}"
        )
    print("goal (issue 14): full scan within 2x json.load, peak RSS within 3x the input. 'gc on' is json.load as")
    print("Python runs it, as the issue measured it; 'x json.load' is against the parse with the collector off, whose")
    print("passes make plain json.load slower and superlinear on large files (the scan runs with it off)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

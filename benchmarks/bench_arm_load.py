"""Loading a large ARM export, as a ratio to plain `json.load` of the same file.

    python benchmarks/bench_arm_load.py [--vnets 10000] [--repeat 3]

Writes a synthetic `az rest`-style list response: 10,000 VNets in the REST shape, each with the bulk
a real export carries (subnets listing NIC ipConfiguration ids, peerings with remote address spaces,
resource GUIDs, etags, delegations), about 40 MB, and times:

  json.load   the baseline: read and parse the file (ratio 1.0)
  load        anycast-lint's whole load: read, parse, find resources, translate to the model
  locate      resolving the lines of 100 findings spread over the file (done only when reporting)
  commented   the same export with a `//` comment on its first line: the JSON-with-comments path
              (ARM's dialect), taken only when plain JSON parsing fails

Target (issue 3): load within 2x json.load. The export is read from the file item by item (export_stream),
its plain VNets translated as they are read; a path is located by reading back the one item it is in,
only when a finding needs its line. Locating is timed with the collector off, as the CLI runs.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from anycast_lint.inputs.loader import collector_paused, load_inputs
from timing import best_of, json_then_load, print_ratios, size_arguments

SUB = "6f2a9f3e-1c7d-4c2b-9a53-0d9c8e7b1a2f"
SUBNETS = 2
ETAG = 'W/"3b1f0a2e-9c4d-4e8b-8f7a-1d2c3b4a5f6e"'


def _id(group: str, kind: str, name: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/{group}/providers/Microsoft.Network/{kind}/{name}"


def _vnet(index: int, hubs: int) -> dict[str, Any]:
    rg = f"rg-spoke-{index // 500:03d}"
    name = f"vnet-{index:05d}"
    vnet_id = _id(rg, "virtualNetworks", name)
    second, third = divmod(index, 256)
    prefix = f"10.{second % 256}.{third}.0/24"
    subnets = []
    for s in range(SUBNETS):
        subnet_id = f"{vnet_id}/subnets/snet-{s}"
        subnets.append(
            {
                "name": f"snet-{s}",
                "id": subnet_id,
                "etag": ETAG,
                "properties": {
                    "provisioningState": "Succeeded",
                    "addressPrefix": f"10.{second % 256}.{third}.{s * 64}/26",
                    "networkSecurityGroup": {"id": _id(rg, "networkSecurityGroups", f"nsg-{name}")},
                    "routeTable": {"id": _id(rg, "routeTables", f"rt-{name}")},
                    "ipConfigurations": [
                        {"id": _id(rg, "networkInterfaces", f"nic-{name}-{s}-{n}/ipConfigurations/ipconfig1")}
                        for n in range(1)
                    ],
                    "delegations": [],
                    "privateEndpointNetworkPolicies": "Disabled",
                    "privateLinkServiceNetworkPolicies": "Enabled",
                },
                "type": "Microsoft.Network/virtualNetworks/subnets",
            }
        )
    hub = index % hubs
    hub_id = _id("rg-hub", "virtualNetworks", f"hub-{hub:02d}")
    peering = {
        "name": f"{name}-to-hub-{hub:02d}",
        "id": f"{vnet_id}/virtualNetworkPeerings/{name}-to-hub-{hub:02d}",
        "etag": ETAG,
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": str(uuid.UUID(int=index * 7919 + 1)),
            "peeringState": "Connected",
            "peeringSyncLevel": "FullyInSync",
            "remoteVirtualNetwork": {"id": hub_id},
            "allowVirtualNetworkAccess": True,
            "allowForwardedTraffic": True,
            "allowGatewayTransit": False,
            "useRemoteGateways": True,
            "doNotVerifyRemoteGateways": False,
            "remoteAddressSpace": {"addressPrefixes": [f"192.168.{2 * hub}.0/23"]},
            "remoteVirtualNetworkAddressSpace": {"addressPrefixes": [f"192.168.{2 * hub}.0/23"]},
            "remoteBgpCommunities": {
                "virtualNetworkCommunity": "12076:20000",
                "regionalCommunity": "12076:50004",
            },
        },
        "type": "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    }
    return {
        "name": name,
        "id": vnet_id,
        "etag": ETAG,
        "type": "Microsoft.Network/virtualNetworks",
        "location": f"region-{hub:02d}",
        "tags": {"owner": f"team-{index % 37}", "costCenter": f"{index % 1000:04d}", "env": "prod"},
        "properties": {
            "provisioningState": "Succeeded",
            "resourceGuid": str(uuid.UUID(int=index + 1)),
            "addressSpace": {"addressPrefixes": [prefix]},
            "dhcpOptions": {"dnsServers": ["10.13.76.4"]},
            "subnets": subnets,
            "virtualNetworkPeerings": [peering],
            "enableDdosProtection": False,
            "privateEndpointVNetPolicies": "Disabled",
        },
    }


def export(vnets: int, hubs: int = 20) -> dict[str, Any]:
    return {"value": [_vnet(i, hubs) for i in range(vnets)]}


def main() -> int:
    args = size_arguments(__doc__.split("\n\n")[0])

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vnets.json"
        path.write_text(json.dumps(export(args.vnets), indent=2), encoding="utf-8")
        parse_s, load_s, loaded = json_then_load(path, args.repeat)
        vnets = list(loaded.topology.virtual_networks.values())
        step = max(1, len(vnets) // 100)
        sample = vnets[::step][:100]

        def locate() -> list[int]:
            fresh = load_inputs([str(path)]).topology  # a new document: nothing located yet
            return [fresh.virtual_networks[v.id].prefix_origin(0).line for v in sample]

        commented = Path(folder) / "commented.json"
        commented.write_text(
            "// az rest --uri .../virtualNetworks\n" + path.read_text(encoding="utf-8"), encoding="utf-8"
        )
        commented_s, _ = best_of(args.repeat, lambda: load_inputs([str(commented)]))
        start = time.perf_counter()
        fresh_load = load_inputs([str(path)])
        reload_s = time.perf_counter() - start
        with collector_paused():  # as the CLI runs: a collection here would scan the whole model, not locate
            start = time.perf_counter()
            lines = [fresh_load.topology.virtual_networks[v.id].prefix_origin(0).line for v in sample]
            locate_s = time.perf_counter() - start
        figures = {
            "megabytes": path.stat().st_size / 1e6,
            "vnets": len(vnets),
            "subnets": sum(len(v.subnets) for v in vnets),
            "json_load_s": parse_s,
            "load_s": load_s,
            "load_ratio": load_s / parse_s,
            "locate_100_s": locate_s,
            "locate_ratio": locate_s / parse_s,
            "reload_s": reload_s,
            "commented_load_s": commented_s,
            "commented_ratio": commented_s / parse_s,
            "first_line": lines[0],
            "last_line": lines[-1],
        }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"ARM export: {figures['vnets']} VNets, {figures['subnets']} subnets, {figures['megabytes']:.1f} MB")
    print_ratios(
        [
            ("json.load (baseline)", parse_s),
            ("anycast-lint load", load_s),
            ("locate 100 finding lines", locate_s),
            ("load, with a // comment", commented_s),
        ],
        parse_s,
    )
    print(f"  target: load within 2.00x json.load -> {'met' if figures['load_ratio'] <= 2.0 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Live scan: Resource Graph versus per-subscription list calls, on a local Azure over HTTPS on loopback;
then a tenant of 500 subscriptions, with and without a Resource Graph throttling wave.

    python benchmarks/bench_live.py [--subscriptions 50] [--vnets 200] [--page 100] [--repeat 1] [--tenant 500]

Serves a tenant of N subscriptions, each with M VNets (one subnet, one peering each), a virtual hub
with two route tables, a hub connection and a route map, an ExpressRoute gateway with its connection,
and a circuit. Reads it the way `scan --azure` does (the real SDK clients, DefaultAzureCredential with
a service principal from the environment), once through Resource Graph and once with
`--no-resource-graph`, and reports the requests sent and the wall time of each, and their ratio.

The tenant run (`--tenant N`, issue 22) spreads one design over 4 subscriptions (each with `--vnets`
VNets and a Virtual WAN hub) and leaves the other N - 4 empty, as a large enterprise tenant mostly is.
Its budget is 3 requests per subscription plus 50; it is read once as is and once with a throttling
wave (the first 3 Resource Graph queries answer 429 with only the quota headers, `resets-after`
00:00:01), and reports requests, the budget and wall time for each.

Page sizes are the local Azure's: Resource Graph answers 1,000 rows a page (its documented maximum);
list calls answer `--page` resources a page (Azure's page sizes per type are not documented). Server and
client share this process, so wall times include the server's work; compare the ratio, not seconds.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from anycast_lint.inputs.live.session import LiveOptions, read_azure
from timing import best_of

# The local Azure lives with the tests (tests/azure_server.py); loaded by path, as tests are no package.
SERVER = Path(__file__).resolve().parents[1] / "tests" / "azure_server.py"
_SPEC = importlib.util.spec_from_file_location("azure_server", SERVER)
assert _SPEC is not None and _SPEC.loader is not None
azure_server = importlib.util.module_from_spec(_SPEC)
sys.modules["azure_server"] = azure_server  # dataclasses look their module up there
_SPEC.loader.exec_module(azure_server)
LocalAzure, Tenant = azure_server.LocalAzure, azure_server.Tenant

NET = "providers/Microsoft.Network"


def _vnet(base: str, index: int, subscription: int) -> dict[str, Any]:
    vnet_id = f"{base}/{NET}/virtualNetworks/vnet-{index:04d}"
    prefix = f"10.{subscription % 250}.{index % 250}.0/24"
    return {
        "id": vnet_id,
        "name": f"vnet-{index:04d}",
        "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope",
        "tags": {},
        "properties": {
            "provisioningState": "Succeeded",
            "addressSpace": {"addressPrefixes": [prefix]},
            "subnets": [
                {
                    "id": f"{vnet_id}/subnets/default",
                    "name": "default",
                    "properties": {"addressPrefix": prefix, "provisioningState": "Succeeded"},
                }
            ],
            "virtualNetworkPeerings": [
                {
                    "id": f"{vnet_id}/virtualNetworkPeerings/to-hub",
                    "name": "to-hub",
                    "properties": {
                        "remoteVirtualNetwork": {"id": f"{base}/{NET}/virtualNetworks/vnet-0000"},
                        "allowVirtualNetworkAccess": True,
                        "allowForwardedTraffic": True,
                        "useRemoteGateways": False,
                        "peeringState": "Connected",
                    },
                }
            ],
        },
    }


def _wan(base: str, subscription: int) -> list[dict[str, Any]]:
    wan = f"{base}/{NET}/virtualWans/wan"
    hub = f"{base}/{NET}/virtualHubs/hub"
    gateway = f"{base}/{NET}/expressRouteGateways/ergw"
    circuit = f"{base}/{NET}/expressRouteCircuits/er-{subscription}"
    default_table = f"{hub}/hubRouteTables/defaultRouteTable"
    routing = {
        "associatedRouteTable": {"id": default_table},
        "propagatedRouteTables": {"labels": ["default"], "ids": [{"id": default_table}]},
    }
    return [
        {"id": wan, "name": "wan", "type": "Microsoft.Network/virtualWans", "location": "westeurope", "properties": {}},
        {
            "id": hub,
            "name": "hub",
            "type": "Microsoft.Network/virtualHubs",
            "location": "westeurope",
            "properties": {"addressPrefix": f"192.168.{subscription % 250}.0/23", "virtualWan": {"id": wan}},
        },
        *(
            {
                "id": f"{hub}/hubRouteTables/{name}",
                "name": name,
                "type": "Microsoft.Network/virtualHubs/hubRouteTables",
                "properties": {"labels": [label], "routes": []},
            }
            for name, label in (("defaultRouteTable", "default"), ("noneRouteTable", "none"))
        ),
        {
            "id": f"{hub}/hubVirtualNetworkConnections/vnet-0001",
            "name": "vnet-0001",
            "type": "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
            "properties": {
                "remoteVirtualNetwork": {"id": f"{base}/{NET}/virtualNetworks/vnet-0001"},
                "routingConfiguration": routing,
            },
        },
        {
            "id": f"{hub}/routeMaps/prepend",
            "name": "prepend",
            "type": "Microsoft.Network/virtualHubs/routeMaps",
            "properties": {"rules": []},
        },
        {
            "id": gateway,
            "name": "ergw",
            "type": "Microsoft.Network/expressRouteGateways",
            "location": "westeurope",
            "properties": {
                "virtualHub": {"id": hub},
                "expressRouteConnections": [
                    {
                        "id": f"{gateway}/expressRouteConnections/er",
                        "name": "er",
                        "properties": {
                            "expressRouteCircuitPeering": {"id": f"{circuit}/peerings/AzurePrivatePeering"},
                            "routingConfiguration": routing,
                        },
                    }
                ],
            },
        },
        {
            "id": circuit,
            "name": f"er-{subscription}",
            "type": "Microsoft.Network/expressRouteCircuits",
            "location": "westeurope",
            "properties": {"serviceProviderProperties": {"peeringLocation": "Amsterdam"}, "peerings": []},
        },
    ]


def tenant(subscriptions: int, vnets: int, page: int) -> Any:
    resources: list[dict[str, Any]] = []
    for s in range(subscriptions):
        base = f"/subscriptions/{s:08d}-0000-0000-0000-000000000000/resourceGroups/rg-net"
        resources += [_vnet(base, i, s) for i in range(vnets)]
        resources += _wan(base, s)
    return Tenant(resources, page_size=page)


DESIGNED = 4  # subscriptions holding the design in the tenant run
WAVE = 3  # Resource Graph queries throttled in the wave


def spread_tenant(total: int, vnets: int, page: int) -> Any:
    """One design over DESIGNED subscriptions, the rest of `total` empty."""
    served = tenant(min(DESIGNED, total), vnets, page)
    served.extra_subscriptions = [f"{s:08d}-0000-0000-0000-000000000000" for s in range(DESIGNED, total)]
    served.__post_init__()
    return served


def tenant_run(total: int, vnets: int, page: int) -> None:
    """Requests and wall time for a tenant of `total` subscriptions, with and without a throttling wave."""
    served = spread_tenant(total, vnets, page)
    budget = 3 * total + 50
    with tempfile.TemporaryDirectory() as scratch, LocalAzure(served, Path(scratch)) as azure:
        os.environ["REQUESTS_CA_BUNDLE"] = str(azure.ca_file)
        print(f"tenant: {total} subscriptions, {min(DESIGNED, total)} holding the design "
              f"({len(served.resources):,} resources), the rest empty; budget {budget:,} requests")  # fmt: skip
        for label, wave in (("no throttling", 0), (f"throttling wave ({WAVE} x 429)", WAVE)):
            served.quota_throttled = wave
            options = LiveOptions(arm_endpoint=azure.url, authority_host=azure.url)
            before = len(azure.log)
            seconds, read = best_of(1, lambda options=options: read_azure(options, quiet=True))
            requests = len(azure.log) - before
            graph = sum(1 for _, path in azure.log[before:] if path.endswith("Microsoft.ResourceGraph/resources"))
            assert not read.read.gaps and len(read.read.subscriptions) == total, read.read.gaps
            assert requests <= budget, (requests, budget)
            print(f"{label:28s} {requests:6,d} requests ({requests / total:.2f} per subscription, "
                  f"{graph} Resource Graph)  {seconds:7.2f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=50)
    parser.add_argument("--vnets", type=int, default=200)
    parser.add_argument("--page", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--tenant", type=int, default=500, help="subscriptions of the tenant run (0: skip it)")
    args = parser.parse_args()
    served = tenant(args.subscriptions, args.vnets, args.page)
    with tempfile.TemporaryDirectory() as scratch, LocalAzure(served, Path(scratch)) as azure:
        os.environ.update(
            AZURE_CLIENT_ID="local-client",
            AZURE_CLIENT_SECRET="local-client-secret",
            AZURE_TENANT_ID=served.tenant_id,
            REQUESTS_CA_BUNDLE=str(azure.ca_file),
        )
        print(f"tenant: {args.subscriptions} subscriptions x {args.vnets} VNets + a Virtual WAN hub each, "
              f"{len(served.resources):,} resources; list pages of {args.page}")  # fmt: skip
        figures = {}
        for name, use_graph in (("Resource Graph", True), ("list calls", False)):
            options = LiveOptions(arm_endpoint=azure.url, authority_host=azure.url, use_graph=use_graph)
            before = len(azure.log)
            seconds, read = best_of(args.repeat, lambda options=options: read_azure(options, quiet=True))
            requests = (len(azure.log) - before) // args.repeat
            assert not read.read.gaps and len(read.read.resources) >= len(served.resources) - 2 * args.subscriptions
            figures[name] = (requests, seconds)
            print(f"{name:15s} {requests:6,d} requests  {seconds:7.2f} s  ({len(read.read.resources):,} resources)")
        (graph_requests, graph_seconds), (list_requests, list_seconds) = figures.values()
        print(
            f"Resource Graph / list calls: requests {graph_requests / list_requests:.2f}x, "
            f"wall time {graph_seconds / list_seconds:.2f}x"
        )
    if args.tenant:
        tenant_run(args.tenant, args.vnets, args.page)


if __name__ == "__main__":
    main()

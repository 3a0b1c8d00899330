"""Loading a large Terraform plan, as a ratio to plain `json.load` of the same file.

    python benchmarks/bench_plan_load.py [--vnets 10000] [--repeat 3]

Writes a `terraform show -json` plan (format 1.2, with the fixtures' plan writer) of a landing zone
that creates 10,000 spoke VNets: a module per region (20, for_each) with 500 spokes each (for_each),
each spoke with two `azurerm_subnet`s and a peering to its region's existing hub; ids and GUIDs are
known after apply, so every instance has its `after_unknown`, and the configuration carries the
references. It times:

  json.load   the baseline: read and parse the file (ratio 1.0)
  load        anycast-lint's whole load: read, parse, mask unknown and sensitive values, resolve
              references, translate to the model

Target (issue 9): load in a small multiple of json.load.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from timing import json_then_load, print_ratios, size_arguments

BUILD = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "terraform" / "build.py"
REGIONS = 20
SUB, RG = "6f2a9f3e-1c7d-4c2b-9a53-0d9c8e7b1a2f", "rg-landing-zone"


def _writer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("plan_build", BUILD)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["plan_build"] = module
    spec.loader.exec_module(module)
    return module


def plan(vnets: int) -> dict[str, Any]:
    build = _writer()
    document = build.Plan()
    per_region = max(1, vnets // REGIONS)
    document.calls["region"] = {
        "source": "./modules/region",
        "for_each_expression": {"references": ["local.regions"]},
        "expressions": {"hub_id": {"references": ["each.value.hub_id", "each.value"]}},
    }
    for region in range(REGIONS):
        hub_id = build.arm(SUB, "rg-hub", "virtualNetworks", f"hub-{region:02d}")
        module = (("region", f"region-{region:02d}"),)
        for spoke in range(per_region):
            index = region * per_region + spoke
            name = f"vnet-{index:05d}"
            second, third = divmod(index, 256)
            document.add(build.Res(module, "azurerm_virtual_network", "spoke", {
                "name": name, "location": f"region-{region:02d}", "resource_group_name": RG,
                "address_space": [f"10.{second % 256}.{third}.0/24"], "dns_servers": ["10.13.76.4"],
                "tags": {"owner": f"team-{index % 37}", "costCenter": f"{index % 1000:04d}", "env": "prod"},
                "flow_timeout_in_minutes": None, "bgp_community": None, "edge_zone": None,
                "id": None, "guid": None, "subnet": None,
            }, key=name, for_each=["var.spokes"], unknown=[("id",), ("guid",), ("subnet",)]))  # fmt: skip
            for s in range(2):
                document.add(build.Res(module, "azurerm_subnet", "spoke", {
                    "name": f"snet-{s}", "resource_group_name": RG, "virtual_network_name": name,
                    "address_prefixes": [f"10.{second % 256}.{third}.{s * 64}/26"], "delegation": [],
                    "default_outbound_access_enabled": True, "private_endpoint_network_policies": "Disabled",
                    "private_link_service_network_policies_enabled": True, "service_endpoints": [],
                    "id": None,
                }, key=f"{name}/snet-{s}", for_each=["local.subnets"], refs={
                    ("virtual_network_name",): ["azurerm_virtual_network.spoke", "each.value.vnet"],
                }, unknown=[("id",)]))  # fmt: skip
            document.add(build.Res(module, "azurerm_virtual_network_peering", "to_hub", {
                "name": f"{name}-to-hub", "resource_group_name": RG, "virtual_network_name": name,
                "remote_virtual_network_id": hub_id, "allow_virtual_network_access": True,
                "allow_forwarded_traffic": True, "allow_gateway_transit": False, "use_remote_gateways": True,
                "id": None,
            }, key=name, for_each=["azurerm_virtual_network.spoke"], refs={
                ("virtual_network_name",): ["each.value.name", "each.value"],
                ("remote_virtual_network_id",): ["var.hub_id"],
            }, unknown=[("id",)]))  # fmt: skip
    result: dict[str, Any] = document.document()
    return result


def main() -> int:
    args = size_arguments(__doc__.split("\n\n")[0])

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "plan.json"
        path.write_text(json.dumps(plan(args.vnets), indent=2), encoding="utf-8")
        parse_s, load_s, loaded = json_then_load(path, args.repeat)
        vnets = list(loaded.topology.virtual_networks.values())
        figures = {
            "megabytes": path.stat().st_size / 1e6,
            "vnets": len(vnets),
            "subnets": sum(len(v.subnets) for v in vnets),
            "peerings": sum(len(v.peerings) for v in vnets),
            "json_load_s": parse_s,
            "load_s": load_s,
            "load_ratio": load_s / parse_s,
        }
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(
        f"Terraform plan: {figures['vnets']} VNets, {figures['subnets']} subnets, {figures['peerings']} peerings, "
        f"{figures['megabytes']:.1f} MB"
    )
    print_ratios([("json.load (baseline)", parse_s), ("anycast-lint load", load_s)], parse_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())

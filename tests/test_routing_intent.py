"""Routing intent on Virtual WAN hubs (routing/intent.py).

Documented ("How to configure Virtual WAN Hub routing intent and routing policies"): with a private traffic
policy every connection propagates to the noneRouteTable and the hub's firewall carries private traffic, while
the hub still advertises its own VNets and the prefixes of its connections' static routes to ExpressRoute. A hub
route table static route to a VNet connection ("option 2") cannot be used with routing intent; the newer
"Configure static routes in a virtual hub" calls connection static routes ("option 1") compatible with it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, FIXTURES, example_design, load_script, named, run_cli, write_design

CONFIG = (EXAMPLES / "anycast-lint.yaml").read_text(encoding="utf-8").split("# Each folder")[0]


def _secured(intent: bool = True) -> dict[str, Any]:
    """Design B with a firewall in each hub and every connection propagating to the noneRouteTable, as the
    portal sets them when routing intent is configured; with `intent`, the private traffic policy itself."""
    design = example_design("vwan-indirect-spokes")
    for index, hub in enumerate(design["virtualHubs"], start=1):
        firewall = f"azfw-hub-0{index}"
        design["azureFirewalls"].append(
            {
                "name": firewall,
                "region": hub["region"],
                "sku": "AZFW_Hub",
                "virtualHub": hub["name"],
                "privateIPAddress": f"192.168.{126 + 2 * index}.132",
            }
        )
        if intent:
            hub["routingIntent"] = {
                "name": "intent",
                "routingPolicies": [
                    {"name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "nextHop": firewall}
                ],
            }
        connections = hub["virtualNetworkConnections"] + hub["expressRouteGateway"]["connections"]
        for connection in connections:
            routing = connection.setdefault("routingConfiguration", {})
            routing["propagatedRouteTables"] = {"labels": ["none"], "ids": ["noneRouteTable"]}
    return design


def _write(tmp_path: Path, design: dict[str, Any], shape: str) -> str:
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    return write_design(tmp_path, design, shape)


@pytest.mark.parametrize("shape", ["native", "arm"])
def test_routing_intent_advertises_the_hubs_own_connections(tmp_path: Path, shape: str) -> None:
    name = _write(tmp_path, _secured(), shape)
    scan = run_cli("scan", name, "--format", "json", cwd=tmp_path)
    assert scan.exit_code == 0, scan.stdout
    assert [f["code"] for f in json.loads(scan.stdout)["findings"]] == []  # no AC203: intent advertises them
    run = run_cli("simulate", name, "--format", "json", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    choice = document["services"][0]["circuits"]["er-circuit"]
    assert choice["member"].endswith("/dns-02") and choice["runnerUp"].endswith("/dns-01")
    (circuit,) = document["circuits"]
    routes = [r for r in circuit["routes"] if r["network"] == "10.13.76.0/24"]
    assert {r["path"] for r in routes} == {"65515", "65515 11111"}  # both hubs, the route map still applies
    assert all("routing intent: private traffic through azfw-hub-0" in r["how"] for r in routes)
    text = run_cli("simulate", name, "--each-member", cwd=tmp_path).stdout
    assert "dns-02 down: er-circuit -> dns-01 (westeurope)" in text  # failover still works


def test_without_routing_intent_the_none_table_keeps_the_routes_to_itself(tmp_path: Path) -> None:
    name = _write(tmp_path, _secured(intent=False), "native")
    findings = json.loads(run_cli("scan", name, "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert [(f["code"], f["level"]) for f in findings] == [("AC203", "error"), ("AC203", "error")]


@pytest.mark.parametrize("shape", ["native", "arm"])
def test_an_option_two_static_route_cannot_be_used_with_routing_intent(tmp_path: Path, shape: str) -> None:
    design = _secured()
    hub = named(design["virtualHubs"], "hub-01")
    hub["routeTables"] = [
        {
            "name": "defaultRouteTable",
            "labels": ["default"],
            "routes": [
                {
                    "name": "to-dns-01",
                    "destinationType": "CIDR",
                    "destinations": ["10.13.76.0/24"],
                    "nextHopType": "ResourceId",
                    "nextHop": "conn-transit-01",
                }
            ],
        }
    ]
    name = _write(tmp_path, design, shape)
    findings = json.loads(run_cli("scan", name, "--format", "json", cwd=tmp_path).stdout)["findings"]
    ((code, level, message),) = [(f["code"], f["level"], f["message"]) for f in findings]
    assert (code, level) == ("AC203", "error")
    assert "cannot be used with routing intent" in message and "compatible with routing intent hubs" in message


def test_the_realworld_routing_intent_example_is_read() -> None:
    from conftest import REALWORLD, shared_or_skip

    path = shared_or_skip(REALWORLD / "azure-rest-examples" / "RoutingIntentGet.json")
    run = run_cli("scan", str(path))
    assert run.exit_code == 2  # a routing intent alone, of a hub not in the input: nothing to check
    assert "it holds 1 resource(s) that change routing (AC002)" in run.stderr


# --- Terraform: azurerm_virtual_hub_routing_intent maps to the same model ---------------------------------------


def _plan_resources(module: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(module.get("resources", []))
    for child in module.get("child_modules", []):
        found += _plan_resources(child)
    return found


def _secured_plan(tmp_path: Path, intent: bool) -> str:
    """The Virtual WAN plan with every hub connection propagating to the noneRouteTable; with `intent`, an
    azurerm_virtual_hub_routing_intent per hub sending private traffic through a hub firewall."""
    build = load_script(FIXTURES / "terraform" / "build.py")
    document = build.vwan()
    for resource in _plan_resources(document["planned_values"]["root_module"]):
        if resource["type"] == "azurerm_virtual_hub_connection" and resource["values"].get("routing"):
            routing = resource["values"]["routing"][0]
            hub_id = routing["associated_route_table_id"].rsplit("/hubRouteTables/", 1)[0]
            routing["propagated_route_table"] = [
                {"labels": ["none"], "route_table_ids": [f"{hub_id}/hubRouteTables/noneRouteTable"]}
            ]
    if intent:
        for hub in ("hub-01", "hub-02"):
            hub_id = build.arm(build.VWAN_SUB, build.VWAN_RG, "virtualHubs", hub)
            firewall = build.arm(build.VWAN_SUB, build.VWAN_RG, "azureFirewalls", f"azfw-{hub}")
            values = {
                "name": "intent",
                "virtual_hub_id": hub_id,
                "routing_policy": [
                    {"name": "PrivateTrafficPolicy", "destinations": ["PrivateTraffic"], "next_hop": firewall}
                ],
                "id": f"{hub_id}/routingIntent/intent",
            }
            build.add_created(document, build.Res((), "azurerm_virtual_hub_routing_intent", "secured", values, key=hub))
    (tmp_path / "plan.json").write_text(build.render(document), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    return "plan.json"


def test_a_terraform_routing_intent_is_read_like_the_arm_one(tmp_path: Path) -> None:
    name = _secured_plan(tmp_path, intent=False)
    codes = [f["code"] for f in json.loads(run_cli("scan", name, "--format", "json", cwd=tmp_path).stdout)["findings"]]
    assert codes.count("AC203") == 2  # the none table keeps the static routes to itself
    name = _secured_plan(tmp_path, intent=True)
    findings = json.loads(run_cli("scan", name, "--format", "json", cwd=tmp_path).stdout)["findings"]
    assert [f["code"] for f in findings if f["code"] in ("AC203", "AC002")] == []
    text = run_cli("simulate", name, cwd=tmp_path).stdout
    assert "routing intent: ExpressRoute gateway 'ergw-hub-01' of hub hub-01" in text

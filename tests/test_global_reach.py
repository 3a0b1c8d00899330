"""ExpressRoute Global Reach (routing/global_reach.py): linked circuits' edges exchange routes.

Documented ("About ExpressRoute Global Reach"; "Virtual WAN routing deep dive": routes go "from hub 1 to circuit
1, from circuit 1 to circuit 2 … to hub 2"); assumed: an edge prefers a route from a gateway over an equal one
learned over Global Reach.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, hub_and_spoke_design, load_script, run_cli, write_design

CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n"


def _two_regions(tmp_path: Path, global_reach: bool, shape: str = "native") -> str:
    """Two regions, each hub on its own circuit (er-ams, er-dub); with `global_reach`, the circuits linked."""
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-dub"]}]
    design = hub_and_spoke_design(regions, ["er-ams", "er-dub"])
    if global_reach:
        design["expressRouteCircuits"][0]["globalReach"] = ["er-dub"]
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    return write_design(tmp_path, design, shape)


@pytest.mark.parametrize("shape", ["native", "arm"])
def test_a_whole_hub_lost_is_still_reached_over_global_reach(tmp_path: Path, shape: str) -> None:
    name = _two_regions(tmp_path, True, shape)
    run = run_cli("simulate", name, "--fail", "hub-01", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    choice = json.loads(run.stdout)["services"][0]["circuits"]["er-ams"]
    assert choice["member"].endswith("/dns-02")
    text = run_cli("simulate", name, "--fail", "hub-01", cwd=tmp_path).stdout
    assert "global reach: 10.13.76.0/24 via 192.168.130.12 is learned from circuit 'er-dub' over Global Reach" in text
    scan = json.loads(run_cli("scan", name, "--format", "json", "--select", "AC304,AC002", cwd=tmp_path).stdout)
    assert scan["findings"] == []  # losing a member is no failover gap, and Global Reach is modelled, not AC002's


def test_without_global_reach_losing_the_hub_leaves_its_circuit_without_a_route(tmp_path: Path) -> None:
    name = _two_regions(tmp_path, False)
    run = run_cli("simulate", name, "--fail", "hub-01", cwd=tmp_path)
    assert run.exit_code == 1 and "er-ams" in run.stderr
    scan = json.loads(run_cli("scan", name, "--format", "json", "--select", "AC304", cwd=tmp_path).stdout)
    assert {f["code"] for f in scan["findings"]} == {"AC304"}


def test_a_route_from_a_gateway_beats_an_equal_one_over_global_reach(tmp_path: Path) -> None:
    name = _two_regions(tmp_path, True)
    document = json.loads(run_cli("simulate", name, "--format", "json", cwd=tmp_path).stdout)
    choice = document["services"][0]["circuits"]["er-ams"]
    assert choice["member"].endswith("/dns-01") and choice["decidedBy"] == "Global Reach"


def test_trace_crosses_global_reach(tmp_path: Path) -> None:
    name = _two_regions(tmp_path, True)
    run = run_cli(
        "trace", "172.16.10.10", "10.13.76.4", name, "--circuit", "er-ams", "--fail", "hub-01", "--format", "json",
        cwd=tmp_path,
    )  # fmt: skip
    (trace,) = json.loads(run.stdout)["traces"]
    circuit = trace["forward"]["hops"][1]
    assert "over Global Reach from circuit 'er-dub'" in circuit["detail"]


def test_a_terraform_circuit_connection_is_global_reach(tmp_path: Path) -> None:
    """azurerm_express_route_circuit_connection (peering_id, peer_peering_id) maps to the same link."""
    from anycast_lint.inputs.loader import load_inputs

    build = load_script(FIXTURES / "terraform" / "build.py")
    document = build.hub_and_spoke()
    circuit = next(
        r
        for r in document["planned_values"]["root_module"]["resources"]
        if r["type"] == "azurerm_express_route_circuit"
    )
    peer = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-er/providers/Microsoft.Network/expressRouteCircuits/er-dub"
    values = {
        "name": "gr-ams-dub",
        "peering_id": circuit["values"]["id"] + "/peerings/AzurePrivatePeering",
        "peer_peering_id": peer + "/peerings/AzurePrivatePeering",
        "address_prefix_ipv4": "192.168.255.0/29",
        "id": circuit["values"]["id"] + "/peerings/AzurePrivatePeering/connections/gr-ams-dub",
    }
    build.add_created(document, build.Res((), "azurerm_express_route_circuit_connection", "gr", values))
    (tmp_path / "plan.json").write_text(build.render(document), encoding="utf-8")
    (link,) = load_inputs([str(tmp_path / "plan.json")]).topology.global_reach
    assert (link.circuit_id, link.peer_circuit_id, link.name) == (circuit["values"]["id"], peer, "gr-ams-dub")
    run = run_cli("scan", "plan.json", "--format", "json", "--select", "AC002", cwd=tmp_path)
    (note,) = json.loads(run.stdout)["findings"]  # er-dub is not in the plan: what it brings is not modelled
    assert "it links to circuit 'er-dub', which is not in the input" in note["message"]

"""AC308 and summarizedGatewayPrefixes on the field report's hub and spoke design (design A).

Sources: "Azure subscription and service limits" (1,000 IPv4 / 100 IPv6 routes advertised from Azure per
ExpressRoute gateway connection, Standard and Premium alike), the ExpressRoute FAQ (exceeding it disconnects
the connection), "Advertised gateway prefixes in Azure virtual networks" (summaries replace the hub's space
and the spokes they cover).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import RULE_FIXTURES, example_design, named, run_cli, scan_design, simulate_design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _with_app_spoke(count: int, version: int = 4) -> dict[str, Any]:
    design = example_design("hub-and-spoke")
    if version == 4:
        prefixes = [f"10.{100 + i // 256}.{i % 256}.0/24" for i in range(count)]
    else:
        prefixes = [f"fd00:0:0:{i:x}::/64" for i in range(count)]
    design["virtualNetworks"].append(
        {
            "name": "app-01",
            "region": "westeurope",
            "addressSpace": prefixes,
            "peerings": [{"remoteVirtualNetwork": "hub-01", "useRemoteGateways": True}],
        }
    )
    named(design["virtualNetworks"], "hub-01")["peerings"].append(
        {"remoteVirtualNetwork": "app-01", "allowGatewayTransit": True}
    )
    return design


def test_above_eighty_percent_is_a_warning(tmp_path: Path) -> None:
    (finding,) = scan_design(tmp_path, _with_app_spoke(850), CONFIG, "AC308")
    assert finding["level"] == "warning"
    assert "advertises 852 IPv4 prefixes" in finding["message"] and "That is 85% of it" in finding["message"]
    assert finding["resource"].endswith("/connections/ergw-hub-01-er-circuit")


def test_exactly_the_limit_is_allowed_with_a_warning(tmp_path: Path) -> None:
    (finding,) = scan_design(tmp_path, _with_app_spoke(998), CONFIG, "AC308")  # + hub-01 + dns-01 = 1,000
    assert finding["level"] == "warning" and "advertises 1,000 IPv4 prefixes" in finding["message"]


def test_ipv6_limit_is_100(tmp_path: Path) -> None:
    (finding,) = scan_design(tmp_path, _with_app_spoke(101, version=6), CONFIG, "AC308")
    assert finding["level"] == "error" and "advertises 101 IPv6 prefixes; the limit is 100" in finding["message"]


def test_the_other_hub_is_counted_on_its_own(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _with_app_spoke(1000), CONFIG, "AC308")
    assert [f["resource"].rsplit("/", 1)[1] for f in findings] == ["ergw-hub-01-er-circuit"]


def test_summary_replaces_the_hub_space_and_the_spokes_it_covers(tmp_path: Path) -> None:
    design = _with_app_spoke(1000)
    named(design["virtualNetworks"], "hub-01")["summarizedGatewayPrefixes"] = ["192.168.128.0/23", "10.100.0.0/14"]
    assert scan_design(tmp_path, design, CONFIG, "AC308") == []
    document = simulate_design(tmp_path, design, CONFIG)
    from_hub_01 = {r["network"] for r in document["circuits"][0]["routes"] if r["nextHop"].startswith("192.168.128.")}
    assert from_hub_01 == {"192.168.128.0/23", "10.100.0.0/14", "10.13.76.0/24"}


def _summarizing_both_hubs() -> dict[str, Any]:
    design = example_design("hub-and-spoke")
    for hub, space in (("hub-01", "192.168.128.0/23"), ("hub-02", "192.168.130.0/23")):
        named(design["virtualNetworks"], hub)["summarizedGatewayPrefixes"] = [space, "10.0.0.0/8"]
    return design


def test_a_summary_covering_an_anycast_member_is_a_warning(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _summarizing_both_hubs(), CONFIG, "AC308")
    assert sorted((f["level"], f["resource"].rsplit("/", 1)[1]) for f in findings) == [
        ("warning", "hub-01"),
        ("warning", "hub-02"),
    ]
    assert (
        "summarizedGatewayPrefixes 10.0.0.0/8 of hub 'hub-01' covers 10.13.76.0/24 of 'dns-01' (service 'dns')"
        in (findings[0]["message"])
    )


def test_a_summary_hides_the_anycast_prefix_and_outlives_the_member(tmp_path: Path) -> None:
    document = simulate_design(tmp_path, _summarizing_both_hubs(), CONFIG)
    networks = {r["network"] for r in document["circuits"][0]["routes"]}
    assert "10.13.76.0/24" not in networks and "10.0.0.0/8" in networks
    failed = simulate_design(tmp_path, _summarizing_both_hubs(), CONFIG, "--fail", "dns-01")
    choice = failed["services"][0]["circuits"]["er-circuit"]
    # hub-01's 10.0.0.0/8 is still the best path (lower next hop), and lands in no member any more
    assert choice["nextHop"] == "192.168.128.12" and choice["member"] is None


# The ExpressRoute FAQ: past the limit "the connection between the ExpressRoute circuit and the gateway (and
# peered VNets using gateway transit) will go down". The routing model takes it down; only AC308 names it.


@pytest.mark.parametrize("design", ["bad.yaml", "bad.json"])
def test_a_connection_over_the_limit_is_down_and_only_ac308_names_it(design: str) -> None:
    folder = RULE_FIXTURES / "AC308"
    run = run_cli("simulate", design, "--format", "json", "--each-member", cwd=folder)
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    ((service,),) = [document["services"]]
    assert service["circuits"]["er-circuit"]["member"].endswith("/dns-02")  # hub-01's connection is down
    ((down,),) = [document["down"]]
    assert down["gateway"].endswith("/ergw-hub-01") and down["prefixes"] == {"IPv4": 1002}
    text = run_cli("simulate", design, cwd=folder).stdout
    assert "down: the connection of gateway 'ergw-hub-01' in hub-01 would advertise 1,002 IPv4 prefixes" in text
    scan = json.loads(run_cli("scan", design, "--format", "json", cwd=folder).stdout)
    assert [(f["code"], f["level"]) for f in scan["findings"]] == [("AC308", "error")]
    assert "the model takes the connection down" in scan["findings"][0]["message"]


def test_trace_goes_to_the_region_whose_connection_is_up() -> None:
    run = run_cli("trace", "172.16.10.10", "10.13.76.4", "bad.yaml", "--format", "json", cwd=RULE_FIXTURES / "AC308")
    (trace,) = json.loads(run.stdout)["traces"]
    assert "virtual network gateway 'ergw-hub-02'" in [h["resource"] for h in trace["forward"]["hops"]]

"""AC307 and the edge's refusal of reserved ASNs, on the field report's Virtual WAN design (design B).

Sources the behaviours come from (see lint/routing/asns.py): Virtual WAN "About Route-maps" (reserved and
private ASNs, 2-byte only), "ExpressRoute routing requirements" (12076, 65515-65520 reserved), the field
report (65515 removed towards on-premises: the hub prefix comes back as `133937 12076`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, example_design, named, run_cli, scan_design, simulate_design, write_design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _prepending(asn: str) -> dict[str, Any]:
    design = example_design("vwan-indirect-spokes")
    route_map = named(named(design["virtualHubs"], "hub-01")["routeMaps"], "rm-prepend-anycast")
    route_map["rules"][0]["actions"][0]["parameters"][0]["asPath"] = [asn]
    return design


def _second_circuit(design: dict[str, Any]) -> dict[str, Any]:
    """A second circuit in another peering location, on both hubs."""
    design["expressRouteCircuits"].append(
        {"name": "er-circuit-2", "region": "northeurope", "peeringLocation": "Dublin"}
    )
    for index in (1, 2):
        gateway = named(design["virtualHubs"], f"hub-0{index}")["expressRouteGateway"]
        gateway["connections"].append({"name": f"er-conn-hub-0{index}-2", "circuit": "er-circuit-2"})
    return design


def _simulate(tmp_path: Path, design: dict[str, Any], *args: str) -> dict[str, Any]:
    return simulate_design(tmp_path, design, CONFIG, *args)


def test_reserved_asn_takes_the_region_off_the_circuit(tmp_path: Path) -> None:
    simulated = _simulate(tmp_path, _prepending("65515"))
    circuit = simulated["circuits"][0]
    anycast = [r for r in circuit["routes"] if r["network"] == "10.13.76.0/24"]
    assert {r["nextHop"] for r in anycast} == {"192.168.130.12", "192.168.130.13"}  # hub-02's only
    refused = [r for r in circuit["notAccepted"] if r["network"] == "10.13.76.0/24"]
    assert {r["path"] for r in refused} == {"65515 65515", "65515 65515 65520 65520"}
    assert refused[0]["reservedAsns"][0]["asn"] == 65515
    assert simulated["services"][0]["circuits"]["er-circuit"]["member"].endswith("/virtualNetworks/dns-02")


def test_reserved_asn_leaves_the_region_reachable_only_through_another_hub(tmp_path: Path) -> None:
    """With dns-02 down, hub-02 advertises the route it learned from hub-01 (65520 65520): the hub's
    re-choice brings dns-01 back to the circuit, though hub-01's own connection is refused."""
    simulated = _simulate(tmp_path, _prepending("12076"), "--fail", "dns-02")
    choice = simulated["services"][0]["circuits"]["er-circuit"]
    assert choice["member"].endswith("/virtualNetworks/dns-01")
    assert choice["nextHop"] == "192.168.130.12"  # through hub-02, not hub-01's 192.168.128.x


def test_reserved_asn_is_an_error_naming_the_lost_member(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _prepending("65517"), CONFIG, "AC307")
    assert [(f["code"], f["level"]) for f in findings] == [("AC307", "error")]
    assert "prepends 65517, so the edge refuses every route it changes" in findings[0]["message"]
    assert (
        "member 'dns-01' (westeurope) of service 'dns' is not reached from circuit 'er-circuit'"
        in (findings[0]["message"])
    )


def test_private_asn_with_one_circuit_and_no_multipath_is_fine(tmp_path: Path) -> None:
    assert scan_design(tmp_path, _prepending("65001"), CONFIG, "AC307") == []


def test_private_asn_with_two_circuits_is_a_warning(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _second_circuit(_prepending("65001")), CONFIG, "AC307")
    assert [(f["code"], f["level"]) for f in findings] == [("AC307", "warning")]
    message = findings[0]["message"]
    assert "the edge honours it (65515 65001 loses to 65515)" in message
    assert "which receives 12076 either way" in message and "With 2 circuits" in message


def test_private_asn_with_onprem_multipath_is_a_warning(tmp_path: Path) -> None:
    config = CONFIG + "onprem:\n  multipath: true\n"
    findings = scan_design(tmp_path, _prepending("64512"), config, "AC307")
    assert [f["level"] for f in findings] == ["warning"]
    assert "on-premises multipath (onprem.multipath: true)" in findings[0]["message"]


def test_configured_level_applies_to_every_cause(tmp_path: Path) -> None:
    config = CONFIG + "onprem:\n  multipath: true\nrules:\n  AC307: error\n"
    findings = scan_design(tmp_path, _prepending("64512"), config, "AC307")
    assert [f["level"] for f in findings] == ["error"]


def test_four_byte_asn_is_an_error(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _prepending("4200000001"), CONFIG, "AC307")
    assert [f["level"] for f in findings] == ["error"]
    assert "route maps support 2-byte ASNs only" in findings[0]["message"]


def test_public_asn_prepend_is_clean_and_ranks_regions(tmp_path: Path) -> None:
    assert scan_design(tmp_path, _prepending("11111"), CONFIG, "AC307") == []
    simulated = _simulate(tmp_path, _prepending("11111"))
    assert simulated["circuits"][0]["notAccepted"] == []


# --- AC309: what route maps do not support ----------------------------------------------------------------

EXAMPLE_CONFIG = EXAMPLES / "anycast-lint.yaml"


def _with_action(action: dict[str, object]) -> dict[str, object]:
    """The Virtual WAN example whose prepend rule also takes `action` (after its Add)."""
    design = example_design("vwan-indirect-spokes")
    hub = named(design["virtualHubs"], "hub-01")
    hub["routeMaps"][0]["rules"][0]["actions"].append(action)
    return design


UNSUPPORTED = [
    (
        {"type": "Replace", "parameters": [{"routePrefix": ["10.13.76.0/25", "10.13.76.128/25"]}]},
        "replaces routes matching 10.13.76.0/24 with 10.13.76.0/25, 10.13.76.128/25, more specific than what it "
        'matches: route maps only summarise ("do not use Route-Maps to create more specific routes", About '
        "Route-maps for virtual hubs, considerations and limitations)",
    ),
    (
        {"type": "Remove", "parameters": [{"community": ["12076:50002"]}]},
        "removes Azure's community 12076:50002: removing the BGP communities Azure sets is not supported",
    ),
    (
        {"type": "Replace", "parameters": [{"community": ["65001:100"]}]},
        "replaces every community of the route with 65001:100, Azure's included",
    ),
]


@pytest.mark.parametrize(("action", "says"), UNSUPPORTED)
@pytest.mark.parametrize("shape", ["native", "arm"])
def test_route_maps_doing_what_virtual_wan_does_not_support_are_errors(
    tmp_path: Path, action: dict[str, object], says: str, shape: str
) -> None:
    name = write_design(tmp_path, _with_action(action), shape)
    run = run_cli("scan", name, "--select", "AC309", "--format", "json", "--config", str(EXAMPLE_CONFIG), cwd=tmp_path)
    ((finding,),) = [json.loads(run.stdout)["findings"]]
    assert (finding["code"], finding["level"]) == ("AC309", "error")
    assert finding["message"].startswith("route map 'rm-prepend-anycast' rule 'prepend-dns' ")
    assert says in finding["message"]


def test_more_specifics_from_a_route_map_are_ac309s_alone(tmp_path: Path) -> None:
    """The /25s a Replace makes cover both members; which one the traffic lands in is not the edge's choice.
    AC309 reports the cause; AC301 used to add 'next hop 192.168.128.12 < 192.168.128.12', the winning route
    compared with itself."""
    action = {"type": "Replace", "parameters": [{"routePrefix": ["10.13.76.0/25", "10.13.76.128/25"]}]}
    config = EXAMPLE_CONFIG.read_text(encoding="utf-8")
    findings = scan_design(tmp_path, _with_action(action), config, "AC3")
    assert [(f["code"], f["level"]) for f in findings] == [("AC309", "error")]
    assert (
        scan_design(
            tmp_path, _with_action({"type": "Add", "parameters": [{"community": ["65001:100"]}]}), config, "AC301"
        )
        == []
    )


def test_adding_a_community_and_summarising_are_supported(tmp_path: Path) -> None:
    for action in (
        {"type": "Add", "parameters": [{"community": ["65001:100"]}]},
        {"type": "Replace", "parameters": [{"routePrefix": ["10.13.0.0/16"]}]},
    ):
        run = run_cli(
            "scan",
            write_design(tmp_path, _with_action(action)),
            "--select",
            "AC309",
            "--format",
            "json",
            "--config",
            str(EXAMPLE_CONFIG),
            cwd=tmp_path,
        )
        assert json.loads(run.stdout)["findings"] == [], action

"""The on-premises view: what each site receives from each circuit, and where it sends the VIP.

Two circuits in two peering locations (Amsterdam for westeurope, Dublin for northeurope), each learning one
region: each edge sends on-premises its own region's route, and the choice between regions is made on
premises — by local preference per circuit, by communities mapped to local preference, by AS path as
received (12076 in front, private ASNs removed: observed in the field report), and with multipath by ECMP.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from conftest import (
    EXAMPLES,
    REPO,
    RULE_FIXTURES,
    example_design,
    hub_and_spoke_design,
    load_script,
    named,
    run_cli,
    scan_design,
    simulate_design,
)

SERVICE = "services:\n  dns:\n    vip: 10.13.76.4\n"
NORTHEUROPE = "12076:50003"  # regional community, ExpressRoute routing requirements (private peering column)


def _two_locations() -> dict[str, Any]:
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-dub"]}]
    design = hub_and_spoke_design(regions, ["er-ams", "er-dub"])
    named(design["expressRouteCircuits"], "er-ams")["peeringLocation"] = "Amsterdam"
    named(design["expressRouteCircuits"], "er-dub")["peeringLocation"] = "Dublin"
    for name in ("dns-01", "dns-02"):  # a custom community makes Azure show the regional one too
        named(design["virtualNetworks"], name)["bgpCommunities"] = {"virtualNetworkCommunity": "12076:20000"}
    return design


def _sites(tmp_path: Path, design: dict[str, Any], config: str, *args: str) -> list[dict[str, Any]]:
    document = simulate_design(tmp_path, design, config, "--from", "onprem", *args)
    sites: list[dict[str, Any]] = named(document["services"], "dns")["sites"]
    return sites


def _members(site: dict[str, Any]) -> list[str]:
    return [m.rsplit("/", 1)[1] for m in site["members"]]


def test_equal_paths_from_two_locations_are_a_tie_on_premises(tmp_path: Path) -> None:
    (site,) = _sites(tmp_path, _two_locations(), SERVICE)
    assert site["split"] is True and site["decidedBy"] == "on-premises tie-break"
    assert [(r["circuit"], r["path"], r["edgePath"], r["locPrf"]) for r in site["routes"]] == [
        ("er-ams", "12076", "65515", 100),
        ("er-dub", "12076", "65515", 100),
    ]
    # Azure's communities as on-premises receives them: the custom one and the region's 12076:50xxx
    assert [r["communities"] for r in site["routes"]] == [["12076:20000", "12076:50002"], ["12076:20000", NORTHEUROPE]]
    (finding,) = scan_design(tmp_path, _two_locations(), SERVICE, "AC305")
    assert "with AS paths of equal length on premises (12076 / 12076) and local preference 100" in finding["message"]


def test_local_preference_per_circuit_decides(tmp_path: Path) -> None:
    config = SERVICE + "onprem:\n  circuits:\n    er-ams: {local-preference: 200}\n"
    (site,) = _sites(tmp_path, _two_locations(), config)
    assert _members(site) == ["dns-01"] and site["split"] is False
    assert site["decidedBy"] == "local preference"
    assert site["comparison"] == "local preference 200 (local-preference of 'er-ams') vs 100 (default)"
    assert scan_design(tmp_path, _two_locations(), config, "AC305") == []


def test_community_mapped_to_local_preference_moves_the_vip_to_the_other_region(tmp_path: Path) -> None:
    """er-ams is preferred by its circuit setting, but the northeurope community on er-dub wins over it."""
    config = (
        SERVICE + "onprem:\n  circuits:\n    er-ams: {local-preference: 200}\n"
        f'    er-dub:\n      communities: {{"{NORTHEUROPE}": 300}}\n'
    )
    (site,) = _sites(tmp_path, _two_locations(), config)
    assert _members(site) == ["dns-02"]
    assert (
        site["comparison"]
        == f"local preference 300 (community {NORTHEUROPE} on 'er-dub') vs 200 (local-preference of 'er-ams')"
    )
    text = run_cli("simulate", "design.yaml", "--from", "onprem", cwd=tmp_path).stdout
    assert "-> dns-02 (northeurope) via circuit er-dub: local preference 300 (community 12076:50003" in text


def test_community_without_a_custom_vnet_community_is_not_sent(tmp_path: Path) -> None:
    """Documented: the regional community shows only once the VNet has a custom one."""
    design = _two_locations()
    del named(design["virtualNetworks"], "dns-02")["bgpCommunities"]
    config = SERVICE + f'onprem:\n  circuits:\n    er-dub:\n      communities: {{"{NORTHEUROPE}": 300}}\n'
    (site,) = _sites(tmp_path, design, config)
    assert site["routes"][1]["communities"] == [] and site["split"] is True


def test_multipath_on_is_an_ecmp_split(tmp_path: Path) -> None:
    config = SERVICE + "onprem:\n  multipath: true\n"
    (site,) = _sites(tmp_path, _two_locations(), config)
    assert site["decidedBy"] == "multipath" and _members(site) == ["dns-01", "dns-02"]
    assert all(r["used"] for r in site["routes"])
    (finding,) = scan_design(tmp_path, _two_locations(), config, "AC305")
    assert "on-premises routers do ECMP (onprem.multipath: true)" in finding["message"]


def test_sites_choose_separately(tmp_path: Path) -> None:
    config = SERVICE + "onprem:\n  circuits:\n    er-ams: {site: amsterdam-dc}\n    er-dub: {site: dublin-dc}\n"
    sites = _sites(tmp_path, _two_locations(), config)
    assert [(s["site"], _members(s), s["split"]) for s in sites] == [
        ("amsterdam-dc", ["dns-01"], False),
        ("dublin-dc", ["dns-02"], False),
    ]
    assert scan_design(tmp_path, _two_locations(), config, "AC305") == []


def _private_prepend_design() -> dict[str, Any]:
    """Virtual WAN: hub-01 on er-circuit prepends private 65001 to make region 1 less preferred; hub-02 is on a
    second circuit in Dublin. At the edge the prepend is honoured; on premises both arrive as 12076."""
    design = example_design("vwan-indirect-spokes")
    hub_01 = named(design["virtualHubs"], "hub-01")
    named(hub_01["routeMaps"], "rm-prepend-anycast")["rules"][0]["actions"][0]["parameters"][0]["asPath"] = ["65001"]
    design["expressRouteCircuits"].append({"name": "er-dub", "region": "northeurope", "peeringLocation": "Dublin"})
    named(design["virtualHubs"], "hub-02")["expressRouteGateway"]["connections"][0]["circuit"] = "er-dub"
    return design


def test_private_prepend_is_honoured_at_the_edge_and_invisible_on_premises(tmp_path: Path) -> None:
    edge = simulate_design(tmp_path, _private_prepend_design(), SERVICE)
    assert edge["services"][0]["circuits"]["er-circuit"]["member"].endswith("/dns-01")
    anycast = [r for r in named(edge["circuits"], "er-circuit")["routes"] if r["network"] == "10.13.76.0/24"]
    assert anycast[0]["path"] == "65515 65001"
    (site,) = _sites(tmp_path, _private_prepend_design(), SERVICE)
    assert [(r["circuit"], r["edgePath"], r["path"]) for r in site["routes"]] == [
        ("er-circuit", "65515 65001", "12076"),
        ("er-dub", "65515", "12076"),
    ] or [(r["circuit"], r["edgePath"], r["path"]) for r in site["routes"]] == [
        ("er-dub", "65515", "12076"),
        ("er-circuit", "65515 65001", "12076"),
    ]
    assert site["split"] is True
    findings = scan_design(tmp_path, _private_prepend_design(), SERVICE, "AC305,AC307")
    assert sorted((f["code"], f["level"]) for f in findings) == [("AC305", "warning"), ("AC307", "warning")]
    split = next(f for f in findings if f["code"] == "AC305")
    assert "private ASN 65001 removed on the way" in split["message"]


def test_a_public_prepend_ranks_regions_on_premises_too(tmp_path: Path) -> None:
    design = _private_prepend_design()
    hub_01 = named(design["virtualHubs"], "hub-01")
    named(hub_01["routeMaps"], "rm-prepend-anycast")["rules"][0]["actions"][0]["parameters"][0]["asPath"] = ["11111"]
    (site,) = _sites(tmp_path, design, SERVICE)
    assert _members(site) == ["dns-02"] and site["decidedBy"] == "AS path length"
    assert site["comparison"] == "AS path 12076 vs 12076 11111 as received"


def test_failover_and_unknown_circuit_names_are_said(tmp_path: Path) -> None:
    config = (
        SERVICE + "onprem:\n  circuits:\n    er-ams: {local-preference: 200}\n    er-paris: {local-preference: 50}\n"
    )
    simulate_design(tmp_path, _two_locations(), config)
    run = run_cli("simulate", "design.yaml", "--from", "onprem", "--fail", "dns-01", cwd=tmp_path)
    # simulate is a gate: circuit er-ams has no route left to the VIP (AC304's failover gap), so exit 1
    assert run.exit_code == 1
    assert run.stderr == "anycast-lint: service dns: VIP 10.13.76.4 has no route at circuit er-ams\n"
    assert "failover: dns-01 (westeurope) -> dns-02 (northeurope)" in run.stdout
    assert "onprem.circuits names 'er-paris'" in run.stdout and "not a circuit of this design" in run.stdout


def test_readme_example_is_what_simulate_prints(tmp_path: Path) -> None:
    """README's `simulate --from onprem` example is the bundled two-locations example's real output, and this
    test design (the same circuits and policy) prints it too."""
    config = (
        SERVICE + "onprem:\n  circuits:\n    er-ams: {local-preference: 200}\n"
        f'    er-dub:\n      communities: {{"{NORTHEUROPE}": 300}}\n'
    )
    simulate_design(tmp_path, _two_locations(), config)
    designed = run_cli("simulate", "design.yaml", "--from", "onprem", cwd=tmp_path).stdout
    printed = run_cli("simulate", "two-locations", "--from", "onprem", cwd=EXAMPLES).stdout
    assert designed.split("Service dns", 1)[1] == printed.split("Service dns", 1)[1]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"`--from onprem` looks from the other side.*?```text\n(.*?)\n```", readme, re.S)
    assert block, "README has no --from onprem example"
    assert block.group(1) in printed


def test_arm_export_gives_the_same_on_premises_view(tmp_path: Path) -> None:
    """The ARM twin (bgpCommunities with Azure's read-only regionalCommunity) reads into the same view."""
    to_arm = load_script(RULE_FIXTURES / "to_arm.py")
    simulate_design(tmp_path, _two_locations(), SERVICE)
    native = run_cli("simulate", "design.yaml", "--from", "onprem", cwd=tmp_path).stdout
    (tmp_path / "design.json").write_text(to_arm.arm_text(str(tmp_path / "design.yaml")), encoding="utf-8")
    (tmp_path / "design.yaml").unlink()
    arm = run_cli("simulate", "design.json", "--from", "onprem", cwd=tmp_path).stdout
    assert '"regionalCommunity": "12076:50003"' in (tmp_path / "design.json").read_text(encoding="utf-8")
    assert arm == native and "12076:20000 12076:50002" in arm

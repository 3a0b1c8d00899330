"""AC303, AC304 and AC305 on small designs built for each case (the seed designs stay clean).

The designs declare no preferred region and their regions tie on AS path, so AC302 notes the tie-break
winner in each (tests/test_routing_docs.py covers it); these tests select the other AC3xx rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from conftest import example_design, run_cli, scan_design
from conftest import hub_and_spoke_design as _design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _findings(
    tmp_path: Path, design: dict[str, Any], config: str = CONFIG, select: str = "AC301,AC303,AC304,AC305,AC306"
) -> list[dict[str, Any]]:
    return scan_design(tmp_path, design, config, select)


def test_two_regions_on_one_circuit_are_clean(tmp_path: Path) -> None:
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-ams"]}]
    assert _findings(tmp_path, _design(regions, ["er-ams"])) == []


def test_single_member_service(tmp_path: Path) -> None:
    findings = _findings(tmp_path, _design([{"name": "westeurope", "circuits": ["er-ams"]}], ["er-ams"]))
    assert [(f["code"], f["level"]) for f in findings] == [("AC303", "warning")]
    assert findings[0]["message"].startswith("anycast service 'dns' has one member, 'dns-01' (westeurope)")
    assert findings[0]["line"] == 16  # the dns-01 entry


def test_configured_service_without_members(tmp_path: Path) -> None:
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-ams"]}]
    findings = _findings(tmp_path, _design(regions, ["er-ams"]), CONFIG + "  ntp:\n    vip: 10.13.77.4\n")
    (finding,) = findings
    assert finding["code"] == "AC303" and finding["file"] == "anycast-lint.yaml" and finding["line"] == 5
    assert "anycast service 'ntp' is configured but no virtual network is a member" in finding["message"]


def test_members_on_different_circuits_leave_a_failover_gap_and_split(tmp_path: Path) -> None:
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-dub"]}]
    findings = _findings(tmp_path, _design(regions, ["er-ams", "er-dub"]))
    gaps = [f for f in findings if f["code"] == "AC304"]
    assert sorted(f["message"] for f in gaps) == [
        "if member 'dns-01' of service 'dns' fails, circuit 'er-ams' has no route to VIP 10.13.76.4 any more: no other "
        "member is advertised to that circuit. Connect another member's hub or gateway to 'er-ams'",
        "if member 'dns-02' of service 'dns' fails, circuit 'er-dub' has no route to VIP 10.13.76.4 any more: no other "
        "member is advertised to that circuit. Connect another member's hub or gateway to 'er-dub'",
    ]
    (split,) = [f for f in findings if f["code"] == "AC305"]
    assert split["level"] == "warning"
    assert (
        "circuit 'er-ams' sends VIP 10.13.76.4 to 'dns-01' (westeurope) and circuit 'er-dub' to 'dns-02' "
        "(northeurope), with AS paths of equal length on premises"
    ) in split["message"]
    assert "routers that prefer different circuits" in split["message"]


def test_multipath_changes_the_split_explanation(tmp_path: Path) -> None:
    regions = [
        {"name": "westeurope", "circuits": ["er-ams", "er-dub"]},
        {"name": "northeurope", "circuits": ["er-dub"]},
    ]
    design = _design(regions, ["er-ams", "er-dub"])
    design["virtualNetworkGateways"][1]["bgpPeeringAddresses"] = ["10.255.0.1", "10.255.0.2"]  # lower: wins er-dub
    findings = _findings(tmp_path, design, CONFIG + "onprem:\n  multipath: true\n", select="AC305")
    (split,) = findings
    assert "on-premises routers do ECMP (onprem.multipath: true)" in split["message"]


def test_failover_to_a_member_that_cannot_answer(tmp_path: Path) -> None:
    regions = [
        {"name": "westeurope", "circuits": ["er-ams"]},
        {"name": "northeurope", "circuits": ["er-ams"], "endpoint": "10.13.76.5"},
    ]
    findings = _findings(tmp_path, _design(regions, ["er-ams"]), select="AC304")
    (gap,) = findings
    assert gap["message"] == (
        "if member 'dns-01' of service 'dns' fails, circuit 'er-ams' sends VIP 10.13.76.4 to 'dns-02' (northeurope), "
        "which has no endpoint on 10.13.76.4: the service fails over to a member that cannot answer"
    )
    assert gap["related"][0]["resource"].endswith("/virtualNetworks/dns-02")


def test_preferred_member_on_a_longer_prefix_wins_outright(tmp_path: Path) -> None:
    regions = [
        {"name": "westeurope", "circuits": ["er-ams"], "prefix": "10.13.76.0/25"},
        {"name": "northeurope", "circuits": ["er-ams"], "prefix": "10.13.76.0/26"},
    ]
    config = "services:\n  dns:\n    vip: 10.13.76.4\n    preferred-region: northeurope\n"
    assert _findings(tmp_path, _design(regions, ["er-ams"]), config) == []
    config = "services:\n  dns:\n    vip: 10.13.76.4\n    preferred-region: westeurope\n"
    (finding,) = _findings(tmp_path, _design(regions, ["er-ams"]), config)
    assert finding["code"] == "AC301"
    assert "prefix length decides against it: /26 (10.13.76.0/26) is longer than /25" in finding["message"]


def test_ac301_fix_fits_the_design_kind(tmp_path: Path) -> None:
    """A self-managed gateway cannot prepend (a connection has no AS path): the fix is the longer prefix."""
    design = example_design("hub-and-spoke")
    config = "services:\n  dns:\n    vip: 10.13.76.4\n    preferred-region: northeurope\n"
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config, encoding="utf-8")
    run = run_cli("scan", "design.yaml", "--select", "AC301", "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(run.stdout)["findings"]
    fix = finding["fix"]["description"]
    assert "is a self-managed gateway, which cannot prepend an AS path" in fix and "longer prefix" in fix

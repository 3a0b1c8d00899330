"""`anycast-lint trace`: one flow from on-premises to the VIP and back, on the field report's designs.

The field report's failover table: design A (hub and spoke, no prepending) sends the VIP to dns-01
(westeurope) because 192.168.128.12 < 192.168.130.12, and to dns-02 when dns-01's peerings are gone;
design B (Virtual WAN, route map prepending 11111 on hub-01) sends it to dns-02 (northeurope) through the
firewall in transit-02, and the resolver subnet's UDR brings the reply back through the same firewall.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from anycast_lint.report.trace_markdown import escape
from conftest import EXAMPLES, RULE_FIXTURES, hub_and_spoke_design, line_of, rule_fixture_designs, run_cli

VIP, CLIENT = "10.13.76.4", "172.16.10.10"


def trace(*args: str, cwd: Path = EXAMPLES) -> tuple[int, dict[str, Any]]:
    run = run_cli("trace", CLIENT, VIP, *args, "--format", "json", cwd=cwd)
    assert run.exit_code in (0, 1), run.stderr
    document = json.loads(run.stdout)
    assert len(document["traces"]) == 1
    return run.exit_code, document["traces"][0]


def resources(leg: dict[str, Any]) -> list[str]:
    return [hop["resource"] for hop in leg["hops"]]


def test_design_a_goes_to_the_lowest_next_hop_region_and_back() -> None:
    code, found = trace("hub-and-spoke")
    assert code == 0 and found["complete"]
    forward = found["forward"]
    assert resources(forward)[1:] == [
        "ExpressRoute circuit 'er-circuit'",
        "virtual network gateway 'ergw-hub-01'",
        "peering 'dns-01/dns-01-to-hub-01'",
        "subnet 'dns-01/snet-dns-inbound'",
        "DNS resolver inbound endpoint 'inbound'",
    ]
    circuit = forward["hops"][1]
    assert "192.168.128.12 < 192.168.130.12" in circuit["detail"]
    assert circuit["kind"] == "observed"  # the tie-break is observed in the field report, not documented
    design = EXAMPLES / "hub-and-spoke" / "topology.yaml"
    assert (circuit["file"], circuit["line"]) == (
        "hub-and-spoke/topology.yaml",
        line_of(design, "addressSpace: [10.13.76.0/24]"),
    )
    assert "answers on 10.13.76.4 in subnet 'dns-01/snet-dns-inbound'" in forward["hops"][-1]["detail"]
    reply = found["reply"]
    assert resources(reply) == [
        "subnet 'dns-01/snet-dns-inbound'",
        "virtual network gateway 'ergw-hub-01'",
        "ExpressRoute circuit 'er-circuit'",
    ]
    assert reply["arrived"] and found["asymmetry"] is None


def test_design_a_fails_over_to_the_other_region() -> None:
    code, found = trace("hub-and-spoke", "--fail", "dns-01")
    assert code == 0 and found["complete"]
    assert found["failover"] == "dns-01 (westeurope) -> dns-02 (northeurope)"
    assert "virtual network gateway 'ergw-hub-02'" in resources(found["forward"])
    assert "192.168.130.12" in found["forward"]["hops"][1]["detail"]
    assert resources(found["reply"])[1] == "virtual network gateway 'ergw-hub-02'"


def test_design_a_text_names_each_hop_with_its_line() -> None:
    run = run_cli("trace", CLIENT, VIP, "hub-and-spoke", "--fail", "dns-01", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    design = EXAMPLES / "hub-and-spoke" / "topology.yaml"
    assert "Failover: dns-01 (westeurope) -> dns-02 (northeurope)" in run.stdout
    assert (
        f"gateway: virtual network gateway 'ergw-hub-02'  hub-and-spoke/topology.yaml:{line_of(design, 'name: ergw-hub-02')}:"
        in run.stdout
    )
    assert "Result: delivered, and the reply returns the same way" in run.stdout


def test_design_b_goes_to_the_preferred_region_through_the_firewall_and_back() -> None:
    code, found = trace("vwan-indirect-spokes")
    # the firewall's own rules are not in the model: the flow is never called delivered over them (exit 1)
    assert code == 1 and not found["complete"]
    assert found["result"] == (
        "cannot tell: Azure Firewall 'azfw-transit-02': forwards 172.16.10.10 -> 10.13.76.4 to dns-02; its own "
        "rules are not in the model: whether it allows the flow is unknown (otherwise: delivered, and the reply "
        "returns the same way)"
    )
    forward = resources(found["forward"])
    assert forward[1:] == [
        "ExpressRoute circuit 'er-circuit'",
        "ExpressRoute gateway 'ergw-hub-02'",
        "virtual hub 'hub-02'",
        "hub virtual network connection 'conn-transit-02'",
        "Azure Firewall 'azfw-transit-02'",
        "peering 'dns-02/dns-02-to-transit-02'",
        "subnet 'dns-02/snet-dns-inbound'",
        "DNS resolver inbound endpoint 'inbound'",
    ]
    circuit = found["forward"]["hops"][1]
    assert "AS path 65515 vs 65515 11111" in circuit["detail"]  # the route map's prepend on hub-01
    firewall = found["forward"]["hops"][5]
    assert firewall["verdict"] == "unknown"  # its own rules are not in the model: said, not guessed
    reply = found["reply"]
    assert resources(reply) == [
        "route 'rt-dns-02/onprem-via-firewall'",
        "Azure Firewall 'azfw-transit-02'",
        "hub virtual network connection 'conn-transit-02'",
        "virtual hub 'hub-02'",
        "ExpressRoute circuit 'er-circuit'",
    ]
    assert "VirtualAppliance 10.2.0.4" in reply["hops"][0]["detail"]
    assert found["asymmetry"] is None


def test_design_b_fails_over_through_the_other_firewall() -> None:
    code, found = trace("vwan-indirect-spokes", "--fail", "dns-02")
    assert code == 1 and found["result"].startswith("cannot tell: Azure Firewall 'azfw-transit-01'")
    assert found["failover"] == "dns-02 (northeurope) -> dns-01 (westeurope)"
    assert "Azure Firewall 'azfw-transit-01'" in resources(found["forward"])
    assert resources(found["reply"])[:2] == [
        "route 'rt-dns-01/onprem-via-firewall'",
        "Azure Firewall 'azfw-transit-01'",
    ]


def test_missing_udr_drops_the_reply_and_names_ac201() -> None:
    folder = RULE_FIXTURES / "AC201"
    code, found = trace("bad.yaml", "--fail", "dns-02", cwd=folder)
    assert code == 1 and not found["complete"]
    assert found["forward"]["arrived"]  # the request arrives: the break is on the way back
    dropped = found["reply"]["hops"][-1]
    assert dropped["verdict"] == "drop" and dropped["rule"] == "AC201"
    assert dropped["resource"] == "subnet 'dns-01/snet-dns-inbound'"
    assert "next hop None" in dropped["detail"]
    assert "AC201" in dropped["findings"]  # the scan reports AC201 on the same subnet
    scan = json.loads(run_cli("scan", "bad.yaml", "--format", "json", "--select", "AC201", cwd=folder).stdout)
    assert [f["resource"] for f in scan["findings"]] == [dropped["resourceId"]]


def test_reply_through_another_firewall_is_called_asymmetric(tmp_path: Path) -> None:
    design = (EXAMPLES / "vwan-indirect-spokes" / "topology.yaml").read_text(encoding="utf-8")
    # dns-02's UDR sends replies to transit-01's firewall instead of its own
    changed = design.replace(
        "        addressPrefix: 172.16.0.0/12\n        nextHopType: VirtualAppliance\n        nextHopIpAddress: 10.2.0.4",
        "        addressPrefix: 172.16.0.0/12\n        nextHopType: VirtualAppliance\n        nextHopIpAddress: 10.1.0.4",
    )
    assert changed != design
    (tmp_path / "design.yaml").write_text(changed, encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text((EXAMPLES / "anycast-lint.yaml").read_text().split("# Each")[0])
    code, found = trace("design.yaml", cwd=tmp_path)
    assert code == 1
    assert "the request came through Azure Firewall 'azfw-transit-02', the reply goes to 10.1.0.4" in found["asymmetry"]
    assert found["reply"]["hops"][0]["rule"] == "AC201"
    scan = json.loads(run_cli("scan", "design.yaml", "--format", "json", "--select", "AC201", cwd=tmp_path).stdout)
    assert [f["code"] for f in scan["findings"]] == ["AC201"]


def test_bad_addresses_and_circuits_are_usage_errors() -> None:
    run = run_cli("trace", "onprem", VIP, "hub-and-spoke", cwd=EXAMPLES)
    assert run.exit_code == 2
    assert (
        run.stderr.strip()
        == "anycast-lint: error: trace: SRC 'onprem' is not an IP address (expected e.g. 172.16.10.10)"
    )
    run = run_cli("trace", CLIENT, VIP, "hub-and-spoke", "--circuit", "nope", cwd=EXAMPLES)
    assert run.exit_code == 2 and "no ExpressRoute circuit has that name (circuits: er-circuit)" in run.stderr


def markdown_traces() -> list[str]:
    outputs = [
        run_cli("trace", CLIENT, VIP, design, *fail, "--format", "markdown", cwd=EXAMPLES).stdout
        for design in ("hub-and-spoke", "vwan-indirect-spokes")
        for fail in ((), ("--fail", "dns-01"), ("--fail", "dns-02"))
    ]
    folder = RULE_FIXTURES / "AC201"
    outputs.append(
        run_cli("trace", CLIENT, VIP, "bad.yaml", "--fail", "dns-02", "--format", "markdown", cwd=folder).stdout
    )
    return outputs


def test_markdown_draws_the_flow_as_a_sequence_diagram() -> None:
    text = markdown_traces()[-1]  # design B, dns-02 failed, dns-01 without its route table
    assert text.startswith("## Trace 172.16.10.10 → 10.13.76.4 (VIP of service `dns`) at circuit `er-circuit`")
    block = text.split("```mermaid\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    assert lines[0] == "sequenceDiagram"
    participants = [line.split(" as ", 1)[1] for line in lines if line.startswith("    participant ")]
    assert participants == [
        "on-premises 172.16.10.10",
        "ExpressRoute circuit 'er-circuit'",
        "ExpressRoute gateway 'ergw-hub-01'",
        "virtual hub 'hub-01'",
        "hub virtual network connection 'conn-transit-01'",
        "Azure Firewall 'azfw-transit-01'",
        "peering 'dns-01/dns-01-to-transit-01'",
        "subnet 'dns-01/snet-dns-inbound'",
        "DNS resolver inbound endpoint 'inbound'",
    ]
    assert "    P9--xP8: no route table" in lines  # the reply dies at the subnet
    assert any(line.startswith("    Note over P8: dropped (AC201)") for line in lines)
    # ';' ends a Mermaid statement: escaped as #59; (the entities are the only semicolons left)
    assert not any(";" in re.sub(r"#\w+;", "", line) for line in lines)
    assert escape("route 'a;b' #1 <x>") == "route 'a#59;b' #35;1 #lt;x#gt;"
    assert "| reply 1 | route | subnet 'dns-01/snet-dns-inbound' |" in text
    assert "**Result:** the request arrives, the reply does not" in text


def test_trace_diagrams_parse_with_the_real_mermaid_library() -> None:
    """Uses the markdown report's check (issue 13: npm `mermaid` under Node with jsdom, from tests/mermaid)."""
    checker = pytest.importorskip("test_markdown_report", reason="the Mermaid check (tests/mermaid) is not here yet")
    diagrams = [text.split("```mermaid\n", 1)[1].split("```", 1)[0] for text in markdown_traces()]
    results = checker.mermaid_parse(diagrams)
    assert [r["ok"] for r in results] == [True] * len(diagrams), results
    assert {r["type"] for r in results} == {"sequence"}


def test_gateway_routes_turned_off_drop_the_reply_and_name_ac207() -> None:
    folder = RULE_FIXTURES / "AC207"
    code, found = trace("bad.yaml", cwd=folder)
    assert code == 1 and found["forward"]["arrived"]
    dropped = found["reply"]["hops"][-1]
    assert dropped["rule"] == "AC207" and "AC207" in dropped["findings"]
    assert "disables gateway route propagation" in dropped["detail"]


@pytest.mark.parametrize("code", [p.name for p in sorted(RULE_FIXTURES.glob("AC*"))])
def test_a_drop_names_a_rule_the_scan_reports(code: str) -> None:
    """Trace and scan never disagree: each rule a trace names for a drop is reported by the scan of the same
    design, on the dropping hop's resource where the rule has a resource to point at."""
    folder = RULE_FIXTURES / code
    files = rule_fixture_designs(folder)["bad"]
    scan = json.loads(run_cli("scan", *files, "--format", "json", "--fail-on", "none", cwd=folder).stdout)
    if not scan["summary"]["resources"].get("circuits"):
        return  # nothing to trace through (AC001's template, of which nothing is read)
    reported = {f["code"] for f in scan["findings"]}
    text = (folder / files[0]).read_text(encoding="utf-8")
    members = [m for m in ("dns-01", "dns-02") if re.search(rf'\bname"?: "?{m}\b', text)]  # AC303's has one
    for fail in ((), *(("--fail", member) for member in members)):
        run = run_cli("trace", CLIENT, VIP, *files, *fail, "--format", "json", cwd=folder)
        assert run.exit_code in (0, 1), run.stderr
        for found in json.loads(run.stdout)["traces"]:
            for hop in found["forward"]["hops"] + found["reply"]["hops"]:
                if hop["verdict"] == "drop" and hop["rule"]:
                    assert hop["rule"] in reported, f"{code} {fail}: {hop['rule']} at {hop['resource']}"


def test_the_forwarders_subnet_nsg_is_checked_on_the_way_in(tmp_path: Path) -> None:
    """Design B with an NVA (a NIC with IP forwarding) in transit-02 instead of the firewall, behind an NSG
    that drops on-premises sources: the request dies at the NVA's subnet, named with the NSG rule."""
    design = yaml.safe_load((EXAMPLES / "vwan-indirect-spokes" / "topology.yaml").read_text(encoding="utf-8"))
    design["azureFirewalls"] = [f for f in design["azureFirewalls"] if f["name"] != "azfw-transit-02"]
    transit = next(v for v in design["virtualNetworks"] if v["name"] == "transit-02")
    transit["subnets"] = [{"name": "snet-nva", "addressPrefix": "10.2.0.0/26", "networkSecurityGroup": "nsg-nva"}]
    design["networkInterfaces"] = [
        {
            "name": "nic-nva-02",
            "region": "northeurope",
            "enableIPForwarding": True,
            "ipConfigurations": [
                {"name": "ipconfig1", "subnet": "transit-02/snet-nva", "privateIPAddress": "10.2.0.4"}
            ],
        }
    ]
    deny = {
        "name": "deny-onprem",
        "direction": "Inbound",
        "access": "Deny",
        "priority": 100,
        "protocol": "*",
        "sourceAddressPrefix": "172.16.0.0/12",
        "destinationAddressPrefix": "*",
        "destinationPortRange": "*",
    }
    design["networkSecurityGroups"].append({"name": "nsg-nva", "region": "northeurope", "securityRules": [deny]})
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text((EXAMPLES / "anycast-lint.yaml").read_text().split("# Each")[0])
    code, found = trace("design.yaml", cwd=tmp_path)
    assert code == 1 and not found["forward"]["arrived"]
    nva, dropped = found["forward"]["hops"][-2:]
    assert nva["resource"] == "network interface 'nic-nva-02' (IP forwarding on)" and nva["verdict"] == "unknown"
    assert dropped["resource"] == "subnet 'transit-02/snet-nva'" and dropped["verdict"] == "drop"
    assert dropped["detail"] == "NSG 'nsg-nva' drops 172.16.10.10 -> 10.13.76.4 by rule deny-onprem (priority 100)"


def test_losing_every_member_ends_the_flow_at_the_circuit() -> None:
    code, found = trace("hub-and-spoke", "--fail", "dns-01", "--fail", "dns-02")
    assert code == 1 and found["failover"] == "dns-01 (westeurope) -> nowhere"
    (dropped,) = [h for h in found["forward"]["hops"] if h["verdict"] == "drop"]
    assert dropped["resource"] == "ExpressRoute circuit 'er-circuit'"
    assert dropped["rule"] is None  # no rule is broken: both members were taken out on purpose


def test_an_address_that_is_not_a_vip_is_traced_without_claiming_a_rule() -> None:
    run = run_cli("trace", CLIENT, "192.168.128.4", "hub-and-spoke", "--format", "json", cwd=EXAMPLES)
    (found,) = json.loads(run.stdout)["traces"]
    last = found["forward"]["hops"][-1]
    assert found["service"] is None
    assert (last["verdict"], last["rule"]) == ("unknown", None)
    assert last["detail"] == "no endpoint of the input answers on 192.168.128.4"


# --- the reply's circuit: connection weight, then ECMP ("Optimize ExpressRoute routing"; ExpressRoute FAQ) -----


def _two_circuits(tmp_path: Path, weights: dict[str, int]) -> None:
    """One region whose gateway connects to er-a and er-b with the given routing weights."""
    design = hub_and_spoke_design([{"name": "westeurope", "circuits": ["er-a", "er-b"]}], ["er-a", "er-b"])
    for connection in design["connections"]:
        circuit = connection["circuit"]
        if circuit in weights:
            connection["routingWeight"] = weights[circuit]
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(
        "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n", encoding="utf-8"
    )


def _reply_circuit(tmp_path: Path, circuit: str) -> tuple[int, dict[str, Any]]:
    run = run_cli(
        "trace", "172.16.10.10", "10.13.76.4", "design.yaml", "--circuit", circuit, "--format", "json", cwd=tmp_path
    )
    (found,) = json.loads(run.stdout)["traces"]
    return run.exit_code, found


def test_the_reply_leaves_by_the_heavier_connection(tmp_path: Path) -> None:
    _two_circuits(tmp_path, {"er-b": 20})
    code, found = _reply_circuit(tmp_path, "er-a")
    assert code == 1
    last = found["reply"]["hops"][-1]
    assert last["resource"] == "ExpressRoute circuit 'er-b'" and "connection weight 20, the highest" in last["detail"]
    assert found["asymmetry"].startswith("the request came in by circuit 'er-a', the reply leaves by 'er-b'")
    code, found = _reply_circuit(tmp_path, "er-b")  # the request by the heavier circuit: the reply retraces it
    assert code == 0 and found["asymmetry"] is None


def test_equal_weights_are_ecmp_and_the_reply_may_leave_by_the_other_circuit(tmp_path: Path) -> None:
    _two_circuits(tmp_path, {})
    code, found = _reply_circuit(tmp_path, "er-a")
    assert code == 1
    assert "by either of 'er-a', 'er-b' (equal connection weight 0: ECMP)" in found["reply"]["hops"][-1]["detail"]
    assert "the reply may leave by 'er-b'" in found["asymmetry"]

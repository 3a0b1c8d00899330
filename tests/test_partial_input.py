"""Verdicts that hold on partial and unknown input (coverage.py): absent is not broken, unknown is not different,
nothing unread is clean. Every rule's needed kind, left out of an input that does not cover it, gives a note
("cannot tell"), never an error and never a pass; an input with nothing to check exits 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from anycast_lint.engine.ruledocs import load_doc
from conftest import EXAMPLES, FIXTURES, REPO, RULE_FIXTURES, example_design, load_script, run_cli

RESHAPE = load_script(FIXTURES / "arm" / "reshape.py")
RULES = RULE_FIXTURES
EXAMPLE_CONFIG = (EXAMPLES / "anycast-lint.yaml").read_text(encoding="utf-8").split("# Each folder")[0]
VNETS = "Microsoft.Network/virtualNetworks"


def _items(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["value"]
    return items


def _vnet_list(path: Path) -> list[dict[str, Any]]:
    """`az network vnet list -o json` of a design exported as ARM: its VNets, flattened as the az CLI prints them."""
    return [RESHAPE.to_cli(item) for item in _items(path) if item["type"] == VNETS]


def _without(items: list[dict[str, Any]], *types: str, names: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The export without the resources of some types (`virtualNetworkGateways`), or with some names."""
    return [item for item in items if item["type"].split("/", 1)[1] not in types and item.get("name") not in names]


def _cli(args: list[str], stdin: str = "", cwd: Path = EXAMPLES) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user pipes into it (`az network vnet list -o json | anycast-lint scan -`)."""
    command = [sys.executable, "-m", "anycast_lint", *args]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, cwd=cwd, check=False)


def _scan(tmp_path: Path, items: Any, config: str, *args: str) -> tuple[int, dict[str, Any]]:
    (tmp_path / "export.json").write_text(json.dumps(items), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config, encoding="utf-8")
    run = run_cli("scan", "export.json", "--format", "json", *args, cwd=tmp_path)
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, json.loads(run.stdout)


def _by_code(document: dict[str, Any], code: str) -> list[tuple[str, str]]:
    return [(f["level"], f["message"]) for f in document["findings"] if f["code"] == code]


def _levels(document: dict[str, Any], code: str) -> set[str]:
    return {level for level, _ in _by_code(document, code)}


# --- a VNet list of a healthy design ------------------------------------------------------------------------


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_a_vnet_list_of_a_healthy_design_gives_no_error(design: str) -> None:
    """The README's headline: `az network vnet list -o json | anycast-lint scan -` of a healthy design. The
    list holds no gateways or hub connections: each member's reach is "cannot tell" (AC204's note), not "not
    advertised" (an error)."""
    run = _cli(["scan", "-", "--format", "json"], json.dumps(_vnet_list(EXAMPLES / "arm" / f"{design}.json")))
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["summary"]["errors"] == document["summary"]["warnings"] == 0
    notes = _by_code(document, "AC204")
    assert [level for level, _ in notes] == ["note", "note"]
    assert all(message.startswith("cannot tell whether member 'dns-0") for _, message in notes)
    assert document["designs"][0]["coverage"]["complete"] is False
    assert "vnet_gateways" in document["designs"][0]["coverage"]["notCovered"]
    text = _cli(["scan", "-"], json.dumps(_vnet_list(EXAMPLES / "arm" / f"{design}.json")))
    assert "Partial input: it holds no ExpressRoute circuits, virtual network gateways" in text.stdout


def test_a_peering_that_uses_a_remote_gateway_is_evidence_of_that_gateway() -> None:
    run = _cli(["scan", "-", "--format", "json"], json.dumps(_vnet_list(EXAMPLES / "arm" / "hub-and-spoke.json")))
    ((_, message), _) = _by_code(json.loads(run.stdout), "AC204")
    assert (
        "its peering dns-01-to-hub-01 sets useRemoteGateways, which Azure accepts only when hub-01 has a gateway, "
        "and the input holds none there" in message
    )


def test_the_config_can_say_the_input_is_the_whole_design(tmp_path: Path) -> None:
    """`coverage: complete`: what the input does not hold does not exist, so the missing gateway is an error."""
    items = _vnet_list(EXAMPLES / "arm" / "hub-and-spoke.json")
    code, document = _scan(tmp_path, items, EXAMPLE_CONFIG + "coverage: complete\n")
    assert code == 1 and _levels(document, "AC204") == {"error"}
    assert document["designs"][0]["coverage"] == {"complete": True, "notCovered": []}


def test_the_config_can_say_a_native_design_is_partial(tmp_path: Path) -> None:
    """`coverage: partial` on a hand-written design without hub-02's gateway: dns-02's peering says the gateway
    exists, so its reach is unknown instead of broken, and AC304 does not call dns-01 a single point of failure."""
    data = example_design("hub-and-spoke")
    data["virtualNetworkGateways"] = [g for g in data["virtualNetworkGateways"] if g["name"] != "ergw-hub-02"]
    data["connections"] = [c for c in data["connections"] if c["gateway"] != "ergw-hub-02"]
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for coverage, levels in (("partial", {"note"}), ("complete", {"error"})):
        (tmp_path / "anycast-lint.yaml").write_text(EXAMPLE_CONFIG + f"coverage: {coverage}\n", encoding="utf-8")
        run = run_cli("scan", "design.yaml", "--format", "json", cwd=tmp_path)
        document = json.loads(run.stdout)
        assert _levels(document, "AC204") == levels, coverage
        assert _levels(document, "AC304") == ({"error"} if coverage == "complete" else set())


# --- nothing to check -----------------------------------------------------------------------------------------

STORAGE = {
    "id": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Storage/"
    "storageAccounts/logs",
    "name": "logs",
    "type": "Microsoft.Storage/storageAccounts",
    "location": "westeurope",
    "properties": {"supportsHttpsTrafficOnly": True},
}


@pytest.mark.parametrize(
    ("text", "held"),
    [
        ("[]", "it is empty"),
        ('{"value": []}', "it is empty"),
        (json.dumps({"value": [STORAGE]}), "it holds 1 x Microsoft.Storage/storageAccounts"),
    ],
)
@pytest.mark.parametrize("report", ["text", "json", "sarif"])
def test_an_input_with_nothing_to_check_is_not_clean(text: str, held: str, report: str) -> None:
    run = _cli(["scan", "-", "--format", report], text)
    assert run.returncode == 2
    assert run.stderr == (
        f"anycast-lint: error: -:1:1: nothing to check: standard input holds no virtual network, hub, gateway or "
        f"circuit; {held}. A scan of the wrong subscription or an empty export is not a clean result\n"
    )
    if report == "json":
        assert json.loads(run.stdout)["complete"] is False
    if report == "sarif":
        assert json.loads(run.stdout)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_a_folder_whose_design_holds_nothing_is_an_error_beside_one_that_does(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "export.json").write_text('{"value": []}', encoding="utf-8")
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "export.json").write_bytes((EXAMPLES / "arm" / "hub-and-spoke.json").read_bytes())
    run = run_cli("scan", ".", "--fail-on", "none", cwd=tmp_path)
    assert run.exit_code == 2
    assert "empty/export.json:1:1: nothing to check: empty/export.json holds no virtual network" in run.stderr
    assert "design design: " not in run.stdout and "AC302" in run.stdout  # the other design is still checked


# --- circuits known by reference ----------------------------------------------------------------------------


def test_a_circuit_named_by_a_connection_but_not_in_the_input_is_kept_by_its_id(tmp_path: Path) -> None:
    """The circuit lives in another subscription: routes towards it are still predicted, and what is unknown
    about it (SKU, peering location) is said, not read as 'no circuit'."""
    items = _without(_items(EXAMPLES / "arm" / "hub-and-spoke.json"), "expressRouteCircuits")
    (tmp_path / "export.json").write_text(json.dumps({"value": items}), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
    full = run_cli("simulate", "arm/hub-and-spoke.json", "--format", "json", cwd=EXAMPLES)
    partial = run_cli("simulate", "export.json", "--format", "json", cwd=tmp_path)
    assert partial.exit_code == 0, partial.stderr
    assert json.loads(partial.stdout)["services"] == json.loads(full.stdout)["services"]
    run = run_cli("scan", "export.json", "--format", "json", cwd=tmp_path)
    document = json.loads(run.stdout)
    assert run.exit_code == 0
    notes = _by_code(document, "AC206")
    assert notes and all(level == "note" for level, _ in notes)
    assert all("the circuit's peering location is not in the input" in message for _, message in notes)
    assert any(
        u["message"] == "ExpressRoute circuit 'er-circuit': properties is unknown: it is not in the input, only named "
        "by connection 'ergw-hub-01-er-circuit'"
        for u in document["unknowns"]
    )


# --- what changes routing unmodelled --------------------------------------------------------------------------


def test_route_server_bgp_peers_and_global_reach_are_named_not_ignored() -> None:
    folder = FIXTURES / "unmodelled"
    run = run_cli("scan", "route-server.json", "--format", "json", cwd=folder)
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert [f["resource"].rsplit("/", 1)[1] for f in document["findings"] if f["code"] == "AC002"] == [
        "er-circuit",  # its Global Reach to er-dublin, which is not in the input
        "rs-hub-01",
        "nva-sdwan",
    ]
    assert "virtual_hubs" not in document["summary"]["resources"]  # Route Server is not a Virtual WAN hub


def test_terraform_route_server_and_routing_intent_are_named(tmp_path: Path) -> None:
    build = load_script(FIXTURES / "terraform" / "build.py")
    document = build.hub_and_spoke()
    extra = [
        ("azurerm_route_server", "hub", {"name": "rs-hub-01", "sku": "Standard"}),
        ("azurerm_virtual_hub_routing_intent", "secured", {"name": "intent"}),
    ]
    for kind, name, values in extra:
        build.add_created(document, build.Res((), kind, name, values))
    (tmp_path / "plan.json").write_text(build.render(document), encoding="utf-8")
    run = run_cli(
        "scan", "plan.json", "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"), cwd=tmp_path
    )
    found = [
        (f["resource"], f["message"].split(" changes")[0])
        for f in json.loads(run.stdout)["findings"]
        if f["code"] == "AC002"
    ]
    assert found == [
        ("azurerm_route_server.hub", "Azure Route Server 'rs-hub-01'"),
        ("azurerm_virtual_hub_routing_intent.secured", "routing intent 'intent'"),
    ]


# --- trace never says delivered over an unknown -------------------------------------------------------------


def test_trace_from_outside_every_on_premises_range_cannot_tell() -> None:
    run = run_cli("trace", "8.8.8.8", "10.13.76.4", "hub-and-spoke", cwd=EXAMPLES)
    assert run.exit_code == 1
    assert "Result: cannot tell: on-premises 8.8.8.8: not inside the configured on-premises ranges (172.16.0.0/12)" in (
        run.stdout
    )
    assert "delivered, and the reply returns the same way)" in run.stdout  # what happens if the circuit carries it
    known = run_cli("trace", "172.16.10.10", "10.13.76.4", "hub-and-spoke", cwd=EXAMPLES)
    assert known.exit_code == 0 and "Result: delivered, and the reply returns the same way" in known.stdout


def test_trace_through_a_firewall_whose_rules_are_not_modelled_cannot_tell() -> None:
    run = run_cli("trace", "172.16.10.10", "10.13.76.4", "vwan-indirect-spokes", "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 1
    (trace, *_) = json.loads(run.stdout)["traces"]
    assert trace["complete"] is False
    assert trace["result"].startswith("cannot tell: Azure Firewall 'azfw-transit-")


# --- every rule: its needed kind left out gives a note, not an error -----------------------------------------


def _rule_case(
    tmp_path: Path,
    code: str,
    drop: tuple[str, ...],
    config: str = "",
    names: tuple[str, ...] = (),
    variant: str = "bad",
) -> dict[str, Any]:
    """The rule's fixture design as an ARM export, with what the rule needs left out, in a partial input."""
    items = _without(_items(RULES / code / f"{variant}.json"), *drop, names=names)
    base = (RULES / code / "anycast-lint.yaml").read_text(encoding="utf-8").split("designs:")[0]
    _, document = _scan(tmp_path, {"value": items}, base + config)
    return document


PARTIAL = "coverage: partial\n"


@pytest.mark.parametrize(
    ("code", "drop", "owner", "says"),
    [
        ("AC104", ("dnsResolvers", "dnsResolvers/inboundEndpoints"), "AC104", "cannot tell whether member"),
        ("AC201", ("routeTables",), "AC201", "is not in the input"),  # the good design: its UDRs unread
        ("AC202", ("azureFirewalls",), "AC202", "cannot tell whether"),
        ("AC203", ("expressRouteGateways",), "AC204", "the input holds no ExpressRoute gateways"),
        ("AC204", ("virtualNetworkGateways", "connections"), "AC204", "cannot tell whether member"),
        ("AC205", (), "AC204", "not in the input"),
        ("AC206", ("expressRouteCircuits",), "AC206", "peering location is not in the input"),
        ("AC207", ("routeTables",), "AC207", "is not in the input"),
        ("AC307", ("virtualHubs/routeMaps",), "AC307", "it is not in the input"),
        ("AC401", ("dnsResolvers/outboundEndpoints",), "AC401", "the input holds no DNS resolver outbound endpoints"),
        ("AC402", ("networkInterfaces",), "AC402", "the input holds no network interfaces"),
        ("AC403", ("networkSecurityGroups",), "AC403", "is not in the input"),
        ("AC404", ("dnsResolvers", "dnsResolvers/inboundEndpoints"), "AC404", "cannot tell whether they host"),
    ],
)
def test_a_rule_whose_needed_kind_is_left_out_gives_a_note(
    tmp_path: Path, code: str, drop: tuple[str, ...], owner: str, says: str
) -> None:
    names = ("transit-01",) if code == "AC205" else ()
    # The bad designs of AC201-AC203 break what the input does hold (no route table at all, no static route, not
    # propagated): still errors. Their good designs, with the needed kind left out, must not become errors.
    variant = "good" if code in ("AC201", "AC202", "AC203") else "bad"
    document = _rule_case(tmp_path, code, drop, PARTIAL, names, variant)
    assert _levels(document, code) <= {"note"}, _by_code(document, code)
    assert any(says in message for level, message in _by_code(document, owner) if level == "note"), _by_code(
        document, owner
    )


def test_ac101_overlap_across_links_the_input_does_not_hold_is_a_note(tmp_path: Path) -> None:
    """app-01 overlaps dns-02, linked only through the circuit; a VNet list does not hold that link."""
    export = EXAMPLES / "arm" / "broken-overlap.json"
    whole = _without(_items(export), names=("dns-01",))
    _, document = _scan(tmp_path, {"value": whole}, EXAMPLE_CONFIG)
    assert _levels(document, "AC101") == {"error"}
    listed = [item for item in _vnet_list(export) if item["name"] != "dns-01"]
    _, document = _scan(tmp_path, listed, EXAMPLE_CONFIG)
    ((level, message),) = _by_code(document, "AC101")
    assert level == "note" and message.startswith(
        "cannot tell whether 10.13.76.0/25 of virtual network 'app-01' and anycast prefix 10.13.76.0/24 of 'dns-02'"
    )


def test_ac102_members_that_a_hub_connects_with_the_connections_unread_is_a_note(tmp_path: Path) -> None:
    items = _vnet_list(RULES / "AC102" / "bad.json")
    hubbed = []
    for item in items:
        if item["name"] in ("dns-01", "dns-02"):
            item["virtualNetworkPeerings"].append(
                {
                    "name": f"HV_hub-01_{item['name']}",
                    "id": item["id"] + f"/virtualNetworkPeerings/HV_hub-01_{item['name']}",
                    "peeringState": "Connected",
                    "allowGatewayTransit": False,
                    "useRemoteGateways": True,
                    "remoteVirtualNetwork": {
                        "id": "/subscriptions/x/resourceGroups/RG_hub-01/providers/Microsoft.Network/virtualNetworks/HV_hub-01"
                    },
                }
            )
            hubbed.append(item["name"])
    base = (RULES / "AC102" / "anycast-lint.yaml").read_text(encoding="utf-8").split("designs:")[0]
    _, document = _scan(tmp_path, items, base)
    assert _levels(document, "AC102") == {"note"}, hubbed
    assert (
        "cannot tell whether Virtual WAN accepts the direct connection of member" in _by_code(document, "AC102")[0][1]
    )


def test_ac103_a_member_whose_address_space_is_unknown_is_left_to_ac104(tmp_path: Path) -> None:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"spokeSpace": {"type": "array"}},
        "resources": [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2024-05-01",
                "name": name,
                "location": region,
                "tags": {"anycast-service": "dns"},
                "properties": {"addressSpace": {"addressPrefixes": space}},
            }
            for name, region, space in (
                ("dns-01", "westeurope", ["10.13.76.0/25"]),
                ("dns-02", "northeurope", "[parameters('spokeSpace')]"),
                ("dns-03", "uksouth", ["10.13.76.0/24"]),
            )
        ],
    }
    (tmp_path / "main.json").write_text(json.dumps(template), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
    document = json.loads(run_cli("scan", "main.json", "--format", "json", cwd=tmp_path).stdout)
    assert [m for _, m in _by_code(document, "AC103") if "dns-02" in m] == []
    assert any("its address space is unknown" in m for level, m in _by_code(document, "AC104") if level == "note")


def test_ac303_one_member_in_a_partial_input_is_a_note() -> None:
    listed = [i for i in _vnet_list(EXAMPLES / "arm" / "hub-and-spoke.json") if i["name"] != "dns-02"]
    run = _cli(["scan", "-", "--format", "json"], json.dumps(listed))
    ((level, message),) = _by_code(json.loads(run.stdout), "AC303")
    assert level == "note" and "other regions may be outside it" in message


@pytest.mark.parametrize("code", ["AC301", "AC302", "AC304", "AC305"])
def test_routing_rules_rest_no_error_on_a_member_whose_reach_is_unknown(tmp_path: Path, code: str) -> None:
    """hub-02's gateway is not in the export, but dns-02's peering says it exists: the comparisons that need
    dns-02's routes are left to AC204's note, so no routing rule calls dns-01 a single point of failure or the
    preferred member a loser."""
    items = _without(_items(EXAMPLES / "arm" / "hub-and-spoke.json"), names=("ergw-hub-02", "ergw-hub-02-er-circuit"))
    config = EXAMPLE_CONFIG.replace("    vip: 10.13.76.4", "    vip: 10.13.76.4\n    preferred-region: northeurope")
    _, document = _scan(tmp_path, {"value": items}, config)
    assert _levels(document, code) <= {"note"}
    assert _levels(document, "AC204") == {"note"}


def test_ac306_a_capture_of_a_circuit_not_in_the_input_is_a_note(tmp_path: Path) -> None:
    capture = (FIXTURES / "route-tables" / "seed-hub-and-spoke.txt").read_text(encoding="utf-8")
    (tmp_path / "er.txt").write_text(capture.replace("$er_circuit_name", "er-elsewhere"), encoding="utf-8")
    (tmp_path / "export.json").write_bytes((EXAMPLES / "arm" / "hub-and-spoke.json").read_bytes())
    (tmp_path / "anycast-lint.yaml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
    document = json.loads(run_cli("scan", ".", "--format", "json", cwd=tmp_path).stdout)
    assert _levels(document, "AC306") == {"note"}


def test_ac308_connections_left_out_are_not_counted_as_zero(tmp_path: Path) -> None:
    document = _rule_case(tmp_path, "AC308", ("connections",), PARTIAL)
    assert _levels(document, "AC308") == set()
    assert _levels(document, "AC204") <= {"note"}


def test_every_help_page_says_what_its_rule_needs() -> None:
    from anycast_lint.rules.registry import all_rules

    for current in all_rules():
        assert load_doc(current.code).section("What it needs from the input"), current.code
    assert "### What the tool assumes about your input" in (REPO / "README.md").read_text(encoding="utf-8")


def test_ac105_without_the_on_premises_ranges_is_a_note(tmp_path: Path) -> None:
    _, document = _scan(tmp_path, json.loads((EXAMPLES / "arm" / "hub-and-spoke.json").read_text()), "services: {}\n")
    ((level, message),) = _by_code(document, "AC105")
    assert level == "note" and message.startswith("on-premises ranges are not configured")

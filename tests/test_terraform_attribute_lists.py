"""Terraform plans whose `route`, `security_rule` or `subnet` lists are written as one expression.

azurerm declares these three as attributes that may be written as blocks (`ConfigMode:
pluginsdk.SchemaConfigModeAttr` in hashicorp/terraform-provider-azurerm
internal/services/network/route_table_resource.go, network_security_group_resource.go,
virtual_network_resource.go). For such an attribute `terraform show -json` records ONE expression with the
references of the whole list in `configuration...expressions` (hashicorp/terraform
internal/command/jsonconfig/expression.go, marshalExpressions):

- `route = [{...}]` and `route { ... }` blocks (Terraform 1.1+, internal/lang/blocktoattr/fixup.go): one
  `{"references": [...]}` for the list; each reference is listed with its shorter forms, duplicates kept;
- `route = [for r in local.routes : {...}]`: the same, with `local.routes` but not the iterator's `r.x`
  (hashicorp/hcl hclsyntax/variables.go leaves names bound by a child scope out);
- `dynamic "route" { ... }`: nothing at all (marshalExpressions ignores dynamic blocks).

The plans here are the vwan fixture (tests/fixtures/terraform/build.py, format 1.2 as Terraform 1.9 prints
it) with the spoke route tables, NSGs and subnets written in each shape. Where the list's references name
exactly one thing that can supply an unknown value, the findings are those of the per-resource spelling;
where they cannot (a local, two candidates, a dynamic block), the rule that needs the value gives a note.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.loader import load_inputs
from conftest import EXAMPLES, FIXTURES, RULE_FIXTURES, load_script, run_cli

PLANS = FIXTURES / "terraform"
BUILD = load_script(PLANS / "build.py")
CONFIG = str(EXAMPLES / "anycast-lint.yaml")
FIREWALL_IP = BUILD.FIREWALL_IP
REGIONS = {"westeurope": "01", "northeurope": "02"}


def _findings(path: Path, config: str = CONFIG) -> list[tuple[str, str, str, str]]:
    """The findings of the rules that compare what these lists hold: next hops and route tables (AC2xx)
    and NSG rules (AC403). Coverage notes about kinds a plan does not hold (AC402) are not this test's."""
    run = run_cli("scan", str(path), "--format", "json", "--config", config, "--select", "AC2,AC403")
    assert run.exit_code in (0, 1), run.stderr
    return [
        (f["code"], f["level"], f["resource"].rsplit("/", 1)[1], f["message"])
        for f in json.loads(run.stdout)["findings"]
    ]


def _write(tmp_path: Path, document: dict[str, Any], name: str = "plan.json") -> Path:
    path = tmp_path / name
    path.write_text(BUILD.render(document), encoding="utf-8")
    return path


def _config(document: dict[str, Any], local: str) -> dict[str, Any]:
    """The configuration block of a resource of the `region` module (one for all its instances)."""
    module = document["configuration"]["root_module"]["module_calls"]["region"]["module"]
    block: dict[str, Any] = next(r for r in module["resources"] if r["address"] == local)
    return block


def _instances(document: dict[str, Any], local: str) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(planned values, after_unknown) of the resource in every region instance."""
    found = []
    for region in REGIONS:
        address = f'module.region["{region}"].{local}'
        modules = document["planned_values"]["root_module"]["child_modules"]
        values = next(r["values"] for m in modules for r in m["resources"] if r["address"] == address)
        change = next(c["change"] for c in document["resource_changes"] if c["address"] == address)
        found.append((values, change["after_unknown"]))
    return found


# -- route tables --------------------------------------------------------------------------------------


def test_the_fixture_records_one_expression_for_the_route_list() -> None:
    """The shape Terraform 1.9 prints for `route = [{... next_hop_in_ip_address = azurerm_firewall.fw...}]`."""
    document = json.loads((PLANS / "vwan-indirect-spokes.plan.json").read_text(encoding="utf-8"))
    assert _config(document, "azurerm_route_table.dns")["expressions"]["route"] == {"references": FIREWALL_IP}
    for values, unknown in _instances(document, "azurerm_route_table.dns"):
        assert values["route"][0].get("next_hop_in_ip_address") is None
        assert unknown["route"] == [{"next_hop_in_ip_address": True}]


def test_a_route_list_written_as_one_expression_points_at_the_firewall() -> None:
    topology = load_inputs([str(PLANS / "vwan-indirect-spokes.plan.json")]).topology
    firewalls = {f.name: f.id for f in topology.forwarders.values()}
    for index in REGIONS.values():
        (table,) = [t for t in topology.route_tables.values() if t.name == f"rt-dns-{index}"]
        (route,) = table.routes
        assert route.next_hop_forwarder_id == firewalls[f"azfw-transit-{index}"] and route.unknowns == ()
    assert _findings(PLANS / "vwan-indirect-spokes.plan.json") == []


def test_a_for_expression_over_a_module_input_gives_the_findings_of_the_per_block_spelling(tmp_path: Path) -> None:
    """`route = [for r in var.routes : {name = r.name, address_prefix = r.prefix, next_hop_type =
    "VirtualAppliance", next_hop_in_ip_address = azurerm_firewall.fw.ip_configuration[0].private_ip_address}]`:
    `r` is the iterator, not recorded; `var.routes` is a constant module argument, which holds no unknown."""
    document = BUILD.vwan()
    _config(document, "azurerm_route_table.dns")["expressions"]["route"] = {"references": ["var.routes", *FIREWALL_IP]}
    call = document["configuration"]["root_module"]["module_calls"]["region"]
    call["expressions"]["routes"] = {"constant_value": [{"name": "onprem-via-firewall", "prefix": "172.16.0.0/12"}]}
    assert _findings(_write(tmp_path, document)) == _findings(PLANS / "vwan-indirect-spokes.plan.json") == []


def test_a_for_expression_over_a_local_is_a_note_not_an_error(tmp_path: Path) -> None:
    """Locals are not in the plan: `local.routes` may hold another unknown address, so it pins nothing."""
    document = BUILD.vwan()
    refs = ["local.routes", *FIREWALL_IP]
    _config(document, "azurerm_route_table.dns")["expressions"]["route"] = {"references": refs}
    findings = _findings(_write(tmp_path, document))
    assert [(code, level) for code, level, _, _ in findings] == [("AC201", "note")] * 2
    assert findings[0][3] == (
        "cannot tell whether route 'onprem-via-firewall' in 'rt-dns-02' sends on-premises 172.16.0.0/12 to the "
        "forwarder in transit-02: its next hop is unknown: "
        'module.region["northeurope"].azurerm_route_table.dns.route[0].next_hop_in_ip_address (known after apply): '
        "route is one expression for the whole list, and local.routes cannot be followed in the plan (it may hold "
        "the value)"
    )


def test_a_dynamic_route_block_is_not_in_the_plan_so_its_unknown_next_hop_is_a_note(tmp_path: Path) -> None:
    """`dynamic "route" { for_each = var.routes  content { ... } }`: Terraform records no expression at all."""
    document = BUILD.vwan()
    del _config(document, "azurerm_route_table.dns")["expressions"]["route"]
    findings = _findings(_write(tmp_path, document))
    assert [(code, level) for code, level, _, _ in findings] == [("AC201", "note")] * 2
    assert findings[1][3].endswith(
        "its next hop is unknown: "
        'module.region["westeurope"].azurerm_route_table.dns.route[0].next_hop_in_ip_address (known after apply): '
        "route is not in the plan's configuration (a dynamic block, which Terraform does not record, or blocks "
        "of an attribute, recorded since Terraform 1.1): nothing says where it comes from"
    )


def test_two_unknown_values_in_one_route_list_pin_neither(tmp_path: Path) -> None:
    """A second route to the firewall's public address (`address_prefix =
    "${azurerm_public_ip.fw.ip_address}/32"`, next hop Internet): two references could supply the unknown
    next hop, and the list does not say which goes where."""
    document = BUILD.vwan()
    refs = [*FIREWALL_IP, "azurerm_public_ip.fw.ip_address", "azurerm_public_ip.fw"]
    _config(document, "azurerm_route_table.dns")["expressions"]["route"] = {"references": refs}
    for values, unknown in _instances(document, "azurerm_route_table.dns"):
        values["route"].append({"name": "fw-public-ip", "next_hop_type": "Internet", "next_hop_in_ip_address": ""})
        unknown["route"].append({"address_prefix": True})
    findings = _findings(_write(tmp_path, document))
    assert [(code, level) for code, level, _, _ in findings] == [("AC201", "note")] * 2
    assert findings[0][3].endswith(
        "route is one expression for the whole list, and its expression refers to "
        "azurerm_firewall.fw.ip_configuration[0].private_ip_address, azurerm_public_ip.fw.ip_address; 2 of them "
        "could supply this value, so which one it is cannot be told"
    )


def test_a_known_reference_in_the_list_does_not_count_as_a_candidate(tmp_path: Path) -> None:
    """`address_prefix = azurerm_subnet.firewall.address_prefixes[0]` is known at plan time: it cannot be
    where the unknown next hop comes from, so the firewall is still the one candidate."""
    document = BUILD.vwan()
    refs = ["azurerm_subnet.firewall.address_prefixes[0]", "azurerm_subnet.firewall.address_prefixes",
            "azurerm_subnet.firewall", *FIREWALL_IP]  # fmt: skip
    _config(document, "azurerm_route_table.dns")["expressions"]["route"] = {"references": refs}
    assert _findings(_write(tmp_path, document)) == []


@pytest.mark.parametrize("inline_subnets", [False, True])
def test_a_missing_route_table_is_still_an_error(tmp_path: Path, inline_subnets: bool) -> None:
    """Unknown is not absent: the broken variant (no route table on dns-01) keeps its AC201 error, in both
    spellings of the subnet, with the findings of the ARM export of the same design."""
    config = str(RULE_FIXTURES / "AC201" / "anycast-lint.yaml")
    plan = _write(tmp_path, BUILD.vwan(drop_route_table="01", inline_subnets=inline_subnets))
    exported = _findings(RULE_FIXTURES / "AC201" / "bad.json", config)
    assert (
        [f[:3] for f in _findings(plan, config)]
        == [f[:3] for f in exported]
        == [("AC201", "error", "snet-dns-inbound")]
    )


# -- virtual network subnets ------------------------------------------------------------------------


def test_inline_subnets_linked_in_one_expression_give_the_findings_of_separate_resources(tmp_path: Path) -> None:
    """`subnet = [{name = "snet-dns-inbound", security_group = azurerm_network_security_group.inbound.id,
    route_table_id = azurerm_route_table.dns.id, ...}]`: one NSG and one route table in the list's
    references, so each unknown link is that one."""
    document = BUILD.vwan(inline_subnets=True)
    assert _config(document, "azurerm_virtual_network.dns")["expressions"]["subnet"] == {
        "references": [
            "azurerm_network_security_group.inbound.id",
            "azurerm_network_security_group.inbound",
            "azurerm_route_table.dns.id",
            "azurerm_route_table.dns",
        ]
    }
    plan = _write(tmp_path, document)
    topology = load_inputs([str(plan)]).topology
    for index in REGIONS.values():
        (vnet,) = [v for v in topology.virtual_networks.values() if v.name == f"dns-{index}"]
        (subnet,) = vnet.subnets
        assert subnet.nsg_id is not None and subnet.nsg_id.endswith(f"/networkSecurityGroups/nsg-dns-inbound-{index}")
        assert subnet.route_table_id is not None and subnet.route_table_id.endswith(f"/routeTables/rt-dns-{index}")
        assert subnet.unknowns == ()
    assert _findings(plan) == _findings(PLANS / "vwan-indirect-spokes.plan.json") == []


def test_inline_subnet_links_the_references_cannot_pin_are_notes(tmp_path: Path) -> None:
    """`security_group = local.nsg_ids[each.key]`-style links: a local may hold any id, so the NSG and the
    route table stay unknown, and AC201/AC403 say they cannot tell (never 'has no route table')."""
    document = BUILD.vwan(inline_subnets=True)
    _config(document, "azurerm_virtual_network.dns")["expressions"]["subnet"]["references"].append("local.links")
    findings = _findings(_write(tmp_path, document))
    assert sorted((code, level, resource) for code, level, resource, _ in findings) == [
        ("AC201", "note", "snet-dns-inbound"),
        ("AC201", "note", "snet-dns-inbound"),
        ("AC403", "note", "snet-dns-inbound"),
        ("AC403", "note", "snet-dns-inbound"),
    ]
    messages = [m for code, _, _, m in findings if code == "AC403"]
    assert messages[0].startswith(
        "cannot check outbound rules of subnet 'dns-02/snet-dns-inbound' (service 'dns'): its NSG is unknown: "
        'module.region["northeurope"].azurerm_virtual_network.dns.subnet[0].security_group (known after apply): '
        "subnet is one expression for the whole list, and local.links cannot be followed in the plan"
    )


# -- network security group rules ---------------------------------------------------------------------


def _nsg_with_rule(rule: dict[str, Any], unknown: dict[str, Any], refs: list[str]) -> dict[str, Any]:
    """The vwan plan whose spoke NSGs get one more inline rule, with `security_rule` one expression."""
    document = BUILD.vwan()
    _config(document, "azurerm_network_security_group.inbound")["expressions"]["security_rule"] = {"references": refs}
    for values, after_unknown in _instances(document, "azurerm_network_security_group.inbound"):
        values["security_rule"].append({**values["security_rule"][1], **rule})
        after_unknown["security_rule"] = [{}, {}, unknown]
    return document


def test_an_outbound_allow_to_an_unknown_address_is_a_note_not_a_warning(tmp_path: Path) -> None:
    """`{name = "allow-to-firewall", access = "Allow", priority = 300, destination_address_prefix =
    azurerm_firewall.fw.ip_configuration[0].private_ip_address}`: if it matches a private range it opens
    it, if not the Deny at 4000 holds; its address is unknown, so AC403 cannot tell (it was read as `*`)."""
    rule = {"name": "allow-to-firewall", "access": "Allow", "priority": 300, "destination_address_prefixes": []}
    document = _nsg_with_rule(rule, {"destination_address_prefix": True}, FIREWALL_IP)
    for values, _ in _instances(document, "azurerm_network_security_group.inbound"):
        del values["security_rule"][2]["destination_address_prefix"]
    findings = _findings(_write(tmp_path, document))
    assert [(code, level) for code, level, _, _ in findings] == [("AC403", "note")] * 2
    assert findings[0][3].startswith(
        "cannot tell whether NSG 'nsg-dns-inbound-02' on subnet 'dns-02/snet-dns-inbound' (service 'dns') allows "
        "new outbound flows to 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16: rule 'allow-to-firewall' (priority 300) "
        "decides if it matches, and its destination address prefix is unknown"
    )


def test_an_outbound_deny_to_an_unknown_address_before_a_covering_deny_changes_nothing(tmp_path: Path) -> None:
    """A Deny whose address is unknown, evaluated before the Deny that covers the private ranges: matched
    or not, new outbound flows are denied, so the findings are those of the per-block spelling."""
    rule = {"name": "deny-to-firewall", "access": "Deny", "priority": 300, "destination_address_prefixes": []}
    document = _nsg_with_rule(rule, {"destination_address_prefix": True}, FIREWALL_IP)
    for values, _ in _instances(document, "azurerm_network_security_group.inbound"):
        del values["security_rule"][2]["destination_address_prefix"]
    assert _findings(_write(tmp_path, document)) == []


ASG = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-anycast-vwan/providers/Microsoft.Network/applicationSecurityGroups/asg-app"


@pytest.mark.parametrize(("group", "reason"), [
    (None, "(known after apply)"),
    (ASG, "destination_application_security_group_ids is set: which addresses an application security group holds is not read"),
])  # fmt: skip
def test_an_outbound_allow_to_an_application_security_group_is_a_note(
    tmp_path: Path, group: str | None, reason: str
) -> None:
    """`destination_application_security_group_ids = [azurerm_application_security_group.app.id]`, new
    (unknown id) or existing: which addresses the group holds is not in the plan (the rule was read as
    `*`, an Allow to everything)."""
    rule = {
        "name": "allow-to-app",
        "access": "Allow",
        "priority": 300,
        "destination_address_prefix": "",
        "destination_address_prefixes": [],
        "destination_application_security_group_ids": [group] if group else [],
    }
    refs = ["azurerm_application_security_group.app.id", "azurerm_application_security_group.app"]
    unknown = {} if group else {"destination_application_security_group_ids": [True]}
    document = _nsg_with_rule(rule, unknown, refs)
    findings = _findings(_write(tmp_path, document))
    assert [(code, level) for code, level, _, _ in findings] == [("AC403", "note")] * 2
    assert (
        "rule 'allow-to-app' (priority 300) decides if it matches, and its destination prefixes is unknown"
        in (findings[0][3])
    )
    assert reason in findings[0][3]


# -- an attribute's own expression ----------------------------------------------------------------------


def test_a_next_hop_whose_own_expression_names_two_candidates_is_not_guessed(tmp_path: Path) -> None:
    """`next_hop_ip_address = var.inspect ? azurerm_firewall.fw...private_ip_address : azurerm_public_ip.fw.ip_address`
    on the hub connection's static route (a real block, with its own expression): the first reference
    used to win; neither does now, and AC202 says it cannot check the static routes."""
    document = BUILD.vwan()
    static = _config(document, "azurerm_virtual_hub_connection.transit")["expressions"]["routing"][0]
    refs = ["var.inspect", *FIREWALL_IP, "azurerm_public_ip.fw.ip_address", "azurerm_public_ip.fw"]
    static["static_vnet_route"][0]["next_hop_ip_address"] = {"references": refs}
    findings = _findings(_write(tmp_path, document))
    assert sorted({(code, level) for code, level, _, _ in findings}) == [("AC202", "note")]
    message = next(m for code, _, _, m in findings if code == "AC202")
    assert message.endswith(
        "the expression refers to var.inspect, azurerm_firewall.fw.ip_configuration[0].private_ip_address, "
        "azurerm_public_ip.fw.ip_address; 2 of them could supply this value, so which one it is cannot be told"
    ), message

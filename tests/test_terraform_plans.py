"""Terraform plans (`terraform show -json`): read into the same model, checked by the same rules.

The fixtures in tests/fixtures/terraform/ are the field report's two designs as format 1.2 plans
(child modules per for_each instance, ids and firewall addresses known only after apply, resources being
deleted); they must give exactly the findings of the ARM exports of the same designs. The real plans in
../shared/realworld/terraform-plans must all read, and their sample credentials never be printed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.loader import load_inputs
from conftest import EXAMPLES, FIXTURES, REALWORLD, RULE_FIXTURES, Run, line_of, load_script, run_cli, shared_or_skip

PLANS = FIXTURES / "terraform"
BUILD = load_script(PLANS / "build.py")
REAL_PLANS = REALWORLD / "terraform-plans"
NOT_AZURE = {
    "terraform-json-basic.plan.json": "7 x null_resource",
    "terraform-json-deep_module.plan.json": "1 x null_resource",
    "terraform-json-explicit_null.plan.json": "3 x null_resource",
    "terraform-json-nested_config_keys.plan.json": "1 x aws_instance",
}
SAMPLE_SECRETS = ("ComplxP@ssw0rd!", "Password1234!", "ItsASecret", "tf-fixture-shared-key-1234",
                  "tf-fixture-authorization-key-5678")  # fmt: skip


def _findings(run: Run) -> list[tuple[str, str, str]]:
    assert run.exit_code in (0, 1), run.stderr
    return [(f["code"], f["level"], f["resource"].rsplit("/", 1)[1]) for f in json.loads(run.stdout)["findings"]]


# A plan covers what it plans (coverage.py): the plans of the example designs hold no network interfaces, which a
# full export covers, so AC402 says once that it cannot tell; every other finding is the export's.
NO_NICS = ("AC402", "note", "dns-01")


def _beside_coverage(run: Any) -> list[tuple[str, str, str]]:
    notes = [f["message"] for f in json.loads(run.stdout)["findings"] if f["code"] == "AC402"]
    assert notes and all("the input holds no network interfaces" in note for note in notes)
    return _beside_coverage_findings(_findings(run))


def _beside_coverage_findings(found: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    assert NO_NICS in found
    return [f for f in found if f != NO_NICS]


def _write_plan(folder: Path, document: dict[str, Any], name: str = "plan.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BUILD.render(document), encoding="utf-8")
    return path


def test_plan_fixtures_match_their_generator() -> None:
    for name, text in BUILD.built().items():
        assert (PLANS / name).read_text(encoding="utf-8") == text, f"{name} is stale: run python build.py"


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_plan_gives_the_findings_of_the_arm_export_of_the_same_design(design: str) -> None:
    plan = run_cli("scan", str(PLANS / f"{design}.plan.json"), "--format", "json", cwd=EXAMPLES)
    export = run_cli("scan", f"arm/{design}.json", "--format", "json", cwd=EXAMPLES)
    assert _beside_coverage(plan) == _findings(export)
    planned, exported = json.loads(plan.stdout), json.loads(export.stdout)
    assert planned["summary"]["services"] == exported["summary"]["services"] == 1
    for collection in ("virtual_networks", "virtual_hubs", "hub_connections", "forwarders", "route_tables",
                       "er_connections", "gateway_connections", "inbound_endpoints"):  # fmt: skip
        assert planned["summary"]["resources"].get(collection) == exported["summary"]["resources"].get(collection)


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_simulate_predicts_the_same_winners_from_the_plan(design: str) -> None:
    def winners(path: str) -> list[tuple[str, str, str, str]]:
        run = run_cli("simulate", path, "--format", "json", cwd=EXAMPLES)
        assert run.exit_code == 0, run.stderr
        return [
            (circuit, choice["member"].rsplit("/", 1)[1], choice["runnerUp"].rsplit("/", 1)[1], choice["decidedBy"])
            for service in json.loads(run.stdout)["services"]
            for circuit, choice in service["circuits"].items()
        ]

    assert winners(str(PLANS / f"{design}.plan.json")) == winners(f"arm/{design}.json")


@pytest.mark.parametrize(
    ("code", "variant"),
    [("AC201", {"drop_route_table": "01"}), ("AC202", {"drop_static_route": "01"})],
)
def test_broken_plan_gives_the_findings_of_the_broken_arm_export(
    tmp_path: Path, code: str, variant: dict[str, str]
) -> None:
    """The AC201/AC202 cases of tests/rules, written as plans whose next hops are unknown firewall IPs."""
    config = str(RULE_FIXTURES / code / "anycast-lint.yaml")
    plan = _write_plan(tmp_path, BUILD.vwan(**variant))
    planned = _findings(run_cli("scan", str(plan), "--format", "json", "--config", config))
    exported = _findings(
        run_cli("scan", str(RULE_FIXTURES / code / "bad.json"), "--format", "json", "--config", config)
    )
    assert _beside_coverage_findings(planned) == exported
    assert code in [c for c, _, _ in planned]


def test_udr_and_static_route_to_unknown_firewall_ip_point_at_that_firewall() -> None:
    topology = load_inputs([str(PLANS / "vwan-indirect-spokes.plan.json")]).topology
    firewalls = {f.name: f for f in topology.forwarders.values()}
    assert set(firewalls) == {"azfw-transit-01", "azfw-transit-02"}
    for index in ("01", "02"):
        firewall = firewalls[f"azfw-transit-{index}"]
        assert firewall.private_ips == () and firewall.unknown("private_ips") is not None
        assert firewall.vnet_id is not None and firewall.vnet_id.endswith(f"/virtualNetworks/transit-{index}")
        (table,) = [t for t in topology.route_tables.values() if t.name == f"rt-dns-{index}"]
        (route,) = table.routes
        assert route.next_hop_ips == () and route.next_hop_forwarder_id == firewall.id
        assert table.disable_bgp_route_propagation  # bgp_route_propagation_enabled = false, inverted
        (connection,) = [c for c in topology.hub_connections.values() if c.name == f"conn-transit-{index}"]
        (static,) = connection.routing.static_routes
        assert static.next_hop_forwarder_id == firewall.id and connection.routing.propagate_static_routes
        assert connection.unknowns == ()


def test_for_each_module_instances_and_references_resolve_to_synthetic_ids() -> None:
    topology = load_inputs([str(PLANS / "vwan-indirect-spokes.plan.json")]).topology
    dns = {v.name: v for v in topology.virtual_networks.values()}
    placeholder = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-anycast-vwan/providers/Microsoft.Network"
    )
    assert dns["dns-02"].id == f"{placeholder}/virtualNetworks/dns-02"
    assert dns["dns-02"].tag("anycast-preferred") == "true"
    (subnet,) = dns["dns-01"].subnets
    assert subnet.route_table_id == f"{placeholder}/routeTables/rt-dns-01"  # association resource, by reference
    assert subnet.nsg_id == f"{placeholder}/networkSecurityGroups/nsg-dns-inbound-01"
    assert subnet.delegations == ("Microsoft.Network/dnsResolvers",)
    (peering,) = dns["dns-01"].peerings
    assert peering.remote_vnet_id == f"{placeholder}/virtualNetworks/transit-01" and peering.connected
    (er_connection,) = [c for c in topology.er_connections.values() if c.name == "er-conn-hub-01"]
    assert er_connection.routing.outbound_route_map_id == (
        "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-anycast-vwan/providers/"
        "Microsoft.Network/virtualHubs/hub-01/routeMaps/rm-prepend-anycast"
    )
    assert er_connection.circuit_id is not None and er_connection.circuit_id.endswith(
        "/expressRouteCircuits/er-circuit"
    )


def test_deleted_resources_are_gone_and_no_op_resources_stay() -> None:
    vwan = load_inputs([str(PLANS / "vwan-indirect-spokes.plan.json")]).topology
    assert "dns-legacy" not in {v.name for v in vwan.virtual_networks.values()}
    assert "conn-dns-legacy" not in {c.name for c in vwan.hub_connections.values()}
    assert {h.name for h in vwan.virtual_hubs.values()} == {"hub-01", "hub-02"}  # no-op: present
    hub_and_spoke = load_inputs([str(PLANS / "hub-and-spoke.plan.json")]).topology
    assert len(hub_and_spoke.outbound_endpoints) == 0
    gateways = {g.name: g for g in hub_and_spoke.vnet_gateways.values()}
    assert [str(a) for a in gateways["ergw-hub-01"].bgp_peering_addresses] == ["192.168.128.12", "192.168.128.13"]


def test_unknown_values_are_listed_with_the_reference_they_wait_for() -> None:
    run = run_cli("scan", str(PLANS / "vwan-indirect-spokes.plan.json"), "--format", "json", cwd=EXAMPLES)
    unknowns = json.loads(run.stdout)["unknowns"]
    messages = [u["message"] for u in unknowns]
    assert any(
        "Azure Firewall 'azfw-transit-01': private ips is unknown: "
        'module.region["westeurope"].azurerm_firewall.fw.ip_configuration[0].private_ip_address (known after apply)'
        in m
        for m in messages
    ), messages


def test_plan_in_a_folder_is_read_not_skipped(tmp_path: Path) -> None:
    _write_plan(tmp_path / "infra", BUILD.hub_and_spoke())
    run = run_cli("scan", str(tmp_path), "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"))
    report = json.loads(run.stdout)
    assert run.exit_code == 0 and report["inputs"] == [str(tmp_path / "infra" / "plan.json")]
    assert report["summary"]["resources"]["virtual_networks"] == 4


# --- real plans -------------------------------------------------------------------------------------


def _real(name: str) -> Path:
    return shared_or_skip(REAL_PLANS / name)


@pytest.mark.parametrize("name", sorted(p.name for p in REAL_PLANS.glob("*.json")) if REAL_PLANS.exists() else [])
def test_every_real_plan_is_read(name: str) -> None:
    if name in NOT_AZURE:
        run = run_cli("scan", str(_real(name)))
        assert run.exit_code == 2 and run.stdout == ""
        assert run.stderr.count("\n") == 1
        assert (
            f"{name}:1:1: Terraform plan: no Azure network resources found (it plans {NOT_AZURE[name]})" in run.stderr
        )
    else:
        run = run_cli("scan", str(_real(name)), "--format", "json")
        assert run.exit_code == 0, run.stderr
        resources = json.loads(run.stdout)["summary"]["resources"]
        assert resources, f"{name}: no network resource read"


def test_real_plans_read_their_network_resources() -> None:
    def counts(name: str) -> dict[str, int]:
        return dict(load_inputs([str(_real(name))]).topology.counts())

    assert counts("infracost-express_route_gateway_plan.plan.json") == {
        "circuits": 1, "virtual_wans": 1, "virtual_hubs": 1, "hub_route_tables": 2, "er_gateways": 1,
        "er_connections": 1,
    }  # fmt: skip
    assert counts("terraform-compliance-issue-294.plan.json")["network_interfaces"] == 2
    assert counts("regula-security_group_no_inbound_22_infra.plan.json") == {"network_security_groups": 4}
    firewall = load_inputs([str(_real("tfplan2md-firewall-rules-demo-plan3.plan.json"))]).topology.forwarders
    assert [str(ip) for f in firewall.values() for ip in f.private_ips] == ["10.1.0.4"]  # no-op: known


def test_a_null_provider_plan_beside_an_azure_one_is_a_note(tmp_path: Path) -> None:
    """In one design (one folder), the plan without Azure resources is noted; alone, it is an error."""
    (tmp_path / "null.plan.json").write_text(_real("terraform-json-basic.plan.json").read_text(), encoding="utf-8")
    _write_plan(tmp_path, BUILD.hub_and_spoke())
    run = run_cli("scan", str(tmp_path), "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"))
    assert run.exit_code == 0, run.stderr
    notes = [u["message"] for u in json.loads(run.stdout)["unknowns"]]
    assert "Terraform plan: no Azure network resources found (it plans 7 x null_resource)" in notes


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_sample_credentials_in_plans_are_never_printed(output_format: str, tmp_path: Path) -> None:
    plans = [
        str(_real(n))
        for n in ("terraform-compliance-issue-294.plan.json", "pennywise-azure-tfplan.plan.json",
                  "infracost-express_route_gateway_plan.plan.json", "terracost-azurerm.plan.json")
    ] + [str(PLANS / "vwan-indirect-spokes.plan.json"), str(PLANS / "hub-and-spoke.plan.json")]  # fmt: skip
    for plan in plans:
        assert any(secret in Path(plan).read_text() for secret in (*SAMPLE_SECRETS, "basic_auth_marco"))
    run = run_cli("scan", *plans, "--format", output_format, "--verbose", "--fail-on", "none")
    written = run_cli("scan", *plans, "--format", output_format, "-o", str(tmp_path / "out"), "--fail-on", "none")
    assert run.exit_code == 0 and written.exit_code == 0, run.stderr
    printed = run.stdout + run.stderr + written.stderr + (tmp_path / "out").read_text()
    for secret in (*SAMPLE_SECRETS, "basic_auth_marco-test-admin-key-gcp/password"):
        assert secret not in printed


# --- bad plans ----------------------------------------------------------------------------------------


def _plan_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "plan.json"
    path.write_text(text, encoding="utf-8")
    run = run_cli("scan", str(path))
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    return run.stderr.strip().replace(str(path), "plan.json")


def test_truncated_plan_is_an_invalid_json_error_with_line(tmp_path: Path) -> None:
    text = BUILD.render(BUILD.hub_and_spoke())
    message = _plan_error(tmp_path, text[: len(text) // 2])
    assert message.startswith("anycast-lint: error: plan.json:") and "invalid JSON" in message


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{"format_version": "1.2", "terraform_version": "1.9.8"}',
         "plan.json:1:1: Terraform plan: no planned_values (a partial or failed plan? expected the output of "
         "`terraform show -json PLANFILE`)"),
        ('{"format_version": "1.2",\n "planned_values": []}',
         "plan.json:2:20: Terraform plan: expected planned_values to be an object, got an array (at $.planned_values)"),
        ('{"format_version": "3.0",\n "planned_values": {}}',
         "plan.json:1:20: Terraform plan: format_version '3.0' is not supported (expected 0.1 to 1.x, from "
         "`terraform show -json`) (at $.format_version)"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n  {"address": "x.y", "name": "y"}]}}}',
         "plan.json:2:3: Terraform plan: expected type to be a string, got null (at $.planned_values.root_module.resources[0].type)"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [], "child_modules": {}}}}',
         "plan.json:1:96: Terraform plan: expected child_modules to be an array, got an object "
         "(at $.planned_values.root_module.child_modules)"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "azurerm_virtual_network.a",\n'
         ' "type": "azurerm_virtual_network", "name": "a", "values": {"name": "a", "resource_group_name": "rg",\n'
         ' "address_space": ["10.0.0.1/24"]}}]}}}',
         "plan.json:3:20: Terraform plan: 10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24? "
         "(at $.planned_values.root_module.resources[0].values.address_space[0])"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n {"address": "azurerm_subnet.a", "type": "azurerm_subnet", "name": "a", "values": {}}]}},\n'
         ' "resource_changes": [{"address": "azurerm_subnet.a", "change": {"actions": ["create"], "after_unknown": true}}]}',
         "plan.json:2:2: Terraform plan: azurerm_subnet.a is marked unknown or sensitive as a whole; nothing of it can "
         "be read (at $.planned_values.root_module.resources[0])"),
        ('{"format_version": "1.2", "planned_values": {"root_module": {}}, "resource_changes": [\n 7]}',
         "plan.json:2:2: Terraform plan: expected a resource change to be an object, got a number (at $.resource_changes[0])"),
    ],
)  # fmt: skip
def test_malformed_and_partial_plans_get_one_line_errors(tmp_path: Path, document: str, expected: str) -> None:
    assert _plan_error(tmp_path, document) == f"anycast-lint: error: {expected}"


# --- locations and config -------------------------------------------------------------------------------

TF_SOURCE = PLANS / "vwan-indirect-spokes"
MODULE_TF = TF_SOURCE / "modules" / "region" / "main.tf"


def _copy_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*.tf"):
        copied = target / path.relative_to(source)
        copied.parent.mkdir(parents=True, exist_ok=True)
        copied.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")


def _located(run: Run) -> list[tuple[str, str, int, int]]:
    assert run.exit_code == 1, run.stderr
    return [(f["code"], f["file"], f["line"], f["column"]) for f in json.loads(run.stdout)["findings"]]


def test_findings_point_at_the_resource_block_in_the_module_source(tmp_path: Path) -> None:
    """The plan's folder is the root module: a module resource's finding points into the module's folder."""
    _copy_tree(TF_SOURCE, tmp_path)
    _write_plan(tmp_path, BUILD.vwan(drop_route_table="01"))
    config = str(RULE_FIXTURES / "AC201" / "anycast-lint.yaml")
    run = run_cli("scan", "plan.json", "--format", "json", "--config", config, cwd=tmp_path)
    subnet_line = line_of(MODULE_TF, 'resource "azurerm_subnet" "inbound"')
    assert ("AC201", "modules/region/main.tf", subnet_line, 1) in _located(run)


def test_findings_point_at_attributes_inside_the_block_with_tf_root(tmp_path: Path) -> None:
    _copy_tree(TF_SOURCE, tmp_path / "infra")
    plan = _write_plan(tmp_path / "ci", BUILD.vwan(drop_static_route="01"))
    config = str(RULE_FIXTURES / "AC202" / "anycast-lint.yaml")
    run = run_cli("scan", str(plan), "--tf-root", "infra", "--format", "json", "--config", config, cwd=tmp_path)
    block = line_of(MODULE_TF, 'resource "azurerm_virtual_hub_connection" "transit"')
    routing = block + [line.strip() for line in MODULE_TF.read_text().splitlines()[block:]].index("routing {") + 1
    assert ("AC202", "infra/modules/region/main.tf", routing, 3) in _located(run)
    sarif = run_cli("scan", str(plan), "--tf-root", "infra", "--format", "sarif", "--config", config, "--root", ".",
                    cwd=tmp_path)  # fmt: skip
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in json.loads(sarif.stdout)["runs"][0]["results"]
        for location in result["locations"]
    }
    assert "infra/modules/region/main.tf" in uris and not any(uri.startswith("/") for uri in uris)


def test_without_tf_source_findings_point_into_the_plan(tmp_path: Path) -> None:
    plan = _write_plan(tmp_path, BUILD.vwan(drop_route_table="01"))
    config = str(RULE_FIXTURES / "AC201" / "anycast-lint.yaml")
    run = run_cli("scan", "plan.json", "--format", "json", "--config", config, cwd=tmp_path)
    address = 'module.region[\\"westeurope\\"].azurerm_subnet.inbound'
    line = line_of(plan, f'"address": "{address}"') - 1  # the resource object opens on the line above
    column = plan.read_text().splitlines()[line - 1].index("{") + 1
    assert ("AC201", "plan.json", line, column) in _located(run)


def test_config_next_to_the_plan_applies_when_scanned_from_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    _write_plan(tmp_path / "infra", BUILD.vwan(drop_route_table="01"))
    (tmp_path / "infra" / "anycast-lint.yaml").write_text(
        (RULE_FIXTURES / "AC201" / "anycast-lint.yaml").read_text(), encoding="utf-8"
    )
    codes = [code for code, _, _, _ in _located(run_cli("scan", "infra/plan.json", "--format", "json", cwd=tmp_path))]
    assert "AC201" in codes  # the on-premises ranges come from infra/anycast-lint.yaml
    (tmp_path / "empty.yaml").write_text("rules: {}\n", encoding="utf-8")
    run = run_cli("scan", "infra/plan.json", "--format", "json", "--config", "empty.yaml", cwd=tmp_path)
    assert "AC201" not in [f["code"] for f in json.loads(run.stdout)["findings"]]  # --config still wins


# --- vocabulary across provider and plan versions -------------------------------------------------------


def _legacy_plan() -> dict[str, Any]:
    """A Terraform 0.12-era plan (format 0.1) with azurerm 2.x/3.x spellings, count instances, a module
    output as a next hop, and a value marked sensitive."""
    fw = "module.fw.azurerm_firewall.this"
    resources = [
        {
            "address": "azurerm_route_table.legacy",
            "mode": "managed",
            "type": "azurerm_route_table",
            "name": "legacy",
            "values": {
                "name": "rt-app",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "disable_bgp_route_propagation": True,
                "route": [{"name": "default", "address_prefix": "0.0.0.0/0", "next_hop_type": "VirtualAppliance"}],
            },
        },
        {
            "address": "azurerm_virtual_network.app",
            "mode": "managed",
            "type": "azurerm_virtual_network",
            "name": "app",
            "values": {
                "name": "vnet-app",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "address_space": ["10.50.0.0/16"],
                "subnet": [],
            },
            "sensitive_values": {"address_space": True},
        },
        {
            "address": "azurerm_network_interface.nva",
            "mode": "managed",
            "type": "azurerm_network_interface",
            "name": "nva",
            "values": {
                "name": "nic-nva",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "enable_ip_forwarding": True,
                "ip_configuration": [
                    {
                        "name": "ip",
                        "subnet_id": None,
                        "private_ip_address": "10.50.1.10",
                        "private_ip_address_allocation": "Static",
                    }
                ],
            },
        },
    ]
    for index in (0, 1):
        resources.append(
            {
                "address": f"azurerm_subnet.app[{index}]",
                "mode": "managed",
                "type": "azurerm_subnet",
                "name": "app",
                "index": index,
                "values": {
                    "name": f"snet-{index}",
                    "resource_group_name": "rg-app",
                    "virtual_network_name": "vnet-app",
                    "address_prefix": f"10.50.{index}.0/24",
                },
            }
        )
        resources.append(
            {
                "address": f"azurerm_subnet_route_table_association.app[{index}]",
                "mode": "managed",
                "type": "azurerm_subnet_route_table_association",
                "name": "app",
                "index": index,
                "values": {},
            }
        )
    changes = [
        {
            "address": "azurerm_route_table.legacy",
            "change": {
                "actions": ["create"],
                "after_unknown": {"id": True, "route": [{"next_hop_in_ip_address": True}]},
            },
        },
        {
            "address": f"{fw}",
            "change": {
                "actions": ["create"],
                "after_unknown": {"id": True, "ip_configuration": [{"private_ip_address": True, "subnet_id": True}]},
            },
        },
        {
            "address": "azurerm_network_interface.nva",
            "change": {"actions": ["create"], "after_unknown": {"ip_configuration": [{"subnet_id": True}]}},
        },
    ] + [
        {
            "address": f"azurerm_subnet_route_table_association.app[{i}]",
            "change": {"actions": ["create"], "after_unknown": {"subnet_id": True, "route_table_id": True, "id": True}},
        }
        for i in (0, 1)
    ]
    return {
        "format_version": "0.1",
        "terraform_version": "0.12.31",
        "planned_values": {"root_module": {"resources": resources, "child_modules": [{"address": "module.fw", "resources": [
            {"address": fw, "mode": "managed", "type": "azurerm_firewall", "name": "this",
             "values": {"name": "azfw-app", "location": "westeurope", "resource_group_name": "rg-app",
                        "sku_name": "AZFW_VNet", "ip_configuration": [{"name": "ip"}]}}]}]}},
        "resource_changes": changes,
        "configuration": {"root_module": {
            "resources": [
                {"address": "azurerm_route_table.legacy", "mode": "managed", "type": "azurerm_route_table",
                 "name": "legacy", "expressions": {"route": [{"next_hop_in_ip_address": {
                     "references": ["module.fw.private_ip", "module.fw"]}}]}},
                {"address": "azurerm_subnet_route_table_association.app", "mode": "managed",
                 "type": "azurerm_subnet_route_table_association", "name": "app",
                 "count_expression": {"constant_value": 2},
                 "expressions": {"subnet_id": {"references": ["azurerm_subnet.app", "count.index"]},
                                 "route_table_id": {"references": ["azurerm_route_table.legacy"]}}},
            ],
            "module_calls": {"fw": {"source": "./fw", "module": {
                "outputs": {"private_ip": {"expression": {"references": [
                    "azurerm_firewall.this.ip_configuration[0].private_ip_address",
                    "azurerm_firewall.this.ip_configuration[0]", "azurerm_firewall.this"]}}},
                "resources": [{"address": "azurerm_firewall.this", "mode": "managed", "type": "azurerm_firewall",
                               "name": "this", "expressions": {}}]}}},
        }},
    }  # fmt: skip


def test_older_plan_format_and_provider_spellings_with_count_module_outputs_and_sensitive_values(
    tmp_path: Path,
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_legacy_plan(), indent=1), encoding="utf-8")
    topology = load_inputs([str(plan)]).topology
    (table,) = topology.route_tables.values()
    assert table.disable_bgp_route_propagation  # 3.x disable_bgp_route_propagation
    (firewall,) = topology.forwarders.values()
    (route,) = table.routes
    assert route.next_hop_forwarder_id == firewall.id  # through the module's output
    (vnet,) = topology.virtual_networks.values()
    assert [(s.name, str(s.address_prefixes[0]), s.route_table_id) for s in vnet.subnets] == [
        ("snet-0", "10.50.0.0/24", table.id), ("snet-1", "10.50.1.0/24", table.id)]  # fmt: skip
    assert vnet.address_prefixes == () and "sensitive" in (vnet.unknown("address_prefixes") or pytest.fail()).reason
    (nic,) = topology.network_interfaces.values()
    assert nic.enable_ip_forwarding  # 3.x enable_ip_forwarding
    run = run_cli("scan", str(plan), "--format", "json", "--verbose")
    assert run.exit_code == 0, run.stderr
    assert "10.50.0.0/16" not in run.stdout + run.stderr  # the sensitive value is never printed


def _planned(document: dict[str, Any], address: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(planned values, after_unknown) of one instance of a built plan, to change it."""
    modules = [document["planned_values"]["root_module"], *document["planned_values"]["root_module"]["child_modules"]]
    values = next(r["values"] for m in modules for r in m["resources"] if r["address"] == address)
    change = next(c["change"] for c in document["resource_changes"] if c["address"] == address)
    return values, change["after_unknown"]


def test_udr_to_an_address_while_the_firewall_address_is_unknown_is_a_note(tmp_path: Path) -> None:
    document = BUILD.vwan()
    values, unknown = _planned(document, 'module.region["westeurope"].azurerm_route_table.dns')
    values["route"][0]["next_hop_in_ip_address"] = "10.1.0.4"
    del unknown["route"]
    plan = _write_plan(tmp_path, document)
    run = run_cli("scan", str(plan), "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"))
    (finding,) = [f for f in json.loads(run.stdout)["findings"] if f["code"] != "AC402"]  # AC402: no NICs planned
    assert (finding["code"], finding["level"]) == ("AC201", "note")
    assert finding["message"] == (
        "cannot tell whether route 'onprem-via-firewall' in 'rt-dns-01' sends on-premises 172.16.0.0/12 to the "
        "forwarder in transit-01: its next hop is 10.1.0.4, and the address of Azure Firewall 'azfw-transit-01' is "
        "known only after apply"
    )


def test_static_route_to_a_firewall_outside_the_transit_vnet_is_an_error(tmp_path: Path) -> None:
    document = BUILD.vwan()
    values, unknown = _planned(document, 'module.region["westeurope"].azurerm_firewall.fw')
    placeholder = (
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-anycast-vwan/providers/Microsoft.Network"
    )
    values["ip_configuration"][0]["subnet_id"] = f"{placeholder}/virtualNetworks/transit-02/subnets/AzureFirewallSubnet"
    del unknown["ip_configuration"][0]["subnet_id"]
    plan = _write_plan(tmp_path, document)
    run = run_cli("scan", str(plan), "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"))
    messages = [(f["code"], f["message"]) for f in json.loads(run.stdout)["findings"]]
    assert (
        "AC202",
        "static route 'anycast-dns' on 'conn-transit-01' sends 10.13.76.0/24 to the private IP of Azure Firewall "
        "'azfw-transit-01', which is not in transit 'transit-01': the hub cannot deliver it to 'dns-01' there. Use a "
        "forwarder in 'transit-01'",
    ) in messages


def test_a_peering_to_an_existing_vnet_read_through_a_data_source_is_connected(tmp_path: Path) -> None:
    """The hub lives in another state: the spoke refers to it through `data.azurerm_virtual_network.hub`.
    Its reverse peering is outside the plan, so the plan does not make the peering Initiated."""
    hub_id = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/hub-01"
    document = {
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"address": "azurerm_virtual_network.spoke", "mode": "managed", "type": "azurerm_virtual_network",
             "name": "spoke", "values": {"name": "spoke-01", "resource_group_name": "rg-spoke", "location": "westeurope",
                                         "address_space": ["10.60.0.0/24"]}},
            {"address": "azurerm_virtual_network_peering.to_hub", "mode": "managed",
             "type": "azurerm_virtual_network_peering", "name": "to_hub",
             "values": {"name": "spoke-01-to-hub-01", "resource_group_name": "rg-spoke",
                        "virtual_network_name": "spoke-01", "use_remote_gateways": True}},
        ]}},
        "resource_changes": [{"address": "azurerm_virtual_network_peering.to_hub",
                              "change": {"actions": ["create"], "after_unknown": {"remote_virtual_network_id": True}}}],
        "prior_state": {"values": {"root_module": {"resources": [
            {"address": "data.azurerm_virtual_network.hub", "mode": "data", "type": "azurerm_virtual_network",
             "name": "hub", "values": {"name": "hub-01", "id": hub_id}}]}}},
        "configuration": {"root_module": {"resources": [
            {"address": "azurerm_virtual_network_peering.to_hub", "mode": "managed",
             "type": "azurerm_virtual_network_peering", "name": "to_hub", "expressions": {
                 "remote_virtual_network_id": {"references": ["data.azurerm_virtual_network.hub.id",
                                                              "data.azurerm_virtual_network.hub"]}}}]}},
    }  # fmt: skip
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(document), encoding="utf-8")
    (vnet,) = load_inputs([str(plan)]).topology.virtual_networks.values()
    (peering,) = vnet.peerings
    assert peering.remote_vnet_id == hub_id and peering.connected and peering.use_remote_gateways


def test_secured_hub_route_tables_nat_and_resolver_endpoints(tmp_path: Path) -> None:
    """The other mapped types: a hub firewall and hub route tables (inline and separate routes) whose next
    hop is that firewall, a NAT gateway association and a resolver outbound endpoint."""
    hub = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-vwan/providers/Microsoft.Network/virtualHubs/hub-01"
    plan = BUILD.Plan()
    plan.add(
        BUILD.Res(
            (),
            "azurerm_virtual_hub",
            "hub",
            {
                "name": "hub-01",
                "location": "westeurope",
                "resource_group_name": "rg-vwan",
                "address_prefix": "192.168.128.0/23",
                "id": hub,
            },
            action="no-op",
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_firewall",
            "hub",
            {
                "name": "azfw-hub-01",
                "location": "westeurope",
                "resource_group_name": "rg-vwan",
                "sku_name": "AZFW_Hub",
                "ip_configuration": [],
                "virtual_hub": [{"virtual_hub_id": hub, "public_ip_count": 1, "private_ip_address": None}],
                "id": None,
            },
            unknown=[("id",), ("virtual_hub", 0, "private_ip_address")],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_virtual_hub_route_table",
            "spokes",
            {
                "name": "rt-spokes",
                "virtual_hub_id": hub,
                "labels": ["spokes"],
                "route": [
                    {
                        "name": "to-fw",
                        "destinations": ["10.0.0.0/8"],
                        "destinations_type": "CIDR",
                        "next_hop": None,
                        "next_hop_type": "ResourceId",
                    }
                ],
                "id": None,
            },
            refs={("route", 0, "next_hop"): ["azurerm_firewall.hub.id", "azurerm_firewall.hub"]},
            unknown=[("id",), ("route", 0, "next_hop")],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_virtual_hub_route_table_route",
            "default",
            {
                "name": "default-to-fw",
                "route_table_id": None,
                "destinations": ["0.0.0.0/0"],
                "destinations_type": "CIDR",
                "next_hop": None,
                "next_hop_type": "ResourceId",
                "id": None,
            },
            refs={
                ("route_table_id",): [
                    "azurerm_virtual_hub_route_table.spokes.id",
                    "azurerm_virtual_hub_route_table.spokes",
                ],
                ("next_hop",): ["azurerm_firewall.hub.id", "azurerm_firewall.hub"],
            },
            unknown=[("id",), ("route_table_id",), ("next_hop",)],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_virtual_network",
            "app",
            {
                "name": "app",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "address_space": ["10.70.0.0/24"],
                "id": None,
                "subnet": [
                    {"name": "snet-app", "address_prefixes": ["10.70.0.0/26"], "security_group": "", "id": None}
                ],
            },
            unknown=[("id",), ("subnet", 0, "id")],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_nat_gateway",
            "app",
            {
                "name": "ng-app",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "sku_name": "Standard",
                "id": None,
            },
            unknown=[("id",)],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_subnet_nat_gateway_association",
            "app",
            {"subnet_id": None, "nat_gateway_id": None},
            refs={("subnet_id",): ["azurerm_subnet.none.id"], ("nat_gateway_id",): ["azurerm_nat_gateway.app.id"]},
            unknown=[("subnet_id",), ("nat_gateway_id",)],
        )
    )
    plan.add(
        BUILD.Res(
            (),
            "azurerm_private_dns_resolver",
            "app",
            {
                "name": "dnspr-app",
                "location": "westeurope",
                "resource_group_name": "rg-app",
                "virtual_network_id": None,
                "id": None,
            },
            refs={("virtual_network_id",): ["azurerm_virtual_network.app.id", "azurerm_virtual_network.app"]},
            unknown=[("id",), ("virtual_network_id",)],
        )
    )
    plan.add(BUILD.Res((), "azurerm_private_dns_resolver_outbound_endpoint", "app", {
        "name": "outbound", "location": "westeurope", "private_dns_resolver_id": None, "subnet_id": None, "id": None},
        refs={("private_dns_resolver_id",): ["azurerm_private_dns_resolver.app.id"],
              ("subnet_id",): ["azurerm_virtual_network.app.subnet"]},
        unknown=[("id",), ("private_dns_resolver_id",), ("subnet_id",)]))  # fmt: skip
    topology = load_inputs([str(_write_plan(tmp_path, plan.document()))]).topology
    (firewall,) = topology.forwarders.values()
    assert firewall.hub_id == hub and firewall.sku == "AZFW_Hub" and firewall.unknown("private_ips") is not None
    table = topology.hub_route_tables[f"{hub}/hubRouteTables/rt-spokes"]
    assert table.labels == ("spokes",)
    assert [(r.name, r.destinations, r.next_hop) for r in table.routes] == [
        ("to-fw", ("10.0.0.0/8",), firewall.id),
        ("default-to-fw", ("0.0.0.0/0",), firewall.id),
    ]
    assert {t.name for t in topology.hub_route_tables.values()} == {"rt-spokes", "defaultRouteTable", "noneRouteTable"}
    (endpoint,) = topology.outbound_endpoints.values()
    (resolver,) = topology.dns_resolvers.values()
    assert endpoint.resolver_id == resolver.id and resolver.vnet_id is not None
    assert endpoint.subnet_id == f"{resolver.vnet_id}/subnets/snet-app"  # the VNet's only inline subnet
    (nat,) = topology.nat_gateways.values()
    assert nat.name == "ng-app"
    run = run_cli("scan", str(tmp_path / "plan.json"), "--format", "json")
    notes = [u["message"] for u in json.loads(run.stdout)["unknowns"]]
    assert (
        "azurerm_subnet_nat_gateway_association.app: subnet id is unknown: azurerm_subnet.none.id (known after apply)"
        in notes
    )
    assert "azurerm_subnet_nat_gateway_association.app is not applied to any subnet" in notes


def test_a_peering_without_its_reverse_in_the_plan_stays_initiated(tmp_path: Path) -> None:
    """Documented: a peering is Initiated until the remote VNet peers back. Dropping dns-01's peering to
    hub-01 leaves hub-01's peering to dns-01 Initiated, and dns-01 unadvertised (AC204)."""
    document = BUILD.hub_and_spoke()
    gone = 'module.spoke["hub-01"].azurerm_virtual_network_peering.dns_to_hub'
    for module in document["planned_values"]["root_module"]["child_modules"]:
        module["resources"] = [r for r in module["resources"] if r["address"] != gone]
    document["resource_changes"] = [c for c in document["resource_changes"] if c["address"] != gone]
    plan = _write_plan(tmp_path, document)
    topology = load_inputs([str(plan)]).topology
    states = {p.name: p.state for v in topology.virtual_networks.values() for p in v.peerings}
    assert states == {"hub-01-to-dns-01": "Initiated", "hub-02-to-dns-02": "Connected", "dns-02-to-hub-02": "Connected"}
    run = run_cli("scan", str(plan), "--format", "json", "--config", str(EXAMPLES / "anycast-lint.yaml"))
    assert ("AC204", "error", "dns-01") in _findings(run)


def _planned_resources(module: dict[str, Any]) -> list[dict[str, Any]]:
    """Every resource of a plan's planned_values module, child modules included."""
    found = list(module.get("resources", []))
    for child in module.get("child_modules", []):
        found += _planned_resources(child)
    return found


def test_bgp_community_and_fastpath_attributes_are_read(tmp_path: Path) -> None:
    """azurerm's `bgp_community` (on-premises view) and `express_route_gateway_bypass` (AC404)."""
    document = BUILD.hub_and_spoke()
    for resource in _planned_resources(document["planned_values"]["root_module"]):
        if resource["type"] == "azurerm_virtual_network" and resource["name"] == "dns":
            resource["values"]["bgp_community"] = "12076:20000"
        if resource["type"] == "azurerm_virtual_network_gateway_connection":
            resource["values"]["express_route_gateway_bypass"] = True
    plan = _write_plan(tmp_path, document)
    config = str(EXAMPLES / "anycast-lint.yaml")
    view = json.loads(run_cli("simulate", str(plan), "--from", "onprem", "--format", "json", "--config", config).stdout)
    routes = view["services"][0]["sites"][0]["routes"]
    assert routes[0]["communities"][0] == "12076:20000" and len(routes[0]["communities"]) == 2
    run = run_cli("scan", str(plan), "--select", "AC404", "--format", "json", "--config", config)
    assert {f["code"] for f in json.loads(run.stdout)["findings"]} == {"AC404"}

"""Hostile and malformed input (issue 14): every case the fuzzing campaign found is a one-line input error
with file:line:col and what was expected (exit 2), or a correct reading — never an internal error, never
a malformed value silently read as clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from anycast_lint.inputs.loader import load_inputs
from conftest import FIXTURES, HEADER, RULE_FIXTURES, line_of, run_cli
from test_fixes import apply_sarif

NET = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Network"
TABLE_HEADER = (
    "LocPrf    Network           NextHop          Path               Weight\n"
    "--------  ----------------  ---------------  -----------------  --------\n"
)
ROW = "100       10.13.76.0/24     192.168.130.12*  65515              0\n"


def _resource(kind: str, name: str, properties: dict[str, Any]) -> dict[str, Any]:
    """`kind` is the id's type path (`virtualHubs/h/hubRouteTables`); the type is told by the id."""
    return {"id": f"{NET}/{kind}/{name}", "properties": properties}


def _vnet(prefix: str) -> dict[str, Any]:
    return {**_resource("virtualNetworks", "v", {"addressSpace": {"addressPrefixes": [prefix]}}), "location": "x"}


def _nsg(prefix: str) -> dict[str, Any]:
    rule = {
        "name": "deny",
        "properties": {
            "direction": "Outbound",
            "access": "Deny",
            "priority": 100,
            "protocol": "*",
            "sourceAddressPrefix": "*",
            "destinationAddressPrefix": prefix,
            "destinationPortRange": "*",
        },
    }
    return _resource("networkSecurityGroups", "n", {"securityRules": [rule]})


# (name, ARM resource, needle on the reported line, message fragment, JSON path)
ARM_CASES = [
    (
        "nic-ip-configurations",
        _resource("networkInterfaces", "nic", {"ipConfigurations": ["x"]}),
        '"x"',
        'expected an object, got a string "x"',
        "$.properties.ipConfigurations[0]",
    ),
    (
        "inbound-endpoint-ip-configurations",
        _resource("dnsResolvers/r/inboundEndpoints", "in", {"ipConfigurations": ["x"]}),
        '"x"',
        'expected an object, got a string "x"',
        "$.properties.ipConfigurations[0]",
    ),
    (
        "hub-route-table-routes",
        _resource("virtualHubs/h/hubRouteTables", "t", {"routes": ["x"]}),
        '"x"',
        'expected an object, got a string "x"',
        "$.properties.routes[0]",
    ),
    (
        "static-routes",
        _resource(
            "virtualHubs/h/hubVirtualNetworkConnections",
            "c",
            {"routingConfiguration": {"vnetRoutes": {"staticRoutes": ["x"]}}},
        ),
        '"x"',
        'expected an object, got a string "x"',
        "$.properties.routingConfiguration.vnetRoutes.staticRoutes[0]",
    ),
    (
        "address-space-not-an-object",
        _resource("virtualNetworks", "v", {"addressSpace": "10.0.0.0/24"}),
        '"addressSpace"',
        'expected an object, got a string "10.0.0.0/24"',
        "$.properties.addressSpace",
    ),
    (
        "ipam-allocations-not-a-list",
        _resource("virtualNetworks", "v", {"addressSpace": {"ipamPoolPrefixAllocations": "ab"}}),
        '"ipamPoolPrefixAllocations"',
        'expected a list, got a string "ab"',
        "$.properties.addressSpace.ipamPoolPrefixAllocations",
    ),
    (
        "properties-not-an-object",
        _resource("virtualNetworks", "v", {}) | {"properties": ["x"]},
        '"properties"',
        "expected an object, got a list",
        "$.properties",
    ),
    (
        "subnets-not-objects",
        _resource("virtualNetworks", "v", {"addressSpace": {"addressPrefixes": ["10.0.0.0/24"]}, "subnets": [4242]}),
        "4242",
        "expected an object, got a number 4242",
        "$.properties.subnets[0]",
    ),
    (
        "reference-not-an-id",
        _resource("virtualNetworks/v/virtualNetworkPeerings", "p", {"remoteVirtualNetwork": ["x"]}),
        '"remoteVirtualNetwork"',
        'expected a reference ({"id": "/subscriptions/..."}) or a resource id, got a list',
        "$.properties.remoteVirtualNetwork",
    ),
    (
        "tags-not-an-object",
        _vnet("10.0.0.0/24") | {"tags": "anycast-service=dns"},
        '"tags"',
        'expected an object, got a string "anycast-service=dns"',
        "$.tags",
    ),
    (
        "arabic-indic-prefix",
        _vnet("١٠.0.0.0/٢٤"),
        "١٠",
        "expected a prefix like 10.13.76.0/24, got '١٠.0.0.0/٢٤'",
        "$.properties.addressSpace.addressPrefixes[0]",
    ),
    (
        "superscript-asn",
        _resource("virtualNetworkGateways", "g", {"bgpSettings": {"asn": "6551²"}}),
        '"asn"',
        "expected an AS number (1-4294967295), got '6551²'",
        "$.properties.bgpSettings.asn",
    ),
    (
        "nsg-prefix-neither-cidr-nor-tag",
        _nsg("172.16.0.0/12/12"),
        "172.16.0.0/12/12",
        "expected an address, a CIDR prefix like 10.13.76.0/24, '*' or a service tag, got '172.16.0.0/12/12'",
        "$.properties.securityRules[0].properties.destinationAddressPrefix",
    ),
    (
        "route-prefix-malformed",
        _resource(
            "routeTables",
            "rt",
            {"routes": [{"name": "r", "properties": {"addressPrefix": "10.0.0.0/8/8", "nextHopType": "None"}}]},
        ),
        "10.0.0.0/8/8",
        "expected a prefix like 10.13.76.0/24, got '10.0.0.0/8/8'",
        "$.properties.routes[0].properties.addressPrefix",
    ),
]


@pytest.mark.parametrize(
    ("resource", "needle", "fragment", "json_path"),
    [case[1:] for case in ARM_CASES],
    ids=[case[0] for case in ARM_CASES],
)
def test_malformed_arm_shapes_are_located_input_errors(
    tmp_path: Path, resource: dict[str, Any], needle: str, fragment: str, json_path: str
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"value": [resource]}, indent=2, ensure_ascii=False), encoding="utf-8")
    run = run_cli("scan", "export.json", cwd=tmp_path)
    assert run.exit_code == 2, run.stdout + run.stderr
    line = line_of(path, needle)
    assert run.stderr.startswith(f"anycast-lint: error: export.json:{line}:"), run.stderr
    assert fragment in run.stderr and f"(at {json_path.replace('$', '$.value[0]', 1)})" in run.stderr
    assert "internal error" not in run.stderr and len(run.stderr.splitlines()) == 1


def test_service_tags_and_addresses_in_nsg_rules_are_still_read(tmp_path: Path) -> None:
    """The check rejects the malformed, not the unusual: tags with a region, IPv6, single addresses."""
    rules = [
        {"name": f"r{i}", "properties": _nsg(prefix)["properties"]["securityRules"][0]["properties"] | {"priority": i}}
        for i, prefix in enumerate(["AzureCloud.WestEurope", "VirtualNetwork", "fd00::/8", "10.1.2.3", "*"], 100)
    ]
    nsg = _resource("networkSecurityGroups", "n", {"securityRules": rules})
    (tmp_path / "nsg.json").write_text(json.dumps([nsg]), encoding="utf-8")
    assert run_cli("scan", "nsg.json", cwd=tmp_path).exit_code == 0


NATIVE_CASES = [
    (
        "arabic-indic-prefix",
        "virtualNetworks:\n  - name: a\n    region: westeurope\n    addressSpace: ['١٠.0.0.0/٢٤']\n",
        "6:20",
        "expected a prefix like 10.13.76.0/24, got '١٠.0.0.0/٢٤'",
    ),
    (
        "huge-integer",
        "virtualNetworks:\n  - name: a\n    region: " + "9" * 5000 + "\n    addressSpace: [10.0.0.0/24]\n",
        "5:13",
        "number has more than 4,300 digits",
    ),
    (
        "huge-hex-integer",
        "virtualNetworks:\n  - name: a\n    region: 0x" + "f" * 5000 + "\n    addressSpace: [10.0.0.0/24]\n",
        "5:13",
        "number has more than 4,300 digits",
    ),
    (
        "nsg-prefix-neither-cidr-nor-tag",
        "networkSecurityGroups:\n  - name: n\n    region: westeurope\n    securityRules:\n"
        "      - {name: d, direction: Outbound, access: Deny, priority: 100, protocol: '*',\n"
        "         destinationAddressPrefixes: [10.0.0.0/8, 172.16.0.0/12/12]}\n",
        "8:51",
        "expected an address, a CIDR prefix like 10.13.76.0/24, '*' or a service tag, got '172.16.0.0/12/12'",
    ),
]


@pytest.mark.parametrize(
    ("body", "where", "fragment"), [case[1:] for case in NATIVE_CASES], ids=[case[0] for case in NATIVE_CASES]
)
def test_native_numbers_and_prefixes(tmp_path: Path, body: str, where: str, fragment: str) -> None:
    (tmp_path / "topology.yaml").write_text(HEADER + body, encoding="utf-8")
    run = run_cli("scan", "topology.yaml", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"anycast-lint: error: topology.yaml:{where}: "), run.stderr
    assert fragment in run.stderr and "internal error" not in run.stderr


def test_huge_integer_in_json_is_located(tmp_path: Path) -> None:
    text = '{"value": [\n  {"id": "' + NET + '/virtualNetworks/v",\n   "tags": {"n": ' + "7" * 4301 + "}}]}"
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    run = run_cli("scan", "export.json", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith("anycast-lint: error: export.json:3:18: number has more than 4,300 digits")


ROUTE_TABLE_CASES = [
    (
        "row-after-blank-line",
        "az network express-route list-route-tables -g rg -n c --path primary\n"
        + TABLE_HEADER
        + ROW
        + "\n100 zzz.not.an.ip* banana\n",
        "6:1",
        "expected a route row (LocPrf Network NextHop Path Weight), got '100 zzz.not.an.ip* banana'",
    ),
    (
        "superscript-weight",
        TABLE_HEADER + ROW.replace("              0", "              ²"),
        "3:1",
        "expected a number, got '²'",
    ),
    (
        "arabic-indic-path",
        TABLE_HEADER + ROW.replace("65515", "٦٥٥١٥"),
        "3:1",
        "expected an AS path like '65515 11111', got '٦٥٥١٥'",
    ),
    (
        "as-path-over-the-cap",
        TABLE_HEADER + ROW.replace("65515            ", "65515 " + "1 " * 1500),
        "3:2050",
        "AS path longer than 1,000 ASNs (expected a path a BGP router accepts: maxas-limit defaults are 75 to 300)",
    ),
    (
        "arabic-indic-network",
        TABLE_HEADER + ROW.replace("10.13.76.0/24", "١٠.13.76.0/٢٤"),
        "3:1",
        "expected a prefix like 10.13.76.0/24, got '١٠.13.76.0/٢٤'",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [case[1:] for case in ROUTE_TABLE_CASES],
    ids=[case[0] for case in ROUTE_TABLE_CASES],
)
def test_route_table_text_errors(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    (tmp_path / "table.txt").write_text(text, encoding="utf-8")
    run = run_cli("scan", "table.txt", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"anycast-lint: error: table.txt:{where}: {fragment}"), run.stderr


def test_rows_after_a_blank_line_are_read(tmp_path: Path) -> None:
    second = ROW.replace("192.168.130.12*", "192.168.128.12 ").replace("65515   ", "65515 1 ")
    (tmp_path / "table.txt").write_text(TABLE_HEADER + ROW + "\n" + second + "\nSome prose after.\n", encoding="utf-8")
    (table,) = load_inputs([str(tmp_path / "table.txt")]).topology.observed_route_tables
    assert [(str(r.next_hop), r.as_path) for r in table.routes] == [
        ("192.168.130.12", (65515,)),
        ("192.168.128.12", (65515, 1)),
    ]


def test_bare_command_line_is_read(tmp_path: Path) -> None:
    (tmp_path / "table.txt").write_text(
        "az network express-route list-route-tables\n" + TABLE_HEADER + ROW, encoding="utf-8"
    )
    run = run_cli("scan", "table.txt", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert "internal error" not in run.stderr


@pytest.mark.parametrize("parameters", ["x", 1, ["circuitName"]])
def test_rest_example_with_non_object_parameters(tmp_path: Path, parameters: Any) -> None:
    row = {"network": "10.13.76.0/24", "nextHop": "192.168.130.12", "locPrf": "100", "weight": 0, "path": "65515"}
    example = {"parameters": parameters, "responses": {"200": {"body": {"value": [row]}}}}
    (tmp_path / "example.json").write_text(json.dumps(example), encoding="utf-8")
    run = run_cli("scan", "example.json", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith("anycast-lint: error: example.json:1:16: expected an object of request parameters")


def test_terraform_nsg_prefix_neither_cidr_nor_tag(tmp_path: Path) -> None:
    """The same check in a Terraform plan: the address is an error at its line in the plan."""
    text = (FIXTURES / "terraform" / "hub-and-spoke.plan.json").read_text(encoding="utf-8")
    broken = text.replace(
        '"destination_address_prefix": "10.13.76.4"', '"destination_address_prefix": "172.16.0.0/12/12"'
    )
    assert broken != text
    path = tmp_path / "plan.json"
    path.write_text(broken, encoding="utf-8")
    run = run_cli("scan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2
    line = line_of(path, '"172.16.0.0/12/12"')
    assert run.stderr.startswith(f"anycast-lint: error: plan.json:{line}:")
    assert "expected an address, a CIDR prefix like 10.13.76.0/24, '*' or a service tag, got '172.16.0.0/12/12'" in (
        run.stderr
    )


# Found by `make fuzz` (10,000 inputs per loader): a route map's AS path to match was taken as text and turned
# into numbers only when routes were matched, an internal error; it is now checked as AS numbers where it is read.
def test_route_map_criterion_as_path_is_checked_where_read_in_an_export(tmp_path: Path) -> None:
    criterion = {"matchCondition": "Contains", "asPath": ["65001", "[]"]}
    route_map = _resource(
        "virtualHubs/h/routeMaps", "rm", {"rules": [{"name": "r", "matchCriteria": [criterion], "actions": []}]}
    )
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"value": [route_map]}, indent=2), encoding="utf-8")
    run = run_cli("scan", "export.json", cwd=tmp_path)
    assert run.exit_code == 2 and "internal error" not in run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: export.json:{line_of(path, '[]')}:")
    assert "expected an AS number (1-4294967295), got '[]'" in run.stderr


def test_route_map_criterion_as_path_is_checked_where_read_in_a_plan(tmp_path: Path) -> None:
    text = (FIXTURES / "terraform" / "vwan-indirect-spokes.plan.json").read_text(encoding="utf-8")
    broken = text.replace('"as_path": [],', '"as_path": ["6551x"],', 1)
    assert broken != text
    path = tmp_path / "plan.json"
    path.write_text(broken, encoding="utf-8")
    run = run_cli("scan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2 and "internal error" not in run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: plan.json:{line_of(path, '6551x')}:")
    assert "expected an AS number (1-4294967295), got '6551x'" in run.stderr


def _vnet_template(name: str, prefix: str = "10.1.0.0/24") -> dict[str, Any]:
    """A template declaring one VNet, its name and address prefix as given (values or expressions)."""
    vnet = {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2023-09-01",
        "name": name,
        "location": "westeurope",
        "properties": {"addressSpace": {"addressPrefixes": [prefix]}},
    }
    schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
    return {"$schema": schema, "contentVersion": "1.0.0.0", "resources": [vnet]}


def test_a_template_name_that_evaluates_to_a_list_with_unknowns_is_an_unknown_name(tmp_path: Path) -> None:
    """Also from `make fuzz`: the message about a name that is no string printed the value as JSON, and an
    unknown inside it (a `reference()`) could not be printed."""
    template = _vnet_template("[createArray(reference('azfw').ipConfigurations[0].properties.privateIPAddress)]")
    (tmp_path / "template.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "template.json", "--format", "json", "-v", cwd=tmp_path)
    assert run.exit_code in (0, 1) and "internal error" not in run.stderr
    assert "the name evaluates to a list, not a string" in run.stdout + run.stderr


def test_a_line_break_inside_a_value_does_not_break_the_one_line_error(tmp_path: Path) -> None:
    """From `make fuzz`: a resource type holding a line break printed the error on two lines."""
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [{"type": "Microsoft.Network/\nvirtualNetworks/subnets", "apiVersion": "2023-09-01", "name": "x"}],
    }
    (tmp_path / "template.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "template.json", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert "type Microsoft.Network/\\nvirtualNetworks/subnets needs 2" in run.stderr


@pytest.mark.parametrize(
    "expression",
    [
        "[cidrSubnet('10.0.0.0/16', true(), 1)]",
        "[cidrHost('10.0.0.0/24', true())]",
        "[string(mul(2, true()))]",
        "[cidrSubnet(true(), 24, 1)]",
        "[string(parseCidr(true()))]",
    ],
)
def test_a_boolean_is_no_integer_in_template_functions(tmp_path: Path, expression: str) -> None:
    """From `make fuzz` (a deprecation warning inside ipaddress): `true()` passed where ARM takes an integer
    was read as 1; ARM refuses it, and so does the evaluation, at the expression's line."""
    template = _vnet_template("v", expression)
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "template.json", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: template.json:{line_of(path, 'true()')}:")
    assert "takes integers, and a boolean is not one" in run.stderr or "takes a CIDR string" in run.stderr


# Issue 24, from the fuzzing campaign on mutated Terraform plans and the fixes layer.


def test_members_announcing_unrelated_prefixes_of_one_length_are_no_longest_match_case(tmp_path: Path) -> None:
    """AC103 took the first shorter prefix for granted (an internal error in every format): members without
    a VIP announcing prefixes of one length that do not nest give no member a longest-match win."""
    body = "".join(
        f"  - name: {name}\n    region: {region}\n    addressSpace: [{prefix}]\n    tags: {{anycast-service: dns}}\n"
        for name, region, prefix in [("a", "westeurope", "10.0.0.0/24"), ("b", "northeurope", "10.0.1.0/24")]
    )
    (tmp_path / "topology.yaml").write_text(HEADER + "virtualNetworks:\n" + body, encoding="utf-8")
    for format_name in ("text", "sarif", "json"):
        run = run_cli("scan", "topology.yaml", "--format", format_name, cwd=tmp_path)
        assert run.exit_code == 1 and "internal error" not in run.stderr, run.stderr
    codes = {finding["code"] for finding in json.loads(run.stdout)["findings"]}
    assert "AC104" in codes and "AC103" not in codes  # AC104 says what is wrong here: no VIP


def test_a_sarif_fix_appending_to_the_list_that_ends_a_yaml_file_without_a_newline(tmp_path: Path) -> None:
    """libyaml ends a node that closes the file without a final newline on the line after the last; the SARIF
    fix builder took that position as a line of the file (IndexError). The fix now lands after the last
    character, and applying it clears the finding."""
    design = yaml.safe_load((RULE_FIXTURES / "AC403" / "bad.yaml").read_text(encoding="utf-8"))
    groups = design.pop("networkSecurityGroups")
    design["networkSecurityGroups"] = sorted(groups, key=lambda nsg: len(nsg["securityRules"]), reverse=True)
    assert len(design["networkSecurityGroups"][-1]["securityRules"]) == 1  # the one without the Deny, last
    text = yaml.safe_dump(design, sort_keys=False).rstrip("\n")
    (tmp_path / "bad.yaml").write_text(text, encoding="utf-8")
    config = (RULE_FIXTURES / "AC403" / "anycast-lint.yaml").read_text(encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config.split("designs:")[0], encoding="utf-8")
    run = run_cli("scan", "bad.yaml", "--select", "AC403", "--format", "sarif", cwd=tmp_path)
    assert run.exit_code == 0 and "internal error" not in run.stderr, run.stderr
    (result,) = json.loads(run.stdout)["runs"][0]["results"]
    (replacement,) = result["fixes"][0]["artifactChanges"][0]["replacements"]
    lines = text.split("\n")
    assert replacement["deletedRegion"]["startLine"] == len(lines)
    assert replacement["deletedRegion"]["startColumn"] == len(lines[-1]) + 1
    (tmp_path / "bad.yaml").write_text(apply_sarif(text, [replacement]), encoding="utf-8")
    after = run_cli("scan", "bad.yaml", "--select", "AC403", "--format", "json", cwd=tmp_path)
    assert after.exit_code == 0 and json.loads(after.stdout)["findings"] == []


def test_a_plan_format_version_of_5000_digits_is_unsupported_not_an_internal_error(tmp_path: Path) -> None:
    plan = json.loads((FIXTURES / "terraform" / "hub-and-spoke.plan.json").read_text(encoding="utf-8"))
    plan["format_version"] = "1." + "9" * 5000
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    run = run_cli("scan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: plan.json:{line_of(path, 'format_version')}:")
    assert "Terraform plan: format_version '1.9999" in run.stderr and "is not supported (expected 0.1 to 1.x" in (
        run.stderr
    )


def test_aliases_may_not_multiply_a_small_file_into_a_large_design(tmp_path: Path) -> None:
    """300 VNets sharing one list of 1,000 prefixes through an alias: 35 KB of text, 300,000 prefixes to check
    (minutes, gigabytes). Aliases may repeat as many values as the text writes, plus 100,000."""
    space = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(1000))
    lines = ["virtualNetworks:", f"  - {{name: v0, region: westeurope, addressSpace: &shared [{space}]}}"]
    lines += [f"  - {{name: v{i}, region: westeurope, addressSpace: *shared}}" for i in range(1, 300)]
    (tmp_path / "topology.yaml").write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    run = run_cli("scan", "topology.yaml", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith("anycast-lint: error: topology.yaml:4:")
    assert "aliases repeat more than 100,000 values beyond what the text writes" in run.stderr


def test_a_fix_shared_by_several_findings_is_written_once_in_json(tmp_path: Path) -> None:
    """AC105 renumbers a member's prefixes that overlap on-premises ranges in one fix, shared by their
    findings: JSON writes it on the first and names that finding on the others (`sameAs`), so the report does
    not grow with findings times address space."""
    body = (
        "virtualNetworks:\n  - name: a\n    region: westeurope\n    addressSpace: [10.0.0.0/24, 10.0.1.0/24]\n"
        "    tags: {anycast-service: dns}\n"
    )
    (tmp_path / "topology.yaml").write_text(HEADER + body, encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text("onprem:\n  prefixes: [10.0.0.0/8]\n", encoding="utf-8")
    run = run_cli("scan", "topology.yaml", "--select", "AC105", "--format", "json", cwd=tmp_path)
    first, second = json.loads(run.stdout)["findings"]
    assert first["fix"]["az"].count("<anycast prefix unused on premises #") == 2
    assert second["fix"] == {
        "description": first["fix"]["description"],
        "az": None,
        "terraform": None,
        "arm": None,
        "sameAs": first["fingerprint"],
    }
    assert "renumber 'a' from 10.0.0.0/24, 10.0.1.0/24 (they overlap on-premises ranges)" in first["fix"]["description"]
    text = run_cli("scan", "topology.yaml", "--select", "AC105", "--show-fixes", cwd=tmp_path).stdout
    assert text.count("      az:") == 1 and text.count("    fix: the one under topology.yaml:6:20 above") == 1, text


def test_a_plan_resource_of_unknown_mode_is_an_error_naming_its_address(tmp_path: Path) -> None:
    """Neither `managed` nor `data`: the resource was neither read nor counted (exit 0, dropped silently)."""
    text = (FIXTURES / "terraform" / "hub-and-spoke.plan.json").read_text(encoding="utf-8")
    broken = text.replace('"mode": "managed"', '"mode": "manged"', 1)
    assert broken != text
    path = tmp_path / "plan.json"
    path.write_text(broken, encoding="utf-8")
    run = run_cli("scan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: plan.json:{line_of(path, 'manged')}:")
    assert ": mode 'manged' is neither 'managed' nor 'data'" in run.stderr
    assert "Terraform plan: azurerm_" in run.stderr  # the address of the resource


def test_route_documents_no_rule_reads_are_checked_on_read(tmp_path: Path) -> None:
    """A virtual hub's inbound routes (`az network vhub connection get-inbound-routes`): no rule reads them,
    and any text was taken as a prefix; now a located error like everywhere else."""
    rows = [
        {"asPath": "65520-65520", "bgpCommunities": "4293853166,12076,51004", "prefix": "192.168.50.0/24"},
        {"asPath": "65520-12076", "bgpCommunities": "12076", "prefix": "banana"},
    ]
    path = tmp_path / "inbound.json"
    path.write_text(json.dumps({"value": rows}, indent=2), encoding="utf-8")
    run = run_cli("scan", "inbound.json", cwd=tmp_path)
    assert run.exit_code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert run.stderr.startswith(f"anycast-lint: error: inbound.json:{line_of(path, 'banana')}:")
    assert "expected a prefix like 10.13.76.0/24, got 'banana' (at $.value[1].prefix)" in run.stderr


@pytest.mark.parametrize(
    "kind",
    ["Microsoft.Network/virtualNetwork", "Microsoft.Nmtwork/virtualNetworks"],
)
def test_a_misspelt_network_type_is_said_in_the_default_output(tmp_path: Path, kind: str) -> None:
    """Beside real resources, a resource of a misspelt type was only counted among the ignored (`-v`); a
    type we know and ignore (a public IP) still says nothing."""
    typo = {"id": f"/subscriptions/s/resourceGroups/rg/providers/{kind}/w", "type": kind, "properties": {}}
    public_ip = _resource("publicIPAddresses", "pip", {}) | {"type": "Microsoft.Network/publicIPAddresses"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"value": [_vnet("10.0.0.0/24"), typo, public_ip]}, indent=2), encoding="utf-8")
    run = run_cli("scan", "export.json", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    (note,) = [line for line in run.stdout.splitlines() if "not an Azure network type" in line]
    line = line_of(path, f'"/subscriptions/s/resourceGroups/rg/providers/{kind}/w"') - 1  # the object's "{"
    assert note.startswith(f"export.json:{line}:") and f"unknown: resource type '{kind}'" in note
    assert note.endswith("did you mean 'Microsoft.Network/virtualNetworks'?")
    assert "publicIPAddresses" not in run.stdout

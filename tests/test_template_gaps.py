"""Templates: nothing unread is silent (issue 20).

What a template leaves unevaluated is said, never read as empty or refused whole: a child list given as an
expression (AC001 note and an unknown of its parent), a loop in a module parameter (evaluated, as ARM
does), a child whose name is unknown (read under a placeholder), an unknown copy count (AC001 note), parts
switched off by conditions (counted in the text summary, listed with -v). The fixtures in
`fixtures/templates/gaps/` are our own, in the shapes Mission Landing Zone and AVM modules compile to.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.topology import VirtualNetwork
from anycast_lint.sources.arm.expressions import Context, Scope, evaluate
from conftest import FIXTURES, line_of, run_cli

GAPS = FIXTURES / "templates" / "gaps"
CHILD_LISTS = GAPS / "child-lists.json"
MODULE_LOOP = GAPS / "module-parameter-loop.json"
CHILD_NAMES = GAPS / "child-names.json"
COPY_COUNT = GAPS / "copy-count.json"
SWITCHED_OFF = GAPS / "switched-off.json"


def _json_scan(*args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("scan", *args, "--format", "json")
    return run.exit_code, json.loads(run.stdout)


def _ac001(report: dict[str, Any]) -> list[tuple[int, str]]:
    return sorted((f["line"], f["message"]) for f in report["findings"] if f["code"] == "AC001")


def _vnets(path: str, *parameters: str) -> dict[str, VirtualNetwork]:
    topology = load_inputs([path], LoadOptions.of(parameters)).topology
    return {v.name: v for v in topology.virtual_networks.values()}


def _line(text: str) -> int:
    return line_of(CHILD_LISTS, text)


# -- 1. child lists given as an expression that cannot be evaluated --------------------------------------


def test_unevaluable_child_lists_are_ac001_notes_and_unknowns_of_their_parent() -> None:
    """`"subnets": "[parameters('subnets')]"` without a value was read as no subnets, silently."""
    code, report = _json_scan(str(CHILD_LISTS))
    assert code == 0  # notes: the rest of the template was read and checked
    notes = _ac001(report)
    assert {f["level"] for f in report["findings"]} == {"note"}
    assert [(n, m.split(" not read: ")[0]) for n, m in notes] == [
        (
            _line('"subnets": "[parameters(\'subnets\')]"'),
            "subnets of Microsoft.Network/virtualNetworks 'spoke-dns-01'",
        ),
        (
            _line('"virtualNetworkPeerings": "[parameters(\'peerings\')]"'),
            "virtualNetworkPeerings of Microsoft.Network/virtualNetworks 'spoke-dns-01'",
        ),
        (_line('"routes": "[parameters(\'routes\')]"'), "routes of Microsoft.Network/routeTables 'rt-dns-01'"),
        (
            _line('"securityRules": "[parameters(\'securityRules\')]"'),
            "securityRules of Microsoft.Network/networkSecurityGroups 'nsg-dns-01'",
        ),
        (
            _line("\"[parameters('extraRule')]\""),
            "securityRules of Microsoft.Network/networkSecurityGroups 'nsg-dns-02'",
        ),
        (
            _line('"expressRouteConnections": "[parameters(\'erConnections\')]"'),
            "expressRouteConnections of Microsoft.Network/expressRouteGateways 'ergw-hub-weu'",
        ),
    ]
    subnets = notes[0][1]
    assert "the list cannot be evaluated: [parameters('subnets')] (parameter 'subnets' has no value" in subnets
    assert "item 1 cannot be evaluated: [parameters('extraRule')]" in notes[4][1]
    assert report["summary"]["templates"]["partsNotRead"] == 6

    text = run_cli("scan", str(CHILD_LISTS))
    assert (
        f"child-lists.json:{notes[0][0]}:20: unknown: virtual network 'spoke-dns-01': subnets "
        "is unknown: [parameters('subnets')]" in text.stdout
    )
    for parent in (
        "virtual network 'spoke-dns-01': peerings is unknown",
        "route table 'rt-dns-01': routes is unknown",
        "network security group 'nsg-dns-01': security rules is unknown",
        "network security group 'nsg-dns-02': security rules is unknown: item 1 cannot be evaluated",
        "ExpressRoute gateway 'ergw-hub-weu': connections is unknown",
    ):
        assert f"unknown: {parent}" in text.stdout
    assert "6 values could not be evaluated (listed as unknown). Templates: 5 network resources read, 6 parts not " in (
        text.stdout
    )


def test_child_lists_given_their_values_are_read_and_an_empty_list_is_no_gap() -> None:
    parameters = GAPS / "child-lists.parameters.json"
    code, report = _json_scan(str(CHILD_LISTS), "--parameters", str(parameters))
    assert (code, _ac001(report), report["unknowns"]) == (0, [], [])  # securityRules: [] is known to be empty
    loaded = load_inputs([str(CHILD_LISTS)], LoadOptions.of([str(parameters)]))
    (vnet,) = loaded.topology.virtual_networks.values()
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in vnet.subnets] == [
        ("snet-dns-inbound", ["10.13.76.0/28"])
    ]
    assert [(p.name, p.use_remote_gateways) for p in vnet.peerings] == [("to-hub", True)]
    rules = {n.name: [r.name for r in n.rules] for n in loaded.topology.network_security_groups.values()}
    assert rules == {"nsg-dns-01": [], "nsg-dns-02": ["deny-outbound-private", "allow-dns-in"]}


# -- 2. a Bicep loop inside a module parameter ---------------------------------------------------------------


def test_a_loop_in_a_module_parameter_is_evaluated() -> None:
    """`"parameters": {"subnets": {"copy": [{"name": "value", ...}]}}` was "a key vault reference"."""
    vnets = _vnets(str(MODULE_LOOP))
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in vnets["dns-01"].subnets] == [
        ("snet-0", ["10.13.76.0/28"]),
        ("snet-1", ["10.13.76.64/28"]),
    ]
    code, report = _json_scan(str(MODULE_LOOP))
    assert code == 0
    # dns-02 loops over a required parameter without value: its subnets are a part not read, for that reason
    ((_, message),) = _ac001(report)
    assert message.startswith("subnets of Microsoft.Network/virtualNetworks 'dns-02' not read: the list cannot be ")
    assert "copy count [length(parameters('subnets'))] (parameter 'dns02Prefixes' has no value" in message
    assert "key vault" not in json.dumps(report)


def test_a_module_parameter_loop_given_its_values(tmp_path: Path) -> None:
    parameters = tmp_path / "p.json"
    parameters.write_text(
        json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "parameters": {"dns02Prefixes": {"value": ["10.13.76.128/28"]}},
            }
        ),
        encoding="utf-8",
    )
    code, report = _json_scan(str(MODULE_LOOP), "--parameters", str(parameters))
    assert (code, _ac001(report), report["unknowns"]) == (0, [], [])
    vnets = _vnets(str(MODULE_LOOP), str(parameters))
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in vnets["dns-02"].subnets] == [
        ("snet-0", ["10.13.76.128/28"])
    ]


def _module(tmp_path: Path, passed: Any) -> Path:
    """An outer template passing `passed` as the inner-scope module's `prefixes` (default: one /24)."""
    inner = {
        "contentVersion": "1.0.0.0",
        "parameters": {"prefixes": {"type": "array", "defaultValue": ["10.1.0.0/24"]}},
        "resources": [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2023-11-01",
                "name": "vnet-a",
                "location": "westeurope",
                "properties": {"addressSpace": {"addressPrefixes": "[parameters('prefixes')]"}},
            }
        ],
    }
    deployment = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": "module",
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {"prefixes": passed},
            "template": inner,
        },
    }
    path = tmp_path / "outer.json"
    path.write_text(json.dumps({"contentVersion": "1.0.0.0", "resources": [deployment]}, indent=2), encoding="utf-8")
    return path


def test_a_module_parameter_passed_as_an_object_without_value_takes_its_default(tmp_path: Path) -> None:
    """Bicep passes an optional module parameter as `[if(..., createObject('value', x), createObject())]`:
    `{}` passes nothing, and the module's default applies (it was read as an unknown key vault reference)."""
    vnets = _vnets(str(_module(tmp_path, "[createObject()]")))
    assert [str(p) for p in vnets["vnet-a"].address_prefixes] == ["10.1.0.0/24"]


def test_a_module_parameter_of_no_known_shape_is_a_located_error(tmp_path: Path) -> None:
    path = _module(tmp_path, {"values": ["10.2.0.0/24"]})
    run = run_cli("scan", str(path))
    assert run.exit_code == 2 and "Traceback" not in run.stderr
    line = line_of(path, '"prefixes": {')
    assert f"outer.json:{line}:23: " in run.stderr
    assert "a parameter a deployment passes needs 'value', 'copy' or 'reference'" in run.stderr


# -- 3. children whose name cannot be evaluated ------------------------------------------------------------------


def test_children_with_unknown_names_are_read_under_placeholders() -> None:
    """Mission Landing Zone names its hub subnet from a naming convention: the file was refused whole."""
    run = run_cli("scan", str(CHILD_NAMES))
    assert run.exit_code == 0, run.stderr
    subnet_line = line_of(CHILD_NAMES, '"name": "[replace(parameters(\'namingConvention\')')
    assert (
        f"child-names.json:{subnet_line}:21: unknown: Microsoft.Network/virtualNetworks/subnets name is unknown, read "
        "as 'unknown(resources[0].subnets[1])': [replace(parameters('namingConvention').subnet, '-token', '')] "
        "(parameter 'namingConvention' has no value" in run.stdout
    )
    # what is known of it is read, and its own unknowns name it by its placeholder
    assert "unknown: subnet 'hub-weu/unknown(resources[0].subnets[1])': route table id is unknown" in run.stdout
    assert "routes name is unknown, read as 'unknown(resources[1].routes[0])'" in run.stdout
    (hub,) = _vnets(str(CHILD_NAMES)).values()
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in hub.subnets] == [
        ("GatewaySubnet", ["10.0.0.0/27"]),
        ("unknown(resources[0].subnets[1])", ["10.0.1.0/24"]),
    ]


def test_children_named_by_parameters_read_under_their_names() -> None:
    parameters = GAPS / "child-names.parameters.json"
    (hub,) = _vnets(str(CHILD_NAMES), str(parameters)).values()
    assert [s.name for s in hub.subnets] == ["GatewaySubnet", "snet-hub"]
    assert hub.subnets[1].route_table_id is not None and hub.subnets[1].route_table_id.endswith("/rt-hub-weu")


def test_an_exported_child_without_id_or_name_is_still_refused(tmp_path: Path) -> None:
    """Only a name a template cannot evaluate gets a placeholder; an export missing both is malformed."""
    export = tmp_path / "export.json"
    vnet = {
        "id": "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/"
        "Microsoft.Network/virtualNetworks/hub",
        "name": "hub",
        "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"properties": {"addressPrefix": "10.0.0.0/24"}}],
        },
    }
    export.write_text(json.dumps([vnet], indent=2), encoding="utf-8")
    run = run_cli("scan", str(export))
    assert run.exit_code == 2
    subnet_line = line_of(export, '"subnets": [') + 1
    assert f"export.json:{subnet_line}:" in run.stderr
    assert "child object has neither 'id' nor 'name'" in run.stderr


# -- 4. copy counts that cannot be evaluated --------------------------------------------------------------


def test_an_unknown_copy_count_is_an_ac001_note_not_a_refusal() -> None:
    """`length(parameters('virtualHubParameters'))` of a required parameter without value (AVM's virtual-wan
    pattern scanned without a parameters file): one instance is read, the rest is a part not read."""
    code, report = _json_scan(str(COPY_COUNT))
    assert code == 0
    ((line, message),) = _ac001(report)
    assert line == line_of(COPY_COUNT, '"count": "[length(parameters(\'virtualHubParameters\'))]"')
    assert message.startswith(
        "copies of Microsoft.Network/virtualNetworks beyond the first not read: the copy count is unknown: "
        "[length(parameters('virtualHubParameters'))] (parameter 'virtualHubParameters' has no value"
    )
    text = run_cli("scan", str(COPY_COUNT)).stdout
    assert "unknown: copy count is unknown, read as one instance: [length(parameters('virtualHubParameters'))]" in text
    assert "Templates: 3 network resources read, 1 part not read (AC001)." in text


def test_a_loop_over_items_with_unknown_members_has_a_known_count() -> None:
    """Mission LZ and AVM loop over lists whose items hold reference(): the list's length is still known."""
    vnets = _vnets(str(COPY_COUNT))
    assert sorted(vnets) == ["spoke-dns-01", "spoke-dns-02", "unknown(resources[0][?])"]
    assert [str(p) for p in vnets["spoke-dns-02"].address_prefixes] == ["10.13.76.0/24"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[length(createArray(reference('x').id, 'b'))]", 2),
        ("[length(createObject('a', reference('x').id))]", 1),
        ("[empty(createArray(reference('x').id))]", False),
    ],
)
def test_length_and_empty_count_unknown_members(text: str, expected: Any) -> None:
    assert evaluate(text, Context({}, lambda name: None, Scope(), {})) == expected


# -- 5. parts switched off by conditions ---------------------------------------------------------------------


def test_parts_switched_off_are_counted_in_the_text_summary_and_listed_with_verbose() -> None:
    run = run_cli("scan", str(SWITCHED_OFF), "-v")
    assert run.exit_code == 0
    # the three delay deployments are one loop behind one condition: one part
    assert "Templates: 1 network resource read, 2 parts not deployed with these parameter values." in run.stdout
    vnet_line = line_of(SWITCHED_OFF, '"condition"', 1)
    delay_line = line_of(SWITCHED_OFF, '"condition"', 2)
    listed = [line for line in run.stderr.splitlines() if "switched-off.json" in line]
    assert listed[1].endswith(
        "switched-off.json: 1 network resource(s) read, 0 part(s) not read, 2 part(s) not deployed"
    )
    assert [line.split("switched-off.json:", 1)[1] for line in listed[2:]] == [
        f"{vnet_line}:20: Microsoft.Network/virtualNetworks: its condition [parameters('virtualNetworkEnabled')] is "
        "false with these parameter values",
        f"{delay_line}:20: nested deployment: its condition [parameters('virtualNetworkEnabled')] is false with these "
        "parameter values",
    ]
    assert all(line.startswith("anycast-lint: not deployed: ") for line in listed[2:])
    _, report = _json_scan(str(SWITCHED_OFF))
    assert report["summary"]["templates"]["partsNotDeployed"] == 2


def test_parts_switched_on_are_read(tmp_path: Path) -> None:
    parameters = tmp_path / "on.json"
    parameters.write_text(
        json.dumps(
            {
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
                "parameters": {"virtualNetworkEnabled": {"value": True}},
            }
        ),
        encoding="utf-8",
    )
    run = run_cli("scan", str(SWITCHED_OFF), "--parameters", str(parameters))
    assert run.exit_code == 0
    assert "Templates: 2 network resources read." in run.stdout


def test_a_placeholder_name_does_not_leak_into_the_value_it_came_from(tmp_path: Path) -> None:
    """Two VNets of a loop share one `subnets` parameter whose item has an unknown name: each reads the
    child under its own placeholder, and the parameter keeps its unknown (an output or a third resource
    reading `parameters('subnets')[0].name` must not see the first VNet's placeholder as a known name)."""
    vnet = {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2023-11-01",
        "name": "[format('vnet-{0}', copyIndex())]",
        "location": "westeurope",
        "copy": {"name": "vnets", "count": 2},
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": "[parameters('subnets')]"},
    }
    table = {
        "type": "Microsoft.Network/routeTables",
        "apiVersion": "2023-11-01",
        "name": "[format('rt-{0}', parameters('subnets')[0].name)]",
        "location": "westeurope",
        "dependsOn": ["vnets"],
        "properties": {},
    }
    template = {
        "contentVersion": "1.0.0.0",
        "parameters": {
            "prefix": {"type": "string"},
            "subnets": {
                "type": "array",
                "defaultValue": [{"name": "[parameters('prefix')]", "properties": {"addressPrefix": "10.0.0.0/24"}}],
            },
        },
        "resources": [vnet, table],
    }
    path = tmp_path / "shared.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    vnets = _vnets(str(path))
    assert {name: [s.name for s in v.subnets] for name, v in vnets.items()} == {
        "vnet-0": ["unknown(resources[0][0].subnets[0])"],
        "vnet-1": ["unknown(resources[0][1].subnets[0])"],
    }
    run = run_cli("scan", str(path))
    assert "routeTables name is unknown, read as 'unknown(resources[1])'" in run.stdout

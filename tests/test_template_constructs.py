"""Templates built with today's tooling: AVM-style module trees, Enterprise-Scale-style nesting, scopes.

The fixtures are our own, written in the shapes that `bicep build` gives Azure Verified Modules and that
Enterprise-Scale's eslzArm templates use (nested deployments named with uniqueString(), nullable
parameters, user-defined types, symbolic resources, `existing` references, lambdas, `[[` escapes inside
inner-scope templates, multi-line expressions, linked templates).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.inputs.reader import parse_json_text
from anycast_lint.model.values import Unknown
from anycast_lint.rules.registry import all_rules
from anycast_lint.sources.arm.expressions import Context, Scope, evaluate
from conftest import FIXTURES, line_of, run_cli

TEMPLATES = FIXTURES / "templates"
AVM = TEMPLATES / "avm-style" / "main.json"
AVM_PARAMETERS = TEMPLATES / "avm-style" / "main.parameters.json"
ES = TEMPLATES / "es-style.json"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/template/providers/Microsoft.Network"


def test_avm_style_module_tree_is_read_through_uniquestring_named_deployments() -> None:
    loaded = load_inputs([str(AVM)], LoadOptions.of([str(AVM_PARAMETERS)], location="westeurope"))
    topology = loaded.topology
    vnets = {v.name: v for v in topology.virtual_networks.values()}
    assert {name: [str(p) for p in v.address_prefixes] for name, v in vnets.items()} == {
        "dns-01": ["10.13.76.0/24"],
        "dns-02": ["10.13.76.0/24"],
        "app-01": ["10.13.76.0/25", "10.20.0.0/24"],
    }  # three instances of the inner module, each deployment named with uniqueString()
    assert {v.region for v in vnets.values()} == {"westeurope"}  # resourceGroup().location from --location
    assert dict(vnets["dns-01"].tags) == {"owner": "network-team", "naming": "{hub}-dns-01", "anycast-service": "dns"}
    assert "anycast-service" not in vnets["app-01"].tags  # filter()/toObject()/shallowMerge() lambdas
    # subnets come from a third level (vnet module -> subnet module); the outer template passes them as an
    # expression yielding {"value": ...}, the way Bicep compiles optional module parameters
    assert [(s.name, [str(p) for p in s.address_prefixes], s.route_table_id) for s in vnets["dns-02"].subnets] == [
        ("snet-dns-inbound", ["10.13.76.0/28"], None)  # nullable routeTableResourceId -> null -> no route table
    ]
    (peering,) = vnets["app-01"].peerings
    assert peering.name == "peer-app-01-dns-01" and peering.remote_vnet_id == f"{SUB}/virtualNetworks/dns-01"
    assert peering.allow_forwarded_traffic  # passed as null (tryGet of a missing key): the module's default
    (circuit,) = topology.circuits.values()  # the separately declared peering is not a second circuit
    assert circuit.name == "er-circuit" and circuit.peering_location == "Amsterdam"
    assert "shared-services" not in vnets  # `existing: true` is a reference, not a declaration
    assert not topology.all_unknowns() and not loaded.notices  # a lock parameter left null deploys no lock
    (read,) = topology.template_reads
    assert (read.read, read.unread) == (3 + 2 + 1 + 2, [])  # VNets, subnets, peering, circuit and its peering


def test_avm_style_tree_findings_point_into_the_module() -> None:
    run = run_cli("scan", str(AVM), "--parameters", str(AVM_PARAMETERS), "--select", "AC101", "--format", "json")
    assert run.exit_code == 1
    report = json.loads(run.stdout)
    (finding,) = report["findings"]
    assert finding["resource"] == f"{SUB}/virtualNetworks/app-01"
    # subnet loop of app-01 and peering loop of dns-01/dns-02 run over nothing: the peering loop is one place
    # in the file (one module deployed twice), so one part
    assert report["summary"]["templates"] == {
        "templates": 1,
        "networkResourcesRead": 8,
        "partsNotRead": 0,
        "partsNotDeployed": 2,
    }
    assert finding["line"] == line_of(AVM, '"addressPrefixes": "[parameters(\'addressPrefixes\')]"')


def test_avm_style_module_alone_reads_its_vnet_under_an_unknown_name(tmp_path: Path) -> None:
    """Scanned without parameters, an AVM resource module's VNet is still read: nothing unread is clean."""
    outer = json.loads(AVM.read_text(encoding="utf-8"))
    module = tmp_path / "main.json"
    module.write_text(
        json.dumps(outer["resources"]["hubVirtualNetwork"]["properties"]["template"], indent=2), encoding="utf-8"
    )
    run = run_cli("scan", "main.json", cwd=tmp_path)
    assert run.exit_code == 0
    name_line = line_of(module, '"name": "[parameters(\'name\')]"')
    assert (
        f"main.json:{name_line}:15: unknown: Microsoft.Network/virtualNetworks name is unknown, read as "
        "'unknown(virtualNetwork)': [parameters('name')] (parameter 'name' has no value and no default; "
        "pass it with --parameters FILE)"
    ) in run.stdout
    assert (
        "virtual network 'unknown(virtualNetwork)': address prefixes is unknown: [parameters('addressPrefixes')]"
    ) in run.stdout
    assert "region is unknown: [parameters('location')] (the deployment's region is chosen at deployment time" in (
        run.stdout
    )
    assert f"checked {len(all_rules())} rules over 1 virtual network," in run.stdout
    loaded = load_inputs([str(module)])
    (vnet,) = loaded.topology.virtual_networks.values()
    assert vnet.id == f"{SUB}/virtualNetworks/unknown(virtualNetwork)" and vnet.subnets == ()  # subnets: null


def test_enterprise_scale_style_nesting() -> None:
    """An inner-scope deployment inside an outer-scope one writes `[[...]` for its own evaluation; its scope
    comes from a hub resource id parameter; the VNet's DNS servers are a multi-line expression; parameter
    properties are case-insensitive ("defaultvalue")."""
    loaded = load_inputs([str(ES)], LoadOptions.of([str(TEMPLATES / "es-style.parameters.json")]))
    topology = loaded.topology
    (vnet,) = topology.virtual_networks.values()
    vnet_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dns-03/providers/Microsoft.Network/virtualNetworks/dns-03"
    assert vnet.id == vnet_id and [str(p) for p in vnet.address_prefixes] == ["10.13.76.0/24"]
    (connection,) = topology.hub_connections.values()
    assert connection.id == (
        "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-vwan/providers/Microsoft.Network/"
        "virtualHubs/hub-03/hubVirtualNetworkConnections/dns-03"
    )
    assert connection.remote_vnet_id == vnet_id


def test_nothing_deployed_with_the_values_given_is_said(tmp_path: Path) -> None:
    """A feature switched off by default (Enterprise-Scale's enableHub: No) deploys nothing: a note, not silence."""
    template = parse_json_text(ES.read_text(encoding="utf-8"), ES.name).data  # it has multi-line strings
    template["parameters"]["enableHub"] = {"type": "string", "defaultValue": "No"}
    template["resources"][0]["condition"] = "[equals(parameters('enableHub'), 'Yes')]"
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "t.json", cwd=tmp_path)
    assert run.exit_code == 0
    line = line_of(tmp_path / "t.json", '"condition": "[equals(')
    assert run.stdout.startswith(
        f"t.json:{line}:20: AC001 [note] nothing in t.json is deployed with these parameter values: 1 part(s) are "
        "switched off (nested deployment: its condition [equals(parameters('enableHub'), 'Yes')] is false"
    )
    assert f"checked {len(all_rules())} rules over 0 virtual networks" in run.stdout


def test_a_pattern_module_without_parameters_says_it_deploys_nothing(tmp_path: Path) -> None:
    """AVM pattern modules loop over a nullable object parameter: without values, every loop is empty."""
    pattern = json.loads(AVM.read_text(encoding="utf-8"))
    del pattern["resources"]["circuit"], pattern["resources"]["circuitPrivatePeering"]  # hub networking alone
    (tmp_path / "main.json").write_text(json.dumps(pattern, indent=2), encoding="utf-8")
    run = run_cli("scan", "main.json", "--select", "AC001", cwd=tmp_path)
    assert run.exit_code == 0
    line = line_of(tmp_path / "main.json", '"count": "[length(variables(\'hubList\'))]"')
    assert run.stdout.startswith(
        f"main.json:{line}:18: AC001 [note] nothing in main.json is deployed with these parameter values: 1 part(s) "
        "are switched off (nested deployment: its copy count [length(variables('hubList'))] is 0 with these "
        "parameter values)"
    )


def test_enterprise_scale_style_without_parameters_reads_placeholders() -> None:
    run = run_cli("scan", ES.name, "--format", "json", cwd=TEMPLATES)
    messages = [u["message"] for u in json.loads(run.stdout)["unknowns"]]
    assert (
        "subscriptionId is unknown, read as 'unknown(resources[0].resources[1].subscriptionId)': "
        "[split(parameters('vWanHubResourceId'), '/')[2]] (parameter 'vWanHubResourceId' has no value and no "
        "default; pass it with --parameters FILE)"
    ) in messages
    assert any(
        m.startswith("hub virtual network connection 'unknown(resources[0].resources[1].resources[0])'")
        for m in messages
    )


def test_a_template_of_which_nothing_was_read_is_an_error() -> None:
    run = run_cli("scan", "linked-only.json", cwd=TEMPLATES)
    assert run.exit_code == 1
    assert "Templates: 0 network resources read, 2 parts not read (AC001)." in run.stdout
    assert run.stdout.startswith(
        "linked-only.json:6:5: AC001 [error] nothing in linked-only.json was read into the design: 2 part(s) "
        "could not be evaluated (a linked template (templateLink) is not fetched)"
    )
    sarif = json.loads(run_cli("scan", "linked-only.json", "--format", "sarif", cwd=TEMPLATES).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert (result["ruleId"], result["level"]) == ("AC001", "error")


def test_partly_unread_template_is_a_note_in_sarif(tmp_path: Path) -> None:
    template = json.loads((TEMPLATES / "linked-only.json").read_text(encoding="utf-8"))
    template["resources"].append(
        {
            "type": "Microsoft.Network/virtualNetworks",
            "apiVersion": "2024-05-01",
            "name": "hub",
            "location": "westeurope",
            "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
        }
    )
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "t.json", "--format", "sarif", cwd=tmp_path)
    assert run.exit_code == 0
    results = json.loads(run.stdout)["runs"][0]["results"]
    deployments = [line_of(tmp_path / "t.json", '"type": "Microsoft.Resources/deployments"', k) - 1 for k in (1, 2)]
    assert [
        (r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results
    ] == [("AC001", "note", line) for line in deployments]


def test_parameters_file_naming_an_undeclared_parameter_is_refused(tmp_path: Path) -> None:
    parameters = json.loads(AVM_PARAMETERS.read_text(encoding="utf-8"))
    parameters["parameters"]["hubVirtualNetwork"] = {"value": {}}  # a typo: the template declares ...Networks
    (tmp_path / "p.json").write_text(json.dumps(parameters, indent=2), encoding="utf-8")
    run = run_cli("scan", str(AVM), "--parameters", "p.json", cwd=tmp_path)
    assert run.exit_code == 2
    line = line_of(tmp_path / "p.json", '"hubVirtualNetwork": {')
    assert run.stderr.strip() == (
        f"anycast-lint: error: p.json:{line}:26: parameter 'hubVirtualNetwork' is not declared: the template does not "
        "declare it (Azure refuses the deployment) (at $.parameters.hubVirtualNetwork)"
    )


def _quickstart(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2024-05-01",
                "name": "vnet1",
                "location": "[resourceGroup().location]",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
            }
        ],
    }
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    return path


def test_independent_templates_get_separate_placeholder_scopes(tmp_path: Path) -> None:
    first, second = _quickstart(tmp_path, "web.json"), _quickstart(tmp_path / "sub", "sql.json")
    separate = load_inputs([str(first), str(second)]).topology
    assert sorted(v.id for v in separate.virtual_networks.values()) == [
        f"{SUB.replace('/template/', f'/template-{stem}/')}/virtualNetworks/vnet1" for stem in ("sql", "web")
    ]
    options = LoadOptions.of(
        subscription="11111111-1111-1111-1111-111111111111", resource_group="rg-net", location="northeurope"
    )
    shared = load_inputs([str(first), str(second)], options)
    (vnet,) = shared.topology.virtual_networks.values()  # one scope: the same VNet, read once
    assert vnet.id == (
        "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-net/providers/Microsoft.Network/"
        "virtualNetworks/vnet1"
    )
    assert vnet.region == "northeurope" and shared.repeats
    run = run_cli(
        "scan",
        str(first),
        "--subscription",
        "s1",
        "--resource-group",
        "rg1",
        "--location",
        "westeurope",
        "--format",
        "json",
    )
    assert run.exit_code == 0 and not json.loads(run.stdout)["unknowns"]


PARAMS = {
    "hubs": {"we": {"prefix": "10.0.0.0/16", "n": 2}, "ne": {"prefix": "10.1.0.0/16", "n": 1}},
    "numbers": [3, 1, 2],
    "nothing": None,
}
FUNCTIONS = [
    ("[format('{{literal}} {0}', 'x')]", "{literal} x"),
    ("[format('{0}-{{1}}', 'a')]", "a-{1}"),
    (
        "[resourceId('Microsoft.Network/virtualNetworks/', 'v')]",
        "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v",
    ),
    (
        "[map(items(parameters('hubs')), lambda('h', lambdaVariables('h').value.prefix))]",
        ["10.1.0.0/16", "10.0.0.0/16"],
    ),
    ("[map(parameters('numbers'), lambda('x', 'i', add(lambdaVariables('x'), lambdaVariables('i'))))]", [3, 2, 4]),
    ("[filter(parameters('numbers'), lambda('x', greater(lambdaVariables('x'), 1)))]", [3, 2]),
    ("[reduce(parameters('numbers'), 10, lambda('sum', 'x', add(lambdaVariables('sum'), lambdaVariables('x'))))]", 16),
    ("[sort(parameters('numbers'), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))]", [1, 2, 3]),
    (
        "[toObject(items(parameters('hubs')), lambda('h', lambdaVariables('h').key), lambda('h', lambdaVariables('h').value.n))]",
        {"ne": 1, "we": 2},
    ),
    ("[shallowMerge(createArray(createObject('a', 1, 'b', 1), createObject('b', 2)))]", {"a": 1, "b": 2}),
    ("[objectKeys(parameters('hubs'))]", ["we", "ne"]),
    ("[tryGet(parameters('nothing'), 'x')]", None),
    ("[tryGet(parameters('hubs'), 'we', 'n')]", 2),
    ("[coalesce(parameters('nothing'), tryGet(parameters('hubs'), 'xx'), 'fallback')]", "fallback"),
    ("[flatten(createArray(createArray(1), createArray(2, 3)))]", [1, 2, 3]),
    ("[indexOf(parameters('numbers'), 2)]", 2),
    ("[deployment().location]", "swedencentral"),
    ("[resourceGroup().location]", "swedencentral"),
]


@pytest.mark.parametrize(("text", "expected"), FUNCTIONS)
def test_functions_found_on_real_templates(text: str, expected: Any) -> None:
    context = Context(PARAMS, lambda name: Unknown(name, "none"), Scope("sub", "rg", location="swedencentral"))
    assert evaluate(text, context) == expected


def test_unknowns_inside_lambdas_name_the_whole_expression() -> None:
    text = "[map(parameters('numbers'), lambda('x', reference('vm').outputs.ip))]"
    value = evaluate(text, Context(PARAMS, lambda name: None, Scope("sub", "rg")))
    assert isinstance(value, list) and all(isinstance(v, Unknown) and v.expression == text for v in value)
    filtered = evaluate(
        "[filter(parameters('numbers'), lambda('x', reference('vm').on))]", Context(PARAMS, lambda n: None)
    )
    assert isinstance(filtered, Unknown) and "reference() reads" in filtered.reason


def test_a_top_level_template_linking_many_templates_lists_ten_and_counts_the_rest(tmp_path: Path) -> None:
    """Enterprise-Scale's eslzArm.json links dozens of templates: one error, ten related lines, -v for all."""
    template = json.loads((TEMPLATES / "linked-only.json").read_text(encoding="utf-8"))
    template["resources"] = [dict(template["resources"][1], name=f"part-{i}") for i in range(13)]
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    run = run_cli("scan", "t.json", "-v", cwd=tmp_path)
    assert run.exit_code == 1
    assert "nothing in t.json was read into the design: 13 part(s) could not be evaluated" in run.stdout
    related = [line for line in run.stdout.splitlines() if line.startswith("    t.json:")]
    assert len(related) == 11 and related[-1].endswith("related: and 2 more (--verbose lists them)")
    assert related[0].endswith("related: nested deployment not read: a linked template (templateLink) is not fetched")
    assert run.stderr.count("anycast-lint: not read: t.json:") == 13


def test_a_name_that_evaluates_to_null_is_read_under_its_template_path(tmp_path: Path) -> None:
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"names": {"type": "object", "defaultValue": {}}},
        "resources": [
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2024-05-01",
                "name": "[tryGet(parameters('names'), 'hub')]",
                "location": "westeurope",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}},
            }
        ],
    }
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    loaded = load_inputs([str(tmp_path / "t.json")])
    (vnet,) = loaded.topology.virtual_networks.values()
    assert vnet.name == "unknown(resources[0])" and [str(p) for p in vnet.address_prefixes] == ["10.0.0.0/16"]
    ((_, message),) = loaded.notices
    assert message == (
        "Microsoft.Network/virtualNetworks name is unknown, read as 'unknown(resources[0])': "
        "[tryGet(parameters('names'), 'hub')] (the name evaluates to null, not a string)"
    )


def test_bicep_sources_are_said_to_be_unread_never_skipped_silently(tmp_path: Path) -> None:
    (tmp_path / "main.bicep").write_text("param location string = resourceGroup().location\n", encoding="utf-8")
    (tmp_path / "main.bicepparam").write_text("using './main.bicep'\n", encoding="utf-8")
    only_bicep = run_cli("scan", ".", cwd=tmp_path)
    assert only_bicep.exit_code == 2
    reason = "Bicep source, not read: compile it with `az bicep build --file FILE` and scan the JSON it writes"
    assert only_bicep.stderr.strip() == (
        "anycast-lint: error: .: no topology found in the given paths (nothing was scanned); "
        f"skipped main.bicep ({reason}); main.bicepparam ({reason})"
    )
    named = run_cli("scan", "main.bicep", cwd=tmp_path)
    assert named.exit_code == 2 and named.stderr.strip() == (
        "anycast-lint: error: main.bicep: Bicep source, not read: compile it with `az bicep build --file FILE` "
        "and scan the JSON it writes"
    )
    _quickstart(tmp_path, "main.json")  # what `bicep build` writes next to it
    beside = run_cli("scan", ".", "-v", cwd=tmp_path)
    assert beside.exit_code == 0 and "Skipped 2 files that are not topologies" in beside.stdout
    assert "anycast-lint: skipped main.bicep (Bicep source, not read" in beside.stderr


def test_a_default_value_may_name_a_parameter_declared_after_it() -> None:
    """AVM's peering module defaults `name` to format('peer-{0}-{1}', parameters('localVnetName'), ...) and
    declares localVnetName after it; ARM deploys that, so the peering is read under its real name."""
    loaded = load_inputs([str(TEMPLATES / "default-order.json")])
    vnets = {v.name: v for v in loaded.topology.virtual_networks.values()}
    (peering,) = vnets["vnet-spoke"].peerings
    assert peering.name == "peer-vnet-spoke-vnet-hub"
    assert peering.remote_vnet_id.endswith(
        "/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"
    )
    # a chain of two defaults, each naming one declared later (with another letter case)
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in vnets["vnet-spoke"].subnets] == [
        ("snet-app", ["10.60.1.0/24"])
    ]
    # two defaults naming each other: ARM refuses that template; we say why instead of guessing
    ((_, message),) = loaded.notices
    assert message.startswith("Microsoft.Network/virtualNetworks name is unknown, read as 'unknown(resources[1])'")
    assert message.endswith("(the default values of parameters 'left', 'right' name each other)")


def test_references_left_unknown_are_listed_never_read_as_absent() -> None:
    """AVM's connection module takes its gateway as a required object parameter; without a value the
    connection's gateway is unknown and said so, not a connection to no gateway."""
    loaded = load_inputs([str(TEMPLATES / "unknown-references.json")])
    unknowns = sorted((resource.name, u.field, u.reason) for resource, u in loaded.topology.all_unknowns())
    assert unknowns == [
        (
            "cn-er-weu",
            "gateway_id",
            "[parameters('virtualNetworkGateway1')] (parameter 'virtualNetworkGateway1' has no value and no default; "
            "pass it with --parameters FILE)",
        ),
        (
            "er-ams",
            "peering_location",
            "[parameters('peeringLocation')] (parameter 'peeringLocation' has no value and no default; "
            "pass it with --parameters FILE)",
        ),
        ("er-ams", "properties", "it is not in the input, only named by connection 'cn-er-weu'"),  # rg-er's
        ("in-dynamic", "ip_configurations", "the address is assigned by Azure at deployment (dynamic allocation)"),
        (
            "vhub-weu",
            "wan_id",
            "[parameters('virtualWanId')] (parameter 'virtualWanId' has no value and no default; "
            "pass it with --parameters FILE)",
        ),
    ]
    (connection,) = loaded.topology.gateway_connections.values()
    assert connection.circuit_id is not None and connection.circuit_id.endswith("/expressRouteCircuits/er-ams")
    assert connection.gateway_id is None and connection.routing_weight == 20
    # the connection names er-ams in rg-er, which is kept by its id; the template's own er-ams is another circuit
    referenced, declared = sorted(loaded.topology.circuits.values(), key=lambda c: c.unknown("properties") is None)
    assert referenced.id == connection.circuit_id and referenced.unknown("properties") is not None
    assert (declared.peering_location, declared.bandwidth_mbps, declared.sku_tier) == (None, 1000, "Premium")


def test_properties_written_as_one_expression_keep_what_is_known() -> None:
    """AVM's Azure Firewall writes its `properties` as one createObject() holding a reference() to a
    module output: the firewall is read as a hub firewall with its private address, the configuration
    name known only after deployment does not make the rest unknown."""
    loaded = load_inputs([str(TEMPLATES / "whole-properties.json")])
    (firewall,) = loaded.topology.forwarders.values()
    assert firewall.sku == "AZFW_Hub" and firewall.hub_id is not None and firewall.hub_id.endswith("/vhub-weu")
    assert [str(ip) for ip in firewall.private_ips] == ["10.100.0.132"]
    assert firewall.vnet_id is None  # "/subnets/AzureFirewallSubnet" under an empty VNet id names no VNet
    evaluate_join = evaluate(
        "[join(createArray('10.0.0.4', parameters('dns')), ',')]",
        Context({"dns": Unknown("[parameters('dns')]", "no value")}, lambda name: None, Scope()),
    )
    assert isinstance(evaluate_join, Unknown)  # never "10.0.0.4,Unknown(...)"
    # a VNet whose whole `properties` cannot be evaluated is said to be unread, not read as empty
    messages = [message for _, message in loaded.notices]
    assert messages == [
        "Microsoft.Network/virtualNetworks 'vnet-spoke': its properties are unknown, none read: "
        "[parameters('spokeProperties')] (parameter 'spokeProperties' has no value and no default; "
        "pass it with --parameters FILE)"
    ]


def test_an_empty_location_is_an_unknown_region_not_a_region_named_empty(tmp_path: Path) -> None:
    """AVM's hub-networking passes `location ?? ''` to its VNet module when a hub names no location."""
    template = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"hubs": {"type": "object", "defaultValue": {"hub-neu": {"addressPrefixes": ["10.20.0.0/20"]}}}},
        "resources": [
            {
                "copy": {"name": "hub", "count": "[length(items(parameters('hubs')))]"},
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2024-05-01",
                "name": "[items(parameters('hubs'))[copyIndex()].key]",
                "location": "[coalesce(tryGet(items(parameters('hubs'))[copyIndex()].value, 'location'), '')]",
                "properties": {
                    "addressSpace": {
                        "addressPrefixes": "[items(parameters('hubs'))[copyIndex()].value.addressPrefixes]"
                    }
                },
            }
        ],
    }
    (tmp_path / "t.json").write_text(json.dumps(template, indent=2), encoding="utf-8")
    loaded = load_inputs([str(tmp_path / "t.json")])
    (vnet,) = loaded.topology.virtual_networks.values()
    assert vnet.region is None
    assert [(u.field, u.reason) for u in vnet.unknowns] == [("region", "the location evaluates to an empty string")]

"""ARM templates: parameters, variables, loops, conditions, nested deployments, and honest unknowns."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.values import Unknown
from anycast_lint.rules.registry import all_rules
from anycast_lint.sources.arm.expressions import Context, Scope, evaluate
from conftest import FIXTURES, line_of, run_cli

TEMPLATES = FIXTURES / "templates"
TEMPLATE = TEMPLATES / "anycast-dns.json"
PARAMETERS = TEMPLATES / "anycast-dns.parameters.json"
SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/template/providers/Microsoft.Network"


def test_template_with_parameters_file_builds_the_seed_design() -> None:
    loaded = load_inputs([str(TEMPLATE)], [str(PARAMETERS)])
    topology = loaded.topology
    vnets = {v.name: v for v in topology.virtual_networks.values()}
    assert {n: ([str(p) for p in v.address_prefixes], v.region) for n, v in vnets.items()} == {
        "hub-01": (["192.168.128.0/23"], "westeurope"),
        "hub-02": (["192.168.130.0/23"], "northeurope"),
        "dns-01": (["10.13.76.0/24"], "westeurope"),
        "dns-02": (["10.13.76.0/24"], "northeurope"),
    }  # app-01 has condition false
    assert vnets["dns-01"].tag("anycast-service") == "dns"
    assert [(s.name, [str(p) for p in s.address_prefixes]) for s in vnets["dns-01"].subnets] == [
        ("snet-dns-inbound", ["10.13.76.0/28"])  # property copy loop + cidrSubnet
    ]
    (spoke_peering,) = vnets["dns-02"].peerings  # a child nested in a looped parent
    assert spoke_peering.name == "to-hub-02" and spoke_peering.use_remote_gateways
    assert spoke_peering.remote_vnet_id == f"{SUB}/virtualNetworks/hub-02"
    (hub_peering,) = vnets["hub-01"].peerings  # a 'parent/child' named resource
    assert hub_peering.allow_gateway_transit and hub_peering.remote_vnet_id == f"{SUB}/virtualNetworks/dns-01"
    gateways = {g.name: g for g in topology.vnet_gateways.values()}  # from an inner-scope nested deployment
    assert [str(a) for a in gateways["ergw-hub-01"].bgp_peering_addresses] == [
        "192.168.128.12",
        "192.168.128.13",
    ]
    assert gateways["ergw-hub-02"].vnet_id == f"{SUB}/virtualNetworks/hub-02"
    assert {c.circuit_id for c in topology.gateway_connections.values()} == {f"{SUB}/expressRouteCircuits/er-circuit"}
    inbound = sorted((e.id, str(e.ip_configurations[0].private_ip)) for e in topology.inbound_endpoints.values())
    assert inbound == [  # from an outer-scope nested deployment, using the parent's variables
        (f"{SUB}/dnsResolvers/dnspr-01/inboundEndpoints/inbound", "10.13.76.4"),
        (f"{SUB}/dnsResolvers/dnspr-02/inboundEndpoints/inbound", "10.13.76.4"),
    ]
    assert "existing-shared" not in vnets  # `existing: true` declares nothing


def test_broken_parameters_make_ac101_fire_at_the_template_line() -> None:
    run = run_cli(
        "scan",
        str(TEMPLATE),
        "--parameters",
        str(TEMPLATES / "anycast-dns.broken.parameters.json"),
        "--format",
        "json",
        "--select",
        "AC101",
    )
    assert run.exit_code == 1
    findings = json.loads(run.stdout)["findings"]
    assert [f["resource"] for f in findings] == [f"{SUB}/virtualNetworks/app-01"]
    expected = line_of(
        TEMPLATE,
        '"addressSpace": {"addressPrefixes": ["[cidrSubnet(parameters(\'anycastPrefix\'), 25, 0)]"]}',
    )
    assert {f["line"] for f in findings} == {expected}


def test_unevaluable_values_are_reported_with_their_expression() -> None:
    run = run_cli("scan", str(TEMPLATE), "--format", "json")  # no parameters file: hubPrefixes has no value
    assert run.exit_code == 0
    unknowns = json.loads(run.stdout)["unknowns"]
    messages = [u["message"] for u in unknowns]
    assert (
        "virtual network 'hub-01': address prefixes is unknown: [parameters('hubPrefixes')[copyIndex()]] "
        "(parameter 'hubPrefixes' has no value and no default; pass it with --parameters FILE)"
    ) in messages
    reference = next(u for u in unknowns if "reference(" in u["message"])
    assert reference["message"] == (
        "route 'rt-from-output/to-firewall': next hop ips is unknown: [reference(resourceId('Microsoft.Network/azureFirewalls', "
        "'azfw')).ipConfigurations[0].properties.privateIPAddress] (reference() reads a deployed resource's runtime state)"
    )
    assert reference["line"] == line_of(TEMPLATE, '"nextHopIpAddress": "[reference(')
    text = run_cli("scan", str(TEMPLATE))
    assert "could not be evaluated (listed as unknown)" in text.stdout
    assert f"{TEMPLATE}:{reference['line']}:" in text.stdout


def test_bicep_compiled_language_version_2() -> None:
    loaded = load_inputs([str(TEMPLATES / "bicep-compiled.json")])
    topology = loaded.topology
    assert sorted(v.name for v in topology.virtual_networks.values()) == ["dns-02", "transit-02"]
    dns = next(v for v in topology.virtual_networks.values() if v.name == "dns-02")
    assert dns.tag("anycast-preferred") == "true" and [p.name for p in dns.peerings] == ["dns-02-to-transit-02"]
    (firewall,) = topology.forwarders.values()  # from the module (inner-scope nested deployment)
    assert firewall.vnet_id == f"{SUB}/virtualNetworks/transit-02" and firewall.private_ips == ()
    (connection,) = topology.hub_connections.values()
    assert connection.routing.propagate_static_routes is True
    static = connection.unknown("static_routes")
    assert static is not None and static.reason.startswith("[reference('firewall').outputs.privateIp.value]")
    assert not topology.virtual_hubs  # `existing: true`


def _template(tmp_path: Path, resources: Any, **extra: Any) -> Path:
    document = {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "resources": resources,
        **extra,
    }
    path = tmp_path / "t.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_linked_templates_and_unknown_names_are_noticed(tmp_path: Path) -> None:
    path = _template(
        tmp_path,
        [
            {
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": "linked",
                "properties": {
                    "mode": "Incremental",
                    "templateLink": {"uri": "https://example.invalid/t.json"},
                },
            },
            {
                "type": "Microsoft.Network/virtualNetworks",
                "apiVersion": "2024-05-01",
                "name": "[concat('vnet-', uniqueString(resourceGroup().id))]",
                "properties": {},
            },
        ],
    )
    run = run_cli("scan", path.name, cwd=tmp_path)
    assert run.exit_code == 0, run.stdout  # the VNet was read: the linked template is a note, not a clean pass
    assert (
        "t.json:5:5: AC001 [note] nested deployment not read: a linked template (templateLink) is not fetched"
    ) in run.stdout
    assert (
        "t.json:19:15: unknown: Microsoft.Network/virtualNetworks name is unknown, read as 'unknown(resources[1])': "
        "[concat('vnet-', uniqueString(resourceGroup().id))] "
        "(uniqueString() hashes deployment values anycast-lint does not reproduce)"
    ) in run.stdout
    assert f"checked {len(all_rules())} rules over 1 virtual network" in run.stdout


@pytest.mark.parametrize(
    ("resource", "where", "fragment"),
    [
        ({"apiVersion": "2024-05-01", "name": "x"}, "5:5", "template resource has no 'type'"),
        (
            {
                "type": "Microsoft.Network/virtualNetworks/subnets",
                "apiVersion": "2024-05-01",
                "name": "only-one",
            },
            "8:15",
            "name 'only-one' has 1 segment(s) but type Microsoft.Network/virtualNetworks/subnets needs 2",
        ),
    ],
)
def test_template_errors_are_located(tmp_path: Path, resource: dict[str, Any], where: str, fragment: str) -> None:
    path = _template(tmp_path, [resource])
    run = run_cli("scan", path.name, cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"anycast-lint: error: t.json:{where}: ") and fragment in run.stderr


def test_parameters_file_problems(tmp_path: Path) -> None:
    missing = run_cli("scan", str(TEMPLATE), "--parameters", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2 and "nope.json: no such file or directory" in missing.stderr
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"something": 1}', encoding="utf-8")
    bad = run_cli("scan", str(TEMPLATE), "--parameters", str(wrong))
    assert bad.exit_code == 2 and "not an ARM parameters file" in bad.stderr
    explicit = run_cli("scan", str(PARAMETERS))
    assert explicit.exit_code == 2 and "this is an ARM parameters file; pass it with --parameters" in explicit.stderr


PARAMS = {
    "prefix": "10.1.0.0/16",
    "regions": ["westeurope", "northeurope"],
    "missing": Unknown("[parameters('m')]", "no value"),
}
EXPRESSIONS = [
    ("[concat('vnet-', parameters('regions')[1])]", "vnet-northeurope"),
    ("[concat(createArray(1), createArray(2, 3))]", [1, 2, 3]),
    ("[format('{0}-{1:D2}', 'hub', 7)]", "hub-7"),
    (
        "[resourceId('Microsoft.Network/virtualNetworks/subnets', 'v', 's')]",
        "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s",
    ),
    (
        "[resourceId('other-rg', 'Microsoft.Network/virtualNetworks', 'v')]",
        "/subscriptions/sub/resourceGroups/other-rg/providers/Microsoft.Network/virtualNetworks/v",
    ),
    (
        "[subscriptionResourceId('Microsoft.Network/ipGroups', 'g')]",
        "/subscriptions/sub/providers/Microsoft.Network/ipGroups/g",
    ),
    ("[string(add(length(parameters('regions')), 1))]", "3"),
    ("[toLower('ABC')]", "abc"),
    ("[int('42')]", 42),
    ("[bool('True')]", True),
    ("[if(equals(parameters('prefix'), '10.1.0.0/16'), 'yes', reference('x'))]", "yes"),
    ("[cidrSubnet('10.144.0.0/20', 24, 3)]", "10.144.3.0/24"),  # values from the ARM documentation
    ("[cidrHost('10.144.3.0/24', 2)]", "10.144.3.3"),
    ("[parseCidr('10.144.0.0/20').broadcast]", "10.144.15.255"),
    ('[json(\'{"A": {"b": 5}}\').a.B]', 5),  # property access is case-insensitive
    ("[[not an expression]", "[not an expression]"),
    ("[concat('it''s')]", "it's"),
    ("[subscription().subscriptionId]", "sub"),
    ("[resourceGroup().name]", "rg"),
]


@pytest.mark.parametrize(("text", "expected"), EXPRESSIONS)
def test_expressions(text: str, expected: Any) -> None:
    context = Context(PARAMS, lambda name: Unknown(name, "none"), Scope("sub", "rg"))
    assert evaluate(text, context) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[concat('a', parameters('missing'))]", "no value"),
        ("[resourceGroup().location]", "the deployment's region is chosen at deployment time"),
        ("[deployment().location]", "the deployment's region is chosen at deployment time"),
        ("[reference('x').outputs.ip.value]", "reference() reads a deployed resource's runtime state"),
        ("[parameters('nope')]", "the template declares no parameter 'nope'"),
        ("[map(createArray(1), x => x)]", "not a valid expression"),
        ("[copyIndex()]", "copyIndex() outside a copy loop"),
        ("[contoso.helper()]", "user-defined functions are not evaluated"),
        ("[cidrSubnet('10.0.0.0/24', 26, 9)]", "cidrSubnet() failed"),
    ],
)
def test_unknown_expressions_name_themselves(text: str, reason: str) -> None:
    value = evaluate(text, Context(PARAMS, lambda name: None, Scope("sub", "rg")))
    assert isinstance(value, Unknown)
    assert value.expression == text and value.reason.startswith(reason)


def test_template_with_comments_and_multiline_expressions_is_read_with_exact_positions() -> None:
    """ARM accepts // and /* */ comments and strings split over lines; findings point into the file as written."""
    path = TEMPLATES / "commented.json"
    run = run_cli("scan", str(path), "--select", "AC101", "--format", "json")
    assert run.exit_code == 1
    (finding,) = json.loads(run.stdout)["findings"]
    assert finding["resource"] == f"{SUB}/virtualNetworks/app-01"  # the name was a multi-line concat()
    text = path.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if "cidrSubnet(parameters('anycastPrefix')," in t)
    assert (finding["line"], finding["column"]) == (line, text[line - 1].index('"[cidrSubnet') + 1)
    assert finding["related"][0]["line"] == line_of(path, "\"[parameters('anycastPrefix')]\"")


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{\n  "a": 1, /* never closed\n  "b": 2\n}\n', "2:11", "comment opened with '/*' is never closed"),
        ('// a comment\n{\n  "a": 1,\n  "b" 2\n}\n', "4:7", "Expecting ':' delimiter"),
        ('{"a": [1, 2 // no closing bracket\n}\n', "2:1", "Expecting ',' delimiter"),
    ],
)
def test_json_with_comments_errors_are_located(tmp_path: Path, text: str, where: str, message: str) -> None:
    (tmp_path / "bad.json").write_text(text, encoding="utf-8")
    run = run_cli("scan", "bad.json", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.strip() == f"anycast-lint: error: bad.json:{where}: invalid JSON: {message}"

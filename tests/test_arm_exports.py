"""Azure exports: ARM REST, az CLI and Resource Graph shapes read into the same topology, with lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.assemble import content
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.topology import Topology
from conftest import EXAMPLES, FIXTURES, REALWORLD, load_script, run_cli, shared_or_skip

ARM = FIXTURES / "arm"

# Every realworld REST example, with the collections it must fill.
REALWORLD_COUNTS = {
    "AzureFirewallGet.json": {"forwarders": 1},
    "AzureFirewallPutInHub.json": {"forwarders": 1},
    "EffectiveRoutesListForVirtualHub.json": {},
    "ExpressRouteCircuitGet.json": {"circuits": 1},
    "ExpressRouteCircuitRouteTableList.json": {"observed_route_tables": 1},
    "ExpressRouteConnectionCreate.json": {
        "er_gateways": 1,
        "er_connections": 1,
        "circuits": 1,
    },  # the circuit by its id
    "ExpressRouteConnectionGet.json": {"er_gateways": 1, "er_connections": 1, "circuits": 1},  # the circuit by its id
    "ExpressRouteConnectionList.json": {"er_gateways": 1, "er_connections": 1, "circuits": 1},  # the circuit by its id
    "ExpressRouteGatewayGet.json": {"er_gateways": 1},
    "GetInboundRoutes.json": {},
    "GetOutboundRoutes.json": {},
    "HubRouteTableGet.json": {"hub_route_tables": 1},
    "HubVirtualNetworkConnectionGet.json": {"hub_connections": 1},
    "HubVirtualNetworkConnectionList.json": {"hub_connections": 2},
    "HubVirtualNetworkConnectionPut.json": {"hub_connections": 1},
    "NatGatewayGet.json": {"nat_gateways": 1},
    "NetworkInterfaceEffectiveRouteTableList.json": {},
    "NetworkInterfaceGet.json": {"network_interfaces": 1},
    "NetworkSecurityGroupGet.json": {"network_security_groups": 1},
    "RouteMapGet.json": {"route_maps": 1},
    "RouteTableCreateWithRoute.json": {"route_tables": 1},
    "RouteTableGet.json": {"route_tables": 1},
    "RoutingIntentGet.json": {},
    "VirtualHubGet.json": {"virtual_hubs": 1, "hub_route_tables": 2},
    "VirtualHubPut.json": {"virtual_hubs": 1, "hub_route_tables": 2},
    "VirtualNetworkGatewayConnectionGet.json": {"gateway_connections": 1},
    "VirtualNetworkGatewayGet.json": {"vnet_gateways": 1},
    "VirtualNetworkGet.json": {"virtual_networks": 1},
    "VirtualNetworkPeeringCreate.json": {"virtual_networks": 1},
    "VirtualNetworkPeeringGet.json": {"virtual_networks": 1},
    "VirtualNetworkScalableGatewayGet.json": {"vnet_gateways": 1},
    "VirtualWANGet.json": {"virtual_wans": 1},
    "dnsresolver/DnsResolver_Get.json": {"dns_resolvers": 1},
    "dnsresolver/InboundEndpoint_Get.json": {"inbound_endpoints": 1},
    "dnsresolver/OutboundEndpoint_Get.json": {"outbound_endpoints": 1},
}


def test_every_realworld_example_is_listed() -> None:
    folder = shared_or_skip(REALWORLD / "azure-rest-examples")
    on_disk = {str(p.relative_to(folder)) for p in folder.rglob("*.json")}
    assert on_disk == set(REALWORLD_COUNTS)


@pytest.mark.parametrize("name", sorted(REALWORLD_COUNTS))
def test_realworld_rest_examples_load(name: str, tmp_path: Path) -> None:
    """Every example reads without an error. One that holds no network resource (route lists, routing intent)
    is read too, but alone it is nothing to check (exit 2, one line); beside a design it adds nothing."""
    path = shared_or_skip(REALWORLD / "azure-rest-examples" / name)
    run = run_cli("scan", str(path), "--format", "json")
    if REALWORLD_COUNTS[name]:  # a captured route table alone is read too: AC306 says it has no design beside it
        assert run.exit_code == 0, run.stderr
        assert json.loads(run.stdout)["summary"]["resources"] == REALWORLD_COUNTS[name]
        return
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "nothing to check: " in run.stderr, run.stderr
    (tmp_path / "example.json").write_bytes(path.read_bytes())
    (tmp_path / "design.json").write_bytes((EXAMPLES / "arm" / "hub-and-spoke.json").read_bytes())
    beside = run_cli("scan", ".", "--format", "json", "--fail-on", "none", cwd=tmp_path)
    assert beside.exit_code == 0, beside.stderr
    expected = _counts(EXAMPLES / "arm" / "hub-and-spoke.json") | REALWORLD_COUNTS[name]
    assert json.loads(beside.stdout)["summary"]["resources"] == expected


def _counts(path: Path) -> dict[str, int]:
    return load_inputs([str(path)]).topology.counts()


def _load(*paths: Path) -> Topology:
    return load_inputs([str(p) for p in paths]).topology


def test_realworld_values_are_read_exactly() -> None:
    folder = shared_or_skip(REALWORLD / "azure-rest-examples")
    (connection,) = _load(folder / "HubVirtualNetworkConnectionPut.json").hub_connections.values()
    routing = connection.routing
    assert [(r.name, [str(p) for p in r.address_prefixes], str(r.next_hop_ip)) for r in routing.static_routes] == [
        ("route1", ["10.1.0.0/16", "10.2.0.0/16"], "10.0.0.68"),
        ("route2", ["10.3.0.0/16", "10.4.0.0/16"], "10.0.0.65"),
    ]
    assert routing.propagate_static_routes is True and routing.vnet_local_route_override == "Equal"
    assert routing.propagated_labels == ("label1", "label2") and len(routing.propagated_route_table_ids) == 1
    assert routing.inbound_route_map_id and routing.inbound_route_map_id.endswith("/routeMaps/routeMap1")

    (route_map,) = _load(folder / "RouteMapGet.json").route_maps.values()
    (rule,) = route_map.rules
    assert rule.match_criteria[0].condition == "Contains"
    assert [str(p) for p in rule.match_criteria[0].route_prefixes] == ["10.0.0.0/8"]
    assert (rule.actions[0].type, rule.actions[0].as_paths) == ("Add", ("22334",))
    assert route_map.associated_inbound and isinstance(route_map.associated_inbound[0], str)

    (hub,) = _load(folder / "VirtualHubGet.json").virtual_hubs.values()
    assert str(hub.address_prefix) == "10.10.1.0/24" and hub.router_asn == 65515
    assert [str(ip) for ip in hub.router_ips] == ["10.10.1.12", "10.10.1.13"]

    (nic,) = _load(folder / "NetworkInterfaceGet.json").network_interfaces.values()
    assert [str(c.private_ip) for c in nic.ip_configurations] == [
        "172.20.2.4",
        "172.20.2.16",
    ]  # the second is a /28

    (hub_firewall,) = _load(folder / "AzureFirewallPutInHub.json").forwarders.values()
    assert hub_firewall.sku == "AZFW_Hub" and hub_firewall.hub_id and hub_firewall.private_ips

    (endpoint,) = _load(folder / "dnsresolver" / "InboundEndpoint_Get.json").inbound_endpoints.values()
    assert endpoint.resolver_id is None  # the example's id lacks the dnsResolvers segment
    assert endpoint.unknown("resolver_id") is not None
    assert str(endpoint.ip_configurations[0].private_ip) == "255.255.255.255"

    (table,) = _load(
        folder / "ExpressRouteCircuitRouteTableList.json", EXAMPLES / "arm" / "hub-and-spoke.json"
    ).observed_route_tables
    assert table.routes[0].network is None and table.routes[0].next_hop is None  # empty strings in the example


def test_three_shapes_give_identical_topologies() -> None:
    rest, cli, graph = (_load(ARM / shape / "tenant.json") for shape in ("rest", "cli", "graph"))
    for name, mapping in rest.collections():
        assert mapping, f"the fixture has no {name}"
        for other in (cli, graph):
            other_mapping = dict(other.collections())[name]
            assert sorted(mapping) == sorted(other_mapping), name
            for key, resource in mapping.items():
                assert content(resource) == content(other_mapping[key]), key


def test_committed_cli_and_graph_fixtures_match_the_reshaper() -> None:
    for name, text in load_script(ARM / "reshape.py").reshaped().items():
        assert (ARM / name).read_text(encoding="utf-8") == text, f"{name} is stale: run tests/fixtures/arm/reshape.py"


def test_graph_shape_lowercases_types_and_cli_shape_flattens() -> None:
    graph = json.loads((ARM / "graph" / "tenant.json").read_text())["data"]
    cli = json.loads((ARM / "cli" / "tenant.json").read_text())
    assert all(row["type"] == row["type"].lower() for row in graph)
    assert all("properties" not in row and "resourceGroup" in row for row in cli)
    vnet = next(row for row in cli if row["type"].endswith("virtualNetworks"))
    assert "addressSpace" in vnet and "addressPrefix" in vnet["subnets"][0]


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes", "broken-overlap"])
def test_seed_designs_as_arm_json_give_the_native_findings(design: str) -> None:
    native = json.loads(run_cli("scan", design, "--format", "json", cwd=EXAMPLES).stdout)["findings"]
    arm = json.loads(run_cli("scan", f"arm/{design}.json", "--format", "json", cwd=EXAMPLES).stdout)["findings"]
    assert [(f["code"], f["resource"], f["message"]) for f in arm] == [
        (f["code"], f["resource"], f["message"]) for f in native
    ]
    # design A's VIP goes to dns-01 by the lowest-next-hop tie-break without a declared preference: AC302 note
    expected = {"broken-overlap": ["AC101"], "hub-and-spoke": ["AC302"]}.get(design, [])
    assert [f["code"] for f in arm] == expected
    if design != "broken-overlap":
        return
    text = (EXAMPLES / "arm" / f"{design}.json").read_text().splitlines()
    app = next(i for i, line in enumerate(text) if '"name": "app-01"' in line)
    prefix_line = next(i for i in range(app, len(text)) if '"10.13.76.0/25"' in text[i]) + 1
    for finding in arm:
        assert finding["line"] == prefix_line
        assert finding["jsonPath"].endswith("].properties.addressSpace.addressPrefixes[0]")


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def _vnet_fixture() -> dict[str, Any]:
    rest = json.loads((ARM / "rest" / "tenant.json").read_text())["value"]
    return next(r for r in rest if r["name"] == "dns-01")


def test_children_listed_separately_join_their_parent(tmp_path: Path) -> None:
    vnet = _vnet_fixture()
    subnets = vnet["properties"].pop("subnets")
    parent = _write(tmp_path / "vnet.json", vnet)
    children = _write(tmp_path / "subnets.json", {"value": subnets})  # az network vnet subnet list
    (loaded,) = _load(parent, children).virtual_networks.values()
    assert [s.name for s in loaded.subnets] == [s["name"] for s in subnets]
    assert loaded.subnets[0].origin.file == str(children)

    only_children = _load(children).virtual_networks
    (placeholder,) = only_children.values()
    assert placeholder.name == "dns-01" and placeholder.address_prefixes == ()
    assert placeholder.unknown("address_prefixes") is not None


def test_embedded_and_separate_child_agree_or_fail(tmp_path: Path) -> None:
    vnet = _vnet_fixture()
    same = _write(tmp_path / "same.json", [vnet["properties"]["subnets"][0]])
    assert len(_load(_write(tmp_path / "vnet.json", vnet), same).subnets) == 2
    different = dict(vnet["properties"]["subnets"][0], properties={"addressPrefix": "10.13.76.128/28"})
    run = run_cli(
        "scan", str(tmp_path / "vnet.json"), str(_write(tmp_path / "different.json", [different])), "--select", "AC101"
    )
    assert run.exit_code == 0  # the embedded copy is read; the separate listing of the same id adds nothing
    assert "10.13.76.128/28" not in run.stdout


def test_the_same_resource_in_two_exports(tmp_path: Path) -> None:
    vnet = _vnet_fixture()
    first = _write(tmp_path / "a.json", {"value": [vnet]})
    _write(tmp_path / "b.json", [vnet])
    assert len(_load(tmp_path).virtual_networks) == 1
    changed = json.loads(json.dumps(vnet))
    changed["properties"]["addressSpace"]["addressPrefixes"] = ["10.99.0.0/24"]
    _write(tmp_path / "b.json", [changed])
    run = run_cli("scan", str(tmp_path))
    assert run.exit_code == 2
    assert "virtual network 'dns-01' is declared twice with different content" in run.stderr
    assert f"(first at {first}:" in run.stderr


def test_hidden_hub_peering_is_recognised(tmp_path: Path) -> None:
    vnet = _vnet_fixture()
    vnet["properties"]["virtualNetworkPeerings"].append(
        {
            "name": "RemoteVnetToHubPeering_5f1a6d9c-0d3e-4b3a-9a6e-2f9b8c7d6e5f",
            "id": vnet["id"] + "/virtualNetworkPeerings/RemoteVnetToHubPeering_5f1a6d9c-0d3e-4b3a-9a6e-2f9b8c7d6e5f",
            "properties": {
                "peeringState": "Connected",
                "remoteVirtualNetwork": {
                    "id": "/subscriptions/1b2c3d4e-0000-1111-2222-333344445555/resourceGroups/RG_hub-01_5f1a6d9c/"
                    "providers/Microsoft.Network/virtualNetworks/HV_hub-01_5f1a6d9c"
                },
                "allowForwardedTraffic": True,
                "useRemoteGateways": True,
            },
        }
    )
    (loaded,) = _load(_write(tmp_path / "v.json", vnet)).virtual_networks.values()
    assert [p.to_vwan_hub for p in loaded.peerings] == [False, True]


def test_case_and_shape_traps(tmp_path: Path) -> None:
    """Lower-cased types and enums, references as plain strings, `addressPrefixes` on subnets."""
    vnet = _vnet_fixture()
    vnet["type"] = "microsoft.network/VIRTUALNETWORKS"
    peering = vnet["properties"]["virtualNetworkPeerings"][0]["properties"]
    peering["peeringState"] = "connected"
    subnet = vnet["properties"]["subnets"][0]["properties"]
    subnet["addressPrefixes"] = [subnet.pop("addressPrefix"), "10.13.76.240/28"]
    subnet["routeTable"] = "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/routeTables/rt-dns-01"
    (loaded,) = _load(_write(tmp_path / "v.json", vnet)).virtual_networks.values()
    assert loaded.peerings[0].state == "Connected" and loaded.peerings[0].connected
    snet = next(s for s in loaded.subnets if s.route_table_id and s.route_table_id.startswith("/subscriptions/x/"))
    assert [str(p) for p in snet.address_prefixes][-1] == "10.13.76.240/28"


@pytest.mark.parametrize(
    ("content_text", "where", "fragment"),
    [
        (
            '[{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/a",\n  "type":',
            "2:10",
            "invalid JSON",
        ),
        (
            '{"value": [\n  {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/a"},\n'
            '  {"name": "orphan", "properties": {}}\n]}',
            "3:3",
            "resource 'orphan' has no 'type', and no 'id' to tell it",
        ),
        (
            '[{"type": "Microsoft.Network/virtualNetworks", "name": "a", "properties": {}}]',
            "1:2",
            "Microsoft.Network/virtualNetworks resource has no 'id'",
        ),
        ('{"resources": "none", "name": "x"}', "1:1", "not a recognised input"),
        (
            '{"value": [{"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/a",'
            ' "type": "Microsoft.Network/virtualNetworks", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.1/24"]}}}]}',
            "1:199",
            "10.0.0.1/24 has host bits set; did you mean 10.0.0.0/24?",
        ),
    ],
    ids=["broken-json", "missing-type", "missing-id", "not-azure", "bad-prefix"],
)
def test_bad_exports_are_located(tmp_path: Path, content_text: str, where: str, fragment: str) -> None:
    (tmp_path / "export.json").write_text(content_text, encoding="utf-8")
    run = run_cli("scan", "export.json", cwd=tmp_path)
    assert run.exit_code == 2
    (line,) = run.stderr.splitlines()
    assert line.startswith(f"anycast-lint: error: export.json:{where}: "), line
    assert fragment in line


def test_unknown_types_are_counted_not_fatal(tmp_path: Path) -> None:
    vm = {
        "id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachines/vm1",
        "type": "Microsoft.Compute/virtualMachines",
        "properties": {},
    }
    _write(tmp_path / "mixed.json", [vm, _vnet_fixture()])
    run = run_cli("scan", "mixed.json", "--verbose", "--select", "AC101", cwd=tmp_path)
    assert run.exit_code == 0
    assert "ignored 1 x Microsoft.Compute/virtualMachines (not used by any rule)" in run.stderr


SECRET_VALUES = (
    "ER-peering-shared-key-do-not-print",
    "connection-authorization-key-do-not-print",
    "er-connection-authorization-key-do-not-print",
    "00000000-0000-0000-0000-00000000abcd",
    "template-connection-key-do-not-print",
)


@pytest.mark.parametrize("format_name", ["text", "json", "sarif"])
def test_secrets_never_leave(tmp_path: Path, format_name: str) -> None:
    inputs = [str(ARM / "rest" / "tenant.json"), str(EXAMPLES / "arm" / "broken-overlap.json")]
    template = FIXTURES / "templates" / "anycast-dns.json"
    parameters = FIXTURES / "templates" / "anycast-dns.parameters.json"
    assert all(any(v in Path(p).read_text() for p in [*inputs, parameters]) for v in SECRET_VALUES)
    runs = [
        run_cli("scan", *inputs, "--format", format_name, "--verbose"),
        run_cli("scan", str(template), "--parameters", str(parameters), "--format", format_name, "--verbose"),
        run_cli("scan", *inputs, "--format", format_name, "--output", str(tmp_path / "report")),
    ]
    # an error path too: the key sits next to a broken value in the same connection
    broken = json.loads((EXAMPLES / "arm" / "broken-overlap.json").read_text())
    connection = next(r for r in broken["value"] if r["type"] == "Microsoft.Network/connections")
    connection["properties"]["routingWeight"] = "heavy"
    connection["properties"]["peer"] = {"id": 42}
    runs.append(run_cli("scan", str(_write(tmp_path / "bad.json", broken)), "--format", format_name))
    written = (tmp_path / "report").read_text()
    for run in runs:
        for value in SECRET_VALUES:
            assert value not in run.stdout and value not in run.stderr
    for value in SECRET_VALUES:
        assert value not in written

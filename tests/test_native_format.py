"""The native format: YAML and JSON read alike, references across files, Azure-like defaults."""

from __future__ import annotations

import json
from pathlib import Path

from anycast_lint.engine.run import run
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.inputs.reader import parse_file
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Topology
from conftest import EXAMPLES, HEADER, line_of, run_cli


def _snapshot(topology: Topology, file: Path) -> dict[str, list[tuple[str, str]]]:
    """Every resource as (id, repr) with the file name neutralised; origins keep their JSON paths."""
    return {
        name: sorted((id_key(key), repr(value).replace(str(file), "FILE")) for key, value in mapping.items())
        for name, mapping in topology.collections()
    }


def test_json_and_yaml_give_the_same_topology(tmp_path: Path) -> None:
    for design in ("hub-and-spoke", "vwan-indirect-spokes"):
        source = EXAMPLES / design / "topology.yaml"
        as_json = tmp_path / f"{design}.json"
        as_json.write_text(json.dumps(parse_file(source).data, indent=2), encoding="utf-8")
        from_yaml = load_inputs([str(source)]).topology
        from_json = load_inputs([str(as_json)]).topology
        assert _snapshot(from_yaml, source) == _snapshot(from_json, as_json)
        assert from_yaml.counts() == from_json.counts()


def test_findings_in_json_point_at_json_lines(tmp_path: Path) -> None:
    source = EXAMPLES / "broken-overlap" / "topology.yaml"
    as_json = tmp_path / "broken.json"
    as_json.write_text(json.dumps(parse_file(source).data, indent=2), encoding="utf-8")
    findings = json.loads(run_cli("scan", str(as_json), "--format", "json", "--select", "AC101").stdout)["findings"]
    assert len(findings) == 1
    expected = line_of(as_json, '"10.13.76.0/25"')
    assert {f["line"] for f in findings} == {expected}
    assert {f["jsonPath"] for f in findings} == {"$.virtualNetworks[4].addressSpace[0]"}


def test_references_resolve_across_files(write) -> None:  # type: ignore[no-untyped-def]
    write(
        "a.yaml",
        HEADER + "virtualNetworks:\n  - {name: spoke, addressSpace: [10.0.0.0/24], "
        "peerings: [{remoteVirtualNetwork: hub}]}\n",
    )
    hub = write("b.yaml", HEADER + "virtualNetworks:\n  - {name: hub, addressSpace: [10.0.0.0/16]}\n")
    result = run(load_inputs([str(hub.parent)]).topology, Config())
    (finding,) = result.findings
    assert finding.origin.file.endswith("a.yaml") and "(spoke -> hub)" in finding.message


def test_same_name_in_two_files_prefers_the_local_one(write) -> None:  # type: ignore[no-untyped-def]
    write(
        "a.yaml",
        HEADER + "defaults: {subscription: sa}\nvirtualNetworks:\n"
        "  - {name: hub, addressSpace: [10.1.0.0/16]}\n"
        "  - {name: spoke, addressSpace: [10.1.1.0/24], peerings: [{remoteVirtualNetwork: hub}]}\n",
    )
    other = write(
        "b.yaml",
        HEADER + "defaults: {subscription: sb}\nvirtualNetworks:\n  - {name: hub, addressSpace: [10.2.0.0/16]}\n",
    )
    (finding,) = run(load_inputs([str(other.parent)]).topology, Config()).findings
    (related,) = finding.related
    assert related.resource_id is not None and related.resource_id.startswith("/subscriptions/sa/")


def test_ambiguous_name_across_files_is_an_error(write) -> None:  # type: ignore[no-untyped-def]
    write(
        "a.yaml",
        HEADER + "defaults: {subscription: sa}\nvirtualNetworks:\n  - {name: hub, addressSpace: [10.1.0.0/16]}\n",
    )
    write(
        "b.yaml",
        HEADER + "defaults: {subscription: sb}\nvirtualNetworks:\n  - {name: hub, addressSpace: [10.2.0.0/16]}\n",
    )
    spoke = write(
        "c.yaml",
        HEADER + "virtualNetworks:\n  - {name: s, addressSpace: [10.3.0.0/24], "
        "peerings: [{remoteVirtualNetwork: hub}]}\n",
    )
    run_ = run_cli("scan", str(spoke.parent))
    assert run_.exit_code == 2
    assert "c.yaml:4:78: virtual network name 'hub' is ambiguous" in run_.stderr
    assert "use the resource id" in run_.stderr


def test_same_resource_in_two_files_is_an_error(write) -> None:  # type: ignore[no-untyped-def]
    write("a.yaml", HEADER + "virtualNetworks:\n  - {name: hub, addressSpace: [10.1.0.0/16]}\n")
    second = write("b.yaml", HEADER + "virtualNetworks:\n  - {name: hub, addressSpace: [10.1.0.0/16]}\n")
    run_ = run_cli("scan", str(second.parent))
    assert run_.exit_code == 2
    assert f"virtual network 'hub' is declared twice (first at {second.parent}/a.yaml:4:5)" in run_.stderr


def test_hub_defaults_match_azure(write) -> None:  # type: ignore[no-untyped-def]
    path = write(
        "t.yaml",
        HEADER + "virtualWans: [{name: w}]\nvirtualNetworks:\n  - {name: t, addressSpace: [10.0.0.0/24]}\n"
        "virtualHubs:\n  - {name: h, virtualWan: w, addressPrefix: 10.9.0.0/23,"
        " virtualNetworkConnections: [{name: c, remoteVirtualNetwork: t}]}\n",
    )
    topology = load_inputs([str(path)]).topology
    tables = {t.name: t.labels for t in topology.hub_route_tables.values()}
    assert tables == {"defaultRouteTable": ("default",), "noneRouteTable": ("none",)}
    (connection,) = topology.hub_connections.values()
    assert connection.routing.associated_route_table_id is not None
    assert connection.routing.associated_route_table_id.endswith("/virtualHubs/h/hubRouteTables/defaultRouteTable")
    assert connection.routing.propagated_labels == ("default",)
    assert connection.routing.propagate_static_routes is None  # not set: rules decide what that means


def test_vwan_example_model_details() -> None:
    topology = load_inputs([str(EXAMPLES / "vwan-indirect-spokes")]).topology
    (route_map,) = topology.route_maps.values()
    (rule,) = route_map.rules
    assert rule.actions[0].type == "Add" and rule.actions[0].as_paths == ("11111",)
    assert [c.rsplit("/", 1)[-1] for c in route_map.associated_outbound] == ["er-conn-hub-01"]
    firewall = next(f for f in topology.forwarders.values() if f.name == "azfw-transit-01")
    assert str(firewall.private_ips[0]) == "10.1.0.4" and firewall.kind == "AzureFirewall"
    inbound = next(iter(topology.inbound_endpoints.values()))
    assert inbound.resolver_id in topology.dns_resolvers
    assert str(inbound.ip_configurations[0].private_ip) == "10.13.76.4"
    subnet_id = inbound.ip_configurations[0].subnet_id
    assert topology.vnet_of_subnet(subnet_id) is not None

"""The routing model against the field report: predicted route tables, failover, failback, drift."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from anycast_lint.analysis.services import find_services
from anycast_lint.inputs.config import load_config
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import ObservedRoute, Topology
from anycast_lint.routing import Failure, Routing
from conftest import EXAMPLES, FIXTURES, run_cli

TABLES = FIXTURES / "route-tables"
CONFIG = load_config(EXAMPLES / "anycast-lint.yaml")
Row = tuple[str, str, str, str, str]


def _rows(routes: Iterable[ObservedRoute]) -> list[Row]:
    """Observed routes in the columns of `az network express-route list-route-tables -o table`."""
    return [
        (
            str(r.local_preference),
            str(r.network),
            f"{r.next_hop}{'*' if r.best else ''}",
            " ".join(map(str, r.as_path)),
            str(r.weight),
        )
        for r in routes
    ]


def _routing(*paths: Path) -> Routing:
    topology = load_inputs([str(p) for p in paths]).topology
    return Routing(topology, find_services(topology, CONFIG))


def _predicted(routing: Routing) -> list[Row]:
    (circuit,) = routing.circuits()
    return [
        (str(r.local_preference), str(r.prefix), f"{r.next_hop}{'*' if best else ''}", r.path_text, str(r.weight))
        for r, best in routing.table(circuit.id)
    ]


def _observed(name: str, azure_only: bool = True) -> list[Row]:
    """The seed table's rows that Azure originates (path starting 65515); on-premises routes are not predicted."""
    (table,) = load_inputs([str(TABLES / name)]).topology.observed_route_tables
    return _rows(r for r in table.routes if not azure_only or r.as_path[:1] == (65515,))


def _fail(routing: Routing, *names: str) -> Routing:
    topology = routing.topology
    keys = {id_key(v.id) for v in topology.virtual_networks.values() if v.name in names}
    return routing.fail(Failure(frozenset(keys), names))


def test_hub_and_spoke_reproduces_the_first_table_exactly() -> None:
    routing = _routing(EXAMPLES / "hub-and-spoke")
    assert _predicted(routing) == _observed("seed-hub-and-spoke.txt")
    assert [row for row in _predicted(routing) if row[1] == "10.13.76.0/24"] == [
        ("100", "10.13.76.0/24", "192.168.128.12*", "65515", "0"),
        ("100", "10.13.76.0/24", "192.168.128.13", "65515", "0"),
        ("100", "10.13.76.0/24", "192.168.130.12", "65515", "0"),
        ("100", "10.13.76.0/24", "192.168.130.13", "65515", "0"),
    ]


def test_failover_and_failback_follow_the_seed() -> None:
    routing = _routing(EXAMPLES / "hub-and-spoke")
    failed = _fail(routing, "dns-01")  # the field report removed the first spoke's peerings
    assert _predicted(failed) == _observed("seed-hub-and-spoke-failover.txt")
    # restored: the edge ignores route age, so traffic goes back to the first hub
    assert _predicted(routing) == _observed("seed-hub-and-spoke.txt")
    assert _predicted(_fail(routing)) == _observed("seed-hub-and-spoke.txt")


def _vwan(tmp_path: Path, change: Any = None) -> Path:
    data = yaml.safe_load((EXAMPLES / "vwan-indirect-spokes" / "topology.yaml").read_text())
    if change:
        change(data)
    path = tmp_path / "vwan.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _without_route_map(data: dict[str, Any]) -> None:
    hub = data["virtualHubs"][0]
    del hub["expressRouteGateway"]["connections"][0]["routingConfiguration"]
    del hub["routeMaps"]


def test_vwan_with_prepend_reproduces_the_seed_table() -> None:
    routing = _routing(EXAMPLES / "vwan-indirect-spokes")
    anycast = [row for row in _predicted(routing) if row[1] == "10.13.76.0/24"]
    assert anycast == _observed("seed-vwan-prepended.txt")
    assert anycast[0] == ("100", "10.13.76.0/24", "192.168.130.12*", "65515", "0")
    assert anycast[2] == ("100", "10.13.76.0/24", "192.168.128.12", "65515 11111", "0")


def test_vwan_without_route_map_reproduces_the_earlier_table(tmp_path: Path) -> None:
    routing = _routing(_vwan(tmp_path, _without_route_map))
    assert [row for row in _predicted(routing) if row[1] == "10.13.76.0/24"] == _observed("seed-vwan.txt")


def _scan(path: Path, *extra: str) -> list[dict[str, Any]]:
    run = run_cli("scan", str(path), "--format", "json", *extra, cwd=EXAMPLES)
    assert run.exit_code in (0, 1), run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


def _scan_with_capture(tmp_path: Path, design: Path, capture: str, *extra: str) -> list[dict[str, Any]]:
    """A design and a captured route table in one folder (one design), with the examples' config."""
    folder = tmp_path / "design"
    folder.mkdir(exist_ok=True)
    source = design / "topology.yaml" if design.is_dir() else design
    (folder / "topology.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "observed.txt").write_text((TABLES / capture).read_text(encoding="utf-8"), encoding="utf-8")
    return _scan(folder, "--config", str(EXAMPLES / "anycast-lint.yaml"), *extra)


def test_preferred_region_two_wins_by_as_path_so_ac301_holds() -> None:
    assert _scan(EXAMPLES / "vwan-indirect-spokes", "--select", "AC3") == []


def test_without_the_prepend_the_preferred_member_loses_by_the_tie_break(tmp_path: Path) -> None:
    findings = _scan(_vwan(tmp_path, _without_route_map), "--select", "AC30")
    # one finding per cause: the declared preference is AC301's; AC302 is for services without one
    assert [(f["code"], f["level"]) for f in findings] == [("AC301", "error")]
    assert "preferred member 'dns-02' of service 'dns' does not win at circuit 'er-circuit'" in findings[0]["message"]
    assert "lowest next hop decides against it" in findings[0]["message"]


def test_unknown_next_hops_make_ac301_a_note(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        _without_route_map(data)
        for hub in data["virtualHubs"]:
            del hub["expressRouteGateway"]["instanceIps"]

    findings = _scan(_vwan(tmp_path, change), "--select", "AC30")
    assert [(f["code"], f["level"]) for f in findings] == [("AC301", "note")]
    assert "cannot tell whether preferred member 'dns-02'" in findings[0]["message"]


def test_prefix_length_design_prefers_the_26_and_fails_over_to_the_25() -> None:
    routing = _routing(EXAMPLES / "prefix-length")
    (circuit,) = routing.circuits()
    (service,) = routing.services
    vip = CONFIG.services["dns"].vip
    assert vip is not None
    choice = routing.service_choice(service, circuit.id, vip)
    assert choice is not None and choice.member_id is not None
    assert choice.member_id.endswith("/dns-01") and str(choice.winner.prefix) == "10.13.76.0/26"
    assert choice.decided_by == "prefix length"
    after = _fail(routing, "dns-01").service_choice(service, circuit.id, vip)
    assert after is not None and after.member_id is not None
    assert after.member_id.endswith("/dns-02") and str(after.winner.prefix) == "10.13.76.0/25"


def test_observed_table_that_disagrees_raises_ac306(tmp_path: Path) -> None:
    findings = _scan_with_capture(
        tmp_path, EXAMPLES / "hub-and-spoke", "seed-hub-and-spoke-failover.txt", "--ignore", "AC302"
    )
    (drift,) = [f for f in findings if f["code"] == "AC306"]
    assert "observed best path for 10.13.76.0/24 is 192.168.130.12 (AS path 65515)" in drift["message"]
    assert "the design predicts 192.168.128.12 (AS path 65515) via gateway 'ergw-hub-01' in hub-01" in drift["message"]
    assert drift["file"].endswith("observed.txt") and drift["line"] == 4
    assert _scan_with_capture(tmp_path, EXAMPLES / "hub-and-spoke", "seed-hub-and-spoke.txt", "--ignore", "AC302") == []


def test_observed_vwan_table_matches_the_vwan_design(tmp_path: Path) -> None:
    assert _scan_with_capture(tmp_path, EXAMPLES / "vwan-indirect-spokes", "seed-vwan-prepended.txt") == []
    drift = _scan_with_capture(tmp_path, EXAMPLES / "vwan-indirect-spokes", "seed-vwan.txt")
    assert [f["code"] for f in drift] == ["AC306"]
    assert "observed best path for 10.13.76.0/24 is 192.168.128.12" in drift[0]["message"]


def test_simulate_prints_a_table_the_cli_parser_reads_back(tmp_path: Path) -> None:
    run = run_cli("simulate", "vwan-indirect-spokes", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    table_text = run.stdout.split("\n\n")[0].split("\n", 1)[1]
    (tmp_path / "predicted.txt").write_text(table_text + "\n", encoding="utf-8")
    (parsed,) = load_inputs([str(tmp_path / "predicted.txt")]).topology.observed_route_tables
    routing = _routing(EXAMPLES / "vwan-indirect-spokes")
    assert _rows(parsed.routes) == _predicted(routing)
    assert "er-circuit -> dns-02 (northeurope) via 192.168.130.12" in run.stdout
    assert "runner-up dns-01 (westeurope) via 192.168.128.12: AS path 65515 vs 65515 11111" in run.stdout


def test_simulate_fail_and_each_member() -> None:
    failed = run_cli("simulate", "hub-and-spoke", "--fail", "dns-01", cwd=EXAMPLES)
    assert failed.exit_code == 0
    assert failed.stdout.startswith("Failed: virtual network 'dns-01'")
    assert "failover: dns-01 (westeurope) -> dns-02 (northeurope)" in failed.stdout
    each = run_cli("simulate", "vwan-indirect-spokes", "--each-member", cwd=EXAMPLES)
    assert "dns-02 down: er-circuit -> dns-01 (westeurope) via 192.168.128.12" in each.stdout
    region = run_cli("simulate", "vwan-indirect-spokes", "--fail", "region:northeurope", cwd=EXAMPLES)
    assert "er-circuit -> dns-01 (westeurope) via 192.168.128.12" in region.stdout
    assert "withdrawn" not in region.stdout
    member = run_cli("simulate", "vwan-indirect-spokes", "--fail", "dns-02", cwd=EXAMPLES)
    assert (
        "withdrawn with the failed member: static route 'anycast-dns' on conn-transit-02 to 10.2.0.4" in member.stdout
    )


def test_simulate_json() -> None:
    run = run_cli("simulate", "hub-and-spoke", "--format", "json", "--each-member", cwd=EXAMPLES)
    document = json.loads(run.stdout)
    (circuit,) = document["circuits"]
    assert circuit["name"] == "er-circuit" and len(circuit["routes"]) == 8
    (service,) = document["services"]
    choice = service["circuits"]["er-circuit"]
    assert (choice["nextHop"], choice["decidedBy"], choice["runnerUpNextHop"]) == (
        "192.168.128.12",
        "lowest next hop",
        "192.168.130.12",
    )
    assert service["ifMemberFails"]["dns-01"]["er-circuit"]["nextHop"] == "192.168.130.12"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        (
            "nothing-here",
            "--fail nothing-here: no circuit, virtual network, virtual hub, gateway, connection or region",
        ),
        ("dns-1", "has that name (did you mean 'dns-01'?)"),
        ("region:antarctica", "no resource is in region 'antarctica'"),
    ],
)
def test_simulate_rejects_unknown_failures(name: str, fragment: str) -> None:
    run = run_cli("simulate", "hub-and-spoke", "--fail", name, cwd=EXAMPLES)
    assert run.exit_code == 2 and fragment in run.stderr


def test_predicted_next_hops_from_the_gateway_subnet(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "hub-and-spoke" / "topology.yaml").read_text())
    for gateway in data["virtualNetworkGateways"]:
        del gateway["bgpPeeringAddresses"]
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = run_cli("simulate", str(path), cwd=EXAMPLES)
    assert "192.168.128.4?*" in run.stdout and "192.168.130.5?" in run.stdout
    assert "? next hop predicted from the GatewaySubnet" in run.stdout
    # against the real capture, predicted addresses are compared by hub: no drift
    assert _scan_with_capture(tmp_path, path, "seed-hub-and-spoke.txt", "--select", "AC306") == []


def test_not_advertised_members_are_explained(tmp_path: Path) -> None:
    data = yaml.safe_load((EXAMPLES / "hub-and-spoke" / "topology.yaml").read_text())
    spoke = next(v for v in data["virtualNetworks"] if v["name"] == "dns-02")
    spoke["peerings"][0]["useRemoteGateways"] = False
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    routing = _routing(path)
    (missing,) = routing.not_advertised
    assert missing.vnet_id.endswith("/dns-02")
    assert missing.reason == "its peering dns-02-to-hub-02 to hub-02 does not set useRemoteGateways"


def _topology(tmp_path: Path, body: str) -> Topology:
    path = tmp_path / "t.yaml"
    path.write_text("apiVersion: anycast-lint/v1\nkind: Topology\n" + body, encoding="utf-8")
    return load_inputs([str(path)]).topology


@pytest.mark.parametrize("gateway", ["without connections", "absent"])
def test_indirect_spoke_behind_a_hub_whose_gateway_reaches_no_circuit(tmp_path: Path, gateway: str) -> None:
    """hub-02 keeps its spokes' routes to itself, and its ExpressRoute gateway links to no circuit (or it has
    none): dns-02 is explained by the hub, its transit VNet by the hub connection."""
    data = yaml.safe_load((EXAMPLES / "vwan-indirect-spokes" / "topology.yaml").read_text())
    hub = next(h for h in data["virtualHubs"] if h["name"] == "hub-02")
    if gateway == "absent":
        del hub["expressRouteGateway"]
    else:
        hub["expressRouteGateway"]["connections"] = []
    for connection in hub["virtualNetworkConnections"]:
        routing = connection.setdefault("routingConfiguration", {})
        routing["propagatedRouteTables"] = {"ids": ["defaultRouteTable"], "labels": ["none"]}
    path = tmp_path / "design.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    reasons = {m.vnet_id.rsplit("/", 1)[1]: m.reason for m in _routing(path).not_advertised}
    assert reasons["dns-02"] == "hub hub-02 has no ExpressRoute gateway connected to a circuit"
    assert reasons["transit-02"].startswith("it is connected to a virtual hub (")
    assert "dns-01" not in reasons

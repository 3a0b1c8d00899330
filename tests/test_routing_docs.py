"""The routing model against Microsoft's documentation, one test per behaviour (issue 11).

Every test names the page that documents the behaviour it asserts (or the field report, when the
behaviour is observed, not documented), and checks it through the CLI a user runs: `simulate --format
json` for what the ExpressRoute edge learns, `scan` for the findings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from conftest import (
    EXAMPLES,
    FIXTURES,
    RULE_FIXTURES,
    example_design,
    load_script,
    named,
    run_cli,
    scan_design,
    simulate_design,
)

CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n"
Design = dict[str, Any]


def _simulate(tmp_path: Path, design: Design, *extra: str, gaps: str = "") -> dict[str, Any]:
    return simulate_design(tmp_path, design, CONFIG, *extra, gaps=gaps)


def _edge(document: dict[str, Any], circuit: str, prefix: str) -> list[tuple[str, str, bool]]:
    """(next hop, AS path, best) of every route for `prefix` at `circuit`, in table order."""
    routes = named(document["circuits"], circuit)["routes"]
    return [(r["nextHop"], r["path"], r["best"]) for r in routes if r["network"] == prefix]


def _vwan(*, prepend: bool = True) -> Design:
    """Design B from the field report; without `prepend`, hub-01's route map is gone."""
    design = example_design("vwan-indirect-spokes")
    if not prepend:
        hub01 = named(design["virtualHubs"], "hub-01")
        del hub01["expressRouteGateway"]["connections"][0]["routingConfiguration"]
        del hub01["routeMaps"]
    return design


def _circuit_per_hub(design: Design) -> Design:
    """Circuit er-circuit only on hub-01, circuit er-circuit-b only on hub-02 (default labels)."""
    design["expressRouteCircuits"].append({"name": "er-circuit-b", "region": "northeurope"})
    hub02 = named(design["virtualHubs"], "hub-02")
    hub02["expressRouteGateway"]["connections"][0]["circuit"] = "er-circuit-b"
    return design


# --- item 1: the hub re-chooses inside a failure ---------------------------------------------------------


def test_a_failed_member_leaves_the_route_learned_from_the_other_hub(tmp_path: Path) -> None:
    # about-virtual-hub-routing (learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing), Labels:
    # propagating to the 'Default' label "automatically applies to all the Default Route Tables across every
    # hub in the virtual WAN", so hub-01's table also holds dns-02's static route, learned from hub-02 with
    # the hub-to-hub path 65520 65520. When dns-01 goes, hub-01 advertises that route to its circuit.
    design = _circuit_per_hub(_vwan(prepend=False))
    before = _simulate(tmp_path, design)
    assert _edge(before, "er-circuit", "10.13.76.0/24") == [
        ("192.168.128.12", "65515", True),
        ("192.168.128.13", "65515", False),
    ]
    after = _simulate(tmp_path, design, "--fail", "dns-01")
    assert _edge(after, "er-circuit", "10.13.76.0/24") == [
        ("192.168.128.12", "65515 65520 65520", True),
        ("192.168.128.13", "65515 65520 65520", False),
    ]
    (service,) = after["services"]
    assert service["circuits"]["er-circuit"]["member"].endswith("/virtualNetworks/dns-02")
    assert scan_design(tmp_path, design, CONFIG, "AC304") == []


def test_without_the_other_hub_the_failover_gap_is_real(tmp_path: Path) -> None:
    # Same design, but hub-02's transit connection propagates to hub-02's own table only (no label): its
    # route never reaches hub-01, so losing dns-01 leaves circuit er-circuit without the VIP (AC304).
    design = _circuit_per_hub(_vwan(prepend=False))
    connection = named(design["virtualHubs"], "hub-02")["virtualNetworkConnections"][0]
    connection["routingConfiguration"]["propagatedRouteTables"] = {"ids": ["defaultRouteTable"], "labels": ["none"]}
    gap = "anycast-lint: service dns: VIP 10.13.76.4 has no route at circuit er-circuit\n"
    after = _simulate(tmp_path, design, "--fail", "dns-01", gaps=gap)
    assert _edge(after, "er-circuit", "10.13.76.0/24") == []
    findings = scan_design(tmp_path, design, CONFIG, "AC304")
    assert [(f["code"], f["level"]) for f in findings] == [("AC304", "error")]
    assert "circuit 'er-circuit' has no route to VIP 10.13.76.4" in findings[0]["message"]


# --- item 3: no label means the Default label ------------------------------------------------------------


def test_a_connection_without_labels_still_propagates_to_the_default_label(tmp_path: Path) -> None:
    # about-virtual-hub-routing, Labels (learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing#labels):
    # "If no label is specified in the list of labels that a virtual network connection is propagating to,
    # then the virtual network connection will automatically propagate to the 'Default' label."
    design = _circuit_per_hub(_vwan(prepend=False))
    connection = named(design["virtualHubs"], "hub-02")["virtualNetworkConnections"][0]
    connection["routingConfiguration"]["propagatedRouteTables"] = {"ids": [], "labels": []}
    document = _simulate(tmp_path, design)
    assert _edge(document, "er-circuit-b", "10.13.76.0/24") == [
        ("192.168.130.12", "65515", True),
        ("192.168.130.13", "65515", False),
    ]
    # the Default label spans every hub of the WAN: hub-01 learns it too, behind its own dns-01 route
    after = _simulate(tmp_path, design, "--fail", "dns-01")
    assert _edge(after, "er-circuit", "10.13.76.0/24")[0] == ("192.168.128.12", "65515 65520 65520", True)
    assert scan_design(tmp_path, design, CONFIG, "AC203") == []


# --- item 5: AC301 and AC302, one finding per cause ------------------------------------------------------

# The lowest-next-hop tie-break is observed in the field report ("it seems to favor the lowest next hop IP
# address"), not documented. The comparisons before it are standard BGP (assumed: Microsoft does not publish
# the MSEE's selection order; "Optimize ExpressRoute routing", learn.microsoft.com/azure/expressroute/
# expressroute-optimize-routing, documents AS path prepending to influence it).


def _ac30(tmp_path: Path, design: Design, config: str = CONFIG) -> list[tuple[str, str, str]]:
    return [(f["code"], f["level"], f["message"]) for f in scan_design(tmp_path, design, config, "AC30")]


def test_a_preference_that_wins_only_by_the_tie_break_is_ac301_alone(tmp_path: Path) -> None:
    design = _vwan(prepend=False)
    del named(design["virtualNetworks"], "dns-02")["tags"]["anycast-preferred"]
    config = CONFIG + "    preferred-region: westeurope\n"
    ((code, level, message),) = _ac30(tmp_path, design, config)
    assert (code, level) == ("AC301", "error")
    assert "wins at circuit 'er-circuit' only by the lowest next hop tie-break" in message


def test_no_preference_decided_by_the_tie_break_is_an_ac302_note_alone(tmp_path: Path) -> None:
    design = _vwan(prepend=False)
    del named(design["virtualNetworks"], "dns-02")["tags"]["anycast-preferred"]
    assert _ac30(tmp_path, design) == [
        (
            "AC302",
            "note",
            "at circuit 'er-circuit' VIP 10.13.76.4 of service 'dns' goes to 'dns-01' (westeurope) only because "
            "192.168.128.12 < 192.168.130.12 (the edge's lowest next hop tie-break: observed, not documented); "
            "declare preferred-region (or tag the member anycast-preferred) to make this a checked intent",
        )
    ]


def test_a_preference_that_wins_by_as_path_gives_nothing(tmp_path: Path) -> None:
    assert _ac30(tmp_path, _vwan()) == []


def test_design_a_users_see_the_tie_break_note() -> None:
    """The help page's Example is tests/rules/AC302's (test_rule_fixtures.py); design A gives the same note."""
    run = run_cli("scan", "hub-and-spoke", "--select", "AC302", cwd=EXAMPLES)
    assert run.exit_code == 0  # a note does not fail the default --fail-on error
    printed = run.stdout.split("\n\n")[0].strip()
    assert "goes to 'dns-01' (westeurope) only because 192.168.128.12 < 192.168.130.12" in printed


# --- item 7: AC306 says why a capture matches no circuit -------------------------------------------------


def test_a_capture_without_any_circuit_in_the_input_says_so(tmp_path: Path) -> None:
    design = example_design("hub-and-spoke")
    design["expressRouteCircuits"] = []
    design["connections"] = []
    capture = (FIXTURES / "route-tables" / "seed-hub-and-spoke.txt").read_text(encoding="utf-8")
    (tmp_path / "observed.txt").write_text(capture, encoding="utf-8")
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    run = run_cli("scan", "design.yaml", "observed.txt", "--select", "AC306", "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(run.stdout)["findings"]
    assert finding["level"] == "note"
    assert "the input has no ExpressRoute circuit" in finding["message"]
    assert "not the only circuit" not in finding["message"]


# --- item 2: route maps as "About Route-maps for virtual hubs" documents them ----------------------------
# learn.microsoft.com/azure/virtual-wan/route-maps-about, "Supported configurations for route-map rules"


def _mapped(inbound: list[dict[str, Any]], outbound: list[dict[str, Any]]) -> Design:
    """Design B with hub-01's route maps replaced: `inbound` rules on the transit-01 connection (they shape
    dns-01's route as it enters the hub), `outbound` rules on the ExpressRoute connection."""
    design = _vwan()
    hub01 = named(design["virtualHubs"], "hub-01")
    hub01["routeMaps"] = [{"name": "rm-in", "rules": inbound}, {"name": "rm-out", "rules": outbound}]
    hub01["virtualNetworkConnections"][0]["routingConfiguration"]["inboundRouteMap"] = "rm-in"
    hub01["expressRouteGateway"]["connections"][0]["routingConfiguration"] = {"outboundRouteMap": "rm-out"}
    return design


def _rule(name: str, criteria: list[dict[str, Any]], actions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": name, "matchCriteria": criteria, "actions": actions, "nextStepIfMatched": "Continue"}


TAG = _rule("tag", [], [{"type": "Add", "parameters": [{"community": ["65001:100"], "asPath": ["65001", "65002"]}]}])
PREPEND = [{"type": "Add", "parameters": [{"asPath": ["11111"]}]}]


def _hub01_paths(tmp_path: Path, design: Design, prefix: str = "10.13.76.0/24") -> list[str]:
    document = _simulate(tmp_path, design)
    return sorted({path for hop, path, _ in _edge(document, "er-circuit", prefix) if hop.startswith("192.168.128.")})


def test_community_equals_needs_every_listed_community(tmp_path: Path) -> None:
    # "Community | equals | 65001:100,65001:200 | Community property of the route must have both the communities"
    both = [{"matchCondition": "Equals", "community": ["65001:100", "65001:200"]}]
    assert _hub01_paths(tmp_path, _mapped([TAG], [_rule("both", both, PREPEND)])) == ["65515 65001 65002"]
    one = [{"matchCondition": "Equals", "community": ["65001:100"]}]
    assert _hub01_paths(tmp_path, _mapped([TAG], [_rule("one", one, PREPEND)])) == ["65515 11111 65001 65002"]
    # "Community | contains | ... can have one or more of the specified communities"
    any_of = [{"matchCondition": "Contains", "community": ["65001:100", "65001:200"]}]
    assert _hub01_paths(tmp_path, _mapped([TAG], [_rule("any", any_of, PREPEND)])) == ["65515 11111 65001 65002"]


def test_as_path_equals_is_the_listed_asns_in_the_listed_order(tmp_path: Path) -> None:
    # "AS-Path | equals | 65001,65002,65003 | AS-PATH of the routes must have ASNs listed in the specified order"
    reversed_order = [{"matchCondition": "Equals", "asPath": ["65002", "65001"]}]
    assert _hub01_paths(tmp_path, _mapped([TAG], [_rule("rev", reversed_order, PREPEND)])) == ["65515 65001 65002"]
    in_order = [{"matchCondition": "Equals", "asPath": ["65001", "65002"]}]
    assert _hub01_paths(tmp_path, _mapped([TAG], [_rule("ord", in_order, PREPEND)])) == ["65515 11111 65001 65002"]


def test_replace_without_a_value_removes_every_asn(tmp_path: Path) -> None:
    # "As-Path | Replace | No value specified | Remove all ASNs in the AS-PATH in the matched routes"
    clear = [{"type": "Replace", "parameters": [{"asPath": []}]}]
    design = _mapped([TAG], [_rule("clear", [{"matchCondition": "Contains", "routePrefix": ["10.13.76.0/24"]}], clear)])
    assert _hub01_paths(tmp_path, design) == ["65515"]
    # the preference for dns-02 now rests on the tie-break, which dns-01 wins: AC301 says so
    findings = scan_design(tmp_path, design, CONFIG, "AC301")
    assert [(f["code"], f["level"]) for f in findings] == [("AC301", "error")]


def test_replacing_the_prefix_summarises_and_strips_path_and_communities(tmp_path: Path) -> None:
    # "Route-prefix | Replace | ... | Replace all the matched routes with the routes specified in the rule", and
    # "When using Route-maps to summarize a set of routes, the hub router strips the BGP Community and AS-PATH"
    summarise = [{"type": "Replace", "parameters": [{"routePrefix": ["10.13.0.0/16"]}]}]
    match = [{"matchCondition": "Contains", "routePrefix": ["10.13.0.0/16"]}]
    design = _mapped([TAG], [_rule("summarise", match, summarise)])
    assert _hub01_paths(tmp_path, design) == []  # the /24 is no longer advertised by hub-01
    assert _hub01_paths(tmp_path, design, "10.13.0.0/16") == ["65515"]
    document = _simulate(tmp_path, design)
    routes = named(document["circuits"], "er-circuit")["routes"]
    (summary,) = {r["how"] for r in routes if r["network"] == "10.13.0.0/16"}
    # hub-01's table holds dns-01's route and dns-02's (learned from hub-02): both are summarised
    assert summary.startswith("summary 10.13.0.0/16 of 2 routes (static route 'anycast-dns' on conn-transit-01")
    # the longer /24 from hub-02 wins the VIP at the edge (longest prefix first)
    (service,) = document["services"]
    assert service["circuits"]["er-circuit"]["member"].endswith("/virtualNetworks/dns-02")
    # with hub-02 on another circuit, er-circuit only has the summary: it leads to dns-01 (its best
    # contributor); after dns-01 fails it stays (dns-02's route still feeds it) and leads to dns-02
    design = _circuit_per_hub(design)
    for failed, member in (((), "dns-01"), (("--fail", "dns-01"), "dns-02")):
        document = _simulate(tmp_path, design, *failed)
        assert {r["network"] for r in named(document["circuits"], "er-circuit")["routes"]} >= {"10.13.0.0/16"}
        assert _edge(document, "er-circuit", "10.13.76.0/24") == []
        assert document["services"][0]["circuits"]["er-circuit"]["member"].endswith(f"/virtualNetworks/{member}")
    assert scan_design(tmp_path, design, CONFIG, "AC304") == []


def test_route_maps_are_not_applied_to_the_hub_address_space(tmp_path: Path) -> None:
    # "Route-maps won't be applied to the hub address space" (considerations and limitations)
    design = _mapped([], [_rule("everything", [], PREPEND)])
    assert _hub01_paths(tmp_path, design) == ["65515 11111"]
    assert _hub01_paths(tmp_path, design, "192.168.128.0/23") == ["65515"]


# --- item 6: gateway instance addresses ------------------------------------------------------------------
# Observed, not documented: the field report's captures show the ExpressRoute gateway instances at .12 and
# .13 (192.168.128.12/.13, 192.168.130.12/.13) in both designs. The model's own guess for a gateway without
# declared addresses stays .4/.5 of the GatewaySubnet, marked `?`; a captured table replaces the guess.


def test_a_capture_gives_the_gateway_addresses_the_design_does_not_declare(tmp_path: Path) -> None:
    design = example_design("hub-and-spoke")
    for gateway in design["virtualNetworkGateways"]:
        del gateway["bgpPeeringAddresses"]
    guessed = _simulate(tmp_path, design)
    rows = [r for r in named(guessed["circuits"], "er-circuit")["routes"] if r["network"] == "10.13.76.0/24"]
    assert [(r["nextHop"], r["nextHopPredicted"]) for r in rows] == [
        ("192.168.128.4", True),
        ("192.168.128.5", True),
        ("192.168.130.4", True),
        ("192.168.130.5", True),
    ]
    capture = (FIXTURES / "route-tables" / "seed-hub-and-spoke-failover.txt").read_text(encoding="utf-8")
    (tmp_path / "observed.txt").write_text(capture, encoding="utf-8")
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    run = run_cli("simulate", "design.yaml", "observed.txt", "--format", "json", cwd=tmp_path)
    rows = [
        r for r in named(json.loads(run.stdout)["circuits"], "er-circuit")["routes"] if r["network"] == "10.13.76.0/24"
    ]
    assert [(r["nextHop"], r["nextHopPredicted"], r["nextHopObserved"]) for r in rows] == [
        ("192.168.128.12", False, True),
        ("192.168.128.13", False, True),
        ("192.168.130.12", False, True),
        ("192.168.130.13", False, True),
    ]
    # AC306 now compares exact addresses: the capture (dns-01's peering removed) disagrees with the design
    run = run_cli("scan", "design.yaml", "observed.txt", "--select", "AC306", "--format", "json", cwd=tmp_path)
    (drift,) = json.loads(run.stdout)["findings"]
    assert (
        "observed best path for 10.13.76.0/24 is 192.168.130.12 (AS path 65515), the design predicts "
        in (drift["message"])
    )
    assert "the design predicts 192.168.128.12 (AS path 65515)" in drift["message"]


# --- item 4: static routes in hub route tables ("option 2") ----------------------------------------------


def _option_two() -> Design:
    """hub-02 reaches dns-02 by a static route in its defaultRouteTable, next hop the transit connection
    ("Static routes in Virtual WAN", learn.microsoft.com/azure/virtual-wan/static-routes, Configuration
    options, option 2); the connection keeps its static route to the firewall but does not propagate it."""
    design = _vwan()
    hub02 = named(design["virtualHubs"], "hub-02")
    hub02["virtualNetworkConnections"][0]["routingConfiguration"]["propagateStaticRoutes"] = False
    route = {"name": "anycast-dns", "destinations": ["10.13.76.0/24"], "nextHop": "conn-transit-02"}
    hub02["routeTables"] = [{"name": "defaultRouteTable", "labels": ["default"], "routes": [route]}]
    return design


def test_a_hub_table_static_route_is_read_and_its_advertisement_is_unknown(tmp_path: Path) -> None:
    # The page documents option 2 as supported for indirect spokes, and says option 1 routes are
    # "automatically propagated"; it does not say whether the hub advertises an option-2 route to
    # ExpressRoute. So: no AC203 error, no predicted route, one note that says what is unknown.
    design = _option_two()
    findings = scan_design(tmp_path, design, CONFIG, "AC2,AC3")
    assert [(f["code"], f["level"]) for f in findings] == [("AC203", "note")]
    assert findings[0]["message"].startswith(
        "whether member 'dns-02' reaches a circuit is unknown: route 'anycast-dns' in hub route table "
        "'defaultRouteTable' (next hop conn-transit-02) sends it to the transit connection"
    )
    assert "does not say whether the hub advertises such a route to ExpressRoute" in findings[0]["message"]
    document = _simulate(tmp_path, design)
    # hub-02 predicts no route of its own to dns-02; it learns dns-01's from the circuit it shares with hub-01 (a
    # bow-tie), prefers that to the hub-to-hub copy and sends ExpressRoute neither (Virtual WAN FAQ; bow_tie.py)
    assert {(hop, path) for hop, path, _ in _edge(document, "er-circuit", "10.13.76.0/24")} == {
        ("192.168.128.12", "65515 11111"),
        ("192.168.128.13", "65515 11111"),
    }
    (gap,) = document["notAdvertised"]
    assert gap["vnet"].endswith("/virtualNetworks/dns-02") and gap["kind"] == "unknown"
    text = run_cli("simulate", "design.yaml", "--each-member", cwd=tmp_path).stdout
    assert "unknown: dns-02 (northeurope) is not in the tables above: it is reached only through route" in text
    assert "dns-01 down: er-circuit -> unknown: no modelled route; dns-02 (northeurope) may be advertised" in text


def test_the_hub_table_static_route_reads_the_same_from_an_arm_export(tmp_path: Path) -> None:
    # ARM names the next hop by the connection's resource id (Microsoft.Network/virtualHubs/hubRouteTables)
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(_option_two(), sort_keys=False), encoding="utf-8")
    arm = load_script(RULE_FIXTURES / "to_arm.py").arm_text(str(tmp_path / "design.yaml"))
    assert '"nextHop": "/subscriptions/' in arm and "/hubVirtualNetworkConnections/conn-transit-02" in arm
    (tmp_path / "design.yaml").unlink()
    (tmp_path / "design.json").write_text(arm, encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    run = run_cli("scan", "design.json", "--select", "AC2,AC3", "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(run.stdout)["findings"]
    assert (finding["code"], finding["level"]) == ("AC203", "note")
    assert "route 'anycast-dns' in hub route table 'defaultRouteTable' (next hop conn-transit-02)" in finding["message"]


def test_without_the_hub_table_route_the_unpropagated_static_route_is_an_error(tmp_path: Path) -> None:
    design = _option_two()
    named(design["virtualHubs"], "hub-02")["routeTables"][0]["routes"] = []
    findings = scan_design(tmp_path, design, CONFIG, "AC203")
    assert [(f["code"], f["level"]) for f in findings] == [("AC203", "error")]


def test_hub_routing_preference_as_path_lets_a_remote_route_win_inside_the_hub(tmp_path: Path) -> None:
    # "Virtual hub routing preference", route selection algorithm and key takeaway
    # (learn.microsoft.com/azure/virtual-wan/about-virtual-hub-routing-preference): "To prefer remote routes
    # over local routes on a virtual hub, set its hub routing preference to AS Path and increase the AS Path
    # length of the local routes." By default (ExpressRoute) local routes win whatever their path.
    lengthen = _rule("lengthen", [], [{"type": "Add", "parameters": [{"asPath": ["65001", "65002", "65003"]}]}])
    design = _mapped([lengthen], [])
    assert _hub01_paths(tmp_path, design) == ["65515 65001 65002 65003"]  # dns-01's own route
    named(design["virtualHubs"], "hub-01")["hubRoutingPreference"] = "ASPath"
    assert _hub01_paths(tmp_path, design) == ["65515 65520 65520"]  # dns-02's, learned from hub-02

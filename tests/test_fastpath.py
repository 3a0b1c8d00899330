"""AC404: FastPath towards DNS Private Resolver ("About ExpressRoute FastPath", Limitations)."""

from __future__ import annotations

from pathlib import Path

from conftest import example_design, named, scan_design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def test_virtual_wan_expressroute_connection_with_fastpath_is_noted(tmp_path: Path) -> None:
    design = example_design("vwan-indirect-spokes")
    gateway = named(design["virtualHubs"], "hub-02")["expressRouteGateway"]
    gateway["connections"][0]["expressRouteGatewayBypass"] = True
    (finding,) = scan_design(tmp_path, design, CONFIG, "AC404")
    assert finding["level"] == "note" and finding["resource"].endswith("/expressRouteConnections/er-conn-hub-02")
    assert "'dns-02' (resolver inbound endpoint 'inbound')" in finding["message"]


def test_fastpath_without_a_resolver_behind_it_is_fine(tmp_path: Path) -> None:
    design = example_design("hub-and-spoke")
    design["dnsResolvers"] = [r for r in design["dnsResolvers"] if r["name"] != "dnspr-01"]
    named(design["connections"], "ergw-hub-01-er-circuit")["expressRouteGatewayBypass"] = True
    assert scan_design(tmp_path, design, CONFIG, "AC404") == []

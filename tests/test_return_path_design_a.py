"""AC207 on the field report's hub and spoke design: a member subnet that does not propagate gateway routes.

Source: "Virtual network traffic routing" (system routes: RFC 1918 and 100.64.0.0/10 to None, the rest to the
Internet; propagate gateway routes; an ExpressRoute gateway cannot be a user-defined route's next hop).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import example_design, named, scan_design

SERVICE = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _table(routes: list[dict[str, Any]], propagate: bool = False) -> dict[str, Any]:
    design = example_design("hub-and-spoke")
    design["routeTables"] = [
        {"name": "rt-dns-01", "region": "westeurope", "disableBgpRoutePropagation": not propagate, "routes": routes}
    ]
    named(design["virtualNetworks"], "dns-01")["subnets"][0]["routeTable"] = "rt-dns-01"
    return design


def _messages(tmp_path: Path, design: dict[str, Any], onprem: str) -> list[str]:
    config = SERVICE + f"onprem:\n  prefixes: [{onprem}]\n"
    return [f["message"] for f in scan_design(tmp_path, design, config, "AC207")]


def test_public_onprem_range_goes_to_the_internet(tmp_path: Path) -> None:
    (message,) = _messages(tmp_path, _table([]), "172.16.0.0/12, 203.0.113.0/24")
    assert "172.16.0.0/12: Azure's system route 172.16.0.0/12 -> None drops them" in message
    assert "203.0.113.0/24: Azure's default route 0.0.0.0/0 -> Internet takes them" in message


def test_a_route_to_the_expressroute_gateway_does_not_count(tmp_path: Path) -> None:
    route = {"name": "onprem", "addressPrefix": "172.16.0.0/12", "nextHopType": "VirtualNetworkGateway"}
    (message,) = _messages(tmp_path, _table([route]), "172.16.0.0/12")
    assert "route 'onprem' names next hop VirtualNetworkGateway, which cannot be an ExpressRoute gateway" in message


def test_a_route_to_a_firewall_or_propagation_on_is_clean(tmp_path: Path) -> None:
    route = {
        "name": "onprem",
        "addressPrefix": "172.16.0.0/12",
        "nextHopType": "VirtualAppliance",
        "nextHopIpAddress": "192.168.128.68",
    }
    assert _messages(tmp_path, _table([route]), "172.16.0.0/12") == []
    assert _messages(tmp_path, _table([], propagate=True), "172.16.0.0/12") == []


def test_a_covering_route_to_none_is_reported(tmp_path: Path) -> None:
    route = {"name": "blackhole", "addressPrefix": "172.16.0.0/12", "nextHopType": "None"}
    (message,) = _messages(tmp_path, _table([route]), "172.16.10.0/24")
    assert "172.16.10.0/24: route 'blackhole' sends them to None" in message


def test_indirect_spokes_are_left_to_ac201(tmp_path: Path) -> None:
    """Design B members never learn gateway routes: their UDRs are AC201's business."""
    design = example_design("vwan-indirect-spokes")
    for table in design["routeTables"]:
        table["routes"] = []
    config = SERVICE + "onprem:\n  prefixes: [172.16.0.0/12]\n"
    assert scan_design(tmp_path, design, config, "AC207") == []

"""hubRoutingPreference and anycast ("Virtual hub routing preference"): ExpressRoute and VpnGateway rank routes
learned from on-premises, so they leave the VIP where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import example_design, named, simulate_design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _winners(tmp_path: Path, preference: str | None, *failed: str) -> tuple[str, str]:
    design = example_design("vwan-indirect-spokes")
    for hub in design["virtualHubs"]:
        if preference is not None:
            hub["hubRoutingPreference"] = preference
    document = simulate_design(tmp_path, design, CONFIG, *failed)
    choice = document["services"][0]["circuits"]["er-circuit"]
    return choice["member"].rsplit("/", 1)[1], choice["nextHop"]


@pytest.mark.parametrize("preference", ["ExpressRoute", "VpnGateway"])
def test_expressroute_and_vpngateway_preferences_leave_the_vip_alone(tmp_path: Path, preference: str) -> None:
    assert _winners(tmp_path, preference) == _winners(tmp_path, None) == ("dns-02", "192.168.130.12")
    assert _winners(tmp_path, preference, "--fail", "dns-02") == _winners(tmp_path, None, "--fail", "dns-02")


def test_aspath_preference_keeps_the_field_report_design_and_its_failover(tmp_path: Path) -> None:
    """Each hub holds one route of its own for the anycast prefix, so ASPath ranks nothing differently before
    a failure; with dns-02 down, the region that is left still takes over."""
    assert _winners(tmp_path, "ASPath") == ("dns-02", "192.168.130.12")
    design = example_design("vwan-indirect-spokes")
    named(design["virtualHubs"], "hub-01")["hubRoutingPreference"] = "ASPath"
    document = simulate_design(tmp_path, design, CONFIG, "--fail", "dns-02")
    assert document["services"][0]["circuits"]["er-circuit"]["member"].endswith("/dns-01")

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


# Bow-tie: the example's one circuit is connected to both hubs. Documented ("Virtual WAN FAQ": with the default
# preference a hub prefers a route learned over ExpressRoute to the hub-to-hub one; "Virtual WAN routing deep
# dive": ExpressRoute-learned routes are not sent back to ExpressRoute): when dns-02 fails, hub-02 learns dns-01's
# prefix from the circuit and sends the circuit no hub-to-hub route for it.


def _paths_after_failure(tmp_path: Path, preference: str | None) -> set[str]:
    design = example_design("vwan-indirect-spokes")
    for hub in design["virtualHubs"]:
        if preference is not None:
            hub["hubRoutingPreference"] = preference
    document = simulate_design(tmp_path, design, CONFIG, "--fail", "dns-02")
    (circuit,) = document["circuits"]
    return {r["path"] for r in circuit["routes"] if r["network"] == "10.13.76.0/24"}


@pytest.mark.parametrize("preference", [None, "ExpressRoute", "VpnGateway"])
def test_a_bow_tie_hub_sends_no_hub_to_hub_route_it_learns_over_the_circuit(
    tmp_path: Path, preference: str | None
) -> None:
    assert _paths_after_failure(tmp_path, preference) == {"65515 11111"}


def test_with_the_aspath_preference_the_hub_to_hub_route_is_kept(tmp_path: Path) -> None:
    """ASPath compares path lengths, which the model does not try for routes learned back (bow_tie.py)."""
    assert _paths_after_failure(tmp_path, "ASPath") == {"65515 11111", "65515 65520 65520"}

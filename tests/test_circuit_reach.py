"""AC206 on the field report's designs: circuit SKU and peering location against the gateways' regions.

Source: ExpressRoute FAQ (connectivity scope per SKU) and "ExpressRoute peering locations and connectivity
partners" (geopolitical regions, Local regions), shipped as lint/data/expressroute_locations.json.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from anycast_lint.model.locations import locations
from conftest import example_design, scan_design

CONFIG = "services:\n  dns:\n    vip: 10.13.76.4\n"


def _circuit(design: str, location: str | None, tier: str | None) -> dict[str, Any]:
    found = example_design(design)
    circuit = found["expressRouteCircuits"][0]
    circuit.pop("peeringLocation", None)
    if location is not None:
        circuit["peeringLocation"] = location
    if tier is not None:
        circuit["skuTier"] = tier
    return found


def _levels(tmp_path: Path, design: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["level"], f["resource"].rsplit("/", 1)[1]) for f in scan_design(tmp_path, design, CONFIG, "AC206"))


def test_standard_circuit_in_another_geopolitical_region_is_an_error(tmp_path: Path) -> None:
    design = _circuit("hub-and-spoke", "Dallas", "Standard")
    assert _levels(tmp_path, design) == [("error", "ergw-hub-01-er-circuit"), ("error", "ergw-hub-02-er-circuit")]
    message = scan_design(tmp_path, design, CONFIG, "AC206")[0]["message"]
    assert (
        "a Standard circuit reaches only the regions of its peering location's geopolitical region (Dallas: North America)"
        in message
    )
    assert "Upgrade the circuit to Premium" in message


@pytest.mark.parametrize(
    ("location", "tier"), [("Dallas", "Premium"), ("Amsterdam", "Standard"), ("Dublin", "Standard")]
)
def test_reachable_links_are_clean(tmp_path: Path, location: str, tier: str) -> None:
    assert _levels(tmp_path, _circuit("hub-and-spoke", location, tier)) == []


def test_virtual_wan_hubs_are_checked_too(tmp_path: Path) -> None:
    design = _circuit("vwan-indirect-spokes", "Dublin", "Local")  # Dublin's local region is northeurope
    assert _levels(tmp_path, design) == [("error", "er-conn-hub-01")]


def test_unknown_sku_across_geopolitical_regions_is_a_note(tmp_path: Path) -> None:
    (finding, _) = scan_design(tmp_path, _circuit("hub-and-spoke", "Tokyo", None), CONFIG, "AC206")
    assert finding["level"] == "note"
    assert (
        "only a Premium circuit reaches across geopolitical regions, and the circuit's SKU is not in the input"
        in (finding["message"])
    )


def test_unknown_peering_location_is_a_note(tmp_path: Path) -> None:
    findings = scan_design(tmp_path, _circuit("hub-and-spoke", "Atlantis", "Standard"), CONFIG, "AC206")
    assert {f["level"] for f in findings} == {"note"}
    assert "peering location 'Atlantis' is not in Microsoft's locations table" in findings[0]["message"]


def test_the_data_places_locations_the_geopolitical_table_lacks_by_their_local_region() -> None:
    data = locations()
    assert data.geo_of_location("Newport (Wales)") == "Europe"
    assert data.geo_of_location("Melbourne2") == "Oceania"  # listed only with its local region
    assert data.geo_of_region("spaincentral") == "Europe"  # Madrid's local region
    assert data.geo_of_region("westeurope") == "Europe" and data.geo_of_region("Japan East") == "Japan"
    assert data.local_regions("Washington DC") == ("eastus", "eastus2")
    assert data.local_regions("Dallas") == ()
    assert data.geo_of_location("Vienna") is None  # neither table places it: unknown, not guessed

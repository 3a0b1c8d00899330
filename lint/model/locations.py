"""ExpressRoute peering locations: their geopolitical region and ExpressRoute Local regions, from the data
file `data/expressroute_locations.json` (Microsoft's "ExpressRoute peering locations and connectivity
partners" page; its source and gaps are stated in the file)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources


def location_key(name: str) -> str:
    """`Newport(Wales)`, `newport (wales)` and `Newport Wales` are one location; `West Europe` is `westeurope`."""
    return re.sub(r"[\s()]", "", name).lower()


@dataclass(frozen=True)
class Locations:
    region_geo: dict[str, str]  # ARM region -> geopolitical region
    location_geo: dict[str, str]  # location key -> geopolitical region
    local: dict[str, tuple[str, ...]]  # location key -> ExpressRoute Local regions
    names: dict[str, str]  # location key -> name as Microsoft writes it

    def geo_of_location(self, location: str) -> str | None:
        return self.location_geo.get(location_key(location))

    def geo_of_region(self, region: str) -> str | None:
        return self.region_geo.get(location_key(region))

    def local_regions(self, location: str) -> tuple[str, ...] | None:
        return self.local.get(location_key(location))

    def known(self, location: str) -> bool:
        return location_key(location) in self.names


@cache
def locations() -> Locations:
    text = resources.files("anycast_lint.data").joinpath("expressroute_locations.json").read_text(encoding="utf-8")
    data = json.loads(text)
    region_geo: dict[str, str] = {}
    location_geo: dict[str, str] = {}
    names: dict[str, str] = {}
    for geo, body in data["geopolitical"].items():
        region_geo.update({region: geo for region in body["regions"]})
        for name in body["locations"]:
            location_geo[location_key(name)] = geo
            names[location_key(name)] = name
    local = {location_key(name): tuple(body["local"]) for name, body in data["locations"].items()}
    names.update({location_key(name): name for name in data["locations"]})
    # A Local circuit's scope lies inside a Standard circuit's: a location's local regions share its
    # geopolitical region, and a location missing from the geopolitical table takes its local regions'.
    for key, regions in local.items():
        geo = location_geo.get(key)
        if geo is not None:
            region_geo.update({region: geo for region in regions if region not in region_geo})
    for key, regions in local.items():
        if key not in location_geo:
            found = {region_geo[r] for r in regions if r in region_geo}
            if len(found) == 1:
                location_geo[key] = found.pop()
    return Locations(region_geo, location_geo, local, names)

"""Turn `--fail NAME` into a Failure: a circuit, a VNet, a virtual hub, a gateway, a connection or a region."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from anycast_lint.model.ids import id_key, is_resource_id
from anycast_lint.model.topology import Resource, Topology
from anycast_lint.routing import Failure
from anycast_lint.routing.advertise import region_key

FAILABLE = (
    "circuits",
    "virtual_networks",
    "virtual_hubs",
    "vnet_gateways",
    "er_gateways",
    "gateway_connections",
    "er_connections",
    "hub_connections",
)


class UnknownFailure(ValueError):  # noqa: N818 - reads as what the user sees: "unknown failure target"
    """A --fail value that names nothing, or several things."""


def _regions(topology: Topology) -> dict[str, str]:
    found = {}
    for _, mapping in topology.collections():
        for resource in mapping.values():
            region = getattr(resource, "region", None)
            if region:
                found[region.lower()] = region
    return found


def _candidates(topology: Topology, name: str) -> list[Resource]:
    collections = dict(topology.collections())
    found: list[Resource] = []
    for collection in FAILABLE:
        mapping = collections[collection]
        if is_resource_id(name):
            resource = mapping.find(name)
            if resource is not None:
                found.append(resource)
        else:
            found += [r for r in mapping.values() if r.name.lower() == name.lower()]
    return found


def _names(topology: Topology) -> list[str]:
    """Every name --fail accepts, lower-cased, for "did you mean"."""
    collections = dict(topology.collections())
    names = {r.name.lower() for collection in FAILABLE for r in collections[collection].values()}
    return sorted(names | set(_regions(topology)))


def resolve(topology: Topology, names: Iterable[str]) -> Failure:
    keys: set[str] = set()
    description: list[str] = []
    regions = _regions(topology)
    for raw in names:
        name = raw.strip()
        if name.lower().startswith("region:"):
            region = name.split(":", 1)[1]
            if region.lower() not in regions:
                known = ", ".join(sorted(regions.values())) or "none"
                raise UnknownFailure(f"--fail {raw}: no resource is in region {region!r} (regions: {known})")
            keys.add(region_key(region))
            description.append(f"region {regions[region.lower()]}")
            continue
        found = _candidates(topology, name)
        if len(found) > 1:
            listed = "; ".join(f"{r.label} ({r.id})" for r in found)
            raise UnknownFailure(f"--fail {raw} is ambiguous: {listed}; give the resource id")
        if found:
            keys.add(id_key(found[0].id))
            description.append(found[0].label)
        elif name.lower() in regions:
            keys.add(region_key(name))
            description.append(f"region {regions[name.lower()]}")
        else:
            close = difflib.get_close_matches(name.lower(), _names(topology), n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UnknownFailure(
                f"--fail {raw}: no circuit, virtual network, virtual hub, gateway, connection or region has that "
                f"name{hint}"
            )
    return Failure(frozenset(keys), tuple(description))

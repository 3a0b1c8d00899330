"""Did-you-mean hints where users slip most: a misspelled anycast tag, a service name that is not configured,
a region name Azure does not have. Warnings, not findings: the design is read as written (a guess would be
a confident wrong answer), and the warning says what was probably meant."""

from __future__ import annotations

import difflib
import re
from functools import cache

from anycast_lint.analysis.services import PREFERRED_TAG, SERVICE_TAG
from anycast_lint.inputs.config import Config
from anycast_lint.model.locations import location_key, locations
from anycast_lint.model.topology import Topology

_TAGS = (SERVICE_TAG, PREFERRED_TAG)
_REGION_NAME = re.compile(r"^[a-z0-9]+$")


def hints(topology: Topology, config: Config) -> list[str]:
    """Every hint for one design, in resource order."""
    found: list[str] = []
    configured = tuple(config.services)
    regions: dict[str, list[str]] = {}
    for vnet in topology.virtual_networks.values():
        for key in vnet.tags:
            close = _close(key.lower(), _TAGS)
            if close and key.lower() != close:
                found.append(f"{vnet.origin}: tag {key!r} of {vnet.label}: did you mean {close!r}? It is read as an "
                             "ordinary tag, so the VNet is in no anycast service")  # fmt: skip
        service = (vnet.tag(SERVICE_TAG) or "").strip()
        near = _close(service, configured, 0.6) if service and configured and service not in configured else None
        if near:
            found.append(f"{vnet.origin}: {vnet.label} is tagged {SERVICE_TAG}: {service}, which the config does not "
                         f"name: did you mean service {near!r}?")  # fmt: skip
        if vnet.region:
            regions.setdefault(vnet.region, []).append(vnet.label)
    known = set(locations().region_geo)
    for region, owners in regions.items():
        key = location_key(region)
        if key in known:
            continue
        near = _close(key.replace("-", "").replace("_", ""), tuple(sorted(known)), cutoff=0.85)
        if near or not _REGION_NAME.match(key):
            suggestion = (
                f": did you mean {near!r}?" if near else " (Azure region names are lowercase letters and digits)"
            )
            found.append(f"region {region!r} of {owners[0]}{' and others' if len(owners) > 1 else ''} is not an Azure "
                         f"region{suggestion}")  # fmt: skip
    return found


@cache
def _close(word: str, choices: tuple[str, ...], cutoff: float = 0.8) -> str | None:
    """Memoised: a tenant's VNets share a few tag names and regions, and difflib is slow per call."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=cutoff)
    return match[0] if match else None

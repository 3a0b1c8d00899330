"""Anycast services: which VNets are members of which service, its VIP and its preferred member.

Membership comes from tags (`anycast-service: NAME`, `anycast-preferred: "true"`) and from the config
file, which can add members, the VIP and a preferred region (overriding the tag).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from anycast_lint.errors import InputError
from anycast_lint.inputs.config import Config
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPAddress, IPNetwork, Topology, VirtualNetwork

SERVICE_TAG = "anycast-service"
PREFERRED_TAG = "anycast-preferred"


@dataclass(frozen=True)
class AnycastService:
    name: str
    members: tuple[VirtualNetwork, ...]
    vip: IPAddress | None = None
    preferred_region: str | None = None

    @property
    def preferred(self) -> tuple[VirtualNetwork, ...]:
        """The preferred members: in the configured region, else tagged `anycast-preferred: true`."""
        if self.preferred_region is not None:
            wanted = self.preferred_region.lower()
            return tuple(m for m in self.members if (m.region or "").lower() == wanted)
        return tuple(m for m in self.members if (m.tag(PREFERRED_TAG) or "").strip().lower() == "true")

    def has_member(self, vnet_id: str) -> bool:
        key = id_key(vnet_id)
        return any(id_key(m.id) == key for m in self.members)


class Services:
    """All services of a topology, with the reverse lookup VNet -> service."""

    def __init__(self, services: Iterable[AnycastService]):
        self.by_name = {s.name: s for s in services}
        self._of_vnet = {id_key(m.id): s for s in self.by_name.values() for m in s.members}
        self._memberships: dict[str, list[AnycastService]] = {}
        for service in self.by_name.values():
            for member in service.members:
                self._memberships.setdefault(id_key(member.id), []).append(service)

    def of(self, vnet_id: str) -> AnycastService | None:
        return self._of_vnet.get(id_key(vnet_id))

    def memberships(self, vnet_id: str) -> list[AnycastService]:
        """Every service the VNet is a member of, in service order (config patterns can list a VNet twice):
        one lookup where asking each service's `has_member` walks its members."""
        return list(self._memberships.get(id_key(vnet_id), ()))

    def __iter__(self) -> Iterator[AnycastService]:
        return iter(self.by_name.values())

    def __len__(self) -> int:
        return len(self.by_name)


def find_services(topology: Topology, config: Config) -> Services:
    members: dict[str, dict[str, VirtualNetwork]] = {}
    for vnet in topology.virtual_networks.values():
        name = (vnet.tag(SERVICE_TAG) or "").strip()
        if name:
            members.setdefault(name, {})[id_key(vnet.id)] = vnet
    for service in config.services.values():
        listed = members.setdefault(service.name, {})
        for pattern in service.members:
            for vnet in _matching(topology, pattern):
                tagged = (vnet.tag(SERVICE_TAG) or "").strip()
                if tagged and tagged != service.name:
                    raise InputError.at(
                        service.origin,
                        f"{vnet.label} is tagged {SERVICE_TAG}: {tagged} but listed as a member of service "
                        f"{service.name!r}",
                    )
                listed[id_key(vnet.id)] = vnet
    result = []
    for name, found in sorted(members.items()):
        configured = config.services.get(name)
        result.append(
            AnycastService(
                name=name,
                members=tuple(sorted(found.values(), key=lambda v: id_key(v.id))),
                vip=configured.vip if configured else None,
                preferred_region=configured.preferred_region if configured else None,
            )
        )
    return Services(result)


def _matching(topology: Topology, pattern: str) -> list[VirtualNetwork]:
    """VNets whose name equals `pattern`, or whose id matches it as a case-insensitive glob."""
    lowered = pattern.lower()
    return [
        vnet
        for vnet in topology.virtual_networks.values()
        if vnet.name.lower() == lowered or fnmatch.fnmatchcase(id_key(vnet.id), lowered)
    ]


def endpoint_ips(topology: Topology, vnet: VirtualNetwork) -> set[IPAddress]:
    """Addresses something answers on inside a VNet: resolver inbound endpoints and NIC addresses."""
    return {address for _, address, _ in topology.addresses_in(vnet) if address is not None}


def service_vip(service: AnycastService, topology: Topology) -> IPAddress | None:
    """The configured VIP, else the one address every member answers on (inferred), else None."""
    if service.vip is not None:
        return service.vip
    common: set[IPAddress] | None = None
    for member in service.members:
        ips = endpoint_ips(topology, member)
        common = ips if common is None else common & ips
    if common and len(common) == 1:
        return next(iter(common))
    return None


def answers(topology: Topology, vnet: VirtualNetwork, vip: IPAddress) -> bool | None:
    """Does something in the VNet answer on the VIP? None when the input shows no endpoints at all."""
    ips = endpoint_ips(topology, vnet)
    if not ips:
        return None
    return vip in ips


def anycast_prefixes(service: AnycastService, member: VirtualNetwork, vip: IPAddress | None) -> tuple[IPNetwork, ...]:
    """The anycast part of a member's address space: prefixes holding the VIP or shared with another member.

    A member VNet may also carry a unique per-region prefix (a second address space) for its servers' own
    traffic; Azure keeps every NIC of a VM in one VNet, so that is where a server's second NIC goes. With
    no VIP and no other member to compare with, the whole address space counts as anycast.
    """
    others = [p for m in service.members if id_key(m.id) != id_key(member.id) for p in m.address_prefixes]
    shared = tuple(
        prefix
        for prefix in member.address_prefixes
        if (vip is not None and vip.version == prefix.version and vip in prefix)
        or any(prefix.version == other.version and prefix.overlaps(other) for other in others)
    )
    return shared or member.address_prefixes

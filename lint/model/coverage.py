"""What a design's inputs cover: for each kind of resource, whether its absence means "not there" or "not read".

Three states are never confused (DESIGN.md, "Absent is not broken; unknown is not different"): a resource
that was read is *present*; a kind the inputs cover but that holds no such resource is *absent*, and a rule
may fail on it; a kind the inputs do not cover is *not covered*, and a rule that needs it says "cannot
tell". Each source declares what it covers:

- the native topology is the author's whole design: every kind (by declaration; the config's
  `coverage: partial` overrides it);
- a live scan reads every kind the model reads: every kind;
- an Azure export that lists resources of several types (Resource Graph, the REST list of a resource group
  or subscription, `az resource list`, our own snapshot) is a list of a scope: every kind; an export of a
  single type (`az network vnet list`, the REST list of one type) covers only that type and its children;
- an ARM template and a Terraform plan cover the kinds they declare or plan: they are one deployment, and
  what they refer to outside them is known only by its id;
- a captured route table covers no resource kind.

The config's `coverage: complete | partial` overrides the sources for a whole design.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Model collections (Topology field names) and how messages name them.
KINDS: dict[str, str] = {
    "virtual_networks": "virtual networks",
    "route_tables": "route tables",
    "network_security_groups": "network security groups",
    "nat_gateways": "NAT gateways",
    "network_interfaces": "network interfaces",
    "circuits": "ExpressRoute circuits",
    "vnet_gateways": "virtual network gateways",
    "gateway_connections": "gateway connections (Microsoft.Network/connections)",
    "virtual_wans": "virtual WANs",
    "virtual_hubs": "virtual hubs",
    "hub_route_tables": "hub route tables",
    "hub_connections": "virtual hub connections",
    "route_maps": "route maps",
    "er_gateways": "ExpressRoute gateways",
    "er_connections": "ExpressRoute connections",
    "forwarders": "firewalls or network virtual appliances",
    "dns_resolvers": "DNS resolvers",
    "inbound_endpoints": "DNS resolver inbound endpoints",
    "outbound_endpoints": "DNS resolver outbound endpoints",
}

# ARM resource types (lower case) -> the kinds a resource of that type is read into. A parent embeds some
# children in its GET body (a VNet its subnets and peerings, an ExpressRoute gateway its connections).
KINDS_OF_TYPE: dict[str, tuple[str, ...]] = {
    "microsoft.network/virtualnetworks": ("virtual_networks",),
    "microsoft.network/virtualnetworks/subnets": ("virtual_networks",),
    "microsoft.network/virtualnetworks/virtualnetworkpeerings": ("virtual_networks",),
    "microsoft.network/routetables": ("route_tables",),
    "microsoft.network/routetables/routes": ("route_tables",),
    "microsoft.network/networksecuritygroups": ("network_security_groups",),
    "microsoft.network/networksecuritygroups/securityrules": ("network_security_groups",),
    "microsoft.network/natgateways": ("nat_gateways",),
    "microsoft.network/networkinterfaces": ("network_interfaces",),
    "microsoft.network/virtualnetworkgateways": ("vnet_gateways",),
    "microsoft.network/connections": ("gateway_connections",),
    "microsoft.network/expressroutecircuits": ("circuits",),
    "microsoft.network/virtualwans": ("virtual_wans",),
    "microsoft.network/virtualhubs": ("virtual_hubs",),
    "microsoft.network/virtualhubs/hubroutetables": ("hub_route_tables",),
    "microsoft.network/virtualhubs/hubvirtualnetworkconnections": ("hub_connections",),
    "microsoft.network/virtualhubs/routemaps": ("route_maps",),
    "microsoft.network/expressroutegateways": ("er_gateways", "er_connections"),
    "microsoft.network/expressroutegateways/expressrouteconnections": ("er_connections",),
    "microsoft.network/azurefirewalls": ("forwarders",),
    "microsoft.network/networkvirtualappliances": ("forwarders",),
    "microsoft.network/dnsresolvers": ("dns_resolvers",),
    "microsoft.network/dnsresolvers/inboundendpoints": ("inbound_endpoints",),
    "microsoft.network/dnsresolvers/outboundendpoints": ("outbound_endpoints",),
}

COMPLETE, PARTIAL = "complete", "partial"


def top_type(resource_type: str) -> str:
    """`Microsoft.Network/virtualNetworks/subnets` -> `microsoft.network/virtualnetworks`: a child belongs to
    its parent's listing."""
    parts = resource_type.lower().split("/")
    return "/".join(parts[:2])


def kinds_of_types(types: Iterable[str]) -> set[str]:
    return {kind for t in types for kind in KINDS_OF_TYPE.get(t.lower(), ())}


# A deployment (template or plan) that declares one of these declares the others it has: a DNS Private
# Resolver's endpoints are its child resources, deployed with it.
_DEPLOYED_TOGETHER = (frozenset({"dns_resolvers", "inbound_endpoints", "outbound_endpoints"}),)


def declared_kinds(kinds: Iterable[str]) -> set[str]:
    """The kinds a template or plan covers, given the kinds it declares."""
    found = set(kinds)
    for family in _DEPLOYED_TOGETHER:
        if found & family:
            found |= family
    return found


def is_scope_listing(types: Iterable[str]) -> bool:
    """Whether a file of Azure resources lists a scope (resources of several types) rather than one type."""
    return len({top_type(t) for t in types}) > 1


@dataclass(frozen=True)
class Coverage:
    """The kinds a design's inputs cover. `whole`: every kind. `declared`: complete by the author's word (a
    native design, or `coverage: complete`), not because a listing held every kind: then what a resource says
    of another (a peering that uses a remote gateway) does not outweigh that other's absence."""

    whole: bool = True
    kinds: frozenset[str] = frozenset()
    declared: bool = True

    def covers(self, *kinds: str) -> bool:
        return self.whole or all(kind in self.kinds for kind in kinds)

    def missing(self, *kinds: str) -> list[str]:
        """The kinds among `kinds` that the inputs do not cover, in the order given."""
        return [] if self.whole else [kind for kind in kinds if kind not in self.kinds]

    def uncovered(self) -> list[str]:
        """Every kind the inputs do not cover, in catalogue order."""
        return self.missing(*KINDS)

    def overridden(self, setting: str | None, present: Iterable[str]) -> Coverage:
        """The config's `coverage:` applied: complete = every kind; partial = only the kinds present."""
        if setting == COMPLETE:
            return Coverage(True, declared=True)
        if setting == PARTIAL:
            return Coverage(False, frozenset(present), declared=False)
        return self


def holds_no(kinds: Iterable[str]) -> str:
    """`the input holds no virtual network gateways or gateway connections`: how a note names the gap."""
    names = [KINDS[kind] for kind in kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return f"the input holds no {listed}"

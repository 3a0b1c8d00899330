"""Resource types that look like Azure network types but are not: said in the default output, with the
type meant, instead of being counted among the ignored types only `--verbose` lists.

A type is suspect when it sits under Microsoft.Network and is neither read by anycast-lint nor a network
type it knowingly ignores (public IPs, private endpoints, load balancers, ...), or when it is one or two
edits away from a network type (`Microsoft.Nmtwork/virtualNetworks`, `Microsoft.Network/virtualNetwork`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping

from anycast_lint.model.positions import Origin
from anycast_lint.sources.arm.shapes import KNOWN_TYPES, ArmRecord

PROVIDER = "microsoft.network"
MAX_EDITS = 2

# Real Microsoft.Network types that no rule needs (some routing-relevant ones are reported as not modelled
# by AC002); listed so that none of them is taken for a typo. Children whose parent is listed are known too.
IGNORED_TYPES = (
    "Microsoft.Network/applicationGateways",
    "Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies",
    "Microsoft.Network/applicationSecurityGroups",
    "Microsoft.Network/azureWebCategories",
    "Microsoft.Network/bastionHosts",
    "Microsoft.Network/cloudServiceNetworkInterfaces",
    "Microsoft.Network/customIpPrefixes",
    "Microsoft.Network/ddosCustomPolicies",
    "Microsoft.Network/ddosProtectionPlans",
    "Microsoft.Network/dnsForwardingRulesets",
    "Microsoft.Network/dnsResolverDomainLists",
    "Microsoft.Network/dnsResolverPolicies",
    "Microsoft.Network/dnszones",
    "Microsoft.Network/dscpConfigurations",
    "Microsoft.Network/expressRouteCircuits/authorizations",
    "Microsoft.Network/expressRouteCircuits/peerings/connections",
    "Microsoft.Network/expressRouteCircuits/peerings/peerConnections",
    "Microsoft.Network/connections/sharedkey",
    "Microsoft.Network/expressRouteCrossConnections",
    "Microsoft.Network/expressRoutePorts",
    "Microsoft.Network/expressRoutePortsLocations",
    "Microsoft.Network/expressRouteProviderPorts",
    "Microsoft.Network/firewallPolicies",
    "Microsoft.Network/frontDoors",
    "Microsoft.Network/frontDoorWebApplicationFirewallPolicies",
    "Microsoft.Network/ipAllocations",
    "Microsoft.Network/ipGroups",
    "Microsoft.Network/loadBalancers",
    "Microsoft.Network/localNetworkGateways",
    "Microsoft.Network/locations",
    "Microsoft.Network/networkExperimentProfiles",
    "Microsoft.Network/networkInterfaces/ipConfigurations",
    "Microsoft.Network/networkInterfaces/tapConfigurations",
    "Microsoft.Network/networkManagers",
    "Microsoft.Network/networkProfiles",
    "Microsoft.Network/networkSecurityGroups/defaultSecurityRules",
    "Microsoft.Network/networkSecurityPerimeters",
    "Microsoft.Network/networkVirtualApplianceSkus",
    "Microsoft.Network/networkWatchers",
    "Microsoft.Network/p2sVpnGateways",
    "Microsoft.Network/privateDnsZones",
    "Microsoft.Network/privateEndpoints",
    "Microsoft.Network/privateLinkServices",
    "Microsoft.Network/publicIPAddresses",
    "Microsoft.Network/publicIPPrefixes",
    "Microsoft.Network/routeFilters",
    "Microsoft.Network/securityPartnerProviders",
    "Microsoft.Network/serviceEndpointPolicies",
    "Microsoft.Network/trafficmanagerprofiles",
    "Microsoft.Network/virtualHubs/bgpConnections",
    "Microsoft.Network/virtualHubs/hubRouteTables/routes",
    "Microsoft.Network/virtualHubs/ipConfigurations",
    "Microsoft.Network/virtualHubs/routeTables",
    "Microsoft.Network/virtualHubs/routingIntent",
    "Microsoft.Network/virtualNetworkGateways/natRules",
    "Microsoft.Network/virtualNetworks/subnets/delegations",
    "Microsoft.Network/virtualNetworks/subnets/serviceAssociationLinks",
    "Microsoft.Network/virtualNetworks/subnets/resourceNavigationLinks",
    "Microsoft.Network/virtualNetworks/taggedTrafficConsumers",
    "Microsoft.Network/virtualNetworkTaps",
    "Microsoft.Network/virtualRouters",
    "Microsoft.Network/vpnGateways",
    "Microsoft.Network/vpnServerConfigurations",
    "Microsoft.Network/vpnSites",
    "Microsoft.Network/webApplicationFirewallPolicies",
)
_KNOWN = {t.lower(): t for t in (*KNOWN_TYPES, *IGNORED_TYPES)}
_PARENTS_IGNORED_WHOLE = tuple(t.lower() + "/" for t in IGNORED_TYPES if t.count("/") == 1)


def _distance(left: str, right: str, limit: int) -> int:
    """Levenshtein distance, or limit + 1 once it is known to be larger (types are short)."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, start=1):
        current = [i]
        for j, b in enumerate(right, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def _nearest(provider_edits: int, rest: str) -> str | None:
    """The known type closest to `provider/rest`, within MAX_EDITS edits in all (the provider's edits
    counted); comparing the parts after the provider keeps each comparison short."""
    best: tuple[str, int] | None = None
    budget = MAX_EDITS - provider_edits
    for key, spelled in _KNOWN.items():
        edits = _distance(rest, key.partition("/")[2], budget)
        if edits <= budget and (best is None or edits < best[1]):
            best = (spelled, edits)
    return best[0] if best else None


def is_known(resource_type: str) -> bool:
    """A type anycast-lint reads or knowingly ignores (children of an ignored network type too)."""
    lowered = resource_type.lower()
    return lowered in _KNOWN or lowered.startswith(_PARENTS_IGNORED_WHOLE)


def suspect_note(resource_type: str, count: int) -> str | None:
    """The note for a type that looks like a network type but is not one, None for any other type."""
    if is_known(resource_type):
        return None
    provider, _, rest = resource_type.lower().partition("/")
    provider_edits = 0 if provider == PROVIDER else _distance(provider, PROVIDER, MAX_EDITS)
    if provider_edits > MAX_EDITS:
        return None  # another provider's type (Microsoft.Compute/virtualMachines): ignored, as documented
    nearest = _nearest(provider_edits, rest)
    if nearest is None and provider_edits:
        return None  # near the provider's name only (Microsoft.Networks/...): not like any network type
    resources = "1 resource" if count == 1 else f"{count:,} resources"
    note = f"resource type {resource_type!r} is not an Azure network type anycast-lint knows ({resources} not read)"
    return f"{note}; did you mean {nearest!r}?" if nearest else note


MAX_NOTED = 20  # suspect types noted one by one; a file of thousands of made-up types gets one more line


def suspect_types(types: Iterable[tuple[str, int]]) -> Iterator[tuple[str, str]]:
    """(type, note) for each suspect of the (type, count) pairs, at most MAX_NOTED, then one for the rest."""
    noted = 0
    left: list[str] = []
    for resource_type, count in types:
        if noted == MAX_NOTED:
            if not is_known(resource_type) and resource_type.lower().startswith(PROVIDER + "/"):
                left.append(resource_type)
            continue
        note = suspect_note(resource_type, count)
        if note is not None:
            noted += 1
            yield resource_type, note
    if left:
        yield left[0], f"{len(left):,} more Microsoft.Network resource types anycast-lint does not know were not read"


def suspect_notices(by_type: Mapping[str, list[ArmRecord]], read: Collection[str]) -> list[tuple[Origin, str]]:
    """The notes for the types of `by_type` not `read`, each at its first resource (the builder's notices:
    the default output lists them as `unknown:`)."""
    found = suspect_types((t, len(records)) for t, records in by_type.items() if t not in read)
    return [(by_type[resource_type][0].origin, note) for resource_type, note in found]

"""What a snapshot keeps of a resource: the properties the model reads, nothing else.

Why an allow-list: stripping secrets by name (`sharedKey`, `authorizationKey`, …) lets every property
nobody thought of through: a VPN gateway's `radiusServerSecret`, an NVA's `cloudInitConfiguration`
(often a password), its `bootStrapConfigurationBlobs`/`cloudInitConfigurationBlobs` (URLs with SAS
tokens). A snapshot keeps only the property names the ARM source (lint/sources/arm/) reads, at any
depth, plus the resource envelope; tags are kept whole (the model reads them). Any URL left keeps its
path but loses its query string, where a SAS token lives. Values dropped from secret-named properties
are registered for redaction, so they are masked even if an SDK message quotes them.

`test_snapshot_allow_list_keeps_every_arm_fixture` loads every ARM fixture of the project before and
after this filter and requires the same topology: a name the ARM source starts reading must be added here.
"""

from __future__ import annotations

import re
from typing import Any

from anycast_lint.model.secrets import SECRET_PROPERTIES, SECRETS

ENVELOPE = ("id", "name", "type", "location", "tags", "sku", "zones", "etag", "properties")
READ = (
    # references and common fields
    "id", "name", "type", "location", "properties", "tier", "value",
    # virtual networks, subnets, peerings
    "addressSpace", "addressPrefix", "addressPrefixes", "subnets", "delegations", "serviceName",
    "defaultOutboundAccess", "ipamPoolPrefixAllocations", "allocatedAddressPrefixes", "summarizedGatewayPrefixes",
    "natGateway", "networkSecurityGroup", "routeTable", "virtualNetworkPeerings", "remoteVirtualNetwork",
    "allowVirtualNetworkAccess", "allowForwardedTraffic", "allowGatewayTransit", "useRemoteGateways",
    "peeringState", "peeringSyncLevel",
    # route tables, NSGs
    "routes", "disableBgpRoutePropagation", "nextHopType", "nextHopIpAddress", "nextHopIpAddresses",
    "securityRules", "access", "direction", "priority", "protocol", "sourceAddressPrefix",
    "sourceAddressPrefixes", "destinationAddressPrefix", "destinationAddressPrefixes", "sourcePortRange",
    "sourcePortRanges", "destinationPortRange", "destinationPortRanges",
    # NICs, NAT gateways, appliances, firewalls
    "ipConfigurations", "primary", "privateIPAddress", "privateIpAddress", "subnet", "enableIPForwarding",
    "virtualMachine", "virtualApplianceNics", "virtualHub", "hubIPAddresses",
    # gateways, connections, circuits
    "gatewayType", "bgpSettings", "asn", "bgpPeeringAddress", "bgpPeeringAddresses", "defaultBgpIpAddresses",
    "customBgpIpAddresses", "virtualNetworkGateway1", "virtualNetworkGateway2", "connectionType", "peer",
    "routingWeight", "expressRouteGatewayBypass", "enableInternetSecurity", "serviceProviderProperties",
    "peeringLocation", "bandwidthInMbps", "bandwidthInGbps", "peerings", "expressRouteCircuitPeering",
    "expressRouteConnections", "expressRouteGateway",
    # Virtual WAN: hubs, hub route tables, connections, route maps
    "virtualWan", "virtualRouterAsn", "virtualRouterIps", "hubRoutingPreference", "routingConfiguration",
    "associatedRouteTable", "propagatedRouteTables", "labels", "ids", "staticRoutes", "staticRoutesConfig",
    "propagateStaticRoutes", "vnetLocalRouteOverrideCriteria", "vnetRoutes", "inboundRouteMap",
    "outboundRouteMap", "destinationType", "destinations", "nextHop", "azureFirewall", "rules",
    "matchCriteria", "matchCondition", "actions", "parameters", "asPath", "community", "routePrefix",
    "nextStepIfMatched", "connections", "bgpCommunities", "regionalCommunity", "virtualNetworkCommunity",
    "region", "origin", "state", "routing", "default", "routingPolicies", "peerExpressRouteCircuitPeering",
    # DNS Private Resolver
    "virtualNetwork", "associatedInboundConnections", "associatedOutboundConnections",
)  # fmt: skip
_KEPT = frozenset(name.lower() for name in ENVELOPE + READ)
_SECRET_WORDS = ("secret", "password", "cloudinit")
_URL = re.compile(r"^(https?://[^?#\s]+)[?#]", re.IGNORECASE)


def keep_read(resource: dict[str, Any]) -> dict[str, Any]:
    """A copy of one resource with only the properties the model reads, URLs without query strings."""
    return {key: _tags(value) if key == "tags" else _kept(value) for key, value in resource.items() if key in ENVELOPE}


def _kept(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            if key.lower() in _KEPT and key.lower() not in SECRET_PROPERTIES:
                kept[key] = _kept(item)
            else:
                _register_secrets(key, item)
        return kept
    if isinstance(value, list):
        return [_kept(item) for item in value]
    return _no_query(value)


def _tags(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _no_query(item) for key, item in value.items()}
    return _kept(value)


def _no_query(value: Any) -> Any:
    """A URL without its query string (a SAS token is one); anything else unchanged."""
    if isinstance(value, str):
        match = _URL.match(value)
        if match:
            SECRETS.register(value[match.end(1) :])
            return match.group(1)
    return value


def _register_secrets(key: str, value: Any) -> None:
    """Dropped values that are secrets by name or URLs with queries are masked wherever they appear."""
    lowered = key.lower()
    if lowered in SECRET_PROPERTIES or any(word in lowered for word in _SECRET_WORDS):
        SECRETS.register(value if isinstance(value, str) else None)
    if isinstance(value, list):
        for item in value:
            if isinstance(item, str):
                _no_query(item)
            else:
                _register_secrets("", item)
    elif isinstance(value, dict):
        for inner_key, inner in value.items():
            _register_secrets(inner_key, inner)

"""AC404: FastPath bypasses the gateway to a member hosting a resolver; the fix is design A as it is."""

from edits import Design, named

BASE = "hub-and-spoke"
WHY = "ergw-hub-01's connection has FastPath on, and dns-01 behind it hosts a DNS Private Resolver"


def bad(design: Design) -> None:
    named(design["virtualNetworkGateways"], "ergw-hub-01")["sku"] = "ErGw3AZ"  # FastPath needs ErGw3AZ or Ultra
    named(design["connections"], "ergw-hub-01-er-circuit")["expressRouteGatewayBypass"] = True

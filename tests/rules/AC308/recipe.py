"""AC308: a gateway advertises over 1,000 prefixes; the fix summarises them."""

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "an application spoke on hub-01 adds 1,000 prefixes to what ergw-hub-01 advertises"


def bad(design: Design) -> None:
    """An application spoke on hub-01 whose address space lists 1,000 /24s (10.100.0.0 to 10.103.231.0)."""
    prefixes = [f"10.{100 + i // 256}.{i % 256}.0/24" for i in range(1000)]
    design["virtualNetworks"].append(
        {
            "name": "app-01",
            "region": "westeurope",
            "addressSpace": prefixes,
            "peerings": [{"name": "app-01-to-hub-01", "remoteVirtualNetwork": "hub-01", "useRemoteGateways": True}],
        }
    )
    vnet(design, "hub-01")["peerings"].append(
        {"name": "hub-01-to-app-01", "remoteVirtualNetwork": "app-01", "allowGatewayTransit": True}
    )


def good(design: Design) -> None:
    """The hub advertises summaries instead: its own space and 10.100.0.0/14 (the anycast prefix stays out)."""
    bad(design)
    vnet(design, "hub-01")["summarizedGatewayPrefixes"] = ["192.168.128.0/23", "10.100.0.0/14"]

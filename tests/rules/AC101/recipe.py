"""AC101: an application spoke reuses part of the anycast range; the fix gives it its own addresses."""

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "application spoke app-01 on hub-01 uses 10.13.76.0/25, inside the anycast range 10.13.76.0/24"


def _app_spoke(design: Design, prefix: str) -> None:
    design["virtualNetworks"].append(
        {
            "name": "app-01",
            "region": "westeurope",
            "addressSpace": [prefix],
            "peerings": [{"name": "app-01-to-hub-01", "remoteVirtualNetwork": "hub-01", "useRemoteGateways": True}],
        }
    )
    vnet(design, "hub-01")["peerings"].append(
        {"name": "hub-01-to-app-01", "remoteVirtualNetwork": "app-01", "allowGatewayTransit": True}
    )


def bad(design: Design) -> None:
    _app_spoke(design, "10.13.76.0/25")


def good(design: Design) -> None:
    """The application spoke gets an address space of its own, 10.50.0.0/24."""
    _app_spoke(design, "10.50.0.0/24")

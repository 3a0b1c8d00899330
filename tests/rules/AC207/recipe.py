"""AC207: a member's route table stops the gateway's routes; the fix propagates them again."""

from typing import Any

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "dns-01's resolver subnet has a route table with gateway route propagation off and no route to on-premises"


def _member_route_table(design: Design, routes: list[dict[str, Any]]) -> None:
    design["routeTables"] = [
        {"name": "rt-dns-01", "region": "westeurope", "disableBgpRoutePropagation": True, "routes": routes}
    ]
    vnet(design, "dns-01")["subnets"][0]["routeTable"] = "rt-dns-01"


def bad(design: Design) -> None:
    _member_route_table(design, [])


def good(design: Design) -> None:
    """The route table propagates the gateway's routes again (an ExpressRoute gateway cannot be a UDR next hop)."""
    _member_route_table(design, [])
    design["routeTables"][0]["disableBgpRoutePropagation"] = False

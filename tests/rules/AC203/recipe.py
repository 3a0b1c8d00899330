"""AC203: the transit connection does not propagate its static routes; the fix is design B as it is."""

from edits import Design, hub

BASE = "vwan-indirect-spokes"
WHY = "conn-transit-01 does not propagate static routes"


def bad(design: Design) -> None:
    hub(design, "hub-01")["virtualNetworkConnections"][0]["routingConfiguration"]["propagateStaticRoutes"] = False

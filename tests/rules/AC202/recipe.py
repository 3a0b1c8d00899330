"""AC202: the transit connection has no static route to the member; the fix is design B as it is."""

from edits import Design, hub

BASE = "vwan-indirect-spokes"
WHY = "conn-transit-01 has no static route to dns-01"


def bad(design: Design) -> None:
    routing = hub(design, "hub-01")["virtualNetworkConnections"][0]["routingConfiguration"]
    del routing["staticRoutes"]

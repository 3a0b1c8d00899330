"""AC201: an indirect spoke's subnet has no route table back to the forwarder; the fix is design B as it is."""

from edits import Design, vnet

BASE = "vwan-indirect-spokes"
WHY = "dns-01's resolver subnet has no route table"


def bad(design: Design) -> None:
    del vnet(design, "dns-01")["subnets"][0]["routeTable"]

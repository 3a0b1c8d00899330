"""AC205: a member's peering to the transit VNet refuses forwarded traffic; the fix is design B as it is."""

from edits import Design, vnet

BASE = "vwan-indirect-spokes"
WHY = "dns-01's peering to transit-01 refuses forwarded traffic"


def bad(design: Design) -> None:
    vnet(design, "dns-01")["peerings"][0]["allowForwardedTraffic"] = False

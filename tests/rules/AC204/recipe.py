"""AC204: a member's peering does not use the hub's gateway; the fix is design A as it is."""

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "dns-02's peering does not use the hub's gateway"


def bad(design: Design) -> None:
    vnet(design, "dns-02")["peerings"][0]["useRemoteGateways"] = False

"""AC102: the DNS VNets are also connected to the Virtual WAN hubs directly; the fix is design B as it is."""

from edits import Design, hub

BASE = "vwan-indirect-spokes"
WHY = "both DNS VNets (10.13.76.0/24) are also connected to the hubs directly"


def bad(design: Design) -> None:
    for index in (1, 2):
        hub(design, f"hub-0{index}")["virtualNetworkConnections"].append(
            {"name": f"conn-dns-0{index}", "remoteVirtualNetwork": f"dns-0{index}"}
        )

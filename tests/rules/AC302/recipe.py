"""AC302: no member is preferred and nothing ranks them, so the tie-break picks one; the fix is design B as it is."""

from edits import Design, hub, vnet

BASE = "vwan-indirect-spokes"
WHY = (
    "no member is tagged anycast-preferred and hub-01 no longer prepends: both hubs advertise 10.13.76.0/24 with "
    "AS path 65515, and the lowest next hop decides"
)
# An ARM export does not carry a Virtual WAN gateway's instance addresses: the tie-break is unknown there.
ARM = False


def bad(design: Design) -> None:
    del vnet(design, "dns-02")["tags"]["anycast-preferred"]
    del hub(design, "hub-01")["expressRouteGateway"]["connections"][0]["routingConfiguration"]

"""AC301: the preferred member loses at the circuit; the fix is design B as it is (hub-01 prepends)."""

from edits import Design, hub

BASE = "vwan-indirect-spokes"
WHY = (
    "dns-02 is tagged anycast-preferred, but hub-01's connection to er-circuit no longer applies the route map "
    "that prepends 11111, so the lowest next hop sends the VIP to dns-01"
)
# An ARM export does not carry a Virtual WAN gateway's instance addresses: the tie-break is unknown there.
ARM = False


def bad(design: Design) -> None:
    del hub(design, "hub-01")["expressRouteGateway"]["connections"][0]["routingConfiguration"]

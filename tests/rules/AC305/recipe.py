"""AC305: two circuits send one VIP to different regions with equal AS paths on premises."""

from typing import Any

from edits import Design, hub, named

BASE = "vwan-indirect-spokes"
WHY = (
    "both hubs are also on a second circuit, er-dublin; hub-01 prepends private ASN 65001 towards er-circuit only, "
    "so er-circuit picks dns-02 and er-dublin dns-01, and on premises both paths read 12076"
)
# An ARM export does not carry a Virtual WAN gateway's instance addresses: the tie-break is unknown there.
ARM = False


def _second_circuit(design: Design, asn: str) -> None:
    design["expressRouteCircuits"].append(
        {"name": "er-dublin", "region": "northeurope", "peeringLocation": "Dublin", "bandwidthInMbps": 1000}
    )
    for index in (1, 2):
        connections: list[dict[str, Any]] = hub(design, f"hub-0{index}")["expressRouteGateway"]["connections"]
        connections.append({"name": f"er-conn-hub-0{index}-dublin", "circuit": "er-dublin"})
    route_map = named(hub(design, "hub-01")["routeMaps"], "rm-prepend-anycast")
    route_map["rules"][0]["actions"][0]["parameters"][0]["asPath"] = [asn]


def bad(design: Design) -> None:
    _second_circuit(design, "65001")


def good(design: Design) -> None:
    """hub-01 prepends public ASN 11111 on both circuits: both send the VIP to dns-02."""
    _second_circuit(design, "11111")
    connections = hub(design, "hub-01")["expressRouteGateway"]["connections"]
    connections[1]["routingConfiguration"] = {"outboundRouteMap": "rm-prepend-anycast"}

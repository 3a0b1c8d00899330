"""AC002: Global Reach links the circuit to one the input does not hold; the fix puts that circuit in the input."""

from edits import Design, named

BASE = "hub-and-spoke"
WHY = "er-circuit is linked by ExpressRoute Global Reach to er-dublin, which is not in the input"


DUBLIN = "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/rg-er-dublin"


def bad(design: Design) -> None:
    reach = f"{DUBLIN}/providers/Microsoft.Network/expressRouteCircuits/er-dublin"
    named(design["expressRouteCircuits"], "er-circuit")["globalReach"] = [reach]


def good(design: Design) -> None:
    """er-dublin is in the input too, so the model follows the routes Global Reach exchanges."""
    bad(design)
    design["expressRouteCircuits"].append(
        {
            "name": "er-dublin",
            "subscription": DUBLIN.split("/")[2],
            "resourceGroup": DUBLIN.split("/")[4],
            "region": "northeurope",
            "peeringLocation": "Dublin",
            "bandwidthInMbps": 1000,
        }
    )

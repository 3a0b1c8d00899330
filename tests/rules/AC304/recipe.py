"""AC304: each region is on its own circuit, so a member failing leaves its circuit without the VIP."""

from edits import Design, named

BASE = "hub-and-spoke"
WHY = "hub-02's gateway is connected to a second circuit, er-dublin, instead of er-circuit"


def _second_circuit(design: Design) -> None:
    design["expressRouteCircuits"].append(
        {"name": "er-dublin", "region": "northeurope", "peeringLocation": "Dublin", "bandwidthInMbps": 1000}
    )


def bad(design: Design) -> None:
    _second_circuit(design)
    connection = named(design["connections"], "ergw-hub-02-er-circuit")
    connection["name"], connection["circuit"] = "ergw-hub-02-er-dublin", "er-dublin"


def good(design: Design) -> None:
    """Both gateways are connected to both circuits: either member can take over the VIP at each."""
    _second_circuit(design)
    for index, region in ((1, "westeurope"), (2, "northeurope")):
        design["connections"].append(
            {
                "name": f"ergw-hub-0{index}-er-dublin",
                "region": region,
                "gateway": f"ergw-hub-0{index}",
                "circuit": "er-dublin",
            }
        )

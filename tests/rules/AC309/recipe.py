"""AC309: a route map removes a community Azure sets; the fix is design B as it is (it only prepends)."""

from edits import Design, hub, named

BASE = "vwan-indirect-spokes"
WHY = "hub-01's route map also removes 12076:50002, the regional community Azure sets on West Europe's routes"


def bad(design: Design) -> None:
    route_map = named(hub(design, "hub-01")["routeMaps"], "rm-prepend-anycast")
    route_map["rules"][0]["actions"].append({"type": "Remove", "parameters": [{"community": ["12076:50002"]}]})

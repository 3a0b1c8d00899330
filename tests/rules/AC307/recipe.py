"""AC307: a route map prepends Microsoft's own ASN; the fix is design B as it is (it prepends 11111)."""

from edits import Design, hub, named

BASE = "vwan-indirect-spokes"
WHY = "hub-01's route map prepends 12076, Microsoft's own ASN, to make region 1 less preferred"


def bad(design: Design) -> None:
    route_map = named(hub(design, "hub-01")["routeMaps"], "rm-prepend-anycast")
    route_map["rules"][0]["actions"][0]["parameters"][0]["asPath"] = ["12076"]

"""AC103: the members announce different prefixes; the fix is design A as it is."""

from edits import Design, vnet

BASE = "hub-and-spoke"
WHY = "dns-02 announces 10.13.76.0/25, dns-01 10.13.76.0/24"


def bad(design: Design) -> None:
    vnet(design, "dns-02")["addressSpace"] = ["10.13.76.0/25"]

"""AC104: a member's endpoint answers off the VIP; the fix is design A as it is."""

from edits import Design, resolver

BASE = "hub-and-spoke"
WHY = "dnspr-02 answers on 10.13.76.5, not on the VIP"


def bad(design: Design) -> None:
    resolver(design, "dnspr-02")["inboundEndpoints"][0]["ipConfigurations"][0]["privateIPAddress"] = "10.13.76.5"

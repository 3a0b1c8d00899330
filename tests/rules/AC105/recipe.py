"""AC105: on-premises uses the anycast range too; the fix renumbers the service."""

from edits import Design, named, resolver, vnet

BASE = "hub-and-spoke"
WHY = "on-premises also uses 10.13.0.0/16 (see anycast-lint.yaml), which holds the anycast range"
# no VIP here: the good design moves it, and both designs answer on one address (it is inferred)
CONFIG = "onprem:\n  prefixes: [172.16.0.0/12, 10.13.0.0/16]\n"


def bad(design: Design) -> None:
    """The design is fine; the configuration around it is what the rule objects to."""


def good(design: Design) -> None:
    """Move the service to 10.99.76.0/24, clear of on-premises 10.13.0.0/16."""
    for name in ("dns-01", "dns-02"):
        member = vnet(design, name)
        member["addressSpace"] = ["10.99.76.0/24"]
        member["subnets"][0]["addressPrefix"] = "10.99.76.0/28"
    for name in ("dnspr-01", "dnspr-02"):
        resolver(design, name)["inboundEndpoints"][0]["ipConfigurations"][0]["privateIPAddress"] = "10.99.76.4"
    for group in design["networkSecurityGroups"]:
        named(group["securityRules"], "allow-dns-inbound")["destinationAddressPrefix"] = "10.99.76.4"

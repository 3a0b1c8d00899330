"""AC303: the service has one member; the fix is design A as it is (a member per region)."""

from edits import Design, named, vnet

BASE = "hub-and-spoke"
WHY = "dns-02 (northeurope) and its resolver are gone: dns-01 is the service's only member"


def bad(design: Design) -> None:
    design["virtualNetworks"].remove(vnet(design, "dns-02"))
    design["dnsResolvers"].remove(named(design["dnsResolvers"], "dnspr-02"))
    design["networkSecurityGroups"].remove(named(design["networkSecurityGroups"], "nsg-dns-inbound-02"))
    vnet(design, "hub-02")["peerings"] = []

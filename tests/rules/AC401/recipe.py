"""AC401: a resolver's outbound endpoint sits in the anycast VNet; the fix moves it to a resolver in the hub."""

from edits import Design, resolver, vnet

BASE = "hub-and-spoke"
WHY = "dnspr-01 has an outbound endpoint inside the anycast VNet"


def bad(design: Design) -> None:
    vnet(design, "dns-01")["subnets"].append(
        {
            "name": "snet-dns-outbound",
            "addressPrefix": "10.13.76.16/28",
            "delegations": ["Microsoft.Network/dnsResolvers"],
        }
    )
    resolver(design, "dnspr-01")["outboundEndpoints"] = [{"name": "outbound", "subnet": "snet-dns-outbound"}]


def good(design: Design) -> None:
    """A separate resolver for outbound forwarding, in the hub (unique addresses)."""
    vnet(design, "hub-01")["subnets"].append(
        {
            "name": "snet-dns-outbound",
            "addressPrefix": "192.168.129.0/28",
            "delegations": ["Microsoft.Network/dnsResolvers"],
        }
    )
    design["dnsResolvers"].append(
        {
            "name": "dnspr-outbound-01",
            "region": "westeurope",
            "virtualNetwork": "hub-01",
            "outboundEndpoints": [{"name": "outbound", "subnet": "snet-dns-outbound"}],
        }
    )

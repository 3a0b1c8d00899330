"""AS numbers the ExpressRoute edge and on-premises treat specially, with where each fact comes from.

- Documented ("ExpressRoute routing requirements", learn.microsoft.com/azure/expressroute/expressroute-routing,
  Autonomous System numbers): "Microsoft uses AS 12076 for Azure public, Azure private, and Microsoft
  peering. Microsoft reserves ASNs from 65,515 to 65,520 for internal use."
- Documented ("About Route-maps for virtual hubs", learn.microsoft.com/azure/virtual-wan/route-maps-about,
  Considerations and limitations): "do not use ASN's reserved by Azure for AS prepending: Public ASNs: 8074,
  8075, 12076; Private ASNs: 65515, 65517, 65518, 65519, 65520"; "do not use private ASNs for AS
  prepending ... the same applies for ExpressRoute private peerings"; "Route-maps only supports 2-byte ASN
  numbers".
- Observed (the field report's route table: the hub prefix 192.168.128.0/23, advertised by the gateway
  with path `65515`, comes back from on-premises as `133937 12076`): the edge sends its routes to
  on-premises with 12076 in front and Azure's private 65515 removed. That every private ASN is removed,
  not only 65515, is assumed from the route-maps page's warning above; Microsoft does not document the
  private-peering behaviour further.
"""

from __future__ import annotations

MICROSOFT_ASN = 12076
# Reserved by Azure: the union of the two documented lists (the routing requirements reserve 65515-65520;
# the route-maps page names 8074, 8075, 12076 and 65515, 65517-65520).
RESERVED_ASNS = frozenset({8074, 8075, MICROSOFT_ASN, *range(65515, 65521)})
# RFC 6996: 64512-65534 (2-byte) and 4200000000-4294967294 (4-byte) are for private use.
PRIVATE_RANGES = ((64512, 65534), (4200000000, 4294967294))
TWO_BYTE_MAX = 65535


def is_private(asn: int) -> bool:
    return any(low <= asn <= high for low, high in PRIVATE_RANGES)


def is_reserved(asn: int) -> bool:
    return asn in RESERVED_ASNS


def onprem_path(edge_path: tuple[int, ...]) -> tuple[int, ...]:
    """The AS path on-premises receives for a route the edge holds with `edge_path`: Microsoft's 12076 in
    front, private ASNs removed (observed for 65515, assumed for the others; see the module docstring)."""
    return (MICROSOFT_ASN, *(asn for asn in edge_path if not is_private(asn)))


def path_text(path: tuple[int, ...]) -> str:
    return " ".join(str(asn) for asn in path)

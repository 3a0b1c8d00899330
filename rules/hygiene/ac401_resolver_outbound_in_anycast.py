"""AC401 resolver-outbound-in-anycast: no DNS Private Resolver outbound endpoint in an anycast VNet.

Outbound endpoints initiate queries (conditional forwarding to on-premises DNS). From an anycast VNet
their source addresses are anycast addresses, and the replies are routed to whichever member wins at the
edge, usually not the one that asked.

It needs the resolvers' outbound endpoints: an input that does not cover them (a list of VNets, a template
that declares none) gets one note saying so, not a pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import remove_resource
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_name, id_parent
from anycast_lint.model.topology import OutboundEndpoint
from anycast_lint.rules.inputs._coverage import cannot_tell
from anycast_lint.rules.registry import rule


@rule("AC401", "resolver-outbound-in-anycast", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    if topology.coverage.missing("outbound_endpoints"):
        yield from cannot_tell(
            ctx, "outbound_endpoints", "whether a DNS resolver outbound endpoint sits in an anycast VNet"
        )
        return
    for endpoint in topology.outbound_endpoints.values():
        vnet = topology.vnet_of_subnet(endpoint.subnet_id)
        if vnet is None and endpoint.subnet_id and "/subnets/" in endpoint.subnet_id.lower():
            vnet = topology.virtual_networks.find(endpoint.subnet_id.rsplit("/subnets/", 1)[0])
        service = ctx.services.of(vnet.id) if vnet else None
        if vnet is None or service is None:
            continue
        yield Violation(
            f"DNS resolver outbound endpoint '{endpoint.name}' sits in '{vnet.name}', a member of anycast service "
            f"'{service.name}': its queries leave from the anycast range and the answers are routed to whichever "
            f"region wins at the edge. Put the outbound endpoint (and its forwarding ruleset) in a VNet with unique "
            f"addresses",
            endpoint.id,
            endpoint.origin,
            service.name,
            fix=remove_outbound_endpoint(
                endpoint, "create it (with its forwarding ruleset links) in a subnet of a VNet with unique addresses"
            ),
        )


def remove_outbound_endpoint(endpoint: OutboundEndpoint, instead: str) -> Fix:
    """AC401: the outbound endpoint leaves the anycast VNet (recreate it in a VNet with unique addresses)."""
    resolver = id_name(endpoint.resolver_id or id_parent(endpoint.id))
    return remove_resource(
        endpoint,
        f"remove outbound endpoint '{resolver}/{endpoint.name}' from the anycast VNet; {instead}",
        f"# remove azurerm_private_dns_resolver_outbound_endpoint {json.dumps(endpoint.name)}; {instead}\n",
        "Microsoft.Network/dnsResolvers/outboundEndpoints",
        f"{resolver}/{endpoint.name}",
    )

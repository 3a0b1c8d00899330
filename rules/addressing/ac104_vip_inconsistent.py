"""AC104 vip-inconsistent: every member must hold the VIP in its prefix and answer on it."""

from __future__ import annotations

import json
from collections.abc import Iterator

from anycast_lint.analysis.services import answers, endpoint_ips, service_vip
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import SET, Change, Edit, Fix
from anycast_lint.fixes.builders import advice
from anycast_lint.fixes.snippets import arm_property, az, block, resource
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.ids import id_name, id_parent
from anycast_lint.model.topology import EndpointIp, InboundEndpoint, IPAddress, Topology, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC104", "vip-inconsistent", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    for service in ctx.services:
        if not service.members:
            continue
        vip = service_vip(service, topology)
        if vip is None:
            seen = {m.name: sorted(map(str, endpoint_ips(topology, m))) for m in service.members}
            anchor = service.members[0]
            if all(seen.values()):
                listing = "; ".join(f"'{n}': {', '.join(ips)}" for n, ips in seen.items())
                yield Violation(
                    f"service '{service.name}' has no VIP configured and its members answer on different addresses "
                    f"({listing}): no one address reaches every region. Set services.{service.name}.vip and give "
                    f"every member an endpoint on it",
                    anchor.id,
                    anchor.origin,
                    f"{service.name}|no-common-vip",
                    fix=advice(
                        f"set services.{service.name}.vip in anycast-lint.yaml and give every member an endpoint on it"
                    ),
                )
            else:
                missing = ", ".join(f"'{n}'" for n, ips in seen.items() if not ips)
                yield undecided(
                    f"service '{service.name}' has no VIP configured (services.{service.name}.vip) and the input shows "
                    f"no endpoint in {missing}: cannot check the VIP",
                    anchor.id,
                    anchor.origin,
                    f"{service.name}|vip-unknown",
                    f"set services.{service.name}.vip in anycast-lint.yaml",
                )
            continue
        for member in service.members:
            unknown_space = member.unknown("address_prefixes")
            if unknown_space and not member.address_prefixes:
                yield undecided(
                    f"cannot check VIP {vip} of service '{service.name}' in '{member.name}': its address space is "
                    f"unknown ({unknown_space.reason})",
                    member.id,
                    member.origin,
                    f"{service.name}|prefix-unknown",
                    f"give the address space of '{member.name}' in the input (it is unknown)",
                )
                continue
            if not any(vip.version == p.version and vip in p for p in member.address_prefixes):
                spaces = ", ".join(map(str, member.address_prefixes)) or "no address space"
                yield Violation(
                    f"VIP {vip} of service '{service.name}' is outside member '{member.name}' ({spaces}): the member "
                    f"never receives the VIP's traffic. Use a prefix that contains {vip}",
                    member.id,
                    member.prefix_origin(0),
                    f"{service.name}|outside",
                    fix=advice(f"give '{member.name}' the prefix of the other members, which contains {vip}"),
                )
                continue
            answering = answers(topology, member, vip)
            if answering is False:
                ips = ", ".join(sorted(map(str, endpoint_ips(topology, member))))
                yield Violation(
                    f"member '{member.name}' of service '{service.name}' has no endpoint on VIP {vip} (its endpoints "
                    f"answer on {ips}): when the edge sends the VIP there, nothing answers. Give its resolver inbound "
                    f"endpoint or server NIC the static address {vip}",
                    member.id,
                    member.origin,
                    f"{service.name}|no-endpoint",
                    fix=_fix(topology, member, vip),
                )
            elif answering is None:
                yield undecided(
                    f"cannot tell whether member '{member.name}' of service '{service.name}' answers on VIP {vip}: the "
                    f"input has no resolver inbound endpoint or NIC in it",
                    member.id,
                    member.origin,
                    f"{service.name}|endpoint-unknown",
                    f"include the resolver inbound endpoint or NIC of '{member.name}' in the input",
                )


def _fix(topology: Topology, member: VirtualNetwork, vip: IPAddress) -> Fix | None:
    """Readdress the member's resolver inbound endpoint (a server NIC's change is the help page's)."""
    for endpoint in topology.inbound_endpoints.values():
        for config in endpoint.ip_configurations:
            vnet = topology.vnet_of_subnet(config.subnet_id)
            if vnet is not None and vnet.id == member.id and isinstance(endpoint, InboundEndpoint):
                return endpoint_address(endpoint, config, vip)
    return None


def endpoint_address(endpoint: InboundEndpoint, config: EndpointIp, vip: IPAddress) -> Fix:
    """AC104: the resolver inbound endpoint answers on the VIP (static; the address is set at creation)."""
    resolver = id_name(endpoint.resolver_id or id_parent(endpoint.id))
    subnet = config.subnet_id or "<subnet id>"
    ip_configuration = {"subnet": {"id": subnet}, "privateIpAddress": str(vip), "privateIpAllocationMethod": "Static"}
    return Fix(
        f"give resolver inbound endpoint '{resolver}/{endpoint.name}' the static address {vip} (recreate it: the "
        f"address is set at creation)",
        az="\n".join(
            (
                az("az resource delete", ids=endpoint.id),
                az(
                    "az resource create",
                    id=endpoint.id,
                    location=endpoint.region or "<region>",
                    properties=json.dumps({"ipConfigurations": [ip_configuration]}),
                ),
            )
        ),
        terraform=resource(
            "azurerm_private_dns_resolver_inbound_endpoint",
            endpoint.name,
            ("name", endpoint.name),
            ("private_dns_resolver_id", endpoint.resolver_id or "<resolver id>"),
            ("location", endpoint.region or "<region>"),
            (
                "ip_configurations",
                block(
                    "ip_configurations",
                    ("subnet_id", subnet),
                    ("private_ip_address", str(vip)),
                    ("private_ip_allocation_method", "Static"),
                ),
            ),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/dnsResolvers/inboundEndpoints",
            f"{resolver}/{endpoint.name}",
            {
                "ipConfigurations": [
                    {"subnet": {"id": subnet}, "privateIpAddress": str(vip), "privateIpAllocationMethod": "Static"}
                ]
            },
        ),
        edits=(
            Edit(
                config.origin,
                (Change(SET, ("privateIPAddress",), str(vip)),),
                (Change(SET, ("privateIpAddress",), str(vip)), Change(SET, ("privateIpAllocationMethod",), "Static")),
            ),
        ),
    )

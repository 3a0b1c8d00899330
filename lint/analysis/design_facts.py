"""Facts about an anycast design that several rules need: VIP subnets, indirect-spoke links, forwarders,
route coverage and NSG decisions. Pure functions of the topology; prefix math with `ipaddress`."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import (
    HubVirtualNetworkConnection,
    IPAddress,
    IPNetwork,
    NetworkInterface,
    NetworkSecurityGroup,
    Peering,
    Route,
    RouteTable,
    SecurityRule,
    StaticRoute,
    Subnet,
    Topology,
    VirtualNetwork,
)

SPECIAL_SUBNETS = frozenset(
    name.lower()
    for name in (
        "GatewaySubnet",
        "AzureFirewallSubnet",
        "AzureFirewallManagementSubnet",
        "RouteServerSubnet",
        "AzureBastionSubnet",
    )
)
PRIVATE_RANGES = tuple(ipaddress.ip_network(p) for p in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


def is_special(subnet: Subnet) -> bool:
    return subnet.name.lower() in SPECIAL_SUBNETS


def covers(outer: IPNetwork, inner: IPNetwork) -> bool:
    return outer.version == inner.version and inner.subnet_of(outer)  # type: ignore[arg-type]


def overlaps(left: IPNetwork, right: IPNetwork) -> bool:
    return left.version == right.version and left.overlaps(right)


def vip_subnets(topology: Topology, member: VirtualNetwork, vip: IPAddress) -> list[Subnet]:
    """Subnets of a member that hold the VIP: by prefix, or hosting an endpoint on it."""
    found = []
    for subnet in member.subnets:
        if is_special(subnet):
            continue
        if any(vip.version == p.version and vip in p for p in subnet.address_prefixes):
            found.append(subnet)
    return found


def endpoint_subnets(topology: Topology, member: VirtualNetwork) -> list[Subnet]:
    """Subnets of a member with an endpoint (resolver inbound endpoint or NIC) in them."""
    found: dict[str, Subnet] = {id_key(subnet.id): subnet for subnet, _, _ in topology.addresses_in(member)}
    return list(found.values())


def service_subnets(topology: Topology, member: VirtualNetwork, vip: IPAddress | None) -> list[Subnet]:
    """The subnets that serve the anycast address: VIP subnets, else the endpoint subnets."""
    if vip is not None:
        found = vip_subnets(topology, member, vip)
        if found:
            return found
    return [s for s in endpoint_subnets(topology, member) if not is_special(s)]


@dataclass(frozen=True)
class TransitLink:
    """An indirect spoke's way to the hub: its peering to a transit VNet that a hub connection reaches."""

    member: VirtualNetwork
    peering: Peering  # member -> transit
    transit: VirtualNetwork
    connections: tuple[HubVirtualNetworkConnection, ...]


def directly_connected(topology: Topology, vnet: VirtualNetwork) -> list[HubVirtualNetworkConnection]:
    """The hub connections to the VNet itself, in input order (from an index built once per topology)."""
    return list(topology.hub_connections_by_remote.get(id_key(vnet.id), ()))


def transit_links(topology: Topology, member: VirtualNetwork) -> list[TransitLink]:
    """Design B: the member is not connected to a hub itself but peers with VNets that are."""
    if directly_connected(topology, member):
        return []
    links = []
    for peering in member.peerings:
        transit = topology.virtual_networks.find(peering.remote_vnet_id)
        if transit is None:
            continue
        connections = directly_connected(topology, transit)
        if connections:
            links.append(TransitLink(member, peering, transit, tuple(connections)))
    return links


def forwarder_ips(topology: Topology, transit: VirtualNetwork) -> dict[IPAddress, str]:
    """Addresses in a transit VNet that forward packets: firewalls, NVAs, NICs with IP forwarding."""
    found: dict[IPAddress, str] = {}
    for forwarder in topology.forwarders.values():
        if forwarder.vnet_id and id_key(forwarder.vnet_id) == id_key(transit.id):
            for address in forwarder.private_ips:
                found[address] = forwarder.label
    for _, held, owner in topology.addresses_in(transit):
        if isinstance(owner, NetworkInterface) and owner.enable_ip_forwarding and held is not None:
            found[held] = f"{owner.label} (IP forwarding on)"
    return found


def forwarders_in(topology: Topology, transit: VirtualNetwork) -> dict[str, str]:
    """Id key -> label of the firewalls and NVAs placed in a transit VNet, whether or not their addresses
    are known (a planned firewall's private IP is known only after apply)."""
    return {
        id_key(f.id): f.label
        for f in topology.forwarders.values()
        if f.vnet_id and id_key(f.vnet_id) == id_key(transit.id)
    }


def nic_with_address(topology: Topology, vnet: VirtualNetwork, address: IPAddress) -> NetworkInterface | None:
    """The NIC in `vnet` that holds `address`, if the input has it."""
    for _, held, owner in topology.addresses_in(vnet):
        if held == address and isinstance(owner, NetworkInterface):
            return owner
    return None


def forwarders_known(topology: Topology, transit: VirtualNetwork) -> bool:
    """Whether the input describes the transit VNet's forwarders at all (an export may omit them)."""
    return bool(forwarder_ips(topology, transit)) or any(
        f.vnet_id and id_key(f.vnet_id) == id_key(transit.id) for f in topology.forwarders.values()
    )


def covering_static_routes(connection: HubVirtualNetworkConnection, prefix: IPNetwork) -> list[StaticRoute]:
    return [r for r in connection.routing.static_routes if any(covers(p, prefix) for p in r.address_prefixes)]


@dataclass(frozen=True)
class RouteDecision:
    """What a route table does with traffic to one destination range."""

    route: Route | None  # the most specific route covering the whole range
    exceptions: tuple[Route, ...]  # more specific routes inside the range that send part of it elsewhere


def route_for(table: RouteTable, destination: IPNetwork) -> RouteDecision:
    covering = [r for r in table.routes if r.prefix is not None and covers(r.prefix, destination)]
    best = max(covering, key=lambda r: r.prefix.prefixlen if r.prefix else -1, default=None)
    inside = [
        r
        for r in table.routes
        if r.prefix is not None and r is not best and covers(destination, r.prefix) and r.prefix != destination
    ]
    return RouteDecision(best, tuple(inside))


# --- NSG evaluation ---------------------------------------------------------------------------------------

DEFAULT_OUTBOUND = (
    ("AllowVnetOutBound", 65000, "Allow", "VirtualNetwork"),
    ("AllowInternetOutBound", 65001, "Allow", "Internet"),
    ("DenyAllOutBound", 65500, "Deny", "*"),
)
# AllowAzureLoadBalancerInBound admits only the platform's probe address: never an on-premises source.
DEFAULT_INBOUND = (
    ("AllowVnetInBound", 65000, "Allow", "VirtualNetwork"),
    ("DenyAllInBound", 65500, "Deny", "*"),
)


@dataclass(frozen=True)
class NsgDecision:
    access: str  # Allow or Deny
    rule_name: str
    priority: int
    default: bool
    rule: SecurityRule | None = None


def _tag_covers(tag: str, destination: IPNetwork, virtual_network_space: Iterable[IPNetwork]) -> bool:
    """Service tags as NSGs read them: '*'/Any, Internet (not private), VirtualNetwork (VNet, peered and
    on-premises space), or a CIDR."""
    text = tag.strip()
    if text in ("*", "Any", "0.0.0.0/0", "::/0"):
        return True
    if text.lower() == "internet":
        return not destination.is_private
    if text.lower() == "virtualnetwork":
        return any(covers(space, destination) for space in virtual_network_space)
    try:
        return covers(ipaddress.ip_network(text, strict=False), destination)
    except ValueError:
        return False  # another service tag (AzureCloud, Storage, ...): never the on-premises ranges


def outbound_decision(
    nsg: NetworkSecurityGroup,
    destination: IPNetwork,
    virtual_network_space: Iterable[IPNetwork],
    source: Iterable[IPNetwork] = (),
) -> NsgDecision:
    """The first outbound rule (by priority, defaults last) that decides new flows to `destination`.

    A Deny decides only when it covers the whole range for every protocol and port. An Allow decides as
    soon as it lets anything to any part of the range through: a narrow Allow above a broad Deny still
    opens new flows. Rules whose source does not include the subnet do not apply.
    """
    return _decision(nsg, "Outbound", DEFAULT_OUTBOUND, list(source), destination, list(virtual_network_space))


def inbound_decision(
    nsg: NetworkSecurityGroup,
    source: IPNetwork,
    destination: IPNetwork,
    virtual_network_space: Iterable[IPNetwork],
) -> NsgDecision:
    """The first inbound rule (by priority, defaults last) that decides a flow from `source` to
    `destination`, read the same way as `outbound_decision` (documented: "Network security groups",
    default security rules AllowVnetInBound, AllowAzureLoadBalancerInBound, DenyAllInBound)."""
    return _decision(nsg, "Inbound", DEFAULT_INBOUND, [source], destination, list(virtual_network_space))


def _decision(
    nsg: NetworkSecurityGroup,
    direction: str,
    defaults: tuple[tuple[str, int, str, str], ...],
    sources: list[IPNetwork],
    destination: IPNetwork,
    space: list[IPNetwork],
) -> NsgDecision:
    rules = sorted((r for r in nsg.rules if r.direction == direction), key=lambda r: r.priority)
    for rule in rules:
        if sources and not any(
            _tag_covers(p, s, space) or _partially(p, s) for p in rule.source_prefixes for s in sources
        ):
            continue
        full = any(_tag_covers(p, destination, space) for p in rule.destination_prefixes)
        partial = full or any(_partially(p, destination) for p in rule.destination_prefixes)
        if rule.access == "Allow" and partial:
            return NsgDecision("Allow", rule.name, rule.priority, False, rule)
        every_flow = rule.protocol == "*" and set(rule.destination_ports) <= {"*", "0-65535"}
        if rule.access == "Deny" and full and every_flow:
            return NsgDecision("Deny", rule.name, rule.priority, False, rule)
    for name, priority, access, tag in defaults:
        source_fits = direction == "Outbound" or all(_tag_covers(tag, s, space) for s in sources)
        if source_fits and _tag_covers(tag, destination, space):
            return NsgDecision(access, name, priority, True)
    return NsgDecision("Deny", defaults[-1][0], defaults[-1][1], True)


def _partially(text: str, destination: IPNetwork) -> bool:
    try:
        return overlaps(ipaddress.ip_network(text.strip(), strict=False), destination)
    except ValueError:
        return False


def virtual_network_tag_space(topology: Topology, vnet: VirtualNetwork, onprem: Iterable[IPNetwork]) -> list[IPNetwork]:
    """What the VirtualNetwork service tag covers for a VNet: its own space, peered VNets' space and the
    on-premises ranges learned through gateways."""
    space = list(vnet.address_prefixes) + list(onprem)
    for peering in vnet.peerings:
        remote = topology.virtual_networks.find(peering.remote_vnet_id)
        if remote is not None:
            space += list(remote.address_prefixes)
    return space

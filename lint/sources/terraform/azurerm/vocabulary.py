"""azurerm's vocabulary as the translation reads it: resource types by role, enum spellings, plan paths."""

from __future__ import annotations

from typing import Any

from anycast_lint.model.ids import is_resource_id
from anycast_lint.model.topology import UnknownValue
from anycast_lint.model.values import Unknown
from anycast_lint.sources.terraform.plan import Instance

PLACEHOLDER_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
Path = tuple[str | int, ...]

# azurerm type -> ARM type segment under Microsoft.Network, for top-level resources
TOP_LEVEL = {
    "azurerm_virtual_network": "virtualNetworks",
    "azurerm_route_table": "routeTables",
    "azurerm_network_security_group": "networkSecurityGroups",
    "azurerm_nat_gateway": "natGateways",
    "azurerm_network_interface": "networkInterfaces",
    "azurerm_virtual_network_gateway": "virtualNetworkGateways",
    "azurerm_virtual_network_gateway_connection": "connections",
    "azurerm_express_route_circuit": "expressRouteCircuits",
    "azurerm_virtual_wan": "virtualWans",
    "azurerm_virtual_hub": "virtualHubs",
    "azurerm_express_route_gateway": "expressRouteGateways",
    "azurerm_firewall": "azureFirewalls",
    "azurerm_private_dns_resolver": "dnsResolvers",
}
# child type -> (segment, attribute naming the parent, how: "name" (parent name + resource group) or "id")
CHILDREN = {
    "azurerm_subnet": ("subnets", "virtual_network_name", "azurerm_virtual_network"),
    "azurerm_virtual_network_peering": ("virtualNetworkPeerings", "virtual_network_name", "azurerm_virtual_network"),
    "azurerm_route": ("routes", "route_table_name", "azurerm_route_table"),
    "azurerm_network_security_rule": ("securityRules", "network_security_group_name", "azurerm_network_security_group"),
    "azurerm_express_route_circuit_peering": (
        "peerings",
        "express_route_circuit_name",
        "azurerm_express_route_circuit",
    ),
    "azurerm_virtual_hub_connection": ("hubVirtualNetworkConnections", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_virtual_hub_route_table": ("hubRouteTables", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_route_map": ("routeMaps", "virtual_hub_id", "azurerm_virtual_hub"),
    "azurerm_express_route_connection": (
        "expressRouteConnections",
        "express_route_gateway_id",
        "azurerm_express_route_gateway",
    ),
    "azurerm_private_dns_resolver_inbound_endpoint": (
        "inboundEndpoints",
        "private_dns_resolver_id",
        "azurerm_private_dns_resolver",
    ),
    "azurerm_private_dns_resolver_outbound_endpoint": (
        "outboundEndpoints",
        "private_dns_resolver_id",
        "azurerm_private_dns_resolver",
    ),
}
ASSOCIATIONS = {
    "azurerm_subnet_route_table_association": "route_table_id",
    "azurerm_subnet_network_security_group_association": "network_security_group_id",
    "azurerm_subnet_nat_gateway_association": "nat_gateway_id",
}
OTHER_READ = {
    "azurerm_virtual_hub_route_table_route",
    "azurerm_virtual_hub_routing_intent",  # read into its hub (routing/intent.py)
    "azurerm_express_route_circuit_connection",  # Global Reach (routing/global_reach.py)
}
NETWORK_TYPES = frozenset(TOP_LEVEL) | frozenset(CHILDREN) | frozenset(ASSOCIATIONS) | OTHER_READ
_ENUMS = {
    n.lower(): n
    for n in (
        "VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None", "Inbound", "Outbound",
        "Allow", "Deny", "Tcp", "Udp", "Icmp", "Esp", "Ah", "ExpressRoute", "Vpn", "IPsec", "Vnet2Vnet",
        "Contains", "Equals", "NotContains", "NotEquals", "Add", "Replace", "Remove", "Drop", "Continue",
        "Terminate", "CIDR", "ResourceId", "Service", "AZFW_VNet", "AZFW_Hub", "ASPath", "Equal",
    )
}  # fmt: skip


def enum_spelling(value: Any) -> Any:
    return _ENUMS.get(value.lower(), value) if isinstance(value, str) else value


def walk(values: Any, path: Path) -> Any:
    node = values
    for part in path:
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or node.__class__ is Unknown:
            return node
    return node


def not_in_plan(what: str, children: str, first: Instance, field_name: str = "properties") -> UnknownValue:
    return UnknownValue(field_name, f"the {what} is not in the plan, only its {children}", first.where)


def known_id(instance: Instance) -> str | None:
    value = instance.values.get("id")
    return value if isinstance(value, str) and is_resource_id(value) else None

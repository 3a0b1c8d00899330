"""Resources that change routing in ways the model does not follow, in both vocabularies (ARM and azurerm).

They are not ignored quietly like a storage account: AC002 names each one and what it may change, so a
prediction that leaves it out says so. The effects are as Microsoft Learn documents them:
- Azure Route Server ("What is Azure Route Server?", "Route Server support for ExpressRoute and VPN"): NVAs
  peered over BGP inject routes into the VNet, and with branch-to-branch on it exchanges routes with the
  VNet's ExpressRoute gateway, so on-premises learns the NVAs' routes;
- BGP connections of a virtual hub ("Configure BGP peering to an NVA in a virtual hub"): the NVA's routes
  propagate in the hub's route tables and on to ExpressRoute;
- Azure Virtual Network Manager connectivity and routing configurations ("Connectivity configuration",
  "Routing configuration"): peerings, "use hub as gateway" and user-defined routes made by the manager, which
  the VNets' own peerings and route tables in the input may not show;
- VPN sites and gateways of a virtual hub ("About virtual hub routing"): branch routes propagate in the hub's
  route tables with ExpressRoute's;
- ExpressRoute Global Reach ("About ExpressRoute Global Reach"): circuits exchange routes, so a hub learns
  another circuit's routes.
"""

from __future__ import annotations

ROUTE_SERVER = (
    "Azure Route Server",
    "NVAs peered with it over BGP inject routes into its VNet and, with branch-to-branch on, through the "
    "VNet's ExpressRoute gateway to on-premises; the model predicts neither",
)

INTENT_OF_HUB_NOT_READ = (
    "routing intent",
    "it belongs to a virtual hub that is not in the input, so what it changes there is not modelled",
)

# ARM type (lower case) -> (what it is, what it may change). Routing intent is modelled (routing/intent.py).
UNMODELLED_ARM_TYPES: dict[str, tuple[str, str]] = {
    "microsoft.network/virtualhubs/bgpconnections": (
        "BGP connection",
        "the peer (an NVA, or Route Server's) advertises routes into the hub or VNet that can reach the circuits",
    ),
    "microsoft.network/virtualrouters": ROUTE_SERVER,
    "microsoft.network/virtualrouters/peerings": (
        "Route Server peering",
        "the peer advertises routes that can reach the circuits through the VNet's ExpressRoute gateway",
    ),
    "microsoft.network/networkmanagers/connectivityconfigurations": (
        "Virtual Network Manager connectivity configuration",
        "it peers VNets (hub and spoke, mesh, 'use hub as gateway') beyond the peerings in the input",
    ),
    "microsoft.network/networkmanagers/routingconfigurations": (
        "Virtual Network Manager routing configuration",
        "it writes user-defined routes into subnets that the route tables in the input may not show",
    ),
    "microsoft.network/vpnsites": (
        "VPN site",
        "its routes propagate in the virtual hub's route tables beside ExpressRoute's",
    ),
    "microsoft.network/vpngateways": (
        "VPN gateway of a virtual hub",
        "branch routes it learns propagate in the hub's route tables beside ExpressRoute's",
    ),
    "microsoft.network/expressroutecircuits/peerings/connections": (
        "ExpressRoute Global Reach connection",
        "the two circuits exchange routes, so hubs and sites learn routes through the other circuit",
    ),
}

# azurerm resource type -> (what it is, what it may change)
UNMODELLED_AZURERM_TYPES: dict[str, tuple[str, str]] = {
    "azurerm_route_server": ROUTE_SERVER,
    "azurerm_route_server_bgp_connection": UNMODELLED_ARM_TYPES["microsoft.network/virtualrouters/peerings"],
    "azurerm_virtual_hub_ip": ROUTE_SERVER,
    "azurerm_virtual_hub_bgp_connection": UNMODELLED_ARM_TYPES["microsoft.network/virtualhubs/bgpconnections"],
    "azurerm_network_manager_connectivity_configuration": UNMODELLED_ARM_TYPES[
        "microsoft.network/networkmanagers/connectivityconfigurations"
    ],
    "azurerm_network_manager_routing_configuration": UNMODELLED_ARM_TYPES[
        "microsoft.network/networkmanagers/routingconfigurations"
    ],
    "azurerm_vpn_site": UNMODELLED_ARM_TYPES["microsoft.network/vpnsites"],
    "azurerm_vpn_gateway": UNMODELLED_ARM_TYPES["microsoft.network/vpngateways"],
}


def is_route_server(properties: dict[str, object]) -> bool:
    """A `Microsoft.Network/virtualHubs` resource that belongs to no virtual WAN and has no hub address prefix:
    Azure Route Server (its ARM type is the virtual hub's; "Create a Route Server using an ARM template")."""
    keys = {key.lower() for key in properties}
    return "virtualwan" not in keys and "addressprefix" not in keys

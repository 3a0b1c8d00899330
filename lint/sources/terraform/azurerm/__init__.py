"""Terraform's azurerm vocabulary -> the model: the planned state of a `terraform show -json` plan.

One translator per vocabulary (DESIGN.md §2): attribute names, blocks and defaults are azurerm's, across
provider 3.x, 4.x and 5.x (`disable_bgp_route_propagation` vs the inverted `bgp_route_propagation_enabled`,
`enable_ip_forwarding` vs `ip_forwarding_enabled`, `address_prefix` vs `address_prefixes`).

Identity: the ARM id when the plan knows it (resources that already exist), else a synthetic id of the
same shape built from the names, in the placeholder subscription 00000000-0000-0000-0000-000000000000
(as for ARM templates), so that messages, suppressions (`*/virtualNetworks/dns-01`) and hub children
(`<hub>/hubRouteTables/defaultRouteTable`) work alike. Links whose value is known only after apply (ids,
firewall addresses) are followed through the configuration's references; a route whose next hop is the
unknown private IP of an Azure Firewall keeps that firewall as its next hop. What cannot be resolved is
an `UnknownValue`, listed in the report; rules never guess it.
"""

from anycast_lint.sources.terraform.azurerm.translator import AzurermTranslator

__all__ = ["AzurermTranslator"]

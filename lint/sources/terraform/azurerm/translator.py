"""The azurerm translator: every family, and the order a plan is read in."""

from __future__ import annotations

from collections.abc import Callable

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.topology import NetworkSecurityGroup, RouteTable, UnmodelledRouting, VirtualHub
from anycast_lint.sources.terraform.azurerm.forwarders import ForwarderFamily
from anycast_lint.sources.terraform.azurerm.gateways import GatewayFamily
from anycast_lint.sources.terraform.azurerm.networks import NetworkFamily
from anycast_lint.sources.terraform.azurerm.subnet_settings import SubnetSettingsFamily
from anycast_lint.sources.terraform.azurerm.vocabulary import CHILDREN, NETWORK_TYPES, TOP_LEVEL, not_in_plan
from anycast_lint.sources.terraform.azurerm.wan import WanFamily
from anycast_lint.sources.terraform.plan import Instance
from anycast_lint.sources.unmodelled import INTENT_OF_HUB_NOT_READ, UNMODELLED_AZURERM_TYPES


class AzurermTranslator(NetworkFamily, SubnetSettingsFamily, GatewayFamily, WanFamily, ForwarderFamily):
    """One plan's azurerm resources into the builder: each family reads its own types (see the modules)."""

    # -- translation --------------------------------------------------------------------------------

    def translate(self) -> None:
        network = [i for i in self.plan.instances if i.mode == "managed" and i.type in NETWORK_TYPES]
        data_sources = [i for i in self.plan.instances if i.mode == "data"]
        for instance in self.plan.instances:
            if instance.mode == "managed" and instance.type in UNMODELLED_AZURERM_TYPES:
                what, effect = UNMODELLED_AZURERM_TYPES[instance.type]  # AC002 names it
                name = instance.values.get("name")
                label = name if isinstance(name, str) and name else instance.address
                self.builder.unmodelled.append(UnmodelledRouting(instance.address, label, what, effect, instance.where))
            elif instance.mode == "managed" and instance.type not in NETWORK_TYPES:
                self.builder.ignored[instance.type] += 1
        self._assign_ids(network + [d for d in data_sources if d.type in TOP_LEVEL or d.type in CHILDREN])
        for instance in network:
            self._collect_child(instance)
        handlers: dict[str, Callable[[Instance], None]] = {
            "azurerm_virtual_network": self._vnet,
            "azurerm_route_table": self._route_table,
            "azurerm_network_security_group": self._nsg,
            "azurerm_nat_gateway": self._nat_gateway,
            "azurerm_network_interface": self._nic,
            "azurerm_virtual_network_gateway": self._vnet_gateway,
            "azurerm_virtual_network_gateway_connection": self._connection,
            "azurerm_express_route_circuit": self._circuit,
            "azurerm_virtual_wan": self._wan,
            "azurerm_virtual_hub": self._hub,
            "azurerm_virtual_hub_connection": self._hub_connection,
            "azurerm_virtual_hub_route_table": self._hub_route_table,
            "azurerm_route_map": self._route_map,
            "azurerm_express_route_gateway": self._er_gateway,
            "azurerm_express_route_connection": self._er_connection,
            "azurerm_firewall": self._firewall,
            "azurerm_private_dns_resolver": self._resolver,
            "azurerm_private_dns_resolver_inbound_endpoint": self._inbound_endpoint,
            "azurerm_private_dns_resolver_outbound_endpoint": self._outbound_endpoint,
        }
        intents = [self._routing_intent(i) for i in network if i.type == "azurerm_virtual_hub_routing_intent"]
        self.intents = {id_key(hub): intent for hub, intent in intents if hub}
        handlers["azurerm_express_route_circuit_connection"] = self._global_reach
        for instance in network:
            handler = handlers.get(instance.type)
            if handler is not None:
                handler(instance)
            self.read += 1
        self._orphans()
        hubs = {id_key(hub.id) for hub in self.builder.collection(VirtualHub)}
        for hub, intent in intents:  # an intent whose hub the plan does not hold: said, not dropped
            if hub is None or id_key(hub) not in hubs:
                self.builder.unmodelled.append(
                    UnmodelledRouting(intent.id, intent.name, *INTENT_OF_HUB_NOT_READ, intent.origin)
                )

    # -- children without a planned parent --------------------------------------------------------

    def _orphans(self) -> None:
        """Subnets, peerings, routes and rules whose parent exists outside the plan: kept under a
        placeholder parent that says it is not in the input (as for partial ARM exports)."""
        for vnet_key, subnets in list(self.children.subnets.items()):
            if subnets:
                self._placeholder_vnet(subnets[0], subnets, self.children.peerings.pop(vnet_key, []))
        for _vnet_key, peerings in list(self.children.peerings.items()):
            if peerings:
                self._placeholder_vnet(peerings[0], [], peerings)
        for table_key, routes in list(self.children.routes.items()):
            if routes:
                first = routes[0]
                table_id = id_parent(self.ids[first.address])
                self.builder.add(
                    RouteTable(
                        id=table_id,
                        name=id_name(table_id),
                        origin=first.where,
                        routes=tuple(self._route(table_id, r, (), self.ids[r.address]) for r in routes),
                        unknowns=(not_in_plan("route table", "routes", first),),
                    )
                )
            del self.children.routes[table_key]
        for nsg_key, rules in list(self.children.rules.items()):
            if rules:
                first = rules[0]
                nsg_id = id_parent(self.ids[first.address])
                self.builder.add(
                    NetworkSecurityGroup(
                        id=nsg_id,
                        name=id_name(nsg_id),
                        origin=first.where,
                        rules=tuple(self._rule(nsg_id, r, (), self.ids[r.address]) for r in rules),
                        unknowns=(not_in_plan("network security group", "security rules", first),),
                    )
                )
            del self.children.rules[nsg_key]

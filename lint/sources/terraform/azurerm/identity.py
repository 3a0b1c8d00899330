"""The translator's state and identity: the model id of every planned instance, and what each family
shares (the envelope of a resource, its unknowns, the children kept for their parent)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.model.ids import NETWORK, arm_id, id_key, id_name, id_parent, is_resource_id
from anycast_lint.model.topology import RoutingIntent, default_route_table_id
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import (
    ASSOCIATIONS,
    CHILDREN,
    PLACEHOLDER_SUBSCRIPTION,
    TOP_LEVEL,
    known_id,
    walk,
)
from anycast_lint.sources.terraform.plan import Instance, Plan
from anycast_lint.sources.terraform.references import References, Target


@dataclass
class _Children:
    """Resources that the model keeps inside a parent, grouped by the parent's id key."""

    subnets: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    peerings: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    routes: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    rules: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    hub_routes: dict[str, list[Instance]] = field(default_factory=lambda: defaultdict(list))
    associations: dict[str, dict[str, tuple[str | None, Instance]]] = field(
        default_factory=lambda: defaultdict(dict)
    )  # subnet key -> attribute -> (id, association)


class TranslatorCore:
    """What every family reads through: the plan, the builder, ids, and the children kept by parent."""

    def __init__(self, plan: Plan, builder: TopologyBuilder):
        self.plan = plan
        self.builder = builder
        self.references = References(plan)
        self.ids: dict[str, str] = {}  # address -> model id
        self._claimed: dict[str, str] = {}  # id key -> address
        self.types: dict[str, str] = {}  # address -> azurerm type
        self.children = _Children()
        self.read = 0  # network resources translated
        self.read = 0  # network resources translated
        self.intents: dict[
            str, RoutingIntent
        ] = {}  # hub key -> its routing intent (azurerm_virtual_hub_routing_intent)

    # -- identity -----------------------------------------------------------------------------------

    def id_of_target(self, target: Target, kinds: tuple[str, ...]) -> str | None:
        """The id a reference stands for: `x.id` (or `x` itself) of an expected type, a hub's default table."""
        instance = target.instance
        if target.path in ((), ("id",)) and instance.type in kinds:
            return self.ids.get(instance.address) or known_id(instance)
        if instance.type == "azurerm_virtual_hub" and target.path == ("default_route_table_id",):
            hub = self.ids.get(instance.address)
            return default_route_table_id(hub) if hub else None
        if instance.type == "azurerm_virtual_network" and target.path == ("subnet",) and "azurerm_subnet" in kinds:
            return self._only_inline_subnet(instance)
        known = walk(instance.values, target.path) if target.path else None
        return known if isinstance(known, str) and is_resource_id(known) else None

    def _only_inline_subnet(self, instance: Instance) -> str | None:
        """`tolist(azurerm_virtual_network.x.subnet)[0].id`, `one(...)` or a `for` filter by name: Terraform
        records only `azurerm_virtual_network.x.subnet` (a set, so never indexed in the reference). One
        subnet id taken from a list of one inline subnet is that subnet; from several, it cannot be told."""
        subnets = instance.values.get("subnet")
        vnet_id = self.ids.get(instance.address)
        if not isinstance(subnets, list) or len(subnets) != 1 or not isinstance(subnets[0], dict) or not vnet_id:
            return None
        known, name = subnets[0].get("id"), subnets[0].get("name")
        if isinstance(known, str) and is_resource_id(known):
            return known
        return f"{vnet_id}/subnets/{name}" if isinstance(name, str) and name else None

    def _resource_group(self, instance: Instance) -> str:
        value = instance.values.get("resource_group_name")
        if isinstance(value, str) and value:
            return value
        for target in self.references.resolve(instance, ("resource_group_name",)):
            name = walk(target.instance.values, target.path)
            if isinstance(name, str) and name:
                return name
        return "unknown-resource-group"

    def _own_name(self, instance: Instance) -> str:
        name = instance.values.get("name")
        if isinstance(name, str) and name:
            return name
        if instance.type == "azurerm_express_route_circuit_peering":
            peering_type = instance.values.get("peering_type")
            if isinstance(peering_type, str):
                return peering_type
        return instance.address.replace("/", "%2F")

    def _assign_ids(self, network: list[Instance]) -> None:
        """Top-level ids first, then children (whose ids extend their parent's)."""
        by_name: dict[tuple[str, str, str], str] = {}
        for instance in network:
            segment = TOP_LEVEL.get(instance.type)
            if segment is None:
                continue
            rg = self._resource_group(instance)
            name = self._own_name(instance)
            model_id = known_id(instance) or arm_id(PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, segment, name)
            model_id = self._unclaimed(model_id, instance)
            self.ids[instance.address] = model_id
            by_name[(instance.type, rg.lower(), name.lower())] = model_id
            by_name.setdefault((instance.type, "", name.lower()), model_id)
        pending = [i for i in network if i.type in CHILDREN]
        for _ in range(3):  # routes of hub tables hang off children; two rounds settle everything
            later = []
            for instance in pending:
                segment, attribute, parent_type = CHILDREN[instance.type]
                parent = self._parent(instance, attribute, parent_type, by_name)
                if parent is None:
                    later.append(instance)
                    continue
                model_id = known_id(instance) or f"{parent}/{segment}/{self._own_name(instance)}"
                self.ids[instance.address] = self._unclaimed(model_id, instance)
            pending = later
        for instance in pending:  # a parent that cannot be named: a synthetic id under the address
            segment, _, _ = CHILDREN[instance.type]
            rg = self._resource_group(instance)
            self.ids[instance.address] = known_id(instance) or arm_id(
                PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, segment, self._own_name(instance)
            )

    def _unclaimed(self, model_id: str, instance: Instance) -> str:
        """The id, unless another planned resource has it: then that resource's address tells them apart.

        Two resources of one type with the same name in one resource group cannot both exist in Azure;
        the plan may still hold them (apply would fail), and each is checked as written."""
        taken = self._claimed.get(id_key(model_id))
        if taken is None or taken == instance.address:
            self._claimed[id_key(model_id)] = instance.address
            return model_id
        unique = f"{model_id}@{instance.address.replace('/', '%2F')}"
        self._claimed[id_key(unique)] = instance.address
        self.builder.notices.append(
            (
                instance.where,
                f"{instance.address} has the same Azure id as {taken} ({model_id}); Azure would refuse one of "
                "them at apply",
            )
        )
        return unique

    def _parent(
        self, instance: Instance, attribute: str, parent_type: str, by_name: dict[tuple[str, str, str], str]
    ) -> str | None:
        value = instance.values.get(attribute)
        if attribute.endswith("_id"):
            if isinstance(value, str) and value:
                return value
            for target in self.references.resolve(instance, (attribute,)):
                found = self.id_of_target(target, (parent_type,))
                if found:
                    return found
            return None
        for target in self.references.resolve(instance, (attribute,)):
            if target.instance.type == parent_type and target.path == ("name",):
                return self.ids.get(target.instance.address)
        if isinstance(value, str) and value:
            rg = self._resource_group(instance)
            found = by_name.get((parent_type, rg.lower(), value.lower()))
            return found or arm_id(PLACEHOLDER_SUBSCRIPTION, rg, NETWORK, TOP_LEVEL[parent_type], value)
        return None

    # -- shared by the families -------------------------------------------------------------------

    def _collect_child(self, instance: Instance) -> None:
        model_id = self.ids.get(instance.address)
        kind = instance.type
        if kind == "azurerm_subnet" and model_id:
            self.children.subnets[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_virtual_network_peering" and model_id:
            self.children.peerings[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_route" and model_id:
            self.children.routes[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_network_security_rule" and model_id:
            self.children.rules[id_key(id_parent(model_id))].append(instance)
        elif kind == "azurerm_virtual_hub_route_table_route":
            reader = Reader(self, instance)
            table = reader.reference(("route_table_id",), "route_table_id", ("azurerm_virtual_hub_route_table",))
            if table:
                self.children.hub_routes[id_key(table)].append(instance)
            self._unplaced(instance, reader, "route table", placed=bool(table))
        elif kind in ASSOCIATIONS:
            reader = Reader(self, instance)
            subnet = reader.reference(("subnet_id",), "subnet_id", ("azurerm_subnet",))
            attribute = ASSOCIATIONS[kind]
            target_kind = {
                "route_table_id": "azurerm_route_table",
                "network_security_group_id": "azurerm_network_security_group",
                "nat_gateway_id": "azurerm_nat_gateway",
            }[attribute]
            linked = reader.reference((attribute,), attribute, (target_kind,))
            if subnet:
                self.children.associations[id_key(subnet)][attribute] = (linked, instance)
            self._unplaced(instance, reader, "subnet", placed=bool(subnet))

    def _unplaced(self, instance: Instance, reader: Reader, what: str, placed: bool) -> None:
        """A link resource (association, hub route) is no model object of its own: what it leaves unknown
        becomes a notice, and so does a link that reaches nothing, rather than vanishing."""
        for value in reader.unknowns:
            self.builder.notices.append(
                (value.origin, f"{instance.address}: {value.field.replace('_', ' ')} is unknown: {value.reason}")
            )
        if not placed:
            self.builder.notices.append((instance.where, f"{instance.address} is not applied to any {what}"))

    def _envelope(self, instance: Instance, reader: Reader, with_region: bool = True) -> dict[str, Any]:
        model_id = self.ids[instance.address]
        name = instance.values.get("name")
        base: dict[str, Any] = {
            "id": model_id,
            "name": name if isinstance(name, str) and name else id_name(model_id),
            "origin": instance.where,
        }
        if with_region:
            base["region"] = reader.text(("location",), "region")
        return base

    def _add(self, model: Any, reader: Reader, base: dict[str, Any], **values: Any) -> None:
        self.builder.add(model(**base, **values, unknowns=tuple(reader.unknowns)))

    @cached_property
    def _by_id(self) -> dict[str, Instance]:
        """Model id key -> planned (managed) instance, read after ids are assigned. Data sources describe
        resources that exist outside the plan, so they are not in it."""
        addresses = {i.address: i for i in self.plan.instances if i.mode == "managed"}
        return {id_key(model_id): addresses[a] for a, model_id in self.ids.items() if a in addresses}

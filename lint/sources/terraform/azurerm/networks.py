"""Virtual networks, subnets and peerings (also those whose network is not in the plan)."""

from __future__ import annotations

from functools import cached_property
from types import MappingProxyType
from typing import Any

from anycast_lint.model.ids import id_key, id_name, id_parent
from anycast_lint.model.topology import Peering, Subnet, VirtualNetwork
from anycast_lint.model.values import Unknown, as_tag_value, parse_prefix
from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore
from anycast_lint.sources.terraform.azurerm.reader import Reader
from anycast_lint.sources.terraform.azurerm.vocabulary import Path, not_in_plan, walk
from anycast_lint.sources.terraform.plan import Instance


class NetworkFamily(TranslatorCore):
    """Reads `azurerm_virtual_network`, `azurerm_subnet` and `azurerm_virtual_network_peering`."""

    def _vnet(self, instance: Instance) -> None:
        reader = Reader(self, instance)
        base = self._envelope(instance, reader)
        vnet_id = base["id"]
        prefixes = reader.prefixes(("address_space",), "address_prefixes")
        tags = reader.get(("tags",), "tags")
        subnets = [
            self._inline_subnet(vnet_id, instance, item, path) for item, path in reader.blocks("subnet", "subnets")
        ]
        subnets += [self._subnet(vnet_id, child) for child in self.children.subnets.pop(id_key(vnet_id), [])]
        peerings = [self._peering(vnet_id, child) for child in self.children.peerings.pop(id_key(vnet_id), [])]
        self._add(
            VirtualNetwork,
            reader,
            base,
            address_prefixes=tuple(p for p, _ in prefixes),
            prefix_origins=tuple(reader.origin(*p) for _, p in prefixes),
            tags=MappingProxyType(
                {
                    str(k): as_tag_value(v)
                    for k, v in (tags if isinstance(tags, dict) else {}).items()
                    if v is not None and v.__class__ is not Unknown
                }
            ),
            subnets=tuple(subnets),
            peerings=tuple(peerings),
            bgp_community=reader.text(("bgp_community",), "bgp_community"),
        )

    def _subnet_fields(self, reader: Reader, path: Path, subnet_id: str) -> dict[str, Any]:
        single = reader.text((*path, "address_prefix"), "address_prefixes")  # azurerm < 4.0
        prefixes = [parse_prefix(single, reader.origin(*path, "address_prefix"))] if single else []
        if not (single and walk(reader.instance.values, (*path, "address_prefixes")).__class__ is Unknown):
            prefixes += [p for p, _ in reader.prefixes((*path, "address_prefixes"), "address_prefixes")]
        delegations = []
        for _delegation, d_path in reader.items((*path, "delegation"), "delegations"):
            for _service, s_path in reader.items((*d_path, "service_delegation"), "delegations"):
                name = reader.text((*s_path, "name"), "delegations")
                if name:
                    delegations.append(name)
        outbound = reader.get((*path, "default_outbound_access_enabled"), "default_outbound_access")
        linked = self.children.associations.get(id_key(subnet_id), {})

        def link(attribute: str, inline: str, kind: str, field_name: str) -> str | None:
            """The association's target, else the inline attribute's (unknowns named by the model field)."""
            if attribute in linked:
                return linked[attribute][0]
            return reader.reference((*path, inline), field_name, (f"azurerm_{kind}",)) if inline else None

        return {
            "address_prefixes": tuple(dict.fromkeys(prefixes)),
            "route_table_id": link("route_table_id", "route_table_id", "route_table", "route_table_id"),
            "nsg_id": link("network_security_group_id", "security_group", "network_security_group", "nsg_id"),
            "nat_gateway_id": link("nat_gateway_id", "", "nat_gateway", "nat_gateway_id"),
            "delegations": tuple(delegations),
            "default_outbound_access": outbound if isinstance(outbound, bool) else None,
        }

    def _inline_subnet(self, vnet_id: str, instance: Instance, item: Any, path: Path) -> Subnet:
        reader = Reader(self, instance)
        name = str(item.get("name") or "") if isinstance(item, dict) else ""
        written = item.get("id") if isinstance(item, dict) else None
        subnet_id = written if isinstance(written, str) and written else f"{vnet_id}/subnets/{name}"
        fields = self._subnet_fields(reader, path, subnet_id)
        return Subnet(
            id=subnet_id,
            name=name,
            origin=reader.origin(*path),
            vnet_id=vnet_id,
            **fields,
            unknowns=tuple(reader.unknowns),
        )

    def _subnet(self, vnet_id: str, instance: Instance) -> Subnet:
        reader = Reader(self, instance)
        subnet_id = self.ids[instance.address]
        fields = self._subnet_fields(reader, (), subnet_id)
        for suffix, field_name in (("route_table_id_wo", "route_table_id"), ("network_security_group_id_wo", "nsg_id")):
            if not fields[field_name] and instance.values.get(suffix + "_version") is not None:
                reader.note(
                    field_name,
                    (suffix,),
                    f"set through the write-only {suffix}, which a plan never shows; use an association resource",
                )
        return Subnet(
            id=subnet_id,
            name=id_name(subnet_id),
            origin=instance.where,
            vnet_id=vnet_id,
            **fields,
            unknowns=tuple(reader.unknowns),
        )

    def _peering(self, vnet_id: str, instance: Instance) -> Peering:
        reader = Reader(self, instance)
        remote = reader.reference(("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",))
        return Peering(
            id=self.ids[instance.address],
            name=id_name(self.ids[instance.address]),
            origin=instance.where,
            vnet_id=vnet_id,
            remote_vnet_id=remote,
            allow_virtual_network_access=reader.flag(
                ("allow_virtual_network_access",), "allow_virtual_network_access", True
            ),
            allow_forwarded_traffic=reader.flag(("allow_forwarded_traffic",), "allow_forwarded_traffic", False),
            allow_gateway_transit=reader.flag(("allow_gateway_transit",), "allow_gateway_transit", False),
            use_remote_gateways=reader.flag(("use_remote_gateways",), "use_remote_gateways", False),
            state=self._peering_state(vnet_id, remote),
            unknowns=tuple(reader.unknowns),
        )

    def _peering_state(self, vnet_id: str, remote: str | None) -> str:
        """Documented: a peering stays Initiated until the remote VNet peers back, then both are Connected
        (https://learn.microsoft.com/azure/virtual-network/virtual-network-manage-peering). A plan has no
        state; the reverse peering in the plan decides, and one to a VNet outside the plan is taken as
        the design intends (Connected)."""
        if remote is None:
            return "Connected"
        if id_key(remote) not in self._by_id:
            return "Connected"
        return "Connected" if (id_key(remote), id_key(vnet_id)) in self._peered_pairs else "Initiated"

    @cached_property
    def _peered_pairs(self) -> set[tuple[str, str]]:
        """(VNet, remote VNet) id keys of every planned peering, resolved once (read after ids are assigned)."""
        pairs = set()
        for instance in self.plan.instances:
            if instance.type == "azurerm_virtual_network_peering" and instance.address in self.ids:
                remote = Reader(self, instance).reference(
                    ("remote_virtual_network_id",), "remote_vnet_id", ("azurerm_virtual_network",)
                )
                if remote:
                    pairs.add((id_key(id_parent(self.ids[instance.address])), id_key(remote)))
        return pairs

    def _placeholder_vnet(self, first: Instance, subnets: list[Instance], peerings: list[Instance]) -> None:
        vnet_id = id_parent(self.ids[first.address])
        self.children.subnets.pop(id_key(vnet_id), None)
        self.children.peerings.pop(id_key(vnet_id), None)
        self.builder.add(
            VirtualNetwork(
                id=vnet_id,
                name=id_name(vnet_id),
                origin=first.where,
                subnets=tuple(self._subnet(vnet_id, s) for s in subnets),
                peerings=tuple(self._peering(vnet_id, p) for p in peerings),
                unknowns=(not_in_plan("virtual network", "subnets or peerings", first, "address_prefixes"),),
            )
        )

"""Azure resource JSON (ARM REST, az CLI output, Resource Graph rows, evaluated templates) -> the model.

The translation reads each property in either shape: under `properties{}` (REST, Resource Graph,
templates) or lifted to the top level (az CLI). References are `{id}` objects or plain strings, enum
values and types compare case-insensitively, child resources come embedded in their parent or as
resources of their own (both at once is fine when they agree), and values a template could not
evaluate arrive as `Unknown` and become `UnknownValue`s on the model object. Secret-bearing
properties are never read into the model; their values are registered for redaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.coverage import is_scope_listing, kinds_of_types
from anycast_lint.model.topology import NatGateway, VirtualWan
from anycast_lint.sources.arm.forwarders import ForwarderTranslation
from anycast_lint.sources.arm.gateways import GatewayTranslation, circuit_of
from anycast_lint.sources.arm.lookalikes import suspect_notices
from anycast_lint.sources.arm.preread import PreRead, preread_export_item
from anycast_lint.sources.arm.route_tables import RouteTableTranslation, is_cidr
from anycast_lint.sources.arm.shapes import ArmRecord, claims, records
from anycast_lint.sources.arm.translator_base import NET
from anycast_lint.sources.arm.virtual_wan import VirtualWanTranslation
from anycast_lint.sources.arm.vnets import VnetTranslation
from anycast_lint.sources.unmodelled import UNMODELLED_ARM_TYPES

__all__ = ["ArmTranslator", "PreRead", "circuit_of", "claims", "is_cidr", "load", "preread_export_item"]


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    """Translate Azure resource exports into model objects on the builder."""
    found: list[ArmRecord] = []
    for parsed in files:
        builder.add_document(parsed.document)
        file_records = list(records(parsed))
        types = {record.type for record in file_records}
        builder.cover(None if is_scope_listing(types) else kinds_of_types(types))
        found.extend(file_records)
    ArmTranslator(builder).translate(found)


class ArmTranslator(
    VnetTranslation, RouteTableTranslation, GatewayTranslation, VirtualWanTranslation, ForwarderTranslation
):
    """Translates ARM records into model objects; shared by exports and evaluated templates."""

    def translate(self, found: Iterable[ArmRecord]) -> None:
        by_type: dict[str, list[ArmRecord]] = defaultdict(list)
        for record in found:
            by_type[record.type].append(record)
        handlers: list[tuple[str, Callable[[list[ArmRecord]], None]]] = [
            ("virtualNetworks", self._vnets),
            ("routeTables", self._route_tables),
            ("networkSecurityGroups", self._nsgs),
            ("natGateways", self._simple(NatGateway)),
            ("networkInterfaces", self._each(self._nic)),
            ("virtualNetworkGateways", self._each(self._vnet_gateway)),
            ("connections", self._each(self._connection)),
            ("expressRouteCircuits", self._each(self._circuit)),
            ("virtualWans", self._simple(VirtualWan)),
            ("virtualHubs", self._hubs),
            ("expressRouteGateways", self._er_gateways),
            ("azureFirewalls", self._each(self._firewall)),
            ("networkVirtualAppliances", self._each(self._nva)),
            ("dnsResolvers", self._resolvers),
        ]
        handled: set[str] = set()
        for resource_type, items in by_type.items():
            if resource_type.lower() == "microsoft.network/expressroutecircuits/peerings/connections":
                handled.add(resource_type)
                for record in items:  # a Global Reach connection listed on its own
                    self._global_reach(circuit_of(record.id), record.data, record.origin)
                continue
            unmodelled = UNMODELLED_ARM_TYPES.get(resource_type.lower())
            if unmodelled is not None:
                handled.add(resource_type)
                for record in items:
                    self._unmodelled(record, *unmodelled)
        for top, handler in handlers:
            family = [t for t in by_type if t not in handled and (t == NET + top or t.startswith(NET + top + "/"))]
            handled.update(family)
            handler([r for t in family for r in by_type[t]])
        for resource_type, items in by_type.items():
            if resource_type not in handled:
                self.ignored[resource_type] += len(items)
        self.builder.ignored.update(self.ignored)
        self.builder.notices += suspect_notices(by_type, handled)  # a misspelt network type is said, not ignored

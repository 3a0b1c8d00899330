"""The native format's kinds, and the pass that names every declared resource before any is built, so
that one file can refer to a resource declared in another."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.ids import id_key, network_id
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import DEFAULT_HUB_TABLES

API_PREFIX = "anycast-lint/"
DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
DEFAULT_RESOURCE_GROUP = "anycast-lint"

# kind -> (top-level key, which is also the ARM type segment of its ids, words for messages)
TOP_LEVEL: dict[str, tuple[str, str]] = {
    "circuit": ("expressRouteCircuits", "ExpressRoute circuit"),
    "vnet": ("virtualNetworks", "virtual network"),
    "routeTable": ("routeTables", "route table"),
    "nsg": ("networkSecurityGroups", "network security group"),
    "natGateway": ("natGateways", "NAT gateway"),
    "nic": ("networkInterfaces", "network interface"),
    "vnetGateway": ("virtualNetworkGateways", "virtual network gateway"),
    "connection": ("connections", "connection"),
    "wan": ("virtualWans", "virtual WAN"),
    "hub": ("virtualHubs", "virtual hub"),
    "firewall": ("azureFirewalls", "Azure Firewall"),
    "nva": ("networkVirtualAppliances", "network virtual appliance"),
    "resolver": ("dnsResolvers", "DNS resolver"),
}
CHILD_WORDS = {"subnet": "subnet", "hubRouteTable": "hub route table", "routeMap": "route map"}


@dataclass
class NativeDocument:
    parsed: ParsedFile
    data: dict[str, Any]
    subscription: str
    resource_group: str
    region: str | None

    def origin(self, *pointer: str | int) -> Origin:
        return Origin.of(self.parsed.document, pointer)


@dataclass
class _Declared:
    id: str
    doc: NativeDocument
    origin: Origin
    name: str


@dataclass
class DeclaredNames:
    """Every declared resource by kind and lower-cased name, for resolving references."""

    by_kind: dict[str, dict[str, list[_Declared]]] = field(default_factory=dict)
    ids: dict[str, dict[str, _Declared]] = field(default_factory=dict)

    def declare(self, kind: str, name: str, declared: _Declared) -> None:
        existing = self.ids.setdefault(kind, {}).get(id_key(declared.id))
        if existing is not None:
            words = TOP_LEVEL[kind][1] if kind in TOP_LEVEL else CHILD_WORDS.get(kind, kind)
            raise error_at(declared.origin, f"{words} '{name}' is declared twice (first at {existing.origin})")
        self.ids[kind][id_key(declared.id)] = declared
        self.by_kind.setdefault(kind, {}).setdefault(name.lower(), []).append(declared)


def error_at(origin: Origin, message: str) -> InputError:
    return InputError.at(origin, message)


def resource_id_of(doc: NativeDocument, entry: dict[str, Any], type_segment: str) -> str:
    if "id" in entry:
        return str(entry["id"])
    return network_id(
        entry.get("subscription", doc.subscription),
        entry.get("resourceGroup", doc.resource_group),
        type_segment,
        entry["name"],
    )


def declare_all(doc: NativeDocument, names: DeclaredNames) -> None:
    for kind, (key, _) in TOP_LEVEL.items():
        for index, entry in enumerate(doc.data.get(key, [])):
            origin = doc.origin(key, index)
            resource_id = resource_id_of(doc, entry, key)
            names.declare(kind, entry["name"], _Declared(resource_id, doc, origin, entry["name"]))
            if kind == "vnet":
                for sub_index, subnet in enumerate(entry.get("subnets", [])):
                    sub_origin = origin.child("subnets", sub_index)
                    subnet_id = f"{resource_id}/subnets/{subnet['name']}"
                    qualified = f"{entry['name']}/{subnet['name']}"
                    names.declare("subnet", qualified, _Declared(subnet_id, doc, sub_origin, qualified))
            if kind == "hub":
                declared_tables = {t["name"].lower() for t in entry.get("routeTables", [])}
                for t_index, table in enumerate(entry.get("routeTables", [])):
                    table_id = f"{resource_id}/hubRouteTables/{table['name']}"
                    t_origin = origin.child("routeTables", t_index)
                    qualified = f"{entry['name']}/{table['name']}"
                    names.declare("hubRouteTable", qualified, _Declared(table_id, doc, t_origin, qualified))
                for table_name, _label in DEFAULT_HUB_TABLES:
                    if table_name.lower() not in declared_tables:
                        table_id = f"{resource_id}/hubRouteTables/{table_name}"
                        qualified = f"{entry['name']}/{table_name}"
                        names.declare("hubRouteTable", qualified, _Declared(table_id, doc, origin, qualified))
                for m_index, route_map in enumerate(entry.get("routeMaps", [])):
                    map_id = f"{resource_id}/routeMaps/{route_map['name']}"
                    m_origin = origin.child("routeMaps", m_index)
                    qualified = f"{entry['name']}/{route_map['name']}"
                    names.declare("routeMap", qualified, _Declared(map_id, doc, m_origin, qualified))

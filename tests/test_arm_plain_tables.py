"""The plain readers of route tables and NSGs (lint/sources/arm/plain_tables.py) give the same tables, routes,
NSGs and rules as the general reader, origins included, and hand every other shape to it."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.errors import InputErrors
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.sources.arm import preread, route_tables
from conftest import ARM_EXPORTS, REALWORLD, load_with_plain_readers

PLAIN = ("plain_route_table", "plain_nsg", "plain_route", "plain_security_rule")
EXPORTS = sorted(
    [
        *ARM_EXPORTS,
        *(REALWORLD / "azure-rest-examples").glob("RouteTable*.json"),
        *(REALWORLD / "azure-rest-examples").glob("NetworkSecurityGroup*.json"),
    ]
)
RG = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"


def _read(paths: list[Path], monkeypatch: pytest.MonkeyPatch, plain: bool) -> tuple[list[str], int]:
    """Every route table and NSG (repr: origins and unknowns included) read with the plain readers on or
    off, and how many objects the plain readers took."""
    topology, taken = load_with_plain_readers(paths, monkeypatch, plain, (route_tables, preread), PLAIN)
    found = [*topology.route_tables.values(), *topology.network_security_groups.values()]
    return [repr(resource) for resource in found], taken


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_plain_readers_read_every_export_as_the_general_reader_does(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    try:
        general, _ = _read([path], monkeypatch, plain=False)
    except Exception as error:  # not an export the loader reads alone (a template, a route table)
        pytest.skip(f"not loadable alone: {error}")
    plain, _ = _read([path], monkeypatch, plain=True)
    assert plain == general


def _table(index: int) -> dict[str, Any]:
    table_id = f"{RG}/routeTables/rt{index}"
    routes = [("default", "0.0.0.0/0", "virtualappliance", "10.0.0.4"), ("monitor", "AzureMonitor", "Internet", None)]
    return {
        "name": f"rt{index}",
        "id": table_id,
        "type": "Microsoft.Network/routeTables",
        "location": "westeurope",
        "properties": {
            "disableBgpRoutePropagation": True,
            "routes": [
                {
                    "name": name,
                    "id": f"{table_id}/routes/{name}",
                    "properties": {
                        "addressPrefix": prefix,
                        "nextHopType": hop_type,
                        **({"nextHopIpAddress": hop} if hop else {}),
                    },
                }
                for name, prefix, hop_type, hop in routes
            ],
        },
    }


def _nsg(index: int) -> dict[str, Any]:
    nsg_id = f"{RG}/networkSecurityGroups/nsg{index}"
    return {
        "name": f"nsg{index}",
        "id": nsg_id,
        "type": "Microsoft.Network/networkSecurityGroups",
        "location": "westeurope",
        "properties": {
            "securityRules": [
                {
                    "name": "dns",
                    "id": f"{nsg_id}/securityRules/dns",
                    "properties": {
                        "priority": 110,
                        "direction": "inbound",
                        "access": "Allow",
                        "protocol": "Udp",
                        "sourceAddressPrefixes": ["10.0.0.0/8", "172.16.0.1"],
                        "destinationAddressPrefix": "VirtualNetwork",
                        "sourcePortRange": "*",
                        "destinationPortRanges": ["53", "853"],
                    },
                },
                {
                    "name": "deny",
                    "properties": {"priority": "4000", "access": "Deny", "sourceAddressPrefix": "Internet"},
                },
            ]
        },
    }


def _changed(item: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    item = copy.deepcopy(item)
    for path, value in changes.items():
        node = item
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return item


ROUTE = "properties.routes.0.properties."
RULE = "properties.securityRules.0.properties."
# Shapes the plain readers must hand to the general reader, which reads them differently or not at all, and
# values at the edge of what they read themselves.
SHAPES = {
    "ECMP next hops": (_table, {ROUTE + "nextHop": {"nextHopIpAddresses": ["10.0.0.4", "10.0.0.5"]}}),
    "next hop as a prefix": (_table, {ROUTE + "nextHopIpAddress": "10.0.0.4/32"}),
    "next hop with spaces": (_table, {ROUTE + "nextHopIpAddress": " 10.0.0.4"}),
    "IPv6 route": (_table, {ROUTE + "addressPrefix": "fd00::/8"}),
    "flag as text": (_table, {"properties.disableBgpRoutePropagation": "true"}),
    "numeric next hop type": (_table, {ROUTE + "nextHopType": 4}),
    "empty location": (_table, {"location": ""}),
    "address with spaces": (_nsg, {RULE + "destinationAddressPrefix": " 10.1.0.0/16 "}),
    "numeric port": (_nsg, {RULE + "sourcePortRange": 53}),
    "boolean priority": (_nsg, {RULE + "priority": True}),
    "port list of numbers": (_nsg, {RULE + "destinationPortRanges": [53]}),
    "priority too large": (_nsg, {RULE + "priority": 100_000}),
    "negative priority": (_nsg, {RULE + "priority": -1}),
    "priority as long text": (_nsg, {RULE + "priority": "100000"}),
    "empty singular with a list": (_nsg, {RULE + "sourceAddressPrefix": "", RULE + "sourcePortRanges": ["1", "2"]}),
    "properties flattened": (_nsg, {"properties.securityRules.1": {"name": "x", "priority": 300, "access": "Deny"}}),
}


@pytest.mark.parametrize(("make", "changes"), SHAPES.values(), ids=SHAPES.keys())
def test_other_shapes_read_the_same_through_the_general_reader(
    make: Callable[[int], dict[str, Any]], changes: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": [make(0), _changed(make(1), changes)]}, indent=2), encoding="utf-8")
    general, _ = _read([export], monkeypatch, plain=False)
    plain, taken = _read([export], monkeypatch, plain=True)
    assert plain == general
    assert taken >= 1  # the plain one, at least


def test_plain_tables_and_nsgs_are_read_by_the_plain_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    separate = {  # a route listed on its own: its table is read again and merged
        "name": "extra",
        "id": f"{RG}/routeTables/rt2/routes/extra",
        "type": "Microsoft.Network/routeTables/routes",
        "properties": {"addressPrefix": "10.9.0.0/16", "nextHopType": "None"},
    }
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": [_table(1), _nsg(1), _table(2), separate]}), encoding="utf-8")
    general, _ = _read([export], monkeypatch, plain=False)
    plain, taken = _read([export], monkeypatch, plain=True)
    assert plain == general and taken >= 3
    assert "next_hop_type='VirtualAppliance'" in plain[0] and "direction='Inbound'" in plain[-1]
    assert "name='extra'" in plain[1]


ERRORS = {
    "host bits": (_table, {ROUTE + "addressPrefix": "10.0.0.1/8"}, "has host bits set"),
    "bad next hop": (_table, {ROUTE + "nextHopIpAddress": "10.0.0.256"}, "expected an IP address"),
    "bad NSG address": (_nsg, {RULE + "destinationAddressPrefix": "10.0.0.0/33"}, "expected an address"),
}


@pytest.mark.parametrize(("make", "changes", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_wrong_values_are_left_to_the_general_reader_and_its_errors(
    make: Callable[[int], dict[str, Any]], changes: dict[str, Any], message: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": [_changed(make(1), changes)]}, indent=2), encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        load_inputs([str(export)])
    assert message in str(raised.value.errors[0]) and f"{export}:" in str(raised.value.errors[0])

"""The plain-case readers (lint/sources/arm/plain.py) give the same VNets, subnets and peerings as the
general reader, origins included, and hand every other shape to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.errors import InputErrors
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.topology import Topology
from anycast_lint.sources.arm import preread, vnets
from conftest import ARM_EXPORTS, REALWORLD, load_with_plain_readers

PLAIN = ("plain_vnet", "plain_subnet", "plain_peering")
EXPORTS = sorted([*ARM_EXPORTS, *(REALWORLD / "azure-rest-examples").glob("VirtualNetwork*.json")])


def _vnets(topology: Topology) -> list[str]:
    """Everything about each VNet, origins (file and JSON path) and unknowns included."""
    return [repr(vnet) for vnet in topology.virtual_networks.values()]


def _read(
    paths: list[Path], monkeypatch: pytest.MonkeyPatch, plain: bool, item_by_item: bool = True
) -> tuple[list[str], int]:
    """The VNets read with the plain readers on or off, and how many objects the plain readers took."""
    topology, taken = load_with_plain_readers(paths, monkeypatch, plain, (vnets, preread), PLAIN, item_by_item)
    return _vnets(topology), taken


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


def _vnet(index: int, **changes: Any) -> dict[str, Any]:
    vnet_id = f"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v{index}"
    vnet: dict[str, Any] = {
        "name": f"v{index}",
        "id": vnet_id,
        "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope",
        "tags": {"anycast-service": "dns"},
        "properties": {
            "addressSpace": {"addressPrefixes": [f"10.{index}.0.0/24"]},
            "subnets": [
                {
                    "name": "s",
                    "id": f"{vnet_id}/subnets/s",
                    "properties": {
                        "addressPrefix": f"10.{index}.0.0/26",
                        "routeTable": {
                            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"
                        },
                    },
                }
            ],
            "virtualNetworkPeerings": [
                {
                    "name": "to-hub",
                    "id": f"{vnet_id}/virtualNetworkPeerings/to-hub",
                    "properties": {
                        "remoteVirtualNetwork": {
                            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub"
                        },
                        "allowForwardedTraffic": True,
                        "peeringState": "connected",
                    },
                }
            ],
        },
    }
    for path, value in changes.items():
        node = vnet
        *parents, last = path.split(".")
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return vnet


# Shapes the plain readers must hand to the general reader, which reads them differently or not at all.
NOT_PLAIN = {
    "string flag": {"properties.virtualNetworkPeerings.0.properties.allowGatewayTransit": "True"},
    "prefix with spaces": {"properties.addressSpace.addressPrefixes": [" 10.9.0.0/24 "]},
    "IPv6 prefix": {"properties.addressSpace.addressPrefixes": ["10.9.0.0/24", "fd00::/64"]},
    "delegation": {"properties.subnets.0.properties.delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}]},
    "numeric tag": {"tags": {"cost": 12, "flag": True}},
    "empty location": {"location": ""},
    "no address space": {"properties.addressSpace": None},
    "communities": {"properties.bgpCommunities": {"virtualNetworkCommunity": "12076:20000"}},
    "outbound access as text": {"properties.subnets.0.properties.defaultOutboundAccess": "false"},
}  # fmt: skip


@pytest.mark.parametrize("changes", NOT_PLAIN.values(), ids=NOT_PLAIN.keys())
def test_other_shapes_read_the_same_through_the_general_reader(
    changes: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vnet = _vnet(1, **changes)
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": [_vnet(0), vnet]}, indent=2), encoding="utf-8")
    general, _ = _read([export], monkeypatch, plain=False)
    plain, taken = _read([export], monkeypatch, plain=True)
    assert plain == general
    assert 3 <= taken < 6  # the plain VNet's three objects, and not every object of the other


def _flattened(vnet: dict[str, Any]) -> dict[str, Any]:
    """The az CLI shape: properties lifted to the top level."""
    return {**{k: v for k, v in vnet.items() if k != "properties"}, **vnet["properties"]}


def test_plain_exports_are_read_by_the_plain_readers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    route_table = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt"
    vnets = [
        _vnet(0),
        _flattened(_vnet(1)),
        _vnet(2, **{"properties.subnets.0.properties.routeTable": route_table}),  # a reference as a plain id
        _vnet(3, tags=None, location=None),
    ]
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": vnets}), encoding="utf-8")
    general, _ = _read([export], monkeypatch, plain=False)
    plain, taken = _read([export], monkeypatch, plain=True, item_by_item=False)
    assert plain == general and taken == 12  # parsed whole: each VNet, subnet and peering on its own
    assert "'anycast-service': 'dns'" in plain[0] and "state='Connected'" in plain[0]
    streamed, taken = _read([export], monkeypatch, plain=True)
    assert streamed == general and taken == 4  # item by item: each VNet pre-read with its children


ERRORS = {
    "numeric prefix": ({"properties.subnets.0.properties.addressPrefix": 5}, "expected a prefix like"),
    "host bits": ({"properties.addressSpace.addressPrefixes": ["10.9.0.1/24"]}, "has host bits set"),
    "list as flag": ({"properties.virtualNetworkPeerings.0.properties.peeringState": ["x"]}, "expected a string"),
}


@pytest.mark.parametrize(("changes", "message"), ERRORS.values(), ids=ERRORS.keys())
def test_wrong_values_are_left_to_the_general_reader_and_its_errors(
    changes: dict[str, Any], message: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.json"
    export.write_text(json.dumps({"value": [_vnet(1, **changes)]}, indent=2), encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        load_inputs([str(export)])
    assert message in str(raised.value.errors[0]) and f"{export}:" in str(raised.value.errors[0])

"""AC101 and routing domains: what overlaps, what counts as one routing domain, what is exempt."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from anycast_lint.config import Config
from anycast_lint.engine import run
from anycast_lint.loader import load_inputs
from anycast_lint.model import VirtualNetwork
from anycast_lint.positions import Origin
from anycast_lint.rules.addressing.ac101_overlap_outside_anycast import _Space, overlapping_pairs
from conftest import HEADER

SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"


def _space(index: int, prefix: str) -> _Space:
    vnet = VirtualNetwork(id=f"{SUB}v{index}", name=f"v{index}", origin=Origin("x", ()), tags=MappingProxyType({}))
    return _Space(ipaddress.ip_network(prefix), vnet, vnet.origin, None)


prefixes = st.builds(
    lambda address, length: str(ipaddress.ip_network(f"{address}/{length}", strict=False)),
    st.integers(min_value=0, max_value=2**12 - 1).map(lambda n: str(ipaddress.IPv4Address((10 << 24) + (n << 8)))),
    st.integers(min_value=12, max_value=28),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(prefixes, min_size=0, max_size=40))
def test_sweep_finds_exactly_the_overlapping_pairs(texts: list[str]) -> None:
    spaces = [_space(i, text) for i, text in enumerate(texts)]
    found = {frozenset((id(a), id(b))) for a, b in overlapping_pairs(spaces)}
    expected = {
        frozenset((id(a), id(b))) for i, a in enumerate(spaces) for b in spaces[i + 1 :] if a.prefix.overlaps(b.prefix)
    }
    assert found == expected


def _findings(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    result = run(load_inputs([str(path)]).topology, Config(), select=["AC101"])
    return [f.message for f in result.findings]


def test_unconnected_vnets_may_reuse_space(tmp_path: Path) -> None:
    body = "virtualNetworks:\n  - {name: a, addressSpace: [10.0.0.0/24]}\n  - {name: b, addressSpace: [10.0.0.0/24]}\n"
    assert _findings(tmp_path, body) == []


def test_peered_vnets_overlap(tmp_path: Path) -> None:
    body = (
        "virtualNetworks:\n  - {name: a, addressSpace: [10.0.0.0/16], peerings: [{remoteVirtualNetwork: b}]}\n"
        "  - {name: b, addressSpace: [10.0.5.0/24]}\n"
    )
    (message,) = _findings(tmp_path, body)
    assert "10.0.5.0/24 of virtual network 'b' overlaps 10.0.0.0/16 of virtual network 'a'" in message
    assert "(b -> a)" in message and "neither is a member of an anycast service" in message


def test_disconnected_peering_does_not_join_domains(tmp_path: Path) -> None:
    body = (
        "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/16]\n"
        "    peerings: [{remoteVirtualNetwork: b, peeringState: Disconnected}]\n"
        "  - {name: b, addressSpace: [10.0.5.0/24]}\n"
    )
    assert _findings(tmp_path, body) == []


def test_gateways_on_one_circuit_join_domains(tmp_path: Path) -> None:
    body = (
        "expressRouteCircuits: [{name: c}]\n"
        "virtualNetworks:\n  - {name: a, addressSpace: [10.0.0.0/24]}\n  - {name: b, addressSpace: [10.0.0.0/25]}\n"
        "virtualNetworkGateways:\n  - {name: ga, virtualNetwork: a}\n  - {name: gb, virtualNetwork: b}\n"
        "connections:\n  - {name: ca, gateway: ga, circuit: c}\n  - {name: cb, gateway: gb, circuit: c}\n"
    )
    (message,) = _findings(tmp_path, body)
    assert "(b -> circuit c -> a)" in message


def test_hubs_of_one_wan_join_domains_and_hub_space_counts(tmp_path: Path) -> None:
    body = (
        "virtualWans: [{name: w}]\n"
        "virtualNetworks:\n  - {name: a, addressSpace: [10.0.0.0/24]}\n  - {name: b, addressSpace: [10.9.0.0/24]}\n"
        "virtualHubs:\n"
        "  - {name: h1, virtualWan: w, addressPrefix: 10.9.0.0/23,"
        " virtualNetworkConnections: [{name: c1, remoteVirtualNetwork: a}]}\n"
        "  - {name: h2, virtualWan: w, addressPrefix: 10.200.0.0/23,"
        " virtualNetworkConnections: [{name: c2, remoteVirtualNetwork: b}]}\n"
    )
    (message,) = _findings(tmp_path, body)
    assert message.startswith("10.9.0.0/24 of virtual network 'b' overlaps 10.9.0.0/23 of virtual hub 'h1'")
    assert "(b -> hub h2 -> virtual WAN w -> hub h1)" in message


def test_members_of_one_service_are_exempt_members_of_two_are_not(tmp_path: Path) -> None:
    vnets = "".join(
        f"  - {{name: {name}, addressSpace: [{prefix}], tags: {{anycast-service: {service}}},"
        f" peerings: [{{remoteVirtualNetwork: hub}}]}}\n"
        for name, prefix, service in (
            ("d1", "10.13.76.0/24", "dns"),
            ("d2", "10.13.76.0/25", "dns"),
            ("n1", "10.13.76.128/25", "ntp"),
        )
    )
    body = "virtualNetworks:\n  - {name: hub, addressSpace: [192.168.0.0/24]}\n" + vnets
    (message,) = _findings(tmp_path, body)
    assert "10.13.76.128/25 of virtual network 'n1' overlaps 10.13.76.0/24 of virtual network 'd1'" in message
    assert "they belong to different anycast services ('ntp' and 'dns')" in message


def test_ipv6_overlaps_and_never_crosses_versions(tmp_path: Path) -> None:
    body = (
        "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/24, 'fd00:1::/48']\n"
        "    peerings: [{remoteVirtualNetwork: b}]\n"
        "  - {name: b, addressSpace: ['fd00:1:0:1::/64', 10.1.0.0/24]}\n"
    )
    (message,) = _findings(tmp_path, body)
    assert message.startswith("fd00:1:0:1::/64 of virtual network 'b' overlaps fd00:1::/48 of virtual network 'a'")


def test_ids_compare_case_insensitively(tmp_path: Path) -> None:
    """A peering written with differently-cased id still joins the two VNets, as in Azure."""
    body = (
        "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/24]\n    peerings:\n"
        "      - remoteVirtualNetwork: /SUBSCRIPTIONS/00000000-0000-0000-0000-000000000000/resourcegroups/"
        "ANYCAST-LINT/providers/microsoft.network/virtualnetworks/B\n"
        "  - {name: b, addressSpace: [10.0.0.0/24]}\n"
    )
    assert len(_findings(tmp_path, body)) == 1

"""AC101 and routing domains: what overlaps, what counts as one routing domain, what is exempt."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from types import MappingProxyType

from hypothesis import given, settings
from hypothesis import strategies as st

from anycast_lint.engine.run import run
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import VirtualNetwork
from anycast_lint.rules.addressing.ac101_overlap_outside_anycast import (
    MAX_RELATED,
    _Space,
    conflicts,
    reported_against,
)
from conftest import HEADER

SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/"


def _space(index: int, prefix: str, service: str | None = None, owner: int | None = None) -> _Space:
    number = index if owner is None else owner
    vnet = VirtualNetwork(id=f"{SUB}v{number}", name=f"v{number}", origin=Origin("x", ()), tags=MappingProxyType({}))
    return _Space(ipaddress.ip_network(prefix), vnet, vnet.origin, service)


prefixes = st.builds(
    lambda address, length: str(ipaddress.ip_network(f"{address}/{length}", strict=False)),
    st.integers(min_value=0, max_value=2**12 - 1).map(lambda n: str(ipaddress.IPv4Address((10 << 24) + (n << 8)))),
    st.integers(min_value=12, max_value=28),
)
# (prefix, anycast service or None, owner: a few VNets own several prefixes)
spaces_strategy = st.lists(
    st.tuples(
        st.sampled_from(["10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/24", "10.1.0.0/24"]) | prefixes,
        st.sampled_from([None, None, "dns", "web"]),
        st.integers(min_value=0, max_value=30),
    ),
    max_size=40,
)


def _pairwise(spaces: list[_Space]) -> dict[int, set[int]]:
    """The reference: every pair, in sweep order, reported on the side the rule names (quadratic)."""
    ordered = sorted(spaces, key=lambda s: (s.start, -s.end, s.owner.id.lower()))
    expected: dict[int, set[int]] = {}
    for i, left in enumerate(ordered):
        for right in ordered[i + 1 :]:
            if not left.prefix.overlaps(right.prefix):
                continue
            if reported_against(right, left, x_later=True):
                expected.setdefault(id(right), set()).add(id(left))
            if reported_against(left, right, x_later=False):
                expected.setdefault(id(left), set()).add(id(right))
    return expected


@settings(max_examples=300, deadline=None)
@given(spaces_strategy)
def test_grouped_conflicts_match_every_pair(drawn: list[tuple[str, str | None, int]]) -> None:
    """Counting by bucket gives each space exactly the conflicts pairing them one by one would, and the
    related locations are a prefix of them, at most MAX_RELATED."""
    service_of_owner: dict[int, str | None] = {}
    spaces = []
    for index, (prefix, service, owner) in enumerate(drawn):
        spaces.append(_space(index, prefix, service_of_owner.setdefault(owner, service), owner))
    expected = _pairwise(spaces)
    found = conflicts(spaces)
    assert {key: entry.count for key, entry in found.items()} == {key: len(v) for key, v in expected.items()}
    for key, entry in found.items():
        assert len(entry.others) == min(entry.count, MAX_RELATED)
        assert {id(o) for o in entry.others} <= expected[key]


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


def _shared_prefixes_design(vnets: int, prefixes: int) -> str:
    """`vnets` spokes of one hub, all with the same `prefixes` /24s (one YAML alias): the AC101 blow-up."""
    space = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(prefixes))
    lines = ["virtualNetworks:", "  - {name: hub, addressSpace: [172.16.0.0/16]}"]
    lines.append(f"  - {{name: v0, addressSpace: &shared [{space}], peerings: [{{remoteVirtualNetwork: hub}}]}}")
    lines += [
        f"  - {{name: v{i}, addressSpace: *shared, peerings: [{{remoteVirtualNetwork: hub}}]}}" for i in range(1, vnets)
    ]
    return "\n".join(lines) + "\n"


def test_vnets_sharing_many_prefixes_give_one_finding_per_vnet(tmp_path: Path) -> None:
    """100 VNets x 100 shared prefixes: 495,000 pairs, reported as one finding per VNet (the first VNet in
    sweep order is the one the others are reported against), its first 10 overlapping prefixes as related
    locations, and one fix renumbering all 100 of them (issue 24: a fix per prefix rewrote the whole address
    space each time, and grew with the square of the prefixes)."""
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + _shared_prefixes_design(100, 100), encoding="utf-8")
    assert path.stat().st_size < 16_000
    findings = run(load_inputs([str(path)]).topology, Config(), select=["AC101"]).findings
    assert len(findings) == 99 and len({f.resource_id for f in findings}) == 99
    assert all(len(f.related) == MAX_RELATED for f in findings)
    (last,) = [f for f in findings if f.resource_id.endswith("/v99")]
    assert last.message.startswith("100 prefixes of virtual network 'v99' overlap other address spaces")
    assert "10.0.0.0/24 overlaps 10.0.0.0/24 of virtual network 'v0' and 98 more" in last.message
    assert "and 97 more of its prefixes; the first 10 are related" in last.message
    assert last.evidence == ",".join(f"10.0.{i}.0/24" for i in range(100))  # a new overlap: a new finding
    assert last.fix is not None and last.fix.az is not None
    assert last.fix.az.count("<prefix unused in this routing domain #") == 100
    assert last.fix.description.startswith("renumber virtual network 'v99' from 10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24")


def test_one_overlapping_prefix_keeps_its_finding_and_fingerprint(tmp_path: Path) -> None:
    """A VNet with one overlapping prefix (the common case) keeps the finding it had, named by that prefix:
    baselines written before issue 24 still match it."""
    path = tmp_path / "t.yaml"
    path.write_text(HEADER + _shared_prefixes_design(2, 1), encoding="utf-8")
    (finding,) = run(load_inputs([str(path)]).topology, Config(), select=["AC101"]).findings
    assert finding.evidence == "10.0.0.0/24"
    assert finding.message.startswith("10.0.0.0/24 of virtual network 'v1' overlaps 10.0.0.0/24 of virtual network")
    assert finding.fix is not None and finding.fix.description == (
        "renumber virtual network 'v1' from 10.0.0.0/24 to a prefix no other VNet of the routing domain uses "
        "(outside every anycast range)"
    )

"""Every design rule on a pair of designs: one that triggers it, and the corrected one that does not.

The pairs live in tests/fixtures/rules/ACnnn/ (built by build.py from the field report's designs), each in
the native format and as an ARM REST export. The bad design must give exactly the expected findings —
code, level, resource, line, and the evidence a network engineer needs — in both formats; the good design
must be clean under every rule.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.engine.ruledocs import load_doc
from conftest import REPO, RULE_FIXTURES, load_script, run_cli

RULES = RULE_FIXTURES
A = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-anycast-dns/providers/Microsoft.Network"
B = "/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-anycast-vwan/providers/Microsoft.Network"


@dataclass(frozen=True)
class Expected:
    """One finding of a bad design, and how to find its line in either file."""

    level: str
    resource: str
    yaml_line: tuple[str, ...]  # needles, each searched from the previous one's line on
    json_line: tuple[str, ...]
    evidence: str  # part of the message that names what is wrong and the fix
    json_offset: int = 0  # -1: the finding points at the object opening on the line above its "name"


EXPECTED: dict[str, list[Expected]] = {
    "AC102": [
        Expected(
            "error",
            f"{B}/virtualHubs/hub-02/hubVirtualNetworkConnections/conn-dns-02",
            ("name: conn-dns-02",),
            ('"name": "conn-dns-02"',),
            "its 10.13.76.0/24 overlaps 10.13.76.0/24 of 'dns-01', connected by 'conn-dns-01' to the same virtual WAN",
            -1,
        )
    ],
    "AC103": [
        Expected(
            "warning",
            f"{A}/virtualNetworks/dns-02",
            ("name: dns-02", "addressSpace: [10.13.76.0/25]"),
            ('"name": "dns-02"', '"10.13.76.0/25"'),
            "by longest match 10.13.76.0/25 of 'dns-02' wins at every circuit regardless of AS paths",
        )
    ],
    "AC104": [
        Expected(
            "error",
            f"{A}/virtualNetworks/dns-02",
            ("- name: dns-02",),
            ('"name": "dns-02"',),
            "has no endpoint on VIP 10.13.76.4 (its endpoints answer on 10.13.76.5)",
            -1,
        )
    ],
    "AC105": [
        Expected(
            "error",
            f"{A}/virtualNetworks/{member}",
            (f"- name: {member}", "addressSpace"),
            (f'"name": "{member}"', '"10.13.76.0/24"'),
            f"anycast prefix 10.13.76.0/24 of '{member}' (service 'dns') overlaps the on-premises range 10.13.0.0/16",
        )
        for member in ("dns-01", "dns-02")
    ],
    "AC201": [
        Expected(
            "error",
            f"{B}/virtualNetworks/dns-01/subnets/snet-dns-inbound",
            ("- name: dns-01", "name: snet-dns-inbound"),
            ('"name": "dns-01"', '"name": "snet-dns-inbound"'),
            "has no route table: replies to on-premises (172.16.0.0/12) have no way back, since 'dns-01' is reached "
            "through transit-01 and is connected to no gateway. Associate a route table with 172.16.0.0/12 -> "
            "VirtualAppliance 10.1.0.4",
            -1,
        )
    ],
    "AC202": [
        Expected(
            "error",
            f"{B}/virtualHubs/hub-01/hubVirtualNetworkConnections/conn-transit-01",
            ("name: conn-transit-01", "routingConfiguration"),
            ('"name": "conn-transit-01"', '"routingConfiguration"'),
            "has no static route covering 10.13.76.0/24 of member 'dns-01' (service 'dns')",
        )
    ],
    "AC203": [
        Expected(
            "error",
            f"{B}/virtualHubs/hub-01/hubVirtualNetworkConnections/conn-transit-01",
            ("name: conn-transit-01", "propagateStaticRoutes: false"),
            ('"name": "conn-transit-01"', '"propagateStaticRoutes": false'),
            "static route 'anycast-dns' for member 'dns-01' on hub connection 'conn-transit-01' is not propagated",
        )
    ],
    "AC204": [
        Expected(
            "error",
            f"{A}/virtualNetworks/dns-02/virtualNetworkPeerings/dns-02-to-hub-02",  # the peering to change
            ("name: dns-02-to-hub-02",),
            ('"name": "dns-02-to-hub-02"',),
            "is not advertised to any ExpressRoute circuit: its peering dns-02-to-hub-02 to hub-02 does not set "
            "useRemoteGateways",
            -1,
        )
    ],
    "AC205": [
        Expected(
            "error",
            f"{B}/virtualNetworks/dns-01/virtualNetworkPeerings/dns-01-to-transit-01",
            ("name: dns-01-to-transit-01",),
            ('"name": "dns-01-to-transit-01"',),
            "does not allow forwarded traffic: queries forwarded by the firewall in 'transit-01' are dropped",
            -1,
        )
    ],
    "AC206": [
        Expected(
            "error",
            f"{A}/connections/ergw-hub-02-er-circuit",
            ("name: ergw-hub-02-er-circuit",),
            ('"name": "ergw-hub-02-er-circuit"',),
            "a Local circuit reaches only the regions local to Amsterdam (westeurope)",
            -1,
        )
    ],
    "AC207": [
        Expected(
            "error",
            f"{A}/virtualNetworks/dns-01/subnets/snet-dns-inbound",
            ("- name: dns-01", "name: snet-dns-inbound"),
            ('"name": "dns-01"', '"name": "snet-dns-inbound"'),
            "uses route table 'rt-dns-01' with propagate gateway routes off (disableBgpRoutePropagation: true), so it "
            "does not learn the on-premises routes of virtual network gateway 'ergw-hub-01', and replies to on-premises "
            "are lost — 172.16.0.0/12: Azure's system route 172.16.0.0/12 -> None drops them",
            -1,
        )
    ],
    "AC307": [
        Expected(
            "error",
            f"{B}/virtualHubs/hub-01/routeMaps/rm-prepend-anycast",
            ("name: rm-prepend-anycast", "- type: Add"),
            ('"name": "rm-prepend-anycast"', '"type": "Add"'),
            "prepends 12076, the ExpressRoute edge's own ASN, so BGP loop prevention drops every route it changes "
            "(documented: Azure reserves 8074, 8075, 12076 and 65515-65520 (route-maps-about; expressroute-routing)): "
            "circuit 'er-circuit' refuses 10.13.76.0/24 (AS path 65515 12076) from 'er-conn-hub-01', so member "
            "'dns-01' (westeurope) of service 'dns' is not reached from circuit 'er-circuit'",
            -1,
        )
    ],
    "AC308": [
        Expected(
            "error",
            f"{A}/connections/ergw-hub-01-er-circuit",
            ("name: ergw-hub-01-er-circuit",),
            ('"name": "ergw-hub-01-er-circuit"',),
            "advertises 1,002 IPv4 prefixes; the limit is 1,000 per connection, Standard and Premium alike (Azure "
            "subscription and service limits, ExpressRoute route advertisement limits): exceeding it disconnects the "
            "connection, spokes using gateway transit included (ExpressRoute FAQ), and with it the anycast routes of "
            "service 'dns'",
            -1,
        )
    ],
    "AC401": [
        Expected(
            "error",
            f"{A}/dnsResolvers/dnspr-01/outboundEndpoints/outbound",
            ("name: dnspr-01", "name: outbound"),
            ('"name": "outbound"',),
            "outbound endpoint 'outbound' sits in 'dns-01', a member of anycast service 'dns'",
            -1,
        )
    ],
    "AC402": [
        Expected(
            "warning",
            "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-anycast-dns/providers/"
            "Microsoft.Compute/virtualMachines/dns-vm-01",
            ("name: nic-dns-vm-01",),
            ('"name": "nic-dns-vm-01"',),
            "virtual machine 'dns-vm-01' has addresses only in the anycast range 10.13.76.0/24 of 'dns-01'",
            -1,
        )
    ],
    "AC403": [
        Expected(
            "warning",
            f"{A}/networkSecurityGroups/nsg-dns-inbound-01",
            ("- name: nsg-dns-inbound-01",),
            ('"name": "nsg-dns-inbound-01"',),
            "allows new outbound flows to private ranges: 172.16.0.0/12 by default rule AllowVnetOutBound "
            "(priority 65000)",
            -1,
        )
    ],
    "AC404": [
        Expected(
            "note",
            f"{A}/connections/ergw-hub-01-er-circuit",
            ("name: ergw-hub-01-er-circuit",),
            ('"name": "ergw-hub-01-er-circuit"',),
            "has FastPath on (expressRouteGatewayBypass) and carries on-premises traffic to anycast members hosting a "
            "DNS Private Resolver: 'dns-01' (resolver inbound endpoint 'inbound')",
            -1,
        )
    ],
}
FORMATS = ["yaml", "json"]


def _line_after(path: Path, needles: tuple[str, ...]) -> int:
    """The line of the last needle, each needle searched from the previous one's line on."""
    lines = path.read_text(encoding="utf-8").splitlines()
    current = 0
    for needle in needles:
        current = next((i for i in range(current, len(lines)) if needle in lines[i]), -1)
        assert current >= 0, f"{needle!r} not found in {path} after the previous needles {needles}"
    return current + 1


def _scan(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("scan", *args, "--format", "json", cwd=folder)
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, json.loads(run.stdout)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_bad_design_gives_exactly_the_expected_findings(code: str, fmt: str) -> None:
    folder = RULES / code
    path = folder / f"bad.{fmt}"
    exit_code, report = _scan(folder, path.name, "--select", code)
    actual = [(f["code"], f["level"], f["resource"], f["line"]) for f in report["findings"]]
    expected = [
        (
            code,
            e.level,
            e.resource,
            _line_after(path, e.yaml_line) if fmt == "yaml" else _line_after(path, e.json_line) + e.json_offset,
        )
        for e in EXPECTED[code]
    ]
    assert sorted(actual) == sorted(expected)
    for finding, e in zip(
        sorted(report["findings"], key=lambda f: f["resource"]),
        sorted(EXPECTED[code], key=lambda e: e.resource),
        strict=True,
    ):
        assert e.evidence in finding["message"]
        assert finding["file"] == path.name
    assert exit_code == (1 if any(e.level == "error" for e in EXPECTED[code]) else 0)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_corrected_design_is_clean_under_every_rule(code: str, fmt: str) -> None:
    exit_code, report = _scan(RULES / code, f"good.{fmt}")
    # Design A declares no preferred region and its VIP goes to dns-01 by the lowest-next-hop tie-break:
    # that is the AC302 note every design built on it carries (issue 11), nothing else.
    inherent = [("AC302", "note")] if load_script(RULES / "build.py").CASES[code].base == "hub-and-spoke" else []
    assert [(f["code"], f["level"]) for f in report["findings"]] == inherent
    assert report["unknowns"] == [] and exit_code == 0


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_native_and_arm_twins_give_the_same_findings_under_every_rule(code: str) -> None:
    """Everything the bad design triggers (not only its own rule) is the same whatever the input format."""
    _, native = _scan(RULES / code, "bad.yaml")
    _, arm = _scan(RULES / code, "bad.json")
    assert code in {f["code"] for f in native["findings"]}
    assert [(f["code"], f["resource"], f["message"]) for f in arm["findings"]] == [
        (f["code"], f["resource"], f["message"]) for f in native["findings"]
    ]


def test_every_design_rule_has_a_fixture_pair() -> None:
    on_disk = {p.name for p in RULES.iterdir() if p.is_dir() and re.fullmatch(r"AC\d{3}", p.name)}
    catalog = {f"AC{n}" for n in (102, 103, 104, 105, 201, 202, 203, 204, 205, 206, 207, 307, 308, 401, 402, 403, 404)}
    assert on_disk == set(EXPECTED) == catalog


def test_committed_fixtures_match_the_builder() -> None:
    build = load_script(RULES / "build.py")
    for relative, text in build.built().items():
        assert (RULES / relative).read_text(encoding="utf-8") == text, f"{relative} is stale: run {RULES}/build.py"
    for native in RULES.glob("AC*/*.yaml"):
        if native.name == "anycast-lint.yaml":
            continue
        twin = native.with_suffix(".json")
        assert twin.read_text(encoding="utf-8") == build.arm_text(str(native)), f"{twin} is stale: run build.py"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_help_page_example_is_what_the_bad_fixture_prints(code: str) -> None:
    """The *Example* section of docs/rules/ACnnn.md is real output, kept true by this test."""
    run = run_cli("scan", "bad.yaml", "--select", code, cwd=RULES / code)
    printed = run.stdout.split("\n\n")[0].strip()
    example = re.search(r"```text\n(.*?)\n```", load_doc(code).section("Example"), re.S)
    assert example, f"docs/rules/{code}.md has no ```text block under ## Example"
    assert example.group(1).strip() == printed, f"update the example in {REPO}/docs/rules/{code}.md"

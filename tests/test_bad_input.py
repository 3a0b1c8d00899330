"""Bad input: one line per problem on stderr with file:line:col and what was expected, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HEADER, run_cli

VNET = "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/24]\n"

CASES = [
    # (file name, content, expected "line:col", expected message fragment)
    (
        "malformed.yaml",
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/24\n",
        "6:1",
        "invalid YAML: did not find expected ',' or ']'",
    ),
    (
        "schema.yaml",
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: 10.0.0.0/24\n",
        "5:19",
        'expected a list, got a string "10.0.0.0/24" (at $.virtualNetworks[0].addressSpace)',
    ),
    (
        "typo.yaml",
        HEADER + VNET + "    reigon: westeurope\n",
        "6:5",
        "unknown key 'reigon' (did you mean 'region'?) (at $.virtualNetworks[0].reigon)",
    ),
    (
        "wrongtype.yaml",
        HEADER + VNET + "    peerings:\n      - remoteVirtualNetwork: a\n        useRemoteGateways: yes\n",
        "8:28",
        'expected a boolean, got a string "yes"',
    ),
    (
        "hostbits.yaml",
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.4/24]\n",
        "5:20",
        "10.0.0.4/24 has host bits set; did you mean 10.0.0.0/24?",
    ),
    (
        "notaprefix.yaml",
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.300/24]\n",
        "5:20",
        "expected a prefix like 10.13.76.0/24, got '10.0.0.300/24'",
    ),
    (
        "badref.yaml",
        HEADER + VNET + "    peerings:\n      - remoteVirtualNetwork: b\n",
        "7:31",
        "unknown virtual network 'b' (expected a name from virtualNetworks or a resource id)",
    ),
    (
        "dupkey.yaml",
        HEADER + "virtualNetworks:\n  - name: a\n    name: b\n    addressSpace: [10.0.0.0/24]\n",
        "5:5",
        "duplicate key 'name' (first at line 4)",
    ),
    (
        "dupname.yaml",
        HEADER + VNET + "  - name: a\n    addressSpace: [10.1.0.0/24]\n",
        "6:5",
        "virtual network 'a' is declared twice (first at dupname.yaml:4:5)",
    ),
    (
        "wrongversion.yaml",
        "apiVersion: anycast-lint/v9\nkind: Topology\n",
        "1:13",
        "expected 'anycast-lint/v1', got \"anycast-lint/v9\" (at $.apiVersion)",
    ),
    (
        "broken.json",
        '{"apiVersion": "anycast-lint/v1", "kind": "Topology",\n "virtualNetworks": [,]}',
        "2:22",
        "invalid JSON: Expecting value",
    ),
    (
        "schema.json",
        '{"apiVersion": "anycast-lint/v1", "kind": "Topology",\n "virtualNetworks": [{"name": 7, "addressSpace": ["10.0.0.0/8"]}]}',
        "2:31",
        "expected a string, got a number 7 (at $.virtualNetworks[0].name)",
    ),
    ("stranger.json", '{"name": "my-app", "version": "1.0.0"}', "1:1", "not a recognised input"),
    ("empty.yaml", "\n\n", "1:1", "file is empty (expected a JSON or YAML document)"),
    (
        "twodocs.yaml",
        HEADER + "---\n" + HEADER,
        "3:1",
        "expected a single YAML document, found more than one",
    ),
    ("tagged.yaml", HEADER + "metadata:\n  name: !Ref thing\n", "4:9", "unsupported YAML tag '!Ref'"),
]


@pytest.mark.parametrize(("name", "content", "where", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_one_located_line(write, name: str, content: str, where: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    path = write(name, content)
    run = run_cli("scan", name, cwd=path.parent)
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"anycast-lint: error: {name}:{where}: "), lines[0]
    assert fragment in lines[0]
    assert run.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    run = run_cli("scan", "nowhere.yaml", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr == "anycast-lint: error: nowhere.yaml: no such file or directory\n"


def test_not_utf8(write) -> None:  # type: ignore[no-untyped-def]
    path = write("latin1.yaml", "")
    path.write_bytes(HEADER.encode() + b"metadata:\n  name: caf\xe9\n")
    run = run_cli("scan", "latin1.yaml", cwd=path.parent)
    assert run.exit_code == 2
    assert run.stderr == (
        "anycast-lint: error: latin1.yaml:4:12: not UTF-8 text: byte 0xe9 cannot be decoded "
        "(expected a JSON or YAML file saved as UTF-8)\n"
    )


def test_every_schema_violation_is_listed(write) -> None:  # type: ignore[no-untyped-def]
    path = write("many.yaml", HEADER + "virtualNetworks:\n  - name: a\n  - name: b\n    addressSpace: []\n")
    run = run_cli("scan", "many.yaml", cwd=path.parent)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "anycast-lint: error: many.yaml:4:5: missing required key 'addressSpace' (at $.virtualNetworks[0])",
        "anycast-lint: error: many.yaml:6:19: must not be empty (at $.virtualNetworks[1].addressSpace)",
    ]


def test_alias_bomb_is_refused_quickly(write) -> None:  # type: ignore[no-untyped-def]
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for previous, name in zip("abcdefg", "bcdefgh", strict=True):
        rows.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    path = write("bomb.yaml", "\n".join(rows) + "\n")
    run = run_cli("scan", "bomb.yaml", cwd=path.parent)
    assert run.exit_code == 2
    assert "aliases repeat more than 100,000 values beyond what the text writes" in run.stderr  # long before 5M


@pytest.mark.parametrize("name", ["deep.json", "deep.yaml"])
def test_deep_nesting_is_refused(write, name: str) -> None:  # type: ignore[no-untyped-def]
    nested = "[" * 50_000 + "]" * 50_000
    path = write(name, nested if name.endswith(".json") else "a: " + nested)
    run = run_cli("scan", name, cwd=path.parent)
    assert run.exit_code == 2
    assert "nest" in run.stderr and len(run.stderr.splitlines()) == 1


def test_bad_config_is_located(write) -> None:  # type: ignore[no-untyped-def]
    config = write("anycast-lint.yaml", "onprem:\n  prefixes: [172.16.0.0/12]\n  multipath: no\n")
    run = run_cli("scan", "x.yaml", cwd=config.parent)
    assert run.exit_code == 2
    assert run.stderr.strip() == (
        'anycast-lint: error: anycast-lint.yaml:3:14: expected a boolean, got a string "no" (at $.onprem.multipath)'
    )


def test_no_traceback_from_the_real_process(write) -> None:  # type: ignore[no-untyped-def]
    path = write("broken.json", '{"apiVersion": ')
    exe = Path(sys.executable).parent / "anycast-lint"
    done = subprocess.run([str(exe), "scan", "broken.json"], cwd=path.parent, capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("anycast-lint: error: broken.json:1:16: invalid JSON")


def test_misspelled_required_key_is_one_error_at_the_key(write) -> None:  # type: ignore[no-untyped-def]
    """Not also "missing required key 'addressSpace'": one mistake, one line, at the misspelled key."""
    path = write("typo.yaml", HEADER + "virtualNetworks:\n  - name: a\n    adressSpace: [10.0.0.0/24]\n")
    run = run_cli("scan", "typo.yaml", cwd=path.parent)
    assert run.exit_code == 2
    assert run.stderr == (
        "anycast-lint: error: typo.yaml:5:5: unknown key 'adressSpace' (did you mean 'addressSpace'?) "
        "(at $.virtualNetworks[0].adressSpace)\n"
    )


def test_each_unknown_key_is_reported_at_itself_in_json_too(write) -> None:  # type: ignore[no-untyped-def]
    text = (
        '{"apiVersion": "anycast-lint/v1", "kind": "Topology", "virtualNetworks": [\n'
        '  {"name": "a", "addressSpace": ["10.0.0.0/24"],\n'
        '   "peerings": [{"remoteVirtualNetwork": "a", "useRemoteGateway": true}], "colour": "red"}]}\n'
    )
    path = write("typos.json", text)
    run = run_cli("scan", "typos.json", cwd=path.parent)
    assert run.exit_code == 2
    assert run.stderr.splitlines() == [
        "anycast-lint: error: typos.json:3:47: unknown key 'useRemoteGateway' (did you mean 'useRemoteGateways'?) "
        "(at $.virtualNetworks[0].peerings[0].useRemoteGateway)",
        "anycast-lint: error: typos.json:3:75: unknown key 'colour'; expected one of: addressSpace, bgpCommunities, id, name, "
        "peerings, region, resourceGroup, subnets, subscription, summarizedGatewayPrefixes, tags "
        "(at $.virtualNetworks[0].colour)",
    ]

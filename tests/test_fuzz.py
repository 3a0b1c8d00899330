"""Property-based fuzzing of every loader: structured mutations of valid inputs never end in an internal error.

Each loader starts from inputs we know to be valid (the example designs, the ARM fixtures, the template
fixtures, the Terraform plan fixtures, the route-table captures) and applies a few mutations: a value replaced by a hostile one (another
type, Unicode digits, a malformed prefix, an integer too long to convert, an ARM expression that misuses a
function), a key deleted, a value wrapped in a list, a list item repeated, a text line cut or blanked. The
CLI must then exit 0, 1 or 2, and exit 2 only with one `file:line:col: message` line per problem.

The suite runs a fast profile (FUZZ_EXAMPLES, default 25 per loader); `make fuzz` runs 10,000 per loader
and prints how many inputs ended in each exit code.
"""

from __future__ import annotations

import copy
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anycast_lint.inputs import export_stream, reader
from conftest import EXAMPLES, FIXTURES, HEADER, SHARED, run_cli

EXAMPLES_PER_LOADER = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES_PER_LOADER,
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,  # the suite is reproducible; `make fuzz` explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BIG_INTEGER = "__fuzz_big_integer__"  # replaced in the text by 5,000 digits (json/yaml cannot write it)
LOCATED = re.compile(r"^anycast-lint: error: [^:\n]+:\d+:\d+: \S")
OUTCOMES: Counter[tuple[str, int]] = Counter()

HOSTILE_TEXT = [
    "١٠.0.0.0/٢٤",
    "10.0.0.0/٢٤",
    "²",
    "٦٥٥١٥",
    "172.16.0.0/12/12",
    "10.0.0.0/33",
    "10.0.0.1/24",
    "fd00::/129",
    "",
    " ",
    "*",
    "x" * 300,
    "/subscriptions/",
    "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks",
    "[",
    "[[x]",
    "[concat(",
    "[toLower(1)]",
    "[split(1, ',')]",
    "[items(createArray())]",
    "[parameters(createArray())]",
    "[variables('nope')]",
    "[int(json('1e999'))]",
    "[padLeft('a', 99999999999999999999)]",
    "[padLeft('a', 1000000000)]",
    "[copyIndex()]",
    "[reference('x').y]",
    "[" + "concat(" * 500 + "'a'" + ")" * 500 + "]",
    BIG_INTEGER,
    "1." + "9" * 5000,  # digits as text: a plan's format_version, a version, an index
    "manged",  # a plan resource's mode, misspelt
    "Microsoft.Network/virtualNetwork",
    "Microsoft.Nmtwork/virtualNetworks",
    "65515 " * 1200,  # an AS path over the cap
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(HOSTILE_TEXT),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _paths(child, (*path, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _paths(child, (*path, index))


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated(draw: st.DrawFn, documents: list[Any]) -> Any:
    """A valid document with one to three structured mutations."""
    document = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(list(_paths(document))))
        if not path:
            continue
        parent, key = _at(document, path[:-1]), path[-1]
        kind = draw(st.sampled_from(["replace", "replace", "replace", "delete", "wrap", "repeat"]))
        if kind == "replace":
            parent[key] = draw(values)
        elif kind == "delete":
            del parent[key]
        elif kind == "wrap":
            parent[key] = [parent[key]]
        elif isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return document


def _json_text(document: Any) -> str:
    return json.dumps(document, indent=1, ensure_ascii=False).replace(f'"{BIG_INTEGER}"', "9" * 5000)


def _scan(loader: str, files: dict[str, str], *options: str) -> None:
    """Write the files, scan them through the CLI, and check the outcome a user would see."""
    with tempfile.TemporaryDirectory() as folder:
        for name, text in files.items():
            (Path(folder) / name).write_text(text, encoding="utf-8")
        inputs = [name for name in files if name != "anycast-lint.yaml"]  # the config is found, not scanned
        run = run_cli("scan", *inputs, *(options or ("--format", "json")), cwd=Path(folder))
    OUTCOMES[(loader, run.exit_code)] += 1
    if "FUZZ_EXAMPLES" in os.environ and sum(OUTCOMES[(loader, code)] for code in (0, 1, 2)) % 1000 == 0:
        _print_counts(loader)  # progress, so that a long run that is stopped still says how far it got
    assert run.exit_code in (0, 1, 2), run.stderr
    assert "internal error" not in run.stderr, run.stderr
    if run.exit_code == 2:
        lines = run.stderr.splitlines()
        assert lines and all(LOCATED.match(line) for line in lines), run.stderr


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


NATIVE = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*/topology.yaml"))]
ARM = [_load_json(p) for p in [*sorted((EXAMPLES / "arm").glob("*.json")), *sorted(FIXTURES.glob("arm/*/tenant.json"))]]
TEMPLATES = [_load_json(FIXTURES / "templates" / name) for name in ("anycast-dns.json", "bicep-compiled.json")]
REAL_PLANS = SHARED / "realworld" / "terraform-plans"  # published plans of other tools' test suites
PLANS = [_load_json(p) for p in [*sorted(FIXTURES.glob("terraform/*.plan.json")), *sorted(REAL_PLANS.glob("*.json"))]]
TABLES = [p.read_text(encoding="utf-8").splitlines() for p in sorted((FIXTURES / "route-tables").glob("*.txt"))]


@FUZZ
@given(mutated(NATIVE), st.booleans())
def test_native_topologies(document: Any, as_yaml: bool) -> None:
    if as_yaml:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False).replace(BIG_INTEGER, "9" * 5000)
        _scan("native", {"topology.yaml": text})
    else:
        _scan("native", {"topology.json": _json_text(document)})


@FUZZ
@given(mutated(ARM))
def test_arm_exports(document: Any) -> None:
    _scan("arm", {"export.json": _json_text(document)})


@FUZZ
@given(mutated(ARM), st.booleans(), st.sampled_from([1, 7, 100, 1 << 22]))
def test_arm_exports_streamed_as_read_whole(document: Any, ascii_only: bool, chunk: int) -> None:
    """A large export is parsed item by item (export_stream); whatever the input, the user must see exactly
    what the whole-file parse shows: same exit code, same report (lines included), same errors."""
    text = json.dumps(document, indent=1, ensure_ascii=ascii_only).replace(f'"{BIG_INTEGER}"', "9" * 5000)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "export.json").write_text(text, encoding="utf-8")
        whole = run_cli("scan", "export.json", "--format", "json", cwd=Path(folder))
        saved = reader.RELEASE_TEXT_CHARACTERS, export_stream.CHUNK_BYTES
        reader.RELEASE_TEXT_CHARACTERS, export_stream.CHUNK_BYTES = 0, chunk
        try:
            streamed = run_cli("scan", "export.json", "--format", "json", cwd=Path(folder))
        finally:
            reader.RELEASE_TEXT_CHARACTERS, export_stream.CHUNK_BYTES = saved
    OUTCOMES[("arm streamed", streamed.exit_code)] += 1
    assert (streamed.exit_code, streamed.stdout, streamed.stderr) == (whole.exit_code, whole.stdout, whole.stderr)


@FUZZ
@given(mutated(TEMPLATES))
def test_arm_templates(document: Any) -> None:
    _scan("templates", {"template.json": _json_text(document)})


@FUZZ
@given(mutated(PLANS))
def test_terraform_plans(document: Any) -> None:
    _scan("terraform plans", {"plan.json": _json_text(document)})


@st.composite
def mutated_table(draw: st.DrawFn) -> str:
    """A captured `-o table` route table with lines cut, blanked, repeated or with a token replaced."""
    lines = list(draw(st.sampled_from(TABLES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(st.sampled_from(["token", "token", "blank", "cut", "repeat", "delete"]))
        tokens = lines[index].split()
        if kind == "token" and tokens:
            position = draw(st.integers(min_value=0, max_value=len(tokens) - 1))
            replacement = draw(st.sampled_from(HOSTILE_TEXT) | st.text(max_size=10))
            tokens[position] = replacement.replace(BIG_INTEGER, "9" * 5000)
            lines[index] = "  ".join(tokens)
        elif kind == "blank":
            lines.insert(index, "")
        elif kind == "cut":
            lines[index] = lines[index][: draw(st.integers(min_value=0, max_value=len(lines[index])))]
        elif kind == "repeat":
            lines.insert(index, lines[index])
        elif len(lines) > 1:
            del lines[index]
    return "\n".join(lines) + "\n"


@FUZZ
@given(mutated_table())
def test_route_table_captures(text: str) -> None:
    _scan("route tables", {"table.txt": text})


ROUTE_JSON = [
    {
        "value": [
            {"network": "10.13.76.0/24", "nextHop": "192.168.130.12", "locPrf": "100", "weight": 0, "path": "65515"}
        ]
    },
    {
        "parameters": {"circuitName": "c", "peeringName": "AzurePrivatePeering", "devicePath": "primary"},
        "responses": {"200": {"body": {"value": [{"network": "10.0.0.0/24", "nextHop": "1.1.1.1", "path": "1 2"}]}}},
    },
]


@FUZZ
@given(mutated(ROUTE_JSON))
def test_route_table_json(document: Any) -> None:
    _scan("route tables", {"table.json": _json_text(document)})


# Inputs whose cost is not bounded by their size unless the tool bounds it (issue 24): each must end in exit
# 0, 1 or 2 like any other input. `make fuzz` runs them at full size; the suite at a size that stays quick.
FULL = "FUZZ_EXAMPLES" in os.environ
TABLE_HEADER = "LocPrf    Network           NextHop          Path               Weight\n" + "-" * 8 + "\n"


def _shared_prefixes(vnets: int, prefixes: int) -> str:
    space = ", ".join(f"10.{i // 256}.{i % 256}.0/24" for i in range(prefixes))
    lines = ["virtualNetworks:", "  - {name: hub, region: westeurope, addressSpace: [172.16.0.0/16]}"]
    lines.append(
        f"  - {{name: v0, region: westeurope, addressSpace: &s [{space}], peerings: &p [{{name: p, remoteVirtualNetwork: hub}}]}}"
    )
    lines += [f"  - {{name: v{i}, region: westeurope, addressSpace: *s, peerings: *p}}" for i in range(1, vnets)]
    return HEADER + "\n".join(lines) + "\n"


def _rows(count: int) -> str:
    return TABLE_HEADER + "".join(
        f"100  10.{i // 65536}.{i // 256 % 256}.{i % 256}/32  192.168.130.{12 + i % 2}{'*' if i % 2 else ' '}  65515 {i % 7 + 1}  0\n"
        for i in range(count)
    )


def _nsgs(count: int) -> str:
    """NSGs on VIP subnets without an outbound Deny: one AC403 fix per NSG, all into one file."""
    vnets = "".join(
        f"  - {{name: dns-{i}, region: westeurope, addressSpace: [10.13.76.0/24], tags: {{anycast-service: dns}},"
        f" subnets: [{{name: s, addressPrefix: 10.13.76.0/28, networkSecurityGroup: nsg-{i}}}]}}\n"
        for i in range(count)
    )
    nsgs = "".join(f"  - {{name: nsg-{i}, region: westeurope, securityRules: []}}\n" for i in range(count))
    return HEADER + "virtualNetworks:\n" + vnets + "networkSecurityGroups:\n" + nsgs.rstrip("\n")


EXHAUSTION = {
    "AC101: VNets sharing one list of prefixes through an alias": lambda: {
        "topology.yaml": _shared_prefixes(30, 1000) if FULL else _shared_prefixes(10, 100)
    },
    "aliases multiplying a small file": lambda: {"topology.yaml": _shared_prefixes(300, 1000 if FULL else 400)},
    "one route-table row with a long AS path": lambda: {
        "table.txt": TABLE_HEADER + "100  10.0.0.0/24  1.1.1.1*  " + "65515 " * (16_000_000 if FULL else 5000) + " 0\n"
    },
    "a route table of many rows": lambda: {"table.txt": _rows(1_000_000 if FULL else 5000)},
    "many SARIF fixes into one file ending without a newline": lambda: {
        "topology.yaml": _nsgs(1000 if FULL else 50),
        "anycast-lint.yaml": "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n  dns:\n    vip: 10.13.76.4\n",
    },
}


@pytest.mark.parametrize("shape", sorted(EXHAUSTION))
@pytest.mark.parametrize("format_name", ["json", "sarif"])
def test_exhaustion_shapes(shape: str, format_name: str) -> None:
    _scan("exhaustion", EXHAUSTION[shape](), "--format", format_name)


def _print_counts(loader: str) -> None:
    counts = {code: OUTCOMES[(loader, code)] for code in (0, 1, 2)}
    total = sum(counts.values())
    print(f"\nfuzz {loader}: {total} inputs, exit 0: {counts[0]}, exit 1: {counts[1]}, exit 2: {counts[2]}", flush=True)


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    """`make fuzz` prints how many generated inputs ended in each exit code, per loader."""
    yield
    if "FUZZ_EXAMPLES" in os.environ:
        for loader in sorted({name for name, _ in OUTCOMES}):
            _print_counts(loader)

"""Shared helpers: paths to the examples and the shared material, and a CLI runner."""

from __future__ import annotations

import copy
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from anycast_lint.cli.main import cli
from anycast_lint.inputs import reader
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.topology import Topology

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"
SARIF_GATE = SHARED / "tools" / "sarif-gate" / "sarif-gate"
# Every example design, in the native format and as ARM exports (scanned from examples/).
EXAMPLE_DESIGNS = [
    "hub-and-spoke",
    "vwan-indirect-spokes",
    "prefix-length",
    "two-locations",
    "broken-overlap",
    "arm/hub-and-spoke.json",
    "arm/vwan-indirect-spokes.json",
    "arm/broken-overlap.json",
]
# Where the tests say the help pages are (example.com is reserved for documentation: no real org).
HELP_BASE = "https://git.example.com/network/anycast-lint/blob/main/docs/rules/"
# The tests run as CI does (the GitHub Action sets this): with the help pages' location known, so SARIF
# carries helpUri and informationUri. Tests of the default unset it (test_sarif_ci.py).
os.environ["ANYCAST_LINT_HELP_BASE_URL"] = HELP_BASE


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | None = None, stdin: str | None = None) -> Run:
    """Invoke the CLI in-process, from `cwd`, with stdout and stderr kept apart."""
    runner = CliRunner()
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(cli, list(args), input=stdin, prog_name="anycast-lint")
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `needle` (to assert reported lines)."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found {occurrence} times in {path}")


def scan_design(tmp_path: Path, design: dict[str, Any], config: str, select: str) -> list[dict[str, Any]]:
    """Write a design (as YAML) and its config to `tmp_path`, scan it with some rules: the JSON findings."""
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config, encoding="utf-8")
    run = run_cli("scan", "design.yaml", "--format", "json", "--select", select, cwd=tmp_path)
    assert run.exit_code in (0, 1), run.stderr
    findings: list[dict[str, Any]] = json.loads(run.stdout)["findings"]
    return findings


def simulate_design(tmp_path: Path, design: dict[str, Any], config: str, *args: str, gaps: str = "") -> dict[str, Any]:
    """Write a design (as YAML) and its config to `tmp_path` and simulate it: the JSON document. `gaps` is
    what simulate, a gate, prints when a VIP has no route at a circuit (then it exits 1)."""
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config, encoding="utf-8")
    run = run_cli("simulate", "design.yaml", "--format", "json", *args, cwd=tmp_path)
    assert (run.exit_code, run.stderr) == ((1, gaps) if gaps else (0, ""))
    document: dict[str, Any] = json.loads(run.stdout)
    return document


def hub_and_spoke_design(regions: list[dict[str, Any]], circuits: list[str]) -> dict[str, Any]:
    """Self-managed hub and spoke: per region a hub with a gateway on the given circuit(s) and a DNS spoke."""
    vnets, gateways, connections, resolvers = [], [], [], []
    for index, region in enumerate(regions, start=1):
        hub, spoke, gateway = f"hub-{index:02d}", f"dns-{index:02d}", f"ergw-{index:02d}"
        vnets.append(
            {
                "name": hub,
                "region": region["name"],
                "addressSpace": [f"192.168.{126 + 2 * index}.0/23"],
                "subnets": [{"name": "GatewaySubnet", "addressPrefix": f"192.168.{126 + 2 * index}.0/27"}],
                "peerings": [{"remoteVirtualNetwork": spoke, "allowGatewayTransit": True}],
            }
        )
        vnets.append(
            {
                "name": spoke,
                "region": region["name"],
                "addressSpace": [region.get("prefix", "10.13.76.0/24")],
                "tags": {"anycast-service": "dns"},
                "subnets": [{"name": "snet-dns", "addressPrefix": "10.13.76.0/28"}],
                "peerings": [{"remoteVirtualNetwork": hub, "useRemoteGateways": True}],
            }
        )
        gateways.append(
            {
                "name": gateway,
                "virtualNetwork": hub,
                "bgpPeeringAddresses": [f"192.168.{126 + 2 * index}.12", f"192.168.{126 + 2 * index}.13"],
            }
        )
        for circuit in region["circuits"]:
            connections.append({"name": f"{gateway}-{circuit}", "gateway": gateway, "circuit": circuit})
        resolvers.append(
            {
                "name": f"dnspr-{index:02d}",
                "virtualNetwork": spoke,
                "inboundEndpoints": [
                    {
                        "name": "in",
                        "ipConfigurations": [
                            {"subnet": "snet-dns", "privateIPAddress": region.get("endpoint", "10.13.76.4")}
                        ],
                    }
                ],
            }
        )
    return {
        "apiVersion": "anycast-lint/v1",
        "kind": "Topology",
        "expressRouteCircuits": [{"name": c} for c in circuits],
        "virtualNetworks": vnets,
        "virtualNetworkGateways": gateways,
        "connections": connections,
        "dnsResolvers": resolvers,
    }


HEADER = "apiVersion: anycast-lint/v1\nkind: Topology\n"


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    """write(name, text) -> Path: a file in a fresh temporary folder."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


REALWORLD = SHARED / "realworld"
SEED = SHARED / "seed" / "private-anycast-azure-no-bgp.txt"
FIXTURES = REPO / "tests" / "fixtures"
# One folder per rule: its bad and good designs and the findings expected of them (tests/test_rule_fixtures.py).
RULE_FIXTURES = REPO / "tests" / "rules"


def rule_fixture_designs(folder: Path) -> dict[str, list[str]]:
    """The designs of a rule fixture folder (its anycast-lint.yaml's `designs:`): name -> files to scan."""
    config = yaml.safe_load((folder / "anycast-lint.yaml").read_text(encoding="utf-8"))
    return {name: [str(file) for file in files] for name, files in config["designs"].items()}


# The ARM exports the repository holds (fixtures, examples, every rule fixture's twin), for the plain readers'
# comparisons with the general reader (test_arm_plain.py, test_arm_plain_tables.py).
ARM_EXPORTS = (
    *(FIXTURES / "arm").rglob("*.json"),
    *(EXAMPLES / "arm").glob("*.json"),
    *RULE_FIXTURES.glob("*/*.json"),
)


def load_with_plain_readers(
    paths: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    plain: bool,
    modules: tuple[ModuleType, ...],
    names: tuple[str, ...],
    item_by_item: bool = True,
) -> tuple[Topology, int]:
    """Load `paths` with the plain readers `names` (where `modules` look them up) on or off, and count the
    objects they took. By default every export is read item by item, as large ones are, so the readers that
    translate items while the file is parsed (arm/preread.py) run too; else small files are parsed whole."""
    taken = 0

    def counted(plain_reader: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            nonlocal taken
            result = plain_reader(*args) if plain else None
            taken += result is not None
            return result

        return wrapper

    with monkeypatch.context() as patch:
        if item_by_item:
            patch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
        for module in modules:
            for name in names:
                if hasattr(module, name):
                    patch.setattr(module, name, counted(getattr(module, name)))
        topology = load_inputs([str(p) for p in paths]).topology
    return topology, taken


def shared_or_skip(path: Path) -> Path:
    """Material from ../shared: present in the project workspace and in CI, maybe not elsewhere."""
    if not path.exists():
        if os.environ.get("ANYCAST_LINT_REQUIRE_SARIF_GATE"):
            pytest.fail(f"{path} is expected in CI but missing")
        pytest.skip(f"{path} is not available outside the project workspace")
    return path


def load_script(path: Path) -> ModuleType:
    """Import a fixture generator (reshape.py, build.py) to compare its output with the committed files."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def write_design(folder: Path, design: dict[str, Any], shape: str = "native") -> str:
    """Write a native design into `folder` as design.yaml or, with shape "arm", as the ARM export
    tests/rules/to_arm.py makes of it (design.json): one design read through either loader."""
    (folder / "design.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    if shape == "native":
        return "design.yaml"
    arm = load_script(RULE_FIXTURES / "to_arm.py").arm_text(str(folder / "design.yaml"))
    (folder / "design.json").write_text(arm, encoding="utf-8")
    (folder / "design.yaml").unlink()
    return "design.json"


def example_design(name: str) -> dict[str, Any]:
    """An example design (examples/NAME/topology.yaml) as plain data, safe to change.

    The examples share NSG rule lists through a YAML alias; each NSG gets its own copy here, so a change
    to one NSG does not silently change the other.
    """
    design: dict[str, Any] = yaml.safe_load((EXAMPLES / name / "topology.yaml").read_text(encoding="utf-8"))
    for group in design.get("networkSecurityGroups", []):
        group["securityRules"] = copy.deepcopy(group["securityRules"])
    return design


def named(items: list[dict[str, Any]], name: str) -> dict[str, Any]:
    """The entry called `name` in a list of named resources."""
    return next(item for item in items if item["name"] == name)


def terminal_output(command: list[str], cwd: Path, env: dict[str, str] | None = None, stdout_too: bool = True) -> str:
    """What `command` writes to a pseudo-terminal on stderr (and stdout, unless `stdout_too` is False)."""
    import pty
    import subprocess

    main, replica = pty.openpty()
    stdout = replica if stdout_too else subprocess.DEVNULL
    with subprocess.Popen(command, cwd=cwd, stdout=stdout, stderr=replica, env=env) as proc:
        os.close(replica)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait()
    os.close(main)
    return b"".join(chunks).decode()


def sarif_gate(log: dict[str, Any], target: Path, *flags: str) -> str:
    """Run ../shared/tools/sarif-gate on a log (GitHub's and Azure DevOps' checks); its output, asserted PASS.

    Required in CI (ANYCAST_LINT_REQUIRE_SARIF_GATE); skipped outside the project workspace.
    """
    if not SARIF_GATE.exists():
        if os.environ.get("ANYCAST_LINT_REQUIRE_SARIF_GATE"):
            pytest.fail(f"{SARIF_GATE} is required in CI but missing")
        pytest.skip("sarif-gate is not available outside the project workspace")
    target.write_text(json.dumps(log), encoding="utf-8")
    done = subprocess.run([str(SARIF_GATE), str(target), *flags], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "RESULT: PASS" in done.stdout, done.stdout + done.stderr
    return done.stdout


def report_data(design: Path, config: Path | None = None) -> Any:
    """A scan's ReportData, in-process: `design` is a file, or a rule fixture folder (its bad.yaml, with
    the folder's anycast-lint.yaml unless `config` is given)."""
    from anycast_lint.engine.run import run
    from anycast_lint.inputs.config_lookup import ConfigLookup
    from anycast_lint.inputs.load_options import LoadOptions
    from anycast_lint.inputs.workspace import read_inputs
    from anycast_lint.report import ReportData

    if design.is_dir():
        config = config or design / "anycast-lint.yaml"
        design = design / "bad.yaml"
    config = config or design.parent / "anycast-lint.yaml"
    inputs = read_inputs([str(design)], ConfigLookup(str(config), design.parent), LoadOptions())
    (only,) = inputs.designs
    result = run(only.load.topology, only.config, design=only.name)
    return ReportData(scan=result, load=inputs, root=REPO)

"""`scan --azure` against a local Azure: the real SDK clients over HTTPS on loopback.

The local Azure (tests/azure_server.py) serves the same ARM JSON the file tests read, so a live scan
must give exactly the topology and the findings of scanning those files.
"""

from __future__ import annotations

import copy
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from anycast_lint.inputs.assemble import content
from anycast_lint.inputs.live.session import LiveOptions, read_azure
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.loader import load_design, load_inputs
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Topology
from azure_server import LocalAzure, Tenant
from conftest import EXAMPLES, FIXTURES, REPO, RULE_FIXTURES, SARIF_GATE, load_script, run_cli, terminal_output

DESIGNS = {
    "hub-and-spoke": EXAMPLES / "arm" / "hub-and-spoke.json",
    "vwan-indirect-spokes": EXAMPLES / "arm" / "vwan-indirect-spokes.json",
    "every-type": REPO / "tests" / "fixtures" / "arm" / "rest" / "tenant.json",
}
SECRET_VALUES = (
    "ER-peering-shared-key-do-not-print",
    "connection-authorization-key-do-not-print",
    "er-connection-authorization-key-do-not-print",
    "00000000-0000-0000-0000-00000000abcd",
)
ALLOWED_POSTS = (
    re.compile(r"^/[^/]+/oauth2/v2\.0/token$"),
    re.compile(r"^/providers/Microsoft\.ResourceGraph/resources$"),
    re.compile(r"/expressRouteCircuits/[^/]+/peerings/AzurePrivatePeering/routeTables/(primary|secondary)$"),
)


def resources_of(path: Path) -> list[dict[str, Any]]:
    value: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["value"]
    return copy.deepcopy(value)


@pytest.fixture
def local_azure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """start(tenant) -> (server, CLI arguments); the credential comes from the environment, as in CI."""
    servers: list[LocalAzure] = []

    def start(tenant: Tenant) -> tuple[LocalAzure, list[str]]:
        server = LocalAzure(tenant, tmp_path).__enter__()
        servers.append(server)
        monkeypatch.setenv("AZURE_CLIENT_ID", "local-client")
        monkeypatch.setenv("AZURE_CLIENT_SECRET", "local-client-secret")
        monkeypatch.setenv("AZURE_TENANT_ID", tenant.tenant_id)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
        # no -q: progress shows only on a terminal, and -q (as in ruff) also drops the summary these tests read
        return server, ["--azure", "--arm-endpoint", server.url, "--authority-host", server.url]

    yield start
    for server in servers:
        server.__exit__(None, None, None)
        assert_no_write(server)  # every live test: whatever else it checks, nothing was written


def assert_no_write(server: LocalAzure) -> None:
    """Only GETs, plus the token request, the Resource Graph query and the route-table listing."""
    for method, path in server.log:
        assert method == "GET" or (method == "POST" and any(p.search(path) for p in ALLOWED_POSTS)), (method, path)


def assert_read_only(server: LocalAzure) -> None:
    assert server.log, "the scan sent no request"
    assert_no_write(server)


def live_topology(server: LocalAzure, use_graph: bool = True) -> Topology:
    options = LiveOptions(arm_endpoint=server.url, authority_host=server.url, use_graph=use_graph)
    loaded, errors = load_design("azure", [], LoadOptions(), read_azure(options, quiet=True).documents)
    assert not errors and loaded is not None
    assert loaded.repeats == []  # an id read by Resource Graph and by a list call reaches the model once
    return loaded.topology


def same_topology(live: Topology, files: Topology) -> None:
    assert live.counts() == files.counts()
    for name in live.counts():
        live_items, file_items = getattr(live, name), getattr(files, name)
        assert sorted(live_items) == sorted(file_items), name
        for key in file_items:
            assert content(live_items[key]) == content(file_items[key]), f"{name} {key}"


@pytest.mark.parametrize("use_graph", [True, False], ids=["resource-graph", "list-calls"])
@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_live_topology_equals_the_files(local_azure: Any, design: str, use_graph: bool) -> None:
    server, _ = local_azure(Tenant(resources_of(DESIGNS[design])))
    live = live_topology(server, use_graph)
    same_topology(live, load_inputs([str(DESIGNS[design])]).topology)
    assert_read_only(server)
    paths = [path for _, path in server.log]
    # The custom authority was used, with no instance discovery on a public host.
    assert any(p.endswith("/v2.0/.well-known/openid-configuration") for p in paths)
    assert ("POST" in {m for m, _ in server.log}) is True
    graph_queries = [p for p in paths if p.endswith("Microsoft.ResourceGraph/resources")]
    assert len(graph_queries) == (1 if use_graph else 0)
    if design == "vwan-indirect-spokes":  # what Resource Graph does not index is listed per hub
        assert any(p.endswith("/virtualHubs/hub-01/hubRouteTables") for p in paths)
        assert any(p.endswith("/expressRouteGateways/ergw-hub-01/expressRouteConnections") for p in paths)


def _findings(run_stdout: str) -> list[tuple[str, str, str, str]]:
    report = json.loads(run_stdout)
    return sorted((f["code"], f["resource"], f["message"], f["fingerprint"]) for f in report["findings"])


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_live_scan_gives_the_findings_of_the_files(local_azure: Any, design: str) -> None:
    server, azure = local_azure(Tenant(resources_of(DESIGNS[design])))
    from_files = run_cli("scan", str(DESIGNS[design]), "--format", "json", cwd=EXAMPLES)
    live = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    assert live.exit_code == from_files.exit_code, live.stderr
    assert _findings(live.stdout) == _findings(from_files.stdout)
    assert json.loads(live.stdout)["complete"] is True
    text = run_cli("scan", *azure, cwd=EXAMPLES)
    assert text.stdout.splitlines()[-1].endswith("in 1 Azure subscription.")
    assert_read_only(server)


def test_live_findings_name_the_azure_resource(local_azure: Any, tmp_path: Path) -> None:
    broken = resources_of(EXAMPLES / "arm" / "broken-overlap.json")
    _server, azure = local_azure(Tenant(broken))
    run = run_cli("scan", *azure, cwd=EXAMPLES)
    assert run.exit_code == 1
    first = run.stdout.splitlines()[0]
    assert first.startswith("azure:/subscriptions/"), first
    assert "/virtualNetworks/app-01" in first.split(": AC101")[0]
    sarif = json.loads(run_cli("scan", *azure, "--format", "sarif", cwd=EXAMPLES).stdout)
    result = sarif["runs"][0]["results"][0]
    location = result["locations"][0]
    assert "physicalLocation" not in location  # no file: the logical location names the resource
    assert location["logicalLocations"][0]["fullyQualifiedName"].endswith("/virtualNetworks/app-01")


def test_snapshot_gives_sarif_file_locations(local_azure: Any, tmp_path: Path) -> None:
    _server, azure = local_azure(Tenant(resources_of(EXAMPLES / "arm" / "broken-overlap.json")))
    snapshot = tmp_path / "snapshot.json"
    run = run_cli(
        "scan", *azure, "--snapshot", str(snapshot), "--format", "sarif", "--root", str(tmp_path), cwd=EXAMPLES
    )
    assert run.exit_code == 1, run.stderr
    result = json.loads(run.stdout)["runs"][0]["results"][0]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "snapshot.json"
    line = snapshot.read_text(encoding="utf-8").splitlines()[physical["region"]["startLine"] - 1]
    assert "10.13.76.0/25" in line  # app-01's overlapping prefix, at its line in the snapshot
    assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].endswith("/virtualNetworks/app-01")


def test_export_then_scan_gives_identical_findings(local_azure: Any, tmp_path: Path) -> None:
    server, azure = local_azure(Tenant(resources_of(DESIGNS["every-type"])))
    snapshot = tmp_path / "snapshot.json"
    exported = run_cli("export", *azure, "-o", str(snapshot))
    assert exported.exit_code == 0, exported.stderr
    assert json.loads(snapshot.read_text(encoding="utf-8")).keys() == {"value"}
    live = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    offline = run_cli("scan", str(snapshot), "--format", "json", cwd=EXAMPLES)
    assert live.exit_code == offline.exit_code
    assert _findings(live.stdout) == _findings(offline.stdout)
    assert load_inputs([str(snapshot)]).topology.counts() == load_inputs([str(DESIGNS["every-type"])]).topology.counts()
    same_topology(load_inputs([str(snapshot)]).topology, load_inputs([str(DESIGNS["every-type"])]).topology)
    implied = tmp_path / "implied.json"  # Azure is export's only source: --azure may be left out
    without = run_cli("export", *[a for a in azure if a != "--azure"], "-o", str(implied))
    assert without.exit_code == 0, without.stderr
    assert implied.read_text(encoding="utf-8") == snapshot.read_text(encoding="utf-8")
    assert_read_only(server)


def test_secrets_are_never_output(local_azure: Any, tmp_path: Path) -> None:
    _server, azure = local_azure(Tenant(resources_of(DESIGNS["every-type"])))
    snapshot = tmp_path / "snapshot.json"
    outputs = [
        run_cli("scan", *azure, "--format", fmt, "-v", "--snapshot", str(snapshot), cwd=EXAMPLES)
        for fmt in ("text", "json", "sarif")
    ]
    outputs.append(run_cli("export", *azure, "-o", str(tmp_path / "export.json")))
    written = snapshot.read_text(encoding="utf-8") + (tmp_path / "export.json").read_text(encoding="utf-8")
    everything = "".join(r.stdout + r.stderr for r in outputs) + written
    for secret in SECRET_VALUES:
        assert secret not in everything
    assert '"sharedKey"' not in written and '"authorizationKey"' not in written


def two_subscriptions() -> Tenant:
    """Design A in subscription 1111…, design B in 2222…: one tenant, two subscriptions."""
    return Tenant(resources_of(DESIGNS["hub-and-spoke"]) + resources_of(DESIGNS["vwan-indirect-spokes"]))


def test_forbidden_subscription_stops_the_scan(local_azure: Any) -> None:
    tenant = two_subscriptions()
    tenant.forbidden = {"22222222-2222-2222-2222-222222222222"}
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, cwd=EXAMPLES)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "subscription 'sub-22222222' (22222222-2222-2222-2222-222222222222)" in run.stderr
    assert "403 AuthorizationFailed" in run.stderr
    assert "11111111-1111-1111-1111-111111111111" not in run.stderr  # the readable one is not blamed
    assert len(run.stderr.strip().splitlines()) == 1
    assert_read_only(server)


def test_allow_partial_states_the_gap_in_every_format(local_azure: Any) -> None:
    tenant = two_subscriptions()
    tenant.forbidden = {"22222222-2222-2222-2222-222222222222"}
    _server, azure = local_azure(tenant)
    text = run_cli("scan", *azure, "--allow-partial", cwd=EXAMPLES)
    assert text.exit_code == 0, text.stderr
    assert text.stdout.splitlines()[0].startswith(
        "Incomplete scan: not read: subscription 'sub-22222222' (22222222-2222-2222-2222-222222222222): "
    )
    assert "in 1 Azure subscription." in text.stdout  # design B was not read: only design A is counted
    report = json.loads(run_cli("scan", *azure, "--allow-partial", "--format", "json", cwd=EXAMPLES).stdout)
    assert list(report)[:2] == ["complete", "errors"]
    assert report["complete"] is False
    assert "22222222-2222-2222-2222-222222222222" in report["errors"][0]["message"]
    assert "virtual_hubs" not in report["summary"]["resources"]  # nothing of the unreadable subscription
    sarif = json.loads(run_cli("scan", *azure, "--allow-partial", "--format", "sarif", cwd=EXAMPLES).stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notification = invocation["toolExecutionNotifications"][0]
    assert notification["level"] == "error"
    assert "22222222-2222-2222-2222-222222222222" in notification["message"]["text"]


def test_unknown_subscription_is_named(local_azure: Any) -> None:
    _server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    missing = "33333333-3333-3333-3333-333333333333"
    run = run_cli("scan", *azure, "--subscription", missing, cwd=EXAMPLES)
    assert run.exit_code == 2
    assert (
        f"subscription {missing}: could not read anything: not among the subscriptions the credential can list"
        in run.stderr
    )


def test_throttling_is_retried_by_the_sdk(local_azure: Any) -> None:
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]))
    tenant.throttle_once = {"/providers/Microsoft.ResourceGraph/resources", "/hubRouteTables"}
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    graph = [p for m, p in server.log if p.endswith("Microsoft.ResourceGraph/resources")]
    assert len(graph) == 2  # 429 (Retry-After: 1), then the answer
    assert json.loads(run.stdout)["summary"]["resources"]["hub_route_tables"] == 4


def test_resource_graph_refused_falls_back_to_list_calls(local_azure: Any) -> None:
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]))
    tenant.graph_forbidden = True
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--format", "json", "-v", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    run = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)  # announced without -v
    assert (
        "anycast-lint: warning: Resource Graph did not answer for 1 subscription (403 AuthorizationFailed: "
        in run.stderr
    )
    assert "listing each of them type by type instead (about 16 requests per subscription)" in run.stderr
    assert any(p.endswith("/providers/Microsoft.Network/virtualNetworks") for _, p in server.log)
    live = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    from_files = run_cli("scan", str(DESIGNS["vwan-indirect-spokes"]), "--format", "json", cwd=EXAMPLES)
    assert _findings(live.stdout) == _findings(from_files.stdout)


CIRCUIT = (
    "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-anycast-dns/providers/"
    "Microsoft.Network/expressRouteCircuits/er-circuit"
)


def route_rows(best_hub_ip: str) -> list[dict[str, Any]]:
    """A circuit's private-peering routes for design A, as ListRoutesTable returns them: locPrf a string,
    weight a number, the best path's next hop ending in '*' (the marker the az CLI prints from these rows,
    as in the field report's captures)."""
    rows = []
    for hop in ("192.168.128.12", "192.168.128.13", "192.168.130.12", "192.168.130.13"):
        marked = f"{hop}*" if hop == best_hub_ip else hop
        rows.append({"locPrf": "100", "network": "10.13.76.0/24", "nextHop": marked, "path": "65515", "weight": 0})
    for network, first in (("192.168.128.0/23", "192.168.128.12"), ("192.168.130.0/23", "192.168.130.12")):
        rows.append({"locPrf": "100", "network": network, "nextHop": f"{first}*", "path": "65515", "weight": 0})
    return rows


@pytest.mark.parametrize(("best", "drift"), [("192.168.128.12", False), ("192.168.130.12", True)])
def test_observed_routes_feed_drift_detection(local_azure: Any, best: str, drift: bool) -> None:
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]))
    tenant.route_tables = {(CIRCUIT.lower(), path): route_rows(best) for path in ("primary", "secondary")}
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--observed-routes", "--format", "json", "--select", "AC306", cwd=EXAMPLES)
    findings = json.loads(run.stdout)["findings"]
    if drift:
        assert run.exit_code == 1, run.stderr
        assert len(findings) == 1  # primary and secondary disagree alike: one finding per cause
        assert {f["code"] for f in findings} == {"AC306"}
        assert "observed best path for 10.13.76.0/24 is 192.168.130.12" in findings[0]["message"]
        assert findings[0]["file"] is None  # read live: the resource names the place
    else:
        assert (run.exit_code, findings) == (0, [])
    posts = [p for m, p in server.log if m == "POST" and "routeTables" in p]
    assert sorted(p.rsplit("/", 1)[-1] for p in posts) == ["primary", "secondary"]
    polls = [p for m, p in server.log if "/operationResults/" in p]
    assert len(polls) == 4  # each long-running POST: 202 + Location, polled until 200
    assert_read_only(server)


def test_simulate_reads_azure(local_azure: Any) -> None:
    server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    live = run_cli("simulate", *azure, cwd=EXAMPLES)
    from_files = run_cli("simulate", str(DESIGNS["hub-and-spoke"]), cwd=EXAMPLES)
    assert live.exit_code == 0, live.stderr
    assert live.stdout == from_files.stdout
    assert_read_only(server)


def test_live_scan_combines_with_a_captured_route_table(local_azure: Any) -> None:
    _server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    capture = REPO / "tests" / "fixtures" / "route-tables"
    captured = sorted(capture.glob("*.txt"))[0]
    run = run_cli("scan", *azure, str(captured), "--format", "json", "--select", "AC306", cwd=EXAMPLES)
    report = json.loads(run.stdout)
    assert report["inputs"] == [str(captured)]
    assert report["designs"][0]["name"] == "azure"
    assert run.exit_code in (0, 1), run.stderr
    assert all(f["code"] == "AC306" for f in report["findings"])


def test_tenant_option_asks_tokens_for_that_tenant(local_azure: Any) -> None:
    server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    other = "0f0f0f0f-0000-0000-0000-00000000beef"
    run = run_cli("scan", *azure, "--tenant", other, cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert ("POST", f"/{other}/oauth2/v2.0/token") in server.log


def test_live_sarif_validates_and_the_snapshot_sarif_passes_githubs_checks(local_azure: Any, tmp_path: Path) -> None:
    text = resources.files("anycast_lint.schemas").joinpath("sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    validator = jsonschema.Draft4Validator(json.loads(text))
    _server, azure = local_azure(Tenant(resources_of(EXAMPLES / "arm" / "broken-overlap.json")))
    tenant_only = json.loads(run_cli("scan", *azure, "--format", "sarif", cwd=EXAMPLES).stdout)
    assert [e.message for e in validator.iter_errors(tenant_only)] == []
    snapshot, report = tmp_path / "azure.json", tmp_path / "anycast-lint.sarif"
    run = run_cli(
        "scan", *azure, "--snapshot", str(snapshot), "--format", "sarif", "-o", str(report), "--root", str(tmp_path),
        cwd=EXAMPLES,
    )  # fmt: skip
    assert run.exit_code == 1, run.stderr
    assert [e.message for e in validator.iter_errors(json.loads(report.read_text(encoding="utf-8")))] == []
    if not SARIF_GATE.exists():
        if os.environ.get("ANYCAST_LINT_REQUIRE_SARIF_GATE"):
            pytest.fail(f"{SARIF_GATE} is required in CI but missing")
        pytest.skip("sarif-gate is not available outside the project workspace")
    done = subprocess.run([str(SARIF_GATE), str(report)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "RESULT: PASS" in done.stdout


def test_a_read_that_keeps_failing_is_a_named_gap(local_azure: Any) -> None:
    """Transient 5xx are retried by the SDK; when they do not pass, the subscription is not read."""
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]))
    tenant.failing = {"/hubVirtualNetworkConnections"}
    server, _ = local_azure(tenant)
    quick = {"retry_total": 2, "retry_backoff_factor": 0.01}
    options = LiveOptions(arm_endpoint=server.url, authority_host=server.url, allow_partial=True, retry=quick)
    read = read_azure(options, quiet=True)
    (gap,) = read.notices
    assert gap.message.startswith("subscription 'sub-22222222' (22222222-2222-2222-2222-222222222222): could not read ")
    assert "503 ServiceUnavailable" in gap.message
    attempts = [p for _, p in server.log if p.endswith("/hubVirtualNetworkConnections")]
    assert len(attempts) == 3  # the first try and two retries, then the gap
    assert read.read.resources == {}  # nothing of the subscription is kept


def test_progress_on_a_terminal_only(local_azure: Any) -> None:
    """A slow tenant shows progress on a terminal's stderr; -q and a pipe show none."""
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]))
    tenant.delay = 0.1
    _server, azure = local_azure(tenant)
    exe = Path(sys.executable).parent / "anycast-lint"
    loud = azure  # the fixture's arguments carry no -q

    def on_terminal(arguments: list[str]) -> str:
        return terminal_output([str(exe), "scan", *arguments], EXAMPLES, stdout_too=False)

    assert "reading Azure: 1/1 subscriptions, " in on_terminal(loud)
    assert "reading Azure" not in on_terminal([*azure, "-q"])
    piped = subprocess.run([str(exe), "scan", *loud], cwd=EXAMPLES, capture_output=True, text=True)
    assert piped.returncode == 0, piped.stderr
    assert "reading Azure" not in piped.stderr


def test_a_credential_without_token_is_one_line(local_azure: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    monkeypatch.setenv("AZURE_CLIENT_SECRET", "not-the-secret-of-local-client")
    run = run_cli("scan", *azure, cwd=EXAMPLES)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    # what to do comes first, within 120 characters; then Entra's own reason, and no SDK essay
    assert line[:120] == (
        "anycast-lint: error: azure: no Azure token: run `az login`, or set AZURE_CLIENT_ID, AZURE_TENANT_ID, "
        "AZURE_CLIENT_SECRET"
    )
    assert line.endswith("(README 'Live scan'): AADSTS7000215: Invalid client secret provided.")
    assert "DefaultAzureCredential" not in line
    verbose = run_cli("scan", *azure, "-v", cwd=EXAMPLES)
    (detail,) = verbose.stderr.strip().splitlines()
    assert detail.startswith(line[:120]) and "EnvironmentCredential" in detail  # the SDK's detail with -v
    for output in (run.stdout + run.stderr, verbose.stdout + verbose.stderr):
        assert "not-the-secret-of-local-client" not in output
    assert [m for m, p in server.log if not p.endswith(("/openid-configuration", "/oauth2/v2.0/token"))] == []


def test_no_credential_at_all_says_what_to_do(local_azure: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    _server, azure = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    for name in ("AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID"):
        monkeypatch.delenv(name)
    # only the environment credential (azure-identity's AZURE_TOKEN_CREDENTIALS): no probe of a managed
    # identity endpoint or a developer tool on this machine
    monkeypatch.setenv("AZURE_TOKEN_CREDENTIALS", "EnvironmentCredential")
    run = run_cli("scan", *azure, cwd=EXAMPLES)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("anycast-lint: error: azure: no Azure token: run `az login`, or set AZURE_CLIENT_ID")
    assert line.endswith("(README 'Live scan') (-v shows what each credential answered)")


# --- a tenant of many subscriptions: throttling, sizes, deadlines, scope (issue 22) ----------------------

ONE = "11111111-1111-1111-1111-111111111111"
TWO = "22222222-2222-2222-2222-222222222222"
THREE = "33333333-3333-3333-3333-333333333333"
FOUR = "44444444-4444-4444-4444-444444444444"


def graph_posts(server: LocalAzure) -> list[str]:
    return [p for m, p in server.log if m == "POST" and p.endswith("Microsoft.ResourceGraph/resources")]


def list_calls(server: LocalAzure) -> list[str]:
    return [p for _, p in server.log if p.endswith("/providers/Microsoft.Network/virtualNetworks")]


def test_resource_graph_quota_429s_are_waited_out_not_fallen_back(local_azure: Any) -> None:
    """A throttling wave: 429s that carry only x-ms-user-quota-remaining/-resets-after (no Retry-After)."""
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]))
    tenant.quota_throttled = 2
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert len(graph_posts(server)) == 3  # two 429s, each retried after the quota's reset time, then the rows
    assert list_calls(server) == []  # no fallback to list calls
    assert "warning" not in run.stderr
    from_files = run_cli("scan", str(DESIGNS["vwan-indirect-spokes"]), "--format", "json", cwd=EXAMPLES)
    assert _findings(run.stdout) == _findings(from_files.stdout)
    assert_read_only(server)


def test_a_too_large_resource_graph_page_is_asked_again_smaller(local_azure: Any) -> None:
    tenant = Tenant(resources_of(DESIGNS["every-type"]))
    tenant.payload_limit = 300  # pages of 1,000 and 500 rows are "too large"; 250 rows pass
    server, _ = local_azure(tenant)
    options = LiveOptions(arm_endpoint=server.url, authority_host=server.url)
    read = read_azure(options, quiet=True)
    assert len(graph_posts(server)) == 3
    assert list_calls(server) == []
    assert "Resource Graph: 2 pages asked again with fewer rows (payload too large)" in read.read.notes
    loaded, errors = load_design("azure", [], LoadOptions(), read.documents)
    assert not errors and loaded is not None
    same_topology(loaded.topology, load_inputs([str(DESIGNS["every-type"])]).topology)


def test_resource_graph_that_keeps_refusing_is_announced_without_verbose(local_azure: Any) -> None:
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]))
    tenant.payload_limit = 10  # below the smallest page asked (50): the batch is listed instead
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.startswith(
        "anycast-lint: warning: Resource Graph did not answer for 1 subscription (400 ResponsePayloadTooLarge: "
    )
    assert len(graph_posts(server)) == 6  # 1,000, 500, 250, 125, 62 and 50 rows a page, then the fallback
    assert list_calls(server)
    assert_read_only(server)


def test_reader_without_the_route_table_action_keeps_the_topology(local_azure: Any) -> None:
    """A 403 on the route-table POST only (Reader): observed routes are an optional layer."""
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]))
    tenant.route_tables_forbidden = True
    server, azure = local_azure(tenant)
    plain = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    run = run_cli("scan", *azure, "--observed-routes", "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == plain.exit_code == 0, run.stderr
    assert _findings(run.stdout) == _findings(plain.stdout)
    assert json.loads(run.stdout)["summary"]["resources"] == json.loads(plain.stdout)["summary"]["resources"]
    (warning,) = run.stderr.strip().splitlines()
    assert warning.startswith(
        "anycast-lint: warning: subscription 'sub-11111111' (11111111-1111-1111-1111-111111111111): could not "
        "read the observed routes (route tables of circuit 'er-circuit' primary, 'er-circuit' secondary): "
        "403 AuthorizationFailed: "
    )
    assert (
        "(listing route tables needs the action Microsoft.Network/expressRouteCircuits/peerings/routeTables/action; "
        "Reader has only */read) (the topology was read; AC306 has nothing to compare)"
    ) in warning
    assert json.loads(run.stdout)["warnings"] == [warning.removeprefix("anycast-lint: warning: ")]
    posts = [p for m, p in server.log if m == "POST" and "/routeTables/" in p]
    assert len(posts) == 1  # the secondary table would be refused alike: not asked
    sarif = json.loads(run_cli("scan", *azure, "--observed-routes", "--format", "sarif", cwd=EXAMPLES).stdout)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    notes = [n["message"]["text"] for n in invocation["toolExecutionNotifications"] if n["level"] == "warning"]
    assert any("routeTables/action" in n for n in notes)
    assert_read_only(server)


def test_required_observed_routes_make_the_refusal_an_error(local_azure: Any) -> None:
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]))
    tenant.route_tables_forbidden = True
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--observed-routes=required", cwd=EXAMPLES)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith("anycast-lint: error: azure: subscription 'sub-11111111' (")
    assert "could not read the observed routes" in line and "routeTables/action" in line
    partial = run_cli("scan", *azure, "--observed-routes=required", "--allow-partial", "--format", "json", cwd=EXAMPLES)
    report = json.loads(partial.stdout)
    assert report["complete"] is False and "routeTables/action" in report["errors"][0]["message"]
    assert report["summary"]["resources"]["virtual_networks"] > 0  # the topology is kept and scanned
    bad = run_cli("scan", *azure, "--observed-routes=always", cwd=EXAMPLES)
    assert bad.exit_code == 2 and "'always' is not one of 'optional', 'required'" in bad.stderr
    assert_read_only(server)


def test_a_route_table_operation_that_never_ends_is_named(local_azure: Any) -> None:
    """Azure answers 202 to every poll: the operation limit, then the overall --timeout, end it."""
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]))
    tenant.route_tables = {(CIRCUIT.lower(), path): route_rows("192.168.128.12") for path in ("primary", "secondary")}
    tenant.never_ending = True
    server, azure = local_azure(tenant)
    options = LiveOptions(
        arm_endpoint=server.url, authority_host=server.url, observed_routes="optional", operation_timeout=2.5
    )
    read = read_azure(options, quiet=True)
    (warning,) = [n.message for n in read.notices]
    assert warning.startswith("subscription 'sub-11111111' (11111111-1111-1111-1111-111111111111): could not read ")
    assert (
        "the primary route table of circuit 'er-circuit' still running (Azure answered 202 to every poll): "
        "the operation limit of 2.5 s passed"
    ) in warning
    assert read.read.resources  # the topology is kept
    run = run_cli("scan", *azure, "--observed-routes=required", "--timeout", "6", cwd=EXAMPLES)
    assert run.exit_code == 2
    (line,) = run.stderr.strip().splitlines()
    assert "still running (Azure answered 202 to every poll): the --timeout of 6 s passed" in line
    assert_read_only(server)


def test_timeout_names_what_did_not_finish(local_azure: Any) -> None:
    """A read that hangs past --timeout: that subscription is a gap naming its step, the other is scanned."""
    tenant = two_subscriptions()
    tenant.delay, tenant.slow = 30.0, {"/hubRouteTables"}  # design B's hub route tables never come in time
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--timeout", "6", "--allow-partial", "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["complete"] is False
    (error,) = report["errors"]
    assert error["message"] == (
        f"subscription 'sub-22222222' ({TWO}): could not read virtual hub route tables, hub connections, route "
        "maps, routing intent and ExpressRoute connections: the --timeout of 6 s passed"
    )
    assert report["summary"]["resources"]["virtual_networks"] > 0  # design A was read and scanned
    assert "virtual_hubs" not in report["summary"]["resources"]  # nothing of design B is kept
    assert_read_only(server)


def test_unregistered_network_provider_means_no_network_resources(local_azure: Any) -> None:
    """409 MissingSubscriptionRegistration: a remark, never the SDK's `POST .../register` (a write)."""
    tenant = Tenant(resources_of(DESIGNS["hub-and-spoke"]), extra_subscriptions=[THREE], unregistered={THREE})
    server, azure = local_azure(tenant)
    for mode in ([], ["--no-resource-graph"]):
        before = len(server.log)
        run = run_cli("scan", *azure, *mode, cwd=EXAMPLES)
        assert run.exit_code == 0, run.stderr
        assert run.stderr.strip() == (
            f"anycast-lint: note: Microsoft.Network is not registered in subscription 'sub-33333333' ({THREE}) "
            "(409 MissingSubscriptionRegistration): no network resources there, nothing to read"
        )
        assert run.stdout.splitlines()[-1].endswith("in 2 Azure subscriptions.")
        asked = [p for _, p in server.log[before:] if THREE in p]
        assert len(asked) == 1  # one 409, then nothing more of that subscription
    assert not any("register" in p.lower() for _, p in server.log)
    assert_read_only(server)


def test_only_enabled_subscriptions_are_read(local_azure: Any) -> None:
    tenant = Tenant(
        resources_of(DESIGNS["hub-and-spoke"]) + resources_of(DESIGNS["vwan-indirect-spokes"]),
        extra_subscriptions=[THREE],
        states={TWO: "Disabled", THREE: "Deleted"},
    )
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "-q", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert run.stderr.strip() == (
        "anycast-lint: warning: skipped 2 subscriptions that are not Enabled (only Enabled subscriptions are "
        f"read): subscription 'sub-22222222' ({TWO}) is Disabled, subscription 'sub-33333333' ({THREE}) is Deleted"
    )
    assert not any(TWO in p or THREE in p for _, p in server.log)
    graph = [r for r in server.requests if r.path.endswith("/resources") and r.method == "POST"]
    assert len(graph) == 1
    assert_read_only(server)


def test_management_group_scope(local_azure: Any) -> None:
    tenant = Tenant(
        resources_of(DESIGNS["hub-and-spoke"]) + resources_of(DESIGNS["vwan-indirect-spokes"]),
        extra_subscriptions=[THREE, FOUR],
        states={THREE: "Disabled"},
        management_groups={"mg-network": [ONE, THREE, FOUR]},
    )
    server, azure = local_azure(tenant)
    run = run_cli("scan", *azure, "--management-group", "mg-network", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert "in 2 Azure subscriptions." in run.stdout.splitlines()[-1]  # ONE and FOUR; TWO is not in the group
    assert (
        f"skipped 1 subscription that is not Enabled (only Enabled subscriptions are read): subscription 'sub-33333333' ({THREE}) is Disabled"
        in run.stderr
    )
    assert not any(p == "/subscriptions" for _, p in server.log)  # the group's subscriptions, not the tenant's
    assert not any(TWO in p or THREE in p for _, p in server.log)
    assert_read_only(server)
    other = run_cli("scan", *azure, "--management-group", "mg-network", "--no-resource-graph", cwd=EXAMPLES)
    assert other.exit_code == 2
    assert "--management-group is read through Resource Graph; drop --no-resource-graph" in other.stderr


def test_api_versions_are_pinned_in_one_table(local_azure: Any) -> None:
    from anycast_lint.inputs.live.api_versions import API_VERSIONS, resource_type

    tenant = Tenant(resources_of(DESIGNS["every-type"]))
    tenant.route_tables = {(CIRCUIT.lower(), path): [] for path in ("primary", "secondary")}
    server, azure = local_azure(tenant)
    for use_graph in ([], ["--no-resource-graph"]):
        assert run_cli("scan", *azure, *use_graph, "--observed-routes", cwd=EXAMPLES).exit_code in (0, 1)
    arm = [r for r in server.requests if "oauth2" not in r.path and "openid" not in r.path]
    polls = [r for r in arm if "/operationResults/" in r.path]
    assert polls and all(r.api_version == "2025-05-01" for r in polls)  # as the Location header gave it
    pinned = {kind.lower(): version for kind, version in API_VERSIONS.items()}
    for request in arm:
        if request not in polls:
            kind = resource_type(request.path)
            assert kind is not None and request.api_version == pinned[kind.lower()], request
    assert {resource_type(r.path) for r in arm} >= {
        "Microsoft.Network/virtualNetworks",
        "Microsoft.Network/expressRouteCircuits/peerings/routeTables",
        "Microsoft.Network/dnsResolvers/inboundEndpoints",
        "Microsoft.Resources/subscriptions",
        "Microsoft.ResourceGraph/resources",
    }


def test_a_lagging_cloud_is_read_with_an_older_api_version(local_azure: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tenant = Tenant(resources_of(DESIGNS["vwan-indirect-spokes"]), newest_api_version="2024-05-01")
    server, azure = local_azure(tenant)
    refused = run_cli("scan", *azure, cwd=EXAMPLES)
    assert refused.exit_code == 2
    assert "400 NoRegisteredProviderFound: No registered resource provider found" in refused.stderr
    older = run_cli("scan", *azure, "--api-version", "Microsoft.Network=2024-05-01", "--format", "json", cwd=EXAMPLES)
    assert older.exit_code == 0, older.stderr
    monkeypatch.setenv("ANYCAST_LINT_API_VERSIONS", "Microsoft.Network=2024-05-01")
    before = len(server.requests)
    from_env = run_cli("scan", *azure, "--format", "json", cwd=EXAMPLES)
    assert from_env.exit_code == 0, from_env.stderr
    assert _findings(older.stdout) == _findings(from_env.stdout)
    network = [r for r in server.requests[before:] if "/Microsoft.Network/" in r.path]
    assert network and all(r.api_version == "2024-05-01" for r in network)
    typo = run_cli("scan", *azure, "--api-version", "Microsoft.Netwrk/virtualNetworks=2024-05-01", cwd=EXAMPLES)
    assert typo.exit_code == 2
    (line,) = typo.stderr.strip().splitlines()
    assert line.startswith(
        "anycast-lint: error: azure: API version override 'Microsoft.Netwrk/virtualNetworks=2024-05-01': "
        "'Microsoft.Netwrk/virtualNetworks' is not a type a live scan reads"
    )
    assert_read_only(server)


@pytest.mark.parametrize(
    ("cloud", "arm_host", "login_host"),
    [
        ("AzureUSGovernment", "management.usgovcloudapi.net", "login.microsoftonline.us"),
        ("AzureChinaCloud", "management.chinacloudapi.cn", "login.chinacloudapi.cn"),
    ],
)
def test_national_cloud_endpoints(
    local_azure: Any, monkeypatch: pytest.MonkeyPatch, cloud: str, arm_host: str, login_host: str
) -> None:
    """`--cloud` picks Resource Manager, the authority and the token audience: the cloud's host names are
    resolved to the local Azure (which has a certificate for them), so every request shows where it went."""
    from anycast_lint.inputs.live.endpoints import Endpoints
    from azure_server import CLOUD_HOSTS

    endpoints = Endpoints.resolve(cloud, None, None)
    assert (endpoints.arm, endpoints.authority, endpoints.scope) == (
        f"https://{arm_host}",
        login_host,
        f"https://{arm_host}/.default",
    )
    server, _ = local_azure(Tenant(resources_of(DESIGNS["hub-and-spoke"])))
    port = int(server.url.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def resolve(host: Any, service: Any, *args: Any, **kwargs: Any) -> Any:
        if host in CLOUD_HOSTS:
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, service, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    read = read_azure(LiveOptions(cloud=cloud), quiet=True)
    assert read.read.resources
    tokens = [r for r in server.requests if r.path.endswith("/oauth2/v2.0/token")]
    assert tokens and {(r.host, r.scope) for r in tokens} == {(login_host, f"https://{arm_host}/.default")}
    others = [r for r in server.requests if r not in tokens]
    assert {r.host for r in others if "openid" not in r.path} == {arm_host}
    assert {r.host for r in server.requests} <= {arm_host, login_host}  # nothing went to the public cloud
    assert_read_only(server)


def test_the_listed_expressroute_connection_wins_over_the_embedded_copy(local_azure: Any) -> None:
    """The gateway's embedded connection is stale (no route map, old weight); the list call's is current."""
    resources = resources_of(DESIGNS["vwan-indirect-spokes"])
    gateway = next(r for r in resources if r["name"] == "ergw-hub-01")
    embedded = gateway["properties"]["expressRouteConnections"][0]
    current = copy.deepcopy(embedded) | {"type": "Microsoft.Network/expressRouteGateways/expressRouteConnections"}
    route_map = f"{gateway['properties']['virtualHub']['id']}/routeMaps/rm-prepend-anycast"
    current["properties"]["routingWeight"] = 10
    current["properties"]["routingConfiguration"]["inboundRouteMap"] = {"id": route_map}
    server, _ = local_azure(Tenant([*resources, current]))
    for use_graph in (True, False):
        connection = live_topology(server, use_graph).er_connections[id_key(embedded["id"])]
        assert connection.routing_weight == 10
        assert connection.routing.inbound_route_map_id is not None
        assert connection.routing.inbound_route_map_id.lower() == route_map.lower()
    assert_read_only(server)


SAS = "sv=2024-11-04&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&sig=bootstrap-sas-signature-do-not-print"


def with_secret_bearing_fields(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A VPN gateway's RADIUS secret, an NVA's cloud-init and blob URLs carrying SAS tokens, a tagged URL."""
    for resource in resources:
        kind, properties = resource["type"].lower(), resource.setdefault("properties", {})
        if kind == "microsoft.network/virtualnetworkgateways":
            properties["vpnClientConfiguration"] = {
                "radiusServerAddress": "10.0.0.10",
                "radiusServerSecret": "radius-server-secret-do-not-print",
                "radiusServers": [{"radiusServerAddress": "10.0.0.11", "radiusServerSecret": "radius-2-do-not-print"}],
            }
            resource["tags"] = {
                **(resource.get("tags") or {}),
                "runbook": f"https://ops.blob.core.windows.net/rb/gw.ps1?{SAS}",
            }
        if kind == "microsoft.network/networkvirtualappliances":
            properties["cloudInitConfiguration"] = "#cloud-config\npassword: cloud-init-password-do-not-print"
            properties["bootStrapConfigurationBlobs"] = [f"https://nva.blob.core.windows.net/c/boot.cfg?{SAS}"]
            properties["cloudInitConfigurationBlobs"] = [f"https://nva.blob.core.windows.net/c/init.cfg?{SAS}"]
    return resources


def test_snapshots_keep_only_what_the_model_reads(local_azure: Any, tmp_path: Path) -> None:
    resources = with_secret_bearing_fields(resources_of(DESIGNS["every-type"]))
    kinds = {r["type"].lower() for r in resources}
    assert {"microsoft.network/virtualnetworkgateways", "microsoft.network/networkvirtualappliances"} <= kinds
    server, azure = local_azure(Tenant(resources))
    snapshot = tmp_path / "snapshot.json"
    outputs = [
        run_cli("scan", *azure, "--format", fmt, "-v", "--snapshot", str(snapshot), cwd=EXAMPLES)
        for fmt in ("text", "json", "sarif")
    ]
    outputs.append(run_cli("export", *azure, "-o", str(tmp_path / "export.json")))
    assert all(r.exit_code in (0, 1) for r in outputs), [r.stderr for r in outputs]
    written = snapshot.read_text(encoding="utf-8") + (tmp_path / "export.json").read_text(encoding="utf-8")
    everything = "".join(r.stdout + r.stderr for r in outputs) + written
    for secret in ("radius-server-secret-do-not-print", "radius-2-do-not-print", "cloud-init-password-do-not-print"):
        assert secret not in everything
    assert "sig=" not in everything and "bootstrap-sas-signature" not in everything
    for name in (
        "radiusServerSecret",
        "cloudInitConfiguration",
        "bootStrapConfigurationBlobs",
        "vpnClientConfiguration",
    ):
        assert f'"{name}"' not in written
    assert "https://ops.blob.core.windows.net/rb/gw.ps1" in written  # the URL stays, its SAS query does not
    same_topology(
        load_inputs([str(tmp_path / "export.json")]).topology, load_inputs([str(DESIGNS["every-type"])]).topology
    )
    assert_read_only(server)


ARM_FIXTURES = sorted(
    [*RULE_FIXTURES.glob("*/*.json"), *(FIXTURES / "arm").rglob("*.json"), *(EXAMPLES / "arm").glob("*.json")]
)


def test_snapshot_allow_list_keeps_every_arm_fixture(tmp_path: Path) -> None:
    """The allow-list drops nothing the model reads: every ARM fixture loads to the same topology after it."""
    from anycast_lint.inputs.live.allowlist import keep_read

    rest_shaped = 0
    for path in ARM_FIXTURES:
        document = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(document, dict) or "value" not in document:
            continue  # az CLI output (properties lifted): live reads are always the REST shape
        rest_shaped += 1
        filtered = tmp_path / path.name
        filtered.write_text(json.dumps({"value": [keep_read(r) for r in document["value"]]}), encoding="utf-8")
        same_topology(load_inputs([str(filtered)]).topology, load_inputs([str(path)]).topology)
    assert rest_shaped >= 30


def test_a_live_scan_that_finds_no_network_resource_is_not_clean(local_azure: Any) -> None:
    """The wrong subscription (it holds only a storage account): nothing to check, exit 2, in every format."""
    storage = {
        "id": "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-logs/providers/"
        "Microsoft.Storage/storageAccounts/logs",
        "name": "logs",
        "type": "Microsoft.Storage/storageAccounts",
        "location": "westeurope",
        "properties": {},
    }
    server, azure = local_azure(Tenant([storage]))
    for report in ("text", "json"):
        run = run_cli("scan", *azure, "--format", report, cwd=EXAMPLES)
        assert run.exit_code == 2, run.stdout
        assert "nothing to check: the live read holds no virtual network, hub, gateway or circuit" in run.stderr
    assert_read_only(server)


def test_live_routing_intent_is_read_through_the_arm_mapping(local_azure: Any, tmp_path: Path) -> None:
    """A secured hub's routing intent is a child Resource Graph does not index: listed per hub (GET
    .../virtualHubs/{hub}/routingIntent), then read like the export's (routing/intent.py)."""
    from test_routing_intent import CONFIG, _secured

    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "design.yaml").write_text(yaml.safe_dump(_secured(), sort_keys=False), encoding="utf-8")
    arm = load_script(RULE_FIXTURES / "to_arm.py").arm_text(str(tmp_path / "design.yaml"))
    (tmp_path / "design.json").write_text(arm, encoding="utf-8")
    server, azure = local_azure(Tenant(resources_of(tmp_path / "design.json")))
    live = live_topology(server)
    intents = sorted(h.routing_intent.private_next_hop or "" for h in live.virtual_hubs.values() if h.routing_intent)
    assert [i.rsplit("/", 1)[1] for i in intents] == ["azfw-hub-01", "azfw-hub-02"]
    assert any(p.endswith("/routingIntent") for _, p in server.log)
    same_topology(live, load_inputs([str(tmp_path / "design.json")]).topology)
    run = run_cli("scan", *azure, "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == []  # no AC203, as from the export
    assert_read_only(server)

"""`anycast-lint diff`: what a change does to anycast routing and to the findings, through the CLI.

Each test writes a BEFORE and an AFTER derived from the example designs (or the Terraform plan fixture) and
asserts what a reviewer sees: the winners that move (with their failure, reason and basis), the new and
fixed findings, and the exit code.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import (
    EXAMPLES,
    FIXTURES,
    HELP_BASE,
    REPO,
    example_design,
    hub_and_spoke_design,
    named,
    run_cli,
    sarif_gate,
)

SERVICE = "services:\n  dns:\n    vip: 10.13.76.4\n"
CONFIG = "onprem:\n  prefixes: [172.16.0.0/12]\n" + SERVICE
THREE_REGIONS = [
    {"name": "westeurope", "circuits": ["er-circuit"]},
    {"name": "northeurope", "circuits": ["er-circuit"]},
    {"name": "swedencentral", "circuits": ["er-circuit"]},
]


def _write(folder: Path, design: dict[str, Any], config: str = CONFIG) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "topology.yaml").write_text(yaml.safe_dump(design, sort_keys=False), encoding="utf-8")
    (folder / "anycast-lint.yaml").write_text(config, encoding="utf-8")
    return folder


def _pair(tmp_path: Path, before: dict[str, Any], after: dict[str, Any], config: str = CONFIG) -> None:
    _write(tmp_path / "before", before, config)
    _write(tmp_path / "after", after, config)


def _diff(tmp_path: Path, *args: str, code: int) -> dict[str, Any]:
    run = run_cli("diff", *args, "--format", "json", cwd=tmp_path)
    assert run.exit_code == code, run.stdout + run.stderr
    document: dict[str, Any] = json.loads(run.stdout)
    assert document["complete"] is True and document["errors"] == []
    return document


def _codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


def _without_connection(design: dict[str, Any], name: str) -> dict[str, Any]:
    changed = copy.deepcopy(design)
    changed["connections"] = [c for c in changed["connections"] if c["name"] != name]
    return changed


def test_a_member_going_down_moves_the_vip_and_brings_ac204(tmp_path: Path) -> None:
    """Region 1's gateway loses its circuit: the VIP goes to the next lowest next hop, and AC204 is new."""
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _pair(tmp_path, before, _without_connection(before, "ergw-01-er-circuit"))
    document = _diff(tmp_path, "before", "after", code=1)  # a new error finding, at the default --fail-on
    base = [c for c in document["changes"] if c["failure"] is None]
    assert base == [
        {
            "service": "dns",
            "vip": "10.13.76.4",
            "at": "er-circuit",
            "failure": None,
            "before": "dns-01",
            "after": "dns-02",
            "reason": "lowest next hop: equal AS paths (65515); next hop 192.168.130.12 < 192.168.132.12",
            "basis": "observed",
        }
    ]
    new = document["findings"]["new"]
    assert "AC204" in _codes(new)
    ac204 = next(f for f in new if f["code"] == "AC204")
    assert "dns-01" in ac204["message"] and ac204["file"] == "after/topology.yaml" and ac204["fingerprint"]
    assert document["before"]["inputs"] == ["before/topology.yaml"]
    assert document["after"]["inputs"] == ["after/topology.yaml"]

    text = run_cli("diff", "before", "after", cwd=tmp_path)
    assert text.exit_code == 1 and text.stderr == ""
    row = next(line for line in text.stdout.splitlines() if "dns-01 " in line and line.split()[3] == "-")
    assert row.split()[:6] == ["dns", "10.13.76.4", "er-circuit", "-", "dns-01", "dns-02"]
    assert row.endswith("[observed]")
    assert "new    AC204 error" in text.stdout


def test_identical_inputs_give_no_change_and_exit_0(tmp_path: Path) -> None:
    design = example_design("hub-and-spoke")
    _pair(tmp_path, design, design)
    document = _diff(tmp_path, "before", "after", "--fail-on-change", "--fail-on", "note", code=0)
    assert document["changes"] == [] and document["findings"] == {"new": [], "fixed": []}
    text = run_cli("diff", "before", "after", cwd=tmp_path)
    assert (text.exit_code, text.stderr) == (0, "")
    assert "No routing change: 3 winners compared (base case, each member down, --fail)." in text.stdout
    assert "Findings: 0 new, 0 fixed" in text.stdout


def _prepend_on(design: dict[str, Any], hub: str) -> dict[str, Any]:
    """Design B with its prepending route map on `hub`'s ExpressRoute connection instead of hub-01's."""
    changed = copy.deepcopy(design)
    hubs = changed["virtualHubs"]
    route_maps = named(hubs, "hub-01").pop("routeMaps")
    connection = named(named(hubs, "hub-01")["expressRouteGateway"]["connections"], "er-conn-hub-01")
    routing = connection.pop("routingConfiguration")
    named(hubs, hub)["routeMaps"] = route_maps
    named(named(hubs, hub)["expressRouteGateway"]["connections"], "er-conn-hub-02")["routingConfiguration"] = routing
    return changed


def test_a_prepend_on_the_wrong_hub_moves_the_vip_and_fails_on_change(tmp_path: Path) -> None:
    before = example_design("vwan-indirect-spokes")
    _pair(tmp_path, before, _prepend_on(before, "hub-02"))
    document = _diff(tmp_path, "before", "after", "--fail-on-change", code=1)
    base = [c for c in document["changes"] if c["failure"] is None]
    assert [(c["at"], c["before"], c["after"], c["basis"]) for c in base] == [
        ("er-circuit", "dns-02", "dns-01", "assumed")
    ]
    assert base[0]["reason"] == "AS path length: AS path 65515 vs 65515 11111"
    # dns-02 is the preferred member (anycast-preferred tag): the move is also AC301's error.
    assert _codes(document["findings"]["new"]) == ["AC301"]
    # With findings out of the gate, only --fail-on-change turns the move into exit 1.
    assert run_cli("diff", "before", "after", "--fail-on", "none", cwd=tmp_path).exit_code == 0
    assert run_cli("diff", "before", "after", "--fail-on", "none", "--fail-on-change", cwd=tmp_path).exit_code == 1


def test_a_change_seen_only_under_a_failure_is_reported_with_its_failure(tmp_path: Path) -> None:
    """Region 2 loses its circuit: the base case (region 1) is unchanged, but when dns-01 fails the VIP now
    goes to region 3 instead of region 2."""
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _pair(tmp_path, before, _without_connection(before, "ergw-02-er-circuit"))
    document = _diff(tmp_path, "before", "after", "--fail-on", "none", code=0)
    assert [c for c in document["changes"] if c["failure"] is None] == []
    moved = [(c["failure"], c["before"], c["after"], c["basis"]) for c in document["changes"]]
    assert moved == [("dns-01", "dns-02", "dns-03", "model")]
    assert document["changes"][0]["reason"] == "only member: no route to another member"
    text = run_cli("diff", "before", "after", "--fail-on", "none", cwd=tmp_path).stdout
    assert "dns-01 down" in text


def test_each_fail_is_compared_on_its_own(tmp_path: Path) -> None:
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _pair(tmp_path, before, _without_connection(before, "ergw-02-er-circuit"))
    document = _diff(tmp_path, "before", "after", "--fail", "region:westeurope", "--fail-on", "none", code=0)
    assert ("region:westeurope", "dns-02", "dns-03") in [
        (c["failure"], c["before"], c["after"]) for c in document["changes"]
    ]
    unknown = run_cli("diff", "before", "after", "--fail", "dns-99", cwd=tmp_path)
    assert unknown.exit_code == 2 and unknown.stdout == ""
    assert unknown.stderr == (
        "anycast-lint: error: --fail dns-99: neither side has a circuit, virtual network, virtual hub, gateway, "
        "connection or region of that name\n"
    )


def test_an_onprem_site_is_compared_when_the_config_describes_sites(tmp_path: Path) -> None:
    """The config moves local preference from the Amsterdam circuit to Dublin: no edge changes, the site's does."""
    regions = [{"name": "westeurope", "circuits": ["er-ams"]}, {"name": "northeurope", "circuits": ["er-dub"]}]
    design = hub_and_spoke_design(regions, ["er-ams", "er-dub"])
    _write(tmp_path / "before", design, SERVICE + "onprem:\n  circuits:\n    er-ams: {local-preference: 200}\n")
    _write(tmp_path / "after", design, SERVICE + "onprem:\n  circuits:\n    er-dub: {local-preference: 200}\n")
    document = _diff(tmp_path, "before", "after", code=0)
    base = [(c["at"], c["before"], c["after"], c["basis"]) for c in document["changes"] if c["failure"] is None]
    assert base == [("onprem:on-premises", "dns-01", "dns-02", "assumed")]
    assert document["changes"][0]["reason"].startswith("local preference: local preference 200")


# -- Terraform plan ---------------------------------------------------------------------------------------

SUB, RG = "22222222-2222-2222-2222-222222222222", "rg-anycast-vwan"
_KINDS = {
    "azurerm_virtual_network": "virtualNetworks",
    "azurerm_network_security_group": "networkSecurityGroups",
    "azurerm_route_table": "routeTables",
    "azurerm_firewall": "azureFirewalls",
    "azurerm_public_ip": "publicIPAddresses",
    "azurerm_private_dns_resolver": "dnsResolvers",
}
_CHILDREN = {
    "azurerm_virtual_hub_connection": ("virtual_hub_id", "hubVirtualNetworkConnections"),
    "azurerm_express_route_connection": ("express_route_gateway_id", "expressRouteConnections"),
    "azurerm_route_map": ("virtual_hub_id", "routeMaps"),
}


def _modules(module: dict[str, Any]) -> list[dict[str, Any]]:
    return [module, *(m for child in module.get("child_modules", []) for m in _modules(child))]


def _arm_id(resource: dict[str, Any], local: dict[str, dict[str, Any]]) -> str | None:
    """The id apply gives a resource of the fixture (its names are the ARM export's)."""
    values, kind = resource["values"], resource["type"]
    base = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Network"
    if kind in _KINDS:
        return f"{base}/{_KINDS[kind]}/{values['name']}"
    if kind == "azurerm_subnet":
        return f"{base}/virtualNetworks/{values['virtual_network_name']}/subnets/{values['name']}"
    if kind == "azurerm_virtual_network_peering":
        return f"{base}/virtualNetworks/{values['virtual_network_name']}/virtualNetworkPeerings/{values['name']}"
    if kind == "azurerm_private_dns_resolver_inbound_endpoint":
        resolver = local["azurerm_private_dns_resolver.dns"]["values"]["name"]
        return f"{base}/dnsResolvers/{resolver}/inboundEndpoints/{values['name']}"
    if kind in _CHILDREN:
        parent, child = _CHILDREN[kind]
        return f"{values[parent]}/{child}/{values['name']}" if values.get(parent) else None
    return values.get("subnet_id") if kind.endswith("_association") else None


def _attribute(values: Any, steps: list[str | int]) -> Any:
    for step in steps:
        if isinstance(values, dict):
            values = values.get(step)
        elif isinstance(values, list) and isinstance(step, int) and step < len(values):
            values = values[step]
        else:
            return None
    return values


def _resolve(values: Any, expressions: Any, local: dict[str, dict[str, Any]], key: Any) -> None:
    """Fill each value an expression takes from another resource (an id, the firewall's address), as apply does."""
    if isinstance(expressions, list):
        for index, expression in enumerate(expressions):
            if isinstance(values, list) and index < len(values):
                _resolve(values[index], expression, local, key)
        return
    for name, expression in expressions.items():
        if isinstance(expression, list):
            _resolve(values.get(name) or [], expression, local, key)
        elif isinstance(expression, dict) and expression.get("references") and values.get(name) is None:
            parts = expression["references"][0].replace("[0]", ".0").split(".")
            target = local.get(f"{parts[0]}.{parts[1]}[{key}]") or local.get(f"{parts[0]}.{parts[1]}")
            if target is not None:
                steps = [int(p) if p.isdigit() else p for p in parts[2:]]
                values[name] = _attribute(target["values"], steps)


def _applied(plan: dict[str, Any]) -> dict[str, Any]:
    """The fixture (a plan that creates the spokes) as the state after its apply: every id and address known."""
    plan = copy.deepcopy(plan)
    configuration = plan["configuration"]["root_module"]
    for module in _modules(plan["planned_values"]["root_module"]):
        address = module.get("address", "")
        local = {f"{r['type']}.{r['name']}": r for r in module["resources"]}
        local |= {f"{r['type']}.{r['name']}[{r['index']}]": r for r in module["resources"] if "index" in r}
        call = address.split("[")[0].removeprefix("module.")
        written = configuration["module_calls"][call]["module"] if address else configuration
        expressions = {r["address"]: r.get("expressions", {}) for r in written["resources"]}
        for _ in range(3):  # a child's id needs its parent's, a reference the id it names
            for resource in module["resources"]:
                values = resource["values"]
                values["id"] = values.get("id") or _arm_id(resource, local)
                firewall_ip = "10.1.0.4" if str(values.get("name", "")).endswith("-01") else "10.2.0.4"
                if resource["type"] == "azurerm_firewall":
                    values["ip_configuration"][0]["private_ip_address"] = firewall_ip
                if resource["type"] == "azurerm_route_table":  # one expression for the whole route list
                    for route in values["route"]:
                        route["next_hop_in_ip_address"] = route.get("next_hop_in_ip_address") or firewall_ip
                own = expressions.get(f"{resource['type']}.{resource['name']}", {})
                _resolve(values, own, local, resource.get("index"))
    return plan


def _deleting_udr_association(region: str) -> dict[str, Any]:
    """A day-2 plan of design B whose one change deletes a resolver subnet's route table association."""
    plan = _applied(json.loads((FIXTURES / "terraform" / "vwan-indirect-spokes.plan.json").read_text("utf-8")))
    root = plan["planned_values"]["root_module"]
    plan["prior_state"] = {"format_version": "1.0", "values": {"root_module": copy.deepcopy(root)}}
    changes = []
    for module in _modules(root):
        for resource in list(module["resources"]):
            deleted = (
                module.get("address") == f'module.region["{region}"]'
                and resource["type"] == "azurerm_subnet_route_table_association"
            )
            if deleted:
                module["resources"].remove(resource)
            entry = {key: resource[key] for key in ("address", "mode", "type", "name", "provider_name")}
            if module.get("address"):
                entry["module_address"] = module["address"]
            values = resource["values"]
            entry["change"] = {
                "actions": ["delete" if deleted else "no-op"],
                "before": values,
                "after": None if deleted else values,
                "after_unknown": {},
            }
            changes.append(entry)
    plan["resource_changes"] = changes
    return plan


def test_a_day_2_plan_deleting_a_udr_association_reports_ac201_and_no_move(tmp_path: Path) -> None:
    (tmp_path / "plan.json").write_text(json.dumps(_deleting_udr_association("westeurope"), indent=1), "utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    document = _diff(tmp_path, "plan.json", code=1)
    assert document["changes"] == []
    assert _codes(document["findings"]["new"]) == ["AC201"]
    assert "dns-01/snet-dns-inbound" in document["findings"]["new"][0]["message"]
    assert document["findings"]["fixed"] == []
    assert document["before"]["inputs"] == ["plan.json (prior state)"]
    text = run_cli("diff", "plan.json", cwd=tmp_path).stdout
    assert "No routing change: 3 winners compared" in text  # the winners were there to compare


def test_one_path_that_is_no_plan_is_a_usage_error(tmp_path: Path) -> None:
    _write(tmp_path / "after", example_design("hub-and-spoke"))
    run = run_cli("diff", "after", cwd=tmp_path)
    assert run.exit_code == 2 and run.stdout == "" and "Traceback" not in run.stderr
    assert "diff compares BEFORE and AFTER: give two paths, or one PATH with --base-ref REF or --azure" in run.stderr


# -- --base-ref -------------------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def test_base_ref_reads_before_from_git_without_a_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _write(repo / "network", before)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "before")
    _write(repo / "network", _without_connection(before, "ergw-01-er-circuit"))  # the pull request, uncommitted
    head = _git(repo, "rev-parse", "HEAD")

    document = _diff(repo, "network", "--base-ref", "main", code=1)
    base = [(c["before"], c["after"]) for c in document["changes"] if c["failure"] is None]
    assert base == [("dns-01", "dns-02")]
    assert "AC204" in _codes(document["findings"]["new"])
    assert document["before"] == {"label": "main:network", "inputs": ["main:network/topology.yaml"]}
    fixed = document["findings"]["fixed"]
    assert fixed and all(f["file"] == "main:network/topology.yaml" for f in fixed)  # AC302 (tie-break) no more
    # Nothing was checked out: the work tree still holds the change, HEAD did not move.
    assert _git(repo, "status", "--porcelain") == " M network/topology.yaml\n"
    assert _git(repo, "rev-parse", "HEAD") == head


def test_base_ref_that_is_no_commit_is_an_input_error(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _write(repo / "network", example_design("hub-and-spoke"))
    _git(repo, "init", "-q", "-b", "main")
    run = run_cli("diff", "network", "--base-ref", "origin/main", cwd=repo)
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.startswith("anycast-lint: error: --base-ref: --base-ref origin/main is not a commit here")
    assert len(run.stderr.splitlines()) == 1


# -- reports ----------------------------------------------------------------------------------------------


def test_sarif_holds_the_new_findings_only_and_passes_the_gate(tmp_path: Path) -> None:
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _pair(tmp_path, before, _without_connection(before, "ergw-01-er-circuit"))
    document = _diff(tmp_path, "before", "after", code=1)
    run = run_cli(
        "diff",
        "before",
        "after",
        "--format",
        "sarif",
        "--root",
        str(tmp_path),
        "--help-base-url",
        HELP_BASE,
        cwd=tmp_path,
    )
    assert run.exit_code == 1, run.stderr
    log = json.loads(run.stdout)
    results = log["runs"][0]["results"]
    assert sorted(r["ruleId"] for r in results) == sorted(_codes(document["findings"]["new"]))
    assert document["findings"]["fixed"]  # and none of them is in the log
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "after/topology.yaml"
    }
    sarif_gate(log, tmp_path / "diff.sarif")


def test_markdown_shows_the_changes_and_before_after_diagrams(tmp_path: Path) -> None:
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    _pair(tmp_path, before, _without_connection(before, "ergw-01-er-circuit"))
    run = run_cli("diff", "before", "after", "--format", "markdown", cwd=tmp_path)
    assert run.exit_code == 1
    text = run.stdout
    assert text.startswith("## anycast-lint diff\n")
    assert "| dns | 10.13.76.4 | er-circuit | — | dns-01 | dns-02 | lowest next hop: " in text
    assert "(observed, not documented) |" in text
    assert "**dns**: before" in text and "**dns**: after" in text
    assert text.count("```mermaid") == 2
    assert "### New findings" in text and "AC204" in text


def test_markdown_fits_a_pull_request_comment_and_says_what_it_left_out(tmp_path: Path) -> None:
    """Forty services with a winner each that moves, under every failure: far more than a comment holds."""
    before = hub_and_spoke_design(THREE_REGIONS, ["er-circuit"])
    for vnet in before["virtualNetworks"]:
        vnet.pop("tags", None)  # the services are the config's
    services = "".join(
        f"  svc-{n:02d}:\n    vip: 10.13.76.4\n    members: [dns-01, dns-02, dns-03]\n" for n in range(40)
    )
    config = "onprem:\n  prefixes: [172.16.0.0/12]\nservices:\n" + services
    _pair(tmp_path, before, _without_connection(before, "ergw-01-er-circuit"), config)
    run = run_cli("diff", "before", "after", "--format", "markdown", "--fail-on", "none", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert len(run.stdout) <= 65_536
    assert "more changes are not shown; the JSON report lists them all." in run.stdout
    assert "are left out to keep this comment short enough" in run.stdout


def test_unreadable_after_is_one_line_and_exit_2(tmp_path: Path) -> None:
    _write(tmp_path / "before", example_design("hub-and-spoke"))
    (tmp_path / "after").mkdir()
    (tmp_path / "after" / "topology.yaml").write_text("apiVersion: anycast-lint/v1\nkind: [\n", encoding="utf-8")
    run = run_cli("diff", "before", "after", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith("anycast-lint: error: after: after/topology.yaml:")
    assert "Traceback" not in run.stderr
    document = json.loads(run.stdout)
    assert document["complete"] is False and document["errors"][0]["side"] == "after"


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_an_example_against_itself_changes_nothing(design: str) -> None:
    run = run_cli("diff", design, design, "--fail-on-change", "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["changes"] == []


def test_several_designs_are_paired_by_name(tmp_path: Path) -> None:
    """Each side holds designs a/ and b/, AFTER also c/: only b/ changes, c/ is compared with nothing."""
    vwan = example_design("vwan-indirect-spokes")
    hub_and_spoke = example_design("hub-and-spoke")
    for side, b in (("before", vwan), ("after", _prepend_on(vwan, "hub-02"))):
        _write(tmp_path / side / "a", hub_and_spoke)
        _write(tmp_path / side / "b", b)
    _write(tmp_path / "after" / "c", hub_and_spoke)
    document = _diff(tmp_path, "before", "after", "--fail-on", "none", code=0)
    moved = {(c["design"], c["failure"], c["before"], c["after"]) for c in document["changes"]}
    assert ("b", None, "dns-02", "dns-01") in moved
    assert ("c", None, None, "dns-01") in moved  # a new design: every winner is new
    assert {design for design, *_ in moved} == {"b", "c"}
    new = document["findings"]["new"]
    assert {f["design"] for f in new} == {"after/b", "after/c"}


def test_the_before_and_after_diagrams_parse_with_the_real_mermaid_library(tmp_path: Path) -> None:
    from test_markdown_report import diagrams, mermaid_parse

    before = example_design("vwan-indirect-spokes")
    _pair(tmp_path, before, _prepend_on(before, "hub-02"))
    texts = diagrams(run_cli("diff", "before", "after", "--format", "markdown", cwd=tmp_path).stdout)
    assert len(texts) == 2
    assert [r["ok"] for r in mermaid_parse(texts)] == [True, True]


def test_base_ref_without_the_path_makes_everything_new(tmp_path: Path) -> None:
    """The pull request adds the design: nothing to read at the base, every winner and finding is new."""
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "docs" / "README.md").write_text("network designs\n", encoding="utf-8")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "empty")
    _write(repo / "network", example_design("hub-and-spoke"))
    document = _diff(repo, "network", "--base-ref", "main", "--fail-on", "none", code=0)
    assert document["before"] == {"label": "main:network (absent)", "inputs": []}
    assert [(c["before"], c["after"]) for c in document["changes"] if c["failure"] is None] == [(None, "dns-01")]
    assert _codes(document["findings"]["new"]) == ["AC302"] and document["findings"]["fixed"] == []


def test_readme_example_is_what_diff_prints(tmp_path: Path) -> None:
    """README's "Review a change" example: design B's prepend moved to hub-02 in a pull request."""
    repo = tmp_path / "repo"
    _write(repo / "network", example_design("vwan-indirect-spokes"))
    (repo / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / "network" / "anycast-lint.yaml").unlink()
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base")
    _git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    _write(repo / "network", _prepend_on(example_design("vwan-indirect-spokes"), "hub-02"))
    (repo / "network" / "anycast-lint.yaml").unlink()
    run = run_cli("diff", "network/", "--base-ref", "origin/main", cwd=repo)
    assert run.exit_code == 1, run.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n\$ anycast-lint diff network/ --base-ref origin/main\n(.*?)```", readme, re.S)
    assert block, "README has no diff example"
    assert block.group(1) == run.stdout
    sample = re.search(r"```json\n(\{\n  \"changes\".*?)```", readme, re.S)
    assert sample, "README has no diff --format json example"
    as_json = run_cli("diff", "network/", "--base-ref", "origin/main", "--format", "json", cwd=repo)
    _assert_shape(json.loads(sample.group(1)), json.loads(as_json.stdout))


def _assert_shape(sample: Any, actual: Any, where: str = "$") -> None:
    """README JSON against real JSON: "…" stands for any value, a "…" key for further keys."""
    if sample == "…":
        return
    if isinstance(sample, dict):
        assert isinstance(actual, dict), where
        keys = set(sample) - {"…"}
        assert keys <= set(actual), f"{where}: README names keys the report lacks: {keys - set(actual)}"
        if "…" not in sample:
            assert set(actual) <= keys, f"{where}: the report has keys the README omits: {set(actual) - keys}"
        for key in keys:
            _assert_shape(sample[key], actual[key], f"{where}.{key}")
    elif isinstance(sample, list):
        assert isinstance(actual, list) and len(sample) == len(actual), where
        for index, (item, real) in enumerate(zip(sample, actual, strict=True)):
            _assert_shape(item, real, f"{where}[{index}]")
    else:
        assert sample == actual, f"{where}: README {sample!r}, report {actual!r}"


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "sarif"])
def test_credentials_in_a_plan_are_never_printed(output_format: str, tmp_path: Path) -> None:
    """The plan fixtures carry an ExpressRoute shared key and authorization key, in their prior state too."""
    secrets = ("tf-fixture-shared-key-1234", "tf-fixture-authorization-key-5678")
    (tmp_path / "day-2.plan.json").write_text(json.dumps(_deleting_udr_association("westeurope")), "utf-8")
    for name in ("hub-and-spoke.plan.json", "vwan-indirect-spokes.plan.json"):
        (tmp_path / name).write_bytes((FIXTURES / "terraform" / name).read_bytes())
    (tmp_path / "anycast-lint.yaml").write_text(CONFIG, encoding="utf-8")
    for plan in ("day-2.plan.json", "hub-and-spoke.plan.json", "vwan-indirect-spokes.plan.json"):
        text = (tmp_path / plan).read_text(encoding="utf-8")
        assert any(secret in text for secret in secrets), plan
        shown = run_cli("diff", plan, "--format", output_format, "--fail-on", "none", cwd=tmp_path)
        written = run_cli("diff", plan, "--format", output_format, "-o", "out", "--fail-on", "none", cwd=tmp_path)
        assert shown.exit_code == written.exit_code == 0, shown.stderr
        printed = shown.stdout + shown.stderr + written.stderr + (tmp_path / "out").read_text(encoding="utf-8")
        assert not [secret for secret in secrets if secret in printed], plan

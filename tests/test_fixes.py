"""Every finding carries a fix a user can paste; where the input is native YAML or an ARM REST export, the
SARIF result carries it as artifactChanges, and applying them to the bad design makes the finding go.

The test applies the SARIF replacements itself (regions as SARIF defines them: 1-based lines and
columns, end exclusive), on a copy of each rule's bad fixture, and scans the result again.
"""

from __future__ import annotations

import itertools
import json
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import FIXTURES, RULE_FIXTURES, SARIF_GATE, rule_fixture_designs, run_cli, shared_or_skip

RULES = RULE_FIXTURES


def _fix_kind(folder: Path) -> str:
    """What the rule's findings carry as their fix, as its expected.yaml says (tests/rules/README.md): edit
    (SARIF replacements), text (az, Terraform and ARM, when the fix is a design decision the evidence cannot
    make: a new address plan, another ASN to prepend) or description (a choice no snippet makes: which region
    to prefer, a template to fetch, a route table to capture)."""
    return str(yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["fix"])


KINDS = {p.name: _fix_kind(p) for p in sorted(RULES.glob("AC*"))}
CODES = [code for code, kind in KINDS.items() if kind != "description"]
EDITS = [code for code, kind in KINDS.items() if kind == "edit"]


def apply_sarif(text: str, replacements: list[dict[str, Any]]) -> str:
    """Apply SARIF replacements to a file's text, last region first."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1

    spans = []
    for r in replacements:
        region = r["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region["endLine"], region["endColumn"])
        spans.append((start, end, r["insertedContent"]["text"]))
    for start, end, inserted in sorted(spans, reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


def scan(folder: Path, file: str, code: str, format_name: str) -> tuple[int, Any]:
    run = run_cli("scan", file, "--select", code, "--format", format_name, "--root", str(folder), cwd=folder)
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, json.loads(run.stdout)


@pytest.mark.parametrize("file", ["bad.yaml", "bad.json"])
@pytest.mark.parametrize("code", EDITS)
def test_applying_the_sarif_fix_clears_the_finding(code: str, file: str, tmp_path: Path) -> None:
    shutil.copy(RULES / code / file, tmp_path / file)
    config = (RULES / code / "anycast-lint.yaml").read_text(encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config.split("designs:")[0], encoding="utf-8")  # one design here
    _, sarif = scan(tmp_path, file, code, "sarif")
    results = sarif["runs"][0]["results"]
    assert results, f"{code} {file}: the bad design has no finding"
    text = (tmp_path / file).read_text(encoding="utf-8")
    for result in results:
        fixes = result.get("fixes")
        assert fixes, f"{code} {file}: result without fixes: {result['message']['text']}"
        (change,) = fixes[0]["artifactChanges"]
        assert change["artifactLocation"] == {"uri": file, "uriBaseId": "%SRCROOT%"}
        text = apply_sarif(text, change["replacements"])
    (tmp_path / file).write_text(text, encoding="utf-8")
    json.loads(text) if file.endswith(".json") else yaml.safe_load(text)  # still well-formed
    code_after, report = scan(tmp_path, file, code, "json")
    assert report["findings"] == [], f"{code} {file} after the fix:\n{text}"
    assert code_after == 0
    _, everything = scan(tmp_path, file, "ALL", "json")
    assert not [f for f in everything["findings"] if f["level"] == "error"], "the fix broke something else"


@pytest.mark.parametrize("code", CODES)
def test_every_finding_of_a_bad_design_carries_a_fix(code: str) -> None:
    folder = RULES / code
    _, report = scan(folder, "bad.yaml", code, "json")
    assert report["findings"]
    for finding in report["findings"]:
        fix = finding["fix"]
        assert fix and fix["description"] and fix["az"] and fix["terraform"] and fix["arm"], finding["message"]


@pytest.mark.parametrize("code", [code for code in KINDS if code not in EDITS])
def test_a_fix_declared_text_or_description_is_what_the_findings_carry(code: str) -> None:
    """expected.yaml's `fix:` is checked both ways: text fixes carry snippets but no SARIF edit, description
    fixes carry words only, so a rule cannot skip the edit test by declaring less than it gives."""
    folder = RULES / code
    files = rule_fixture_designs(folder)["bad"]  # AC001's is a template, AC306's comes with a capture
    report, sarif = (
        json.loads(run_cli("scan", *files, "--select", code, "--format", name, cwd=folder).stdout)
        for name in ("json", "sarif")
    )
    assert report["findings"] and all(not r.get("fixes") for r in sarif["runs"][0]["results"])
    for finding in report["findings"]:
        fix = finding["fix"]
        assert fix and fix["description"], finding["message"]
        snippets = [fix["az"], fix["terraform"], fix["arm"]]
        assert all(snippets) if KINDS[code] == "text" else not any(snippets), finding["message"]


def test_show_fixes_prints_the_fix_under_the_finding() -> None:
    run = run_cli("scan", "bad.yaml", "--select", "AC205", "--show-fixes", cwd=RULES / "AC205")
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if "AC205 [error]" in line)
    assert lines[at + 1] == "    fix: set allowForwardedTraffic to true on peering 'dns-01/dns-01-to-transit-01'"
    assert lines[at + 3] == (
        "        az network vnet peering update --resource-group rg-anycast-vwan --vnet-name dns-01 "
        "--name dns-01-to-transit-01 --allow-forwarded-traffic true"
    )
    assert "allow_forwarded_traffic   = true" in run.stdout
    plain = run_cli("scan", "bad.yaml", "--select", "AC205", cwd=RULES / "AC205")
    assert "fix:" not in plain.stdout  # only on request


def all_fixes() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for code in CODES:
        _, report = scan(RULES / code, "bad.yaml", code, "json")
        found += [(code, f["fix"]) for f in report["findings"] if f["fix"]]
    return found


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_terraform_snippets_are_formatted(tmp_path: Path) -> None:
    for index, (code, fix) in enumerate(all_fixes()):
        path = tmp_path / f"{code}-{index}.tf"
        path.write_text(fix["terraform"], encoding="utf-8")
        checked = subprocess.run(["terraform", "fmt", "-check", "-diff", str(path)], capture_output=True, text=True)
        assert checked.returncode == 0, f"{code}:\n{fix['terraform']}\n{checked.stdout}{checked.stderr}"


@pytest.mark.parametrize("file", ["bad.yaml", "bad.json"])
def test_a_missing_route_table_is_created_and_associated(file: str, tmp_path: Path) -> None:
    """AC201's bad design keeps an unattached rt-dns-01 (the fix associates it); without it, the fix creates
    a route table with the on-premises range via the forwarder and associates that."""
    text = (RULES / "AC201" / file).read_text(encoding="utf-8")
    if file.endswith(".json"):
        document = json.loads(text)
        document["value"] = [r for r in document["value"] if r["name"] != "rt-dns-01"]
        text = json.dumps(document, indent=2)
    else:
        document = yaml.safe_load(text)
        document["routeTables"] = [t for t in document["routeTables"] if t["name"] != "rt-dns-01"]
        text = yaml.safe_dump(document, sort_keys=False)
    (tmp_path / file).write_text(text, encoding="utf-8")
    config = (RULES / "AC201" / "anycast-lint.yaml").read_text(encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text(config.split("designs:")[0], encoding="utf-8")
    _, sarif = scan(tmp_path, file, "AC201", "sarif")
    (result,) = sarif["runs"][0]["results"]
    fix = result["fixes"][0]
    assert fix["description"]["text"].startswith(
        "create route table 'rt-dns-01' (172.16.0.0/12 -> VirtualAppliance 10.1.0.4"
    )
    (change,) = fix["artifactChanges"]
    assert len(change["replacements"]) == 2  # the subnet's association and the new table
    (tmp_path / file).write_text(apply_sarif(text, change["replacements"]), encoding="utf-8")
    _, report = scan(tmp_path, file, "ALL", "json")
    assert not [f for f in report["findings"] if f["level"] == "error"]


AZ_HELP = FIXTURES / "az-help"


def az_options(command: str) -> set[str]:
    """The options `az COMMAND --help` lists (captured from azure-cli 2.91.0 into tests/fixtures/az-help)."""
    path = AZ_HELP / (command.replace(" ", "_") + ".txt")
    assert path.exists(), f"no captured help for 'az {command}': its name is unknown"
    options: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if line.startswith("    -") and ":" in stripped:
            options.update(word for word in stripped.split(":")[0].split() if word.startswith("-"))
    return options


def test_az_snippets_name_real_commands_and_options() -> None:
    checked = 0
    for code, fix in all_fixes():
        for line in fix["az"].splitlines():
            words = shlex.split(line)
            assert words[0] == "az", line
            command = " ".join(itertools.takewhile(lambda w: not w.startswith("-"), words[1:]))
            known = az_options(command)
            used = [w for w in words if w.startswith("--")]
            assert used and set(used) <= known, f"{code}: {line}: unknown options {set(used) - known}"
            checked += 1
    assert checked >= 15  # one or more commands per fix of every rule's bad design


@pytest.mark.parametrize(
    "folder", [RULES, FIXTURES.parent.parent / "examples", FIXTURES / "templates", FIXTURES / "route-tables"]
)
def test_every_finding_carries_a_fix(folder: Path) -> None:
    """Whatever the rule: bad designs, examples, templates, captured route tables (notes included)."""
    run = run_cli("scan", ".", "--format", "json", "--fail-on", "none", cwd=folder)
    assert run.exit_code in (0, 2), run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert findings
    missing = [f"{f['code']}: {f['message']}" for f in findings if not (f["fix"] and f["fix"]["description"])]
    assert not missing


def test_sarif_gate_accepts_the_fixes(tmp_path: Path) -> None:
    """GitHub's own checks (OASIS schema, upload-sarif, SARIF Multitool) on every bad design's fixes[]."""
    gate = shared_or_skip(SARIF_GATE)
    run = run_cli("scan", ".", "--format", "sarif", "--fail-on", "none", "--root", str(RULES), cwd=RULES)
    sarif = json.loads(run.stdout)
    assert sum(len(r.get("fixes", [])) for r in sarif["runs"][0]["results"]) >= 20
    target = tmp_path / "fixes.sarif"
    target.write_text(run.stdout, encoding="utf-8")
    done = subprocess.run([str(gate), str(target)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "RESULT: PASS" in done.stdout, done.stdout + done.stderr

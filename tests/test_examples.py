"""The bundled example designs: the field report's designs are clean, the broken variant reports AC101.

Clean means no error and no warning. Design A (hub-and-spoke) declares no preferred region and its VIP
goes to dns-01 by the edge's lowest-next-hop tie-break: AC302 says so in a note (issue 11), which does not
fail a scan (the default --fail-on is error).
"""

from __future__ import annotations

import json
import re

import pytest

from anycast_lint.rules.registry import all_rules
from conftest import EXAMPLES, REPO, line_of, run_cli

CLEAN_DESIGNS = ["hub-and-spoke", "vwan-indirect-spokes", "prefix-length", "two-locations"]
BROKEN = EXAMPLES / "broken-overlap" / "topology.yaml"
IDS = "/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-anycast-dns/providers/Microsoft.Network"


NOTES = {"hub-and-spoke": [("AC302", "dns-01")], "arm/hub-and-spoke.json": [("AC302", "dns-01")]}
EVERY_DESIGN = {
    **{design: NOTES.get(design, []) for design in CLEAN_DESIGNS},
    "broken-overlap": [("AC101", "app-01")],
    "arm/hub-and-spoke.json": NOTES["arm/hub-and-spoke.json"],
    "arm/vwan-indirect-spokes.json": [],
    "arm/broken-overlap.json": [("AC101", "app-01")],
}


@pytest.mark.parametrize("design", sorted(EVERY_DESIGN))
def test_every_rule_over_every_example_gives_exactly_the_expected_findings(design: str) -> None:
    """All registered rules run (none skipped, no unknowns) and report exactly these (code, resource) pairs."""
    run = run_cli("scan", design, "--format", "json", cwd=EXAMPLES)
    report = json.loads(run.stdout)
    assert report["summary"]["rules"] == [r.code for r in all_rules()]
    assert len(report["summary"]["rules"]) == len(list((REPO / "docs" / "rules").glob("AC*.md")))
    assert [(f["code"], f["resource"].rsplit("/", 1)[1]) for f in report["findings"]] == EVERY_DESIGN[design]
    assert report["unknowns"] == [] and report["suppressed"] == []
    assert all(s["reason"] == "config file" for s in report["skipped"])  # two-locations brings its own config
    assert run.exit_code == (1 if "broken" in design else 0)


@pytest.mark.parametrize("design", CLEAN_DESIGNS)
def test_correct_design_has_no_findings(design: str) -> None:
    run = run_cli("scan", design, "--format", "json", cwd=EXAMPLES)
    report = json.loads(run.stdout)
    assert run.exit_code == 0, run.stderr
    assert [(f["code"], f["level"]) for f in report["findings"]] == [(c, "note") for c, _ in NOTES.get(design, [])]
    assert report["inputs"] == [f"{design}/topology.yaml"]
    assert report["summary"]["services"] == 1
    assert report["summary"]["resources"]["virtual_networks"] == 4


@pytest.mark.parametrize("design", ["hub-and-spoke", "vwan-indirect-spokes"])
def test_correct_design_as_arm_json_is_clean_too(design: str) -> None:
    run = run_cli("scan", f"arm/{design}.json", cwd=EXAMPLES)
    notes = len(NOTES.get(f"arm/{design}.json", []))
    summary = f"Found 0 errors, 0 warnings, {notes} note: checked" if notes else "No findings: checked"
    assert run.exit_code == 0 and summary in run.stdout, run.stdout


def test_broken_design_reports_ac101_with_prefixes_ids_and_line() -> None:
    run = run_cli("scan", "broken-overlap", "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 1
    findings = json.loads(run.stdout)["findings"]
    (finding,) = findings  # one finding for the prefix, the two VNets it overlaps as related locations
    app_line = line_of(BROKEN, "addressSpace: [10.13.76.0/25]")
    app_column = BROKEN.read_text().splitlines()[app_line - 1].index("10.13.76.0/25") + 1
    assert finding["level"] == "error"
    assert finding["file"] == "broken-overlap/topology.yaml"
    assert (finding["line"], finding["column"]) == (app_line, app_column)
    assert finding["resource"] == f"{IDS}/virtualNetworks/app-01"
    assert finding["message"] == (
        "10.13.76.0/25 of virtual network 'app-01' overlaps 10.13.76.0/24 of virtual network 'dns-01', "
        "10.13.76.0/24 of virtual network 'dns-02' in one routing domain, and 'app-01' is not a member of anycast "
        "service 'dns' (members carry the tag anycast-service: dns): the edge routes the shared addresses to only "
        "one of them"
    )
    others = [f"{IDS}/virtualNetworks/dns-01", f"{IDS}/virtualNetworks/dns-02"]
    assert [r["resource"] for r in finding["related"]] == others
    assert [r["line"] for r in finding["related"]] == [
        line_of(BROKEN, "addressSpace: [10.13.76.0/24]", occurrence) for occurrence in (1, 2)
    ]


def test_broken_design_text_output_is_path_line_col_code() -> None:
    run = run_cli("scan", "broken-overlap", cwd=EXAMPLES)
    assert run.exit_code == 1
    line = line_of(BROKEN, "addressSpace: [10.13.76.0/25]")
    pattern = rf"^broken-overlap/topology\.yaml:{line}:20: AC101 \[error\] 10\.13\.76\.0/25 of virtual network 'app-01'"
    assert len(re.findall(pattern, run.stdout, re.M)) == 1
    assert "(app-01 -> hub-01 -> circuit er-circuit -> hub-02 -> dns-02)" in run.stdout
    assert run.stdout.rstrip().endswith(
        f"Found 1 error, 0 warnings, 0 notes: checked {len(all_rules())} rules over 5 virtual networks, 1 anycast service "
        "in 1 file."
    )
    assert "\x1b[" not in run.stdout  # no colour when stdout is not a terminal


def test_fingerprints_survive_reformatting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = ("--config", str(EXAMPLES / "anycast-lint.yaml"))
    original = json.loads(run_cli("scan", str(BROKEN), "--format", "json", *config).stdout)["findings"]
    moved = tmp_path / "topology.yaml"
    moved.write_text("# a comment\n\n\n" + BROKEN.read_text(), encoding="utf-8")
    shifted = json.loads(run_cli("scan", str(moved), "--format", "json", *config).stdout)["findings"]
    assert [f["line"] + 3 for f in original] == [f["line"] for f in shifted]
    assert [f["fingerprint"] for f in original] == [f["fingerprint"] for f in shifted]


def test_text_names_resources_and_verbose_adds_their_ids() -> None:
    """Messages stay short enough for a terminal; full ids are in JSON/SARIF, and in text with -v."""
    short = run_cli("scan", "broken-overlap", cwd=EXAMPLES)
    assert "/subscriptions/" not in short.stdout
    verbose = run_cli("scan", "broken-overlap", "-v", cwd=EXAMPLES)
    assert f"\n    resource: {IDS}/virtualNetworks/app-01\n" in verbose.stdout
    assert f"\n        resource: {IDS}/virtualNetworks/dns-02\n" in verbose.stdout

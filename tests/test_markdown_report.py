"""The markdown report: counts, findings with help links, and a Mermaid diagram per anycast service that the
real Mermaid library parses (npm `mermaid` under Node with jsdom, installed from tests/mermaid/)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, HELP_BASE, REPO, RULE_FIXTURES, report_data, rule_fixture_designs, run_cli

MERMAID = REPO / "tests" / "mermaid"
_BLOCK = re.compile(r"```mermaid\n(.*?)```", re.S)


def markdown(*args: str, cwd: Path = EXAMPLES) -> str:
    done = run_cli("scan", *args, "--format", "markdown", "--help-base-url", HELP_BASE, cwd=cwd)
    assert done.exit_code in (0, 1), done.stderr
    return done.stdout


def diagrams(text: str) -> list[str]:
    return _BLOCK.findall(text)


def mermaid_parse(texts: list[str]) -> list[dict[str, object]]:
    """Parse with mermaid.parse(); `make test` installs the library with `npm ci` in tests/mermaid."""
    node = shutil.which("node")
    if node is None or not (MERMAID / "node_modules" / "mermaid").is_dir():
        if os.environ.get("ANYCAST_LINT_REQUIRE_SARIF_GATE"):
            pytest.fail("node and tests/mermaid/node_modules are required in CI (make test runs npm ci)")
        pytest.skip("Mermaid check needs node and `npm ci` in tests/mermaid (make test does it)")
    done = subprocess.run(
        [node, "parse.mjs"], input=json.dumps(texts), capture_output=True, text=True, cwd=MERMAID, timeout=120
    )
    assert done.returncode == 0, done.stderr
    results: list[dict[str, object]] = json.loads(done.stdout)
    return results


def test_summary_counts_and_findings_link_to_help_pages() -> None:
    text = markdown("broken-overlap")
    assert text.startswith("## anycast-lint\n\n**1 error, 0 warnings, 0 notes**: checked ")
    assert "| 🔴 error | 1 |" in text and "| 🟠 warning | 0 |" in text
    rows = [line for line in text.splitlines() if line.startswith("| 🔴 error | [AC101")]
    assert len(rows) == 1
    assert rows[0].startswith(
        f"| 🔴 error | [AC101 overlap-outside-anycast]({HELP_BASE}AC101.md) | `examples/broken-overlap/topology.yaml:82` | "
    )


def test_table_cells_cannot_break_the_table() -> None:
    from anycast_lint.report.markdown import cell

    assert cell("a | b\nc") == "a \\| b<br>c"
    assert len(cell("x" * 1000)) == 400


def test_vwan_diagram_shows_the_path_to_the_winner() -> None:
    (diagram,) = diagrams(markdown("vwan-indirect-spokes"))
    lines = diagram.splitlines()
    assert lines[0] == "flowchart LR"
    node = {m.group(2).split("<br/>")[0]: m.group(1) for m in re.finditer(r'^  (\w+)\S*?"([^"]*)"', diagram, re.M)}
    hub2, fw2, dns2 = node["virtual hub hub-02"], node["Azure Firewall azfw-transit-02"], node["dns-02"]
    hub1, fw1, dns1 = node["virtual hub hub-01"], node["Azure Firewall azfw-transit-01"], node["dns-01"]
    circuit = node["circuit er-circuit"]
    assert f'  {circuit} ==>|"10.13.76.0/24 AS 65515"| {hub2}' in lines  # hub-02 wins: hub-01 prepends 11111
    assert f"  {hub2} ==> {fw2}" in lines and f"  {fw2} ==> {dns2}" in lines
    assert f'  {circuit} -->|"10.13.76.0/24 AS 65515 11111"| {hub1}' in lines
    assert f"  {hub1} --> {fw1}" in lines and f"  {fw1} --> {dns1}" in lines
    assert f"  class {dns2} winner" in lines


def test_a_vnet_outside_the_service_that_takes_the_vip_is_marked() -> None:
    (diagram,) = diagrams(markdown("broken-overlap"))
    outsider = re.search(
        r'^  (\w+)\["app-01<br/>westeurope<br/>10.13.76.0/25<br/>not a member of dns"\]', diagram, re.M
    )
    assert outsider is not None
    assert f"  class {outsider.group(1)} failed" in diagram.splitlines()
    assert re.search(rf"^  h0 ==> {outsider.group(1)}$", diagram, re.M)  # the /25 wins by longest match


def test_unreachable_and_failing_members_are_marked() -> None:
    text = markdown("bad.yaml", "--config", "anycast-lint.yaml", cwd=RULE_FIXTURES / "AC204")
    (diagram,) = diagrams(text)
    unreachable = [line for line in diagram.splitlines() if "unreachable: " in line]
    assert len(unreachable) == 1, diagram
    member = unreachable[0].split("[")[0].strip()
    assert "dns-02<br/>northeurope<br/>10.13.76.0/24<br/>unreachable: its peering dns-02-to-hub-02" in unreachable[0]
    assert unreachable[0].endswith('<br/>errors: AC204"]')
    assert f"  class {member} unreachable" in diagram.splitlines()
    assert re.search(r"^  class m0 failed$", diagram, re.M)  # dns-01 wins, but losing it leaves a gap (AC304)


def _all_diagrams() -> list[str]:
    found = []
    for design in (
        "hub-and-spoke",
        "vwan-indirect-spokes",
        "prefix-length",
        "broken-overlap",
        "arm/vwan-indirect-spokes.json",
    ):
        found += diagrams(markdown(design))
    for folder in sorted(RULE_FIXTURES.glob("AC*")):
        found += diagrams(markdown(*rule_fixture_designs(folder)["bad"], "--config", "anycast-lint.yaml", cwd=folder))
    return found


def test_every_diagram_parses_with_the_real_mermaid_library() -> None:
    texts = _all_diagrams()
    assert len(texts) >= 15
    results = mermaid_parse(texts)
    failures = [(text, r["error"]) for text, r in zip(texts, results, strict=True) if not r["ok"]]
    assert failures == []
    assert {r["type"] for r in results} == {"flowchart-v2"}


def test_the_mermaid_check_rejects_a_broken_diagram() -> None:
    """The check above can fail: an unescaped quote in a label is a parse error."""
    (diagram,) = diagrams(markdown("hub-and-spoke"))
    broken = diagram.replace('"hub hub-01', '"hub "hub-01', 1)
    assert broken != diagram
    assert [r["ok"] for r in mermaid_parse([diagram, broken])] == [True, False]


def test_the_docs_picture_is_of_the_current_diagram() -> None:
    """docs/images/vwan-indirect-spokes.png is rendered from this file by `make docs-images`."""
    (diagram,) = diagrams(markdown("vwan-indirect-spokes"))
    assert (REPO / "docs" / "images" / "vwan-indirect-spokes.mmd").read_text(encoding="utf-8") == diagram


def test_the_report_shrinks_to_fit_a_pull_request_comment() -> None:
    """GitHub refuses a comment over 65,536 characters: fewer rows first, then no diagrams, said each time."""
    from anycast_lint.report.markdown import render_within

    data = report_data(RULE_FIXTURES / "AC104")
    full = render_within(data, 10**6)
    rows = [line for line in full.splitlines() if re.match(r"^\| \S+ (error|warning|note) \| [`\[]AC\d{3} ", line)]
    assert len(rows) == len(data.scan.findings) >= 2 and "```mermaid" in full
    fewer = render_within(data, len(full) - 1)
    assert "```mermaid" in fewer and len(fewer) < len(full)
    assert "more findings are not shown; the SARIF and JSON reports list them all." in fewer
    tiny = render_within(data, 500)
    assert "```mermaid" not in tiny
    assert "The diagrams of the anycast services are left out to keep this report short enough." in tiny

"""SARIF: valid against the OASIS 2.1.0 schema, following GitHub code scanning's ingestion rules."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from anycast_lint.engine.ruledocs import load_doc
from anycast_lint.rules.registry import all_rules
from conftest import EXAMPLES, HELP_BASE, run_cli, sarif_gate


def sarif_of(*args: str, cwd: Path = EXAMPLES) -> dict[str, Any]:
    done = run_cli("scan", *args, "--format", "sarif", "--root", str(cwd.parent), "--help-base-url", HELP_BASE, cwd=cwd)
    assert done.exit_code in (0, 1), done.stderr
    log: dict[str, Any] = json.loads(done.stdout)
    return log


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.Draft4Validator:
    text = resources.files("anycast_lint.schemas").joinpath("sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"].startswith("https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


@pytest.mark.parametrize("design", ["broken-overlap", "hub-and-spoke", "vwan-indirect-spokes"])
def test_valid_against_sarif_schema(schema_validator: jsonschema.Draft4Validator, design: str) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in schema_validator.iter_errors(sarif_of(design))]
    assert errors == []


def test_schema_validation_catches_a_broken_log(schema_validator: jsonschema.Draft4Validator) -> None:
    """The check above can fail: a mutated log is rejected."""
    log = sarif_of("broken-overlap")
    log["runs"][0]["results"][0]["level"] = "critical"
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    assert len(list(schema_validator.iter_errors(log))) == 2


def test_github_result_rules() -> None:
    log = sarif_of("broken-overlap")
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert "automationDetails" not in run  # would override the upload's category
    assert run["originalUriBaseIds"]["%SRCROOT%"] == {"description": {"text": "The root of the scanned repository."}}
    report = json.loads(run_cli("scan", "broken-overlap", "--format", "json", cwd=EXAMPLES).stdout)
    assert len(run["results"]) == len(report["findings"]) == 1
    for result, finding in zip(run["results"], report["findings"], strict=True):
        assert result["ruleId"] == "AC101" and run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == "AC101"
        assert result["level"] == "error"
        assert result["message"]["text"] == finding["message"]
        physical = result["locations"][0]["physicalLocation"]
        uri = physical["artifactLocation"]["uri"]
        assert uri == "examples/broken-overlap/topology.yaml"
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not uri.startswith("/") and "://" not in uri and "\\" not in uri and ".." not in uri
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (finding["line"], finding["column"])
        assert region["endLine"] >= region["startLine"]
        assert result["partialFingerprints"] == {"anycastLintFingerprint/v1": finding["fingerprint"]}
        logical = result["locations"][0]["logicalLocations"][0]
        assert logical["fullyQualifiedName"] == finding["resource"] and logical["kind"] == "resource"
        related = result["relatedLocations"]
        assert [r["id"] for r in related] == [1, 2]  # the two VNets the prefix overlaps
        assert [r["physicalLocation"]["region"]["startLine"] for r in related] == [
            r["line"] for r in finding["related"]
        ]


def test_rule_metadata_comes_from_the_help_page() -> None:
    rules = sarif_of("broken-overlap")["runs"][0]["tool"]["driver"]["rules"]
    rule = next(r for r in rules if r["id"] == "AC101")
    doc = load_doc("AC101")
    assert rule["id"] == "AC101" and rule["name"] == "OverlapOutsideAnycast"
    assert rule["shortDescription"]["text"] == doc.summary
    assert rule["fullDescription"]["text"] == doc.full_description
    assert 0 < len(rule["fullDescription"]["text"]) <= 1024
    assert rule["help"]["markdown"] == doc.markdown and rule["help"]["text"]
    assert "## How to fix" in rule["help"]["markdown"]
    assert rule["helpUri"] == HELP_BASE + "AC101.md"
    assert rule["defaultConfiguration"] == {"level": "error"}
    severity = rule["properties"]["security-severity"]
    assert isinstance(severity, str) and 0.0 < float(severity) <= 10.0
    assert "security" in rule["properties"]["tags"] and len(rule["properties"]["tags"]) <= 10


def test_warning_level_is_written_not_dropped(write) -> None:  # type: ignore[no-untyped-def]
    """sarif-om's default level is "warning"; a naive serializer drops it and the rule's default wins."""
    config = write("c.yaml", "rules:\n  AC101: warning\n")
    log = sarif_of("broken-overlap", "--config", str(config), "--select", "AC101")
    assert [r["level"] for r in log["runs"][0]["results"]] == ["warning"]


def test_clean_scan_still_has_results_and_rules() -> None:
    (run,) = sarif_of("vwan-indirect-spokes")["runs"]
    assert run["results"] == []
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [r.code for r in all_rules()]


def test_expired_suppression_becomes_a_notification(write) -> None:  # type: ignore[no-untyped-def]
    config = write("c.yaml", "suppressions:\n  - rule: AC101\n    reason: r\n    expires: 2020-01-01\n")
    (invocation,) = sarif_of("broken-overlap", "--config", str(config))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    # the AC105 note about c.yaml (it sets no on-premises ranges) also brings a warning: c.yaml is outside --root
    (note,) = [n for n in invocation["toolExecutionNotifications"] if "suppression of AC101" in n["message"]["text"]]
    assert note["level"] == "warning" and "expired on 2020-01-01" in note["message"]["text"]


def test_unknowns_become_located_notifications(tmp_path: Path) -> None:
    from conftest import FIXTURES, REPO

    template = FIXTURES / "templates" / "anycast-dns.json"
    log = sarif_of(str(template), cwd=REPO / "examples")
    (invocation,) = log["runs"][0]["invocations"]
    notes = invocation["toolExecutionNotifications"]
    assert notes and all(n["level"] == "note" and n["message"]["text"].startswith("unknown: ") for n in notes)
    location = notes[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/fixtures/templates/anycast-dns.json"
    assert location["region"]["startLine"] > 1
    sarif_gate(log, tmp_path / "template.sarif")

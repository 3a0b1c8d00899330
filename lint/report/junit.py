"""JUnit XML for Azure DevOps (PublishTestResults) and GitLab (artifacts:reports:junit).

A test suite per design, with a test case per rule: it fails when the rule reported an error or a
warning there, and the failure lists those findings as `path:line:col: message`; notes go to the case's
output without failing it. Rules switched off in the design's config are skipped cases, so a reader sees
what was not checked. Input that could not be read is an erroring case in an `inputs` suite.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict

from anycast_lint.model.findings import Finding, Level
from anycast_lint.report import ReportData
from anycast_lint.rules.registry import Rule

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def _text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(finding: Finding) -> str:
    origin = finding.origin
    return f"{origin.file}:{origin.line}:{origin.column}: {finding.code} [{finding.level.label}] {finding.message}"


def _suite(name: str, rules: list[Rule], findings: list[Finding], switched_off: set[str]) -> ET.Element:
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.code].append(finding)
    suite = ET.Element("testsuite", name=f"anycast-lint: {name}")
    failures = skipped = 0
    for current in rules:
        case = ET.SubElement(suite, "testcase", classname=f"anycast-lint.{name}", name=f"{current.code} {current.name}")
        if current.code in switched_off:
            ET.SubElement(case, "skipped", message="switched off in the config")
            skipped += 1
            continue
        found = by_rule.get(current.code, [])
        failing = [f for f in found if f.level >= Level.WARNING]
        if failing:
            failures += 1
            failure = ET.SubElement(
                case,
                "failure",
                message=_text(f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: {failing[0].message}"),
                type=max(f.level for f in failing).label,
            )
            failure.text = _text("\n".join(_line(f) for f in failing))
        notes = [f for f in found if f.level < Level.WARNING]
        if notes:
            ET.SubElement(case, "system-out").text = _text("\n".join(_line(f) for f in notes))
    suite.attrib |= {"tests": str(len(rules)), "failures": str(failures), "errors": "0", "skipped": str(skipped)}
    return suite


def _errors_suite(data: ReportData) -> ET.Element:
    """Input that could not be read: one erroring case per problem, so an incomplete scan is never green."""
    suite = ET.Element("testsuite", name="anycast-lint: inputs")
    for notice in data.errors:
        where = f"{notice.file}:{notice.line or 1}:{notice.column or 1}" if notice.file else "anycast-lint"
        case = ET.SubElement(suite, "testcase", classname="anycast-lint.inputs", name=notice.file or "run")
        ET.SubElement(case, "error", message=_text(notice.message), type="input").text = _text(
            f"{where}: {notice.message}"
        )
    count = str(len(data.errors))
    suite.attrib |= {"tests": count, "failures": "0", "errors": count, "skipped": "0"}
    return suite


def render(data: ReportData, color: bool) -> str:
    by_design: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.scan.findings:
        by_design[finding.design].append(finding)
    root = ET.Element("testsuites", name="anycast-lint")
    for design in data.load.designs:
        off = {code for code, level in design.config.rule_levels.items() if level is None}
        root.append(_suite(design.name, data.scan.rules, by_design.get(design.name, []), off))
    if data.errors:
        root.append(_errors_suite(data))
    for total in ("tests", "failures", "errors"):
        root.set(total, str(sum(int(suite.get(total, "0")) for suite in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

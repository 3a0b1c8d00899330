"""JUnit XML for Azure DevOps (PublishTestResults) and GitLab (artifacts:reports:junit).

One test case per rule and design: it fails when the rule reported an error or a warning there, and
the failure lists those findings as `path:line:col: message`; notes go to the case's output without
failing it. Rules switched off in the config are skipped cases, so a reader sees what was not checked.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from anycast_lint.findings import Finding, Level
from anycast_lint.report import ReportData

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def _text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def design_name(data: ReportData) -> str:
    """The design scanned: the folder the inputs share (one design per run today)."""
    folders = [str(Path(file).parent) for file in data.load.files]
    return os.path.commonpath(folders) if folders else "."


def _line(finding: Finding) -> str:
    origin = finding.origin
    return f"{origin.file}:{origin.line}:{origin.column}: {finding.code} [{finding.level.label}] {finding.message}"


def render(data: ReportData, color: bool) -> str:
    design = design_name(data)
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in data.scan.findings:
        by_rule[finding.code].append(finding)
    levels = data.scan.context.config.rule_levels if data.scan.context else {}
    suite = ET.Element("testsuite", name=f"anycast-lint: {design}")
    failures = skipped = 0
    for current in data.scan.rules:
        case = ET.SubElement(
            suite, "testcase", classname=f"anycast-lint.{design}", name=f"{current.code} {current.name}"
        )
        if current.code in levels and levels[current.code] is None:
            ET.SubElement(case, "skipped", message="switched off in the config")
            skipped += 1
            continue
        found = by_rule.get(current.code, [])
        failing = [f for f in found if f.level >= Level.WARNING]
        if failing:
            failures += 1
            worst = max(f.level for f in failing)
            failure = ET.SubElement(
                case,
                "failure",
                message=_text(f"{len(failing)} finding{'s' if len(failing) != 1 else ''}: {failing[0].message}"),
                type=worst.label,
            )
            failure.text = _text("\n".join(_line(f) for f in failing))
        notes = [f for f in found if f.level < Level.WARNING]
        if notes:
            ET.SubElement(case, "system-out").text = _text("\n".join(_line(f) for f in notes))
    suite.set("tests", str(len(data.scan.rules)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="anycast-lint", tests=suite.get("tests", "0"), failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"

"""Every rule has a help page and every page a rule; the README table matches the registry."""

from __future__ import annotations

import re

from anycast_lint.engine.ruledocs import available_codes, load_doc
from anycast_lint.rules.registry import all_rules
from conftest import REPO

SECTIONS = ("What it checks", "What it needs from the input", "Why it matters", "How to fix", "Example")


def test_pages_and_rules_match() -> None:
    assert [r.code for r in all_rules()] == available_codes()


def test_pages_are_complete() -> None:
    for current in all_rules():
        doc = load_doc(current.code)
        assert (doc.code, doc.name, doc.level) == (current.code, current.name, current.default_level.label)
        assert doc.markdown.startswith(f"# {current.code} {current.name}\n")
        for section in SECTIONS:
            assert doc.section(section), f"{current.code}: section {section!r} is empty"
        fix = doc.section("How to fix")
        for fence in ("```json", "```hcl", "```bash"):
            assert fence in fix, f"{current.code}: How to fix lacks a {fence} snippet"
        assert current.code in doc.section("Example")
        assert 0 < float(doc.security_severity) <= 10 and "security" in doc.tags
        assert doc.resource_types


def test_readme_rule_table_matches_registry() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[(AC\d{3})\]\(docs/rules/AC\d{3}\.md\) \| `([^`]+)` \| (\w+) \| (.+) \|$", readme, re.M)
    assert rows == [(r.code, r.name, r.default_level.label, r.summary) for r in all_rules()]

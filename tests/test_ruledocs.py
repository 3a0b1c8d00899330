"""Every rule has a help page and every page a rule; a page holds no name or level of its own."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from anycast_lint.engine.ruledocs import available_codes, load_doc
from anycast_lint.model.findings import Level
from anycast_lint.rules.registry import all_rules, rule
from conftest import REPO

SECTIONS = ("What it checks", "What it needs from the input", "Why it matters", "How to fix", "Example")
FRONT_MATTER = {"summary", "resource-types", "security-severity", "tags"}


def test_pages_and_rules_match() -> None:
    assert [r.code for r in all_rules()] == available_codes()


def test_pages_are_complete() -> None:
    for current in all_rules():
        doc = load_doc(current.code)
        assert doc.markdown.startswith(f"# {current.code} {current.name}\n")
        for section in SECTIONS:
            assert doc.section(section), f"{current.code}: section {section!r} is empty"
        fix = doc.section("How to fix")
        for fence in ("```json", "```hcl", "```bash"):
            assert fence in fix, f"{current.code}: How to fix lacks a {fence} snippet"
        assert current.code in doc.section("Example")
        assert 0 < float(doc.security_severity) <= 10 and "security" in doc.tags
        assert doc.resource_types


def test_front_matter_leaves_name_and_level_to_the_rule_module() -> None:
    """The `@rule(code, name, level)` decorator is the one place they are written; a page repeating them
    would drift (the page's title line is checked against the registry above)."""
    for code in available_codes():
        text = (REPO / "docs" / "rules" / f"{code}.md").read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        assert set(front) == FRONT_MATTER, f"docs/rules/{code}.md front matter: {sorted(front)}"


@pytest.mark.parametrize(
    ("code", "name", "level"),
    [
        ("AC405", "scratch-vnet", "warning"),
        ("405", "scratch-vnet", Level.WARNING),
        ("AC405", "Scratch VNet", Level.NOTE),
    ],
)
def test_a_rule_declared_wrongly_fails_at_import_with_what_was_expected(code: str, name: str, level: Any) -> None:
    with pytest.raises(TypeError, match=r"expected 'ACnnn', a kebab-case name and a Level"):
        rule(code, name, level)
    assert all(r.code != "AC405" for r in all_rules())

"""The README's rule table is generated from the registry and the help pages; it must be current."""

from __future__ import annotations

import pytest

from anycast_lint.engine.ruledocs import TABLE_END, TABLE_START, RuleDocError, rule_table, with_rule_table
from anycast_lint.rules.registry import all_rules
from conftest import REPO


def test_readme_rule_table_is_generated_from_the_registry() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == with_rule_table(readme, rule_table(all_rules())), (
        "README.md's rule table differs from the rule registry and help pages: "
        "run `python scripts/readme_rule_table.py` to regenerate it"
    )


def test_table_lists_every_rule_with_its_name_level_and_summary() -> None:
    table = rule_table(all_rules()).splitlines()
    assert table[:2] == ["| code | name | default | fires when |", "|---|---|---|---|"]
    assert len(table) == 2 + len(all_rules())
    assert table[2 + [r.code for r in all_rules()].index("AC201")] == (
        "| [AC201](docs/rules/AC201.md) | `indirect-spoke-udr-missing` | error | An indirect spoke's VIP subnet "
        "lacks routes for every on-premises range via the forwarder in its transit VNet. |"
    )


def test_regenerating_replaces_only_the_text_between_the_markers() -> None:
    readme = f"intro\n{TABLE_START}\n| stale |\n{TABLE_END}\nrest\n"
    assert with_rule_table(readme, "| new |\n") == f"intro\n{TABLE_START}\n| new |\n{TABLE_END}\nrest\n"
    with pytest.raises(RuleDocError, match="markers"):
        with_rule_table("no table here\n", "| new |\n")

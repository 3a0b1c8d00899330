"""--select and --ignore: the rules a scan or a diff runs, chosen once for the whole run."""

from __future__ import annotations

import click

from anycast_lint.engine.run import SelectionError, select_rules
from anycast_lint.rules.registry import Rule, all_rules

ignore_option = click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (codes or prefixes).")


def selected_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> list[Rule]:
    """The rules to run over every design; an error when a selector names no rule or none is left."""
    rules = select_rules(all_rules(), select, ignore)
    if not rules:
        raise SelectionError("--select/--ignore leave no rule to run (see `anycast-lint rules`)")
    return rules

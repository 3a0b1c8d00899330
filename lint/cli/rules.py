"""`anycast-lint rules`: the rule catalog, or one rule's help page."""

from __future__ import annotations

import json
from typing import Any

import click

from anycast_lint.cli.output import reports_errors
from anycast_lint.cli.report_options import format_option
from anycast_lint.cli.style import LintCommand, epilog
from anycast_lint.engine.helpurl import help_links
from anycast_lint.engine.run import SelectionError
from anycast_lint.rules.registry import Rule, all_rules, closest_rule, find_rules


@click.command(
    cls=LintCommand,
    short_help="List the rules, or show the help page of one rule.",
    epilog=epilog(
        "anycast-lint rules                          # the catalog",
        "anycast-lint rules AC2                      # the return-path rules, AC2xx",
        "anycast-lint rules member-not-advertised    # one rule's page, by name or code",
        "anycast-lint rules --format json",
        exit_codes="\b\nExit codes:\n  0  rules listed\n  2  no rule matches",
    ),
)
@click.argument("query", required=False, metavar="[CODE|PREFIX|NAME]")
@format_option(
    ("text", "json"),
    "Output format; json lists code, name, level, summary, resource types and helpUri (one rule: its page).",
)
@reports_errors
def rules(query: str | None, format_name: str) -> None:
    """List the rules (all, or those whose code starts with PREFIX), or print the help page of the rule
    with this CODE or NAME."""
    found = list(all_rules()) if query is None else find_rules(query)
    if not found:
        close = closest_rule(query or "")
        hint = f"did you mean {close!r}? " if close else ""
        raise SelectionError(f"no rule {query!r} ({hint}see `anycast-lint rules`)")
    single = query is not None and len(found) == 1 and query.lower() in (found[0].code.lower(), found[0].name)
    if format_name == "json":
        click.echo(json.dumps([_rule_json(r, with_page=single) for r in found], indent=2))
        return
    if not single:
        width = max(len(r.name) for r in found)
        for current in found:
            level = current.default_level.label
            click.echo(f"{current.code}  {current.name:<{width}}  {level:<7}  {current.summary}")
        return
    (chosen,) = found
    doc = chosen.doc
    click.echo(f"{chosen.code} {chosen.name} (default level: {chosen.default_level.label})")
    click.echo(f"Applies to: {', '.join(doc.resource_types)}")
    page = help_links().rule(chosen.code)
    click.echo(f"Online: {page}\n" if page else "")
    click.echo(doc.markdown, nl=False)


def _rule_json(current: Rule, with_page: bool) -> dict[str, Any]:
    doc = current.doc
    entry: dict[str, Any] = {
        "code": current.code,
        "name": current.name,
        "level": current.default_level.label,
        "summary": current.summary,
        "resourceTypes": list(doc.resource_types),
    }
    if page := help_links().rule(current.code):
        entry["helpUri"] = page
    if with_page:
        entry["markdown"] = doc.markdown
    return entry

"""`anycast-lint diff`: what a change does to anycast routing and findings, before it is merged."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from anycast_lint.cli.designs import fail_option, read_designs
from anycast_lint.cli.input_options import InputOptions, input_options
from anycast_lint.cli.output import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, echo, fail_on_option, reports_errors
from anycast_lint.cli.report_options import formats_option, report_root, report_targets, root_option
from anycast_lint.cli.rule_selection import ignore_option, selected_rules
from anycast_lint.cli.style import LintCommand, epilog
from anycast_lint.engine.helpurl import help_links
from anycast_lint.errors import InputError
from anycast_lint.inputs.config_lookup import ConfigLookup
from anycast_lint.inputs.live.options import LiveOptions
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.model.secrets import SECRETS
from anycast_lint.report.formats import format_names
from anycast_lint.rules.registry import all_rules

if TYPE_CHECKING:
    from anycast_lint.diff.changes import DiffResult, Side


DIFF_EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0  no winner moves (with --fail-on-change) and no new finding reaches --fail-on\n"
    "  1  a new finding at --fail-on or above; with --fail-on-change, also any winner that moves\n"
    "  2  usage error, unreadable or invalid input on either side"
)


@click.command(
    cls=LintCommand,
    name="diff",
    short_help="What a change does to anycast routing and findings, before it is merged.",
    epilog=epilog(
        "anycast-lint diff before/ after/",
        "anycast-lint diff network/ --base-ref origin/main --format markdown -o diff.md",
        "anycast-lint diff plan.json                  # a Terraform plan: prior state -> planned values",
        "anycast-lint diff --azure network/           # the live tenant -> the files",
        exit_codes=DIFF_EXIT_CODES,
    ),
)
@input_options(
    click.option(
        "--base-ref", metavar="REF", help="BEFORE is AFTER's path as it was at git REF (read, never checked out)."
    ),
    fail_option(
        "Also compare with this circuit, VNet, hub, gateway, connection or region out (repeatable; each alone)."
    ),
    formats_option(format_names("diff"), "Report format (default text)."),
    click.option(
        "--output", "-o", "outputs", metavar="FILE", multiple=True, help="Write the report to FILE (one per --format)."
    ),
    fail_on_option("Exit 1 when a new finding at this level or above appears."),
    click.option("--fail-on-change", is_flag=True, help="Exit 1 when any winner moves, in any scenario."),
    click.option("--help-base-url", metavar="URL", help="Where the rule help pages are online (as for scan)."),
    click.option(
        "--category",
        default="anycast-lint-diff",
        show_default=True,
        metavar="NAME",
        help="SARIF automationDetails.id (NAME/): keep it apart from the full scan's category in code scanning.",
    ),
    root_option,
    click.option("--select", multiple=True, metavar="CODES", help="Run only these rules (codes or prefixes)."),
    ignore_option,
    paths="[BEFORE] AFTER",
)
@reports_errors
def diff(
    inputs: InputOptions,
    base_ref: str | None,
    failures: tuple[str, ...],
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str,
    fail_on_change: bool,
    help_base_url: str | None,
    category: str,
    root: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> None:
    """Compare BEFORE and AFTER (files or folders, as scan reads them): where each anycast VIP goes from each
    circuit and on-premises site, in the base case, with each member down and with each --fail, and the
    findings new in AFTER or fixed since BEFORE. One PATH with --base-ref REF: BEFORE is that path at REF.
    A Terraform plan alone: its prior state against its planned values. --azure: the live tenant as BEFORE."""
    from anycast_lint.diff.changes import compare  # the diff command's own modules
    from anycast_lint.diff.sides import root_of

    targets = report_targets(formats, outputs)
    links = help_links(help_base_url)
    rules = selected_rules(select, ignore)
    live = inputs.live()
    options = inputs.load()
    cwd = Path.cwd()
    lookup = inputs.lookup(cwd)
    paths = inputs.paths
    with contextlib.ExitStack() as stack:
        before, after = _sides(inputs, base_ref, live, options, lookup, stack)
        roots = ([root_of(paths[0], cwd)], [root_of(paths[-1], cwd)])
        result = compare(before, after, roots, failures, rules)
        result.root, result.links = report_root(root, cwd), links
        result.category = category
        for side_name, error in result.errors:
            echo(f"anycast-lint: error: {side_name}: {_shown_error(result.side(side_name), error)}", err=True)
        for format_name, output in targets:
            _write_diff(format_name, output, result, inputs.quiet)
    if result.errors:
        sys.exit(EXIT_ERROR)
    moved = fail_on_change and bool(result.changes)
    sys.exit(EXIT_FINDINGS if moved or result.reaches(fail_on) else EXIT_CLEAN)


def _sides(
    inputs: InputOptions,
    base_ref: str | None,
    live: LiveOptions | None,
    options: LoadOptions,
    lookup: ConfigLookup,
    stack: contextlib.ExitStack,
) -> tuple[Side, Side]:
    """BEFORE and AFTER, as the arguments ask: the live tenant and the files, a Terraform plan's prior state
    and planned values, one path at a git ref and now, or two paths."""
    from anycast_lint.diff.changes import Side
    from anycast_lint.diff.sides import read_at_ref, read_plan_sides, read_side

    paths, excludes = inputs.paths, inputs.excludes
    plan = _diff_plan(paths, base_ref, live)
    if live is not None:
        earlier, _ = read_designs((), lookup, options, excludes, live, inputs.quiet)
        return Side(earlier, "azure"), read_side(paths[0], lookup, options, excludes)
    if plan is not None:
        return read_plan_sides(paths[0], plan, lookup, options, stack)
    if base_ref is not None:
        known = [r.code for r in all_rules()]
        before = read_at_ref(paths[0], base_ref, inputs.config_path, known, options, excludes, stack)
        return before, read_side(paths[0], lookup, options, excludes)
    before, after = (read_side(p, lookup, options, excludes) for p in paths)
    return before, after


def _diff_plan(paths: tuple[str, ...], base_ref: str | None, live: LiveOptions | None) -> dict[str, Any] | None:
    """Which kind of diff the arguments ask for; the Terraform plan when one path is a plan alone."""
    from anycast_lint.diff.sides import plan_document

    if base_ref is not None and live is not None:
        raise click.UsageError("--base-ref and --azure each give BEFORE: use one of them")
    if base_ref is not None or live is not None:
        if len(paths) != 1:
            option = "--base-ref" if base_ref is not None else "--azure"
            raise click.UsageError(f"with {option}, give one PATH (AFTER); got {len(paths)}")
        return None
    if len(paths) == 2:
        return None
    plan = plan_document(paths[0]) if len(paths) == 1 else None
    if plan is None:
        raise click.UsageError(
            "diff compares BEFORE and AFTER: give two paths, or one PATH with --base-ref REF or --azure, "
            "or one Terraform plan (terraform show -json)"
        )
    return plan


def _shown_error(side: Side, error: InputError) -> str:
    """The error with its file as the side shows it (`origin/main:network/design.yaml`)."""
    return str(InputError(side.show_file(error.file), error.message, error.line, error.column, error.json_path))


def _write_diff(format_name: str, output: str | None, result: DiffResult, quiet: bool) -> None:
    """One diff report, to its file or to standard output; secrets redacted either way."""
    from anycast_lint.report.diff import render_diff

    text = render_diff(format_name, result)
    if output:
        Path(output).write_text(SECRETS.redact(text), encoding="utf-8")
        if not quiet:
            echo(
                f"anycast-lint: wrote {format_name} diff to {output} ({len(result.changes)} changes, "
                f"{len(result.new)} new findings, {len(result.fixed)} fixed)",
                err=True,
            )
    else:
        echo(text, nl=False)

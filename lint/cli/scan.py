"""`anycast-lint scan`: check each design, apply the baseline, write the reports."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import click

from anycast_lint.cli.designs import lookup_configs, print_errors, read_designs
from anycast_lint.cli.input_options import (
    azure_options,
    config_option,
    exclude_option,
    live_options,
    load_options,
    template_options,
    tf_root_option,
)
from anycast_lint.cli.lifetime import kept
from anycast_lint.cli.output import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_FINDINGS,
    FAIL_ON,
    echo,
    reports_errors,
)
from anycast_lint.cli.report_options import FORMAT_TITLES, report_targets, repository_root
from anycast_lint.cli.style import LintCommand, color_option, epilog, use_color
from anycast_lint.engine.baseline import load_baseline, render_baseline
from anycast_lint.engine.helpurl import help_links
from anycast_lint.engine.run import ScanResult, SelectionError, run, select_rules
from anycast_lint.errors import InputError
from anycast_lint.inputs.workspace import Inputs
from anycast_lint.model.findings import Level
from anycast_lint.model.secrets import SECRETS
from anycast_lint.report import FORMAT_NAMES, ReportData, plural, render
from anycast_lint.rules.registry import all_rules


def exit_code(result: ScanResult, fail_on: str) -> int:
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = Level.parse(fail_on)
    return EXIT_FINDINGS if any(f.level >= threshold for f in result.findings) else EXIT_CLEAN


def _check_designs(inputs: Inputs, select: tuple[str, ...], ignore: tuple[str, ...]) -> list[ScanResult]:
    """Run the rules over each design on its own; a design whose config does not fit it is an input error."""
    results, checked = [], []
    for design in inputs.designs:
        try:
            results.append(run(design.load.topology, design.config, select, ignore, design=design.name))
        except InputError as exc:
            inputs.errors.append(exc)
            continue
        checked.append(design)
    inputs.designs = checked
    return results


def _baseline_step(result: ScanResult, inputs: Inputs, baseline_path: str | None, write_to: str | None) -> None:
    """--write-baseline records today's findings (never from an incomplete scan) and accepts them;
    --baseline keeps only the findings it does not hold."""
    if write_to:
        if inputs.errors:
            raise SelectionError(f"not writing baseline {write_to}: the scan is incomplete (see the errors above)")
        Path(write_to).write_text(SECRETS.redact(render_baseline(result.findings)), encoding="utf-8")
        count = len(result.findings)
        echo(f"anycast-lint: wrote baseline {write_to} with {count} finding{'' if count == 1 else 's'}", err=True)
        baseline_path = write_to
    if baseline_path:
        result.against(load_baseline(Path(baseline_path), baseline_path))


@click.command(
    cls=LintCommand,
    short_help="Check the designs in files and folders (text, JSON, SARIF).",
    epilog=epilog(
        "anycast-lint scan .                                  # every design below the current folder",
        "anycast-lint scan network/ --format sarif -o anycast-lint.sarif",
        "az network vnet list -o json | anycast-lint scan -   # - reads standard input",
        "anycast-lint scan design.yaml --select AC1 --fail-on warning",
        "anycast-lint scan network/ --format sarif -o a.sarif --format markdown -o summary.md",
        "anycast-lint scan network/ --baseline .anycast-lint-baseline.json",
    ),
)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@config_option
@click.option(
    "--format",
    "--output-format",
    "formats",
    type=click.Choice(FORMAT_NAMES),
    multiple=True,
    help="Report format (default text; --output-format is the same option, as in ruff). Repeat with -o for "
    "several reports: --format sarif -o a.sarif --format markdown -o summary.md.",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    metavar="FILE",
    multiple=True,
    help="Write the report to FILE instead of standard output (- = stdout); one per --format, in the same order.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a finding at this level or above is reported.",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (input errors still exit 2).")
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Run only these rules: codes or prefixes, comma-separated (AC1 = every AC1xx rule).",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (codes or prefixes).")
@exclude_option
@click.option(
    "--root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Make SARIF paths relative to DIR (default: the enclosing git work tree).",
)
@template_options
@tf_root_option
@click.option(
    "--baseline",
    "baseline_path",
    metavar="FILE",
    help="Report only findings that are not in FILE (written by --write-baseline); the exit code counts only those.",
)
@click.option(
    "--write-baseline",
    metavar="FILE",
    help="Record every current finding in FILE, by identity (rule, resource, evidence; never lines), and accept them.",
)
@click.option(
    "--category",
    metavar="NAME",
    help="SARIF automationDetails.id (NAME/), for several analyses of one repository in code scanning.",
)
@click.option(
    "--help-base-url",
    metavar="URL",
    help="Where the rule help pages are online: the docs/rules/ folder of your copy, as a URL ending in / "
    "(default: $ANYCAST_LINT_HELP_BASE_URL, else the git remote of the tool's own checkout).",
)
@click.option("--statistics", is_flag=True, help="Count the findings of each rule instead of listing them.")
@color_option
@click.option(
    "--verbose", "-v", is_flag=True, help="List designs and files read and skipped on stderr; full resource ids."
)
@click.option("--show-fixes", is_flag=True, help="Text: show under each finding the fix (az CLI, Terraform, ARM).")
@azure_options
@click.option(
    "--snapshot",
    metavar="FILE",
    help="With --azure: write what was read to FILE and point report locations at its lines (for SARIF).",
)
@reports_errors
def scan(
    paths: tuple[str, ...],
    config_path: str | None,
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    excludes: tuple[str, ...],
    root: str | None,
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
    baseline_path: str | None,
    write_baseline: str | None,
    category: str | None,
    help_base_url: str | None,
    statistics: bool,
    color: str,
    verbose: bool,
    show_fixes: bool,
    azure: bool,
    quiet: bool,
    snapshot: str | None,
    **azure_kwargs: Any,
) -> None:
    """Check the designs in PATH... (files or folders, `-` for standard input; formats are detected from
    content) and, with --azure, the network resources deployed in Azure. Each folder holding topology
    files is a design, checked on its own."""
    cwd = Path.cwd()
    targets = report_targets(formats, outputs)
    other = next((name for name, _ in targets if name not in ("text", "json")), None)
    if statistics and other:
        raise click.UsageError(f"--statistics gives text or JSON, not {FORMAT_TITLES[other]}")
    links = help_links(help_base_url)
    rules = select_rules(all_rules(), select, ignore)
    if not rules:
        raise SelectionError("--select/--ignore leave no rule to run (see `anycast-lint rules`)")
    live = live_options(azure, subscriptions, azure_kwargs)
    if live is not None and verbose:
        live = dataclasses.replace(live, verbose=True)  # the SDK's detail after a one-line error
    if snapshot and live is None:
        raise SelectionError("--snapshot writes what --azure read; add --azure")
    options = load_options(parameters, subscriptions, resource_group, location, tf_root)
    inputs, read = read_designs(paths, lookup_configs(config_path, cwd), options, excludes, live, quiet, snapshot)
    if verbose:
        for note in read.read.notes if read else []:
            echo(f"anycast-lint: {note}", err=True)
        _list_inputs(inputs)
    result = kept(ScanResult.combine(_check_designs(inputs, select, ignore), rules))
    print_errors(inputs.errors)
    for warning in result.warnings:
        echo(f"anycast-lint: warning: {warning}", err=True)
    _baseline_step(result, inputs, baseline_path, write_baseline)
    data = ReportData(
        result,
        inputs,
        Path(root) if root else repository_root(cwd),
        notices=tuple(read.notices) if read else (),
        verbose=verbose,
        quiet=quiet,
        statistics=statistics,
        show_fixes=show_fixes,
        category=category,
        links=links,
    )
    if any(name == "sarif" for name, _ in targets):
        from anycast_lint.report.sarif import outside_root, outside_root_warning  # sarif-om: only for SARIF

        for file in outside_root(data):
            echo(f"anycast-lint: warning: {outside_root_warning(file, data)}", err=True)
    for format_name, output in targets:
        _write_report(format_name, output, data, color)
    if inputs.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN if exit_zero else exit_code(result, fail_on))


def _write_report(format_name: str, output: str | None, data: ReportData, color: str) -> None:
    """One report to its file (a one-line note on stderr) or to standard output."""
    if output:
        colored = format_name == "text" and color == "always"
        Path(output).write_text(SECRETS.redact(render(format_name, data, color=colored)), encoding="utf-8")
        if not data.quiet:
            result = data.scan
            echo(
                f"anycast-lint: wrote {format_name} report to {output} "
                f"({plural(len(result.findings), 'finding')}, {len(result.suppressed)} suppressed)",
                err=True,
            )
    elif format_name != "text" or data.load.designs:
        colored = format_name == "text" and use_color(color, sys.stdout)
        echo(render(format_name, data, color=colored), nl=False, color=colored)


def _list_inputs(inputs: Inputs) -> None:
    """--verbose: what was read, design by design, and what was skipped or excluded."""
    for design in inputs.designs:
        config = f" (config {design.config.path})" if design.config.path else ""
        echo(f"anycast-lint: design {design.name}{config}", err=True)
        for file in design.load.files:
            echo(f"anycast-lint: read {file}", err=True)
    for file, reason in inputs.skipped:
        echo(f"anycast-lint: skipped {file} ({reason})", err=True)
    for file in inputs.excluded:
        echo(f"anycast-lint: excluded {file}", err=True)
    for resource_type, count in sorted(inputs.ignored.items()):
        echo(f"anycast-lint: ignored {count} x {resource_type} (not used by any rule)", err=True)
    for design in inputs.designs:
        for read in design.load.topology.template_reads:
            echo(
                f"anycast-lint: template {read.file}: {read.read} network resource(s) read, "
                f"{len(read.unread)} part(s) not read, {len(read.not_deployed)} part(s) not deployed",
                err=True,
            )
            for unread in read.unread:
                echo(f"anycast-lint: not read: {unread.origin}: {unread.what}: {unread.reason}", err=True)
            for off in read.not_deployed:
                echo(f"anycast-lint: not deployed: {off.origin}: {off.what}: {off.reason}", err=True)
    for repeat in inputs.repeats:
        echo(f"anycast-lint: {repeat}", err=True)

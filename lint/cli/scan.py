"""`anycast-lint scan`: check each design, apply the baseline, write the reports."""

from __future__ import annotations

import dataclasses
import sys
from functools import partial
from pathlib import Path

import click

from anycast_lint.cli.designs import read_designs
from anycast_lint.cli.gathered import gathered, take_fields
from anycast_lint.cli.input_options import InputOptions, input_options
from anycast_lint.cli.lifetime import kept
from anycast_lint.cli.output import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, echo, reports_errors
from anycast_lint.cli.report_options import report_root, report_targets, root_option
from anycast_lint.cli.rule_selection import selected_rules
from anycast_lint.cli.scan_options import REPORT_OPTIONS, RESULT_OPTIONS, SNAPSHOT_OPTION, ScanOptions
from anycast_lint.cli.style import LintCommand, epilog, use_color
from anycast_lint.engine.baseline import load_baseline, render_baseline
from anycast_lint.engine.helpurl import help_links
from anycast_lint.engine.run import ScanResult, SelectionError, run
from anycast_lint.errors import InputError
from anycast_lint.inputs.workspace import Inputs
from anycast_lint.model.findings import Level
from anycast_lint.model.secrets import SECRETS
from anycast_lint.report import ReportData, plural, render
from anycast_lint.report.formats import FORMAT_TITLES
from anycast_lint.rules.registry import Rule


def exit_code(result: ScanResult, fail_on: str) -> int:
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = Level.parse(fail_on)
    return EXIT_FINDINGS if any(f.level >= threshold for f in result.findings) else EXIT_CLEAN


def _check_designs(inputs: Inputs, rules: list[Rule]) -> list[ScanResult]:
    """Run the rules over each design on its own; a design whose config does not fit it is an input error."""
    results, checked = [], []
    for design in inputs.designs:
        try:
            results.append(run(design.load.topology, design.config, design=design.name, rules=rules))
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
@input_options(
    *REPORT_OPTIONS, after_exclude=(root_option,), after_tf_root=RESULT_OPTIONS, after_azure=(SNAPSHOT_OPTION,)
)
@gathered("options", partial(take_fields, ScanOptions))
@reports_errors
def scan(inputs: InputOptions, options: ScanOptions) -> None:
    """Check the designs in PATH... (files or folders, `-` for standard input; formats are detected from
    content) and, with --azure, the network resources deployed in Azure. Each folder holding topology
    files is a design, checked on its own."""
    cwd = Path.cwd()
    targets = report_targets(options.formats, options.outputs)
    other = next((name for name, _ in targets if name not in ("text", "json")), None)
    if options.statistics and other:
        raise click.UsageError(f"--statistics gives text or JSON, not {FORMAT_TITLES[other]}")
    links = help_links(options.help_base_url)
    rules = selected_rules(options.select, options.ignore)
    live = inputs.live()
    if live is not None and options.verbose:
        live = dataclasses.replace(live, verbose=True)  # the SDK's detail after a one-line error
    if options.snapshot and live is None:
        raise SelectionError("--snapshot writes what --azure read; add --azure")
    load = inputs.load()
    loaded, read = read_designs(
        inputs.paths, inputs.lookup(cwd), load, inputs.excludes, live, inputs.quiet, options.snapshot
    )
    if options.verbose:
        for note in read.read.notes if read else []:
            echo(f"anycast-lint: {note}", err=True)
        _list_inputs(loaded)
    result = kept(ScanResult.combine(_check_designs(loaded, rules), rules))
    for error in loaded.errors:
        echo(f"anycast-lint: error: {error}", err=True)
    for warning in result.warnings:
        echo(f"anycast-lint: warning: {warning}", err=True)
    _baseline_step(result, loaded, options.baseline_path, options.write_baseline)
    data = ReportData(
        result,
        loaded,
        report_root(options.root, cwd),
        notices=tuple(read.notices) if read else (),
        verbose=options.verbose,
        quiet=inputs.quiet,
        statistics=options.statistics,
        show_fixes=options.show_fixes,
        category=options.category,
        links=links,
    )
    if any(name == "sarif" for name, _ in targets):
        from anycast_lint.report.sarif import outside_root, outside_root_warning  # sarif-om: only for SARIF

        for file in outside_root(data):
            echo(f"anycast-lint: warning: {outside_root_warning(file, data)}", err=True)
    for format_name, output in targets:
        _write_report(format_name, output, data, options.color)
    if loaded.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN if options.exit_zero else exit_code(result, options.fail_on))


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

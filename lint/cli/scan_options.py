"""scan's own options (what it reports, how it exits, the baseline), handed to it as one ScanOptions; the
input options it shares with simulate, trace and diff are in input_options."""

from __future__ import annotations

from dataclasses import dataclass

import click

from anycast_lint.cli.output import fail_on_option
from anycast_lint.cli.report_options import formats_option
from anycast_lint.cli.rule_selection import ignore_option
from anycast_lint.cli.style import color_option
from anycast_lint.report.formats import format_names


@dataclass(frozen=True)
class ScanOptions:
    formats: tuple[str, ...]
    outputs: tuple[str, ...]
    fail_on: str
    exit_zero: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    root: str | None
    baseline_path: str | None
    write_baseline: str | None
    category: str | None
    help_base_url: str | None
    statistics: bool
    color: str
    verbose: bool
    show_fixes: bool
    snapshot: str | None


# after --config: the reports, the exit code, the rules
REPORT_OPTIONS = (
    formats_option(
        format_names("scan"),
        "Report format (default text; --output-format is the same option, as in ruff). Repeat with -o for "
        "several reports: --format sarif -o a.sarif --format markdown -o summary.md.",
    ),
    click.option(
        "--output",
        "-o",
        "outputs",
        metavar="FILE",
        multiple=True,
        help="Write the report to FILE instead of standard output (- = stdout); one per --format, in the same order.",
    ),
    fail_on_option("Exit 1 when a finding at this level or above is reported."),
    click.option(
        "--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (input errors still exit 2)."
    ),
    click.option(
        "--select",
        multiple=True,
        metavar="CODES",
        help="Run only these rules: codes or prefixes, comma-separated (AC1 = every AC1xx rule).",
    ),
    ignore_option,
)

# after --tf-root: the baseline, what the reports hold, and how they look
RESULT_OPTIONS = (
    click.option(
        "--baseline",
        "baseline_path",
        metavar="FILE",
        help="Report only findings that are not in FILE (written by --write-baseline); the exit code counts only "
        "those.",
    ),
    click.option(
        "--write-baseline",
        metavar="FILE",
        help="Record every current finding in FILE, by identity (rule, resource, evidence; never lines), and "
        "accept them.",
    ),
    click.option(
        "--category",
        metavar="NAME",
        help="SARIF automationDetails.id (NAME/), for several analyses of one repository in code scanning.",
    ),
    click.option(
        "--help-base-url",
        metavar="URL",
        help="Where the rule help pages are online: the docs/rules/ folder of your copy, as a URL ending in / "
        "(default: $ANYCAST_LINT_HELP_BASE_URL, else the git remote of the tool's own checkout).",
    ),
    click.option("--statistics", is_flag=True, help="Count the findings of each rule instead of listing them."),
    color_option,
    click.option(
        "--verbose", "-v", is_flag=True, help="List designs and files read and skipped on stderr; full resource ids."
    ),
    click.option("--show-fixes", is_flag=True, help="Text: show under each finding the fix (az CLI, Terraform, ARM)."),
)

# after the --azure options
SNAPSHOT_OPTION = click.option(
    "--snapshot",
    metavar="FILE",
    help="With --azure: write what was read to FILE and point report locations at its lines (for SARIF).",
)

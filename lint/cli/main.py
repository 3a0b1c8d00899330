"""Command line: `anycast-lint scan`, `anycast-lint simulate`, `anycast-lint rules`.

Exit codes: 0 no finding at or above --fail-on; 1 findings; 2 usage error, unreadable input or an
incomplete scan. Errors are one line each on stderr, with file:line:col; never a traceback (set
ANYCAST_LINT_DEBUG=1 to see one for an internal error).
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import ipaddress
import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from anycast_lint import __version__
from anycast_lint.analysis.services import find_services
from anycast_lint.cli.style import LintGroup, color_option, epilog, use_color
from anycast_lint.engine.baseline import load_baseline, render_baseline
from anycast_lint.engine.helpurl import HelpUrlError, help_links
from anycast_lint.engine.run import ScanResult, SelectionError, run, select_rules
from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.config_lookup import ConfigLookup
from anycast_lint.inputs.live.options import CLOUDS, LiveOptions
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.loader import collector_paused
from anycast_lint.inputs.workspace import Inputs, read_inputs, read_live_inputs
from anycast_lint.model.findings import Level
from anycast_lint.model.secrets import SECRETS
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, Topology
from anycast_lint.report import FORMAT_NAMES, TRACE_FORMATS, ReportData, plural, render
from anycast_lint.report.simulation import Simulation, unreachable
from anycast_lint.report.simulation import render_json as render_simulation_json
from anycast_lint.report.simulation import render_text as render_simulation_text
from anycast_lint.routing import Routing
from anycast_lint.routing.failures import UnknownFailure
from anycast_lint.routing.failures import resolve as resolve_failure
from anycast_lint.rules.registry import Rule, all_rules, closest_rule, find_rules

if TYPE_CHECKING:
    from anycast_lint.diff.changes import DiffResult, Side
    from anycast_lint.inputs.live.session import LiveInput

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader closed the pipe
FAIL_ON = ("error", "warning", "note", "none")

F = TypeVar("F", bound=Callable[..., Any])
K = TypeVar("K")


def _echo(text: str, err: bool = False, nl: bool = True, color: bool | None = None) -> None:
    """Every line the CLI prints passes here, so registered secrets can never be printed."""
    click.echo(SECRETS.redact(text), err=err, nl=nl, color=color)


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        _echo(f"anycast-lint: error: {line}", err=True)
    sys.exit(EXIT_ERROR)


def _reader_went_away() -> NoReturn:
    """`anycast-lint rules | head`: the reader closed the pipe. Say nothing, as `cat` would, and exit with the
    shell's code for a process ended by SIGPIPE; stdout points at /dev/null so the final flush cannot fail."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(EXIT_BROKEN_PIPE)


def _reports_errors(command: F) -> F:
    """Turn input problems into one-line messages and exit code 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with collector_paused():  # a scan allocates millions of acyclic objects: see collector_paused
                return command(*args, **kwargs)
        except InputErrors as exc:
            _fail([str(e) for e in exc.errors])
        except (InputError, SelectionError, HelpUrlError) as exc:
            _fail([str(exc)])
        except BrokenPipeError:
            _reader_went_away()
        except OSError as exc:
            _fail([f"{exc.filename or ''}: {exc.strerror or exc}"])
        except click.UsageError:  # the command class prints it as one usage line
            raise
        except Exception as exc:  # a bug: say so on one line, keep the traceback for whoever debugs it
            if os.environ.get("ANYCAST_LINT_DEBUG"):
                raise
            _fail([f"internal error: {type(exc).__name__}: {exc} (set ANYCAST_LINT_DEBUG=1 for a traceback)"])

    return wrapper  # type: ignore[return-value]


def repository_root(start: Path) -> Path:
    """The enclosing git work tree (GitHub resolves SARIF paths from there), else `start`."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def exit_code(result: ScanResult, fail_on: str) -> int:
    if fail_on == "none":
        return EXIT_CLEAN
    threshold = Level.parse(fail_on)
    return EXIT_FINDINGS if any(f.level >= threshold for f in result.findings) else EXIT_CLEAN


@click.group(
    cls=LintGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
    epilog=epilog("anycast-lint scan .", "anycast-lint simulate network/ --fail dns-01", "anycast-lint rules AC2"),
)
@click.version_option(__version__, "--version", "-V", prog_name="anycast-lint")
def cli() -> None:
    """Validate private anycast designs in Azure: the same VNet prefix in several regions, with
    ExpressRoute's BGP choosing the region."""


config_option = click.option(
    "--config",
    "config_path",
    metavar="FILE",
    help="Config file for every design (default: the nearest anycast-lint.yaml above each design, up to the git "
    "work tree's root, else the one in the current directory).",
)
_TEMPLATE_OPTIONS = (
    click.option(
        "--parameters",
        "parameters",
        multiple=True,
        metavar="FILE",
        help="ARM parameters file applied to the templates read (repeatable).",
    ),
    click.option(
        "--subscription",
        "subscriptions",
        multiple=True,
        metavar="ID",
        help="Evaluate templates in this subscription (default: a placeholder, 00000000-...); with --azure, "
        "read this subscription (repeatable; default: every subscription the credential can list).",
    ),
    click.option(
        "--resource-group",
        metavar="NAME",
        help="Evaluate templates in this resource group, all of them together (default: one placeholder per file).",
    ),
    click.option(
        "--location",
        metavar="REGION",
        help="The region deployment().location and resourceGroup().location stand for (default: unknown).",
    ),
)


def template_options(command: Callable[..., None]) -> Callable[..., None]:
    """--parameters, --subscription, --resource-group and --location: how ARM templates are evaluated."""
    for option in reversed(_TEMPLATE_OPTIONS):
        command = option(command)
    return command


tf_root_option = click.option(
    "--tf-root",
    "tf_root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Terraform root module folder, to point findings about planned resources at their .tf source "
    "(default: the plan's folder).",
)
exclude_option = click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="GLOB",
    help="Skip files or folders matching GLOB when walking folders (repeatable; adds to the config's exclude:).",
)


_AZURE_OPTIONS = (
    click.option("--azure", is_flag=True, help="Read the network resources deployed in Azure (read-only)."),
    click.option("--tenant", metavar="ID", help="With --azure: get tokens for this tenant."),
    click.option(
        "--cloud",
        type=click.Choice(tuple(CLOUDS)),
        default="AzureCloud",
        show_default=True,
        help="With --azure: the national cloud.",
    ),
    click.option(
        "--arm-endpoint", metavar="URL", help="With --azure: Resource Manager endpoint (Azure Stack, private)."
    ),
    click.option("--authority-host", metavar="URL", help="With --arm-endpoint: the Microsoft Entra authority."),
    click.option(
        "--observed-routes",
        type=click.Choice(("optional", "required")),
        is_flag=False,
        flag_value="optional",
        default=None,
        help="With --azure: also read each circuit's private-peering route tables (for AC306). Alone or "
        "=optional, a refusal is stated and the topology still scanned; =required makes it an error.",
    ),
    click.option(
        "--management-group",
        metavar="ID",
        help="With --azure: read the Enabled subscriptions under this management group (via Resource Graph).",
    ),
    click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        metavar="SECONDS",
        help="With --azure: stop reading after SECONDS; what did not finish is named (a gap).",
    ),
    click.option(
        "--api-version",
        "api_versions",
        multiple=True,
        metavar="TYPE=VERSION",
        help="With --azure: override a pinned API version (repeatable; TYPE may be a namespace, "
        "e.g. Microsoft.Network=2024-05-01 for a cloud that lags).",
    ),
    click.option(
        "--allow-partial",
        is_flag=True,
        help="With --azure: scan what could be read; the report says what was not.",
    ),
    click.option(
        "--no-resource-graph",
        is_flag=True,
        help="With --azure: list each subscription's resources instead of querying Azure Resource Graph.",
    ),
    click.option(
        "--quiet", "-q", is_flag=True, help="Print the results and nothing else (no summary, no progress display)."
    ),
)


def azure_options(command: F) -> F:
    """The options of a live read from Azure, shared by scan, simulate and export."""
    for option in reversed(_AZURE_OPTIONS):
        command = option(command)
    return command


def _live_options(azure: bool, subscriptions: tuple[str, ...], kwargs: dict[str, Any]) -> LiveOptions | None:
    """Pop the live-read options off a command's keyword arguments; None without --azure."""
    options = LiveOptions(
        subscriptions=subscriptions if azure else (),
        tenant=kwargs.pop("tenant"),
        cloud=kwargs.pop("cloud"),
        arm_endpoint=kwargs.pop("arm_endpoint"),
        authority_host=kwargs.pop("authority_host"),
        observed_routes=kwargs.pop("observed_routes") or "off",
        allow_partial=kwargs.pop("allow_partial"),
        use_graph=not kwargs.pop("no_resource_graph"),
        management_group=kwargs.pop("management_group"),
        timeout=kwargs.pop("timeout"),
        api_versions=tuple(kwargs.pop("api_versions")),
    )
    if not azure:
        if len(subscriptions) > 1:
            raise SelectionError("templates are evaluated in one --subscription (several are read with --azure)")
        used = [
            flag
            for flag, value in (
                ("--tenant", options.tenant),
                ("--arm-endpoint", options.arm_endpoint),
                ("--authority-host", options.authority_host),
                ("--observed-routes", options.wants_observed),
                ("--allow-partial", options.allow_partial),
                ("--management-group", options.management_group),
                ("--timeout", options.timeout),
                ("--api-version", options.api_versions),
            )
            if value
        ]
        if used:
            raise SelectionError(f"{used[0]} applies to a live read; add --azure")
        return None
    if options.arm_endpoint and not options.authority_host:
        raise SelectionError("--arm-endpoint needs --authority-host (the authority that issues its tokens)")
    if options.management_group and not options.use_graph:
        raise SelectionError("--management-group is read through Resource Graph; drop --no-resource-graph")
    return options


def _read(
    paths: tuple[str, ...],
    lookup: ConfigLookup,
    options: LoadOptions,
    excludes: tuple[str, ...],
    live: LiveOptions | None,
    quiet: bool,
    snapshot: str | None = None,
) -> tuple[Inputs, LiveInput | None]:
    """The designs under PATH..., or, with --azure, the live read and the files given with it."""
    if live is None:
        return _kept(read_inputs(list(paths) or ["."], lookup, options, excludes)), None  # ruff's default: .
    from anycast_lint.inputs.live.session import read_azure  # the Azure SDK: only for a live read

    read = read_azure(live, snapshot, quiet=quiet)
    for line in read.stderr_lines(quiet):
        _echo(line, err=True)
    return _kept(read_live_inputs(read.documents, read.scope, list(paths), lookup, options, excludes)), read


def _load_options(
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
) -> LoadOptions:
    """How templates and plans are read; a single --subscription is also the templates' placeholder scope."""
    template_scope = subscriptions[0] if len(subscriptions) == 1 else None
    return LoadOptions.of(parameters, template_scope, resource_group, location, tf_root)


def _read_every_design(
    paths: tuple[str, ...],
    config_path: str | None,
    options: LoadOptions,
    excludes: tuple[str, ...],
    live: LiveOptions | None,
    quiet: bool,
) -> Inputs:
    """simulate and trace need every input: any input error stops them (scan reports what it could read)."""
    inputs, _ = _read(paths, _lookup(config_path, Path.cwd()), options, excludes, live, quiet)
    if inputs.errors:
        raise InputErrors(inputs.errors)
    return inputs


def _routing_after(topology: Topology, config: Config, failures: tuple[str, ...]) -> tuple[Routing, Routing]:
    """The design's routing as built, and as it is after the --fail names (the same view when none)."""
    base = Routing(topology, find_services(topology, config))
    try:
        failure = resolve_failure(topology, failures)
    except UnknownFailure as exc:
        raise SelectionError(str(exc)) from None
    return base, (base.fail(failure) if failure else base)


def _lookup(config_path: str | None, cwd: Path) -> ConfigLookup:
    """Each design's config: --config, else the nearest anycast-lint.yaml (rule codes checked)."""
    return ConfigLookup(config_path, cwd, known_rules=[r.code for r in all_rules()])


def _print_errors(errors: list[InputError]) -> None:
    for error in errors:
        _echo(f"anycast-lint: error: {error}", err=True)


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


FORMAT_TITLES = {"sarif": "SARIF", "github": "GitHub workflow commands", "markdown": "Markdown", "junit": "JUnit"}


def report_targets(formats: tuple[str, ...], outputs: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """Pair `--format X -o FILE` options in the order given; None (or `-`) is standard output."""
    if not formats:
        formats = ("text",)
    if len(formats) == 1 and len(outputs) <= 1:
        pairs = [(formats[0], outputs[0] if outputs else None)]
    elif len(formats) == len(outputs):
        pairs = list(zip(formats, outputs, strict=True))
    else:
        raise click.UsageError(
            f"got {_count(len(formats), '--format')} and {_count(len(outputs), '--output')}: with several "
            "reports, give each --format its own -o FILE (-o - for standard output)"
        )
    targets = [(name, None if out in (None, "-") else out) for name, out in pairs]
    if sum(1 for _, out in targets if out is None) > 1:
        raise click.UsageError("only one report can go to standard output; give the others -o FILE")
    return targets


def _count(count: int, option: str) -> str:
    return f"{count} {option}{'' if count == 1 else ' options'}"


def _baseline_step(result: ScanResult, inputs: Inputs, baseline_path: str | None, write_to: str | None) -> None:
    """--write-baseline records today's findings (never from an incomplete scan) and accepts them;
    --baseline keeps only the findings it does not hold."""
    if write_to:
        if inputs.errors:
            raise SelectionError(f"not writing baseline {write_to}: the scan is incomplete (see the errors above)")
        Path(write_to).write_text(SECRETS.redact(render_baseline(result.findings)), encoding="utf-8")
        count = len(result.findings)
        _echo(f"anycast-lint: wrote baseline {write_to} with {count} finding{'' if count == 1 else 's'}", err=True)
        baseline_path = write_to
    if baseline_path:
        result.against(load_baseline(Path(baseline_path), baseline_path))


@cli.command(
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
@_reports_errors
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
    live = _live_options(azure, subscriptions, azure_kwargs)
    if live is not None and verbose:
        live = dataclasses.replace(live, verbose=True)  # the SDK's detail after a one-line error
    if snapshot and live is None:
        raise SelectionError("--snapshot writes what --azure read; add --azure")
    options = _load_options(parameters, subscriptions, resource_group, location, tf_root)
    inputs, read = _read(paths, _lookup(config_path, cwd), options, excludes, live, quiet, snapshot)
    if verbose:
        for note in read.read.notes if read else []:
            _echo(f"anycast-lint: {note}", err=True)
        _list_inputs(inputs)
    result = _kept(ScanResult.combine(_check_designs(inputs, select, ignore), rules))
    _print_errors(inputs.errors)
    for warning in result.warnings:
        _echo(f"anycast-lint: warning: {warning}", err=True)
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
            _echo(f"anycast-lint: warning: {outside_root_warning(file, data)}", err=True)
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
            _echo(
                f"anycast-lint: wrote {format_name} report to {output} "
                f"({plural(len(result.findings), 'finding')}, {len(result.suppressed)} suppressed)",
                err=True,
            )
    elif format_name != "text" or data.load.designs:
        colored = format_name == "text" and use_color(color, sys.stdout)
        _echo(render(format_name, data, color=colored), nl=False, color=colored)


def _list_inputs(inputs: Inputs) -> None:
    """--verbose: what was read, design by design, and what was skipped or excluded."""
    for design in inputs.designs:
        config = f" (config {design.config.path})" if design.config.path else ""
        _echo(f"anycast-lint: design {design.name}{config}", err=True)
        for file in design.load.files:
            _echo(f"anycast-lint: read {file}", err=True)
    for file, reason in inputs.skipped:
        _echo(f"anycast-lint: skipped {file} ({reason})", err=True)
    for file in inputs.excluded:
        _echo(f"anycast-lint: excluded {file}", err=True)
    for resource_type, count in sorted(inputs.ignored.items()):
        _echo(f"anycast-lint: ignored {count} x {resource_type} (not used by any rule)", err=True)
    for design in inputs.designs:
        for read in design.load.topology.template_reads:
            _echo(
                f"anycast-lint: template {read.file}: {read.read} network resource(s) read, "
                f"{len(read.unread)} part(s) not read, {len(read.not_deployed)} part(s) not deployed",
                err=True,
            )
            for unread in read.unread:
                _echo(f"anycast-lint: not read: {unread.origin}: {unread.what}: {unread.reason}", err=True)
            for off in read.not_deployed:
                _echo(f"anycast-lint: not deployed: {off.origin}: {off.what}: {off.reason}", err=True)
    for repeat in inputs.repeats:
        _echo(f"anycast-lint: {repeat}", err=True)


SIMULATE_EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0  every service's VIP has a route at every circuit that is up\n"
    "  1  a VIP has no route at some circuit, in the simulated state (--fail included)\n"
    "  2  usage error, unreadable or invalid input"
)


@cli.command(
    short_help="Predict circuit route tables and VIP winners (with --fail).",
    epilog=epilog(
        "anycast-lint simulate network/",
        "anycast-lint simulate network/ --fail dns-01 --fail region:westeurope",
        "anycast-lint simulate network/ --each-member --format json -o simulation.json",
        exit_codes=SIMULATE_EXIT_CODES,
    ),
)
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@config_option
@click.option(
    "--fail",
    "failures",
    multiple=True,
    metavar="NAME",
    help="Take a circuit, VNet, virtual hub, gateway, connection or region out (repeatable; region:NAME forces "
    "a region).",
)
@click.option("--each-member", is_flag=True, help="Also show where each service goes when each member fails.")
@click.option(
    "--from",
    "vantage",
    type=click.Choice(("edge", "onprem")),
    default="edge",
    show_default=True,
    help="edge: the ExpressRoute route tables; onprem: where each on-premises site sends each VIP, and why.",
)
@click.option(
    "--format",
    "--output-format",
    "format_name",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the simulation to FILE instead of standard output.")
@exclude_option
@template_options
@tf_root_option
@azure_options
@_reports_errors
def simulate(
    paths: tuple[str, ...],
    config_path: str | None,
    failures: tuple[str, ...],
    each_member: bool,
    vantage: str,
    format_name: str,
    output: str | None,
    excludes: tuple[str, ...],
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
    azure: bool,
    quiet: bool,
    **azure_kwargs: Any,
) -> None:
    """Predict what each ExpressRoute circuit learns and chooses, in the columns of `az network express-route
    list-route-tables`, and where each anycast service's VIP goes; with --fail, after those failures."""
    live = _live_options(azure, subscriptions, azure_kwargs)
    options = _load_options(parameters, subscriptions, resource_group, location, tf_root)
    inputs = _read_every_design(paths, config_path, options, excludes, live, quiet)
    printed: list[str] = []
    gaps: list[str] = []
    for design in inputs.designs:
        topology = design.load.topology
        base, view = _routing_after(topology, design.config, failures)
        simulation = Simulation(topology, base, view, each_member)
        if len(inputs.designs) > 1 and format_name == "text":
            printed.append(f"Design {design.name}:\n\n")
        if vantage == "onprem":
            from anycast_lint.report.onprem_view import render_onprem_json, render_onprem_text  # simulate only

            render_view = render_onprem_json if format_name == "json" else render_onprem_text
            printed.append(render_view(simulation, design.config))
        else:
            printed.append(
                render_simulation_json(simulation) if format_name == "json" else render_simulation_text(simulation)
            )
        prefix = f"design {design.name}: " if len(inputs.designs) > 1 else ""
        gaps += [prefix + gap for gap in unreachable(simulation)]
    if output and output != "-":
        Path(output).write_text(SECRETS.redact("".join(printed)), encoding="utf-8")
    else:
        _echo("".join(printed), nl=False)
    for gap in gaps:
        _echo(f"anycast-lint: {gap}", err=True)
    sys.exit(EXIT_FINDINGS if gaps else EXIT_CLEAN)


@cli.command(
    short_help="Follow one flow from on-premises to the VIP and back, hop by hop.",
    epilog=epilog(
        "anycast-lint trace 172.16.10.10 10.13.76.4 network/",
        "anycast-lint trace 172.16.10.10 10.13.76.4 network/ --fail dns-01 --circuit er-circuit",
        exit_codes="\b\nExit codes:\n  0  the flow completes both ways\n  1  it does not, at some circuit\n"
        "  2  usage error, unreadable or invalid input",
    ),
)
@click.argument("source", metavar="SRC")
@click.argument("destination", metavar="DST")
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@config_option
@click.option(
    "--fail",
    "failures",
    multiple=True,
    metavar="NAME",
    help="Trace with a circuit, VNet, virtual hub, gateway, connection or region out (repeatable; region:NAME "
    "forces a region).",
)
@click.option("--circuit", "circuit_name", metavar="NAME", help="Trace through this circuit (default: each circuit).")
@click.option(
    "--format",
    "--output-format",
    "format_name",
    type=click.Choice(TRACE_FORMATS),
    default="text",
    show_default=True,
    help="Output format; markdown draws the flow as a Mermaid sequence diagram, then the hops in a table.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the trace to FILE instead of standard output (- = stdout).")
@exclude_option
@template_options
@tf_root_option
@azure_options
@_reports_errors
def trace(
    source: str,
    destination: str,
    paths: tuple[str, ...],
    config_path: str | None,
    failures: tuple[str, ...],
    circuit_name: str | None,
    format_name: str,
    output: str | None,
    excludes: tuple[str, ...],
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
    azure: bool,
    quiet: bool,
    **azure_kwargs: Any,
) -> None:
    """Follow one flow from SRC (an on-premises address) to DST (the VIP, or any address) and back, hop by
    hop: the route the circuit chooses and why, gateway, hub, static route, forwarder, peering, NSG,
    endpoint, and the reply's UDR or learned route. Exit 1 when the flow does not complete both ways."""
    src, dst = _address("SRC", source), _address("DST", destination)
    live = _live_options(azure, subscriptions, azure_kwargs)
    options = _load_options(parameters, subscriptions, resource_group, location, tf_root)
    inputs = _read_every_design(paths, config_path, options, excludes, live, quiet)
    from anycast_lint.report.trace import render as render_trace  # the trace command's own modules
    from anycast_lint.trace import trace_flow

    traces = []
    for design in inputs.designs:
        topology = design.load.topology
        base, view = _routing_after(topology, design.config, failures)
        services = base.services
        findings = run(topology, design.config, design=design.name).findings
        for circuit in _trace_circuits(topology, circuit_name):
            traces.append(trace_flow(topology, design.config, view, services, src, dst, circuit, findings, base))
    if not traces:
        raise SelectionError("trace: no ExpressRoute circuit in the input")
    _write_text(render_trace(format_name, traces), output)
    sys.exit(EXIT_CLEAN if all(t.complete for t in traces) else EXIT_FINDINGS)


def _write_text(text: str, output: str | None) -> None:
    """A command's whole output to FILE (secrets redacted, as on the terminal), or to standard output."""
    if output and output != "-":
        Path(output).write_text(SECRETS.redact(text), encoding="utf-8")
    else:
        _echo(text, nl=False)


def _address(name: str, text: str) -> IPAddress:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        raise SelectionError(f"trace: {name} {text!r} is not an IP address (expected e.g. 172.16.10.10)") from None


def _trace_circuits(topology: Topology, name: str | None) -> list[ExpressRouteCircuit]:
    circuits = sorted(topology.circuits.values(), key=lambda c: c.name.lower())
    if name is None:
        return circuits
    found = [c for c in circuits if c.name.lower() == name.lower() or c.id.lower() == name.lower()]
    if not found:
        known = ", ".join(c.name for c in circuits) or "none"
        raise SelectionError(f"--circuit {name}: no ExpressRoute circuit has that name (circuits: {known})")
    return found


DIFF_FORMATS = ("text", "json", "markdown", "sarif")
DIFF_EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0  no winner moves (with --fail-on-change) and no new finding reaches --fail-on\n"
    "  1  a new finding at --fail-on or above; with --fail-on-change, also any winner that moves\n"
    "  2  usage error, unreadable or invalid input on either side"
)


@cli.command(
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
@click.argument("paths", nargs=-1, metavar="[BEFORE] AFTER")
@config_option
@click.option(
    "--base-ref", metavar="REF", help="BEFORE is AFTER's path as it was at git REF (read, never checked out)."
)
@click.option(
    "--fail",
    "failures",
    multiple=True,
    metavar="NAME",
    help="Also compare with this circuit, VNet, hub, gateway, connection or region out (repeatable; each alone).",
)
@click.option(
    "--format",
    "--output-format",
    "formats",
    type=click.Choice(DIFF_FORMATS),
    multiple=True,
    help="Report format (default text).",
)
@click.option(
    "--output", "-o", "outputs", metavar="FILE", multiple=True, help="Write the report to FILE (one per --format)."
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Exit 1 when a new finding at this level or above appears.",
)
@click.option("--fail-on-change", is_flag=True, help="Exit 1 when any winner moves, in any scenario.")
@click.option("--help-base-url", metavar="URL", help="Where the rule help pages are online (as for scan).")
@click.option(
    "--category",
    default="anycast-lint-diff",
    show_default=True,
    metavar="NAME",
    help="SARIF automationDetails.id (NAME/): keep it apart from the full scan's category in code scanning.",
)
@click.option(
    "--root",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Make SARIF paths relative to DIR (default: the enclosing git work tree).",
)
@click.option("--select", multiple=True, metavar="CODES", help="Run only these rules (codes or prefixes).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rules (codes or prefixes).")
@exclude_option
@template_options
@tf_root_option
@azure_options
@_reports_errors
def diff(
    paths: tuple[str, ...],
    config_path: str | None,
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
    excludes: tuple[str, ...],
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
    azure: bool,
    quiet: bool,
    **azure_kwargs: Any,
) -> None:
    """Compare BEFORE and AFTER (files or folders, as scan reads them): where each anycast VIP goes from each
    circuit and on-premises site, in the base case, with each member down and with each --fail, and the
    findings new in AFTER or fixed since BEFORE. One PATH with --base-ref REF: BEFORE is that path at REF.
    A Terraform plan alone: its prior state against its planned values. --azure: the live tenant as BEFORE."""
    from anycast_lint.diff.changes import Side, compare  # the diff command's own modules
    from anycast_lint.diff.sides import read_at_ref, read_plan_sides, read_side, root_of

    targets = report_targets(formats, outputs)
    links = help_links(help_base_url)
    if not select_rules(all_rules(), select, ignore):
        raise SelectionError("--select/--ignore leave no rule to run (see `anycast-lint rules`)")
    live = _live_options(azure, subscriptions, azure_kwargs)
    options = _load_options(parameters, subscriptions, resource_group, location, tf_root)
    cwd = Path.cwd()
    lookup = _lookup(config_path, cwd)
    with contextlib.ExitStack() as stack:
        plan = _diff_plan(paths, base_ref, live)
        if live is not None:
            earlier, _ = _read((), lookup, options, excludes, live, quiet)
            before, after = Side(earlier, "azure"), read_side(paths[0], lookup, options, excludes)
        elif plan is not None:
            before, after = read_plan_sides(paths[0], plan, lookup, options, stack)
        elif base_ref is not None:
            known = [r.code for r in all_rules()]
            before = read_at_ref(paths[0], base_ref, config_path, known, options, excludes, stack)
            after = read_side(paths[0], lookup, options, excludes)
        else:
            before, after = (read_side(p, lookup, options, excludes) for p in paths)
        roots = ([root_of(paths[0], cwd)], [root_of(paths[-1], cwd)])
        result = compare(before, after, roots, failures, select, ignore)
        result.root, result.links = Path(root) if root else repository_root(cwd), links
        result.category = category
        for side_name, error in result.errors:
            _echo(f"anycast-lint: error: {side_name}: {_shown_error(result.side(side_name), error)}", err=True)
        for format_name, output in targets:
            _write_diff(format_name, output, result, quiet)
    if result.errors:
        sys.exit(EXIT_ERROR)
    moved = fail_on_change and bool(result.changes)
    sys.exit(EXIT_FINDINGS if moved or result.reaches(fail_on) else EXIT_CLEAN)


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
            _echo(
                f"anycast-lint: wrote {format_name} diff to {output} ({len(result.changes)} changes, "
                f"{len(result.new)} new findings, {len(result.fixed)} fixed)",
                err=True,
            )
    else:
        _echo(text, nl=False)


@cli.command(
    short_help="Write what --azure reads as ARM JSON (secrets stripped).",
    epilog=epilog(
        "anycast-lint export -o snapshot.json                     # --azure is implied: Azure is its only source",
        "anycast-lint export --azure --subscription ID --allow-partial -o snapshot.json",
        exit_codes="\b\nExit codes:\n  0  the snapshot is written, whole\n  2  usage error, or part of Azure "
        "could not be read (with --allow-partial the partial snapshot is still written)",
    ),
)
@click.option("--output", "-o", metavar="FILE", required=True, help="Write the snapshot to FILE.")
@click.option(
    "--subscription",
    "subscriptions",
    multiple=True,
    metavar="ID",
    help="Read this subscription (repeatable; default: every subscription the credential can list).",
)
@azure_options
@_reports_errors
def export(output: str, subscriptions: tuple[str, ...], azure: bool, quiet: bool, **azure_kwargs: Any) -> None:
    """Write what --azure reads as ARM JSON ({"value": [...]}, secrets stripped), for audits and
    offline CI: `anycast-lint scan FILE` reads it back into the same topology."""
    live = _live_options(True, subscriptions, azure_kwargs)  # Azure is export's only source: --azure is implied
    assert live is not None
    from anycast_lint.inputs.live.session import read_azure
    from anycast_lint.inputs.live.snapshot import snapshot_text

    read = read_azure(live, quiet=quiet)
    Path(output).write_text(snapshot_text(read.read), encoding="utf-8")
    for line in read.stderr_lines(quiet):
        _echo(line, err=True)
    _echo(f"anycast-lint: wrote {len(read.read.resources)} resources from {read.scope} to {output}", err=True)
    if read.incomplete:
        sys.exit(EXIT_ERROR)  # a partial snapshot is written (--allow-partial), but it is not a whole export


@cli.command(
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
@click.option(
    "--format",
    "--output-format",
    "format_name",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Output format; json lists code, name, level, summary, resource types and helpUri (one rule: its page).",
)
@_reports_errors
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


_KEPT_UNTIL_EXIT: list[object] = []
_exit_without_teardown = False  # set by main(); CliRunner tests and library callers free as usual


def _kept(value: K) -> K:
    """Keep a command's large objects (the topology, its routing) alive until `main` ends the process,
    so that no frame frees them on its way out: see main()."""
    if _exit_without_teardown:
        _KEPT_UNTIL_EXIT.append(value)
    return value


def main() -> None:
    """The console entry point. It ends the process with `os._exit` once the output is flushed: a scan of a
    large export holds millions of objects, and freeing them one by one at exit cost a tenth of the scan's
    time (0.19 s of 1.8 s at 10,000 VNets) for nothing. mypy ends its runs the same way. Nothing here
    registers atexit work, and every file the CLI writes is closed before its command returns."""
    global _exit_without_teardown
    _exit_without_teardown = True
    # No cyclic collection either, for the same reason (see collector_paused): re-enabling it when the
    # command returns made the next allocation scan every object the scan had made (0.23 s at 10,000 VNets).
    gc.disable()
    try:
        cli(prog_name="anycast-lint")
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    _exit_now(code)


def _exit_now(code: object) -> NoReturn:
    """`sys.exit(code)` semantics (None is 0, a message is printed and exits 1), without the teardown."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    except OSError:
        pass
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)

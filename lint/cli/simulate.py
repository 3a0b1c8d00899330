"""`anycast-lint simulate`: circuit route tables and VIP winners, with failures."""

from __future__ import annotations

import sys

import click

from anycast_lint.cli.designs import fail_option, read_every_design, routing_after
from anycast_lint.cli.input_options import InputOptions, input_options
from anycast_lint.cli.output import EXIT_CLEAN, EXIT_FINDINGS, echo, reports_errors, write_text
from anycast_lint.cli.report_options import format_option
from anycast_lint.cli.style import LintCommand, epilog
from anycast_lint.report.simulation import Simulation, unreachable
from anycast_lint.report.simulation import render_json as render_simulation_json
from anycast_lint.report.simulation import render_text as render_simulation_text

SIMULATE_EXIT_CODES = (
    "\b\nExit codes:\n"
    "  0  every service's VIP has a route at every circuit that is up\n"
    "  1  a VIP has no route at some circuit, in the simulated state (--fail included)\n"
    "  2  usage error, unreadable or invalid input"
)


@click.command(
    cls=LintCommand,
    short_help="Predict circuit route tables and VIP winners (with --fail).",
    epilog=epilog(
        "anycast-lint simulate network/",
        "anycast-lint simulate network/ --fail dns-01 --fail region:westeurope",
        "anycast-lint simulate network/ --each-member --format json -o simulation.json",
        exit_codes=SIMULATE_EXIT_CODES,
    ),
)
@input_options(
    fail_option(
        "Take a circuit, VNet, virtual hub, gateway, connection or region out (repeatable; region:NAME forces a "
        "region)."
    ),
    click.option("--each-member", is_flag=True, help="Also show where each service goes when each member fails."),
    click.option(
        "--from",
        "vantage",
        type=click.Choice(("edge", "onprem")),
        default="edge",
        show_default=True,
        help="edge: the ExpressRoute route tables; onprem: where each on-premises site sends each VIP, and why.",
    ),
    format_option(("text", "json"), "Output format."),
    click.option("--output", "-o", metavar="FILE", help="Write the simulation to FILE instead of standard output."),
)
@reports_errors
def simulate(
    inputs: InputOptions,
    failures: tuple[str, ...],
    each_member: bool,
    vantage: str,
    format_name: str,
    output: str | None,
) -> None:
    """Predict what each ExpressRoute circuit learns and chooses, in the columns of `az network express-route
    list-route-tables`, and where each anycast service's VIP goes; with --fail, after those failures."""
    designs = read_every_design(inputs).designs
    printed: list[str] = []
    gaps: list[str] = []
    for design in designs:
        topology = design.load.topology
        base, view = routing_after(topology, design.config, failures)
        simulation = Simulation(topology, base, view, each_member)
        if len(designs) > 1 and format_name == "text":
            printed.append(f"Design {design.name}:\n\n")
        if vantage == "onprem":
            from anycast_lint.report.onprem_view import render_onprem_json, render_onprem_text  # simulate only

            render_view = render_onprem_json if format_name == "json" else render_onprem_text
            printed.append(render_view(simulation, design.config))
        else:
            printed.append(
                render_simulation_json(simulation) if format_name == "json" else render_simulation_text(simulation)
            )
        prefix = f"design {design.name}: " if len(designs) > 1 else ""
        gaps += [prefix + gap for gap in unreachable(simulation)]
    write_text("".join(printed), output)
    for gap in gaps:
        echo(f"anycast-lint: {gap}", err=True)
    sys.exit(EXIT_FINDINGS if gaps else EXIT_CLEAN)

"""`anycast-lint trace`: one flow, hop by hop, from on-premises to the VIP and back."""

from __future__ import annotations

import ipaddress
import sys
from typing import Any

import click

from anycast_lint.cli.designs import read_every_design, routing_after
from anycast_lint.cli.input_options import (
    azure_options,
    config_option,
    exclude_option,
    live_options,
    load_options,
    template_options,
    tf_root_option,
)
from anycast_lint.cli.output import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    reports_errors,
    write_text,
)
from anycast_lint.cli.style import LintCommand, epilog
from anycast_lint.engine.run import SelectionError, run
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, Topology
from anycast_lint.report import TRACE_FORMATS


@click.command(
    cls=LintCommand,
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
@reports_errors
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
    live = live_options(azure, subscriptions, azure_kwargs)
    options = load_options(parameters, subscriptions, resource_group, location, tf_root)
    inputs = read_every_design(paths, config_path, options, excludes, live, quiet)
    from anycast_lint.report.trace import render as render_trace  # the trace command's own modules
    from anycast_lint.trace import trace_flow

    traces = []
    for design in inputs.designs:
        topology = design.load.topology
        base, view = routing_after(topology, design.config, failures)
        services = base.services
        findings = run(topology, design.config, design=design.name).findings
        for circuit in _trace_circuits(topology, circuit_name):
            traces.append(trace_flow(topology, design.config, view, services, src, dst, circuit, findings, base))
    if not traces:
        raise SelectionError("trace: no ExpressRoute circuit in the input")
    write_text(render_trace(format_name, traces), output)
    sys.exit(EXIT_CLEAN if all(t.complete for t in traces) else EXIT_FINDINGS)


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

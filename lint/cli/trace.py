"""`anycast-lint trace`: one flow, hop by hop, from on-premises to the VIP and back."""

from __future__ import annotations

import ipaddress
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from anycast_lint.cli.designs import fail_option, read_every_design, routing_after
from anycast_lint.cli.input_options import InputOptions, input_options
from anycast_lint.cli.output import EXIT_CLEAN, EXIT_FINDINGS, reports_errors, write_text
from anycast_lint.cli.report_options import format_option
from anycast_lint.cli.style import LintCommand, epilog
from anycast_lint.engine.run import SelectionError, run
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, Topology
from anycast_lint.report.formats import format_names, renderer_module

if TYPE_CHECKING:
    from anycast_lint.trace import Trace


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
@input_options(
    fail_option(
        "Trace with a circuit, VNet, virtual hub, gateway, connection or region out (repeatable; region:NAME "
        "forces a region)."
    ),
    click.option(
        "--circuit", "circuit_name", metavar="NAME", help="Trace through this circuit (default: each circuit)."
    ),
    format_option(
        format_names("trace"),
        "Output format; markdown draws the flow as a Mermaid sequence diagram, then the hops in a table.",
    ),
    click.option(
        "--output", "-o", metavar="FILE", help="Write the trace to FILE instead of standard output (- = stdout)."
    ),
)
@reports_errors
def trace(
    inputs: InputOptions,
    source: str,
    destination: str,
    failures: tuple[str, ...],
    circuit_name: str | None,
    format_name: str,
    output: str | None,
) -> None:
    """Follow one flow from SRC (an on-premises address) to DST (the VIP, or any address) and back, hop by
    hop: the route the circuit chooses and why, gateway, hub, static route, forwarder, peering, NSG,
    endpoint, and the reply's UDR or learned route. Exit 1 when the flow does not complete both ways."""
    src, dst = _address("SRC", source), _address("DST", destination)
    designs = read_every_design(inputs).designs
    from anycast_lint.trace import trace_flow  # the trace command's own modules

    traces = []
    for design in designs:
        topology = design.load.topology
        base, view = routing_after(topology, design.config, failures)
        services = base.services
        findings = run(topology, design.config, design=design.name).findings
        for circuit in _trace_circuits(topology, circuit_name):
            traces.append(trace_flow(topology, design.config, view, services, src, dst, circuit, findings, base))
    if not traces:
        raise SelectionError("trace: no ExpressRoute circuit in the input")
    render: Callable[[str, list[Trace]], str] = renderer_module("trace", format_name).render
    write_text(render(format_name, traces), output)
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

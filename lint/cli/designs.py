"""Reading the designs a command works on, from files or from Azure, and each design's routing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from anycast_lint.analysis.services import find_services
from anycast_lint.cli.input_options import InputOptions
from anycast_lint.cli.lifetime import kept
from anycast_lint.cli.output import echo
from anycast_lint.cli.style import Option
from anycast_lint.engine.run import SelectionError
from anycast_lint.errors import InputErrors
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.config_lookup import ConfigLookup
from anycast_lint.inputs.live.options import LiveOptions
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.workspace import Inputs, read_inputs, read_live_inputs
from anycast_lint.model.topology import Topology
from anycast_lint.routing import Routing
from anycast_lint.routing.failures import UnknownFailure
from anycast_lint.routing.failures import resolve as resolve_failure

if TYPE_CHECKING:
    from anycast_lint.inputs.live.session import LiveInput


def read_designs(
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
        return kept(read_inputs(list(paths) or ["."], lookup, options, excludes)), None  # ruff's default: .
    from anycast_lint.inputs.live.session import read_azure  # the Azure SDK: only for a live read

    read = read_azure(live, snapshot, quiet=quiet)
    for line in read.stderr_lines(quiet):
        echo(line, err=True)
    return kept(read_live_inputs(read.documents, read.scope, list(paths), lookup, options, excludes)), read


def read_every_design(inputs: InputOptions) -> Inputs:
    """simulate and trace need every input: any input error stops them (scan reports what it could read)."""
    live, options = inputs.live(), inputs.load()
    read, _ = read_designs(inputs.paths, inputs.lookup(Path.cwd()), options, inputs.excludes, live, inputs.quiet)
    if read.errors:
        raise InputErrors(read.errors)
    return read


def fail_option(description: str) -> Option:
    """--fail NAME (repeatable): what simulate, trace and diff take out of the design (see routing_after)."""
    return click.option("--fail", "failures", multiple=True, metavar="NAME", help=description)


def routing_after(topology: Topology, config: Config, failures: tuple[str, ...]) -> tuple[Routing, Routing]:
    """The design's routing as built, and as it is after the --fail names (the same view when none)."""
    base = Routing(topology, find_services(topology, config))
    try:
        failure = resolve_failure(topology, failures)
    except UnknownFailure as exc:
        raise SelectionError(str(exc)) from None
    return base, (base.fail(failure) if failure else base)

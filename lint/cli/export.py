"""`anycast-lint export`: what --azure reads, as ARM JSON with the secrets stripped."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import click

from anycast_lint.cli.gathered import gathered, take_fields
from anycast_lint.cli.input_options import AzureOptions, azure_options
from anycast_lint.cli.output import EXIT_ERROR, echo, reports_errors
from anycast_lint.cli.style import LintCommand, epilog


@click.command(
    cls=LintCommand,
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
@gathered("azure", partial(take_fields, AzureOptions))
@reports_errors
def export(output: str, subscriptions: tuple[str, ...], quiet: bool, azure: AzureOptions) -> None:
    """Write what --azure reads as ARM JSON ({"value": [...]}, secrets stripped), for audits and
    offline CI: `anycast-lint scan FILE` reads it back into the same topology."""
    live = azure.live(subscriptions, implied=True)  # Azure is export's only source: --azure is implied
    assert live is not None
    from anycast_lint.inputs.live.session import read_azure
    from anycast_lint.inputs.live.snapshot import snapshot_text

    read = read_azure(live, quiet=quiet)
    Path(output).write_text(snapshot_text(read.read), encoding="utf-8")
    for line in read.stderr_lines(quiet):
        echo(line, err=True)
    echo(f"anycast-lint: wrote {len(read.read.resources)} resources from {read.scope} to {output}", err=True)
    if read.incomplete:
        sys.exit(EXIT_ERROR)  # a partial snapshot is written (--allow-partial), but it is not a whole export

"""The options that say what a command reads, shared by scan, simulate, trace and diff: the paths, the
config, excluded paths, how ARM templates are evaluated, the Terraform root, and a live read from Azure.
`input_options` declares them around a command's own options and hands them over as one InputOptions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import click

from anycast_lint.cli.gathered import gathered, take_fields
from anycast_lint.cli.output import F
from anycast_lint.cli.style import Option
from anycast_lint.engine.run import SelectionError
from anycast_lint.inputs.config_lookup import ConfigLookup
from anycast_lint.inputs.live.options import CLOUDS, LiveOptions
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.rules.registry import all_rules

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
    """The options of a live read from Azure, for export (input_options adds them to the reading commands)."""
    for option in reversed(_AZURE_OPTIONS):
        command = option(command)
    return command


@dataclass(frozen=True)
class AzureOptions:
    """--azure and the options of a live read, as given: `live` checks them against each other."""

    azure: bool
    tenant: str | None
    cloud: str
    arm_endpoint: str | None
    authority_host: str | None
    observed_routes: str | None
    management_group: str | None
    timeout: float | None
    api_versions: tuple[str, ...]
    allow_partial: bool
    no_resource_graph: bool

    def live(self, subscriptions: tuple[str, ...], implied: bool = False) -> LiveOptions | None:
        """What the live read is asked for; None without --azure (`implied`: export, whose only source is
        Azure). A live-read option without --azure, or two that contradict each other, is an error."""
        azure = self.azure or implied
        options = LiveOptions(
            subscriptions=subscriptions if azure else (),
            tenant=self.tenant,
            cloud=self.cloud,
            arm_endpoint=self.arm_endpoint,
            authority_host=self.authority_host,
            observed_routes=self.observed_routes or "off",
            allow_partial=self.allow_partial,
            use_graph=not self.no_resource_graph,
            management_group=self.management_group,
            timeout=self.timeout,
            api_versions=tuple(self.api_versions),
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


@dataclass(frozen=True)
class InputOptions:
    """What a command reads, as the shared options gave it. Nothing is checked or read when it is made: the
    command asks for `live()`, `load()` and `lookup()` after checking its own options, whose errors come first."""

    paths: tuple[str, ...]
    config_path: str | None
    excludes: tuple[str, ...]
    parameters: tuple[str, ...]
    subscriptions: tuple[str, ...]
    resource_group: str | None
    location: str | None
    tf_root: str | None
    quiet: bool
    azure: AzureOptions

    @classmethod
    def taken_from(cls, given: dict[str, Any]) -> InputOptions:
        """The shared options, taken out of the keyword arguments click passes to a command."""
        azure = take_fields(AzureOptions, given)
        names = [field.name for field in fields(cls) if field.name != "azure"]
        return cls(**{name: given.pop(name) for name in names}, azure=azure)

    def live(self) -> LiveOptions | None:
        """The live read asked for with --azure (checked), or None."""
        return self.azure.live(self.subscriptions)

    def load(self) -> LoadOptions:
        """How templates and plans are read (the --parameters files are read here); a single --subscription
        is also the templates' placeholder scope."""
        template_scope = self.subscriptions[0] if len(self.subscriptions) == 1 else None
        return LoadOptions.of(self.parameters, template_scope, self.resource_group, self.location, self.tf_root)

    def lookup(self, cwd: Path) -> ConfigLookup:
        """Each design's config: --config, else the nearest anycast-lint.yaml (rule codes checked)."""
        return ConfigLookup(self.config_path, cwd, known_rules=[r.code for r in all_rules()])


def input_options(
    *own: Option,
    paths: str = "[PATH]...",
    after_exclude: tuple[Option, ...] = (),
    after_tf_root: tuple[Option, ...] = (),
    after_azure: tuple[Option, ...] = (),
) -> Callable[[F], F]:
    """Declare the PATH arguments (shown as `paths`) and the shared input options around the command's `own`
    (listed after --config), and hand them to the command as `inputs`, one InputOptions. An argument the
    command declares above this one comes before PATH. The `after_` places keep each command's --help in the
    order its users know."""
    layout = (
        click.argument("paths", nargs=-1, metavar=paths),
        config_option,
        *own,
        exclude_option,
        *after_exclude,
        *_TEMPLATE_OPTIONS,
        tf_root_option,
        *after_tf_root,
        *_AZURE_OPTIONS,
        *after_azure,
    )

    def decorate(command: F) -> F:
        decorated = gathered("inputs", InputOptions.taken_from)(command)
        for option in reversed(layout):
            decorated = option(decorated)
        return decorated

    return decorate

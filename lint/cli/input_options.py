"""The options that say what a command reads: the config, excluded paths, how ARM templates are evaluated,
the Terraform root, and a live read from Azure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from anycast_lint.cli.output import (
    F,
)
from anycast_lint.engine.run import SelectionError
from anycast_lint.inputs.live.options import CLOUDS, LiveOptions
from anycast_lint.inputs.load_options import LoadOptions

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


def live_options(azure: bool, subscriptions: tuple[str, ...], kwargs: dict[str, Any]) -> LiveOptions | None:
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


def load_options(
    parameters: tuple[str, ...],
    subscriptions: tuple[str, ...],
    resource_group: str | None,
    location: str | None,
    tf_root: str | None,
) -> LoadOptions:
    """How templates and plans are read; a single --subscription is also the templates' placeholder scope."""
    template_scope = subscriptions[0] if len(subscriptions) == 1 else None
    return LoadOptions.of(parameters, template_scope, resource_group, location, tf_root)

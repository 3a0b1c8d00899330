"""Input formats. Each format says whether it claims a parsed file and translates the files it claims.

A format also carries its quirks, so that the loader and the folder walk name no format: the suffixes a
walk reads for it, the sources it never reads (Bicep), the files it passes over unparsed (text that is not
a capture), the files it recognises but declines (an ARM parameters file, a topology with a slip), the
pre-read of a streamed export's items, and whether its files say themselves what they hold when nothing
in them can be checked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.export_stream import Prepare
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.sources import native
from anycast_lint.sources.arm import resources as arm
from anycast_lint.sources.arm import template as arm_template
from anycast_lint.sources.captures import route_tables
from anycast_lint.sources.terraform import plan_format as terraform

DATA_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True)
class Declined:
    """A file a format recognises but does not read: why (said when the file was named), and the reason
    listed when a folder walk found it; no `skip` makes it an error in a folder too."""

    message: str
    skip: str | None = None


@dataclass(frozen=True)
class InputFormat:
    name: str
    description: str
    claims: Callable[[Any], bool]
    load: Callable[[list[ParsedFile], TopologyBuilder, LoadOptions], None]
    # every error of one file found without building anything (e.g. schema violations), run on all files first
    check: Callable[[ParsedFile], list[InputError]] = lambda parsed: []
    suffixes: tuple[str, ...] = DATA_SUFFIXES  # the files a folder walk reads for this format
    unread: tuple[str, ...] = ()  # sources of this format that are never read, but found to say so
    unread_reason: str = ""
    # a file a folder walk found that is skipped before it is parsed: the reason, or None to read it
    passes_over: Callable[[Path], str | None] = lambda path: None
    declines: Callable[[Any], Declined | None] = lambda data: None
    # each item of a large export, as it is streamed from the file (see export_stream)
    preread: Prepare | None = None
    # when nothing in its files can be checked, each file says what it held (the builder's notices)
    says_what_it_holds: bool = False


def _topology_slip(data: Any) -> Declined | None:
    slip = native.near_miss(data)
    return None if slip is None else Declined(slip)


def _parameters_file(data: Any) -> Declined | None:
    if arm_template.is_parameters_file(data):
        return Declined("this is an ARM parameters file; pass it with --parameters", "ARM parameters file")
    return None


FORMATS: tuple[InputFormat, ...] = (
    InputFormat(
        "native",
        "anycast-lint topology (apiVersion: anycast-lint/v1)",
        native.claims,
        native.load,
        native.check,
        declines=_topology_slip,
    ),
    InputFormat(
        "route-tables",
        "ExpressRoute route tables (az network express-route list-route-tables)",
        route_tables.claims,
        route_tables.load,
        suffixes=(*DATA_SUFFIXES, route_tables.TEXT_SUFFIX),
        passes_over=route_tables.passes_over,
    ),
    InputFormat(
        "terraform-plan",
        "Terraform plan (terraform show -json)",
        terraform.claims,
        terraform.load,
        says_what_it_holds=True,
    ),
    InputFormat(
        "arm-template",
        "ARM template (JSON, Bicep-compiled)",
        arm_template.claims,
        arm_template.load,
        unread=arm_template.BICEP_SOURCES,
        unread_reason=arm_template.BICEP_NOT_READ,
        declines=_parameters_file,
    ),
    InputFormat(
        "arm",
        "Azure resource JSON (REST, az CLI, Resource Graph)",
        arm.claims,
        arm.load,
        preread=arm.preread_export_item,
    ),
)

# The suffixes a folder walk reads, then those it finds only to say they are not read (in table order).
READ_SUFFIXES = tuple(dict.fromkeys(suffix for f in FORMATS for suffix in f.suffixes))
UNREAD_SUFFIXES = tuple(dict.fromkeys(suffix for f in FORMATS for suffix in f.unread))
_PREREADS = [f.preread for f in FORMATS if f.preread is not None]
assert len(_PREREADS) <= 1, "a streamed export is one format's: at most one format pre-reads its items"
EXPORT_PREREAD: Prepare | None = _PREREADS[0] if _PREREADS else None


def detect(data: Any) -> InputFormat | None:
    for input_format in FORMATS:
        if input_format.claims(data):
            return input_format
    return None


def unread_reason(path: Path) -> str | None:
    """Why a file is never read, when it is a source of a format that must be compiled first."""
    suffix = path.suffix.lower()
    return next((f.unread_reason for f in FORMATS if suffix in f.unread), None)


def passed_over(path: Path) -> str | None:
    """Why a file a folder walk found is skipped unparsed (a `.txt` that is not a capture), or None."""
    return next((reason for f in FORMATS if (reason := f.passes_over(path)) is not None), None)


def declined(data: Any) -> Declined | None:
    """The first format that recognises a file no format claims and says why it does not read it."""
    return next((said for f in FORMATS if (said := f.declines(data)) is not None), None)

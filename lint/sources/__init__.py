"""Input formats. Each format says whether it claims a parsed file and translates the files it claims."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.sources import native
from anycast_lint.sources.arm import resources as arm
from anycast_lint.sources.arm import template as arm_template
from anycast_lint.sources.captures import route_tables
from anycast_lint.sources.terraform import plan_format as terraform


@dataclass(frozen=True)
class InputFormat:
    name: str
    description: str
    claims: Callable[[Any], bool]
    load: Callable[[list[ParsedFile], TopologyBuilder, LoadOptions], None]
    # every error of one file found without building anything (e.g. schema violations), run on all files first
    check: Callable[[ParsedFile], list[InputError]] = lambda parsed: []


FORMATS: tuple[InputFormat, ...] = (
    InputFormat(
        "native", "anycast-lint topology (apiVersion: anycast-lint/v1)", native.claims, native.load, native.check
    ),
    InputFormat(
        "route-tables",
        "ExpressRoute route tables (az network express-route list-route-tables)",
        route_tables.claims,
        route_tables.load,
    ),
    InputFormat("terraform-plan", "Terraform plan (terraform show -json)", terraform.claims, terraform.load),
    InputFormat("arm-template", "ARM template (JSON, Bicep-compiled)", arm_template.claims, arm_template.load),
    InputFormat("arm", "Azure resource JSON (REST, az CLI, Resource Graph)", arm.claims, arm.load),
)


def detect(data: Any) -> InputFormat | None:
    for input_format in FORMATS:
        if input_format.claims(data):
            return input_format
    return None

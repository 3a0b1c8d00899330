"""The Terraform plan input format: read a plan, find the `.tf` sources, translate azurerm resources."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.coverage import declared_kinds
from anycast_lint.model.positions import Origin
from anycast_lint.sources.terraform.azurerm import AzurermTranslator
from anycast_lint.sources.terraform.locations import SourceFinder
from anycast_lint.sources.terraform.plan import PLAN, claims, read_plan

__all__ = ["claims", "load"]


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    """Every plan's first error, all at once; each message says the file is a Terraform plan."""
    errors: list[InputError] = []
    before = builder.present_kinds()
    for parsed in files:
        builder.add_document(parsed.document)
        try:
            _load_one(parsed, builder, options or LoadOptions())
        except InputError as exc:
            if not exc.message.startswith(PLAN):
                exc.message = f"{PLAN}: {exc.message}"
            errors.append(exc)
    if errors:
        raise InputErrors(errors)
    builder.cover(declared_kinds(builder.present_kinds() - before))  # a plan covers what it plans


def _load_one(parsed: ParsedFile, builder: TopologyBuilder, options: LoadOptions) -> None:
    plan = read_plan(parsed)
    display = parsed.document.path
    root_display = options.tf_root or str(Path(display).parent)
    finder = SourceFinder(Path(root_display), root_display)
    finder.attach(plan)
    for document in finder.documents:
        builder.add_document(document)
    translator = AzurermTranslator(plan, builder)
    translator.translate()
    if translator.read == 0:
        kinds = Counter(i.type for i in plan.instances if i.mode == "managed")
        listing = ", ".join(f"{count} x {kind}" for kind, count in sorted(kinds.items())) or "no resources"
        builder.notices.append(
            (Origin.of(parsed.document), f"{PLAN}: no Azure network resources found (it plans {listing})")
        )

"""One run over the paths given: find the files, group them into designs, read each design on its own.

Every input problem of the run is collected (each unreadable or invalid file, each invalid config), so
that one run reports all of them; the designs that did load are still checked, and the reports say
the scan is incomplete.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.config_lookup import ConfigLookup
from anycast_lint.inputs.designs import plan_designs
from anycast_lint.inputs.discovery import Exclusions, discover
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.loader import NOTHING_SCANNED, LoadResult, load_design
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import Resource, UnknownValue


@dataclass
class Design:
    """A design that loaded: what was read, and the config it is checked with."""

    load: LoadResult
    config: Config

    @property
    def name(self) -> str:
        return self.load.design


@dataclass
class Inputs:
    """What a run read, design by design, and what it could not read."""

    designs: list[Design] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def live(self) -> str | None:
        """What was read live from Azure, if anything ("3 Azure subscriptions")."""
        return next((d.load.live for d in self.designs if d.load.live), None)

    @property
    def files(self) -> list[str]:
        return [file for design in self.designs for file in design.load.files]

    @property
    def ignored(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for design in self.designs:
            total.update(design.load.ignored)
        return total

    @property
    def repeats(self) -> list[str]:
        return [repeat for design in self.designs for repeat in design.load.repeats]

    @property
    def notices(self) -> list[tuple[Origin, str]]:
        return [notice for design in self.designs for notice in design.load.notices]

    def counts(self) -> dict[str, int]:
        total: Counter[str] = Counter()
        for design in self.designs:
            total.update(design.load.topology.counts())
        return dict(total)

    def unknowns(self) -> Iterator[tuple[Resource, UnknownValue]]:
        for design in self.designs:
            yield from design.load.topology.all_unknowns()


def read_inputs(
    paths: list[str],
    lookup: ConfigLookup,
    options: LoadOptions,
    excludes: tuple[str, ...] = (),
) -> Inputs:
    """Every design under `paths`, each read on its own, with every error met on the way."""
    inputs = Inputs()

    def config_excludes(folder: Path) -> tuple[Path, tuple[str, ...]] | None:
        try:
            config = lookup.for_folder(folder)
        except InputErrors:
            return None  # reported when the design's config is read
        return (config.base, config.exclude) if config.base is not None and config.exclude else None

    found = discover(paths, Exclusions(excludes, lookup.cwd, config_excludes))
    inputs.errors += found.errors
    inputs.excluded = found.excluded
    plans, plan_errors = plan_designs(found.candidates, lookup)
    inputs.errors += plan_errors
    for plan in plans:
        loaded, errors = load_design(plan.name, plan.candidates, options)
        inputs.errors += errors
        if loaded is None:
            continue
        inputs.skipped += loaded.skipped
        if loaded.files:
            inputs.designs.append(Design(configured(loaded, plan.config), plan.config))
    if not inputs.designs and not inputs.errors:
        shown = "; ".join(f"{file} ({reason})" for file, reason in inputs.skipped[:3])
        more = f" and {len(inputs.skipped) - 3} more" if len(inputs.skipped) > 3 else ""
        message = NOTHING_SCANNED + (f"; skipped {shown}{more}" if shown else "")
        inputs.errors.append(InputError(paths[0] if paths else "<command line>", message))
    return inputs


def configured(loaded: LoadResult, config: Config) -> LoadResult:
    """The design with the config's `coverage:` applied over what its inputs said they cover."""
    topology = loaded.topology
    if config.coverage is not None:
        coverage = topology.coverage.overridden(config.coverage, topology.counts())
        loaded.topology = replace(topology, coverage=coverage)
    return loaded


LIVE_DESIGN = "azure"


def read_live_inputs(
    live: list[ParsedFile],
    scope: str,
    paths: list[str],
    lookup: ConfigLookup,
    options: LoadOptions,
    excludes: tuple[str, ...] = (),
) -> Inputs:
    """A live read, with the files given beside it, as one design: a tenant and the captures of its
    circuits (or its planned changes) describe the same network. The config is the working directory's."""
    inputs = Inputs()
    candidates = []
    if paths:
        found = discover(paths, Exclusions(excludes, lookup.cwd, lambda folder: None))
        inputs.errors += found.errors
        inputs.excluded = found.excluded
        candidates = found.candidates
    try:
        config = lookup.for_folder(lookup.cwd)
    except InputErrors as exc:
        inputs.errors += exc.errors
        return inputs
    loaded, errors = load_design(LIVE_DESIGN, candidates, options, live)
    inputs.errors += errors
    if loaded is not None:
        loaded.live = scope
        inputs.skipped += loaded.skipped
        inputs.designs.append(Design(configured(loaded, config), config))
    return inputs

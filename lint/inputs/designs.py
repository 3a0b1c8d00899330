"""The unit of analysis: a design.

A repository holds several independent designs (environments, regions, examples). Each folder that
holds topology files directly is one design, unless the config that applies to it groups paths into
named designs (`designs: {prod: [infra/prod, exports/prod]}`, paths relative to the config file). A
design is loaded and checked on its own: services, circuits and names never merge across designs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.config import Config
from anycast_lint.inputs.config_lookup import ConfigLookup, display_path
from anycast_lint.inputs.discovery import Candidate


@dataclass
class DesignPlan:
    """A design's name, the config it is checked with, and its files in the order they were reached."""

    name: str
    config: Config
    candidates: list[Candidate] = field(default_factory=list)


def _declared_design(candidate: Candidate, config: Config) -> str | None:
    """The config's design that names this file or a folder above it. A file two designs name is an error:
    each design is read and checked on its own, so giving the file to either would check the other without
    it, silently."""
    if config.base is None:
        return None
    real = candidate.folder / candidate.path.name
    naming = [
        (name, index)
        for name, paths in config.designs.items()
        for index, entry in enumerate(paths)
        if real == (target := (config.base / entry).resolve()) or target in real.parents
    ]
    names = list(dict.fromkeys(name for name, _ in naming))
    if len(names) > 1:
        second, index = next((name, index) for name, index in naming if name == names[1])
        where = config.origin.child("designs", second, index) if config.origin else None
        message = (
            f"{candidate.display} is in designs '{names[0]}' and '{second}': a file belongs to one design (each "
            "design is read and checked on its own); name it in one of them"
        )
        raise InputError.at(where, message) if where else InputError(config.path or candidate.display, message)
    return names[0] if names else None


def plan_designs(candidates: list[Candidate], lookup: ConfigLookup) -> tuple[list[DesignPlan], list[InputError]]:
    """Group files into designs; a design whose config cannot be read is an error, not skipped."""
    plans: dict[tuple[str, str], DesignPlan] = {}
    errors: list[InputError] = []
    failed: set[str] = set()
    for candidate in candidates:
        try:
            config = lookup.for_folder(candidate.folder)
        except InputErrors as exc:
            config_file = str(lookup.file_for(candidate.folder))
            if config_file not in failed:
                failed.add(config_file)
                errors.extend(exc.errors)
            continue
        try:
            declared = _declared_design(candidate, config)
        except InputError as exc:
            errors.append(exc)
            continue
        key: tuple[str, str]
        if declared is not None:
            key = (config.path or "", declared)
            where = display_path(config.base, lookup.cwd) if config.base else "."
            name = declared if where == "." else f"{where}/{declared}"
        else:
            name = display_path(candidate.folder, lookup.cwd)
            key = ("", name)
        plans.setdefault(key, DesignPlan(name, config)).candidates.append(candidate)
    return list(plans.values()), errors

"""Read a design's files into one Topology.

Each file's format is told by its content. A file named explicitly must be readable and recognised;
inside a folder, files of other kinds (CI workflows, package manifests, the config file) are skipped
and listed, never silently counted as scanned.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.config import DEFAULT_CONFIG_NAME, looks_like_config
from anycast_lint.inputs.discovery import Candidate, Exclusions, discover
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile, parse_file, parse_text
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import Topology
from anycast_lint.sources import (
    EXPORT_PREREAD,
    FORMATS,
    Declined,
    InputFormat,
    declined,
    detect,
    passed_over,
    unread_reason,
)


@dataclass
class LoadResult:
    topology: Topology
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # resource types read but not modelled
    repeats: list[str] = field(default_factory=list)
    notices: list[tuple[Origin, str]] = field(default_factory=list)
    design: str = ""
    live: str | None = None  # what was read live from Azure ("3 Azure subscriptions"), for the summary

    @classmethod
    def nothing(cls, design: str, skipped: list[tuple[str, str]]) -> LoadResult:
        """A folder whose files are all skipped: not a design, but its skipped files are still listed."""
        return cls(TopologyBuilder().build(), [], skipped, design=design)


def _parse(candidate: Candidate) -> ParsedFile:
    """A file, or standard input for `-` (read once: a path reached twice is one candidate)."""
    if candidate.is_stdin:
        return parse_text(sys.stdin.read(), candidate.display)
    return parse_file(candidate.path, candidate.display, EXPORT_PREREAD)


def _not_recognised(parsed: ParsedFile, declined_by: Declined | None) -> str:
    if looks_like_config(parsed.data):
        return "this is an anycast-lint config file; pass it with --config"
    if declined_by is not None:
        return declined_by.message
    kinds = "; ".join(f.description for f in FORMATS)
    return f"not a recognised input (expected one of: {kinds})"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading allocates millions of acyclic objects; the cyclic collector would rescan them all
    on every generation-2 pass (2.4x slower on a 40 MB export), and so would the rules and the report
    (the CLI pauses it for the whole command). It resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_inputs(paths: list[str], options: LoadOptions | list[str] | None = None) -> LoadResult:
    """Every file under `paths` as one topology (no design split); raises InputErrors on any error.
    `options` may be just the --parameters files.

    The library entry point for callers that know their inputs form one design (tests, scripts)."""
    if not isinstance(options, LoadOptions):
        options = LoadOptions.of(options or [])
    found = discover(paths, Exclusions((), Path.cwd(), lambda folder: None))
    loaded, design_errors = load_design("", found.candidates, options) if found.candidates else (None, [])
    errors = found.errors + design_errors
    if errors:
        raise InputErrors(errors)
    if loaded is None:
        raise InputError(paths[0] if paths else "<command line>", NOTHING_SCANNED)
    return loaded


NOTHING_SCANNED = "no topology found in the given paths (nothing was scanned)"


def load_design(
    name: str, candidates: list[Candidate], options: LoadOptions, live: list[ParsedFile] | None = None
) -> tuple[LoadResult | None, list[InputError]]:
    """Read one design's files into its topology. Every unreadable or invalid file is an error (all of
    them, not the first); a design with errors is not checked. None when no file held a topology.

    `live`: documents read from Azure (ARM list responses, route tables), translated by the same sources."""
    with collector_paused():
        return _load_design(name, candidates, options, live or [])


def _load_design(
    name: str, candidates: list[Candidate], options: LoadOptions, live: list[ParsedFile]
) -> tuple[LoadResult | None, list[InputError]]:
    claimed: dict[str, tuple[InputFormat, list[ParsedFile]]] = {}
    files: list[str] = []
    skipped: list[tuple[str, str]] = []
    errors: list[InputError] = []
    for candidate in candidates:
        file_path, display, explicit = candidate.path, candidate.display, candidate.explicit
        if not explicit and file_path.name == DEFAULT_CONFIG_NAME:
            skipped.append((display, "config file"))
            continue
        unread = unread_reason(file_path)
        if unread is not None:
            if explicit:
                errors.append(InputError(display, unread))
            else:
                skipped.append((display, unread))
            continue
        passed = None if explicit else passed_over(file_path)
        if passed is not None:
            skipped.append((display, passed))
            continue
        try:
            parsed = _parse(candidate)
        except InputError as exc:
            errors.append(exc)
            continue
        input_format = detect(parsed.data)
        if input_format is None:
            declined_by = declined(parsed.data)
            if explicit:
                errors.append(InputError(display, _not_recognised(parsed, declined_by), 1, 1))
            elif declined_by is None:
                skipped.append((display, "not a topology or Azure export"))
            elif declined_by.skip is None:  # e.g. meant as a topology (its sections say so): never skipped quietly
                errors.append(InputError(display, declined_by.message, 1, 1))
            else:
                skipped.append((display, declined_by.skip))
            continue
        file_errors = input_format.check(parsed)
        if file_errors:
            errors += file_errors
            continue
        claimed.setdefault(input_format.name, (input_format, []))[1].append(parsed)
        files.append(display)
    for parsed in live:
        input_format = detect(parsed.data)
        assert input_format is not None, "live documents are read by the formats that claim them"
        errors += input_format.check(parsed)
        claimed.setdefault(input_format.name, (input_format, []))[1].append(parsed)
    if errors or not (files or live):
        return (None if errors else LoadResult.nothing(name, skipped)), errors
    builder = TopologyBuilder()
    for input_format, parsed_files in claimed.values():
        try:
            input_format.load(parsed_files, builder, options)
        except InputErrors as exc:
            errors.extend(exc.errors)
        except InputError as exc:
            errors.append(exc)
    if errors:
        return None, errors
    if live:
        builder.cover(None)  # a live read lists every kind the model reads, in every subscription read
    topology = builder.build()
    # AC001 says what a template left unread and why; AC306 that a capture has no design to be compared with
    said = any(read.unread or read.not_deployed for read in topology.template_reads) or topology.observed_route_tables
    if not said and not any(len(resources) for _, resources in topology.collections()):
        # nothing to check is never a clean result: an empty export, one of storage accounts, the wrong scope
        if all(f.says_what_it_holds for f, _ in claimed.values()):  # e.g. plans of other providers only
            return None, [InputError.at(origin, message) for origin, message in builder.notices]
        return None, [_nothing_to_check(files, builder, bool(live))]
    return LoadResult(topology, files, skipped, dict(builder.ignored), builder.repeats, builder.notices, name), []


def _nothing_to_check(files: list[str], builder: TopologyBuilder, live: bool) -> InputError:
    """One line: which input holds no network resource the model reads, and what it did hold."""
    named = ["standard input" if file == "-" else file for file in files]
    where = "the live read" if live and not files else named[0] if len(files) == 1 else f"{named[0]} and the rest"
    verb = "holds" if live or len(files) == 1 else "hold"
    held = ", ".join(f"{count} x {kind}" for kind, count in sorted(builder.ignored.items()))
    what = [f"{len(builder.unmodelled)} resource(s) that change routing (AC002)"] if builder.unmodelled else []
    held = "; ".join([*what, held] if held else what)
    detail = f"; it holds {held}" if held else "; it is empty"
    message = (
        f"nothing to check: {where} {verb} no virtual network, hub, gateway or circuit{detail}. "
        "A scan of the wrong subscription or an empty export is not a clean result"
    )
    return InputError(files[0] if files else "azure", message, 1 if files else None)

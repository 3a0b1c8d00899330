"""Turn the paths given on the command line into one Topology.

Folders are searched for *.json, *.yaml and *.yml; each file's format is told by its content. A file
named explicitly must be readable and recognised; inside a folder, files of other kinds (CI workflows,
package manifests, the config file) are skipped and listed, never silently counted as scanned.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.builder import TopologyBuilder
from anycast_lint.config import DEFAULT_CONFIG_NAME, looks_like_config
from anycast_lint.errors import InputError
from anycast_lint.model import Topology
from anycast_lint.options import LoadOptions
from anycast_lint.positions import Origin
from anycast_lint.reader import ParsedFile, looks_like_text_table, parse_file
from anycast_lint.sources import FORMATS, InputFormat, detect
from anycast_lint.sources.arm_template import is_parameters_file

EXTENSIONS = (".json", ".yaml", ".yml", ".txt")
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".terraform", ".tox", ".mypy_cache"}


@dataclass
class LoadResult:
    topology: Topology
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)  # resource types read but not modelled
    repeats: list[str] = field(default_factory=list)
    notices: list[tuple[Origin, str]] = field(default_factory=list)


def _files_in(folder: Path, display: str) -> list[tuple[Path, str]]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(EXTENSIONS):
                path = Path(root) / name
                found.append((path, str(Path(display) / path.relative_to(folder))))
    return found


def _is_capture(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return looks_like_text_table(handle.read(64 * 1024))
    except OSError:
        return True  # let parse_file report it


def _not_recognised(parsed: ParsedFile) -> str:
    if looks_like_config(parsed.data):
        return "this is an anycast-lint config file; pass it with --config"
    if is_parameters_file(parsed.data):
        return "this is an ARM parameters file; pass it with --parameters"
    kinds = "; ".join(f.description for f in FORMATS)
    return f"not a recognised input (expected one of: {kinds})"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates millions of acyclic objects; the cyclic collector would rescan them all
    on every generation-2 pass (2.4x slower on a 40 MB export). It resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_inputs(paths: list[str], options: LoadOptions | list[str] | None = None) -> LoadResult:
    """Read every input into one topology; `options` may be just the --parameters files."""
    if not isinstance(options, LoadOptions):
        options = LoadOptions.of(options or [])
    with _collector_paused():
        return _load_inputs(paths, options)


def _load_inputs(paths: list[str], options: LoadOptions) -> LoadResult:
    if not paths:
        raise InputError("<command line>", "no input given (expected files or folders to scan)")
    claimed: dict[str, tuple[InputFormat, list[ParsedFile]]] = {}
    result_files: list[str] = []
    skipped: list[tuple[str, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _files_in(path, given)
            if not candidates:
                raise InputError(given, f"folder holds no {', '.join('*' + e for e in EXTENSIONS)} files to scan")
            explicit = False
        else:
            candidates = [(path, given)]
            explicit = True
        for file_path, display in candidates:
            if not explicit and file_path.name == DEFAULT_CONFIG_NAME:
                skipped.append((display, "config file"))
                continue
            if not explicit and file_path.suffix.lower() == ".txt" and not _is_capture(file_path):
                skipped.append((display, "text file that is not a route table capture"))
                continue
            parsed = parse_file(file_path, display)
            input_format = detect(parsed.data)
            if input_format is None:
                if explicit:
                    raise InputError(display, _not_recognised(parsed), 1, 1)
                reason = "ARM parameters file" if is_parameters_file(parsed.data) else "not a topology or Azure export"
                skipped.append((display, reason))
                continue
            claimed.setdefault(input_format.name, (input_format, []))[1].append(parsed)
            result_files.append(display)
    if not result_files:
        raise InputError(paths[0], "no topology found in the given paths (nothing was scanned)")
    builder = TopologyBuilder()
    for input_format, files in claimed.values():
        input_format.load(files, builder, options)
    return LoadResult(builder.build(), result_files, skipped, dict(builder.ignored), builder.repeats, builder.notices)

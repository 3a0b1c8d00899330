"""Turn the paths given on the command line into one Topology.

Folders are searched for *.json, *.yaml and *.yml; each file's format is told by its content. A file
named explicitly must be readable and recognised; inside a folder, files of other kinds (CI workflows,
package manifests, the config file) are skipped and listed, never silently counted as scanned.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.builder import TopologyBuilder
from anycast_lint.config import DEFAULT_CONFIG_NAME, looks_like_config
from anycast_lint.errors import InputError
from anycast_lint.model import Topology
from anycast_lint.reader import ParsedFile, parse_file
from anycast_lint.sources import FORMATS, InputFormat, detect

EXTENSIONS = (".json", ".yaml", ".yml")
SKIPPED_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".terraform", ".tox", ".mypy_cache"}


@dataclass
class LoadResult:
    topology: Topology
    files: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _files_in(folder: Path, display: str) -> list[tuple[Path, str]]:
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.lower().endswith(EXTENSIONS):
                path = Path(root) / name
                found.append((path, str(Path(display) / path.relative_to(folder))))
    return found


def _not_recognised(parsed: ParsedFile) -> str:
    if looks_like_config(parsed.data):
        return "this is an anycast-lint config file; pass it with --config"
    kinds = "; ".join(f.description for f in FORMATS)
    return f"not a recognised input (expected one of: {kinds})"


def load_inputs(paths: list[str]) -> LoadResult:
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
                raise InputError(
                    given, f"folder holds no {', '.join('*' + e for e in EXTENSIONS)} files to scan"
                )
            explicit = False
        else:
            candidates = [(path, given)]
            explicit = True
        for file_path, display in candidates:
            if not explicit and file_path.name == DEFAULT_CONFIG_NAME:
                skipped.append((display, "config file"))
                continue
            parsed = parse_file(file_path, display)
            input_format = detect(parsed.data)
            if input_format is None:
                if explicit:
                    raise InputError(display, _not_recognised(parsed), 1, 1)
                skipped.append((display, "not a topology or Azure export"))
                continue
            claimed.setdefault(input_format.name, (input_format, []))[1].append(parsed)
            result_files.append(display)
    if not result_files:
        raise InputError(paths[0], "no topology found in the given paths (nothing was scanned)")
    builder = TopologyBuilder()
    for input_format, files in claimed.values():
        input_format.load(files, builder)
    return LoadResult(builder.build(), result_files, skipped)

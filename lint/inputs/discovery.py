"""Which files a scan reads: the paths given, folders walked, exclusions applied, each file once.

A file reached twice (named and inside a named folder, `./x` and `x`, through a symlink) is read once,
under the first name it was reached by. Folders skip `.git`, `.venv`, `node_modules`, `.terraform` and
other tool folders, the globs of `--exclude` (relative to the current directory) and those of the
config's `exclude:` (relative to the config file). A file named on the command line is always read, as
ruff does: exclusions are for what a folder walk finds.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from anycast_lint.errors import InputError
from anycast_lint.sources import READ_SUFFIXES, UNREAD_SUFFIXES

STDIN = "-"  # a path of `-` reads standard input, as ruff and most linters do
SKIPPED_DIRS = frozenset(
    {".git", ".venv", "venv", "node_modules", "__pycache__", ".terraform", ".tox", ".mypy_cache", ".ruff_cache"}
)


@dataclass(frozen=True)
class Candidate:
    """One file to read: where it is, how the user reached it, whether it was named explicitly."""

    path: Path
    display: str
    explicit: bool

    @property
    def is_stdin(self) -> bool:
        return self.explicit and self.display == STDIN

    @property
    def folder(self) -> Path:
        """The folder the file was reached in (a symlink counts where the link is, not where it points)."""
        return self.path.absolute().parent.resolve()


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # shown with --verbose
    errors: list[InputError] = field(default_factory=list)


def glob_matches(relative: PurePosixPath, patterns: Iterable[str]) -> bool:
    """gitignore-like: a pattern without `/` matches any path component (`*.bak`, `fixtures`); one with
    `/` matches the path from the base or any of its leading folders (`tests/fixtures/invalid`)."""
    parts = relative.parts
    for raw in patterns:
        pattern = raw.strip().removeprefix("./").rstrip("/")
        if not pattern:
            continue
        if "/" not in pattern:
            if any(fnmatch.fnmatchcase(part, pattern) for part in parts):
                return True
            continue
        pattern = pattern.removeprefix("/")
        if any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern) for i in range(1, len(parts) + 1)):
            return True
    return False


class Exclusions:
    """`--exclude` globs relative to `cwd`, plus each config's `exclude:` relative to that config."""

    def __init__(
        self,
        cli_patterns: Iterable[str],
        cwd: Path,
        config_excludes: Callable[[Path], tuple[Path, tuple[str, ...]] | None],
    ):
        self.cli_patterns = tuple(cli_patterns)
        self.cwd = cwd.resolve()
        self.config_excludes = config_excludes

    def excluded(self, path: Path) -> bool:
        absolute = path.absolute().parent.resolve() / path.name  # a symlink is judged where it is
        if _below(absolute, self.cwd) and glob_matches(
            PurePosixPath(absolute.relative_to(self.cwd).as_posix()), self.cli_patterns
        ):
            return True
        found = self.config_excludes(absolute.parent)
        if found is None:
            return False
        base, patterns = found
        return _below(absolute, base) and glob_matches(PurePosixPath(absolute.relative_to(base).as_posix()), patterns)


def _below(path: Path, base: Path) -> bool:
    return path == base or base in path.parents


def discover(paths: Iterable[str], exclusions: Exclusions) -> Discovery:
    found = Discovery()
    seen: set[Path] = set()

    def add(candidate: Candidate) -> None:
        real = candidate.path.resolve()
        if real not in seen:
            seen.add(real)
            found.candidates.append(candidate)

    for given in paths:
        path = Path(given)
        if given == STDIN or not path.is_dir():
            add(Candidate(path, given, explicit=True))  # a missing file is reported when it is read
            continue
        walked = _files_in(path, given, exclusions, found.excluded)
        if not walked:
            message = f"folder holds no {', '.join('*' + e for e in READ_SUFFIXES)} files to scan"
            if found.excluded:
                message += " that are not excluded"
            found.errors.append(InputError(given, message))
        for candidate in walked:
            add(candidate)
    return found


def _files_in(folder: Path, display: str, exclusions: Exclusions, excluded: list[str]) -> list[Candidate]:
    found = []
    for root, dirs, names in os.walk(folder):
        kept = []
        for name in sorted(dirs):
            if name in SKIPPED_DIRS or name.startswith("."):
                continue
            if exclusions.excluded(Path(root) / name):
                excluded.append(_shown(Path(root) / name, folder, display))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            if not name.lower().endswith(READ_SUFFIXES + UNREAD_SUFFIXES):
                continue
            path = Path(root) / name
            if exclusions.excluded(path):
                excluded.append(_shown(path, folder, display))
                continue
            found.append(Candidate(path, _shown(path, folder, display), explicit=False))
    return found


def _shown(path: Path, folder: Path, display: str) -> str:
    return str(Path(display) / path.relative_to(folder))

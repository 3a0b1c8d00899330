"""Which config file applies to a scanned folder.

`--config FILE` applies to everything. Otherwise, as ruff and tflint do, the nearest
`anycast-lint.yaml` walking up from the folder (stopping at the enclosing git work tree's root), else
the one in the current directory, else the empty config. So `scan .` at a repository root reads each
design with the config next to it, exactly as scanning that design from its own folder does.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.config import DEFAULT_CONFIG_NAME, Config, load_config


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to the current directory when it is below it, else absolute."""
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return str(path)


class ConfigLookup:
    """Finds and loads (once each) the config of every folder a scan reads from."""

    def __init__(self, explicit: str | None, cwd: Path, known_rules: Collection[str] = ()):
        self.explicit = explicit
        self.cwd = cwd.resolve()
        self.known_rules = known_rules
        self._loaded: dict[Path | None, Config | InputErrors] = {}
        self._file_of: dict[Path, Path | None] = {}

    def file_for(self, folder: Path) -> Path | None:
        """The config file that applies to `folder` (resolved), or None."""
        if self.explicit is not None:
            return Path(self.explicit)
        folder = folder.resolve()
        if folder not in self._file_of:
            self._file_of[folder] = self._nearest(folder)
        return self._file_of[folder]

    def _nearest(self, folder: Path) -> Path | None:
        for current in (folder, *folder.parents):
            candidate = current / DEFAULT_CONFIG_NAME
            if candidate.is_file():
                return candidate
            if (current / ".git").exists():
                break
        fallback = self.cwd / DEFAULT_CONFIG_NAME
        return fallback if fallback.is_file() else None

    def for_folder(self, folder: Path) -> Config:
        """The config of `folder`; raises InputErrors (every time it is asked) when that file is invalid."""
        file = self.file_for(folder)
        key = file.resolve() if file is not None else None
        if key not in self._loaded:
            self._loaded[key] = self._load(file)
        loaded = self._loaded[key]
        if isinstance(loaded, InputErrors):
            raise loaded
        return loaded

    def _load(self, file: Path | None) -> Config | InputErrors:
        if file is None:
            return Config()
        display = self.explicit if self.explicit is not None else display_path(file.resolve(), self.cwd)
        try:
            return load_config(file, display, self.known_rules)
        except InputErrors as exc:
            return exc
        except InputError as exc:
            return InputErrors([exc])

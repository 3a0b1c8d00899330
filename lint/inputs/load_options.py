"""Options that reach the sources from the command line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.inputs.reader import ParsedFile, parse_file


@dataclass(frozen=True)
class LoadOptions:
    # ARM parameters files (--parameters), applied to every template scanned
    template_parameters: list[ParsedFile] = field(default_factory=list)
    # --subscription / --resource-group / --location: the scope templates are evaluated in
    subscription: str | None = None
    resource_group: str | None = None
    location: str | None = None
    # --tf-root: the Terraform root module's folder, where findings about planned resources point
    tf_root: str | None = None

    @staticmethod
    def of(
        parameters: Iterable[str] = (),
        subscription: str | None = None,
        resource_group: str | None = None,
        location: str | None = None,
        tf_root: str | None = None,
    ) -> LoadOptions:
        """Options from the command line: parameters files are read (and their errors located) here."""
        files = [parse_file(Path(p), p) for p in parameters]
        return LoadOptions(files, subscription, resource_group, location, tf_root)

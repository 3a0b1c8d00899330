"""Where the rule help pages are online: SARIF `helpUri`, `informationUri` and `anycast-lint rules CODE`.

Never a made-up location. In order: `--help-base-url`; the environment variable
ANYCAST_LINT_HELP_BASE_URL (the GitHub Action sets it from the repository and ref it is used at); the
`origin` remote of the source checkout the tool runs from (an editable install of a clone, as `make`
does); otherwise none, and reports carry the help text itself without a link.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from anycast_lint.inputs.gitinfo import default_branch, git, web_url

ENV_VAR = "ANYCAST_LINT_HELP_BASE_URL"
SOURCE_ROOT = Path(__file__).resolve().parents[2]  # the clone, for an editable install
_ABSOLUTE = re.compile(r"^https?://[^/\s]+/\S*$")
_RULES_PATH = re.compile(r"/(?:blob|tree)/[^/]+/docs/rules/$")


class HelpUrlError(ValueError):
    """A help base URL that is not an absolute http(s) URL (SARIF requires helpUri to be absolute)."""


@dataclass(frozen=True)
class HelpLinks:
    """`base` ends with a slash; a rule's page is `base + CODE.md`."""

    base: str | None = None

    def rule(self, code: str) -> str | None:
        return f"{self.base}{code}.md" if self.base else None

    @property
    def project(self) -> str | None:
        """The repository's page, when the base has the usual `<repo>/blob/<ref>/docs/rules/` layout."""
        if self.base is None or not _RULES_PATH.search(self.base):
            return None
        return _RULES_PATH.sub("", self.base)


def from_checkout(root: Path) -> str | None:
    """The help base of a source checkout of anycast-lint: its `origin` remote at the default branch."""
    if not (root / ".git").exists() or not (root / "docs" / "rules").is_dir():
        return None
    remote = git(root, "config", "--get", "remote.origin.url")
    page = web_url(remote) if remote else None
    return f"{page}/blob/{default_branch(root)}/docs/rules/" if page else None


def help_links(explicit: str | None = None, source_root: Path = SOURCE_ROOT) -> HelpLinks:
    base = explicit or os.environ.get(ENV_VAR) or from_checkout(source_root)
    if not base:
        return HelpLinks()
    if not _ABSOLUTE.match(base):
        raise HelpUrlError(f"help base URL {base!r} is not an absolute http(s) URL")
    return HelpLinks(base if base.endswith("/") else base + "/")


def project_url() -> str | None:
    """The project's home page from the package metadata (`[project.urls]` Homepage): SARIF's informationUri
    when no help base URL names the repository, so a default run passes GitHub's checks (SARIF2005). Read
    only when a SARIF report is written: importlib.metadata costs start-up time."""
    from importlib import metadata

    try:
        entries = metadata.metadata("anycast-lint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "homepage" and _ABSOLUTE.match(url.strip()):
            return url.strip()
    return None

"""What git knows about a folder: its remote's web address, commit and branch (read-only `git` calls).

Used for SARIF `versionControlProvenance` and to find where the rule help pages are online. A missing
`git`, a folder outside any checkout or a checkout without a remote all give None, never an error.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_REMOTE = re.compile(
    r"^(?:(?:https?|ssh|git)://)?(?:[^@/]+@)?(?P<host>[^:/]+)(?::\d+)?[:/](?P<path>[^?#]+?)(?:\.git)?/?$"
)


def git(folder: Path, *args: str) -> str | None:
    """The stripped output of `git -C folder ARGS`, or None when git fails or prints nothing."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def web_url(remote: str) -> str | None:
    """`git@github.com:org/repo.git` or `https://user:token@github.com/org/repo` -> `https://github.com/org/repo`.

    Credentials in a remote URL are dropped. Azure Repos' URLs do not follow the `/blob/` layout and give None.
    """
    match = _REMOTE.match(remote.strip())
    if not match or match.group("host") in ("dev.azure.com", "ssh.dev.azure.com") or "visualstudio.com" in remote:
        return None
    path = match.group("path").strip("/")
    if "/" not in path:
        return None
    return f"https://{match.group('host')}/{path}"


@dataclass(frozen=True)
class Provenance:
    repository: str  # web address, without credentials
    revision: str | None
    branch: str | None


def provenance(folder: Path) -> Provenance | None:
    """The checkout `folder` belongs to, when it has an `origin` remote."""
    remote = git(folder, "config", "--get", "remote.origin.url")
    repository = web_url(remote) if remote else None
    if repository is None:
        return None
    branch = git(folder, "symbolic-ref", "--short", "-q", "HEAD")
    return Provenance(repository, git(folder, "rev-parse", "HEAD"), branch)


def default_branch(folder: Path) -> str:
    """The remote's default branch (origin/HEAD), else `main`."""
    head = git(folder, "symbolic-ref", "--short", "refs/remotes/origin/HEAD")
    return head.split("/", 1)[1] if head and "/" in head else "main"

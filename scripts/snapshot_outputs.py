"""Write every example's and rule fixture's outputs to a folder, to prove a refactoring changes no byte.

Usage: python scripts/snapshot_outputs.py REPO_ROOT OUT_DIR

REPO_ROOT is any checkout of anycast-lint (a worktree at an older commit works): the script runs that
checkout's code, not the installed one, by pointing PYTHONPATH at a throw-away `anycast_lint` package made
of symlinks, as the Makefile's typecheck does. Compare two snapshots with `diff -r OLD NEW`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

FORMATS = ("text", "json", "sarif", "markdown", "github", "junit")


def package_dir(repo: Path, scratch: Path) -> Path:
    """A folder whose `anycast_lint` package is REPO's lint/ with rules/, schemas/ and the help pages beside it."""
    package = scratch / "anycast_lint"
    package.mkdir()
    for entry in (repo / "lint").iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry)
    for extra in ("rules", "schemas"):
        (package / extra).symlink_to(repo / extra)
    (package / "docs").symlink_to(repo / "docs" / "rules")  # the help pages, as pyproject's package-dir maps them
    return scratch


def rule_fixture_folders(repo: Path) -> list[Path]:
    """The rule fixture folders, tests/rules/ACnnn (tests/fixtures/rules/ACnnn in checkouts from before issue 26)."""
    for fixtures in (repo / "tests" / "rules", repo / "tests" / "fixtures" / "rules"):
        if fixtures.is_dir():
            return sorted(p for p in fixtures.iterdir() if p.is_dir() and p.name.startswith("AC"))
    return []


def fixture_designs(folder: Path) -> list[list[str]]:
    """Each design of a rule fixture folder as the files scanned for it: the `designs:` of the folder's
    anycast-lint.yaml (a design may be a topology and a captured route table), else each YAML/JSON file."""
    config = folder / "anycast-lint.yaml"
    named = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("designs") if config.exists() else None
    if named:
        return [[str(file) for file in files] for files in named.values()]
    found = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.json"))
    return [[p.name] for p in found if p.name != "anycast-lint.yaml"]


def commands(repo: Path) -> list[tuple[str, Path, list[str]]]:
    """(output name, working folder, arguments) for every output compared."""
    examples = repo / "examples"
    designs = sorted(
        [p.name for p in examples.iterdir() if (p / "topology.yaml").exists()]
        + [f"arm/{p.name}" for p in (examples / "arm").glob("*.json")]
    )
    runs: list[tuple[str, Path, list[str]]] = []
    for design in [*designs, "."]:
        slug = design.replace("/", "_").replace(".", "all") if design == "." else design.replace("/", "_")
        for fmt in FORMATS:
            runs.append((f"scan-{slug}.{fmt}", examples, ["scan", design, "--format", fmt, "--color", "never"]))
        runs.append((f"simulate-{slug}.txt", examples, ["simulate", design, "--each-member"]))
        runs.append((f"simulate-{slug}.json", examples, ["simulate", design, "--each-member", "--format", "json"]))
    runs.append(
        ("trace-hub.txt", examples, ["trace", "172.16.10.10", "10.13.76.4", "hub-and-spoke", "--fail", "dns-01"])
    )
    runs.append(("trace-vwan.txt", examples, ["trace", "172.16.10.10", "10.13.76.4", "vwan-indirect-spokes"]))
    for folder in rule_fixture_folders(repo):
        for files in fixture_designs(folder):
            name = f"rule-{folder.name}-{files[0]}"
            runs.append((f"{name}.json", folder, ["scan", *files, "--format", "json"]))
            runs.append((f"{name}.txt", folder, ["scan", *files, "--color", "never", "--show-fixes"]))
    return runs


def main() -> int:
    repo, out = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, PYTHONPATH=str(package_dir(repo, Path(scratch))), NO_COLOR="1")
        env.pop("ANYCAST_LINT_HELP_BASE_URL", None)
        for name, cwd, args in commands(repo):
            done = subprocess.run(
                [sys.executable, "-m", "anycast_lint", *args], cwd=cwd, env=env, capture_output=True, check=False
            )
            (out / name).write_bytes(
                done.stdout + b"\n--- stderr ---\n" + done.stderr + f"\n--- exit {done.returncode}\n".encode()
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The two sides of `anycast-lint diff`: two paths, one path at a git ref, or a Terraform plan's two states.

A git ref is read with `git ls-tree` and `git archive` into a temporary folder (never a checkout: the work
tree of a CI job or a developer stays as it is), with the `anycast-lint.yaml` files that applied to the
path at that ref; its files are shown as `REF:path`. A Terraform plan's BEFORE is its `prior_state` (else
the `before` of each resource change) written as a plan of its own, shown as `PLAN (prior state)`.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from anycast_lint.diff.changes import Side
from anycast_lint.errors import InputError
from anycast_lint.inputs.config import DEFAULT_CONFIG_NAME
from anycast_lint.inputs.config_lookup import ConfigLookup, display_path
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.workspace import Inputs, read_inputs
from anycast_lint.sources.terraform.plan import claims


def read_side(path: str, lookup: ConfigLookup, options: LoadOptions, excludes: tuple[str, ...]) -> Side:
    return Side(read_inputs([path], lookup, options, excludes), path)


def root_of(path: str, cwd: Path) -> str:
    """The path as design names are written (relative to the working directory), to pair designs by."""
    return display_path(Path(path).resolve(), cwd.resolve())


# -- git ------------------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path, what: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=300)
    except FileNotFoundError:
        raise InputError("--base-ref", "git is not installed (needed to read the base ref)") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError("--base-ref", f"{what}: {detail[0] if detail else f'git exited {done.returncode}'}")
    return done.stdout


def _configs_at(ref: str, top: Path, folders: list[Path]) -> list[str]:
    """The anycast-lint.yaml files in these folders (and their parents up to the repository) at `ref`."""
    wanted: list[str] = []
    for folder in folders:
        for current in (folder, *folder.parents):
            if current == top or current.is_relative_to(top):
                name = (current / DEFAULT_CONFIG_NAME).relative_to(top).as_posix()
                if name not in wanted:
                    wanted.append(name)
    listed = _git(["ls-tree", "--name-only", ref, "--", *wanted], top, f"--base-ref {ref}")
    return listed.decode("utf-8").splitlines()


def read_at_ref(
    path: str,
    ref: str,
    config_path: str | None,
    known_rules: list[str],
    options: LoadOptions,
    excludes: tuple[str, ...],
    stack: ExitStack,
) -> Side:
    """BEFORE for pull-request CI: PATH as it was at git REF. A path that did not exist there is an empty
    side (everything in AFTER is new)."""
    cwd = Path.cwd().resolve()
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd, "--base-ref needs a git work tree").decode().strip())
    top = top.resolve()
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top, f"--base-ref {ref} is not a commit here")
    target = Path(path).resolve()
    if not target.is_relative_to(top):
        raise InputError(path, f"--base-ref: {path} is outside the git work tree {top}")
    relative = target.relative_to(top).as_posix()
    label = f"{ref}:{relative}"
    if relative != "." and not _git(["ls-tree", "--name-only", ref, "--", relative], top, f"--base-ref {ref}"):
        return Side(Inputs(), f"{label} (absent)")
    folders = [target if target.is_dir() else target.parent, cwd]
    members = [relative, *_configs_at(ref, top, folders)]
    archive = _git(["archive", "--format=tar", ref, "--", *members], top, f"git archive {ref}")
    tree = Path(stack.enter_context(TemporaryDirectory(prefix="anycast-lint-base-")))
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(tree, filter="data")
    (tree / ".git").write_text("", encoding="utf-8")  # the config lookup stops at the repository, as it does here
    here = tree / cwd.relative_to(top) if cwd.is_relative_to(top) else tree
    here.mkdir(parents=True, exist_ok=True)
    lookup = ConfigLookup(str(Path(config_path).resolve()) if config_path else None, here, known_rules)
    prefix = str(tree) + "/"

    def show(file: str) -> str:
        return f"{ref}:{file[len(prefix) :]}" if file.startswith(prefix) else file

    inputs = read_inputs([str(tree / relative)], lookup, options, excludes)
    return Side(inputs, label, show)


# -- Terraform plan ---------------------------------------------------------------------------------


def plan_document(path: str) -> dict[str, Any] | None:
    """The Terraform plan in `path`, or None when it is not a file holding one."""
    file = Path(path)
    if not file.is_file() or file.suffix.lower() != ".json":
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None  # reported as any unreadable input when read as AFTER
    return data if claims(data) else None


def _module_tree(changes: list[Any]) -> dict[str, Any]:
    """A root module of the resources as they were before the plan (`change.before`), one child per module."""
    root: dict[str, Any] = {"resources": [], "child_modules": []}
    modules: dict[str, dict[str, Any]] = {}
    for entry in changes:
        change = entry.get("change") if isinstance(entry, dict) else None
        if not isinstance(change, dict) or not isinstance(change.get("before"), dict) or entry.get("deposed"):
            continue
        resource = {key: entry.get(key) for key in ("address", "mode", "type", "name", "index", "provider_name")}
        resource["values"] = change["before"]
        module = entry.get("module_address") or ""
        if not module:
            root["resources"].append(resource)
            continue
        if module not in modules:
            modules[module] = {"address": module, "resources": []}
            root["child_modules"].append(modules[module])
        modules[module]["resources"].append(resource)
    return root


def prior_plan(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan as if nothing were applied yet: its prior state as the planned values, nothing unknown."""
    prior = plan.get("prior_state")
    values = prior.get("values") if isinstance(prior, dict) else None
    root = values.get("root_module") if isinstance(values, dict) else None
    if not isinstance(root, dict):
        root = _module_tree(plan.get("resource_changes") or [])
    before: dict[str, Any] = {
        key: plan[key] for key in ("format_version", "terraform_version", "configuration") if key in plan
    }
    before["planned_values"] = {"root_module": root}
    before["resource_changes"] = []
    return before


def read_plan_sides(
    path: str,
    plan: dict[str, Any],
    lookup: ConfigLookup,
    options: LoadOptions,
    stack: ExitStack,
) -> tuple[Side, Side]:
    """`anycast-lint diff PLAN.json`: the prior state against the planned values, read as `scan` reads plans."""
    folder = Path(stack.enter_context(TemporaryDirectory(prefix="anycast-lint-prior-")))
    copy = folder / Path(path).name
    copy.write_text(json.dumps(prior_plan(plan), indent=1), encoding="utf-8")
    label = f"{path} (prior state)"
    show: Callable[[str], str] = lambda file: label if file == str(copy) else file  # noqa: E731
    design_folder = Path(path).resolve().parent
    before = read_inputs([str(copy)], _PlanLookup(lookup, folder, design_folder), options)
    return Side(before, label, show, located=False), Side(read_inputs([path], lookup, options), path)


class _PlanLookup(ConfigLookup):
    """The config lookup of the plan's own folder, for the prior state written to a temporary folder."""

    def __init__(self, lookup: ConfigLookup, folder: Path, design_folder: Path):
        super().__init__(lookup.explicit, lookup.cwd, lookup.known_rules)
        self._folder, self._design_folder = folder.resolve(), design_folder

    def file_for(self, folder: Path) -> Path | None:
        if folder.resolve() == self._folder:
            folder = self._design_folder
        return super().file_for(folder)

"""Format quirks live on the format: the loader and the folder walk read any format through the table, so
a new format (or a change to one) is one entry in `anycast_lint.sources`, never a special case elsewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from anycast_lint.inputs import discovery, loader
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.sources import FORMATS
from conftest import HEADER

# Words that name a format or one of its quirks; none may appear in the code of the generic modules. (The
# route tables a capture holds are the topology's, read by the loader as any other collection.)
FORMAT_WORDS = {f.name.split("-")[0] for f in FORMATS} - {"route"} | {
    "plan",
    "bicep",
    "txt",
    "parameters",
    "capture",
    "near",
    "miss",
}


def _words(module: object) -> set[str]:
    """Every word of every name, attribute, import and string in the module's code (docstrings and comments
    are prose, not code)."""
    tree = ast.parse(Path(str(getattr(module, "__file__", ""))).read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    texts: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            texts.append(node.id)
        elif isinstance(node, ast.Attribute):
            texts.append(node.attr)
        elif isinstance(node, ast.alias):
            texts.append(node.name)
        elif isinstance(node, ast.ImportFrom):
            texts.append(node.module or "")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            texts.append(node.value)
    return {word for text in texts for word in re.split(r"[^a-z]+", text.lower()) if word}


# A walk skips tool folders as it skips `.git`: `.terraform` is the provider cache `terraform init` writes.
@pytest.mark.parametrize(("module", "allowed"), [(loader, set()), (discovery, {"terraform"})], ids=["loader", "walk"])
def test_the_loader_and_the_folder_walk_name_no_format(module: object, allowed: set[str]) -> None:
    assert _words(module) & FORMAT_WORDS == allowed


def test_a_folder_lists_what_each_format_declines_and_reads_the_rest(tmp_path: Path) -> None:
    (tmp_path / "main.bicep").write_text("param location string\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("to do: peer the hubs\n", encoding="utf-8")
    (tmp_path / "main.parameters.json").write_text(
        '{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",'
        ' "parameters": {}}',
        encoding="utf-8",
    )
    (tmp_path / "topology.yaml").write_text(
        HEADER + "virtualNetworks:\n  - name: a\n    addressSpace: [10.0.0.0/24]\n", encoding="utf-8"
    )
    found = loader.discover([str(tmp_path)], discovery.Exclusions((), tmp_path, lambda folder: None))
    result, errors = loader.load_design("", found.candidates, LoadOptions.of([]))
    assert not errors and result is not None
    assert result.files == [str(tmp_path / "topology.yaml")]
    assert dict(result.skipped) == {
        str(tmp_path / "main.bicep"): "Bicep source, not read: compile it with `az bicep build --file FILE` "
        "and scan the JSON it writes",
        str(tmp_path / "notes.txt"): "text file that is not a route table capture",
        str(tmp_path / "main.parameters.json"): "ARM parameters file",
    }

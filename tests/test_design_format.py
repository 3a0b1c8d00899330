"""docs/design-format.md: its key tables are the schemas', and every design on it scans as it says."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest

from anycast_lint.inputs.reader import parse_text
from conftest import REPO, run_cli

PAGE = REPO / "docs" / "design-format.md"
# A fenced YAML block after a marker: `<!-- example: NAME FILE -->` (a file of a worked design) or
# `<!-- snippet: SCHEMA -->` (a fragment that must be valid against that schema).
BLOCK = re.compile(r"<!-- (example|snippet): ([^>]+?) -->\n```yaml\n(.*?)```\n", re.S)
EXPECT = re.compile(r"<!-- expect: (\S+)((?: AC\d{3})*) -->")
# `<!-- variant: NAME "OLD" -> "NEW" gives CODES -->`: the page's claim of what one change to a worked
# design gives; the first occurrence of OLD in its topology is replaced.
VARIANT = re.compile(r'<!-- variant: (\S+) "([^"]*)" -> "([^"]*)" gives((?: AC\d{3})*) -->')


def _builder() -> ModuleType:
    """docs/build_design_format.py, imported by path (docs/ is not a package)."""
    spec = importlib.util.spec_from_file_location("build_design_format", REPO / "docs" / "build_design_format.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()


def _page() -> str:
    return PAGE.read_text(encoding="utf-8")


def _designs() -> dict[str, dict[str, str]]:
    """Worked design name -> {file name: text}."""
    found: dict[str, dict[str, str]] = {}
    for kind, label, body in BLOCK.findall(_page()):
        if kind == "example":
            name, file = label.split()
            found.setdefault(name, {})[file] = body
    return found


def _expected() -> dict[str, list[str]]:
    return {name: codes.split() for name, codes in EXPECT.findall(_page())}


def test_page_tables_are_generated_from_the_schemas() -> None:
    """Fails when a schema's description, default or example changed and the page was not rebuilt."""
    page = _page()
    assert BUILD.build(page) == page, "run: python docs/build_design_format.py"


@pytest.mark.parametrize("schema", ["topology", "config"])
def test_every_object_of_the_schema_has_a_table_and_every_table_an_object(schema: str) -> None:
    """A key missing from the page, or a table for keys the schema no longer has, fails."""
    tables = [pointer for name, pointer in re.findall(r"<!-- keys: (\w+) (\S+) -->", _page()) if name == schema]
    assert len(tables) == len(set(tables)), "a table appears twice"
    data = BUILD.load(schema)
    missing = set(BUILD.objects(data)) - set(tables)
    assert not missing, f"no table for {sorted(missing)}"
    for pointer in tables:
        BUILD.resolve(data, pointer)  # raises KeyError for a pointer the schema does not have


@pytest.mark.parametrize("schema", ["topology", "config"])
def test_every_key_has_a_description_and_valid_examples(schema: str) -> None:
    """The schemas are the single source: every key is explained, and its example is a valid value."""
    data = BUILD.load(schema)
    for pointer in BUILD.objects(data):
        for key, node in BUILD.resolve(data, pointer).get("properties", {}).items():
            _, body = BUILD.target(data, node)
            assert node.get("description") or body.get("description"), f"{pointer}/properties/{key}"
            validator = jsonschema.Draft202012Validator({"$defs": data.get("$defs", {}), **node})
            for example in node.get("examples", []):
                validator.validate(example)


def test_every_worked_design_states_its_findings() -> None:
    assert set(_designs()) == set(_expected())
    assert {"minimal", "hub-and-spoke", "vwan"} <= set(_designs())
    for files in _designs().values():
        assert set(files) == {"topology.yaml", "anycast-lint.yaml"}


@pytest.mark.parametrize("name", sorted(_designs()))
def test_worked_design_scans_with_exactly_the_findings_the_page_states(name: str, tmp_path: Path) -> None:
    for file, text in _designs()[name].items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    result = run_cli("scan", str(tmp_path), "--format", "json")
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["errors"] == [] and report["complete"], result.stderr
    assert report["inputs"], "the design was not read"
    assert sorted(finding["code"] for finding in report["findings"]) == sorted(_expected()[name])
    assert result.exit_code == 0


@pytest.mark.parametrize("variant", VARIANT.findall(_page()), ids=lambda v: f"{v[0]}:{v[2] or 'removed'}")
def test_variants_give_the_findings_the_page_states(variant: tuple[str, str, str, str], tmp_path: Path) -> None:
    name, old, new, codes = variant
    files = dict(_designs()[name])
    assert old in files["topology.yaml"]
    files["topology.yaml"] = files["topology.yaml"].replace(old, new, 1)
    for file, text in files.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    report = json.loads(run_cli("scan", str(tmp_path), "--format", "json").stdout)
    assert report["errors"] == []
    assert sorted(finding["code"] for finding in report["findings"]) == sorted(codes.split())


def test_snippets_are_valid_against_their_schema() -> None:
    """Read as the tool reads YAML (1.2: `off` stays a string), checked against the schema."""
    snippets = [(label, body) for kind, label, body in BLOCK.findall(_page()) if kind == "snippet"]
    assert {label for label, _ in snippets} == {"topology", "config"}
    for schema, body in snippets:
        data = parse_text(body, f"<{schema} snippet>", ".yaml").data
        if schema == "topology":
            data = {"apiVersion": "anycast-lint/v1", "kind": "Topology", **data}
        jsonschema.Draft202012Validator(BUILD.load(schema)).validate(data)


def _keys(node: Any) -> set[str]:
    """Every property name anywhere in a schema."""
    if isinstance(node, list):
        return set().union(*map(_keys, node)) if node else set()
    if not isinstance(node, dict):
        return set()
    found = set(node.get("properties", {}))
    return found.union(*(_keys(child) for key, child in node.items() if key not in ("examples", "x-default")))


def test_prose_names_only_keys_the_schemas_have() -> None:
    """A camelCase word in backticks outside the tables and designs is a key (or one of Azure's names)."""
    azure_names = {"defaultRouteTable", "noneRouteTable"}
    known = _keys(BUILD.load("topology")) | _keys(BUILD.load("config")) | azure_names
    prose = re.sub(r"```.*?```|<!-- keys: .*?<!-- /keys -->", "", _page(), flags=re.S)
    named = set(re.findall(r"`([a-z]+(?:[A-Z][a-z0-9]*)+)(?::[^`]*)?`", prose))
    assert named, "the pattern finds nothing: it is broken"
    assert named <= known, f"not in the schemas: {sorted(named - known)}"


def test_readme_links_the_page_after_the_quickstart() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quickstart = readme.index("## Quickstart")
    link = readme.index("(docs/design-format.md)")
    assert quickstart < link < readme.index("\n## ", quickstart + 1), "the link belongs in the Quickstart section"

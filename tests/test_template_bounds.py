"""Templates ARM itself would refuse, and templates that would make evaluation unbounded (issue 14): each is a
one-line input error at the value's location (exit 2), never an internal error, a silent cap or a hang.

The limits are ARM's own (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits):
copy count 0-800, 256 parameters, 256 variables, 800 resources, 24,576 characters per expression, 4 MB for
the expanded template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.inputs.loader import load_inputs
from conftest import line_of, run_cli

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"


def _template(resources: Any = None, **sections: Any) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        **sections,
        "resources": [] if resources is None else resources,
    }


def _vnet(**fields: Any) -> dict[str, Any]:
    return {
        "type": "Microsoft.Network/virtualNetworks",
        "apiVersion": "2024-05-01",
        "name": "vnet",
        "location": "westeurope",
        "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/24"]}},
        **fields,
    }


def _tagged(expression: str) -> dict[str, Any]:
    return _template([_vnet(tags={"probe": expression})])


def _copied(count: Any) -> dict[str, Any]:
    copy = {"name": "vnets"} if count is None else {"name": "vnets", "count": count}
    return _template([_vnet(name="[concat('vnet-', copyIndex())]", copy=copy)])


def _nested(parameters: Any) -> dict[str, Any]:
    deployment = {
        "type": "Microsoft.Resources/deployments",
        "apiVersion": "2022-09-01",
        "name": "inner",
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": {"scope": "inner"},
            "parameters": parameters,
            "template": _template([_vnet()]),
        },
    }
    return _template([deployment])


COPY_COUNT = "copy count must be a whole number from 0 to 800 (ARM's limit), got"
CASES = [
    # (name, template, needle on the reported line, message fragment)
    ("copy-count-missing", _copied(None), '"copy"', "copy loop has no 'count'"),
    ("copy-count-text", _copied("many"), '"count"', f'{COPY_COUNT} a string "many"'),
    ("copy-count-fraction", _copied(1.5), '"count"', f"{COPY_COUNT} a number 1.5"),
    ("copy-count-negative", _copied(-1), '"count"', f"{COPY_COUNT} a number -1"),
    ("copy-count-above-limit", _copied(801), '"count"', f"{COPY_COUNT} a number 801"),
    ("to-lower-of-integer", _tagged("[toLower(1)]"), '"probe"', "toLower() cannot take an integer"),
    ("split-of-integer", _tagged("[split(1, ',')]"), '"probe"', "split() cannot take an integer, a string"),
    ("items-of-array", _tagged("[items(createArray())]"), '"probe"', "items() cannot take an array"),
    ("parameters-of-array", _tagged("[parameters(createArray())]"), '"probe"', "parameters() cannot take an array"),
    ("int-of-infinity", _tagged("[int(json('1e999'))]"), '"probe"', "int() overflows"),
    (
        "pad-left-huge-literal",
        _tagged("[padLeft('a', 99999999999999999999)]"),
        '"probe"',
        "is larger than ARM's 64-bit integers",
    ),
    (
        "pad-left-gigabyte",
        _tagged("[padLeft('a', 1000000000)]"),
        '"probe"',
        "padLeft() to 1,000,000,000 characters is past ARM's 4 MB template limit",
    ),
    (
        "expression-too-long",
        _tagged("[concat('" + "a" * 24_600 + "')]"),
        '"probe"',
        "expression is 24,612 characters long; ARM's limit is 24,576",
    ),
    (
        "concat-nested-500-deep",
        _tagged("[" + "concat(" * 500 + "'a'" + ")" * 500 + "]"),
        '"probe"',
        "expression nests more than 100 calls or indexes deep",
    ),
    (
        "index-nested-600-deep",
        _tagged("[createArray(1)" + "[0" * 600 + "]" * 600 + "]"),
        '"probe"',
        "expression nests more than 100 calls or indexes deep",
    ),
    ("variables-not-an-object", _template(variables="x"), '"variables"', 'expected an object, got a string "x"'),
    ("resources-not-a-list", _template(1.5), '"resources"', "template 'resources' must be an array or an object"),
    (
        "nested-parameters-not-an-object",
        _nested("x"),
        '"parameters": "x"',
        'expected an object, got a string "x"',
    ),
    (
        "parameter-spec-not-an-object",
        _template(parameters={"p": "x"}),
        '"p"',
        'expected an object, got a string "x"',
    ),
    (
        "chain-of-1000-variables",
        _template(
            [_vnet(tags={"probe": "[variables('v0')]"})],
            variables={f"v{i}": f"[variables('v{i + 1}')]" for i in range(999)} | {"v999": "end"},
        ),
        '"variables"',
        "1000 variables; ARM allows at most 256 in a template",
    ),
    (
        "257-parameters",
        _template(parameters={f"p{i}": {"type": "string", "defaultValue": "x"} for i in range(257)}),
        '"parameters"',
        "257 parameters; ARM allows at most 256 in a template",
    ),
    (
        "801-resources",
        _template([_vnet(name=f"vnet-{i}") for i in range(801)]),
        '"resources"',
        "801 resources; ARM allows at most 800 in a template",
    ),
    (
        "forty-self-concatenating-variables",
        _template(
            [_vnet(tags={"probe": "[variables('v39')]"})],
            variables={"v0": "ab"}
            | {f"v{i}": f"[concat(variables('v{i - 1}'), variables('v{i - 1}'))]" for i in range(1, 40)},
        ),
        '"v20"',
        "the template expands past ARM's 4 MB limit on the expanded template",
    ),
]


@pytest.mark.parametrize(
    ("template", "needle", "fragment"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_refused_templates_are_located_input_errors(
    tmp_path: Path, template: dict[str, Any], needle: str, fragment: str
) -> None:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template, indent=1), encoding="utf-8")
    run = run_cli("scan", "template.json", cwd=tmp_path)
    assert run.exit_code == 2, run.stdout
    assert run.stderr.startswith(f"anycast-lint: error: template.json:{line_of(path, needle)}:"), run.stderr
    assert fragment in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1 and "internal error" not in run.stderr


def test_a_chain_of_256_variables_is_within_limits_and_evaluates(tmp_path: Path) -> None:
    variables = {f"v{i}": f"[variables('v{i + 1}')]" for i in range(255)} | {"v255": "[concat('10.0.0', '.0/24')]"}
    vnet = _vnet(properties={"addressSpace": {"addressPrefixes": ["[variables('v0')]"]}})
    (tmp_path / "template.json").write_text(json.dumps(_template([vnet], variables=variables)), encoding="utf-8")
    run = run_cli("scan", "template.json", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["summary"]["resources"].get("virtual_networks") == 1


def test_copy_loops_inside_copy_loops_stop_at_the_expanded_size_limit(tmp_path: Path) -> None:
    """800 VNets x 800 subnets from a 400-byte template: past ARM's 4 MB expanded limit, so refused."""
    subnets = {"name": "subnets", "count": 800, "input": {"name": "[concat('s', copyIndex('subnets'))]"}}
    vnet = _vnet(
        name="[concat('v', copyIndex())]", copy={"name": "vnets", "count": 800}, properties={"copy": [subnets]}
    )
    path = tmp_path / "template.json"
    path.write_text(json.dumps(_template([vnet])), encoding="utf-8")
    assert path.stat().st_size < 500
    run = run_cli("scan", "template.json", cwd=tmp_path)
    assert run.exit_code == 2
    assert "the template expands past ARM's 4 MB limit on the expanded template" in run.stderr


def test_zero_copies_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "template.json").write_text(json.dumps(_copied(0)), encoding="utf-8")
    run = run_cli("scan", "template.json", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 0 and "virtual_networks" not in json.loads(run.stdout)["summary"]["resources"]


def test_an_escaped_literal_of_600_brackets_is_read_as_written(tmp_path: Path) -> None:
    """`[[` escapes a literal: 600 nested brackets are a tag value, not an expression to recurse into."""
    literal = "[" * 600 + "]" * 600
    (tmp_path / "template.json").write_text(json.dumps(_tagged(literal)), encoding="utf-8")
    (vnet,) = load_inputs([str(tmp_path / "template.json")]).topology.virtual_networks.values()
    assert vnet.tags["probe"] == literal[1:]

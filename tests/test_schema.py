"""The shipped schemas, their flattened form and the fast compiled check agree on every verdict."""

from __future__ import annotations

import copy
import json
from typing import Any

import fastjsonschema
import jsonschema
import pytest

from anycast_lint.inputs.reader import parse_file
from anycast_lint.inputs.schema import FAST_CHECK_FROM, flatten, load_schema
from conftest import EXAMPLES, HEADER, run_cli


def _mutations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Valid and invalid variants of a real design, touching every kind of constraint."""
    variants = [document]

    def mutate(change: Any) -> None:
        variant = copy.deepcopy(document)
        change(variant)
        variants.append(variant)

    mutate(lambda d: d["virtualNetworks"][0].pop("addressSpace"))
    mutate(lambda d: d["virtualNetworks"][0].update(adressSpace=[]))
    mutate(lambda d: d["virtualNetworks"][0].update(name=7))
    mutate(lambda d: d["virtualNetworks"][1]["peerings"][0].update(useRemoteGateways="yes"))
    mutate(lambda d: d["virtualNetworks"][1]["peerings"][0].update(peeringState="Up"))
    mutate(lambda d: d["virtualNetworks"][1]["subnets"][0].update(color="blue"))
    mutate(lambda d: d["virtualNetworks"][0].update(tags={"a": ["x"]}))
    mutate(
        lambda d: d["virtualHubs"][0]["virtualNetworkConnections"][0]["routingConfiguration"].update(
            propagateStaticRoutes=1
        )
    )
    mutate(lambda d: d["virtualHubs"][0]["routeMaps"][0]["rules"][0]["actions"][0].update(type="Prepend"))
    mutate(lambda d: d["virtualHubs"][0]["expressRouteGateway"].update(instanceIps="192.168.128.12"))
    mutate(lambda d: d["networkSecurityGroups"][0]["securityRules"][0].update(priority=50))
    mutate(lambda d: d.update(apiVersion="anycast-lint/v2"))
    mutate(lambda d: d.update(virtualNetwork=[]))
    mutate(lambda d: d["azureFirewalls"][0].update(sku="AZFW_Premium"))
    mutate(lambda d: d["virtualNetworks"][0].update(id="/subscription/x"))
    return variants


def test_fast_check_and_jsonschema_agree() -> None:
    document = parse_file(EXAMPLES / "vwan-indirect-spokes" / "topology.yaml").data
    original = jsonschema.Draft202012Validator(load_schema("topology.schema.json"))
    flat = flatten(load_schema("topology.schema.json"))
    flat_validator = jsonschema.Draft7Validator(flat)
    fast = fastjsonschema.compile(flat)
    verdicts = []
    for variant in _mutations(document):
        expected = original.is_valid(variant)
        assert flat_validator.is_valid(variant) == expected
        try:
            fast(variant)
            assert expected, json.dumps(variant)[:200]
        except fastjsonschema.JsonSchemaException:
            assert not expected
        verdicts.append(expected)
    assert verdicts[0] is True and verdicts.count(False) == len(verdicts) - 1


@pytest.mark.parametrize("name", ["topology.schema.json", "config.schema.json"])
def test_schemas_are_valid_2020_12(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema(name))
    jsonschema.Draft7Validator.check_schema(flatten(load_schema(name)))


def test_large_file_errors_are_reported_like_small_ones(write) -> None:  # type: ignore[no-untyped-def]
    """Above FAST_CHECK_FROM the compiled check runs first; a violation is still listed with its line."""
    vnets = "".join(f"  - {{name: v{i}, addressSpace: [10.{i // 256}.{i % 256}.0/24]}}\n" for i in range(6000))
    body = HEADER + "virtualNetworks:\n" + vnets + "  - {name: bad, addressSpace: [10.250.0.0/24], colour: red}\n"
    path = write("big.yaml", body)
    assert path.stat().st_size > FAST_CHECK_FROM
    run = run_cli("scan", "big.yaml", cwd=path.parent)
    assert run.exit_code == 2
    assert run.stderr.startswith("anycast-lint: error: big.yaml:6004:48: unknown key 'colour'")
    path.write_text(body.replace(", colour: red", ""), encoding="utf-8")
    assert run_cli("scan", "big.yaml", cwd=path.parent).exit_code == 0

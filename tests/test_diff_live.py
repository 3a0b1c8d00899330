"""`anycast-lint diff --azure PATH`: the live network (a local Azure over HTTPS, as in test_live_azure.py) as
BEFORE, files as AFTER: what deploying the files would change."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from azure_server import LocalAzure, Tenant
from conftest import EXAMPLES, run_cli

DEPLOYED = EXAMPLES / "arm" / "hub-and-spoke.json"


@pytest.fixture
def azure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The CLI arguments of a live read of the deployed example, the credential from the environment."""
    tenant = Tenant(json.loads(DEPLOYED.read_text(encoding="utf-8"))["value"])
    with LocalAzure(tenant, tmp_path) as server:
        monkeypatch.setenv("AZURE_CLIENT_ID", "local-client")
        monkeypatch.setenv("AZURE_CLIENT_SECRET", "local-client-secret")
        monkeypatch.setenv("AZURE_TENANT_ID", tenant.tenant_id)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.ca_file))
        yield ["--azure", "--arm-endpoint", server.url, "--authority-host", server.url, "-q"]


def _export(tmp_path: Path, drop: str | None = None) -> str:
    document: dict[str, Any] = copy.deepcopy(json.loads(DEPLOYED.read_text(encoding="utf-8")))
    document["value"] = [r for r in document["value"] if r["name"] != drop]
    path = tmp_path / "network.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return str(path)


def test_files_that_match_the_tenant_change_nothing(azure: list[str], tmp_path: Path) -> None:
    run = run_cli("diff", *azure, _export(tmp_path), "--format", "json", "--fail-on-change", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["changes"] == [] and document["findings"] == {"new": [], "fixed": []}
    assert document["before"]["label"] == "azure" and document["complete"] is True


def test_files_that_drop_a_gateway_connection_move_the_vip(azure: list[str], tmp_path: Path) -> None:
    after = _export(tmp_path, drop="ergw-hub-01-er-circuit")
    run = run_cli("diff", *azure, after, "--format", "json", cwd=EXAMPLES)
    assert run.exit_code == 1, run.stderr
    document = json.loads(run.stdout)
    base = [(c["at"], c["before"], c["after"]) for c in document["changes"] if c["failure"] is None]
    assert base == [("er-circuit", "dns-01", "dns-02")]
    assert "AC204" in [f["code"] for f in document["findings"]["new"]]


def test_azure_with_two_paths_is_a_usage_error(azure: list[str], tmp_path: Path) -> None:
    run = run_cli("diff", *azure, _export(tmp_path), _export(tmp_path), cwd=EXAMPLES)
    assert run.exit_code == 2 and "with --azure, give one PATH (AFTER); got 2" in run.stderr

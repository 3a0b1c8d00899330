"""Baselines: accept today's findings, fail only on new ones, survive reformatting and reordering."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from conftest import EXAMPLES, example_design, run_cli

NEW_FAULT = {
    "name": "app-02",
    "region": "northeurope",
    "addressSpace": ["10.13.76.128/25"],
    "peerings": [{"name": "app-02-to-hub-02", "remoteVirtualNetwork": "hub-02", "useRemoteGateways": True}],
}


def _write(folder: Path, design: dict[str, Any], name: str = "topology.yaml") -> None:
    (folder / "anycast-lint.yaml").write_bytes((EXAMPLES / "anycast-lint.yaml").read_bytes())
    for old in folder.glob("topology.*"):
        old.unlink()
    text = json.dumps(design, indent=4) if name.endswith(".json") else yaml.safe_dump(design, sort_keys=False)
    (folder / name).write_text(text, encoding="utf-8")


def _scan(folder: Path, *args: str) -> tuple[int, dict[str, Any], str]:
    done = run_cli("scan", ".", "--format", "json", *args, cwd=folder)
    assert done.exit_code in (0, 1), done.stderr
    return done.exit_code, json.loads(done.stdout), done.stderr


def _ids(report: dict[str, Any]) -> list[tuple[str, str]]:
    return sorted((f["code"], f["message"]) for f in report["findings"])


def test_baseline_flow(tmp_path: Path) -> None:
    design = example_design("broken-overlap")
    _write(tmp_path, design)
    today = _ids(_scan(tmp_path)[1])
    assert {code for code, _ in today} >= {"AC101"}
    code, report, stderr = _scan(tmp_path, "--write-baseline", "baseline.json")
    assert code == 0 and report["findings"] == []  # today's findings (the app-01 overlap) are accepted
    assert f"wrote baseline baseline.json with {len(today)} finding" in stderr
    recorded = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert recorded["kind"] == "anycast-lint/baseline" and len(recorded["findings"]) == len(today)
    assert all(set(e) == {"fingerprint", "code", "resource", "message"} for e in recorded["findings"])

    text = run_cli("scan", ".", "--baseline", "baseline.json", cwd=tmp_path)
    assert text.exit_code == 0
    assert text.stdout.startswith("No findings: checked ")
    assert f"Baseline baseline.json: {len(today)} known finding" in text.stdout

    # A new fault: only its findings are reported, and they fail the run.
    design["virtualNetworks"].append(NEW_FAULT)
    _write(tmp_path, design)
    code, report, _ = _scan(tmp_path, "--baseline", "baseline.json")
    assert code == 1
    assert report["baseline"]["file"] == "baseline.json" and report["baseline"]["absent"] == []
    assert sorted(f["fingerprint"] for f in report["baseline"]["accepted"]) == sorted(
        e["fingerprint"] for e in recorded["findings"]
    )
    new = _ids(report)
    assert new and all("'app-02'" in message for _, message in new), new
    assert {c for c, _ in new} == {"AC101"}
    assert sorted(_ids(_scan(tmp_path)[1])) == sorted(new + today)

    # Reformatting (YAML -> indented JSON) and reordering resources and keys changes nothing.
    shuffled = {key: design[key] for key in reversed(list(design))}
    for key, value in shuffled.items():
        if isinstance(value, list):
            shuffled[key] = list(reversed(value))
    _write(tmp_path, shuffled, "topology.json")
    code, report, _ = _scan(tmp_path, "--baseline", "baseline.json")
    assert code == 1 and _ids(report) == new
    assert report["findings"][0]["file"] == "topology.json"

    # Repairing the accepted fault leaves baseline entries that no longer occur: say so, for pruning.
    app = next(v for v in design["virtualNetworks"] if v["name"] == "app-01")
    app["addressSpace"], app["subnets"][0]["addressPrefix"] = ["10.20.0.0/24"], "10.20.0.0/26"
    _write(tmp_path, design)
    text = run_cli("scan", ".", "--baseline", "baseline.json", cwd=tmp_path)
    absent = "1 entry no longer occurs" if len(today) == 1 else f"{len(today)} entries no longer occur"
    assert f"{absent} (prune with --write-baseline baseline.json)" in text.stdout


def test_sarif_marks_new_and_unchanged_results(tmp_path: Path) -> None:
    design = example_design("broken-overlap")
    _write(tmp_path, design)
    run_cli("scan", ".", "--write-baseline", "baseline.json", cwd=tmp_path)
    design["virtualNetworks"].append(NEW_FAULT)
    _write(tmp_path, design)
    done = run_cli(
        "scan", ".", "--format", "sarif", "--baseline", "baseline.json", "--root", str(tmp_path), cwd=tmp_path
    )
    assert done.exit_code == 1
    results = json.loads(done.stdout)["runs"][0]["results"]
    states = {(r["baselineState"], "'app-02'" in r["message"]["text"]) for r in results}
    assert states == {("new", True), ("unchanged", False)}


def test_a_bad_baseline_is_an_input_error(tmp_path: Path) -> None:
    _write(tmp_path, example_design("hub-and-spoke"))
    (tmp_path / "b.json").write_text(
        '{"kind": "anycast-lint/baseline",\n "version": 1,\n "findings": [}', encoding="utf-8"
    )
    done = run_cli("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert done.exit_code == 2
    assert done.stderr.startswith("anycast-lint: error: b.json:3:15: invalid JSON")
    (tmp_path / "b.json").write_text('{"findings": []}', encoding="utf-8")
    done = run_cli("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert done.exit_code == 2 and "not an anycast-lint baseline" in done.stderr
    (tmp_path / "b.json").write_text(
        '{"kind": "anycast-lint/baseline", "version": 1, "findings": [{"code": "AC101"}]}', encoding="utf-8"
    )
    done = run_cli("scan", ".", "--baseline", "b.json", cwd=tmp_path)
    assert done.stderr == (
        "anycast-lint: error: b.json:1:62: finding lacks 'fingerprint' (expected a non-empty string) (at $.findings[0])\n"
    )

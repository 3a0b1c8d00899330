"""Designs: each folder of topology files (or each design the config names) is checked on its own; a file
reached twice is read once; --exclude, the config's exclude: and the usual tool folders are skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLE_DESIGNS, EXAMPLES, REPO, run_cli


def _report(*args: str, cwd: Path) -> dict[str, Any]:
    run = run_cli("scan", *args, "--format", "json", cwd=cwd)
    assert run.exit_code in (0, 1), run.stderr
    report: dict[str, Any] = json.loads(run.stdout)
    return report


def _keys(findings: list[dict[str, Any]], prefix: str = "") -> set[tuple[str, str, int, int, str, str]]:
    return {(f["code"], prefix + f["file"], f["line"], f["column"], f["fingerprint"], f["message"]) for f in findings}


def test_examples_folder_gives_exactly_the_findings_of_each_example_alone() -> None:
    whole = _report("examples", cwd=REPO)
    alone: set[tuple[str, str, int, int, str, str]] = set()
    for design in EXAMPLE_DESIGNS:
        alone |= _keys(_report(design, cwd=EXAMPLES)["findings"], "examples/")
    assert _keys(whole["findings"]) == alone
    # AC101 of broken-overlap, and design A's AC302 note (no preferred region), in YAML and as ARM JSON
    assert len(whole["findings"]) == 4
    assert sorted(d["name"] for d in whole["designs"]) == sorted(
        f"examples/{d.removesuffix('.json')}" for d in EXAMPLE_DESIGNS
    )
    assert {(f["design"], f["code"]) for f in whole["findings"]} == {
        ("examples/broken-overlap", "AC101"),
        ("examples/arm/broken-overlap", "AC101"),
        ("examples/hub-and-spoke", "AC302"),
        ("examples/arm/hub-and-spoke", "AC302"),
    }


def test_arm_folder_of_three_designs_reports_only_the_broken_one() -> None:
    """Before designs, services and circuits merged across the three exports: AC301, AC302, AC305. Now
    design A's own AC302 note (it declares no preferred region) is the only AC30x finding."""
    run = run_cli("scan", "arm/", cwd=EXAMPLES)
    assert run.exit_code == 1, run.stderr
    assert run.stdout.count(": AC101 [error] ") == 1
    assert [line.split(": ")[1].split(" ")[0] for line in run.stdout.splitlines() if ": AC30" in line] == ["AC302"]
    assert "design arm/broken-overlap: 1 error\ndesign arm/hub-and-spoke: 1 note\n" in run.stdout
    assert "(3 designs)" in run.stdout


def test_repository_root_scan_is_the_union_of_its_designs() -> None:
    """`scan .` at the root of this repository: never exit 2, and each design's findings are exactly
    what scanning that design's files alone gives."""
    run = run_cli("scan", ".", "--format", "json", cwd=REPO)
    assert run.exit_code in (0, 1), run.stderr
    whole = json.loads(run.stdout)
    assert whole["complete"] is True and whole["errors"] == []
    assert len(whole["designs"]) > 50  # examples, rule fixture pairs, ARM exports, templates, captures
    union: set[tuple[str, str, int, int, str, str]] = set()
    for design in whole["designs"]:
        alone = _report(*design["files"], cwd=REPO)
        assert [d["name"] for d in alone["designs"]] == [design["name"]]
        union |= _keys(alone["findings"])
    assert _keys(whole["findings"]) == union


def test_a_design_never_sees_another_designs_resources(tmp_path: Path) -> None:
    """Two copies of one design in two folders: same ids, same circuit name, and no 'declared twice'."""
    for name in ("blue", "green"):
        (tmp_path / name).mkdir()
        shutil.copy(EXAMPLES / "hub-and-spoke" / "topology.yaml", tmp_path / name / "topology.yaml")
    shutil.copy(EXAMPLES / "anycast-lint.yaml", tmp_path / "anycast-lint.yaml")
    run = run_cli("scan", ".", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr
    assert "design blue: 1 note\ndesign green: 1 note\n" in run.stdout  # each its own AC302, nothing shared


def test_config_groups_folders_into_one_named_design(tmp_path: Path) -> None:
    """`designs:` joins a topology and a captured route table kept in different folders."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "captures").mkdir()
    shutil.copy(EXAMPLES / "hub-and-spoke" / "topology.yaml", tmp_path / "infra" / "topology.yaml")
    capture = REPO / "tests" / "fixtures" / "route-tables" / "seed-hub-and-spoke-failover.txt"
    shutil.copy(capture, tmp_path / "captures" / "er.txt")
    config = (EXAMPLES / "anycast-lint.yaml").read_text().split("# Each folder")[0]
    (tmp_path / "anycast-lint.yaml").write_text(config + "designs:\n  prod: [infra, captures/er.txt]\n")
    report = _report(".", cwd=tmp_path)
    assert [(d["name"], d["files"]) for d in report["designs"]] == [
        ("prod", ["captures/er.txt", "infra/topology.yaml"])
    ]
    assert [(f["code"], f["design"], f["file"]) for f in report["findings"]] == [
        ("AC306", "prod", "captures/er.txt"),
        ("AC302", "prod", "infra/topology.yaml"),
    ]


def test_a_file_two_designs_name_is_an_error_not_a_quiet_choice(tmp_path: Path) -> None:
    """Each design is checked on its own: giving the shared file to one would check the other without it."""
    (tmp_path / "infra").mkdir()
    shutil.copy(EXAMPLES / "hub-and-spoke" / "topology.yaml", tmp_path / "infra" / "topology.yaml")
    shutil.copy(EXAMPLES / "vwan-indirect-spokes" / "topology.yaml", tmp_path / "vwan.yaml")
    config = (EXAMPLES / "anycast-lint.yaml").read_text().split("# Each folder")[0]
    (tmp_path / "anycast-lint.yaml").write_text(
        config + "designs:\n  prod: [infra]\n  test: [vwan.yaml, infra/topology.yaml]\n"
    )
    run = run_cli("scan", ".", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.strip().splitlines() == [
        "anycast-lint: error: anycast-lint.yaml:"
        + f"{len(config.splitlines()) + 3}:21: infra/topology.yaml is in designs 'prod' and 'test': a file belongs to "
        "one design (each design is read and checked on its own); name it in one of them (at $.designs.test[1])"
    ]


@pytest.mark.parametrize("second", ["./topology.yaml", ".", "link.yaml"])
def test_a_file_reached_twice_is_read_once(tmp_path: Path, second: str) -> None:
    shutil.copy(EXAMPLES / "hub-and-spoke" / "topology.yaml", tmp_path / "topology.yaml")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "topology.yaml")
    run = run_cli(
        "scan",
        "topology.yaml",
        second,
        "--format",
        "json",
        "--config",
        str(EXAMPLES / "anycast-lint.yaml"),
        cwd=tmp_path,
    )
    assert run.exit_code == 0, run.stderr
    assert json.loads(run.stdout)["inputs"] == ["topology.yaml"]


def test_exclude_option_config_exclude_and_tool_folders(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "hub-and-spoke" / "topology.yaml", tmp_path / "topology.yaml")
    invalid = "apiVersion: anycast-lint/v1\nkind: Topology\nvirtualNetworks: 3\n"
    for folder in ("node_modules/pkg", ".terraform/modules", ".venv/lib", "fixtures/invalid", "old"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "bad.yaml").write_text(invalid, encoding="utf-8")
    (tmp_path / "anycast-lint.yaml").write_text("exclude: [fixtures/invalid]\n", encoding="utf-8")
    assert run_cli("scan", ".", cwd=tmp_path).exit_code == 2  # old/bad.yaml is read, and invalid
    run = run_cli("scan", ".", "--exclude", "old", "-v", cwd=tmp_path)
    assert run.exit_code == 0, run.stderr  # only the AC105 note: no on-premises ranges configured
    assert "anycast-lint: excluded fixtures/invalid\n" in run.stderr and "anycast-lint: excluded old\n" in run.stderr
    assert "bad.yaml" not in run.stdout
    named = run_cli("scan", "old/bad.yaml", "--exclude", "old", cwd=tmp_path)
    assert named.exit_code == 2  # a file named on the command line is always read

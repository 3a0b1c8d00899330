"""Config file: rule levels, YAML 1.2 values, services and members, suppressions that expire."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from anycast_lint.engine.run import run
from anycast_lint.inputs.config import load_config
from anycast_lint.inputs.loader import load_inputs
from conftest import EXAMPLES, run_cli

BROKEN = str(EXAMPLES / "broken-overlap")
ONPREM = "onprem:\n  prefixes: [172.16.0.0/12]\n"


def _scan(config: Path, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    done = run_cli("scan", BROKEN, "--config", str(config), "--format", "json", "--select", "AC101", *extra)
    return done.exit_code, json.loads(done.stdout) if done.stdout else {}, done.stderr


def test_off_is_the_word_off_not_false(write) -> None:  # type: ignore[no-untyped-def]
    """YAML 1.1 reads `off` as false; the config keeps what the user wrote."""
    code, report, _ = _scan(write("c.yaml", "rules:\n  AC101: off\n"))
    assert code == 0
    assert report["findings"] == [] and report["summary"]["rules"] == ["AC101"]


def test_note_level(write) -> None:  # type: ignore[no-untyped-def]
    code, report, _ = _scan(write("c.yaml", "rules:\n  AC101: note\n"))
    assert code == 0
    assert {f["level"] for f in report["findings"]} == {"note"}


def test_suppression_by_resource_glob(write) -> None:  # type: ignore[no-untyped-def]
    config = write(
        "c.yaml",
        "suppressions:\n  - rule: AC101\n    resource: '*/virtualnetworks/APP-*'\n"
        "    reason: app-01 is being re-addressed (CHG-1234)\n    expires: 2099-12-31\n",
    )
    code, report, stderr = _scan(config)
    assert code == 0 and stderr == ""
    assert report["findings"] == []
    assert [s["suppression"]["reason"] for s in report["suppressed"]] == ["app-01 is being re-addressed (CHG-1234)"]
    assert report["summary"]["suppressed"] == 1


def test_suppression_of_another_resource_does_not_apply(write) -> None:  # type: ignore[no-untyped-def]
    config = write("c.yaml", "suppressions:\n  - rule: AC101\n    resource: '*/virtualNetworks/dns-*'\n    reason: x\n")
    code, report, _ = _scan(config)
    assert code == 1 and len(report["findings"]) == 1


def test_expired_suppression_stops_applying_and_warns(write) -> None:  # type: ignore[no-untyped-def]
    config = write(
        "c.yaml",
        "suppressions:\n  - rule: '*'\n    resource: '*app-01'\n    reason: temporary\n    expires: 2020-01-31\n",
    )
    code, report, stderr = _scan(config)
    assert code == 1
    assert len(report["findings"]) == 1 and report["suppressed"] == []
    expected = f"{config}:2:5: suppression of * on *app-01 expired on 2020-01-31; its findings are reported again"
    assert stderr.strip() == f"anycast-lint: warning: {expected}"
    assert report["warnings"] == [expected]


def test_suppression_expiring_today_still_applies(write) -> None:  # type: ignore[no-untyped-def]
    config_path = write("c.yaml", "suppressions:\n  - rule: AC101\n    reason: r\n    expires: 2026-11-26\n")
    config = load_config(config_path, known_rules=["AC101"])
    topology = load_inputs([BROKEN]).topology
    assert run(topology, config, ["AC101"], today=dt.date(2026, 11, 26)).findings == []
    assert len(run(topology, config, ["AC101"], today=dt.date(2026, 11, 27)).findings) == 1


def test_unknown_rule_code_is_located(write) -> None:  # type: ignore[no-untyped-def]
    code, _, stderr = _scan(write("c.yaml", ONPREM + "rules:\n  AC999: error\n"))
    assert code == 2
    assert stderr.strip().endswith("c.yaml:4:10: unknown rule 'AC999' (see `anycast-lint rules`) (at $.rules.AC999)")


def test_impossible_expiry_date(write) -> None:  # type: ignore[no-untyped-def]
    code, _, stderr = _scan(write("c.yaml", "suppressions:\n  - rule: AC101\n    reason: r\n    expires: 2027-02-30\n"))
    assert code == 2
    assert "c.yaml:4:14: expires '2027-02-30' is not a real date (expected YYYY-MM-DD)" in stderr


def test_service_members_from_config(write) -> None:  # type: ignore[no-untyped-def]
    """Listing app-01 as a member makes its overlap anycast, not a conflict."""
    config = write("c.yaml", "services:\n  dns:\n    vip: 10.13.76.4\n    members: [app-01]\n")
    code, report, _ = _scan(config)
    assert code == 0 and report["findings"] == []


def test_member_glob_that_contradicts_a_tag_is_refused(write) -> None:  # type: ignore[no-untyped-def]
    config = write("c.yaml", "services:\n  ntp:\n    members: ['*/virtualnetworks/dns-01']\n")
    code, _, stderr = _scan(config)
    assert code == 2
    assert "virtual network 'dns-01' is tagged anycast-service: dns but listed as a member of service 'ntp'" in stderr


def test_config_in_working_directory_is_found(tmp_path: Path) -> None:
    """A design without a config of its own uses the one in the current directory."""
    design = tmp_path / "design" / "topology.yaml"
    design.parent.mkdir()
    design.write_text((EXAMPLES / "broken-overlap" / "topology.yaml").read_text(), encoding="utf-8")
    (tmp_path / "cwd").mkdir()
    (tmp_path / "cwd" / "anycast-lint.yaml").write_text("rules:\n  AC101: off\n", encoding="utf-8")
    assert run_cli("scan", str(design.parent), "--select", "AC101", cwd=tmp_path / "cwd").exit_code == 0
    assert run_cli("scan", str(design.parent), "--select", "AC101").exit_code == 1


def test_nearest_config_walking_up_from_the_design_wins(tmp_path: Path) -> None:
    """Like ruff: the config next to (or above) the scanned design, not the one where the command runs."""
    (tmp_path / "anycast-lint.yaml").write_text("rules:\n  AC101: off\n", encoding="utf-8")
    (tmp_path / "infra" / "prod").mkdir(parents=True)
    (tmp_path / "infra" / "prod" / "topology.yaml").write_text(
        (EXAMPLES / "broken-overlap" / "topology.yaml").read_text(), encoding="utf-8"
    )
    (tmp_path / "infra" / "anycast-lint.yaml").write_text("rules:\n  AC101: warning\n", encoding="utf-8")
    run = run_cli("scan", "infra/prod", "--select", "AC101", "--format", "json", "-v", cwd=tmp_path)
    assert run.exit_code == 0
    assert {f["level"] for f in json.loads(run.stdout)["findings"]} == {"warning"}
    assert "anycast-lint: design infra/prod (config infra/anycast-lint.yaml)" in run.stderr


def test_bad_vip(write) -> None:  # type: ignore[no-untyped-def]
    code, _, stderr = _scan(write("c.yaml", "services:\n  dns:\n    vip: 10.13.76.400\n"))
    assert code == 2
    assert "c.yaml:3:10: expected an IP address like 10.13.76.4, got '10.13.76.400'" in stderr


def test_what_the_config_leaves_out_is_reported_at_the_config(tmp_path: Path) -> None:
    """A config-level finding points at the config file's line, not at some VNet of the design."""
    (tmp_path / "design").mkdir()
    (tmp_path / "design" / "topology.yaml").write_text(
        (EXAMPLES / "hub-and-spoke" / "topology.yaml").read_text(), encoding="utf-8"
    )
    (tmp_path / "anycast-lint.yaml").write_text("# no on-premises ranges\nrules:\n  AC303: warning\n", encoding="utf-8")
    run = run_cli("scan", "design", "--select", "AC105", "--format", "json", cwd=tmp_path)
    (note,) = json.loads(run.stdout)["findings"]
    assert (note["code"], note["level"], note["file"], note["line"]) == ("AC105", "note", "anycast-lint.yaml", 2)
    assert "on-premises ranges are not configured" in note["message"]

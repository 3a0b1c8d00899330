"""ExpressRoute route tables as captured from the CLI: the seed report's four tables, JSON, bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anycast_lint.inputs.loader import load_inputs
from anycast_lint.model.topology import ObservedRouteTable
from conftest import FIXTURES, SEED, run_cli, shared_or_skip

TABLES = FIXTURES / "route-tables"


def _tables(*paths: Path) -> tuple[ObservedRouteTable, ...]:
    return load_inputs([str(p) for p in paths]).topology.observed_route_tables


def _rows(table: ObservedRouteTable) -> list[tuple[str, str, str, int | None, int | None, bool | None]]:
    return [
        (str(r.network), str(r.next_hop), " ".join(map(str, r.as_path)), r.local_preference, r.weight, r.best)
        for r in table.routes
    ]


def test_seed_hub_and_spoke_table() -> None:
    (table,) = _tables(TABLES / "seed-hub-and-spoke.txt")
    assert (table.circuit_name, table.device_path, table.peering) == (None, "primary", "AzurePrivatePeering")
    rows = _rows(table)
    assert len(rows) == 13
    assert rows[:4] == [
        ("10.13.76.0/24", "192.168.128.12", "65515", 100, 0, True),
        ("10.13.76.0/24", "192.168.128.13", "65515", 100, 0, False),
        ("10.13.76.0/24", "192.168.130.12", "65515", 100, 0, False),
        ("10.13.76.0/24", "192.168.130.13", "65515", 100, 0, False),
    ]
    assert ("192.168.128.0/23", "169.254.41.169", "133937 12076", 100, 0, False) in rows
    best = {network: hop for network, hop, *_, marked in rows if marked}
    assert best == {
        "10.13.76.0/24": "192.168.128.12",
        "192.168.128.0/23": "192.168.128.12",
        "192.168.130.0/23": "192.168.130.12",
    }
    assert table.routes[0].origin.line == 4  # the row under the header, command and dashes


def test_seed_failover_table() -> None:
    (table,) = _tables(TABLES / "seed-hub-and-spoke-failover.txt")
    rows = _rows(table)
    assert len(rows) == 11
    assert [r for r in rows if r[0] == "10.13.76.0/24"] == [
        ("10.13.76.0/24", "192.168.130.12", "65515", 100, 0, True),
        ("10.13.76.0/24", "192.168.130.13", "65515", 100, 0, False),
    ]


def test_seed_vwan_tables_with_preview_warning_and_prepend() -> None:
    (plain,) = _tables(TABLES / "seed-vwan.txt")
    assert [r[1] for r in _rows(plain) if r[5]] == ["192.168.128.12"]
    (prepended,) = _tables(TABLES / "seed-vwan-prepended.txt")
    assert _rows(prepended) == [
        ("10.13.76.0/24", "192.168.130.12", "65515", 100, 0, True),
        ("10.13.76.0/24", "192.168.130.13", "65515", 100, 0, False),
        ("10.13.76.0/24", "192.168.128.12", "65515 11111", 100, 0, False),
        ("10.13.76.0/24", "192.168.128.13", "65515 11111", 100, 0, False),
    ]


def test_the_seed_report_itself_reads_as_four_tables() -> None:
    tables = _tables(shared_or_skip(SEED))
    assert [len(t.routes) for t in tables] == [13, 11, 4, 4]
    assert [next(str(r.next_hop) for r in t.routes if r.best) for t in tables] == [
        "192.168.128.12",
        "192.168.130.12",
        "192.168.128.12",
        "192.168.130.12",
    ]


def test_json_output_with_and_without_marks(tmp_path: Path) -> None:
    rows = [
        {
            "locPrf": "100",
            "network": "10.13.76.0/24",
            "nextHop": "192.168.130.12",
            "path": "65515",
            "weight": 0,
        },
        {
            "locPrf": "100",
            "network": "10.13.76.0/24",
            "nextHop": "192.168.128.12",
            "path": "65515 11111",
            "weight": 0,
        },
    ]
    (tmp_path / "value.json").write_text(json.dumps({"value": rows, "nextLink": None}), encoding="utf-8")
    (table,) = _tables(tmp_path / "value.json")
    assert [r.best for r in table.routes] == [None, None]  # this output does not say which is best
    assert table.routes[1].as_path == (65515, 11111)
    rows[0]["nextHop"] += "*"
    (tmp_path / "bare.json").write_text(json.dumps(rows), encoding="utf-8")  # --query value -o json
    (marked,) = _tables(tmp_path / "bare.json")
    assert [r.best for r in marked.routes] == [True, False]


@pytest.mark.parametrize(
    ("text", "where", "fragment"),
    [
        (
            "LocPrf    Network            NextHop          Path          Weight\n"
            "--------  -----------------  ---------------  ------------  --------\n"
            "100       10.13.76.0/24      192.168.128.12*  65515         heavy\n",
            "3:1",
            "expected a number, got 'heavy'",
        ),
        (
            "LocPrf    Network            NextHop          Path          Weight\n"
            "100       10.13.76.0/33      192.168.128.12   65515         0\n",
            "2:1",
            "expected a prefix like 10.13.76.0/24, got '10.13.76.0/33'",
        ),
        (
            "LocPrf    Network            NextHop          Path          Weight\n"
            "100       10.13.76.0/24      192.168.128.12   655a5         0\n",
            "2:1",
            "expected an AS path like '65515 11111'",
        ),
    ],
    ids=["weight", "network", "path"],
)
def test_bad_rows_are_located(tmp_path: Path, text: str, where: str, fragment: str) -> None:
    (tmp_path / "table.txt").write_text(text, encoding="utf-8")
    run = run_cli("scan", "table.txt", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith(f"anycast-lint: error: table.txt:{where}: ") and fragment in run.stderr


def test_text_files_that_are_not_tables(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("just some notes\n", encoding="utf-8")
    explicit = run_cli("scan", "notes.txt", cwd=tmp_path)
    assert explicit.exit_code == 2 and "not a route table capture" in explicit.stderr
    (tmp_path / "table.txt").write_text((TABLES / "seed-vwan.txt").read_text(encoding="utf-8"), encoding="utf-8")
    folder = run_cli("scan", str(tmp_path), "--verbose")
    assert folder.exit_code == 0
    assert "skipped" in folder.stderr and "notes.txt (text file that is not a route table capture)" in folder.stderr

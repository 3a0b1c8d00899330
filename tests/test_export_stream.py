"""A large export is parsed item by item and its plain VNets translated as they are read (peak memory);
the scan must report exactly what the whole-file parse reports: the same findings at the same lines, the
same errors, the same model."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from anycast_lint.errors import InputErrors
from anycast_lint.inputs import export_stream, reader
from anycast_lint.inputs.assemble import content
from anycast_lint.inputs.loader import load_inputs
from anycast_lint.sources.arm.resources import PreRead, preread_export_item
from conftest import EXAMPLES, FIXTURES, RULE_FIXTURES, run_cli

EXPORTS = sorted(
    [*(FIXTURES / "arm").rglob("*.json"), *(EXAMPLES / "arm").glob("*.json"), *RULE_FIXTURES.glob("*/*.json")]
)
SUB = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every JSON file counts as large: ASCII exports are parsed item by item and let go of their text."""
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)


def _scan(*arguments: str) -> tuple[int, Any, str]:
    run = run_cli("scan", *arguments, "--format", "json")
    report = json.loads(run.stdout) if run.stdout.strip() else None
    return run.exit_code, report, run.stderr


def _topology(path: Path) -> tuple[Any, list[str]]:
    topology = load_inputs([str(path)]).topology
    model = tuple(part for part in content(topology) if part[0] != "documents")  # the files, not what they hold
    return model, [repr(v) for v in topology.virtual_networks.values()]


@pytest.mark.parametrize("chunk", [5, 4096], ids=["5-byte chunks", "4 KB chunks"])
@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_streamed_export_gives_the_same_findings_lines_and_model(
    path: Path, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read in chunks far smaller than an item, every value, whitespace run and number is cut somewhere."""
    whole = _scan(str(path))
    whole_model = _topology(path) if whole[0] != 2 else None
    monkeypatch.setattr(export_stream, "CHUNK_BYTES", chunk)
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    assert _scan(str(path)) == whole
    if whole_model is not None:
        assert _topology(path) == whole_model


def _vnet(index: int) -> dict[str, Any]:
    vnet_id = f"{SUB}/virtualNetworks/v{index}"
    return {
        "name": f"v{index}",
        "id": vnet_id,
        "type": "Microsoft.Network/virtualNetworks",
        "location": "westeurope",
        "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/24" if index < 2 else f"10.{index}.0.0/24"]},
            "subnets": [{"name": "s", "id": f"{vnet_id}/subnets/s", "properties": {"addressPrefix": "10.0.0.0/26"}}],
        },
    }


def _write(path: Path, data: Any, indent: int | None = 2) -> Path:
    path.write_text(json.dumps(data, indent=indent), encoding="utf-8")
    return path


def test_plain_vnets_are_translated_while_parsed_and_their_items_dropped(tmp_path: Path, streamed: None) -> None:
    export = _write(tmp_path / "export.json", {"value": [_vnet(0), _vnet(1)], "nextLink": None})
    parsed = reader.parse_file(export, str(export), preread_export_item)
    assert [type(item) for item in parsed.data["value"]] == [PreRead, PreRead]
    assert parsed.document.text == ""  # released: lines are read back per item
    vnet = load_inputs([str(export)]).topology.virtual_networks[f"{SUB}/virtualNetworks/v1"]
    lines = export.read_text().splitlines()
    assert lines[vnet.prefix_origins[0].line - 1].strip() == '"10.0.0.0/24"'  # v1's, read back from the file
    assert lines[vnet.subnets[0].origin.line - 1].strip() == "{" and vnet.subnets[0].origin.line > lines.index(
        '      "name": "v1",'
    )


def test_a_vnet_whose_subnets_are_also_listed_alone_is_read_again_and_merged(tmp_path: Path) -> None:
    separate = {
        "name": "extra",
        "id": f"{SUB}/virtualNetworks/v5/subnets/extra",
        "type": "Microsoft.Network/virtualNetworks/subnets",
        "properties": {"addressPrefix": "10.5.0.128/26"},
    }
    export = _write(tmp_path / "export.json", {"value": [_vnet(5), _vnet(6), separate]})
    whole = _topology(export)
    reader.RELEASE_TEXT_CHARACTERS, saved = 0, reader.RELEASE_TEXT_CHARACTERS
    try:
        assert _topology(export) == whole
    finally:
        reader.RELEASE_TEXT_CHARACTERS = saved
    subnets = load_inputs([str(export)]).topology.virtual_networks[f"{SUB}/virtualNetworks/v5"].subnets
    assert [s.name for s in subnets] == ["s", "extra"]


NOT_STREAMED = {
    "template": {"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"},
    "item not an object": {"value": [_vnet(0), "x"]},
    "unknown envelope key": {"value": [_vnet(0)], "extra": 1},
    "route table rows": {"value": [{"network": "10.0.0.0/24", "nextHop": "10.1.0.4", "path": "65515"}]},
}


@pytest.mark.parametrize("data", NOT_STREAMED.values(), ids=NOT_STREAMED.keys())
def test_other_shapes_are_read_whole_with_the_same_outcome(
    data: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "input.json", data)
    whole = _scan(str(path))
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    assert _scan(str(path)) == whole
    parsed = reader.parse_file(path, str(path), preread_export_item)
    assert parsed.data == data  # nothing replaced


BROKEN = {
    "number at the end": '{"value": [], "count": 12345678',
    "number then more": '{"count": 12345678, "value": []}',
    "non-ASCII": '{"value": [{"id": "a", "type": "Microsoft.Network/virtualNetworks", "tags": {"city": "Zürich"}}]}',
    "cut short": '{"value": [{"id": "a", "type": "Microsoft.Network/virtualNetworks"',
    "trailing data": '{"value": []} {"value": []}',
    "missing comma": '{"value": [{"id": "a"} {"id": "b"}]}',
    "long integer": '{"value": [{"id": "a", "type": "Microsoft.Network/virtualNetworks", "n": ' + "9" * 5000 + "}]}",
    "comment": '// exported\n{"value": []}',
}


@pytest.mark.parametrize("text", BROKEN.values(), ids=BROKEN.keys())
def test_broken_or_commented_json_gets_the_whole_file_reading(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    whole = _scan(str(path))
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    assert _scan(str(path)) == whole
    monkeypatch.setattr(export_stream, "CHUNK_BYTES", 3)
    assert _scan(str(path)) == whole


def test_json_in_a_yaml_file_is_not_streamed(tmp_path: Path, streamed: None) -> None:
    path = _write(tmp_path / "export.yaml", {"value": [_vnet(0)]})
    assert reader.parse_file(path, str(path), preread_export_item).data == {"value": [_vnet(0)]}


def test_an_invalid_vnet_is_left_to_the_translation_and_its_error(tmp_path: Path, streamed: None) -> None:
    broken = _vnet(0)
    broken["properties"]["subnets"][0]["properties"]["addressPrefix"] = "10.0.0.1/26"
    path = _write(tmp_path / "export.json", {"value": [broken]}, indent=None)
    assert reader.parse_file(path, str(path), preread_export_item).data["value"][0] == broken
    with pytest.raises(InputErrors, match=r"export\.json:1:\d+: 10\.0\.0\.1/26 has host bits set"):
        load_inputs([str(path)])


@pytest.mark.parametrize("report", ["text", "sarif", "markdown", "github", "junit"])
def test_every_report_format_reads_the_same_from_a_streamed_export(
    report: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lines, snippets and fixes in every report come from the items read back from the file."""
    paths = [str(EXAMPLES / "arm" / "broken-overlap.json"), str(RULE_FIXTURES / "AC201" / "bad.json")]
    options = ["--show-fixes"] if report == "text" else []
    whole = [run_cli("scan", path, "--format", report, *options) for path in paths]
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    monkeypatch.setattr(export_stream, "CHUNK_BYTES", 7)
    streamed = [run_cli("scan", path, "--format", report, *options) for path in paths]

    def seen(run: Any) -> tuple[int, str, str]:
        return run.exit_code, re.sub(r'"(start|end)TimeUtc": "[^"]*"', "", run.stdout), run.stderr

    assert [seen(r) for r in streamed] == [seen(r) for r in whole]
    assert all(r.exit_code == 1 for r in whole)  # both have findings to place

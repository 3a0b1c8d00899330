"""Paths resolve to the right line and column, in JSON (located lazily in the raw text) and in YAML."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
import yaml

from anycast_lint.inputs.reader import parse_json_text, parse_yaml_text
from anycast_lint.model.positions import JsonDocument, Pointer, Span, TextPositions, YamlDocument, format_pointer


def _sample() -> tuple[Any, dict[str, Pointer]]:
    """A nested document whose leaves are unique markers, with the pointer of each marker."""
    counter = iter(range(10_000))
    pointers: dict[str, Pointer] = {}

    def leaf(pointer: Pointer) -> str:
        marker = f"v-{next(counter)}"
        pointers[marker] = pointer
        return marker

    rng = random.Random(7)

    def build(pointer: Pointer, depth: int) -> Any:
        if depth == 0 or rng.random() < 0.2:
            return leaf(pointer)
        if rng.random() < 0.5:
            return [build((*pointer, i), depth - 1) for i in range(rng.randint(0, 4))]
        keys = [
            rng.choice(["name", "id", "properties", "é ü", 'q"uote', "x/y"]) + str(i) for i in range(rng.randint(0, 4))
        ]
        return {key: build((*pointer, key), depth - 1) for key in keys}

    data = {"resources": [build(("resources", i), 5) for i in range(30)], "tail": leaf(("tail",))}
    return data, pointers


def _expected(text: str, marker: str) -> tuple[int, int]:
    offset = text.index(json.dumps(marker))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


@pytest.mark.parametrize("indent", [None, 2, "\t"])
def test_json_locator_finds_every_leaf(indent: int | str | None) -> None:
    data, pointers = _sample()
    text = json.dumps(data, indent=indent, ensure_ascii=False)
    document = parse_json_text(text, "sample.json").document
    assert pointers
    for marker, pointer in pointers.items():
        span = document.locate(pointer)
        assert (span.line, span.column) == _expected(text, marker), format_pointer(pointer)
        assert span.end_column - span.column == len(json.dumps(marker)) or span.end_line > span.line


def test_json_locator_falls_back_to_the_nearest_ancestor() -> None:
    text = '{\n  "a": [\n    {"b": 1}\n  ]\n}'
    document = JsonDocument("x.json", text)
    assert document.locate(("a", 0, "missing", 3)) == Span(3, 5, 3, 13)
    assert document.locate(("a", 5)) == Span(2, 8, 4, 4)
    assert document.locate(("nothing",)) == Span(1, 1, 5, 2)


def test_json_duplicate_keys_point_at_the_value_json_load_keeps() -> None:
    text = '{"a": 1,\n "a": 2}'
    assert json.loads(text)["a"] == 2
    assert JsonDocument("x.json", text).locate(("a",)).line == 2


def test_json_root_containers_scanned_once_still_locate_duplicates_and_empties() -> None:
    """The root object's lists and objects are walked item by item (not skipped, then parsed again):
    the last duplicate still wins, empty containers and the keys after them keep their places."""
    text = '{ "value" : [ {"a": 1} ],\n  "value": [ [], {"b": [2, 3]} ],\n  "e": {}, "t": [ ] ,\n  "z": {"k": 4}}'
    assert json.loads(text)["value"][1] == {"b": [2, 3]}
    document = JsonDocument("x.json", text)
    assert document.locate(("value", 1, "b", 1)) == Span(2, 28, 2, 29)
    assert document.locate(("value", 0)) == Span(2, 14, 2, 16)
    assert document.locate(("e",)) == Span(3, 8, 3, 10)
    assert document.locate(("t",)) == Span(3, 17, 3, 20)
    assert document.locate(("z", "k")) == Span(4, 14, 4, 15)
    assert document.locate_key(("z",)) == Span(4, 3, 4, 6)


def test_yaml_locator_finds_every_leaf() -> None:
    data, pointers = _sample()
    text = yaml.safe_dump(data, allow_unicode=True, default_style='"', width=10_000)
    document = parse_yaml_text(text, "sample.yaml").document
    assert isinstance(document, YamlDocument)
    for marker, pointer in pointers.items():
        span = document.locate(pointer)
        assert (span.line, span.column) == _expected(text, marker), format_pointer(pointer)


def test_yaml_parsing_is_yaml_1_2() -> None:
    parsed = parse_yaml_text(
        "a: off\nb: yes\nc: 2027-03-31\nd: 0o17\ne: 1_000\nf: ~\ng: .inf\nh: 'true'\ni: True\n", "x"
    )
    assert parsed.data == {
        "a": "off", "b": "yes", "c": "2027-03-31", "d": 15, "e": "1_000", "f": None, "g": float("inf"),
        "h": "true", "i": True,
    }  # fmt: skip


def test_text_positions_match_a_naive_count() -> None:
    rng = random.Random(3)
    text = "".join(rng.choice(["a", "bb", "\n", "é", "\t"]) for _ in range(200_000))
    positions = TextPositions(text)
    offsets = sorted(rng.sample(range(len(text)), 300)) + rng.sample(range(len(text)), 300)
    for offset in offsets:
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        assert positions.line_column(offset) == (line, column)


def test_format_pointer() -> None:
    assert format_pointer(()) == "$"
    assert format_pointer(("virtualNetworks", 0, "addressSpace", 1)) == "$.virtualNetworks[0].addressSpace[1]"
    assert format_pointer(("rules", "AC101", "a b")) == '$.rules.AC101["a b"]'


def _pointers(value: Any, pointer: Pointer = ()) -> list[Pointer]:
    """Every path in a document, containers and leaves, including ones one step past its end."""
    found = [pointer]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _pointers(child, (*pointer, key))
        found.append((*pointer, "no-such-key"))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _pointers(child, (*pointer, index))
        found.append((*pointer, len(value)))
    return found


@pytest.mark.parametrize("indent", [2, None], ids=["indented", "one-line"])
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("shape", ["export", "array", "nested"])
def test_a_released_large_file_locates_every_path_as_before(
    shape: str, bom: bool, indent: int | None, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large ASCII JSON file lets go of its text once parsed (peak memory); every value and key is then
    located by reading back only the item it is in, at the same line and column as with the text."""
    from anycast_lint.inputs import reader

    data, _ = _sample()
    if shape == "export":
        data = {"value": data["resources"], "nextLink": None, "count": {"total": 30}}
    elif shape == "array":
        data = data["resources"]
    text = json.dumps(data, indent=indent, ensure_ascii=True)
    path = tmp_path / "export.json"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + ("\n" + text + "\n").encode())
    kept = parse_json_text(path.read_text(encoding="utf-8-sig"), str(path)).document
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    released = reader.parse_file(path).document
    assert isinstance(released, JsonDocument) and released.text == ""  # let go
    for pointer in _pointers(data):
        assert released.locate(pointer) == kept.locate(pointer), pointer
        assert released.locate_key(pointer) == kept.locate_key(pointer), pointer


def test_a_file_that_changes_during_the_scan_is_an_error_not_a_wrong_line(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from anycast_lint.errors import InputError
    from anycast_lint.inputs import reader

    path = tmp_path / "export.json"
    path.write_text(json.dumps({"value": [{"id": "a", "properties": {"x": 1}}]}, indent=2))
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    document = reader.parse_file(path).document
    path.write_text(json.dumps({"value": [{"id": "b", "properties": {"y": 22}}]}, indent=2))
    with pytest.raises(InputError, match="changed on disk during the scan"):
        document.locate(("value", 0, "properties", "x"))


def test_only_large_ascii_json_lets_go_of_its_text(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from anycast_lint.inputs import reader

    ascii_file, other = tmp_path / "a.json", tmp_path / "b.json"
    ascii_file.write_text(json.dumps({"value": [{"id": "x"}]}))
    other.write_text(json.dumps({"value": [{"id": "é"}]}, ensure_ascii=False), encoding="utf-8")
    assert reader.parse_file(ascii_file).document.text  # small: kept
    monkeypatch.setattr(reader, "RELEASE_TEXT_CHARACTERS", 0)
    assert reader.parse_file(ascii_file).document.text == ""
    assert reader.parse_file(other).document.text  # offsets in characters are not byte offsets: kept

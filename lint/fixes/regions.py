"""Turn a fix's edits into text replacements of the file they apply to (SARIF artifactChanges).

The file is parsed again; the changes are applied to the data; the smallest node that holds them is
written back in the file's own style (JSON indented like its line, YAML block or flow as it was), so
the rest of the file is untouched. Only the native format and ARM REST documents (`properties`) are
edited: other shapes (templates, CLI exports, Terraform plans) get the fix as text only.
"""

from __future__ import annotations

import copy
import json
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from anycast_lint.fixes import APPEND, REMOVE, SET, Change, Edit, Fix
from anycast_lint.model.positions import JsonDocument, Pointer, Span

WIDE = 10**9


@dataclass(frozen=True)
class Replacement:
    """Replace [start, end) — 1-based lines and columns, end exclusive, as SARIF regions — with `text`."""

    file: str
    start_line: int
    start_column: int
    end_line: int
    end_column: int
    text: str


class _Text:
    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        newline = text.find("\n")
        while newline >= 0:
            self.starts.append(newline + 1)
            newline = text.find("\n", newline + 1)

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1

    def indent_of(self, offset: int) -> str:
        start = self.text.rfind("\n", 0, offset) + 1
        line = self.text[start:offset]
        return line[: len(line) - len(line.lstrip(" "))]


def replacements(fix: Fix) -> list[Replacement]:
    """Every replacement of a fix, or none when one of its edits cannot be placed (never half a fix)."""
    found: list[Replacement] = []
    for edit in fix.edits:
        placed = _edit(edit)
        if placed is None:
            return []
        found += placed
    return found


def _edit(edit: Edit) -> list[Replacement] | None:
    origin = edit.origin
    if origin.document is None or not origin.file:
        return None
    is_json = isinstance(origin.document, JsonDocument)
    parsed = _parsed(origin.file, is_json)
    if parsed is None:
        return None
    text, data = parsed
    vocabulary = _vocabulary(data, origin.pointer)
    changes = edit.native if vocabulary == "native" else edit.arm if vocabulary == "arm" else ()
    if not changes:
        return None
    writer = _Writer(origin.file, text, data, is_json, origin.document.locate)
    return writer.apply(origin.pointer, changes)


def _parsed(file: str, is_json: bool) -> tuple[_Text, Any] | None:
    """The file's text and data, read and parsed once for all the fixes into it (1,000 NSGs without a Deny
    rule are 1,000 fixes into one file), again when the file changed."""
    try:
        stat = Path(file).stat()
    except OSError:
        return None
    return _parse(file, is_json, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _parse(file: str, is_json: bool, mtime_ns: int, size: int) -> tuple[_Text, Any] | None:
    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    try:
        data = json.loads(text) if is_json else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError, RecursionError):
        return None
    return _Text(text), data


def _vocabulary(data: Any, pointer: Pointer) -> str | None:
    if isinstance(data, dict) and str(data.get("apiVersion", "")).startswith("anycast-lint/"):
        return "native"
    target = _get(data, pointer)
    rest = isinstance(data, dict) and isinstance(data.get("value"), list)
    if rest and (pointer == () or (isinstance(target, dict) and "properties" in target) or "properties" in pointer):
        return "arm"
    return None


def _get(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


class _Writer:
    def __init__(self, file: str, text: _Text, data: Any, is_json: bool, locate: Any):
        self.file, self.text, self.data, self.is_json, self.locate = file, text, data, is_json, locate

    def apply(self, base: Pointer, changes: tuple[Change, ...]) -> list[Replacement] | None:
        if len(changes) == 1:
            return self._one(base, changes[0])
        target = copy.deepcopy(_get(self.data, base))
        if target is None:
            return None
        for change in changes:
            if change.op == REMOVE or not _apply(target, change):
                return None
        return [self._replace(base, target)]

    def _one(self, base: Pointer, change: Change) -> list[Replacement] | None:
        if change.op == REMOVE:
            return self._remove(base)
        # the deepest part of the path that exists: replace it, with what is missing built inside
        path = change.path
        depth = 0
        while depth < len(path) and _get(self.data, base + path[: depth + 1]) is not None:
            depth += 1
        if change.op == APPEND and depth == len(path):
            items = _get(self.data, base + path)
            if not isinstance(items, list):
                return None
            if not items:
                return [self._replace(base + path, [change.value])]
            return [self._append(base + path, len(items) - 1, change.value)]
        node = base + path[:depth]
        target = copy.deepcopy(_get(self.data, node))
        if depth == len(path) and change.op == SET:
            return [self._replace(node, change.value)]
        if target is None or not _apply(target, Change(change.op, path[depth:], change.value)):
            return None
        return [self._replace(node, target)]

    # -- text --------------------------------------------------------------------------------------

    def _span(self, pointer: Pointer) -> tuple[int, int]:
        span: Span = self.locate(pointer)
        start = self.text.offset(span.line, span.column)
        end = self.text.offset(span.end_line, span.end_column)
        return start, self._trim(start, end)

    def _trim(self, start: int, end: int) -> int:
        """The end of the node's own text: YAML block nodes end where the next token starts."""
        body = self.text.text[start:end]
        lines = body.split("\n")
        while len(lines) > 1 and (not lines[-1].strip() or lines[-1].strip().startswith("#")):
            lines.pop()
        return start + len("\n".join(lines).rstrip())

    def _replacement(self, start: int, end: int, text: str) -> Replacement:
        line, column = self.text.position(start)
        end_line, end_column = self.text.position(end)
        return Replacement(self.file, line, column, end_line, end_column, text)

    def _dump(self, value: Any, start: int, flow: bool) -> str:
        indent = " " * (start - self.text.starts[self.text.position(start)[0] - 1])
        if self.is_json:
            prefix = self.text.indent_of(start)
            return json.dumps(value, indent=2).replace("\n", "\n" + prefix)
        if flow or not isinstance(value, (dict, list)) or not value:
            dumped = yaml.safe_dump([value], default_flow_style=True, sort_keys=False, width=WIDE).strip()
            return dumped[1:-1]
        block = yaml.safe_dump(value, default_flow_style=False, sort_keys=False, width=WIDE).rstrip("\n")
        return block.replace("\n", "\n" + indent)

    def _is_flow(self, start: int) -> bool:
        return self.text.text[start : start + 1] in ("{", "[")

    def _replace(self, pointer: Pointer, value: Any) -> Replacement:
        start, end = self._span(pointer)
        flow = self._is_flow(start)
        text = self._dump(value, start, flow)
        if not self.is_json and not flow and not (isinstance(value, (dict, list)) and value):
            # a block node becomes a flow one ([] or a scalar): it goes after its key's colon, on the key's line
            colon = len(self.text.text[:start].rstrip())
            if self.text.text[colon - 1 : colon] == ":":
                return self._replacement(colon, end, " " + text)
        return self._replacement(start, end, text)

    def _append(self, pointer: Pointer, last: int, value: Any) -> Replacement:
        list_start, _ = self._span(pointer)
        if not self.is_json and self._is_flow(list_start):
            items = [*list(_get(self.data, pointer)), value]
            return self._replace(pointer, items)
        start, end = self._span((*pointer, last))
        if self.is_json:
            return self._replacement(end, end, ",\n" + self.text.indent_of(start) + self._dump(value, start, False))
        dash = self.text.text.rfind("-", 0, start)
        lead = " " * (dash - self.text.starts[self.text.position(dash)[0] - 1])
        return self._replacement(end, end, "\n" + lead + "- " + self._dump(value, start, self._is_flow(start)))

    def _remove(self, pointer: Pointer) -> list[Replacement] | None:
        parent, index = pointer[:-1], pointer[-1]
        items = _get(self.data, parent)
        if not isinstance(items, list) or not isinstance(index, int):
            return None
        list_start, _ = self._span(parent)
        if (not self.is_json and self._is_flow(list_start)) or len(items) == 1:
            return [self._replace(parent, [item for i, item in enumerate(items) if i != index])]
        start, end = self._span(pointer)
        if self.is_json:
            if index > 0:
                _, previous_end = self._span((*parent, index - 1))
                return [self._replacement(previous_end, end, "")]
            next_start, _ = self._span((*parent, index + 1))
            return [self._replacement(start, next_start, "")]
        line_start = self.text.text.rfind("\n", 0, start)  # the newline before the item's "- " line
        return [self._replacement(line_start, end, "")]


def _apply(target: Any, change: Change) -> bool:
    """Apply a change to data in place; False when its path does not fit the data."""
    node = target
    for part in change.path[:-1]:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.setdefault(part, {})
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return False
    if not change.path:
        return False
    key = change.path[-1]
    if change.op == SET:
        if isinstance(node, dict) and isinstance(key, str):
            node[key] = change.value
            return True
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node[key] = change.value
            return True
        return False
    if change.op == APPEND and isinstance(node, dict) and isinstance(key, str):
        node.setdefault(key, []).append(change.value)
        return True
    return False

"""Where things come from: source documents, JSON paths and the lines they resolve to.

A model object keeps an `Origin`: the document and the JSON path of the value it was built from. The
line and column are looked up only when asked for (in practice, when a finding is reported), the way
cfn-lint resolves a path to a line at report time. That keeps loading fast: large JSON is parsed with
the C `json` module, which records no positions, and a path is located in the raw text only on demand.
"""

from __future__ import annotations

import bisect
import gc
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

Pointer = tuple[str | int, ...]

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$-]*$")


def format_pointer(pointer: Pointer) -> str:
    """Render a path the way users read JSON paths: `$.virtualNetworks[0].addressSpace[1]`."""
    out = ["$"]
    for part in pointer:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _IDENTIFIER.match(part):
            out.append(f".{part}")
        else:
            out.append(f"[{json.dumps(part)}]")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a text file, 1-based; `end_column` is exclusive, as in SARIF."""

    line: int
    column: int
    end_line: int
    end_column: int


START_OF_FILE = Span(1, 1, 1, 1)


class SourceDocument(ABC):
    """One input file, able to say where a JSON path sits in it."""

    def __init__(self, path: str, size: int = 0):
        self.path = path
        self.size = size  # characters, to pick strategies that only pay off on large files
        self._spans: dict[Pointer, Span | None] = {}

    def locate(self, pointer: Pointer) -> Span:
        """The span of the value at `pointer`, or of its nearest ancestor that exists in the file.

        Values filled in by defaults have no text of their own; pointing at the object that omitted
        them is the most useful answer.
        """
        probe = pointer
        while True:
            if probe not in self._spans:
                self._spans[probe] = self._find(probe)
            span = self._spans[probe]
            if span is not None:
                return span
            if not probe:
                return START_OF_FILE
            probe = probe[:-1]

    @abstractmethod
    def _find(self, pointer: Pointer) -> Span | None:
        """The exact span of `pointer`, or None when the file has no such value."""

    def resource_at(self, pointer: Pointer) -> str | None:
        """The Azure resource a place was read from, for documents read live (no file to point at)."""
        return None

    def describe(self, pointer: Pointer) -> str | None:
        """How to name a place that has no file line (read live); None: `file:line:column`."""
        return None

    def locate_key(self, pointer: Pointer) -> Span:
        """The span of the mapping key that `pointer` ends with (a misspelled key is reported at the key
        itself, not at its value or its mapping); the value's span where keys are not kept."""
        found = self._find_key(pointer) if pointer and isinstance(pointer[-1], str) else None
        return found or self.locate(pointer)

    def _find_key(self, pointer: Pointer) -> Span | None:
        return None


class TextPositions:
    """Offset -> (line, column) for a large text, without indexing every line up front.

    Keeps checkpoints of offsets already converted, and counts newlines only from the nearest one,
    so a handful of lookups in a 40 MB file costs a handful of short scans.
    """

    def __init__(self, text: str):
        self._text = text
        self._offsets = [0]
        self._lines = [1]

    def line_column(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._offsets, offset) - 1
        base_offset, base_line = self._offsets[index], self._lines[index]
        line = base_line + self._text.count("\n", base_offset, offset)
        line_start = self._text.rfind("\n", 0, offset) + 1
        if offset - base_offset > 4096:
            self._offsets.insert(index + 1, line_start)
            self._lines.insert(index + 1, line)
        return line, offset - line_start + 1


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_LENIENT_DECODER = json.JSONDecoder(strict=False)  # strings may hold raw newlines (ARM's dialect)


class JsonDocument(SourceDocument):
    """A JSON file parsed with the C decoder; paths are located lazily by skipping through the text.

    Skipping a value uses `raw_decode`, so locating a path costs at most one more C-speed parse of the
    containers on the way, and each container's child offsets are cached for later lookups.
    """

    def __init__(self, path: str, text: str, strict: bool = True):
        super().__init__(path, len(text))
        self.text = text  # for JSON with comments: the text with its comments blanked out
        self.strict = strict
        self._decoder = _DECODER if strict else _LENIENT_DECODER
        self._positions = TextPositions(text)
        self._children: dict[int, dict[str, tuple[int, int]] | list[tuple[int, int]]] = {}
        self._keys: dict[int, dict[str, tuple[int, int]]] = {}  # container start -> key -> span of the key
        self._released: _Released | None = None
        self._read_span: Callable[[int, int], str] | None = None

    def release_text(self, read_span: Callable[[int, int], str]) -> None:
        """Let go of the text, keeping what is needed to locate any path later without it.

        A large export's text is as big as the file and, next to the parsed data, makes the peak of a
        scan (1.0x the file of its 4.2x at 10,000 VNets). Before letting go, the top-level containers
        are indexed (an export's `value` list: one `raw_decode` per item, which locating the first
        finding would do anyway) with the line and column of every offset they hold; a path inside an
        item is later located in that item's text alone, which `read_span(start, end)` reads back."""
        root, end = self._skip_ws(0), self._content_end()
        self._container(root)  # scans the root and its container values (see _scan)
        offsets = {root, end}
        for start, children in self._children.items():
            for child_start, child_end in children.values() if isinstance(children, dict) else children:
                offsets.update((child_start, child_end))
            for key_start, key_end in self._keys.get(start, {}).values():
                offsets.update((key_start, key_end))
        self._read_span = read_span
        self.index(root, end, self._children, self._keys, self._line_columns(sorted(offsets)))
        self.text = ""
        self._positions = TextPositions("")

    @classmethod
    def indexed(cls, path: str, read_span: Callable[[int, int], str]) -> JsonDocument:
        """A document whose text is never held whole: read from its file item by item (export_stream),
        which calls `index` once it is through. Nothing can be located before that."""
        document = cls(path, "")
        document._read_span = read_span
        return document

    def index(
        self,
        root: int,
        end: int,
        children: dict[int, dict[str, tuple[int, int]] | list[tuple[int, int]]],
        keys: dict[int, dict[str, tuple[int, int]]],
        positions: dict[int, tuple[int, int]],
        size: int | None = None,
    ) -> None:
        """Locate paths from now on through the child spans of the top-level containers and the line and
        column of every offset they hold, reading back the text of one value below them when needed."""
        assert self._read_span is not None, "a released document reads its values back"
        if size is not None:
            self.size = size
        anchors = {
            child_start
            for spans in children.values()
            for child_start, _ in (spans.values() if isinstance(spans, dict) else spans)
            if child_start not in children
        }
        self._children, self._keys = children, keys
        self._released = _Released(root, end, positions, anchors, self._read_span, children, keys, strict=self.strict)

    def value_text(self, pointer: Pointer) -> str:
        """The text of an indexed value of a released document, read back from the file (an export's item)."""
        assert self._released is not None, "only a released document reads values back"
        return self._released.value_text(pointer)

    def _line_columns(self, offsets: list[int]) -> dict[int, tuple[int, int]]:
        """Line and column of each offset (ascending), counted in one pass over the text."""
        text, found, line, previous = self.text, {}, 1, 0
        for offset in offsets:
            line += text.count("\n", previous, offset)
            found[offset] = (line, offset - (text.rfind("\n", 0, offset) + 1) + 1)
            previous = offset
        return found

    def _content_end(self) -> int:
        """The offset after the last non-blank character (not `len(text.rstrip())`: that copies the text)."""
        text = self.text
        end = len(text)
        while end and text[end - 1] in " \t\n\r":
            end -= 1
        return end

    def _skip_ws(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        return match.end() if match else offset

    def _container(self, start: int) -> dict[str, tuple[int, int]] | list[tuple[int, int]] | None:
        cached = self._children.get(start)
        if cached is not None:
            return cached
        was_enabled = gc.isenabled()
        gc.disable()  # skipping values allocates (and drops) a parse's worth of objects
        try:
            return self._scan_container(start)
        finally:
            if was_enabled:
                gc.enable()

    def _scan_container(self, start: int) -> dict[str, tuple[int, int]] | list[tuple[int, int]] | None:
        return self._scan(start)[0] if self.text[start] in "{[" else None

    def _scan(self, start: int) -> tuple[dict[str, tuple[int, int]] | list[tuple[int, int]], int]:
        """The children of the container at `start` (cached), and the offset just past its closer.

        The root object's container values (an export's `{"value": [...]}`) are scanned here rather
        than skipped with `raw_decode`, so their items are parsed once, not once to skip the value and
        again to find an item in it."""
        text = self.text
        opener = text[start]
        is_root = start == self._skip_ws(0)
        children: dict[str, tuple[int, int]] | list[tuple[int, int]]
        children = {} if opener == "{" else []
        closer = "}" if opener == "{" else "]"
        offset = self._skip_ws(start + 1)
        keys: dict[str, tuple[int, int]] = {}
        if text[offset] != closer:
            while True:
                if isinstance(children, dict):
                    key_start = offset
                    key, offset = self._decoder.raw_decode(text, offset)
                    keys[str(key)] = (key_start, offset)
                    offset = self._skip_ws(offset)
                    offset = self._skip_ws(offset + 1)  # the ':'
                    value_start = offset
                    if is_root and text[offset] in "{[":
                        offset = self._scan(offset)[1]
                    else:
                        _, offset = self._decoder.raw_decode(text, offset)
                    children[str(key)] = (value_start, offset)  # the last duplicate wins, as in json.load
                else:
                    value_start = offset
                    _, offset = self._decoder.raw_decode(text, offset)
                    children.append((value_start, offset))
                offset = self._skip_ws(offset)
                if text[offset] != ",":
                    break
                offset = self._skip_ws(offset + 1)
        self._children[start] = children
        if isinstance(children, dict):
            self._keys[start] = keys
        return children, offset + 1

    def _find_key(self, pointer: Pointer) -> Span | None:
        if self._released is not None:
            return self._released.find(pointer, key=True)
        start = self._skip_ws(0)
        for part in pointer[:-1]:
            child = _child_span(self._container(start), part)
            if child is None:
                return None
            start = child[0]
        if not isinstance(self._container(start), dict):
            return None
        found = self._keys.get(start, {}).get(str(pointer[-1]))
        if found is None:
            return None
        line, column = self._positions.line_column(found[0])
        end_line, end_column = self._positions.line_column(found[1])
        return Span(line, column, end_line, end_column)

    def _find(self, pointer: Pointer) -> Span | None:
        if self._released is not None:
            return self._released.find(pointer, key=False)
        start = self._skip_ws(0)
        end = self._content_end()
        for part in pointer:
            child = _child_span(self._container(start), part)
            if child is None:
                return None
            start, end = child
        line, column = self._positions.line_column(start)
        end_line, end_column = self._positions.line_column(end)
        return Span(line, column, end_line, end_column)


@dataclass
class _Released:
    """What a JsonDocument keeps of its text once released: the top-level containers' child spans with
    their lines and columns, and the items' texts, read back one at a time when a path inside is located."""

    root: int
    end: int
    positions: dict[int, tuple[int, int]]
    anchors: set[int]  # starts of the values below which the text was not indexed
    read_span: Callable[[int, int], str]
    children: dict[int, dict[str, tuple[int, int]] | list[tuple[int, int]]] = field(default_factory=dict)
    keys: dict[int, dict[str, tuple[int, int]]] = field(default_factory=dict)
    windows: dict[int, JsonDocument] = field(default_factory=dict)
    strict: bool = True

    def find(self, pointer: Pointer, key: bool) -> Span | None:
        start, end = self.root, self.end
        walked = pointer[:-1] if key else pointer
        for index, part in enumerate(walked):
            if start in self.anchors:
                return self._in_window(start, end, pointer[index:], key)
            child = _child_span(self.children.get(start), part)
            if child is None:
                return None
            start, end = child
        if key and start in self.anchors:
            return self._in_window(start, end, pointer[-1:], key)
        if key:
            found = self.keys.get(start, {}).get(str(pointer[-1]))
            if found is None:
                return None
            start, end = found
        return Span(*self.positions[start], *self.positions[end])

    def value_text(self, pointer: Pointer) -> str:
        start, end = self.root, self.end
        for part in pointer:
            child = _child_span(self.children.get(start), part)
            if child is None:
                raise KeyError(f"no indexed value at {format_pointer(pointer)}")
            start, end = child
        return self.read_span(start, end)

    def _in_window(self, start: int, end: int, rest: Pointer, key: bool) -> Span | None:
        """Locate `rest` in the text of the value at `start`, then shift the span to where that value sits."""
        window = self.windows.get(start)
        if window is None:
            window = self.windows[start] = JsonDocument("", self.read_span(start, end), self.strict)
        found = window._find_key(rest) if key else window._find(rest)
        if found is None:
            return None
        line, column = self.positions[start]

        def shift(at_line: int, at_column: int) -> tuple[int, int]:
            return line + at_line - 1, column + at_column - 1 if at_line == 1 else at_column

        return Span(*shift(found.line, found.column), *shift(found.end_line, found.end_column))


def _child_span(
    children: dict[str, tuple[int, int]] | list[tuple[int, int]] | None, part: str | int
) -> tuple[int, int] | None:
    if isinstance(children, dict) and isinstance(part, str):
        return children.get(part)
    if isinstance(children, list) and isinstance(part, int) and 0 <= part < len(children):
        return children[part]
    return None


class YamlDocument(SourceDocument):
    """A YAML file kept as its composed node tree, whose nodes carry their marks."""

    def __init__(self, path: str, root: yaml.Node | None, size: int = 0, end: tuple[int, int] | None = None):
        super().__init__(path, size)
        self.root = root
        self.end = end  # where the text ends (1-based line, exclusive column), when known

    def _span(self, node: yaml.Node) -> Span:
        """libyaml ends a node that closes the file without a final newline at the start of the line after
        the last: a position outside the text, which an edit of that node could not be placed at."""
        span = _node_span(node)
        if self.end is not None and (span.end_line, span.end_column) > self.end:
            return Span(span.line, span.column, *self.end)
        return span

    def _find(self, pointer: Pointer) -> Span | None:
        node = self.root
        if node is None:
            return None
        for part in pointer:
            node = _yaml_child(node, part)
            if node is None:
                return None
        return self._span(node)

    def _find_key(self, pointer: Pointer) -> Span | None:
        node = self.root
        for part in pointer[:-1]:
            node = _yaml_child(node, part) if node is not None else None
        key = _yaml_key(node, str(pointer[-1])) if node is not None else None
        return self._span(key) if key is not None else None


def _node_span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


def _yaml_key(node: yaml.Node, part: str) -> yaml.Node | None:
    found = None
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                found = key
    return found


def _yaml_child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        found = None
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                found = value  # the last duplicate wins, as when loading
        return found
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: yaml.Node = node.value[part]
        return child
    return None


class TextDocument(SourceDocument):
    """A plain-text capture (a route table printed by the az CLI); a pointer is `(line_index,)`."""

    def __init__(self, path: str, lines: tuple[str, ...]):
        super().__init__(path, sum(len(line) + 1 for line in lines))
        self.lines = lines

    def _find(self, pointer: Pointer) -> Span | None:
        if len(pointer) == 1 and isinstance(pointer[0], int) and 0 <= pointer[0] < len(self.lines):
            line = self.lines[pointer[0]]
            start = len(line) - len(line.lstrip()) + 1
            return Span(pointer[0] + 1, start, pointer[0] + 1, len(line) + 1)
        return None


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a model object was declared: a document and the JSON path inside it."""

    file: str
    pointer: Pointer
    document: SourceDocument | None = field(default=None, compare=False, hash=False, repr=False)

    @staticmethod
    def of(document: SourceDocument, pointer: Pointer = ()) -> Origin:
        return Origin(document.path, pointer, document)

    def child(self, *parts: str | int) -> Origin:
        return Origin(self.file, self.pointer + parts, self.document)

    @property
    def span(self) -> Span:
        return self.document.locate(self.pointer) if self.document else START_OF_FILE

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def json_path(self) -> str:
        return format_pointer(self.pointer)

    @property
    def live(self) -> str | None:
        """`azure:<resource id>` for a value read live from Azure (no file, no line); else None."""
        return self.document.describe(self.pointer) if self.document is not None else None

    @property
    def resource(self) -> str | None:
        return self.document.resource_at(self.pointer) if self.document is not None else None

    def __str__(self) -> str:
        return self.live or f"{self.file}:{self.line}:{self.column}"

"""Read a large Azure export from its file item by item, so that neither its text nor its parsed form
ever exists whole.

`json.loads` of a 60 MB export builds about 115 MB of objects, all alive at once beside the 60 MB text
(and, while that text is decoded, beside the file's 60 MB of bytes); that, not the model, was the peak of
a scan (4.2x the file at 10,000 VNets). An export is a list of resources (`[...]`, or `{"value": [...]}`
with list-envelope keys such as `nextLink`), so it can be read in chunks and parsed one item at a time
with the C decoder's `raw_decode`, each item handed to `prepare` at once: the ARM source translates a
plain VNet, route table or NSG there and keeps only the result (arm/preread.py), so the bulk of the
export is dropped as it is read. The spans of the items, with their lines and columns, are the index JsonDocument
needs to locate any path later by reading back just the item it is in.

Anything else (another root shape, an item that is not an object, text that is not ASCII, invalid JSON,
trailing data) returns None, and the file is read whole the usual way, which gives the same data and
reports errors at their place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from anycast_lint.errors import InputError
from anycast_lint.model.positions import JsonDocument, Pointer, SourceDocument

# The keys a list response may carry beside its list (as in arm_shapes._LIST_ENVELOPE_KEYS).
LIST_KEYS = ("value", "data")
ENVELOPE_KEYS = frozenset(
    {"nextLink", "count", "totalRecords", "skipToken", "skip_token", "total_records", "resultTruncated", "facets"}
)
CHUNK_BYTES = 1024 * 1024  # larger chunks leave the allocator more memory it does not return (4 MB: +8% peak)
READ_AHEAD = 64 * 1024  # an item closer than this to the end of what was read waits for the next chunk
BOM = b"\xef\xbb\xbf"

Prepare = Callable[[dict[str, Any], SourceDocument, Pointer], Any]
Span = tuple[int, int]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _NotAnExportError(Exception):
    """The file is not a resource list this reader takes; the whole-file parse reads it."""


def stream_export(path: Path, display: str, prepare: Prepare) -> tuple[JsonDocument, Any] | None:
    """The document (indexed, holding no text) and the data of an export file, each item passed through
    `prepare(item, document, pointer)`; None when the file is not an ASCII export of valid JSON."""
    read_span = span_reader(path, display)
    try:
        with path.open("rb") as handle:
            window = _Window(handle)
            reader = _ItemReader(window, JsonDocument.indexed(display, read_span), prepare)
            data, end = reader.root()
            if window.skip(end) != window.length():
                raise _NotAnExportError  # trailing data: json.loads reports it
    except (_NotAnExportError, json.JSONDecodeError, ValueError, IndexError, RecursionError, OSError):
        return None  # ValueError: an integer over the conversion limit, reported by the usual path
    reader.document.index(reader.root_start, end, reader.children, reader.keys, reader.lines.found, window.length())
    return reader.document, data


def span_reader(path: Path, display: str) -> Callable[[int, int], str]:
    """Reads characters [start, end) of an ASCII file back, as long as the file has not changed since."""
    stamp = _stamp(path)
    skip: int | None = None

    def read_span(start: int, end: int) -> str:
        nonlocal skip
        if _stamp(path) != stamp:
            raise InputError(display, "changed on disk during the scan; its lines cannot be reported (scan it again)")
        with path.open("rb") as handle:
            if skip is None:
                skip = len(BOM) if handle.read(len(BOM)) == BOM else 0
            handle.seek(skip + start)
            return handle.read(end - start).decode("ascii")

    return read_span


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns


class _Window:
    """The file's text seen through a window: offsets are absolute, the text before the item being read
    is dropped, and more is read (in growing chunks, so that one large item is not parsed again and
    again) whenever a value or a run of whitespace reaches the end of what has been read."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.text = ""
        self.base = 0  # absolute offset of text[0]
        self.at_end = False
        first = handle.read(len(BOM))
        self._append(first[len(BOM) :] if first == BOM else first)

    def length(self) -> int:
        return self.base + len(self.text)

    def more(self) -> None:
        """Read on; IndexError at the end of the file (the value being read is cut short)."""
        if self.at_end:
            raise IndexError("end of file")
        data = self.handle.read(max(CHUNK_BYTES, len(self.text)))
        if not data:
            self.at_end = True
            return
        self._append(data)

    def _append(self, data: bytes) -> None:
        if not data.isascii():
            raise _NotAnExportError  # a character offset would not be a byte offset (see span_reader)
        self.text = self.text + data.decode("ascii") if self.text else data.decode("ascii")

    def forget_before(self, offset: int) -> None:
        """Drop the text before `offset` once enough has piled up (everything before it is indexed)."""
        if offset - self.base >= CHUNK_BYTES:
            self.text = self.text[offset - self.base :]
            self.base = offset

    def char(self, offset: int) -> str:
        while offset - self.base >= len(self.text):
            self.more()
        return self.text[offset - self.base]

    def skip(self, offset: int) -> int:
        """The offset after the whitespace at `offset`."""
        while True:
            end = _WHITESPACE.match(self.text, offset - self.base).end()  # type: ignore[union-attr]  # `*` matches
            if end < len(self.text) or self.at_end:
                return self.base + end
            self.more()

    def decode(self, offset: int) -> tuple[Any, int]:
        """The value at `offset` and the offset after it, reading on while it is cut short (read ahead
        first when little is left, so that an item is seldom parsed twice)."""
        if len(self.text) - (offset - self.base) < READ_AHEAD and not self.at_end:
            self.more()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, offset - self.base)
            except (json.JSONDecodeError, ValueError):
                if self.at_end:
                    raise
                self.more()
                continue
            if end == len(self.text) and not self.at_end:  # a number may go on in the next chunk
                self.more()
                continue
            return value, self.base + end


class _Lines:
    """Line and column of offsets met in ascending order, counted once over the text as it goes by."""

    def __init__(self, window: _Window):
        self.window = window
        self.mark = 0  # the last offset counted up to
        self.line = 1
        self.line_start = 0  # absolute offset of the line's first character
        self.found: dict[int, tuple[int, int]] = {}

    def note(self, *offsets: int) -> None:
        window = self.window
        for offset in offsets:
            begin, end = self.mark - window.base, offset - window.base
            newlines = window.text.count("\n", begin, end)
            if newlines:
                self.line += newlines
                self.line_start = window.base + window.text.rfind("\n", begin, end) + 1
            self.mark = offset
            self.found[offset] = (self.line, offset - self.line_start + 1)


class _ItemReader:
    def __init__(self, window: _Window, document: JsonDocument, prepare: Prepare):
        self.window = window
        self.document = document
        self.prepare = prepare
        self.lines = _Lines(window)
        self.children: dict[int, dict[str, Span] | list[Span]] = {}
        self.keys: dict[int, dict[str, Span]] = {}
        self.root_start = 0

    def root(self) -> tuple[Any, int]:
        window = self.window
        start = self.root_start = window.skip(0)
        self.lines.note(start)
        opener = window.char(start)
        if opener == "[":
            return self._items(start, ())
        if opener != "{":
            raise _NotAnExportError
        data: dict[str, Any] = {}
        children: dict[str, Span] = {}
        keys: dict[str, Span] = {}
        offset = window.skip(start + 1)
        if window.char(offset) == "}":
            raise _NotAnExportError
        while True:
            key_start = offset
            key, offset = window.decode(offset)
            if key not in LIST_KEYS and key not in ENVELOPE_KEYS:
                raise _NotAnExportError  # a template, a plan, a topology: not a list response
            keys[key] = (key_start, offset)
            offset = window.skip(offset)
            if window.char(offset) != ":":
                raise _NotAnExportError
            value_start = offset = window.skip(offset + 1)
            self.lines.note(key_start, keys[key][1], value_start)
            if key in LIST_KEYS and window.char(offset) == "[":
                value, offset = self._items(offset, (key,))
            else:
                value, offset = window.decode(offset)
            self.lines.note(offset)
            data[key] = value  # a repeated key: the last one wins, as in json.loads
            children[key] = (value_start, offset)
            offset, done = self._after_member(offset, "}")
            if done:
                break
        self.children[start], self.keys[start] = children, keys
        self.lines.note(offset + 1)
        return data, offset + 1

    def _items(self, start: int, pointer: Pointer) -> tuple[list[Any], int]:
        """The list at `start`, each item prepared as soon as it is parsed."""
        window, prepare, document, note = self.window, self.prepare, self.document, self.lines.note
        items: list[Any] = []
        spans: list[Span] = []
        offset = window.skip(start + 1)
        if window.char(offset) != "]":
            while True:
                item_start = offset
                item, offset = window.decode(offset)
                if item.__class__ is not dict:
                    raise _NotAnExportError
                note(item_start, offset)
                window.forget_before(offset)
                items.append(prepare(item, document, (*pointer, len(items))))
                spans.append((item_start, offset))
                offset, done = self._after_member(offset, "]")
                if done:
                    break
        self.children[start] = spans
        if not pointer:
            note(offset + 1)
        return items, offset + 1

    def _after_member(self, offset: int, closer: str) -> tuple[int, bool]:
        """After a member: the next member's offset, or the closer's and True at the container's end."""
        window = self.window
        offset = window.skip(offset)
        if window.char(offset) == closer:
            return offset, True
        if window.char(offset) != ",":
            raise _NotAnExportError
        return window.skip(offset + 1), False

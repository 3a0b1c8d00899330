"""Read a large Azure export item by item, so that its parsed form never exists whole.

`json.loads` of a 60 MB export builds about 115 MB of objects, all alive at once beside the 60 MB text;
that pair, not the model, was the peak of a scan (3.5x the file at 10,000 VNets). An export is a list of
resources (`[...]`, or `{"value": [...]}` with list-envelope keys such as `nextLink`), so it can be parsed
one item at a time with the C decoder's `raw_decode`, and each item handed to `prepare` at once: the ARM
source translates a plain VNet there and keeps only the result (see arm.preread_export_item), so the
bulk of the parsed export is dropped as it is read. The item spans found on the way are the index that
JsonDocument needs to locate paths after the text is released, so no second pass is made for lines.

Anything else (another root shape, an item that is not an object, invalid JSON, trailing data) returns
None, and the file is read the usual way, which gives the same data and reports errors at their place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from anycast_lint.positions import JsonDocument, Pointer, SourceDocument

# The keys a list response may carry beside its list (as in arm_shapes._LIST_ENVELOPE_KEYS).
LIST_KEYS = ("value", "data")
ENVELOPE_KEYS = frozenset(
    {"nextLink", "count", "totalRecords", "skipToken", "skip_token", "total_records", "resultTruncated", "facets"}
)

Prepare = Callable[[dict[str, Any], SourceDocument, Pointer], Any]

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _NotAnExportError(Exception):
    """The text is not a resource list this reader takes; the whole-file parse reads it."""


def parse_export(text: str, display: str, prepare: Prepare) -> tuple[JsonDocument, Any] | None:
    """The document (its containers indexed) and the data of an export, each item passed through
    `prepare(item, document, pointer)`; None when the text is not an export or not valid JSON."""
    document = JsonDocument(display, text)
    reader = _ItemReader(text, document, prepare)
    try:
        data, end = reader.root()
        if reader.skip(end) != len(text):
            raise _NotAnExportError  # trailing data: json.loads reports it
    except (_NotAnExportError, json.JSONDecodeError, ValueError, IndexError, RecursionError):
        return None  # ValueError: an integer over the conversion limit, reported by the usual path
    return document, data


class _ItemReader:
    def __init__(self, text: str, document: JsonDocument, prepare: Prepare):
        self.text = text
        self.document = document
        self.prepare = prepare

    def skip(self, offset: int) -> int:
        return _WHITESPACE.match(self.text, offset).end()  # type: ignore[union-attr]  # `*` always matches

    def root(self) -> tuple[Any, int]:
        start = self.skip(0)
        opener = self.text[start]
        if opener == "[":
            return self._items(start, ())
        if opener != "{":
            raise _NotAnExportError
        data: dict[str, Any] = {}
        children: dict[str, tuple[int, int]] = {}
        keys: dict[str, tuple[int, int]] = {}
        offset = self.skip(start + 1)
        if self.text[offset] == "}":
            raise _NotAnExportError
        while True:
            key_start = offset
            key, offset = _DECODER.raw_decode(self.text, offset)
            if key not in LIST_KEYS and key not in ENVELOPE_KEYS:
                raise _NotAnExportError  # a template, a plan, a topology: not a list response
            keys[key] = (key_start, offset)
            offset = self.skip(offset)
            if self.text[offset] != ":":
                raise _NotAnExportError
            value_start = offset = self.skip(offset + 1)
            if key in LIST_KEYS and self.text[offset] == "[":
                value, offset = self._items(offset, (key,))
            else:
                value, offset = _DECODER.raw_decode(self.text, offset)
            data[key] = value  # a repeated key: the last one wins, as in json.loads
            children[key] = (value_start, offset)
            offset = self.skip(offset)
            if self.text[offset] == "}":
                break
            if self.text[offset] != ",":
                raise _NotAnExportError
            offset = self.skip(offset + 1)
        self.document.cache_container(start, children, keys)
        return data, offset + 1

    def _items(self, start: int, pointer: Pointer) -> tuple[list[Any], int]:
        """The list at `start`, each item prepared as soon as it is parsed."""
        text, decode, prepare, document = self.text, _DECODER.raw_decode, self.prepare, self.document
        items: list[Any] = []
        spans: list[tuple[int, int]] = []
        offset = self.skip(start + 1)
        if text[offset] != "]":
            while True:
                item_start = offset
                item, offset = decode(text, offset)
                if item.__class__ is not dict:
                    raise _NotAnExportError
                items.append(prepare(item, document, (*pointer, len(items))))
                spans.append((item_start, offset))
                offset = self.skip(offset)
                if text[offset] == "]":
                    break
                if text[offset] != ",":
                    raise _NotAnExportError
                offset = self.skip(offset + 1)
        document.cache_container(start, spans)
        return items, offset + 1

"""Read an input file into plain data plus a document that can locate paths in it.

JSON goes through the C decoder (fast, positions found later on demand); YAML is composed into nodes
that keep their marks and converted with YAML 1.2 core-schema scalars, so `off`, `no` and `2027-03-31`
stay the strings the user wrote instead of YAML 1.1's booleans and dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from anycast_lint.errors import InputError
from anycast_lint.inputs.export_stream import Prepare, span_reader, stream_export
from anycast_lint.model.positions import JsonDocument, SourceDocument, TextDocument, YamlDocument

MAX_INPUT_BYTES = 512 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")  # a file named so is read as YAML, even when its content is JSON
MAX_YAML_VALUES = 5_000_000
# What aliases may add to a document: as many values as its text writes, plus this many. The cost of a scan
# then follows the size of the file: 300 VNets sharing one list of 1,000 prefixes through an alias (35 KB)
# were 300,000 prefixes to check, and took minutes.
MAX_YAML_REPEATED = 100_000
# Python refuses to convert longer decimal integers (CVE-2020-10735); no Azure value comes close.
MAX_INTEGER_DIGITS = 4300
_LONG_INTEGER = re.compile(rf"(?<![0-9.eE+-])-?[0-9]{{{MAX_INTEGER_DIGITS + 1},}}(?![0-9.eE])")

_PLAIN = "tag:anycast-lint,2026:plain"
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it


class _YamlLoader(_BaseLoader):  # type: ignore[misc]
    """Marks plain scalars instead of resolving them with YAML 1.1 rules (yes/no/on/off, dates)."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _PLAIN
        resolved: str = super().resolve(kind, value, implicit)
        return resolved


_FIRST_CHARACTER = re.compile(r"\S")
ROUTE_TABLE_HEADER = re.compile(r"^\s*LocPrf\s+Network\s+NextHop\s+Path\s+Weight\s*$")


@dataclass(frozen=True, slots=True)
class ParsedFile:
    document: SourceDocument
    data: Any


@dataclass(frozen=True)
class TextCapture:
    """Route tables printed with `-o table`: the third input shape, after JSON and YAML."""

    lines: tuple[str, ...]


def looks_like_text_table(text: str) -> bool:
    return any(ROUTE_TABLE_HEADER.match(line) for line in text[:65536].splitlines()[:200])


def read_text(path: Path, display: str) -> str:
    """The file's text, with clear errors for missing, oversized or non-UTF-8 files."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(display, "no such file or directory") from None
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror}") from None
    if path.is_dir():
        raise InputError(display, "is a directory, expected a file")
    if size > MAX_INPUT_BYTES:
        raise InputError(display, f"file is {size:,} bytes; inputs are limited to {MAX_INPUT_BYTES:,} bytes", 1, 1)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(display, f"cannot read: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        message = f"not UTF-8 text: byte 0x{byte} cannot be decoded (expected a JSON or YAML file saved as UTF-8)"
        raise InputError(display, message, line, column) from None


# A JSON file at least this large lets go of its text once parsed (see JsonDocument.release_text); an
# export that large is read from its file item by item (export_stream).
RELEASE_TEXT_CHARACTERS = 4 * 1024 * 1024


def parse_file(path: Path, display: str | None = None, prepare_export_item: Prepare | None = None) -> ParsedFile:
    """Parse a JSON or YAML file; the format is told by content, not by extension.

    A large export in ASCII (what az, Resource Graph and the Azure REST API write) is read from the file
    item by item, each item passed to `prepare_export_item` as soon as it is read (see export_stream),
    so that neither its text nor its parsed form exists whole. Any other large ASCII JSON file lets go of
    its text once parsed. Both read back only the values a finding or an error points into."""
    display = display or str(path)
    as_json = path.suffix.lower() not in YAML_SUFFIXES  # JSON in a .yaml file is read as YAML (parse_text)
    if prepare_export_item is not None and as_json and RELEASE_TEXT_CHARACTERS <= _size(path) <= MAX_INPUT_BYTES:
        streamed = stream_export(path, display, prepare_export_item)
        if streamed is not None:
            return ParsedFile(*streamed)
    text = read_text(path, display)
    parsed = parse_text(text, display, path.suffix.lower())
    document = parsed.document
    large_ascii = len(text) >= RELEASE_TEXT_CHARACTERS and text.isascii()  # a character offset is a byte offset
    if large_ascii and isinstance(document, JsonDocument) and document.strict:
        document.release_text(span_reader(path, display))
    return parsed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1  # read_text reports it


def parse_text(text: str, display: str, suffix: str = "") -> ParsedFile:
    """Parse JSON, YAML or a route table capture from text (a file's, or standard input's); `suffix`
    is the file's extension, which only settles what content alone leaves open."""
    first = _FIRST_CHARACTER.search(text)  # not text.strip(): that would copy a 40 MB export
    if first is None:
        raise InputError(display, "file is empty (expected a JSON or YAML document)", 1, 1)
    json_like = first.group() in "{[" or (first.group() == "/" and suffix in (".json", ".jsonc"))
    if json_like and suffix not in YAML_SUFFIXES:
        return parse_json_text(text, display)
    if looks_like_text_table(text):
        lines = tuple(text.splitlines())
        return ParsedFile(TextDocument(display, lines), TextCapture(lines))
    if suffix == ".txt":
        raise InputError(
            display,
            "not a route table capture (expected the output of `az network express-route list-route-tables -o table`)",
            1,
            1,
        )
    return parse_yaml_text(text, display)


def parse_json_text(text: str, display: str) -> ParsedFile:
    """Plain JSON through the C decoder; only when that fails, JSON with comments (ARM's dialect)."""
    try:
        data = _loads(text, display, strict=True)
    except json.JSONDecodeError:
        return _parse_jsonc(text, display)
    return ParsedFile(JsonDocument(display, text), data)


def _loads(text: str, display: str, strict: bool) -> Any:
    """`json.loads`, with the decoder's failures other than syntax errors turned into located input errors."""
    try:
        return json.loads(text) if strict else json.loads(text, strict=False)
    except json.JSONDecodeError:
        raise
    except ValueError:  # the only other failure of the decoder: an integer beyond the conversion limit
        raise _long_integer_error(text, display) from None
    except RecursionError:
        raise InputError(display, "invalid JSON: nested too deeply", 1, 1) from None


# A string (which may span lines in ARM's dialect), a comment, or a comment that is never closed; strings
# come first so that `//` in a URL is not taken for a comment. The string pattern is unrolled (no
# alternation per character): blanking a 16 MB export takes a third of the time it would otherwise.
_STRING_OR_COMMENT = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|(//[^\n]*|/\*.*?\*/)|(/\*)', re.DOTALL)
_NOT_NEWLINE = re.compile(r"[^\n]")


def blank_comments(text: str, display: str = "<text>") -> str:
    """The text with `//` and `/* */` comments turned into spaces, newlines kept, so that every
    offset, line and column stays where it was in the file."""
    pieces: list[str] = []
    last = 0
    for match in _STRING_OR_COMMENT.finditer(text):
        comment, unclosed = match.group(1, 2)
        if unclosed is not None:
            line = text.count("\n", 0, match.start()) + 1
            column = match.start() - text.rfind("\n", 0, match.start())
            raise InputError(display, "invalid JSON: comment opened with '/*' is never closed", line, column)
        if comment is not None:
            pieces += [text[last : match.start()], _NOT_NEWLINE.sub(" ", comment)]
            last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)


def _parse_jsonc(text: str, display: str) -> ParsedFile:
    """ARM templates may carry `//` and `/* */` comments and strings split over several lines
    (documented: https://learn.microsoft.com/azure/azure-resource-manager/templates/syntax#comments);
    Azure deploys them, so they are read, with positions that match the file as written."""
    blanked = blank_comments(text, display)
    try:
        data = _loads(blanked, display, strict=False)
    except json.JSONDecodeError as exc:
        raise InputError(display, f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    return ParsedFile(JsonDocument(display, blanked, strict=False), data)


def _long_integer_error(text: str, display: str) -> InputError:
    message = f"number has more than {MAX_INTEGER_DIGITS:,} digits (expected a value Azure accepts)"
    found = _LONG_INTEGER.search(text)
    if found is None:
        return InputError(display, message, 1, 1)
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    return InputError(display, message, line, column)


def parse_yaml_text(text: str, display: str) -> ParsedFile:
    try:
        root = yaml.compose(text, Loader=_YamlLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "syntax error"
        if "expected a single document" in (exc.context or ""):
            problem = "expected a single YAML document, found more than one (split on '---')"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InputError(display, f"invalid YAML: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise InputError(display, f"invalid YAML: {exc}", 1, 1) from None
    except RecursionError:
        raise InputError(display, "invalid YAML: nested too deeply", 1, 1) from None
    end = (text.count("\n") + 1, len(text) - text.rfind("\n"))
    document = YamlDocument(display, root, len(text), end)
    if root is None:
        raise InputError(display, "file holds no YAML document", 1, 1)
    converter = _YamlConverter(display)
    try:
        data = converter.convert(root)
    except RecursionError:
        raise InputError(display, "invalid YAML: nested too deeply", 1, 1) from None
    return ParsedFile(document, data)


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution), for plain scalars only.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")

_CORE = "tag:yaml.org,2002:"
_CORE_SCALARS = {_CORE + t for t in ("null", "bool", "int", "float")}


def _plain_scalar(value: str) -> Any:
    """Raises ValueError for an integer too long to convert."""
    if _NULL.match(value):
        return None
    if _TRUE.match(value):
        return True
    if _FALSE.match(value):
        return False
    if _INT.match(value):
        if len(value) > MAX_INTEGER_DIGITS:
            raise ValueError(f"number has more than {MAX_INTEGER_DIGITS:,} digits (expected a value Azure accepts)")
        return int(value)
    if _OCT.match(value) or _HEX.match(value):
        if len(value) > MAX_INTEGER_DIGITS:
            raise ValueError(f"number has more than {MAX_INTEGER_DIGITS:,} digits (expected a value Azure accepts)")
        return int(value[2:], 8 if value[1] == "o" else 16)
    if _FLOAT.match(value):
        return float(value)
    if _INF.match(value):
        return float("-inf") if value.startswith("-") else float("inf")
    if _NAN.match(value):
        return float("nan")
    return value


class _YamlConverter:
    """Turns composed nodes into plain data, rejecting what a hand-written topology never needs."""

    def __init__(self, display: str):
        self.display = display
        self.count = 0
        self.written: set[int] = set()  # the nodes of the text (by id); an alias converts one again

    def _error(self, node: yaml.Node, message: str) -> InputError:
        mark = node.start_mark
        return InputError(self.display, message, mark.line + 1, mark.column + 1)

    def convert(self, node: yaml.Node) -> Any:
        self.count += 1
        if self.count > MAX_YAML_VALUES:
            raise self._error(node, f"document expands to more than {MAX_YAML_VALUES:,} values (alias bomb?)")
        self.written.add(id(node))
        if self.count - len(self.written) > MAX_YAML_REPEATED + len(self.written):
            raise self._error(
                node,
                f"aliases repeat more than {MAX_YAML_REPEATED:,} values beyond what the text writes "
                f"({len(self.written):,} values; expected aliases for small shared blocks, such as tags)",
            )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(child) for child in node.value]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        raise self._error(node, "unsupported YAML node")

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _PLAIN or node.tag in _CORE_SCALARS:
            try:
                return _plain_scalar(node.value)
            except ValueError as exc:
                raise self._error(node, str(exc)) from None
        if node.tag == _CORE + "str":  # quoted, block or !!str
            return node.value
        raise self._error(node, f"unsupported YAML tag {node.tag!r}; write plain values")

    def _mapping(self, node: yaml.MappingNode) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _PLAIN and key_node.value == "<<":
                merged = self.convert(value_node)
                sources = merged if isinstance(merged, list) else [merged]
                for source in sources:
                    if not isinstance(source, dict):
                        raise self._error(value_node, "a '<<' merge expects a mapping or a list of mappings")
                    for key, value in source.items():
                        result.setdefault(key, value)
                continue
            key = self.convert(key_node)
            if isinstance(key, (dict, list)):
                raise self._error(key_node, "mapping keys must be plain scalars")
            key = str(key) if not isinstance(key, str) else key
            if key in first_seen:
                raise self._error(key_node, f"duplicate key {key!r} (first at line {first_seen[key]})")
            first_seen[key] = key_node.start_mark.line + 1
            result[key] = self.convert(value_node)
        return result

"""Observed routing state: ExpressRoute circuit route tables, and other route-inspection outputs.

ExpressRoute route tables are read in the two forms people capture them:
- JSON from `az network express-route list-route-tables` (`{"value": [{network, nextHop, locPrf, weight,
  path}]}`, or the bare list with `--query value`), or the REST example envelope;
- the `-o table` text exactly as the CLI prints it, including the preview warning, the `*` after the
  next hop of the best path, and the command line above it when pasted from a terminal (it names the
  circuit and the device path when they were written literally).
Other inspection outputs (virtual hub effective/inbound/outbound routes, NIC effective routes) are
recognised, checked (route_documents) and counted so a folder of captures scans cleanly; no rule reads
them yet.
"""

from __future__ import annotations

import re
import shlex
from itertools import islice
from pathlib import Path
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ROUTE_TABLE_HEADER as HEADER
from anycast_lint.inputs.reader import ParsedFile, TextCapture, looks_like_text_table
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.topology import IPAddress, IPNetwork, ObservedRoute, ObservedRouteTable
from anycast_lint.model.values import describe, is_ascii_number, parse_ip, parse_prefix, plain_ipv4_prefix
from anycast_lint.sources.arm.shapes import is_spec_example, unwrap
from anycast_lint.sources.captures.as_paths import MAX_AS_PATH, read_as_path, shown
from anycast_lint.sources.captures.route_documents import check_rows

ER_ROW_KEYS = frozenset({"network", "nextHop", "locPrf", "weight", "path"})
OTHER_OUTPUTS = {
    "virtual hub effective routes": frozenset({"addressPrefixes", "nextHops", "nextHopType", "asPath", "routeOrigin"}),
    "virtual hub inbound/outbound routes": frozenset({"prefix", "bgpCommunities", "asPath"}),
    "NIC effective routes": frozenset(
        {
            "name",
            "source",
            "state",
            "addressPrefix",
            "nextHopIpAddress",
            "nextHopType",
            "disableBgpRoutePropagation",
        }
    ),
}
COMMAND = re.compile(r"\baz\s+network\s+express-route\s+list-route-tables\b(.*)$")
SEPARATOR = re.compile(r"^[\s-]+$")
TEXT_SUFFIX = ".txt"  # a capture printed with `-o table`; other text files are not inputs


def _row_keys(data: Any) -> tuple[frozenset[str], list[tuple[Any, Pointer]]] | None:
    payload, pointer = unwrap(data)
    rows: list[tuple[Any, Pointer]]
    if isinstance(payload, list):
        rows = [(row, (*pointer, i)) for i, row in enumerate(payload)]
    elif isinstance(payload, dict) and isinstance(payload.get("value"), list) and set(payload) <= {"value", "nextLink"}:
        rows = [(row, (*pointer, "value", i)) for i, row in enumerate(payload["value"])]
    else:
        return None
    if not rows or not all(isinstance(row, dict) for row, _ in rows):
        return None
    return frozenset(key for row, _ in rows for key in row), rows


def passes_over(path: Path) -> str | None:
    """A `.txt` file in a folder is read only when it looks like a capture: notes and READMEs are skipped."""
    if path.suffix.lower() == TEXT_SUFFIX and not _is_capture(path):
        return "text file that is not a route table capture"
    return None


def _is_capture(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return looks_like_text_table(handle.read(64 * 1024))
    except OSError:
        return True  # let parse_file report it


def claims(data: Any) -> bool:
    if isinstance(data, TextCapture):
        return True
    found = _row_keys(data)
    if found is None:
        return False
    keys, _ = found
    return keys <= ER_ROW_KEYS or any(keys <= known for known in OTHER_OUTPUTS.values())


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    for parsed in files:
        builder.add_document(parsed.document)
        if isinstance(parsed.data, TextCapture):
            for table in _text_tables(parsed.data, parsed.document):
                builder.add_observed(table)
            continue
        found = _row_keys(parsed.data)
        assert found is not None  # claimed
        keys, rows = found
        if keys <= ER_ROW_KEYS:
            builder.add_observed(_json_table(parsed, rows))
        else:
            kind = next(name for name, known in OTHER_OUTPUTS.items() if keys <= known)
            document = parsed.document
            check_rows(kind, [(row, Origin(document.path, pointer, document)) for row, pointer in rows])
            builder.ignored[f"{kind} (not used by any rule yet)"] += 1


def _json_table(parsed: ParsedFile, rows: list[tuple[Any, Pointer]]) -> ObservedRouteTable:
    document = parsed.document
    routes = []
    for row, pointer in rows:
        origin = Origin(document.path, pointer, document)
        hop_text = str(row.get("nextHop") or "").strip()
        routes.append(
            ObservedRoute(
                origin=origin,
                network=_prefix(row.get("network"), origin.child("network")),
                next_hop=_ip(hop_text.rstrip("*"), origin.child("nextHop")),
                as_path=_as_path(row.get("path"), origin.child("path")),
                local_preference=_int(row.get("locPrf"), origin.child("locPrf")),
                weight=_int(row.get("weight"), origin.child("weight")),
                best=hop_text.endswith("*"),
            )
        )
    if not any(route.best for route in routes):  # this output does not mark the best path
        routes = [_unmarked(route) for route in routes]
    parameters = _request_parameters(parsed) if is_spec_example(parsed.data) else {}
    return ObservedRouteTable(
        origin=Origin(document.path, (), document),
        routes=tuple(routes),
        circuit_name=parameters.get("circuitName"),
        device_path=parameters.get("devicePath"),
        peering=parameters.get("peeringName"),
    )


def _request_parameters(parsed: ParsedFile) -> dict[str, str]:
    """The circuit, peering and device path a REST example's request names (strings, when given)."""
    origin = Origin(parsed.document.path, ("parameters",), parsed.document)
    parameters = parsed.data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise InputError.at(origin, f"expected an object of request parameters, got {describe(parameters)}")
    found = {}
    for key in ("circuitName", "devicePath", "peeringName"):
        value = parameters.get(key)
        if value is not None and not isinstance(value, str):
            raise InputError.at(origin.child(key), f"expected a string, got {describe(value)}")
        if value:
            found[key] = value
    return found


def _unmarked(route: ObservedRoute) -> ObservedRoute:
    return ObservedRoute(
        route.origin, route.network, route.next_hop, route.as_path, route.local_preference, route.weight, None
    )


def _text_tables(capture: TextCapture, document: SourceDocument) -> list[ObservedRouteTable]:
    tables = []
    command: dict[str, str | None] = {}
    lines = capture.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        match = COMMAND.search(line)
        if match:
            command = _command_options(match.group(1))
        if not HEADER.match(line):
            index += 1
            continue
        header_index = index
        index += 1
        routes = []
        cache = RowCache()
        while index < len(lines):
            line = lines[index]  # never stripped: a row can be 96 MB, and a copy of it as much
            if SEPARATOR.match(line) and not line.isspace():
                index += 1
                continue
            if len(line) < 16 and line.strip() in ("[...]", "..."):
                index += 1
                continue
            if not line or line.isspace():
                following = _next_text_line(lines, index)
                if following is None or not _looks_like_row(lines[following]):
                    break  # prose after the table (the capture was pasted into a report)
                index = following  # rows after a blank line still belong to the table: read, never dropped
                continue
            if HEADER.match(line) or COMMAND.search(line):
                break
            routes.append(_text_row(line, index, Origin(document.path, (index,), document), cache))
            index += 1
        tables.append(
            ObservedRouteTable(
                origin=Origin(document.path, (header_index,), document),
                routes=tuple(routes),
                circuit_name=command.get("name"),
                device_path=command.get("path"),
                peering=command.get("peering"),
            )
        )
        command = {}
    return tables


def _next_text_line(lines: tuple[str, ...], index: int) -> int | None:
    while index < len(lines):
        if lines[index] and not lines[index].isspace():
            return index
        index += 1
    return None


_FIRST_TOKEN = re.compile(r"\s*(\S+)")


def _looks_like_row(line: str) -> bool:
    """A line that starts like a route row: a number (LocPrf, any script's digits, so that a malformed
    one is reported), a prefix, or a marked next hop; prose starts with a word."""
    found = _FIRST_TOKEN.match(line)
    if found is None:
        return False
    first = found.group(1)
    return first[0].isdigit() or "/" in first or first.endswith("*")


def _command_options(arguments: str) -> dict[str, str | None]:
    """-n/--name, --path, --peering-name from the pasted command; shell variables stay unknown."""
    try:
        words = shlex.split(arguments)
    except ValueError:
        words = arguments.split()
    options: dict[str, str | None] = {}
    names = {"-n": "name", "--name": "name", "--path": "path", "--peering-name": "peering"}
    for flag, value in zip(words, [*words[1:], ""], strict=False):
        key = names.get(flag)
        if key and value and not value.startswith("-"):
            options[key] = None if "$" in value else value
    return options


_WORD = re.compile(r"\S+")
_SHORT_ROW = 1024  # characters: a row this short is split at once; a longer one is read token by token
_ROW_TOKENS = MAX_AS_PATH + 5  # LocPrf, Network, NextHop, the path, Weight; one more says the path is too long


# The usual row, in one match: LocPrf, an IPv4 network, the next hop and its mark, the path, Weight. Anything
# else (IPv6, a blank LocPrf, a malformed value) takes the general reading below, which says what is wrong.
_PLAIN_ROW = re.compile(
    r"\s*([0-9]{1,10})\s+([0-9./]{9,18})\s+([0-9.]{7,15})(\*?)\s+((?:[0-9]{1,10}[ \t-]+)*?)([0-9]{1,10})\s*\Z"
)


class RowCache:
    """What repeats from row to row of one table, parsed once: next hops and AS paths (a table of a million
    routes holds a few of each)."""

    def __init__(self) -> None:
        self.hops: dict[str, IPAddress | None] = {}
        self.paths: dict[str, tuple[int, ...]] = {}
        # a table lists the paths to one prefix one after the other: the last network is reused, not kept all
        self.network: tuple[str, IPNetwork | None] = ("", None)


def _plain_row(line: str, origin: Origin, cache: RowCache) -> ObservedRoute | None:
    found = _PLAIN_ROW.match(line) if len(line) <= _SHORT_ROW else None
    if found is None:
        return None
    local_preference, network_text, hop, mark, path, weight = found.groups()
    network = cache.network[1] if cache.network[0] == network_text else plain_ipv4_prefix(network_text)
    if network is None:
        return None
    cache.network = (network_text, network)
    if hop not in cache.hops:
        cache.hops[hop] = _ip(hop, origin)
    if path not in cache.paths:
        cache.paths[path] = read_as_path(path, origin)
    return ObservedRoute(
        origin, network, cache.hops[hop], cache.paths[path], int(local_preference), int(weight), mark == "*"
    )


def _text_row(line: str, index: int, origin: Origin, cache: RowCache) -> ObservedRoute:
    """`100  10.13.76.0/24  192.168.128.12*  65515 11111  0` (LocPrf may be blank). A row longer than
    _SHORT_ROW is read token by token, at most _ROW_TOKENS of them: its path is never split whole."""
    plain = _plain_row(line, origin, cache)
    if plain is not None:
        return plain
    if len(line) <= _SHORT_ROW:
        tokens = line.split()
        if tokens and "/" in tokens[0]:
            tokens.insert(0, "")
        if len(tokens) < 4:
            raise InputError.at(
                origin, f"expected a route row (LocPrf Network NextHop Path Weight), got {shown(line.strip())}"
            )
        local_preference, network, hop, *path, weight = tokens
        as_path = read_as_path(" ".join(path), origin)
    else:
        words = list(islice(_WORD.finditer(line), _ROW_TOKENS + 1))
        first = 1 if "/" in words[0].group() else 2  # the index of NextHop: LocPrf may be blank
        if len(words) < first + 3:
            raise InputError.at(
                origin, f"expected a route row (LocPrf Network NextHop Path Weight), got {shown(line.strip())}"
            )
        local_preference = words[0].group() if first == 2 else ""
        network, hop, weight = words[first - 1].group(), words[first].group(), words[-1].group()
        path_end = words[-2].end() if len(words) > first + 2 else words[first].end()
        # over _ROW_TOKENS words, read_as_path stops at the first ASN over the cap, with its column
        as_path = read_as_path(
            line, origin, index + 1, words[first].end(), path_end if len(words) <= _ROW_TOKENS else None
        )
    return ObservedRoute(
        origin=origin,
        network=_prefix(network, origin),
        next_hop=_ip(hop.rstrip("*"), origin),
        as_path=as_path,
        local_preference=_int(local_preference, origin),
        weight=_int(weight, origin),
        best=hop.endswith("*"),
    )


def _prefix(value: Any, origin: Origin) -> IPNetwork | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError.at(origin, f"expected a prefix like 10.13.76.0/24, got {describe(value)}")
    return parse_prefix(value, origin)


def _ip(value: str, origin: Origin) -> IPAddress | None:
    return parse_ip(value, origin) if value.strip() else None


def _int(value: Any, origin: Origin) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**32:
        return value
    if isinstance(value, str) and is_ascii_number(value.strip()) and len(value.strip()) <= 10:
        return int(value)
    raise InputError.at(origin, f"expected a number, got {shown(value) if isinstance(value, str) else repr(value)}")


def _as_path(value: Any, origin: Origin) -> tuple[int, ...]:
    """AS paths are space-separated here (hyphens in virtual hub outputs); both are accepted."""
    if value is None:
        return ()
    return read_as_path(str(value), origin)

"""Route documents no rule reads yet (virtual hub effective, inbound and outbound routes; NIC effective
routes), checked as they are read: a prefix that is no prefix, an AS path that is no path, is an error at
its place now, not a surprise on the day a rule starts reading the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.model.positions import Origin
from anycast_lint.model.values import describe, is_ascii_number, parse_ip, parse_prefix
from anycast_lint.sources.captures.as_paths import read_as_path, shown


def _string_read_by(example: str, read: Callable[[str, Origin], object]) -> Callable[[Any, Origin], None]:
    """A check of a string value that `read` parses (raising at its place); any other value is no `example`."""

    def check(value: Any, origin: Origin) -> None:
        if not isinstance(value, str):
            raise InputError.at(origin, f"expected {example}, got {describe(value)}")
        read(value, origin)

    return check


def _text(value: Any, origin: Origin) -> None:
    if value is not None and not isinstance(value, str):
        raise InputError.at(origin, f"expected a string, got {describe(value)}")


def _read_communities(value: str, origin: Origin) -> None:
    """`4293853166,12076,51004`: 32-bit community values, or `12076:51004` pairs."""
    for part in filter(None, (p.strip() for p in value.split(","))):
        halves = part.split(":")
        if len(halves) > 2 or not all(is_ascii_number(h) and len(h) <= 10 and int(h) < 2**32 for h in halves):
            raise InputError.at(origin, f"expected BGP communities like '12076,51004', got {shown(value)}")


_prefix = _string_read_by("a prefix like 10.13.76.0/24", parse_prefix)
_address = _string_read_by("an IP address like 10.13.76.4", parse_ip)
_as_path = _string_read_by("an AS path like '65520-65520-12076'", read_as_path)
_communities = _string_read_by("BGP communities like '12076,51004'", _read_communities)


def _each(check: Callable[[Any, Origin], None]) -> Callable[[Any, Origin], None]:
    """A list of values, each checked."""

    def run(value: Any, origin: Origin) -> None:
        if not isinstance(value, list):
            raise InputError.at(origin, f"expected a list, got {describe(value)}")
        for index, item in enumerate(value):
            check(item, origin.child(index))

    return run


def _flag(value: Any, origin: Origin) -> None:
    if value is not None and not isinstance(value, bool):
        raise InputError.at(origin, f"expected true or false, got {describe(value)}")


CHECKS: dict[str, dict[str, Callable[[Any, Origin], None]]] = {
    "virtual hub effective routes": {
        "addressPrefixes": _each(_prefix),
        "nextHops": _each(_text),
        "nextHopType": _text,
        "asPath": _as_path,
        "routeOrigin": _text,
    },
    "virtual hub inbound/outbound routes": {"prefix": _prefix, "asPath": _as_path, "bgpCommunities": _communities},
    "NIC effective routes": {
        "name": _text,
        "source": _text,
        "state": _text,
        "addressPrefix": _each(_prefix),
        "nextHopIpAddress": _each(_address),
        "nextHopType": _text,
        "disableBgpRoutePropagation": _flag,
    },
}


def check_rows(kind: str, rows: list[tuple[Any, Origin]]) -> None:
    """Every field of every row of a `kind` document, as the outputs of Azure write them."""
    checks = CHECKS[kind]
    for row, origin in rows:
        for key, value in row.items():
            if value is not None:  # null is absent
                checks[key](value, origin.child(key))

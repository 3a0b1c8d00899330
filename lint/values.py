"""Parse the scalar values every source shares (prefixes, addresses, AS numbers) with located errors."""

from __future__ import annotations

import ipaddress
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.model import IPAddress, IPNetwork
from anycast_lint.positions import Origin


def _error(origin: Origin, message: str) -> InputError:
    return InputError.at(origin, message)


def parse_prefix(value: Any, origin: Origin) -> IPNetwork:
    """A CIDR prefix; host bits set is an error because Azure rejects such address spaces too."""
    text = str(value).strip()
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise _error(origin, f"expected a prefix like 10.13.76.0/24, got {text!r}") from None
    raise _error(origin, f"{text} has host bits set; did you mean {loose}?")


def parse_ip(value: Any, origin: Origin) -> IPAddress:
    text = str(value).strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise _error(origin, f"expected an IP address like 10.13.76.4, got {text!r}") from None


def parse_asn(value: Any, origin: Origin) -> int:
    text = str(value).strip()
    if text.isdigit() and 0 < int(text) < 2**32:
        return int(text)
    raise _error(origin, f"expected an AS number (1-4294967295), got {text!r}")


def as_tag_value(value: Any) -> str:
    """Azure tag values are strings; YAML `true` becomes "true", not "True"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

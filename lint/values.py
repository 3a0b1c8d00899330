"""Parse the scalar values every source shares (prefixes, addresses, AS numbers) with located errors."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.model import IPAddress, IPNetwork
from anycast_lint.positions import Origin


def _error(origin: Origin, message: str) -> InputError:
    return InputError.at(origin, message)


_IPV4_PREFIX = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})\Z")


def parse_prefix(value: Any, origin: Origin) -> IPNetwork:
    """A CIDR prefix; host bits set is an error because Azure rejects such address spaces too."""
    text = str(value).strip()
    match = _IPV4_PREFIX.match(text)
    if match and not any(
        len(part) > 1 and part[0] == "0" for part in match.groups()[:4]
    ):  # the common case, without ipaddress' string parsing (exports hold tens of thousands)
        a, b, c, d, length = (int(part) for part in match.groups())
        address = (a << 24) | (b << 16) | (c << 8) | d
        if max(a, b, c, d) < 256 and length <= 32 and not address & ((1 << (32 - length)) - 1):
            return ipaddress.IPv4Network((address, length))
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


def mapping(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one (optional nested objects in Azure JSON)."""
    return value if isinstance(value, dict) else {}


def as_tag_value(value: Any) -> str:
    """Azure tag values are strings; YAML `true` becomes "true", not "True"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class Unknown:
    """A value a source could not determine: an ARM expression it does not evaluate, a Terraform value
    known only after apply. It travels through evaluation in place of the value and ends up as an
    `UnknownValue` on the model object that needed it, naming what could not be known."""

    __slots__ = ("expression", "reason")

    def __init__(self, expression: str, reason: str):
        self.expression = expression
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unknown({self.expression!r}, {self.reason!r})"

    def describe(self) -> str:
        return f"{self.expression} ({self.reason})" if self.expression else self.reason

"""Parse the scalar values every source shares (prefixes, addresses, AS numbers) with located errors."""

from __future__ import annotations

import ipaddress
import json
import re
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPAddress, IPNetwork


def _error(origin: Origin, message: str) -> InputError:
    return InputError.at(origin, message)


# [0-9], not \d: `١٠.0.0.0/٢٤` (Arabic-Indic digits) must not read as 10.0.0.0/24. An octet is 0-255 without a
# leading zero, a length 0-32; anything else goes to `ipaddress` for its verdict and message.
_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4_PREFIX = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}/(3[0-2]|[12]?[0-9])\Z")
_ASCII_DIGITS = re.compile(r"[0-9]+\Z")
# The form of an Azure service tag (`VirtualNetwork`, `AzureCloud.WestEurope`, `Storage.EastUS2`); the list
# of tags itself changes weekly, so the form is checked, not membership.
_SERVICE_TAG = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)?\Z")
JSON_KINDS = {  # what a value is, in the words of error messages
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


def is_ascii_number(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() and \\d also accept '²' and Arabic-Indic digits, which int() then
    rejects or, worse, reads as different numbers."""
    return _ASCII_DIGITS.match(text) is not None


def is_service_tag(text: str) -> bool:
    """The form of an Azure service tag: `VirtualNetwork`, `AzureCloud.WestEurope`, `Storage.EastUS2`."""
    return _SERVICE_TAG.match(text) is not None


def short(value: Any) -> str:
    """A value as JSON, cut to 60 characters, for 'got ...' in messages."""
    try:
        text = json.dumps(value, default=str)
    except ValueError:  # an integer beyond Python's conversion limit
        text = "a very long number"
    return text if len(text) <= 60 else text[:57] + "..."


def describe(value: Any) -> str:
    """What a wrong value is, for 'expected ..., got a string "x"'."""
    kind = JSON_KINDS.get(type(value), "a value")
    return kind if isinstance(value, (dict, list)) or value is None else f"{kind} {short(value)}"


def parse_prefix(value: Any, origin: Origin) -> IPNetwork:
    """A CIDR prefix; host bits set is an error because Azure rejects such address spaces too."""
    text = str(value).strip()
    match = _IPV4_PREFIX.match(text)
    if match:  # the common case, without ipaddress' string parsing (exports hold tens of thousands)
        a, b, c, d, bits = match.groups()
        address = (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)
        length = int(bits)
        if not address & ((1 << (32 - length)) - 1):
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


def plain_ipv4_prefix(value: Any) -> ipaddress.IPv4Network | None:
    """`value` as an IPv4 prefix when it is a plain, valid one (`10.1.0.0/24`, no spaces, no host bits);
    None for anything else, which then goes through `parse_prefix` for its reading or its error."""
    if value.__class__ is not str:
        return None
    match = _IPV4_PREFIX.match(value)
    if match is None:
        return None
    a, b, c, d, bits = match.groups()
    address = (int(a) << 24) | (int(b) << 16) | (int(c) << 8) | int(d)
    length = int(bits)
    if address & ((1 << (32 - length)) - 1):
        return None
    return ipaddress.IPv4Network((address, length))


def parse_nsg_address(value: Any, origin: Origin) -> str:
    """An NSG rule's source or destination: `*`, an address, a CIDR prefix or a service tag. A value that is
    none of them would otherwise be taken as an unknown tag matching nothing, and mislead the NSG rules.

    Documented: https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules
    """
    text = str(value).strip()
    if text == "*" or is_service_tag(text):
        return text
    try:
        if text.isascii():
            ipaddress.ip_network(text, strict=False)
            return text
    except ValueError:
        pass
    raise _error(origin, f"expected an address, a CIDR prefix like 10.13.76.0/24, '*' or a service tag, got {text!r}")


def parse_ip(value: Any, origin: Origin) -> IPAddress:
    text = str(value).strip()
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise _error(origin, f"expected an IP address like 10.13.76.4, got {text!r}") from None


def parse_asn(value: Any, origin: Origin) -> int:
    text = str(value).strip() if not isinstance(value, bool) else ""
    if is_ascii_number(text) and len(text) <= 10 and 0 < int(text) < 2**32:
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

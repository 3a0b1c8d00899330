"""Reading one resource's values from an ARM property bag, in either shape, collecting template unknowns."""

from __future__ import annotations

from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.topology import IPAddress, IPNetwork, UnknownValue
from anycast_lint.model.values import Unknown, describe, parse_asn, parse_ip, parse_prefix
from anycast_lint.sources.arm.plain import NotPlainError, plain_reference
from anycast_lint.sources.arm.shapes import check_properties


def props(node: Any, pointer: Pointer) -> tuple[dict[str, Any], Pointer]:
    """The property bag of a resource or child object, in the REST shape or flattened (az CLI)."""
    if isinstance(node, dict):
        inner = node.get("properties")
        if isinstance(inner, dict):
            return inner, (*pointer, "properties")
        return node, pointer
    return {}, pointer


def ref(value: Any) -> str | None:
    """A reference: `{"id": ...}` (most of ARM) or a plain string (route-map associations)."""
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


class Reader:
    """Reads one resource's values from a property bag, collecting what is unknown."""

    def __init__(self, document: SourceDocument, base: Pointer):
        self.document = document
        self.base = base
        self.unknowns: list[UnknownValue] = []

    def origin(self, pointer: Pointer) -> Origin:
        return Origin(self.document.path, pointer, self.document)

    def known(self, value: Any, field_name: str, pointer: Pointer) -> Any:
        if value.__class__ is Unknown:
            self.unknowns.append(UnknownValue(field_name, value.describe(), self.origin(pointer)))
            return None
        return value

    def get(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> Any:
        value = bag.get(key)
        if value.__class__ is Unknown:  # the common case returns at once: this runs ~30 times a VNet
            return self.known(value, field_name, (*pointer, key))
        return value

    def text(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> str | None:
        value = self.get(bag, key, field_name, pointer)
        if value.__class__ is dict or value.__class__ is list:
            raise self.wrong((*pointer, key), "a string", value)
        return None if value is None else str(value)

    def flag(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer, default: bool) -> bool:
        value = self.get(bag, key, field_name, pointer)
        if isinstance(value, str):
            return value.strip().lower() == "true"
        return default if value is None else bool(value)

    def reference(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> str | None:
        value = bag.get(key)
        try:
            return plain_reference(value)
        except NotPlainError:
            pass
        if value.__class__ is dict:
            inner = value.get("id")
            if self.known(inner, field_name, (*pointer, key, "id")) is None:
                return None
            raise self.wrong((*pointer, key, "id"), "a resource id", inner)
        if self.known(value, field_name, (*pointer, key)) is None:
            return None
        raise self.wrong((*pointer, key), 'a reference ({"id": "/subscriptions/..."}) or a resource id', value)

    def wrong(self, pointer: Pointer, expected: str, value: Any) -> InputError:
        """The located error for a value of the wrong shape: path, what was expected, what was found."""
        return InputError.at(self.origin(pointer), f"expected {expected}, got {describe(value)}")

    def object(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> dict[str, Any] | None:
        """A nested object (`addressSpace`, `bgpSettings`, ...); absent or unknown is None, any other
        shape an error, so a malformed export is never read as an empty one."""
        value = self.get(bag, key, field_name, pointer)
        if value is None or value.__class__ is dict:
            return value
        raise self.wrong((*pointer, key), "an object", value)

    def objects(
        self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer
    ) -> list[tuple[dict[str, Any], Pointer]]:
        """A list of objects (`ipConfigurations`, `routes`, ...), each checked to be an object."""
        value = bag.get(key)
        if value.__class__ is list:  # the plain case, checked without building an origin per item
            plain = []
            for index, item in enumerate(value):
                if item.__class__ is not dict:
                    break
                inner = item.get("properties")
                if inner is not None and inner.__class__ is not dict:
                    break
                plain.append((item, (*pointer, key, index)))
            else:
                return plain
        found = self.items(bag, key, field_name, pointer)
        for item, item_pointer in found:
            if item.__class__ is not dict:
                raise self.wrong(item_pointer, "an object", item)
            check_properties(item, self.origin(item_pointer))
        return found

    def texts(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[str]:
        """A list of strings (labels, destinations, communities); numbers are taken as their text."""
        result = []
        for item, item_pointer in self.items(bag, key, field_name, pointer):
            if isinstance(item, (dict, list, bool)):
                raise self.wrong(item_pointer, "a string", item)
            result.append(str(item))
        return result

    def items(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[tuple[Any, Pointer]]:
        value = self.get(bag, key, field_name, pointer)
        if value is None:
            return []
        if value.__class__ is not list:
            raise self.wrong((*pointer, key), "a list", value)
        result = []
        for index, item in enumerate(value):
            item_pointer = (*pointer, key, index)
            if self.known(item, field_name, item_pointer) is not None:
                result.append((item, item_pointer))
        return result

    def prefixes(
        self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer
    ) -> list[tuple[IPNetwork, Pointer]]:
        return [(parse_prefix(item, self.origin(p)), p) for item, p in self.items(bag, key, field_name, pointer)]

    def asns(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> tuple[str, ...]:
        """A list of AS numbers (a route map's AS path), each checked: a match on `int()` of any text failed."""
        return tuple(str(parse_asn(item, self.origin(p))) for item, p in self.items(bag, key, field_name, pointer))

    def ips(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> list[IPAddress]:
        return [parse_ip(item, self.origin(p)) for item, p in self.items(bag, key, field_name, pointer) if item]

    def ip(self, bag: dict[str, Any], key: str, field_name: str, pointer: Pointer) -> IPAddress | None:
        """An address; a NIC configuration may hold a prefix (`172.20.2.16/28`): its first address counts."""
        value = self.get(bag, key, field_name, pointer)
        if not value:
            return None
        if isinstance(value, str) and "/" in value:
            return parse_prefix(value, self.origin((*pointer, key))).network_address
        return parse_ip(value, self.origin((*pointer, key)))

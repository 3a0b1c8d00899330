"""Serialize sarif-om objects to SARIF JSON.

sarif-om's classes carry each property's SARIF name in attrs metadata but ship no usable serializer
(`attr.asdict` gives snake_case; jschema_to_python drops `level: "warning"` because it equals the class
default, and writes datetimes that fail the schema). This one: camelCase names, no None, no defaults,
except `level`, which is always written because an absent level means "inherit the rule's".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attr

_ALWAYS_WRITTEN = {"level"}


def to_sarif(value: Any) -> Any:
    if attr.has(type(value)):
        return _object(value)
    if isinstance(value, dict):
        return {key: to_sarif(item) for key, item in value.items() if item is not None}
    if isinstance(value, (list, tuple)):
        return [to_sarif(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def _default_of(field: Any) -> Any:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        return default.factory()
    return default


def _object(value: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = set()
    for field in attr.fields(type(value)):
        names.add(field.name)
        item = getattr(value, field.name)
        if item is None:
            continue
        if field.name not in _ALWAYS_WRITTEN and field.default is not attr.NOTHING and item == _default_of(field):
            continue
        out[field.metadata.get("schema_property_name", field.name)] = to_sarif(item)
    for key, item in vars(value).items():  # property-bag extras such as "security-severity"
        if key not in names and item is not None:
            out[key] = to_sarif(item)
    return out

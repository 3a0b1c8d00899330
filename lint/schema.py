"""JSON Schema validation with linter-style errors: file:line:col, the JSON path, what was expected."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from anycast_lint.errors import InputError, InputErrors
from anycast_lint.positions import SourceDocument, format_pointer
from jsonschema.exceptions import ValidationError

MAX_REPORTED = 20
_JSON_TYPES = {
    dict: "a mapping",
    list: "a list",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}
_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "integer": "a whole number",
    "number": "a number",
    "null": "null",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    text = resources.files("anycast_lint.schemas").joinpath(name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(data: Any, schema_name: str, document: SourceDocument) -> None:
    """Raise InputErrors with one located, readable error per violation (up to MAX_REPORTED)."""
    validator = _validator(schema_name)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return
    located: list[InputError] = []
    seen: set[tuple[int, int, str]] = set()
    for error in _leaf_errors(errors):
        pointer = tuple(error.absolute_path)
        span = document.locate(pointer)
        message = _describe(error, validator)
        key = (span.line, span.column, message)
        if key in seen:
            continue
        seen.add(key)
        located.append(InputError(document.path, message, span.line, span.column, format_pointer(pointer)))
    located.sort(key=lambda e: (e.line or 0, e.column or 0))
    raise InputErrors(located[:MAX_REPORTED])


def _leaf_errors(errors: list[ValidationError]) -> list[ValidationError]:
    """Replace an `allOf`/`anyOf` umbrella error by the specific errors under it."""
    leaves: list[ValidationError] = []
    for error in errors:
        if error.context and error.validator in ("allOf", "anyOf", "oneOf"):
            leaves.extend(_leaf_errors(list(error.context)))
        else:
            leaves.append(error)
    return leaves


def _allowed_keys(schema: dict[str, Any], validator: jsonschema.protocols.Validator) -> set[str]:
    keys = set(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        if "$ref" in part:
            resolved: Any = validator.schema
            for step in part["$ref"].lstrip("#/").split("/"):
                resolved = resolved[step]
            keys |= set(resolved.get("properties", {}))
    return keys


def _describe(error: ValidationError, validator: jsonschema.protocols.Validator) -> str:
    instance: Any = error.instance
    kind: Any = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
    if kind == "required":
        missing = [key for key in expected if key not in instance]
        return f"missing required key {', '.join(repr(k) for k in missing)}"
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = _allowed_keys(schema, validator)
        unexpected = sorted(key for key in instance if key not in allowed)
        hints = []
        for key in unexpected:
            close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.6)
            lower = [a for a in allowed if a.lower() == key.lower()]
            suggestions = lower or close
            hints.append(f"{key!r}" + (f" (did you mean {suggestions[0]!r}?)" if suggestions else ""))
        return f"unknown key {', '.join(hints)}; expected one of: {', '.join(sorted(allowed))}"
    if kind == "type":
        wanted = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return f"expected {words}, got {_JSON_TYPES.get(type(instance), 'a value')} {_short(instance)}"
    if kind == "enum":
        options = ", ".join(str(v) for v in expected)
        return f"expected one of {options}; got {_short(instance)}"
    if kind == "const":
        return f"expected {expected!r}, got {_short(instance)}"
    if kind in ("minItems", "minLength"):
        return "must not be empty"
    if kind == "minimum":
        return f"expected at least {expected}, got {_short(instance)}"
    if kind == "maximum":
        return f"expected at most {expected}, got {_short(instance)}"
    if kind == "pattern":
        return f"{_short(instance)} does not have the expected form ({schema.get('description', expected)})"
    return error.message


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."

"""JSON Schema validation with linter-style errors: file:line:col, the JSON path, what was expected."""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema takes 0.1 s to import; scans of Azure exports never need it
    import jsonschema
    from jsonschema.exceptions import ValidationError

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.model.positions import Pointer, SourceDocument, Span, format_pointer
from anycast_lint.model.values import JSON_KINDS as _JSON_TYPES
from anycast_lint.model.values import short as _short

MAX_REPORTED = 20
FAST_CHECK_FROM = 256 * 1024  # characters; compiling the fast check costs ~0.1 s, worth it on big files
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


def flatten(schema: dict[str, Any]) -> dict[str, Any]:
    """The same constraints without `$ref`s and `allOf` + `unevaluatedProperties`.

    The shipped schemas stay readable (shared definitions, an envelope every resource extends); the
    flat form validates several times faster and compiles with fastjsonschema.
    """
    definitions = schema.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(item) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = definitions[node["$ref"].rsplit("/", 1)[-1]]
            rest = {key: value for key, value in node.items() if key != "$ref"}
            return {**inline(target), **inline(rest)}
        out = {
            key: ({k: inline(v) for k, v in value.items()} if key == "properties" else inline(value))
            for key, value in node.items()
            if key not in ("$defs", "$schema", "$id")
        }
        if "allOf" in out and out.get("unevaluatedProperties") is False:
            properties: dict[str, Any] = {}
            required: list[str] = []
            for part in [*out.pop("allOf"), out]:
                properties.update(part.get("properties", {}))
                required += [key for key in part.get("required", []) if key not in required]
            out.pop("unevaluatedProperties")
            out.update(type="object", properties=properties, required=required, additionalProperties=False)
        return out

    return {"$schema": "http://json-schema.org/draft-07/schema#", **inline(schema)}


@cache
def _fast_check(name: str) -> Callable[[Any], Any]:
    import fastjsonschema  # only for large files: not every run pays for its import

    return fastjsonschema.compile(flatten(load_schema(name)))


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    import jsonschema

    schema = flatten(load_schema(name))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(data: Any, schema_name: str, document: SourceDocument) -> None:
    """Raise InputErrors with one located, readable error per violation (up to MAX_REPORTED).

    On a large file a compiled check (fastjsonschema) decides valid/invalid first; only an invalid
    document goes through jsonschema, which lists every violation with its path.
    """
    fast_check_failed = False
    if document.size >= FAST_CHECK_FROM:
        import fastjsonschema

        try:
            _fast_check(schema_name)(data)
            return
        except fastjsonschema.JsonSchemaException:
            fast_check_failed = True
    validator = _validator(schema_name)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    if not errors and not fast_check_failed:
        return
    located: list[InputError] = []
    seen: set[tuple[int, int, str]] = set()

    def add(pointer: Pointer, span: Span, message: str) -> None:
        if (span.line, span.column, message) not in seen:
            seen.add((span.line, span.column, message))
            located.append(InputError(document.path, message, span.line, span.column, format_pointer(pointer)))

    misspelled = _misspelled_keys(errors)
    for error in errors:
        pointer = tuple(error.absolute_path)
        if error.validator == "additionalProperties":  # one error per unknown key, at the key itself
            for key, suggestion in _unknown_keys(error):
                add((*pointer, key), document.locate_key((*pointer, key)), _unknown_key_message(error, key, suggestion))
            continue
        if error.validator == "required":  # a required key that is only misspelled is reported once, as unknown
            instance: Any = error.instance
            required: Any = error.validator_value
            missing = [k for k in required if k not in instance and k not in misspelled[pointer]]
            if missing:
                add(pointer, document.locate(pointer), f"missing required key {', '.join(repr(k) for k in missing)}")
            continue
        add(pointer, document.locate(pointer), _describe(error))
    if not located:  # the two validators disagree: a bug in the schema, never a pass
        raise InputError(document.path, f"does not match {schema_name}, but no violation could be located", 1, 1)
    located.sort(key=lambda e: (e.line or 0, e.column or 0))
    raise InputErrors(located[:MAX_REPORTED])


def _unknown_keys(error: ValidationError) -> list[tuple[str, str | None]]:
    """The keys an `additionalProperties: false` mapping does not allow, each with its likely intended key."""
    allowed = _allowed_keys(error)
    instance: Any = error.instance
    found = []
    for key in sorted(k for k in instance if k not in allowed):
        same_but_case = [a for a in allowed if a.lower() == key.lower()]
        suggestions = same_but_case or difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        found.append((key, suggestions[0] if suggestions else None))
    return found


def _unknown_key_message(error: ValidationError, key: str, suggestion: str | None) -> str:
    if suggestion is not None:
        return f"unknown key {key!r} (did you mean {suggestion!r}?)"
    return f"unknown key {key!r}; expected one of: {', '.join(_allowed_keys(error))}"


def _allowed_keys(error: ValidationError) -> list[str]:
    schema: Any = error.schema
    return sorted(schema.get("properties", {}))


def _misspelled_keys(errors: list[ValidationError]) -> defaultdict[Pointer, set[str]]:
    """Per mapping, the allowed keys some unknown key looks like: their absence is the same mistake."""
    found: defaultdict[Pointer, set[str]] = defaultdict(set)
    for error in errors:
        if error.validator == "additionalProperties":
            found[tuple(error.absolute_path)] |= {s for _, s in _unknown_keys(error) if s is not None}
    return found


def _describe(error: ValidationError) -> str:
    instance: Any = error.instance
    kind: Any = error.validator
    expected: Any = error.validator_value
    schema: Any = error.schema
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

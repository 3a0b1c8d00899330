"""Rewrite the key tables of docs/design-format.md from the JSON Schemas.

The schemas are the single source of every key's meaning (`description`), default (`x-default`, a
human-readable annotation: the JSON Schema `default` keyword is avoided because fastjsonschema would
write it into the data it checks) and example (`examples`). The page holds hand-written prose and worked
designs; between `<!-- keys: SCHEMA POINTER -->` and `<!-- /keys -->` it holds one generated table per
object of a schema. tests/test_design_format.py regenerates the page and compares, so a key added to a
schema without a table, or a table naming a key the schema dropped, fails the build.

Usage: python docs/build_design_format.py [--check]
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "design-format.md"
SCHEMAS = {"topology": "topology.schema.json", "config": "config.schema.json"}
MARKER = re.compile(r"(<!-- keys: (\w+) (\S+) -->\n)(.*?)(<!-- /keys -->)", re.S)
HEADING = re.compile(r"^#{2,4} (.+)$", re.M)
# Shared value shapes of the topology schema, named as the page's "Values" section explains them.
VALUE_WORDS = {
    "text": "string",
    "name": "name",
    "reference": "reference",
    "prefix": "prefix",
    "prefixes": "list of prefixes",
    "ip": "IP address",
    "ips": "list of IP addresses",
    "asn": "AS number",
    "community": "community",
    "tags": "tags",
    "portOrPrefix": "port or range",
    "asPathList": "list of AS numbers",
}
PLURALS = {"string": "strings", "reference": "references", "integer": "integers", "port or range": "ports or ranges"}
ENVELOPE = "#/$defs/envelope"


def load(schema: str) -> dict[str, Any]:
    """One schema as shipped (schemas/ is the package's data folder)."""
    data: dict[str, Any] = json.loads((ROOT / "schemas" / SCHEMAS[schema]).read_text(encoding="utf-8"))
    return data


def resolve(schema: dict[str, Any], pointer: str) -> dict[str, Any]:
    """The node at a JSON pointer such as `#/$defs/circuit` or `#/properties/onprem`."""
    node: Any = schema
    for part in pointer.removeprefix("#").strip("/").split("/"):
        if part:
            node = node[part.replace("~1", "/").replace("~0", "~")]
    if not isinstance(node, dict):
        raise KeyError(pointer)
    return node


def objects(schema: dict[str, Any]) -> Iterator[str]:
    """Pointers of every node that has keys of its own: each needs a table on the page."""

    def walk(node: Any, pointer: str) -> Iterator[str]:
        if not isinstance(node, dict):
            return
        if "properties" in node:
            yield pointer
            for key, child in node["properties"].items():
                yield from walk(child, f"{pointer}/properties/{key}")
        for keyword in ("items", "additionalProperties"):
            yield from walk(node.get(keyword), f"{pointer}/{keyword}")
        for name, child in node.get("$defs", {}).items():
            yield from walk(child, f"#/$defs/{name}")

    yield from walk(schema, "#")


def target(schema: dict[str, Any], node: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """A `$ref`'s definition name and node; (None, node) when the node is inline."""
    ref = node.get("$ref")
    if not isinstance(ref, str):
        return None, node
    return ref.rsplit("/", 1)[-1], resolve(schema, ref)


def code(value: Any) -> str:
    """A value as it is written in YAML, in backticks (flow style keeps lists on one line)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9.:]+|true|false|null|yes|no|\*.*", value):
        text = value
    else:
        text = yaml.safe_dump(value, default_flow_style=True, width=10**6, sort_keys=False).strip()
        text = text.removesuffix("\n...").strip()
    return "`" + text.replace("|", "\\|") + "`"


def type_text(schema: dict[str, Any], node: dict[str, Any], anchors: dict[str, str], pointer: str) -> str:
    """The key's type in words, linking to the table of a nested object."""
    name, body = target(schema, node)
    if name is not None:
        if f"#/$defs/{name}" in anchors:
            return f"object, see [{name}](#{anchors[f'#/$defs/{name}']})"
        return VALUE_WORDS.get(name, name)
    if "const" in node:
        return code(node["const"])
    if "enum" in node:
        return "one of " + ", ".join(code(value) for value in node["enum"])
    kind = body.get("type")
    if kind == "array" and isinstance(body.get("items"), dict):
        items = body["items"]
        item_name, _ = target(schema, items)
        if item_name is not None and f"#/$defs/{item_name}" in anchors:
            return f"list of [{item_name}](#{anchors[f'#/$defs/{item_name}']})"
        if f"{pointer}/items" in anchors:
            return f"list of objects, see [below](#{anchors[f'{pointer}/items']})"
        words = type_text(schema, items, anchors, f"{pointer}/items")
        return "list of " + PLURALS.get(words, words.removeprefix("one of "))
    if "properties" in body and pointer in anchors:
        return f"object, see [below](#{anchors[pointer]})"
    extra = body.get("additionalProperties")
    if isinstance(extra, dict):
        keys = "NAME"
        if "pattern" in body.get("propertyNames", {}):
            keys = "key matching `" + body["propertyNames"]["pattern"] + "`"
        if f"{pointer}/additionalProperties" in anchors:
            return f"mapping of {keys} to object, see [below](#{anchors[pointer + '/additionalProperties']})"
        words = type_text(schema, extra, anchors, f"{pointer}/additionalProperties")
        return f"mapping of {keys} to {words}"
    if isinstance(kind, list):
        return " or ".join(kind)
    return str(kind or "any")


def table(schema: dict[str, Any], pointer: str, anchors: dict[str, str]) -> str:
    """The Markdown table of one object's keys: meaning, type, default, example."""
    node = resolve(schema, pointer)
    required = set(node.get("required", []))
    rows = ["| Key | Meaning | Type | Default | Example |", "|---|---|---|---|---|"]
    if {"$ref": ENVELOPE} in node.get("allOf", []):
        required |= set(resolve(schema, ENVELOPE).get("required", []))
        rows.append(
            f"| *common keys* | `name` (required), `id`, `subscription`, `resourceGroup`, `region`, `tags`: "
            f"see [common keys](#{anchors[ENVELOPE]}) | | | |"
        )
    for key, child in node.get("properties", {}).items():
        _, body = target(schema, child)
        meaning = child.get("description") or body.get("description")
        if not meaning:
            raise ValueError(f"{pointer}/properties/{key} has no description")
        default = "**required**" if key in required else child.get("x-default", "not set")
        examples = child.get("examples") or body.get("examples") or []
        example = code(examples[0]) if examples else ""
        kind = type_text(schema, child, anchors, f"{pointer}/properties/{key}")
        cells = [f"`{key}`", meaning.replace("|", "\\|"), kind, default, example]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows) + "\n"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors_of(page: str, schema: str) -> dict[str, str]:
    """Pointer -> anchor of the heading each of the schema's tables sits under."""
    found: dict[str, str] = {}
    for match in MARKER.finditer(page):
        if match.group(2) == schema:
            headings = HEADING.findall(page, 0, match.start())
            found[match.group(3)] = slug(headings[-1]) if headings else ""
    return found


def build(page: str) -> str:
    """The page with every generated table rewritten from the schemas."""
    schemas = {name: load(name) for name in SCHEMAS}
    anchors = {name: anchors_of(page, name) for name in SCHEMAS}

    def rewrite(match: re.Match[str]) -> str:
        name, pointer = match.group(2), match.group(3)
        return match.group(1) + table(schemas[name], pointer, anchors[name]) + match.group(5)

    return MARKER.sub(rewrite, page)


def main(argv: list[str]) -> int:
    """Write the page, or with --check say whether it is up to date (exit 1 when not)."""
    page = PAGE.read_text(encoding="utf-8")
    built = build(page)
    if "--check" in argv:
        if built != page:
            print(f"{PAGE.relative_to(ROOT)} is out of date: run python docs/build_design_format.py")
            return 1
        return 0
    PAGE.write_text(built, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The text of a fix: an az CLI command, a Terraform (azurerm) block laid out as `terraform fmt` writes it,
and an ARM property as JSON. Values are quoted for the shell and for HCL; nothing here guesses a value."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Sequence
from typing import Any, Union

from anycast_lint.model.ids import id_segment

# An HCL value: a string, bool, number, list of them, or a nested block (name, body).
Hcl = Union[str, bool, int, list[Any], "Block"]


class Block:
    """`name "label" ... { attributes; nested blocks }`, written as `terraform fmt` lays it out."""

    def __init__(self, header: str, body: Sequence[tuple[str, Any]]):
        self.header = header
        self.body = list(body)

    def render(self, indent: str = "") -> list[str]:
        lines = [f"{indent}{self.header} {{"]
        inner = indent + "  "
        attributes = [(k, v) for k, v in self.body if not isinstance(v, Block)]
        width = max((len(k) for k, _ in attributes), default=0)
        for key, value in attributes:  # terraform fmt aligns the attributes before the first nested block
            lines.append(f"{inner}{key.ljust(width)} = {_hcl(value)}")
        for _, value in self.body:
            if isinstance(value, Block):
                lines += value.render(inner)
        lines.append(f"{indent}}}")
        return lines

    def text(self) -> str:
        return "\n".join(self.render()) + "\n"


def _hcl(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hcl(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_hcl(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))  # HCL string escapes are JSON's for what we write


def resource(kind: str, name: str, *body: tuple[str, Any]) -> Block:
    return Block(f'resource "{kind}" "{tf_name(name)}"', body)


def block(name: str, *body: tuple[str, Any]) -> Block:
    return Block(name, body)


def tf_name(name: str) -> str:
    """A Terraform resource name from an Azure name (letters, digits, underscores, dashes)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "_", name)
    return cleaned if cleaned[:1].isalpha() or cleaned[:1] == "_" else f"r_{cleaned}"


def az(*words: str, **options: str | list[str]) -> str:
    """`az word... --option value`, each value quoted for a POSIX shell."""
    parts = list(words)
    for key, value in options.items():
        parts.append("--" + key.replace("_", "-"))
        parts += [shlex.quote(v) for v in value] if isinstance(value, list) else [shlex.quote(value)]
    return " ".join(parts)


def resource_group(resource_id: str) -> str:
    return id_segment(resource_id, "resourceGroups") or "<resource-group>"


def arm_property(resource_type: str, name: str, properties: dict[str, Any]) -> str:
    """The ARM resource with only the properties the fix sets."""
    return json.dumps({"type": resource_type, "name": name, "properties": properties}, indent=2)

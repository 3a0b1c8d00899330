"""Point findings about planned resources at their `.tf` source, when it can be found.

The root module is `--tf-root` (default: the plan's folder); a child module's folder is its call's local
`source` (`./modules/spoke`), or the folder `terraform init` recorded in `.terraform/modules/modules.json`
for registry and git modules. In a module folder, the `resource "type" "name" {` block is found by text
(no HCL parser is needed for that); attributes inside it are located the same way, on demand, and an
attribute written through a variable, a dynamic block or a default resolves to its enclosing block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from anycast_lint.model.positions import Origin, Pointer, SourceDocument, Span, TextPositions
from anycast_lint.sources.terraform.plan import Plan

_BLOCK = re.compile(r'(?m)^[ \t]*resource[ \t]+"([^"]+)"[ \t]+"([^"]+)"[ \t]*\{')


class TerraformFile(SourceDocument):
    """A `.tf` file; a pointer is ("resource", type, name, attribute, index, attribute, ...)."""

    def __init__(self, path: str, text: str):
        super().__init__(path, len(text))
        self.text = text
        self._positions = TextPositions(text)
        self.blocks = {(m.group(1), m.group(2)): m.start() for m in _BLOCK.finditer(text)}

    def _find(self, pointer: Pointer) -> Span | None:
        if len(pointer) < 3 or pointer[0] != "resource":
            return None
        start = self.blocks.get((str(pointer[1]), str(pointer[2])))
        if start is None:
            return None
        start = start + len(self.text[start:]) - len(self.text[start:].lstrip())
        end = _block_end(self.text, self.text.index("{", start))
        parts = list(pointer[3:])
        while parts:
            name = parts.pop(0)
            if not isinstance(name, str):
                return None
            occurrence = 0
            if parts and isinstance(parts[0], int):
                occurrence = int(parts.pop(0))
            found = _attribute(self.text, start, end, name, occurrence)
            if found is None:
                return None
            start, end = found
        return self._span(start, end)

    def _span(self, start: int, end: int) -> Span:
        line_end = self.text.find("\n", start)
        stop = min(end, line_end if line_end >= 0 else len(self.text))
        line, column = self._positions.line_column(start)
        end_line, end_column = self._positions.line_column(stop)
        return Span(line, column, end_line, end_column)


def _block_end(text: str, brace: int) -> int:
    """The offset after the `}` closing the block opened at `brace` (strings and comments skipped)."""
    depth = 0
    index = brace
    quoted = False
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "#" or text.startswith("//", index):
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
            continue
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(text)


def _attribute(text: str, start: int, end: int, name: str, occurrence: int) -> tuple[int, int] | None:
    """The n-th `name = ...` line or `name { ... }` block directly inside [start, end)."""
    pattern = re.compile(rf"(?m)^[ \t]*{re.escape(name)}[ \t]*(=|\{{)")
    body = text.index("{", start) + 1
    position = body
    seen = 0
    while True:
        match = pattern.search(text, position, end)
        if match is None:
            return None
        if _depth(text, body, match.start()) == 0:
            if seen == occurrence:
                begin = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
                if match.group(1) == "{":
                    return begin, _block_end(text, match.end() - 1)
                line_end = text.find("\n", match.end())
                return begin, line_end if line_end >= 0 else end
            seen += 1
        position = match.end()


def _depth(text: str, start: int, stop: int) -> int:
    segment = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', text[start:stop])
    return segment.count("{") - segment.count("}") + segment.count("[") - segment.count("]")


class SourceFinder:
    """Finds the `.tf` block of each planned instance under a root folder, reading each folder once."""

    def __init__(self, root: Path, display: str):
        self.root = root
        self.display = display
        self._folders: dict[Path, dict[tuple[str, str], TerraformFile]] = {}
        self._registry = _modules_json(root)
        self.documents: list[TerraformFile] = []

    def attach(self, plan: Plan) -> None:
        modules: dict[tuple[str, ...], dict[tuple[str, str], TerraformFile]] = {}
        for instance in plan.instances:
            if instance.mode != "managed":
                continue
            calls = tuple(name for name, _ in instance.module_key_path)
            if calls not in modules:
                folder = self._module_folder(plan, list(calls))
                modules[calls] = self._blocks(folder) if folder is not None else {}
            document = modules[calls].get((instance.type, instance.name))
            if document is not None:
                instance.source = Origin(document.path, ("resource", instance.type, instance.name), document)

    def _module_folder(self, plan: Plan, calls: list[str]) -> Path | None:
        folder = self.root
        for depth in range(len(calls)):
            key = ".".join(calls[: depth + 1])
            recorded = self._registry.get(key)
            if recorded is not None:
                folder = self.root / recorded
                continue
            parent = plan.modules.get(".".join(calls[:depth])) or {}
            module_calls = parent.get("module_calls")
            call = module_calls.get(calls[depth]) if isinstance(module_calls, dict) else None
            source = call.get("source") if isinstance(call, dict) else None
            if not isinstance(source, str) or not source.startswith(("./", "../")):
                return None
            folder = folder / source
        return folder

    def _blocks(self, folder: Path) -> dict[tuple[str, str], TerraformFile]:
        resolved = folder.resolve()
        if resolved not in self._folders:
            found: dict[tuple[str, str], TerraformFile] = {}
            for path in sorted(resolved.glob("*.tf")) if resolved.is_dir() else []:
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                document = TerraformFile(self._display(path), text)
                if document.blocks:
                    self.documents.append(document)
                for key in document.blocks:
                    found.setdefault(key, document)
            self._folders[resolved] = found
        return self._folders[resolved]

    def _display(self, path: Path) -> str:
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return str(path)
        return str(Path(self.display) / relative)


def _modules_json(root: Path) -> dict[str, str]:
    """Call path -> folder, from `terraform init`'s record of installed modules."""
    try:
        data: Any = json.loads((root / ".terraform" / "modules" / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    modules = data.get("Modules") if isinstance(data, dict) else None
    found = {}
    for entry in modules if isinstance(modules, list) else []:
        key = entry.get("Key") if isinstance(entry, dict) else None
        if isinstance(key, str) and key and isinstance(entry.get("Dir"), str):
            found[key] = entry["Dir"]
    return found

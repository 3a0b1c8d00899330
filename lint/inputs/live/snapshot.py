"""What a live scan read, as documents the file sources read: one mapping for exports and live data.

The resources become one ARM list response (`{"value": [...]}`, sorted by id, only the properties the
model reads: see allowlist) that the ARM source translates exactly as it translates an export;
`export --azure` writes that same text,
so scanning the snapshot later gives the same topology. Observed route tables become the request and
response of `list-route-tables` that the route-table source reads. Without `--snapshot` there is no
file: origins then name the Azure resource instead of a line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from anycast_lint.inputs.live.allowlist import keep_read
from anycast_lint.inputs.live.records import PRIVATE_PEERING, LiveRead, ObservedRoutes
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.positions import JsonDocument, Pointer, format_pointer

LIVE = "azure"  # the "file" of an origin read live


class LiveDocument(JsonDocument):
    """A document read from Azure, not from a file: a pointer resolves to the resource it is in."""

    def __init__(self, text: str, resource_ids: list[str]):
        super().__init__(LIVE, text)
        self.resource_ids = resource_ids  # value[i] for a list response; one id for a route table

    def resource_at(self, pointer: Pointer) -> str | None:
        if len(self.resource_ids) == 1:
            return self.resource_ids[0]
        index = pointer[1] if len(pointer) >= 2 and pointer[0] == "value" else None
        if isinstance(index, int) and 0 <= index < len(self.resource_ids):
            return self.resource_ids[index]
        return None

    def describe(self, pointer: Pointer) -> str:
        resource = self.resource_at(pointer) or ""
        inner = pointer[2:] if len(self.resource_ids) != 1 else ()
        return f"{LIVE}:{resource}" + (f" ({format_pointer(inner)})" if inner else "")


def snapshot(read: LiveRead) -> dict[str, Any]:
    """The resources read, as one ARM list response, sorted by id so that snapshots diff cleanly; each
    resource keeps only what the model reads (allowlist), so no secret-bearing property is written."""
    ordered = sorted(read.resources.values(), key=lambda r: id_key(str(r.get("id", ""))))
    return {"value": [keep_read(resource) for resource in ordered]}


def snapshot_text(read: LiveRead) -> str:
    return _text(snapshot(read))


def _text(document: dict[str, Any]) -> str:
    """One resource per line: a finding's line is its resource's line, diffs show which resources
    changed, and the C encoder writes it (indenting would take the pure-Python one, 3x slower)."""
    lines = ",\n".join(json.dumps(resource, ensure_ascii=False) for resource in document["value"])
    return '{"value": [\n' + lines + "\n]}\n" if lines else '{"value": []}\n'


def _observed_envelope(observed: ObservedRoutes) -> dict[str, Any]:
    """The `list-route-tables` request parameters and response, which name the circuit and device."""
    return {
        "parameters": {
            "circuitName": id_name(observed.circuit_id),
            "peeringName": PRIVATE_PEERING,
            "devicePath": observed.device_path,
        },
        "responses": {"200": {"body": observed.body}},
    }


def live_inputs(read: LiveRead, snapshot_path: str | None = None) -> list[ParsedFile]:
    """Parsed documents for the loader. With `snapshot_path`, the resources are written there first
    and origins point at lines in it (for SARIF's physical locations)."""
    data = snapshot(read)
    text = _text(data)
    parsed: list[ParsedFile] = []
    if snapshot_path:
        Path(snapshot_path).write_text(text, encoding="utf-8")
        parsed.append(ParsedFile(JsonDocument(snapshot_path, text), data))
    else:
        ids = [str(resource.get("id", "")) for resource in data["value"]]
        parsed.append(ParsedFile(LiveDocument(text, ids), data))
    for observed in read.observed:
        envelope = _observed_envelope(observed)
        table_id = f"{observed.circuit_id}/peerings/{PRIVATE_PEERING}/routeTables/{observed.device_path}"
        parsed.append(ParsedFile(LiveDocument(json.dumps(envelope, indent=2), [table_id]), envelope))
    return parsed

"""Whether a document is a native topology (or nearly one), its schema check, and loading it."""

from __future__ import annotations

from typing import Any

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.inputs.schema import validate
from anycast_lint.sources.native.builder import NativeBuilder
from anycast_lint.sources.native.names import (
    API_PREFIX,
    DEFAULT_RESOURCE_GROUP,
    DEFAULT_SUBSCRIPTION,
    TOP_LEVEL,
    DeclaredNames,
    NativeDocument,
    declare_all,
)


def claims(data: Any) -> bool:
    """Is this parsed file a native topology document?"""
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and data["apiVersion"].startswith(API_PREFIX)
        and data.get("kind") == "Topology"
    )


def near_miss(data: Any) -> str | None:
    """What keeps a file that looks like a native topology from being one (a user's most common slip: `kind:
    topology`, or no `apiVersion`), said plainly instead of "not a recognised input"."""
    if not isinstance(data, dict):
        return None
    sections = {key for key, _ in TOP_LEVEL.values()} | {"virtualHubs", "defaults"}
    api, kind = data.get("apiVersion"), data.get("kind")
    looks = bool(sections & set(data)) or (isinstance(api, str) and api.startswith(API_PREFIX))
    if not looks:
        return None
    wanted = f"apiVersion: {API_PREFIX}v1 and kind: Topology"
    if not isinstance(api, str) or not api.startswith(API_PREFIX):
        found = f"apiVersion {api!r}" if api is not None else "no apiVersion"
        return f"this looks like an anycast-lint topology, but it has {found} (expected {wanted})"
    if kind != "Topology":
        found = f"kind {kind!r}" if kind is not None else "no kind"
        hint = " (kinds are case-sensitive)" if isinstance(kind, str) and kind.lower() == "topology" else ""
        return f"this looks like an anycast-lint topology, but it has {found}{hint} (expected {wanted})"
    return None


def check(parsed: ParsedFile) -> list[InputError]:
    """Every schema violation of one file (the loader checks all files before it builds any)."""
    try:
        validate(parsed.data, "topology.schema.json", parsed.document)
    except InputErrors as exc:
        return exc.errors
    except InputError as exc:
        return [exc]
    return []


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    """Translate native topology files, already checked against the schema, into model objects."""
    docs = []
    for parsed in files:
        defaults = parsed.data.get("defaults", {})
        docs.append(
            NativeDocument(
                parsed,
                parsed.data,
                defaults.get("subscription", DEFAULT_SUBSCRIPTION),
                defaults.get("resourceGroup", DEFAULT_RESOURCE_GROUP),
                defaults.get("region"),
            )
        )
    builder.cover(
        None, declared=True
    )  # the author's whole design, by declaration (the config's `coverage:` may say otherwise)
    names = DeclaredNames()
    for doc in docs:
        declare_all(doc, names)
    for doc in docs:
        builder.add_document(doc.parsed.document)
        NativeBuilder(doc, names, builder).build()

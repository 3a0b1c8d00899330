"""Find the Azure resources in a parsed JSON document, whatever envelope it came in.

Accepted: one resource; a JSON array of resources; a list response `{"value": [...]}` (REST, `az rest`,
`az resource list`); a Resource Graph result `{"data": [...]}` (or a bare array of rows); and the
example files of Azure/azure-rest-api-specs (`{"parameters": ..., "responses": {"200": {"body": ...}}}`).
Resources may be in the REST shape (`properties{}`), flattened as the az CLI prints them, or with
Resource Graph's lower-cased types; `type` may be missing when the id tells it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.ids import is_resource_id
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.values import Unknown, describe

# Every type the model reads, in ARM's spelling; lookups are case-insensitive (Resource Graph).
KNOWN_TYPES = (
    "Microsoft.Network/virtualNetworks",
    "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "Microsoft.Network/routeTables",
    "Microsoft.Network/routeTables/routes",
    "Microsoft.Network/networkSecurityGroups",
    "Microsoft.Network/networkSecurityGroups/securityRules",
    "Microsoft.Network/natGateways",
    "Microsoft.Network/networkInterfaces",
    "Microsoft.Network/virtualNetworkGateways",
    "Microsoft.Network/connections",
    "Microsoft.Network/expressRouteCircuits",
    "Microsoft.Network/expressRouteCircuits/peerings",
    "Microsoft.Network/virtualWans",
    "Microsoft.Network/virtualHubs",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
    "Microsoft.Network/virtualHubs/routeMaps",
    "Microsoft.Network/virtualHubs/hubRouteTables",
    "Microsoft.Network/virtualHubs/routingIntent",
    "Microsoft.Network/expressRouteGateways",
    "Microsoft.Network/expressRouteGateways/expressRouteConnections",
    "Microsoft.Network/azureFirewalls",
    "Microsoft.Network/networkVirtualAppliances",
    "Microsoft.Network/dnsResolvers",
    "Microsoft.Network/dnsResolvers/inboundEndpoints",
    "Microsoft.Network/dnsResolvers/outboundEndpoints",
)
CANONICAL_TYPES = {t.lower(): t for t in KNOWN_TYPES}
# Child lists the translation reads embedded in their parent (parent type -> properties holding them):
# a template that gives one as an expression it cannot evaluate leaves the children unread.
EMBEDDED_CHILD_LISTS = {
    "Microsoft.Network/virtualNetworks": ("subnets", "virtualNetworkPeerings"),
    "Microsoft.Network/routeTables": ("routes",),
    "Microsoft.Network/networkSecurityGroups": ("securityRules",),
    "Microsoft.Network/expressRouteGateways": ("expressRouteConnections",),
}
# Id segments that differ from the type name (the hub connection list example uses the first).
SEGMENT_ALIASES = {"virtualhubvnetconnections": "hubVirtualNetworkConnections"}


@dataclass(frozen=True, slots=True)
class ArmRecord:
    """One resource object as found in a file, with its canonical type and where it sits."""

    data: dict[str, Any]
    document: SourceDocument
    pointer: Pointer
    type: str
    id: str

    @property
    def origin(self) -> Origin:
        return Origin(self.document.path, self.pointer, self.document)


def type_from_id(resource_id: str) -> str | None:
    """The type an id encodes: `.../providers/Microsoft.Network/virtualHubs/h/hubRouteTables/t` gives
    `Microsoft.Network/virtualHubs/hubRouteTables`."""
    parts = resource_id.strip().strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return None
    start = len(lowered) - 1 - lowered[::-1].index("providers")
    rest = parts[start + 1 :]
    if len(rest) < 3 or len(rest) % 2 == 0:
        return None
    types = [SEGMENT_ALIASES.get(t.lower(), t) for t in rest[1::2]]
    return "/".join([rest[0], *types])


def canonical_type(name: str) -> str:
    return CANONICAL_TYPES.get(name.lower(), name)


def looks_like_resource(item: Any) -> bool:
    if not isinstance(item, dict):
        return False
    resource_id = item.get("id")
    resource_type = item.get("type")
    return (isinstance(resource_id, str) and is_resource_id(resource_id)) or (
        isinstance(resource_type, str) and resource_type.lower().startswith("microsoft.")
    )


def unwrap(data: Any, pointer: Pointer = ()) -> tuple[Any, Pointer]:
    """Strip the REST-spec example envelope: its 200 (or 201) response body is the payload."""
    if is_spec_example(data):
        responses = data["responses"]
        for code in ("200", "201", *sorted(responses)):
            body = responses.get(code, {})
            if isinstance(body, dict) and "body" in body:
                return unwrap(body["body"], (*pointer, "responses", code, "body"))
    return data, pointer


_LIST_ENVELOPE_KEYS = {
    "nextLink",
    "count",
    "totalRecords",
    "skipToken",
    "skip_token",
    "total_records",
    "resultTruncated",
    "facets",
}


def items_of(data: Any) -> list[tuple[Any, Pointer]] | None:
    """The resource objects of a document with their pointers (None: not a resource-list shape)."""
    payload, pointer = unwrap(data)
    if isinstance(payload, list):
        return [(item, (*pointer, index)) for index, item in enumerate(payload)]
    if isinstance(payload, dict):
        for key in ("value", "data"):
            if isinstance(payload.get(key), list) and set(payload) - {key} <= _LIST_ENVELOPE_KEYS:
                return [(item, (*pointer, key, index)) for index, item in enumerate(payload[key])]
        if looks_like_resource(payload):
            return [(payload, pointer)]
    return None


def is_spec_example(data: Any) -> bool:
    """An example file of Azure/azure-rest-api-specs: request parameters and the responses."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("responses"), dict)
        and ("parameters" in data or "operationId" in data)
    )


def claims(data: Any) -> bool:
    """An Azure resource export: every item is an object and at least one is recognisably a resource."""
    found = items_of(data)
    if found is None:
        return False
    if not found:  # an empty list, e.g. `az network vnet list` in an empty subscription
        return True
    items = [item for item, _ in found]
    return all(isinstance(item, dict) for item in items) and any(looks_like_resource(item) for item in items)


def records(parsed: ParsedFile) -> Iterator[ArmRecord]:
    """Every resource in the file with its canonical type and id; one-line errors for malformed ones."""
    for item, pointer in items_of(parsed.data) or []:
        yield record_of(item, parsed.document, pointer)


def check_properties(item: dict[str, Any], origin: Origin) -> None:
    """`properties`, when present, is an object: in any other shape every property would read as absent."""
    inner = item.get("properties")
    if inner is not None and inner.__class__ is not dict and inner.__class__ is not Unknown:
        raise InputError.at(origin.child("properties"), f"expected an object, got {describe(inner)}")


def record_of(item: Any, document: SourceDocument, pointer: Pointer) -> ArmRecord:
    origin = Origin(document.path, pointer, document)
    if not isinstance(item, dict):
        raise InputError.at(origin, f"expected a resource object, got {describe(item)}")
    check_properties(item, origin)
    resource_id = item.get("id")
    declared_type = item.get("type")
    if declared_type is not None and not isinstance(declared_type, str):
        raise InputError.at(origin, "resource 'type' must be a string")
    if resource_id is not None and not isinstance(resource_id, str):
        raise InputError.at(origin, "resource 'id' must be a string")
    resource_type = declared_type or (type_from_id(resource_id) if resource_id else None)
    if not resource_type:
        name = item.get("name")
        what = f"resource {name!r}" if isinstance(name, str) else "resource"
        raise InputError.at(
            origin,
            f"{what} has no 'type', and no 'id' to tell it (expected e.g. "
            '"type": "Microsoft.Network/virtualNetworks")',
        )
    if not resource_id:
        raise InputError.at(origin, f"{canonical_type(resource_type)} resource has no 'id'")
    return ArmRecord(item, document, pointer, canonical_type(resource_type), resource_id)


# ARM enum values compare case-insensitively; the model keeps their documented spelling.
_ENUMS = {
    name.lower(): name
    for name in (
        "Connected", "Initiated", "Disconnected", "FullyInSync", "RemoteNotInSync", "LocalNotInSync",
        "LocalAndRemoteNotInSync", "VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance",
        "VirtualApplianceEcmp", "None", "Inbound", "Outbound", "Allow", "Deny", "Tcp", "Udp", "Icmp", "Esp",
        "Ah", "ExpressRoute", "Vpn", "LocalGateway", "IPsec", "Vnet2Vnet", "VPNClient", "Contains", "Equal",
        "Equals", "NotContains", "NotEquals", "Add", "Replace", "Remove", "Drop", "Continue", "Terminate",
        "CIDR", "ResourceId", "Service", "IPAddress", "AZFW_VNet", "AZFW_Hub", "ASPath", "VpnGateway",
    )
}  # fmt: skip


def enum_value(value: Any) -> Any:
    """An enum value in its documented spelling (`connected` -> `Connected`); anything else unchanged."""
    return _ENUMS.get(value.lower(), value) if isinstance(value, str) else value

"""Azure Resource Graph: the network resources of many subscriptions in few queries, and the
subscriptions of a management group.

Resource Graph's `Resources` table holds tracked resources, and a resource's properties as its GET
returns them: a VNet row embeds its subnets and peerings, a route table its routes, an NSG its rules.
Subscriptions are queried in batches of 250: the throttling guidance recommends grouping queries by
subscription in groups under 300 ("Guidance for throttled requests in Azure Resource Graph", documented),
and the REST API takes at most 1,000 per query (troubleshoot/general, documented). A response over
Resource Graph's size limit answers `ResponsePayloadTooLarge` ("Response payload size is …, and has
exceeded the limit of …; … make paginated call", observed in microsoft/ari#3): the page is asked again
with half the rows (`$top`), down to 50. A batch that still fails is listed per subscription instead
(the caller announces it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError, HttpResponseError

from anycast_lint.sources.arm.shapes import KNOWN_TYPES, canonical_type

if TYPE_CHECKING:
    from azure.mgmt.resourcegraph import ResourceGraphClient

# Child types that come embedded in their parent's row (subnets and peerings in a VNet's, routes in a
# route table's, rules in an NSG's) and the Virtual WAN children Resource Graph does not index (listed:
# they are missing from its table of supported types, supported-tables-resources, documented by omission).
EMBEDDED_TYPES = (
    "Microsoft.Network/virtualNetworks/subnets",
    "Microsoft.Network/virtualNetworks/virtualNetworkPeerings",
    "Microsoft.Network/routeTables/routes",
    "Microsoft.Network/networkSecurityGroups/securityRules",
)
LISTED_TYPES = (
    "Microsoft.Network/virtualHubs/hubRouteTables",
    "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
    "Microsoft.Network/virtualHubs/routeMaps",
    "Microsoft.Network/virtualHubs/routingIntent",
    "Microsoft.Network/expressRouteGateways/expressRouteConnections",
)
GRAPH_TYPES = tuple(t for t in KNOWN_TYPES if t not in EMBEDDED_TYPES + LISTED_TYPES)
NETWORK_QUERY = (
    "Resources\n| where type in~ ({types})\n"
    "| project id, name, type, location, tags, sku, zones, etag, properties\n| order by id asc"
).format(types=", ".join(f"'{t.lower()}'" for t in GRAPH_TYPES))
# The subscriptions under a management group (at any depth) with their state: ResourceContainers rows of
# type microsoft.resources/subscriptions carry `properties.state` (Resource Graph starter queries, documented).
SUBSCRIPTIONS_QUERY = (
    "ResourceContainers\n| where type =~ 'microsoft.resources/subscriptions'\n"
    "| project subscriptionId, name, state = tostring(properties.state)\n| order by subscriptionId asc"
)
GRAPH_PAGE = 1000  # rows per page, Resource Graph's maximum
GRAPH_MIN_PAGE = 50
GRAPH_SUBSCRIPTION_BATCH = 250
TOO_LARGE = "ResponsePayloadTooLarge"


@dataclass
class GraphRows:
    """What the network query gave: rows by subscription (lower-case id), and the batches that failed."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # subscription id (lower) -> the error, one line
    smaller_pages: int = 0  # how often a page was asked again with fewer rows


def _code(error: HttpResponseError) -> str:
    """The error code, or a detail's (Resource Graph nests the specific one under `details`)."""
    codes = []
    if error.error is not None:
        codes.append(str(error.error.code or ""))
        codes += [str(getattr(d, "code", "") or "") for d in (error.error.details or [])]
    return TOO_LARGE if TOO_LARGE in codes else (codes[0] if codes else "")


def query(
    client: ResourceGraphClient,
    text: str,
    *,
    subscriptions: list[str] | None = None,
    management_group: str | None = None,
    progress: Callable[[int], None] | None = None,
    on_smaller_page: Callable[[], None] | None = None,
) -> list[dict[str, Any]]:
    """Every row of one query, following `$skipToken`; a too-large page is asked again with half the rows."""
    from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

    rows: list[dict[str, Any]] = []
    skip_token: str | None = None
    top = GRAPH_PAGE
    while True:
        options = QueryRequestOptions(skip_token=skip_token, top=top, result_format="objectArray")
        request = QueryRequest(
            subscriptions=subscriptions,
            management_groups=[management_group] if management_group else None,
            query=text,
            options=options,
        )
        try:
            response = client.resources(request)
        except HttpResponseError as error:
            if _code(error) == TOO_LARGE and top > GRAPH_MIN_PAGE:
                top = max(GRAPH_MIN_PAGE, top // 2)
                if on_smaller_page:
                    on_smaller_page()
                continue
            raise
        data: Any = response.data  # objectArray: a list of rows
        rows += [row for row in data or [] if isinstance(row, dict)]
        if progress:
            progress(len(rows))
        skip_token = response.skip_token
        if not skip_token:
            return rows


def network_rows(
    client: ResourceGraphClient,
    subscription_ids: list[str],
    describe: Callable[[AzureError], str],
    progress: Callable[[str], None],
) -> GraphRows:
    """The indexed network resources of the subscriptions, batch by batch."""
    result = GraphRows({s.lower(): [] for s in subscription_ids})
    done = 0

    def smaller() -> None:
        result.smaller_pages += 1

    for start in range(0, len(subscription_ids), GRAPH_SUBSCRIPTION_BATCH):
        batch = subscription_ids[start : start + GRAPH_SUBSCRIPTION_BATCH]

        def counted(count: int, before: int = done) -> None:
            progress(f"Resource Graph: {before + count} resources")

        try:
            rows = query(
                client,
                NETWORK_QUERY,
                subscriptions=batch,
                progress=counted,
                on_smaller_page=smaller,
            )
        except AzureError as error:
            reason = describe(error)
            result.failed.update({s.lower(): reason for s in batch})
            continue
        done += len(rows)
        for row in rows:
            resource = _resource(row)
            result.rows.setdefault(_subscription_of(str(resource.get("id", ""))), []).append(resource)
    return result


def _resource(row: dict[str, Any]) -> dict[str, Any]:
    """A Resource Graph row in the REST shape: ARM's type spelling, no empty projected columns."""
    resource = {key: value for key, value in row.items() if value is not None and value != ""}
    if isinstance(resource.get("type"), str):
        resource["type"] = canonical_type(resource["type"])
    return resource


def _subscription_of(resource_id: str) -> str:
    parts = resource_id.strip("/").split("/")
    return parts[1].lower() if len(parts) > 1 and parts[0].lower() == "subscriptions" else ""

"""Read a tenant's network resources as ARM JSON (the REST shape), read-only, with every gap named.

How: one Resource Graph query (paged with `$skipToken`) for the network types across all subscriptions;
then, per subscription, `azure-mgmt-network` list calls only for what Resource Graph does not hold.
When Resource Graph is not permitted (or fails), every type is listed per subscription instead.

Resource Graph's `Resources` table holds tracked resources, and a resource's properties as its GET
returns them: a VNet row embeds its subnets and peerings, a route table its routes, an NSG its rules.
It does not hold the proxy child resources of Virtual WAN, which are missing from its table of
supported types (https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources,
documented by omission) and are listed here instead:
- `virtualHubs/hubRouteTables`, `virtualHubs/hubVirtualNetworkConnections`, `virtualHubs/routeMaps`
  (REST: `GET .../virtualHubs/{hub}/hubRouteTables` etc., paged with `nextLink`);
- `expressRouteGateways/expressRouteConnections` (`GET .../expressRouteGateways/{gw}/expressRouteConnections`,
  not paged). An ExpressRoute gateway's GET embeds its connections too; the copy from the list call is
  the one kept, and an id met twice is read once.

Only GET requests are sent, plus the two documented read-only POSTs: the Resource Graph query and
`expressRouteCircuits/.../routeTables/{devicePath}` (a long-running POST that lists a circuit's routes).
Throttling (429 with `Retry-After`) and transient 5xx are retried by the SDK's own retry policy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azure.core.credentials import TokenCredential
from azure.core.exceptions import AzureError, HttpResponseError

if TYPE_CHECKING:
    # The management clients take 1.2 s to import; only a live scan pays for them (imported where used).
    from azure.mgmt.resource.resources import ResourceManagementClient

from anycast_lint.ids import id_key, id_name
from anycast_lint.live.endpoints import Endpoints
from anycast_lint.sources.arm_shapes import KNOWN_TYPES, canonical_type

# Child types that come embedded in their parent's row (subnets and peerings in a VNet's, routes in a
# route table's, rules in an NSG's) and the Virtual WAN children Resource Graph does not index (listed).
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
    "Microsoft.Network/expressRouteGateways/expressRouteConnections",
)
# What the query asks for: every other type the model reads, DNS resolver endpoints included (tracked
# resources with their own location and tags, which Resource Graph indexes like top-level ones).
GRAPH_TYPES = tuple(t for t in KNOWN_TYPES if t not in EMBEDDED_TYPES + LISTED_TYPES)
GRAPH_QUERY = (
    "Resources\n| where type in~ ({types})\n"
    "| project id, name, type, location, tags, sku, zones, etag, properties\n| order by id asc"
).format(types=", ".join(f"'{t.lower()}'" for t in GRAPH_TYPES))
GRAPH_PAGE = 1000  # rows per page, Resource Graph's maximum
GRAPH_SUBSCRIPTION_BATCH = 1000  # subscriptions per query, Resource Graph's limit (troubleshoot/general)
# Types azure-mgmt-network cannot list per subscription: found with the generic resource list, read by id.
GENERIC_API_VERSIONS = {
    "Microsoft.Network/virtualNetworkGateways": "2024-05-01",
    "Microsoft.Network/connections": "2024-05-01",
    "Microsoft.Network/dnsResolvers": "2022-07-01",
    "Microsoft.Network/dnsResolvers/inboundEndpoints": "2022-07-01",
    "Microsoft.Network/dnsResolvers/outboundEndpoints": "2022-07-01",
}
DEVICE_PATHS = ("primary", "secondary")
PRIVATE_PEERING = "AzurePrivatePeering"


@dataclass(frozen=True)
class Subscription:
    id: str
    name: str

    @property
    def label(self) -> str:
        return (
            f"subscription '{self.name}' ({self.id})"
            if self.name and self.name != self.id
            else f"subscription {self.id}"
        )


@dataclass(frozen=True)
class Gap:
    """Something the scan could not read: where, what, and the answer Azure gave."""

    scope: str
    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.scope}: could not read {self.what}: {self.reason}"


@dataclass(frozen=True)
class ObservedRoutes:
    """One ExpressRoute route table as `list-route-tables` returns it (`{"value": [rows]}`)."""

    circuit_id: str
    device_path: str
    body: dict[str, Any]


@dataclass
class LiveRead:
    subscriptions: list[Subscription] = field(default_factory=list)
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id key; a list call's copy wins
    observed: list[ObservedRoutes] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)
    unread: set[str] = field(default_factory=set)  # subscription ids with a gap: nothing of them is kept
    used_graph: bool = False
    notes: list[str] = field(default_factory=list)  # how the scan went (for --verbose)


class LiveError(Exception):
    """The scan cannot start (no subscription can be listed): exit 2."""


def describe_error(error: AzureError) -> str:
    """`403 AuthorizationFailed: The client ... does not have authorization ...` on one line."""
    if isinstance(error, HttpResponseError) and error.status_code is not None:
        status = error.status_code
        code = error.error.code if error.error is not None else None
        detail = error.error.message if error.error is not None and error.error.message else error.reason
        return " ".join(str(part) for part in (status, code) if part) + (f": {detail}" if detail else "")
    # No HTTP answer (a credential that got no token, TLS, a timeout): the SDK's message on one line,
    # without its pointer to the troubleshooting guide.
    lines = [line.strip() for line in str(error).splitlines() if line.strip() and "aka.ms/" not in line]
    return f"{type(error).__name__}: {' '.join(lines)}" if lines else type(error).__name__


def _body(item: Any) -> dict[str, Any]:
    """The REST shape of an SDK model (`as_dict()` of azure-mgmt-network ≥ 31 is the wire JSON)."""
    return dict(item.as_dict()) if hasattr(item, "as_dict") else dict(item)


def _rg_and_name(resource_id: str) -> tuple[str, str]:
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1], parts[-1]


def _graph_row(row: dict[str, Any]) -> dict[str, Any]:
    """A Resource Graph row in the REST shape: ARM's type spelling, no empty projected columns."""
    resource = {key: value for key, value in row.items() if value is not None and value != ""}
    if isinstance(resource.get("type"), str):
        resource["type"] = canonical_type(resource["type"])
    return resource


class _Subscription:
    """The clients of one subscription, created once and reused for every call in it."""

    def __init__(self, reader: AzureReader, subscription: Subscription):
        from azure.mgmt.network import NetworkManagementClient

        self.subscription = subscription
        self.network = NetworkManagementClient(
            reader.credential, subscription.id, base_url=reader.endpoints.arm, **reader.client_options
        )
        self._resources: ResourceManagementClient | None = None
        self._reader = reader

    @property
    def resources(self) -> ResourceManagementClient:
        if self._resources is None:
            from azure.mgmt.resource.resources import ResourceManagementClient

            self._resources = ResourceManagementClient(
                self._reader.credential,
                self.subscription.id,
                base_url=self._reader.endpoints.arm,
                **self._reader.client_options,
            )
        return self._resources

    def list_everything(self) -> list[dict[str, Any]]:
        """Per-subscription list calls for every type (Resource Graph not available)."""
        network = self.network
        found: list[dict[str, Any]] = []
        for call in (
            network.virtual_networks.list_all,
            network.route_tables.list_all,
            network.network_security_groups.list_all,
            network.nat_gateways.list_all,
            network.network_interfaces.list_all,
            network.express_route_circuits.list_all,
            network.virtual_wans.list,
            network.virtual_hubs.list,
            network.azure_firewalls.list_all,
            network.network_virtual_appliances.list,
        ):
            found += [_body(item) for item in call()]
        gateways = network.express_route_gateways.list_by_subscription()
        found += [_body(item) for item in gateways.value or []]
        for resource_type, api_version in GENERIC_API_VERSIONS.items():
            for generic in self.resources.resources.list(filter=f"resourceType eq '{resource_type}'"):
                if generic.id:
                    found.append(_body(self.resources.resources.get_by_id(generic.id, api_version=api_version)))
        return found

    def list_children(self, parents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The Virtual WAN child resources Resource Graph does not index."""
        network = self.network
        found: list[dict[str, Any]] = []
        for parent in parents:
            parent_type = str(parent.get("type", "")).lower()
            group, name = _rg_and_name(str(parent["id"]))
            if parent_type == "microsoft.network/virtualhubs":
                for call in (
                    network.hub_route_tables.list,
                    network.hub_virtual_network_connections.list,
                    network.route_maps.list,
                ):
                    found += [_body(item) for item in call(group, name)]
            elif parent_type == "microsoft.network/expressroutegateways":
                connections = network.express_route_connections.list(group, name)
                found += [_body(item) for item in connections.value or []]
        return found

    def probe(self) -> list[dict[str, Any]]:
        """A subscription-scope read (`virtualWans` list): Resource Graph silently leaves out what the
        credential cannot read, so every subscription must prove it is readable as a whole."""
        return [_body(item) for item in self.network.virtual_wans.list()]

    def close(self) -> None:
        """Release the clients' connection pools."""
        self.network.close()
        if self._resources is not None:
            self._resources.close()

    def routes_table(self, circuit_id: str, device_path: str) -> dict[str, Any]:
        group, name = _rg_and_name(circuit_id)
        poller = self.network.express_route_circuits.begin_list_routes_table(group, name, PRIVATE_PEERING, device_path)
        return _body(poller.result())


class AzureReader:
    """Reads subscriptions with bounded concurrency; every failure becomes a named `Gap`."""

    def __init__(
        self,
        credential: TokenCredential,
        endpoints: Endpoints,
        *,
        use_graph: bool = True,
        workers: int = 8,
        progress: Callable[[str], None] | None = None,
        client_options: dict[str, Any] | None = None,
    ):
        self.credential = credential
        self.endpoints = endpoints
        self.use_graph = use_graph
        self.workers = workers
        self.progress = progress or (lambda _message: None)
        self.client_options: dict[str, Any] = {"credential_scopes": [endpoints.scope], **(client_options or {})}

    # -- subscriptions -------------------------------------------------------------------------

    def subscriptions(self, wanted: list[str], tenant: str | None, read: LiveRead) -> list[Subscription]:
        from azure.mgmt.subscription import SubscriptionClient

        try:
            with SubscriptionClient(self.credential, base_url=self.endpoints.arm, **self.client_options) as client:
                listed = list(client.subscriptions.list())
        except AzureError as exc:
            raise LiveError(f"cannot list the subscriptions of the credential: {describe_error(exc)}") from None
        # The list holds the subscriptions of the token's tenant only (with --tenant, the token is for it).
        visible: dict[str, Subscription] = {}
        for listed_subscription in listed:
            # the model's attributes are typed None (set in __init__); read them as the JSON they are
            fields: dict[str, Any] = listed_subscription.as_dict()  # type: ignore[no-untyped-call]
            subscription_id = str(fields.get("subscription_id") or "")
            if subscription_id:
                visible[subscription_id.lower()] = Subscription(subscription_id, str(fields.get("display_name") or ""))
        if not wanted:
            if not visible:
                where = f" in tenant {tenant}" if tenant else ""
                raise LiveError(f"the credential can list no subscription{where} (nothing was scanned)")
            return sorted(visible.values(), key=lambda s: (s.name.lower(), s.id))
        chosen = []
        for subscription_id in wanted:
            found = visible.get(subscription_id.lower())
            if found is None:
                read.gaps.append(
                    Gap(
                        f"subscription {subscription_id}",
                        "anything",
                        "not among the subscriptions the credential can list",
                    )
                )
            else:
                chosen.append(found)
        return chosen

    # -- Resource Graph ------------------------------------------------------------------------

    def graph(self, subscriptions: list[Subscription], read: LiveRead) -> list[dict[str, Any]] | None:
        """Every indexed network resource of the subscriptions, or None when Resource Graph failed."""
        from azure.mgmt.resourcegraph import ResourceGraphClient
        from azure.mgmt.resourcegraph.models import QueryRequest, QueryRequestOptions

        rows: list[dict[str, Any]] = []
        ids = [s.id for s in subscriptions]
        client = ResourceGraphClient(self.credential, base_url=self.endpoints.arm, **self.client_options)
        try:
            for start in range(0, len(ids), GRAPH_SUBSCRIPTION_BATCH):
                batch = ids[start : start + GRAPH_SUBSCRIPTION_BATCH]
                skip_token: str | None = None
                while True:
                    options = QueryRequestOptions(skip_token=skip_token, top=GRAPH_PAGE, result_format="objectArray")
                    response = client.resources(QueryRequest(subscriptions=batch, query=GRAPH_QUERY, options=options))
                    data: Any = response.data  # objectArray: a list of rows, each a resource's JSON
                    rows += [_graph_row(row) for row in data or [] if isinstance(row, dict)]
                    self.progress(f"Resource Graph: {len(rows)} resources")
                    skip_token = response.skip_token
                    if not skip_token:
                        break
        except AzureError as exc:
            read.notes.append(f"Resource Graph not used ({describe_error(exc)}); listing each subscription instead")
            return None
        finally:
            client.close()
        read.notes.append(f"Resource Graph: {len(rows)} resources in {len(ids)} subscriptions")
        return rows

    # -- the scan ------------------------------------------------------------------------------

    def read(self, wanted: list[str], tenant: str | None = None, observed_routes: bool = False) -> LiveRead:
        read = LiveRead()
        subscriptions = self.subscriptions(wanted, tenant, read)
        read.subscriptions = subscriptions
        rows = self.graph(subscriptions, read) if self.use_graph and subscriptions else None
        read.used_graph = rows is not None
        by_subscription: dict[str, list[dict[str, Any]]] = {s.id.lower(): [] for s in subscriptions}
        for row in rows or []:
            by_subscription.setdefault(_subscription_of(str(row.get("id", ""))), []).append(row)

        def scan(
            subscription: Subscription,
        ) -> tuple[Subscription, list[dict[str, Any]], list[ObservedRoutes], Gap | None]:
            clients = _Subscription(self, subscription)
            step = "the network resources"
            try:
                if rows is None:
                    found = clients.list_everything()
                else:
                    step = "its virtual WANs (the check that the whole subscription is readable)"
                    found = by_subscription.get(subscription.id.lower(), []) + clients.probe()
                step = "virtual hub route tables, hub connections, route maps and ExpressRoute connections"
                found += clients.list_children(r for r in found if _is_parent_of_unindexed(r))
                observed: list[ObservedRoutes] = []
                if observed_routes:
                    for circuit in (r for r in found if _is_circuit_with_private_peering(r)):
                        for device_path in DEVICE_PATHS:
                            step = f"the {device_path} route table of circuit '{id_name(str(circuit['id']))}'"
                            body = clients.routes_table(str(circuit["id"]), device_path)
                            observed.append(ObservedRoutes(str(circuit["id"]), device_path, body))
            except AzureError as exc:
                return subscription, [], [], Gap(subscription.label, step, describe_error(exc))
            finally:
                clients.close()
            return subscription, found, observed, None

        done = 0
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for subscription, found, observed, gap in pool.map(scan, subscriptions):
                done += 1
                if gap is not None:
                    read.gaps.append(gap)  # nothing of a subscription read in part is kept
                    read.unread.add(subscription.id)
                else:
                    for resource in found:
                        read.resources[id_key(str(resource.get("id", "")))] = resource  # one copy per id
                    read.observed += observed
                self.progress(f"{done}/{len(subscriptions)} subscriptions, {len(read.resources)} resources")
        return read


def _subscription_of(resource_id: str) -> str:
    parts = resource_id.strip("/").split("/")
    return parts[1].lower() if len(parts) > 1 and parts[0].lower() == "subscriptions" else ""


def _is_parent_of_unindexed(resource: dict[str, Any]) -> bool:
    return str(resource.get("type", "")).lower() in (
        "microsoft.network/virtualhubs",
        "microsoft.network/expressroutegateways",
    )


def _is_circuit_with_private_peering(resource: dict[str, Any]) -> bool:
    if str(resource.get("type", "")).lower() != "microsoft.network/expressroutecircuits":
        return False
    properties = resource.get("properties") or {}
    peerings = properties.get("peerings") or []
    return any(isinstance(p, dict) and str(p.get("name", "")).lower() == PRIVATE_PEERING.lower() for p in peerings)

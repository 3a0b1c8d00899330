"""Read a tenant's network resources as ARM JSON (the REST shape), read-only, with every gap named.

How: Resource Graph queries (graph.py, in batches of subscriptions) for the network types; then, per
subscription, `azure-mgmt-network` list calls only for what Resource Graph does not index, and one
subscription-wide read that proves the whole subscription is readable. Subscriptions whose batch
Resource Graph refused (or all, with `--no-resource-graph`) are listed type by type instead, and the
fallback is announced.

Virtual WAN children missing from Resource Graph are listed:
- `virtualHubs/hubRouteTables`, `virtualHubs/hubVirtualNetworkConnections`, `virtualHubs/routeMaps`,
  `virtualHubs/routingIntent` (REST: `GET .../virtualHubs/{hub}/hubRouteTables` etc., paged with `nextLink`);
- `expressRouteGateways/expressRouteConnections` (`GET .../expressRouteGateways/{gw}/expressRouteConnections`,
  not paged). An ExpressRoute gateway's body embeds its connections too, but the embedded copy can be
  stale (its route maps missing or old): once the list call answered, the embedded copy is dropped and
  the listed one is the only one kept.

Only GET requests are sent, plus the documented read-only POSTs: the Resource Graph query and, for
observed routes, `expressRouteCircuits/.../routeTables/{devicePath}` (a long-running POST; Reader is not
enough for it, see records.ROUTE_TABLE_ACTION). The pipeline (pipeline.py) has no automatic resource
provider registration: a subscription where Microsoft.Network is not registered answers 409
`MissingSubscriptionRegistration`, which means it has no network resources (a remark, not a gap).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from azure.core.exceptions import AzureError

from anycast_lint.inputs.live import graph, subscriptions
from anycast_lint.inputs.live.clients import Clients
from anycast_lint.inputs.live.deadline import LimitedPolling
from anycast_lint.inputs.live.records import (
    PRIVATE_PEERING,
    ROUTE_TABLE_ACTION,
    Gap,
    LiveRead,
    ObservedRoutes,
    Subscription,
    describe_error,
    error_code,
)
from anycast_lint.model.ids import id_key, id_name

if TYPE_CHECKING:
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient

# Types azure-mgmt-network cannot list per subscription: found with the generic resource list, read by id
# (at the pinned API version of their type, see api_versions).
GENERIC_TYPES = (
    "Microsoft.Network/virtualNetworkGateways",
    "Microsoft.Network/connections",
    "Microsoft.Network/dnsResolvers",
    "Microsoft.Network/dnsResolvers/inboundEndpoints",
    "Microsoft.Network/dnsResolvers/outboundEndpoints",
)
DEVICE_PATHS = ("primary", "secondary")
UNREGISTERED = "MissingSubscriptionRegistration"
LIST_REQUESTS = 16  # about what listing one subscription type by type costs (for the announcement)
SHOWN = 10  # subscriptions named one by one in a summary line


@dataclass
class ReadPlan:
    """What one read is asked for, beyond which subscriptions."""

    use_graph: bool = True
    observed: str = "off"  # off | optional | required
    management_group: str | None = None
    operation_timeout: float = 120.0
    polling_interval: float = 5.0
    verbose: bool = False


def _body(item: Any) -> dict[str, Any]:
    """The REST shape of an SDK model (`as_dict()` of azure-mgmt-network ≥ 31 is the wire JSON)."""
    return dict(item.as_dict()) if hasattr(item, "as_dict") else dict(item)


def _rg_and_name(resource_id: str) -> tuple[str, str]:
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("resourcegroups") + 1], parts[-1]


class _UnregisteredError(Exception):
    """Microsoft.Network is not registered in the subscription: it holds no network resource."""


@dataclass
class _Outcome:
    """One subscription's read: what was found, what was not, and what to say about it."""

    subscription: Subscription
    found: list[dict[str, Any]] = field(default_factory=list)
    observed: list[ObservedRoutes] = field(default_factory=list)
    gap: Gap | None = None  # the topology could not be read: nothing of the subscription is kept
    observed_gap: Gap | None = None  # the observed routes could not be read: the topology is kept
    unregistered: bool = False
    not_started: bool = False  # the deadline passed before its turn


class _SubscriptionReader:
    """The clients of one subscription, created once and reused for every call in it."""

    def __init__(self, clients: Clients, subscription: Subscription, plan: ReadPlan):
        self.clients = clients
        self.subscription = subscription
        self.plan = plan
        self.network: NetworkManagementClient = clients.network(subscription.id)
        self._resources: ResourceManagementClient | None = None

    @property
    def resources(self) -> ResourceManagementClient:
        if self._resources is None:
            self._resources = self.clients.resources(self.subscription.id)
        return self._resources

    def close(self) -> None:
        """Release the clients' connection pools."""
        self.network.close()
        if self._resources is not None:
            self._resources.close()

    def _unregistered_is_empty(self, call: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        try:
            return call()
        except AzureError as exc:
            if error_code(exc) == UNREGISTERED:
                raise _UnregisteredError from None
            raise

    def list_everything(self) -> list[dict[str, Any]]:
        """Per-subscription list calls for every type (Resource Graph not used for this subscription)."""
        network = self.network
        found = self._unregistered_is_empty(lambda: [_body(item) for item in network.virtual_networks.list_all()])
        for call in (
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
        for resource_type in GENERIC_TYPES:
            for generic in self.resources.resources.list(filter=f"resourceType eq '{resource_type}'"):
                if generic.id:
                    version = self.clients.versions[resource_type.lower()]  # the pinned table's
                    found.append(_body(self.resources.resources.get_by_id(generic.id, api_version=version)))
        return found

    def probe(self) -> list[dict[str, Any]]:
        """A subscription-scope read (`virtualWans` list): Resource Graph silently leaves out what the
        credential cannot read, so every subscription must prove it is readable as a whole."""
        return self._unregistered_is_empty(lambda: [_body(item) for item in self.network.virtual_wans.list()])

    def list_children(self, parents: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """The Virtual WAN children Resource Graph does not index; a gateway's embedded connections are
        replaced by the listed ones (the list call's copy is current, the embedded one can be stale)."""
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
                    network.routing_intent.list,  # routing/intent.py: read through the same ARM mapping
                ):
                    found += [_body(item) for item in call(group, name)]
            elif parent_type == "microsoft.network/expressroutegateways":
                connections = network.express_route_connections.list(group, name)
                found += [_body(item) for item in connections.value or []]
                properties = parent.get("properties")
                if isinstance(properties, dict):
                    properties.pop("expressRouteConnections", None)
        return found

    def routes_table(self, circuit_id: str, device_path: str) -> dict[str, Any]:
        group, name = _rg_and_name(circuit_id)
        what = f"the {device_path} route table of circuit '{name}'"
        polling = LimitedPolling(self.plan.polling_interval, self.plan.operation_timeout, self.clients.deadline, what)
        poller = self.network.express_route_circuits.begin_list_routes_table(
            group, name, PRIVATE_PEERING, device_path, polling=polling
        )
        return _body(poller.result())

    def read(self, rows: list[dict[str, Any]] | None) -> _Outcome:
        """The subscription's topology, then (if asked) its observed routes; every failure a named gap."""
        outcome = _Outcome(self.subscription)
        step = "the network resources"
        try:
            if rows is None:
                found = self.list_everything()
            else:
                step = "its virtual WANs (the check that the whole subscription is readable)"
                found = rows + self.probe()
            step = "virtual hub route tables, hub connections, route maps, routing intent and ExpressRoute connections"
            found += self.list_children(r for r in found if _is_parent_of_unindexed(r))
        except _UnregisteredError:
            outcome.unregistered = True
            return outcome
        except AzureError as exc:
            outcome.gap = Gap(self.subscription.label, step, describe_error(exc))
            return outcome
        outcome.found = found
        if self.plan.observed != "off":
            self._observed(outcome)
        return outcome

    def _observed(self, outcome: _Outcome) -> None:
        """Each circuit's private-peering route tables. A refusal stops the rest of the subscription's
        (they would be refused alike) and is stated once, with the action the credential lacks."""
        tables = [
            (str(circuit["id"]), device_path)
            for circuit in outcome.found
            if _is_circuit_with_private_peering(circuit)
            for device_path in DEVICE_PATHS
        ]
        for index, (circuit_id, device_path) in enumerate(tables):
            try:
                body = self.routes_table(circuit_id, device_path)
            except AzureError as exc:
                left = tables[index:]
                named = ", ".join(f"'{id_name(c)}' {d}" for c, d in left)
                reason = describe_error(exc)
                if getattr(exc, "status_code", None) == 403:
                    reason += f" (listing route tables needs the action {ROUTE_TABLE_ACTION}; Reader has only */read)"
                outcome.observed_gap = Gap(
                    self.subscription.label, f"the observed routes (route tables of circuit {named})", reason
                )
                return
            outcome.observed.append(ObservedRoutes(circuit_id, device_path, body))


class AzureReader:
    """Reads subscriptions with bounded concurrency; every failure becomes a named `Gap`."""

    def __init__(
        self,
        clients: Clients,
        plan: ReadPlan,
        *,
        workers: int = 8,
        progress: Callable[[str], None] | None = None,
    ):
        self.clients = clients
        self.plan = plan
        self.workers = workers
        self.progress = progress or (lambda _message: None)

    def graph(self, chosen: list[Subscription], read: LiveRead) -> dict[str, list[dict[str, Any]]]:
        """Resource Graph rows of the subscriptions it answered for, by lower-case subscription id."""
        client = self.clients.graph()
        try:
            result = graph.network_rows(client, [s.id for s in chosen], describe_error, self.progress)
        finally:
            client.close()
        rows = {s: r for s, r in result.rows.items() if s not in result.failed}
        read.used_graph = bool(rows)
        if result.failed:
            reasons = sorted(set(result.failed.values()))
            count = len(result.failed)
            read.warnings.append(
                f"Resource Graph did not answer for {count} subscription{'' if count == 1 else 's'} "
                f"({'; '.join(reasons)}): listing each of them type by type instead "
                f"(about {LIST_REQUESTS} requests per subscription)"
            )
        if result.smaller_pages:
            read.notes.append(
                f"Resource Graph: {result.smaller_pages} pages asked again with fewer rows (payload too large)"
            )
        if self.clients.graph_quota.waits:
            read.notes.append(
                f"Resource Graph: waited {self.clients.graph_quota.waits} times for the query quota to reset"
            )
        if rows:
            count = sum(len(r) for r in rows.values())
            read.notes.append(f"Resource Graph: {count} resources in {len(rows)} subscriptions")
        return rows

    def read(self, wanted: list[str], tenant: str | None = None) -> LiveRead:
        read = LiveRead()
        found = subscriptions.visible(self.clients, self.plan.management_group, self.plan.verbose)
        chosen = subscriptions.choose(found, wanted, read, tenant, self.plan.management_group)
        read.subscriptions = chosen
        rows = self.graph(chosen, read) if self.plan.use_graph and chosen else {}
        deadline = self.clients.deadline

        def scan(subscription: Subscription) -> _Outcome:
            if deadline.expired:
                return _Outcome(subscription, not_started=True)
            reader = _SubscriptionReader(self.clients, subscription, self.plan)
            try:
                return reader.read(rows.get(subscription.id.lower()) if self.plan.use_graph and rows else None)
            finally:
                reader.close()

        done = 0
        outcomes: list[_Outcome] = []
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for outcome in pool.map(scan, chosen):
                done += 1
                outcomes.append(outcome)
                self._keep(outcome, read)
                self.progress(f"{done}/{len(chosen)} subscriptions, {len(read.resources)} resources")
        self._summarize(outcomes, read)
        return read

    def _keep(self, outcome: _Outcome, read: LiveRead) -> None:
        subscription = outcome.subscription
        if outcome.gap is not None or outcome.not_started:
            read.unread.add(subscription.id)  # nothing of a subscription read in part is kept
            if outcome.gap is not None:
                read.gaps.append(outcome.gap)
            return
        for resource in outcome.found:
            read.resources[id_key(str(resource.get("id", "")))] = resource  # one copy per id
        read.observed += outcome.observed
        if outcome.observed_gap is not None:
            if self.plan.observed == "required":
                read.gaps.append(outcome.observed_gap)
            else:
                read.warnings.append(f"{outcome.observed_gap} (the topology was read; AC306 has nothing to compare)")

    def _summarize(self, outcomes: list[_Outcome], read: LiveRead) -> None:
        """One line for what the deadline left unread, one for subscriptions without Microsoft.Network."""
        late = [o.subscription for o in outcomes if o.not_started]
        if late:
            named = _named(late)
            count = len(late)
            read.gaps.append(
                Gap(
                    f"{count} subscription{'' if count == 1 else 's'}",
                    "anything",
                    f"{self.clients.deadline.describe()} before their turn: {named}",
                )
            )
        empty = [o.subscription for o in outcomes if o.unregistered]
        if empty:
            named = _named(empty)
            read.remarks.append(
                f"Microsoft.Network is not registered in {named} (409 {UNREGISTERED}): "
                "no network resources there, nothing to read"
            )


def _named(subscriptions: list[Subscription]) -> str:
    """The first few subscriptions by label, and how many more."""
    more = len(subscriptions) - SHOWN
    return ", ".join(s.label for s in subscriptions[:SHOWN]) + (f" and {more} more" if more > 0 else "")


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

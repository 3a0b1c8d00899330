"""The management clients of a live read, all on one pipeline recipe (pipeline.client_policies)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from azure.core.credentials import TokenCredential

from anycast_lint.inputs.live.deadline import Deadline
from anycast_lint.inputs.live.endpoints import Endpoints
from anycast_lint.inputs.live.pipeline import GraphQuota, client_policies

if TYPE_CHECKING:
    # The management clients take 1.2 s to import; only a live scan pays for them (imported where used).
    from azure.mgmt.network import NetworkManagementClient
    from azure.mgmt.resource.resources import ResourceManagementClient
    from azure.mgmt.resourcegraph import ResourceGraphClient
    from azure.mgmt.subscription import SubscriptionClient

TRANSPORT_SETTINGS = ("connection_timeout", "read_timeout", "polling_interval")


class Clients:
    """Creates clients that share the credential, the endpoints, the API versions and the deadline."""

    def __init__(
        self,
        credential: TokenCredential,
        endpoints: Endpoints,
        settings: dict[str, Any],
        versions: dict[str, str],
        deadline: Deadline,
    ):
        self.credential = credential
        self.endpoints = endpoints
        self.settings = settings
        self.versions = versions
        self.deadline = deadline
        self.graph_quota = GraphQuota(deadline)  # one per read: the quota is the user's, across threads

    def _kwargs(self, graph: bool = False) -> dict[str, Any]:
        policies = client_policies(
            self.credential,
            self.endpoints.scope,
            self.settings,
            self.versions,
            self.deadline,
            self.graph_quota if graph else None,
        )
        transport = {key: self.settings[key] for key in TRANSPORT_SETTINGS if key in self.settings}
        return {
            "base_url": self.endpoints.arm,
            "credential_scopes": [self.endpoints.scope],
            "policies": policies,
            **transport,
        }

    def network(self, subscription_id: str) -> NetworkManagementClient:
        from azure.mgmt.network import NetworkManagementClient

        return NetworkManagementClient(self.credential, subscription_id, **self._kwargs())

    def resources(self, subscription_id: str) -> ResourceManagementClient:
        from azure.mgmt.resource.resources import ResourceManagementClient

        return ResourceManagementClient(self.credential, subscription_id, **self._kwargs())

    def graph(self) -> ResourceGraphClient:
        from azure.mgmt.resourcegraph import ResourceGraphClient

        return ResourceGraphClient(self.credential, **self._kwargs(graph=True))

    def subscriptions(self) -> SubscriptionClient:
        from azure.mgmt.subscription import SubscriptionClient

        return SubscriptionClient(self.credential, **self._kwargs())

"""Pinned API versions: one table, by resource type, applied to every request a live scan sends.

Why: azure-mgmt-network has no upper bound and calls the newest API version it knows (2026-03-01 with
33.x). Sovereign clouds and Azure Stack Hub lag behind and answer `NoRegisteredProviderFound` for a
version they do not have, and a newer version can change what a body holds. The ARM mapping is tested
against the azure-rest-api-specs examples of Microsoft.Network 2025-05-01
(`../shared/realworld/azure-rest-examples`, DNS Private Resolver included), so that is the version read.

A pipeline policy sets `api-version` by the type the request path names, so the SDK's own default
never reaches the wire (paging `nextLink`s included). Long-running-operation polls follow the
`Location` Azure gave (its api-version is Azure's), and are left alone.

Overrides: `ANYCAST_LINT_API_VERSIONS="Microsoft.Network=2024-05-01,Microsoft.Network/virtualHubs=2023-11-01"`
and `--api-version TYPE=VERSION` (repeatable, after the environment); a namespace sets all its types.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy

ENVIRONMENT = "ANYCAST_LINT_API_VERSIONS"
NETWORK = "2025-05-01"  # the version of the REST examples the ARM mapping is tested against

API_VERSIONS: dict[str, str] = {
    # Resource Manager itself: the subscription list and the generic resource list (stable for years,
    # present in every cloud)
    "Microsoft.Resources/subscriptions": "2022-12-01",
    "Microsoft.Resources/resources": "2021-04-01",
    # the Resource Graph query (the version azure-mgmt-resourcegraph 8 calls; managementGroups scope)
    "Microsoft.ResourceGraph/resources": "2021-03-01",
    **{
        f"Microsoft.Network/{kind}": NETWORK
        for kind in (
            "virtualNetworks",
            "routeTables",
            "networkSecurityGroups",
            "natGateways",
            "networkInterfaces",
            "expressRouteCircuits",
            "expressRouteCircuits/peerings/routeTables",  # the route-table listing (a read-only POST)
            "virtualWans",
            "virtualHubs",
            "virtualHubs/hubRouteTables",
            "virtualHubs/hubVirtualNetworkConnections",
            "virtualHubs/routeMaps",
            "virtualHubs/routingIntent",
            "expressRouteGateways",
            "expressRouteGateways/expressRouteConnections",
            "azureFirewalls",
            "networkVirtualAppliances",
            "virtualNetworkGateways",
            "connections",
            "dnsResolvers",
            "dnsResolvers/inboundEndpoints",
            "dnsResolvers/outboundEndpoints",
        )
    },
}
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")


class ApiVersionError(ValueError):
    """An override that names no known type or is no API version: a usage error (exit 2)."""


def resource_type(path: str) -> str | None:
    """The resource type a request path names: `Namespace/type[/childType...]`, or None."""
    segments = [s for s in path.split("/") if s]
    lowered = [s.lower() for s in segments]
    if "providers" in lowered:
        start = len(lowered) - lowered[::-1].index("providers")
        rest = segments[start:]
        return "/".join([rest[0], *rest[1::2]]) if len(rest) >= 2 else None
    if lowered[:1] == ["subscriptions"]:
        if len(segments) <= 2:
            return "Microsoft.Resources/subscriptions"
        if len(segments) == 3 and lowered[2] == "resources":
            return "Microsoft.Resources/resources"
    return None


def pinned_versions(overrides: Iterable[str] = (), environ: dict[str, str] | None = None) -> dict[str, str]:
    """The table with the environment's overrides, then the command line's, keyed by lower-cased type."""
    table = {kind.lower(): version for kind, version in API_VERSIONS.items()}
    from_env = (environ if environ is not None else os.environ).get(ENVIRONMENT, "")
    for item in [part for part in from_env.split(",") if part.strip()] + list(overrides):
        kind, _, version = item.strip().partition("=")
        kind, version = kind.strip(), version.strip()
        if not _VERSION.match(version):
            raise ApiVersionError(f"API version override '{item.strip()}': expected TYPE=YYYY-MM-DD[-preview]")
        key = kind.lower()
        matching = [k for k in table if k == key or k.startswith(key + "/")] if "/" not in key else [key]
        if not matching or any(k not in table for k in matching):
            known = ", ".join(sorted({k.split("/")[0] for k in API_VERSIONS}))
            raise ApiVersionError(
                f"API version override '{item.strip()}': '{kind}' is not a type a live scan reads (namespaces: {known})"
            )
        for k in matching:
            table[k] = version
    return table


class ApiVersionPolicy(SansIOHTTPPolicy[Any, Any]):
    """Sets `api-version` from the pinned table for the type the request path names."""

    def __init__(self, versions: dict[str, str]):
        self.versions = versions

    def on_request(self, request: PipelineRequest[Any]) -> None:
        http = request.http_request
        parts = urllib.parse.urlsplit(http.url)
        kind = resource_type(parts.path)
        version = self.versions.get(kind.lower()) if kind else None
        if version is None:
            return
        query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k != "api-version"]
        query.append(("api-version", version))
        http.url = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, safe="$'/:")))

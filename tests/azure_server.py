"""A local Azure: HTTPS on 127.0.0.1 with a certificate made for the run, serving a tenant's resources.

It implements what a live scan calls, in the shapes Azure answers with: the Microsoft Entra token
endpoint and OpenID metadata (for `--authority-host`), the subscription list, the Resource Graph query
(`$skipToken` paging), the azure-mgmt-network list calls (`nextLink` paging; the ExpressRoute gateway
and connection lists are not paged in the REST API), the generic resource list and GET by id, and the
route-table listing (a long-running POST: 202 + Location, then the result), and Resource Graph at
management-group scope (`ResourceContainers`). Faults are switched on per test: a 429 with Retry-After,
Resource Graph 429s that carry only its quota headers, `ResponsePayloadTooLarge` above a page size,
subscriptions answering 403, a 403 on the route-table POST only, a route-table operation that answers
202 forever, a subscription where Microsoft.Network is not registered (409
`MissingSubscriptionRegistration`), subscriptions that are not Enabled, and a cloud that lags behind on
API versions (`NoRegisteredProviderFound`). Every request's method and path is logged (`log`), and with
its host, API version and, for tokens, the scope asked for (`requests`), so tests can assert the scan only
read, at the pinned versions, from the right cloud.
"""

from __future__ import annotations

import json
import ssl
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import trustme

TOKEN = "local-azure-access-token"
# Resource Graph holds every resource served except the Virtual WAN children, which are list-only.
CHILD_SEGMENTS = {
    "hubroutetables",
    "hubvirtualnetworkconnections",
    "routemaps",
    "routingintent",
    "expressrouteconnections",
}
UNPAGED_LISTS = {"expressroutegateways", "expressrouteconnections"}  # *List models without nextLink


# Hosts of the national clouds: tests resolve them to the local Azure, which has a certificate for them.
CLOUD_HOSTS = (
    "management.azure.com",
    "login.microsoftonline.com",
    "management.usgovcloudapi.net",
    "login.microsoftonline.us",
    "management.chinacloudapi.cn",
    "login.chinacloudapi.cn",
)


@dataclass(frozen=True)
class Request:
    method: str
    host: str
    path: str
    api_version: str
    scope: str = ""  # the token request's scope


def _subscription(resource_id: str) -> str:
    return resource_id.strip("/").split("/")[1].lower()


def _parent(resource_id: str) -> str:
    return "/".join(resource_id.rstrip("/").split("/")[:-2]).lower()


@dataclass
class Tenant:
    """What the local Azure serves, and the faults it injects."""

    resources: list[dict[str, Any]]
    tenant_id: str = "72f988bf-0000-0000-0000-000000000001"
    forbidden: set[str] = field(default_factory=set)  # subscription ids answering 403
    graph_forbidden: bool = False
    throttle_once: set[str] = field(default_factory=set)  # path fragments answering 429 the first time
    failing: set[str] = field(default_factory=set)  # path fragments answering 503 every time
    delay: float = 0.0  # seconds before each answer (a slow tenant)
    slow: set[str] = field(default_factory=set)  # only these path fragments wait `delay` (all when empty)
    route_tables: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)  # (circuit, device)
    page_size: int = 2
    extra_subscriptions: list[str] = field(default_factory=list)  # subscriptions holding nothing
    states: dict[str, str] = field(default_factory=dict)  # subscription id -> state (default Enabled)
    management_groups: dict[str, list[str]] = field(default_factory=dict)  # group -> subscription ids
    quota_throttled: int = 0  # Resource Graph queries answering 429 with only the quota headers
    quota_resets_after: str = "00:00:01"
    payload_limit: int | None = None  # Resource Graph rows per page above which the payload is too large
    route_tables_forbidden: bool = False  # 403 on the route-table POST only (a Reader credential)
    never_ending: bool = False  # route-table operations answer 202 to every poll
    unregistered: set[str] = field(default_factory=set)  # subscriptions without Microsoft.Network registered
    newest_api_version: str | None = None  # a lagging cloud: newer Microsoft.Network versions are refused

    def __post_init__(self) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.children: dict[str, list[dict[str, Any]]] = defaultdict(list)  # parent id + segment -> items
        for resource in self.resources:
            kind = str(resource["type"]).lower()
            self.by_id[str(resource["id"]).lower()] = resource
            segment = kind.rsplit("/", 1)[-1]
            if segment in CHILD_SEGMENTS:
                self.children[f"{_parent(resource['id'])}/{segment}"].append(resource)
            if kind == "microsoft.network/expressroutegateways":
                for connection in resource.get("properties", {}).get("expressRouteConnections", []):
                    key = f"{str(resource['id']).lower()}/expressrouteconnections"
                    if not any(c["id"].lower() == connection["id"].lower() for c in self.children[key]):
                        self.children[key].append(connection)
        self.subscriptions = sorted({_subscription(r["id"]) for r in self.resources} | set(self.extra_subscriptions))

    def indexed(self, subscriptions: list[str]) -> list[dict[str, Any]]:
        wanted = {s.lower() for s in subscriptions} - {s.lower() for s in self.forbidden}
        return [
            r
            for r in self.resources
            if str(r["type"]).lower().rsplit("/", 1)[-1] not in CHILD_SEGMENTS and _subscription(r["id"]) in wanted
        ]


class _QuietServer(ThreadingHTTPServer):
    """A client that went away mid-connection is not news. An SDK client's pooled keep-alive connection is
    closed whenever its session is collected, often during a later test, without TLS close_notify: the
    handler thread then meets SSLEOFError or a reset, and socketserver would print a traceback into whatever
    that later test captures. Any other error still prints."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):  # ssl.SSLError, ConnectionResetError, BrokenPipeError
            return
        super().handle_error(request, client_address)


class LocalAzure:
    """The server: `with LocalAzure(tenant) as azure:` gives `azure.url`, `azure.ca_file`, `azure.log`."""

    def __init__(self, tenant: Tenant, workdir: Path):
        self.tenant = tenant
        self.log: list[tuple[str, str]] = []
        self.requests: list[Request] = []  # the same requests, with host, API version and token scope
        self._lock = threading.Lock()
        self._operations: dict[str, list[dict[str, Any]]] = {}
        self._polled: set[str] = set()
        self._throttled: set[str] = set()
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost", *CLOUD_HOSTS)  # clouds resolved here by tests
        self.ca_file = workdir / "local-azure-ca.pem"
        ca.cert_pem.write_to_path(str(self.ca_file))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self.server = _QuietServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LocalAzure:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def record(self, method: str, path: str, host: str = "", api_version: str = "", scope: str = "") -> None:
        with self._lock:
            self.log.append((method, path))
            self.requests.append(Request(method, host, path, api_version, scope))

    def quota_throttle(self) -> bool:
        """Whether this Resource Graph query is throttled (the first `quota_throttled` ones are)."""
        with self._lock:
            if self.tenant.quota_throttled > 0:
                self.tenant.quota_throttled -= 1
                return True
        return False

    def throttle(self, path: str) -> bool:
        with self._lock:
            for fragment in self.tenant.throttle_once:
                if fragment.lower() in path.lower() and fragment not in self._throttled:
                    self._throttled.add(fragment)
                    return True
        return False

    def start_operation(self, rows: list[dict[str, Any]]) -> str:
        with self._lock:
            name = f"op{len(self._operations) + 1}"
            self._operations[name] = rows
        return name

    def operation(self, name: str) -> tuple[bool, list[dict[str, Any]]]:
        """(done, rows): an operation answers 202 once, then its result (never, with `never_ending`)."""
        with self._lock:
            first = name not in self._polled
            self._polled.add(name)
            return not first and not self.tenant.never_ending, self._operations[name]


def _handler(azure: LocalAzure) -> type[BaseHTTPRequestHandler]:
    tenant = azure.tenant

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        # -- plumbing ------------------------------------------------------------------------------

        def _send(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, code: str, message: str) -> None:
            self._send(status, {"error": {"code": code, "message": message}})

        def _base(self) -> str:
            """This server as the client addressed it (a cloud's host name when a test resolves it here)."""
            return f"https://{self.headers.get('Host') or azure.url.split('//', 1)[1]}"

        def _record(self, method: str, url: urllib.parse.SplitResult, scope: str = "") -> None:
            version = urllib.parse.parse_qs(url.query).get("api-version", [""])[0]
            azure.record(method, url.path, str(self.headers.get("Host", "")).split(":")[0], version, scope)

        def _refused_version(self, url: urllib.parse.SplitResult) -> bool:
            """A lagging cloud: a Microsoft.Network API version newer than it has is refused."""
            newest = tenant.newest_api_version
            version = urllib.parse.parse_qs(url.query).get("api-version", [""])[0]
            if (
                newest is None
                or "/microsoft.network/" not in url.path.lower()
                or "/operationresults/" in url.path.lower()
            ):
                return False
            if version <= newest:
                return False
            kind = url.path.rstrip("/").split("/")[-1]
            self._error(
                400,
                "NoRegisteredProviderFound",
                f"No registered resource provider found for location 'usgovvirginia' and API version '{version}' "
                f"for type '{kind}'. The supported api-versions are '2023-09-01, {newest}'.",
            )
            return True

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _page(self, items: list[dict[str, Any]], path: str, query: dict[str, list[str]]) -> None:
            start = int(query.get("$skiptoken", ["0"])[0])
            page = items[start : start + tenant.page_size]
            body: dict[str, Any] = {"value": page}
            if start + tenant.page_size < len(items):
                rest = {k: v[0] for k, v in query.items() if k != "$skiptoken"}
                rest["$skiptoken"] = str(start + tenant.page_size)
                body["nextLink"] = f"{self._base()}{path}?{urllib.parse.urlencode(rest)}"
            self._send(200, body)

        def _throttled(self, path: str) -> bool:
            """A 429 with Retry-After, once per configured path fragment; a 503 on every failing path."""
            if not tenant.slow or any(fragment.lower() in path.lower() for fragment in tenant.slow):
                time.sleep(tenant.delay)
            if any(fragment.lower() in path.lower() for fragment in tenant.failing):
                self._error(503, "ServiceUnavailable", "The service is temporarily unavailable.")
                return True
            if azure.throttle(path):
                error = {"error": {"code": "TooManyRequests", "message": "Rate limit exceeded."}}
                self._send(429, error, {"Retry-After": "1"})
                return True
            return False

        def _authorized(self) -> bool:
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._error(401, "InvalidAuthenticationToken", "The access token is missing or invalid.")
                return False
            return True

        # -- requests ------------------------------------------------------------------------------

        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            body = self._body()
            lowered = url.path.lower()
            form = urllib.parse.parse_qs(body.decode()) if lowered.endswith("/oauth2/v2.0/token") else {}
            self._record("POST", url, (form.get("scope") or [""])[0])
            if lowered.endswith("/oauth2/v2.0/token"):
                if form.get("client_secret") != ["local-client-secret"]:
                    self._error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.")
                    return
                self._send(
                    200, {"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": TOKEN}
                )
                return
            if not self._authorized() or self._throttled(url.path) or self._refused_version(url):
                return
            if lowered == "/providers/microsoft.resourcegraph/resources":
                self._graph(json.loads(body))
                return
            parts = url.path.strip("/").split("/")
            if "routetables" in lowered and "/expressroutecircuits/" in lowered:
                circuit = "/" + "/".join(parts[: parts.index("peerings")])
                if _subscription(circuit) in tenant.forbidden or tenant.route_tables_forbidden:
                    self._error(
                        403,
                        "AuthorizationFailed",
                        "The client 'local-client' with object id 'local-client' does not have authorization to "
                        "perform action 'Microsoft.Network/expressRouteCircuits/peerings/routeTables/action' over "
                        f"scope '{url.path}' or the scope is invalid.",
                    )
                    return
                rows = tenant.route_tables.get((circuit.lower(), parts[-1].lower()), [])
                name = azure.start_operation(rows)
                location = f"{self._base()}/subscriptions/{_subscription(circuit)}/providers/Microsoft.Network/locations/westeurope/operationResults/{name}?api-version=2025-05-01"
                self._send(202, None, {"Location": location, "Retry-After": "1"})
                return
            self._error(405, "MethodNotAllowed", f"POST {url.path} is not served")

        def _graph(self, request: dict[str, Any]) -> None:
            """Resource Graph: quota headers on every answer (Guidance for throttled requests), the faults."""
            quota = {"x-ms-user-quota-remaining": "14", "x-ms-user-quota-resets-after": tenant.quota_resets_after}
            if azure.quota_throttle():
                body = {
                    "error": {
                        "code": "RateLimiting",
                        "message": "Please provide below info when asking for support: timestamp = ...",
                    }
                }
                self._send(429, body, {**quota, "x-ms-user-quota-remaining": "0"})
                return
            if tenant.graph_forbidden:
                self._error(403, "AuthorizationFailed", "Resource Graph queries are denied by policy.")
                return
            options = request.get("options") or {}
            start = int(options.get("$skipToken") or 0)
            top = min(int(options.get("$top") or 100), 1000)
            if tenant.payload_limit is not None and top > tenant.payload_limit:
                self._error(
                    400,
                    "ResponsePayloadTooLarge",
                    "Response payload size is 19749321, and has exceeded the limit of 16777216. Please consider "
                    "querying less data at a time and make paginated call if needed.",
                )
                return
            if "resourcecontainers" in request["query"].lower():
                self._containers(request, start, top, quota)
                return
            assert "microsoft.network/virtualnetworks" in request["query"].lower()
            rows = tenant.indexed(request.get("subscriptions") or tenant.subscriptions)
            page = [
                {
                    "id": r["id"],
                    "name": r["name"],
                    "type": str(r["type"]).lower(),  # Resource Graph lower-cases types
                    "location": r.get("location", ""),
                    "tags": r.get("tags") or {},
                    "sku": r.get("sku"),
                    "zones": r.get("zones"),
                    "etag": r.get("etag"),
                    "properties": r.get("properties", {}),
                }
                for r in rows[start : start + top]
            ]
            body: dict[str, Any] = {
                "totalRecords": len(rows),
                "count": len(page),
                "resultTruncated": "false",
                "data": page,
            }
            if start + top < len(rows):
                body["$skipToken"] = str(start + top)
            self._send(200, body, quota)

        def _containers(self, request: dict[str, Any], start: int, top: int, quota: dict[str, str]) -> None:
            """The subscriptions under the requested management groups, as ResourceContainers rows."""
            groups = request.get("managementGroups") or []
            assert groups and not request.get("subscriptions"), request
            members = sorted({s for g in groups for s in tenant.management_groups.get(g, [])})
            rows = [
                {"subscriptionId": s, "name": f"sub-{s[:8]}", "state": tenant.states.get(s, "Enabled")} for s in members
            ]
            body: dict[str, Any] = {"totalRecords": len(rows), "count": len(rows[start : start + top])}
            body |= {"resultTruncated": "false", "data": rows[start : start + top]}
            if start + top < len(rows):
                body["$skipToken"] = str(start + top)
            self._send(200, body, quota)

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            self._record("GET", url)
            query = urllib.parse.parse_qs(url.query)
            lowered = url.path.lower().rstrip("/")
            parts = url.path.strip("/").split("/")
            if lowered.endswith("/v2.0/.well-known/openid-configuration"):
                base = f"{self._base()}/{parts[0]}"
                self._send(
                    200,
                    {
                        "token_endpoint": f"{base}/oauth2/v2.0/token",
                        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                        "issuer": f"{base}/v2.0",
                        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
                        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
                        "tenant_region_scope": "EU",
                    },
                )
                return
            if not self._authorized() or self._throttled(url.path) or self._refused_version(url):
                return
            if lowered == "/subscriptions":
                items = [
                    {
                        "id": f"/subscriptions/{s}",
                        "subscriptionId": s,
                        "tenantId": tenant.tenant_id,
                        "displayName": f"sub-{s[:8]}",
                        "state": tenant.states.get(s, "Enabled"),
                        "subscriptionPolicies": {
                            "locationPlacementId": "Public_2014-09-01",
                            "quotaId": "EnterpriseAgreement_2014-09-01",
                            "spendingLimit": "Off",
                        },
                        "authorizationSource": "RoleBased",
                    }
                    for s in tenant.subscriptions
                ]
                self._page(items, url.path, query)
                return
            subscription = parts[1].lower() if len(parts) > 1 else ""
            if subscription in tenant.forbidden:
                self._error(
                    403,
                    "AuthorizationFailed",
                    f"The client 'local-client' does not have authorization to perform action over scope '/subscriptions/{parts[1]}'.",
                )
                return
            if subscription in tenant.unregistered and "/providers/microsoft.network/" in lowered:
                self._error(
                    409,
                    "MissingSubscriptionRegistration",
                    "The subscription is not registered to use namespace 'Microsoft.Network'. See "
                    "https://aka.ms/rps-not-found for how to register subscriptions.",
                )
                return
            if "/operationresults/" in lowered:
                done, rows = azure.operation(parts[-1])
                if not done:
                    location = f"{self._base()}{url.path}?{url.query}"
                    self._send(202, None, {"Location": location, "Retry-After": "1"})
                else:
                    self._send(200, {"value": rows})
                return
            if len(parts) == 3 and parts[2].lower() == "resources":  # generic list, $filter=resourceType eq '...'
                wanted = query.get("$filter", [""])[0].split("'")[1].lower()
                items = [
                    {"id": r["id"], "name": r["name"], "type": r["type"], "location": r.get("location")}
                    for r in tenant.resources
                    if str(r["type"]).lower() == wanted and _subscription(r["id"]) == subscription
                ]
                self._page(items, url.path, query)
                return
            if len(parts) == 5 and parts[2].lower() == "providers":  # /subscriptions/s/providers/Ns/type
                kind = f"{parts[3]}/{parts[4]}".lower()
                items = [
                    r
                    for r in tenant.resources
                    if str(r["type"]).lower() == kind and _subscription(r["id"]) == subscription
                ]
                if parts[4].lower() in UNPAGED_LISTS:
                    self._send(200, {"value": items})
                else:
                    self._page(items, url.path, query)
                return
            if parts[-1].lower() in CHILD_SEGMENTS:
                items = tenant.children.get(lowered, [])
                if parts[-1].lower() in UNPAGED_LISTS:
                    self._send(200, {"value": items})
                else:
                    self._page(items, url.path, query)
                return
            found = tenant.by_id.get(lowered)
            if found is not None:
                self._send(200, found)
                return
            self._error(404, "ResourceNotFound", f"The resource '{url.path}' was not found.")

    return Handler

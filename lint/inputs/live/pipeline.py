"""The HTTP pipeline of every client a live scan creates: the SDK's policies, minus one write, plus ours.

Every generated management client accepts `policies=`, which replaces its default list. Ours is that
default list with two changes:
- no `ARMAutoResourceProviderRegistrationPolicy` (azure-mgmt-core). On a 409
  `MissingSubscriptionRegistration` it sends `POST /subscriptions/{id}/providers/{namespace}/register`,
  a write that registers a resource provider in the customer's subscription when the credential may do
  so. A read-only tool never sends it; the 409 means "no resources of that namespace" (see fetch);
- our policies: pinned API versions (api_versions), the deadline (deadline), and Resource Graph's own
  throttling headers (`GraphQuota`) turned into what the SDK's `RetryPolicy` honours.
Retries stay the SDK's: `RetryPolicy` retries 408/429/500/502/503/504 with exponential backoff and honours
`Retry-After` on any method.
"""

from __future__ import annotations

import math
import re
import threading
import time
from typing import Any

from azure.core.credentials import TokenCredential
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import (
    ContentDecodePolicy,
    CustomHookPolicy,
    DistributedTracingPolicy,
    HeadersPolicy,
    NetworkTraceLoggingPolicy,
    ProxyPolicy,
    RedirectPolicy,
    RequestIdPolicy,
    RetryPolicy,
    SansIOHTTPPolicy,
    SensitiveHeaderCleanupPolicy,
    UserAgentPolicy,
)
from azure.mgmt.core.policies import ARMChallengeAuthenticationPolicy, ARMHttpLoggingPolicy

from anycast_lint import __version__
from anycast_lint.inputs.live.api_versions import ApiVersionPolicy
from anycast_lint.inputs.live.deadline import Deadline, DeadlineGuard, DeadlinePolicy, ExpiredError

GRAPH_PATH = "/providers/microsoft.resourcegraph/resources"
_DURATION = re.compile(r"^(?:(\d+)\.)?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$")  # [d.]hh:mm:ss[.fff]
RETRY_SETTINGS = ("retry_total", "retry_backoff_factor", "retry_backoff_max", "retry_mode")


def duration(text: str | None) -> float | None:
    """Seconds of an `hh:mm:ss` header value (`x-ms-user-quota-resets-after`), None when unreadable."""
    match = _DURATION.match((text or "").strip())
    if not match:
        return None
    days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return float(((days * 24 + hours) * 60 + minutes) * 60 + seconds)


class GraphQuota(SansIOHTTPPolicy[Any, Any]):
    """Resource Graph's throttling, as its guidance describes it: every response carries
    `x-ms-user-quota-remaining` (queries left) and `x-ms-user-quota-resets-after` (hh:mm:ss until the quota
    resets), and a throttled query is a 429 that may carry only these ("Guidance for throttled requests
    in Azure Resource Graph", documented). azure-core retries a POST 429 only with `Retry-After`, so this
    policy (inside the retry loop) writes the reset time into `Retry-After` for the SDK's retry policy to
    honour; and when a response says the quota is spent, the next query waits for the reset instead of
    being throttled (staggering). Shared by the threads of one read."""

    def __init__(self, deadline: Deadline):
        self.deadline = deadline
        self._lock = threading.Lock()
        self._resume_at = 0.0
        self.waits = 0  # how often a query waited for the quota (for notes and the benchmark)

    def on_request(self, request: PipelineRequest[Any]) -> None:
        if not _is_graph(request):
            return
        with self._lock:
            wait = self._resume_at - time.monotonic()
        if wait <= 0:
            return
        left = self.deadline.remaining()
        if left is not None and wait > left:
            raise ExpiredError(f"{self.deadline.describe()} while the Resource Graph quota resets in {wait:.0f} s")
        self.waits += 1
        time.sleep(wait)

    def on_response(self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]) -> None:
        if not _is_graph(request):
            return
        http = response.http_response
        resets = duration(http.headers.get("x-ms-user-quota-resets-after"))
        if resets is None:
            return
        remaining = str(http.headers.get("x-ms-user-quota-remaining", "")).strip()
        spent = http.status_code == 429 or remaining in ("0", "-1")
        if spent:
            with self._lock:
                self._resume_at = max(self._resume_at, time.monotonic() + resets)
        retry_headers = ("Retry-After", "retry-after-ms", "x-ms-retry-after-ms")
        if http.status_code == 429 and not any(http.headers.get(h) for h in retry_headers):
            http.headers["Retry-After"] = str(max(1, math.ceil(resets)))


def _is_graph(request: PipelineRequest[Any]) -> bool:
    return GRAPH_PATH in request.http_request.url.lower().split("?", 1)[0]


def client_policies(
    credential: TokenCredential,
    scope: str,
    settings: dict[str, Any],
    versions: dict[str, str],
    deadline: Deadline,
    graph_quota: GraphQuota | None = None,
) -> list[Any]:
    """The policies of one client, in the order of the generated clients' default list."""
    retry = {key: settings[key] for key in RETRY_SETTINGS if key in settings}
    per_retry: list[Any] = [DeadlineGuard(deadline)] + ([graph_quota] if graph_quota is not None else [])
    return [
        RequestIdPolicy(),
        HeadersPolicy(),
        UserAgentPolicy(sdk_moniker=f"anycast-lint/{__version__}"),
        ProxyPolicy(),
        ContentDecodePolicy(),
        ApiVersionPolicy(versions),
        DeadlinePolicy(deadline),
        RedirectPolicy(),
        RetryPolicy(**retry),
        *per_retry,
        ARMChallengeAuthenticationPolicy(credential, scope),
        CustomHookPolicy(),
        NetworkTraceLoggingPolicy(),
        DistributedTracingPolicy(),
        SensitiveHeaderCleanupPolicy(),
        ARMHttpLoggingPolicy(),
    ]

"""What a live read produces: subscriptions, resources, observed route tables, and every gap named."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from azure.core.exceptions import AzureError, HttpResponseError

PRIVATE_PEERING = "AzurePrivatePeering"
# The action behind a circuit's route-table listing (the provider operations list of Microsoft.Network,
# documented); the built-in Reader role grants only */read, so Reader cannot list observed routes.
ROUTE_TABLE_ACTION = "Microsoft.Network/expressRouteCircuits/peerings/routeTables/action"


@dataclass(frozen=True)
class Subscription:
    id: str
    name: str
    state: str = "Enabled"

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
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # by id key
    observed: list[ObservedRoutes] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)  # errors: exit 2 unless --allow-partial
    unread: set[str] = field(default_factory=set)  # subscription ids with a gap: nothing of them is kept
    used_graph: bool = False
    warnings: list[str] = field(default_factory=list)  # always said: skipped subscriptions, fallbacks, layers
    remarks: list[str] = field(default_factory=list)  # said unless -q: absent is not broken
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
    if type(error).__name__ == "ScanTimeoutError":  # our own message says it all
        return " ".join(lines)
    return f"{type(error).__name__}: {' '.join(lines)}" if lines else type(error).__name__


def error_code(error: AzureError) -> str | None:
    return error.error.code if isinstance(error, HttpResponseError) and error.error is not None else None

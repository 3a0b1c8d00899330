"""Deadlines: `--timeout` for the whole read, and a limit for each long-running operation.

Why: a route-table listing whose status keeps answering 202 polled for 90 s before it was killed, and
a throttled tenant can keep a scan waiting for minutes. Every request goes through `DeadlinePolicy`,
which refuses to start one after the deadline and gives the SDK's retry policy only the time left (its
`timeout` option), and `DeadlineGuard`, which stops a retry that Azure asks to wait for beyond the
deadline (`Retry-After`) instead of sleeping through it. A long-running operation polls with
`LimitedPolling`, which stops at its own limit or at the deadline, whichever comes first. Each ends in
`ScanTimeoutError`, an `AzureError`, so the reader turns it into a gap that names what did not finish.
"""

from __future__ import annotations

import time
from typing import Any

from azure.core.exceptions import AzureError, HttpResponseError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy, RetryPolicy, SansIOHTTPPolicy
from azure.mgmt.core.polling.arm_polling import ARMPolling


class Deadline:
    """The end of the read on the monotonic clock; None: no deadline."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.ends = None if seconds is None else time.monotonic() + seconds

    def remaining(self) -> float | None:
        return None if self.ends is None else self.ends - time.monotonic()

    @property
    def expired(self) -> bool:
        left = self.remaining()
        return left is not None and left <= 0

    def describe(self) -> str:
        return f"the --timeout of {self.seconds:g} s passed"


_RETRY_AFTER = RetryPolicy()  # only for its public reading of the Retry-After headers


class ScanTimeoutError(AzureError):
    """What was being read when time ran out; a gap, never a traceback."""


class ExpiredError(Exception):
    """Raised inside the retry loop; not an AzureError, so the retry policy does not retry it."""


class DeadlinePolicy(HTTPPolicy[Any, Any]):
    """Before the retry policy: no request after the deadline, and retries only within the time left."""

    def __init__(self, deadline: Deadline):
        super().__init__()
        self.deadline = deadline

    def send(self, request: PipelineRequest[Any]) -> PipelineResponse[Any, Any]:
        left = self.deadline.remaining()
        if left is not None:
            if left <= 0:
                raise ScanTimeoutError(self.deadline.describe())
            options = request.context.options
            options["timeout"] = min(float(options.get("timeout", left)), left)  # RetryPolicy's total time
            options["read_timeout"] = min(float(options.get("read_timeout", left)), left)
        try:
            return self.next.send(request)
        except ExpiredError as expired:
            raise ScanTimeoutError(str(expired)) from None
        except HttpResponseError:
            raise  # Azure answered: its answer is the reason, whatever the clock says
        except AzureError:
            if self.deadline.expired:  # the connection or the read was cut at the deadline
                raise ScanTimeoutError(self.deadline.describe()) from None
            raise


class DeadlineGuard(SansIOHTTPPolicy[Any, Any]):
    """After the retry policy (each attempt): stop instead of waiting past the deadline."""

    def __init__(self, deadline: Deadline):
        self.deadline = deadline

    def on_request(self, request: PipelineRequest[Any]) -> None:
        if self.deadline.expired:
            raise ExpiredError(self.deadline.describe())

    def on_response(self, request: PipelineRequest[Any], response: PipelineResponse[Any, Any]) -> None:
        left = self.deadline.remaining()
        if left is None or response.http_response.status_code < 400:
            return
        wait = _RETRY_AFTER.get_retry_after(response)  # Retry-After, retry-after-ms, x-ms-retry-after-ms
        if wait is not None and wait > left:
            raise ExpiredError(
                f"{self.deadline.describe()} while Azure asked to wait {wait:g} s more "
                f"({response.http_response.status_code} with Retry-After)"
            )


class LimitedPolling(ARMPolling):
    """ARM polling that gives up after `limit` seconds or at the deadline, naming the operation."""

    def __init__(self, interval: float, limit: float, deadline: Deadline, what: str):
        super().__init__(interval)
        self._what = what
        self._limit = limit
        self._deadline = deadline
        left = deadline.remaining()
        self._ends = time.monotonic() + (limit if left is None else min(limit, left))

    def _sleep(self, delay: float) -> None:
        if time.monotonic() + delay > self._ends:
            why = (
                self._deadline.describe()
                if self._deadline.expired or (self._deadline.ends is not None and self._deadline.ends <= self._ends)
                else f"the operation limit of {self._limit:g} s passed"
            )
            raise ScanTimeoutError(f"{self._what} still running (Azure answered 202 to every poll): {why}")
        super()._sleep(delay)

"""One live read as the CLI asks for it: options in, parsed documents and the gaps out."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.inputs.live.api_versions import ApiVersionError, pinned_versions
from anycast_lint.inputs.live.clients import Clients
from anycast_lint.inputs.live.deadline import Deadline
from anycast_lint.inputs.live.endpoints import Endpoints, credential
from anycast_lint.inputs.live.fetch import AzureReader, ReadPlan
from anycast_lint.inputs.live.options import LiveOptions
from anycast_lint.inputs.live.progress import Progress
from anycast_lint.inputs.live.records import LiveError, LiveRead
from anycast_lint.inputs.live.snapshot import live_inputs
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.notices import ExecutionNotice
from anycast_lint.model.secrets import SECRETS

__all__ = ["CLIENT_OPTIONS", "LiveInput", "LiveOptions", "read_azure"]

# The SDK pipeline's own retry policy: 429 (honouring Retry-After) and 408/500/502/503/504 are retried
# with exponential backoff; a read that still fails becomes a gap. Timeouts bound a hung connection.
CLIENT_OPTIONS = {
    "retry_total": 6,
    "retry_backoff_factor": 0.8,
    "retry_backoff_max": 60,
    "connection_timeout": 30,
    "read_timeout": 120,
    "polling_interval": 5,  # route-table listing (a long-running POST) when Azure sends no Retry-After
}


@dataclass
class LiveInput:
    documents: list[ParsedFile]
    read: LiveRead
    notices: list[ExecutionNotice] = field(default_factory=list)  # gaps (error), warnings, remarks (note)

    @property
    def scope(self) -> str:
        count = len([s for s in self.read.subscriptions if s.id not in self.read.unread])
        return f"{count} Azure subscription{'' if count == 1 else 's'}"

    @property
    def incomplete(self) -> bool:
        return any(notice.level == "error" for notice in self.notices)

    def stderr_lines(self, quiet: bool = False) -> list[str]:
        """What the CLI says about the read on stderr: gaps and warnings always, remarks unless -q."""
        prefixes = {"error": "warning: not read: ", "warning": "warning: ", "note": "note: "}
        return [
            f"anycast-lint: {prefixes[notice.level]}{notice.message}"
            for notice in self.notices
            if not (quiet and notice.level == "note")
        ]


def read_azure(options: LiveOptions, snapshot_path: str | None = None, quiet: bool = False) -> LiveInput:
    """Read the tenant; unreadable parts stop the run (InputError, exit 2) unless allow_partial."""
    endpoints = Endpoints.resolve(options.cloud, options.arm_endpoint, options.authority_host)
    try:
        versions = pinned_versions(options.api_versions)
    except ApiVersionError as exc:
        raise InputError("azure", str(exc)) from None
    settings = {**CLIENT_OPTIONS, **options.retry}
    deadline = Deadline(options.timeout)
    clients = Clients(credential(endpoints, options.tenant), endpoints, settings, versions, deadline)
    plan = ReadPlan(
        use_graph=options.use_graph,
        observed=options.observed_routes,
        management_group=options.management_group,
        operation_timeout=options.operation_timeout,
        polling_interval=float(settings["polling_interval"]),
        verbose=options.verbose,
    )
    progress = Progress(enabled=not quiet)
    reader = AzureReader(clients, plan, workers=options.workers, progress=progress.update)
    try:
        read = reader.read(list(options.subscriptions), options.tenant)
    except LiveError as exc:
        raise InputError("azure", str(exc)) from None
    finally:
        progress.close()
    if read.gaps and not options.allow_partial:
        for warning in read.warnings:  # how the read went still matters when it stops here
            sys.stderr.write(SECRETS.redact(f"anycast-lint: warning: {warning}") + "\n")
        raise InputErrors(
            [InputError("azure", f"{gap} (nothing was scanned; --allow-partial scans the rest)") for gap in read.gaps]
        )
    notices = [ExecutionNotice("error", str(gap)) for gap in read.gaps]
    notices += [ExecutionNotice("warning", warning) for warning in read.warnings]
    notices += [ExecutionNotice("note", remark) for remark in read.remarks]
    return LiveInput(live_inputs(read, snapshot_path), read, notices)

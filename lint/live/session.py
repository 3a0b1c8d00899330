"""One live read as the CLI asks for it: options in, parsed documents and the gaps out."""

from __future__ import annotations

from dataclasses import dataclass, field

from anycast_lint.errors import InputError, InputErrors
from anycast_lint.live.endpoints import Endpoints, credential
from anycast_lint.live.fetch import AzureReader, LiveError, LiveRead
from anycast_lint.live.options import LiveOptions
from anycast_lint.live.progress import Progress
from anycast_lint.live.snapshot import live_inputs
from anycast_lint.reader import ParsedFile
from anycast_lint.report import ExecutionNotice

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
    notices: list[ExecutionNotice] = field(default_factory=list)  # what was not read (--allow-partial)

    @property
    def scope(self) -> str:
        count = len([s for s in self.read.subscriptions if s.id not in self.read.unread])
        return f"{count} Azure subscription{'' if count == 1 else 's'}"


def read_azure(options: LiveOptions, snapshot_path: str | None = None, quiet: bool = False) -> LiveInput:
    """Read the tenant; unreadable parts stop the run (InputError, exit 2) unless allow_partial."""
    endpoints = Endpoints.resolve(options.cloud, options.arm_endpoint, options.authority_host)
    progress = Progress(enabled=not quiet)
    reader = AzureReader(
        credential(endpoints, options.tenant),
        endpoints,
        use_graph=options.use_graph,
        workers=options.workers,
        progress=progress.update,
        client_options={**CLIENT_OPTIONS, **options.retry},
    )
    try:
        read = reader.read(list(options.subscriptions), options.tenant, options.observed_routes)
    except LiveError as exc:
        raise InputError("azure", str(exc)) from None
    finally:
        progress.close()
    if read.gaps and not options.allow_partial:
        raise InputErrors(
            [InputError("azure", f"{gap} (nothing was scanned; --allow-partial scans the rest)") for gap in read.gaps]
        )
    notices = [ExecutionNotice("error", str(gap)) for gap in read.gaps]
    return LiveInput(live_inputs(read, snapshot_path), read, notices)

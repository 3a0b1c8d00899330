"""Live Azure: read a tenant's network resources as ARM JSON and hand them to the ARM source.

`endpoints` says where to connect and with which credential; `clients` creates the management clients
on one `pipeline` (no automatic provider registration; pinned `api_versions`; the `deadline`; Resource
Graph's quota headers); `subscriptions` picks which subscriptions to read; `fetch` reads them (`graph`
first, list calls for what it does not index) into `records`; `snapshot` turns what was read into the
document the ARM source reads, keeping only what the model reads (`allowlist`); `progress` tells a
waiting user how far the scan is; `session` is the whole read as the CLI asks for it.
"""

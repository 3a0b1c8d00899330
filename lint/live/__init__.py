"""Live Azure: read a tenant's network resources as ARM JSON and hand them to the ARM source.

`endpoints` says where to connect and with which credential, `fetch` reads (Resource Graph first,
list calls for what it does not index), `snapshot` turns what was read into the document the ARM
source reads, `progress` tells a waiting user how far the scan is.
"""

"""The native topology format (`apiVersion: anycast-lint/v1`, `kind: Topology`), YAML or JSON.

Concise enough to sketch a design by hand: resources refer to each other by name (or full id), ids are
built from the file's default subscription and resource group, and hub children (route tables,
connections, route maps, the ExpressRoute gateway) nest inside their hub. Loading runs in three passes
over all native files together: schema check, naming every resource, then building objects with every
reference resolved, so one file can refer to a resource declared in another.
"""

from anycast_lint.sources.native.format import check, claims, load, near_miss

__all__ = ["check", "claims", "load", "near_miss"]

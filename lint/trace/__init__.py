"""`anycast-lint trace`: one flow from on-premises to an address and back, hop by hop, on the routing model.

The request follows the edge's choice in the routing view (failures applied), the gateway, the hub and
the static route that carry it, the forwarder and the peering into the member, the member subnet's NSG
and the endpoint; the reply follows the subnet's UDR or learned route back. Each hop names the resource,
where it is declared, and the rule whose finding explains a break; the scan's findings on each resource
are attached, so a trace and a scan of the same design never disagree unnoticed.
"""

from __future__ import annotations

from anycast_lint.analysis.services import Services, service_vip
from anycast_lint.inputs.config import Config
from anycast_lint.model.findings import Finding
from anycast_lint.model.topology import ExpressRouteCircuit, IPAddress, Topology, VirtualNetwork
from anycast_lint.routing import Routing
from anycast_lint.trace.context import TraceContext
from anycast_lint.trace.forward import trace_forward
from anycast_lint.trace.hops import Hop, Leg, Trace
from anycast_lint.trace.reply import trace_reply

__all__ = ["Hop", "Leg", "Trace", "trace_flow"]


def trace_flow(
    topology: Topology,
    config: Config,
    view: Routing,
    services: Services,
    source: IPAddress,
    destination: IPAddress,
    circuit: ExpressRouteCircuit,
    findings: list[Finding],
    base: Routing | None = None,
) -> Trace:
    """The request and its reply; with a failure in `view`, `base` (the view without it) tells where the
    flow went before."""
    service = next((s.name for s in services if service_vip(s, topology) == destination), None)
    ctx = TraceContext(topology, config, view, source, destination, circuit, findings, vip=service is not None)
    forward, arrival = trace_forward(ctx)
    reply, asymmetry = trace_reply(ctx, arrival) if forward.arrived else (Leg(), None)
    asymmetry = asymmetry or reply.asymmetry
    found = Trace(source, destination, circuit.name, view.failure.description, service, forward, reply, asymmetry)
    if base is not None and view.failure:
        before = trace_forward(TraceContext(topology, config, base, source, destination, circuit))[1].member
        now = arrival.member
        if before is not None and (now is None or before.id != now.id):
            found.failover = f"{_where(before)} -> {_where(now) if now and forward.arrived else 'nowhere'}"
    return found


def _where(vnet: VirtualNetwork) -> str:
    return f"{vnet.name} ({vnet.region or 'region unknown'})"

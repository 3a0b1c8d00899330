"""AC308 advertised-prefix-limit: a gateway connection advertises more prefixes than ExpressRoute accepts.

Documented ("Azure subscription and service limits", ExpressRoute route advertisement limits,
learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#expressroute-limits):
at most 1,000 IPv4 and 100 IPv6 routes "advertised from Azure private peering from the VNet address space to
ExpressRoute virtual network gateway", Local/Standard and Premium alike (the 4,000/10,000 figures are
routes from on-premises). The ExpressRoute FAQ (learn.microsoft.com/azure/expressroute/expressroute-faqs)
says exceeding it on a connection disconnects the circuit and gateway connection, peered VNets using
gateway transit included: every anycast route behind that gateway goes with it. Counted per gateway
connection from the predicted advertisement (every prefix the gateway's hub table or gateway transit
brings); Virtual WAN ExpressRoute connections are counted the same way (assumed: the limits page names the
ExpressRoute virtual network gateway).

The fix the platform offers, `summarizedGatewayPrefixes` ("Advertised gateway prefixes in Azure virtual
networks"), replaces the spoke prefixes a summary covers. A summary that covers an anycast member hides the
member's own prefix: every region advertising the same summary ties at the edge, and the summary stays
advertised when the member fails. That is a warning here too.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.snippets import arm_property, az, resource
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Resource, VirtualNetwork
from anycast_lint.routing import Advertisement
from anycast_lint.routing.prefix_limit import LIMITS
from anycast_lint.rules.registry import rule

WARN_SHARE = 0.8
LIMITS_PAGE = "Azure subscription and service limits, ExpressRoute route advertisement limits"


@rule("AC308", "advertised-prefix-limit", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    yield from _over_limit(ctx)
    yield from _hidden_members(ctx)


def _connection(ctx: RuleContext, gateway_id: str, circuit_id: str) -> Resource | None:
    """The gateway connection (design A) or ExpressRoute connection (Virtual WAN) behind a route."""
    for connection in ctx.topology.gateway_connections.values():
        if id_key(connection.gateway_id or "") == id_key(gateway_id) and id_key(connection.circuit_id or "") == id_key(
            circuit_id
        ):
            return connection
    for er_connection in ctx.topology.er_connections.values():
        if id_key(er_connection.gateway_id) == id_key(gateway_id) and id_key(er_connection.circuit_id or "") == id_key(
            circuit_id
        ):
            return er_connection
    return None


@dataclass(slots=True)
class _Advertised:
    """What one connection (gateway, circuit) advertises: distinct prefixes per IP version, and the VNets its
    routes land in."""

    label: str
    counts: Counter[int] = field(default_factory=Counter)
    members: set[str] = field(default_factory=set)
    last: int = -1  # the last edge slot counted: a prefix counts once per connection


def _advertised(ctx: RuleContext) -> dict[tuple[str, str], _Advertised]:
    """Per connection (gateway key, circuit key), from the routes the edges receive. Counted per edge slot (one
    circuit and prefix), so no route's prefix is hashed again; a gateway's instances share their prefix, ids and
    members (the same objects) and come in a row, so the second adds nothing and is skipped."""
    found: dict[tuple[str, str], _Advertised] = {}
    keys: dict[tuple[str, str], tuple[str, str]] = {}  # the routes of a connection share its two ids
    # counted as if every connection were up: one over the limit is down in the routing model (prefix_limit.py)
    for slot, (prefix, ranked) in enumerate(ctx.routing.with_every_connection_up().received()):
        previous: Advertisement | None = None
        for route in ranked:
            if previous is not None and _same_source(previous, route):
                continue
            previous = route
            ids = (route.gateway_id, route.circuit_id)
            key = keys.get(ids) or keys.setdefault(ids, (id_key(route.gateway_id), id_key(route.circuit_id)))
            entry = found.get(key) or found.setdefault(key, _Advertised(route.gateway_label))
            if entry.last != slot:
                entry.last = slot
                entry.counts[prefix.version] += 1
            entry.label = route.gateway_label
            entry.members.update(route.members)
    return found


def _same_source(previous: Advertisement, route: Advertisement) -> bool:
    return (
        route.prefix is previous.prefix
        and route.members is previous.members
        and route.gateway_id is previous.gateway_id
        and route.circuit_id is previous.circuit_id
        and route.gateway_label is previous.gateway_label
    )


def _over_limit(ctx: RuleContext) -> Iterator[Violation]:
    services_of = _services_of(ctx)
    for (gateway_id, circuit_id), advertised in _advertised(ctx).items():
        connection = _connection(ctx, gateway_id, circuit_id)
        circuit = ctx.topology.circuits.find(circuit_id)
        if connection is None or circuit is None:
            continue
        for version, count in sorted(advertised.counts.items()):
            limit = LIMITS[version]
            if count <= WARN_SHARE * limit:
                continue
            over = count > limit
            services = _services_behind(services_of, advertised.members)
            consequence = (
                "exceeding it disconnects the connection, spokes using gateway transit included (ExpressRoute FAQ)"
                + (f", and with it the anycast routes of {services}" if services else "")
                + (
                    "; the model takes the connection down, so simulate, trace and the other rules show where the VIP "
                    "goes instead"
                    if over
                    else ""
                )
            )
            yield Violation(
                f"{connection.label} ({advertised.label} to circuit '{circuit.name}') advertises "
                f"{count:,} IPv{version} prefixes; the limit is {limit:,} per connection, Standard and Premium alike "
                f"({LIMITS_PAGE}): {consequence}. "
                + (
                    "Summarize the spokes (summarizedGatewayPrefixes on the hub VNet), keeping anycast prefixes out of "
                    "the summaries"
                    if over
                    else f"That is {count / limit:.0%} of it; plan summaries (summarizedGatewayPrefixes) before it grows"
                ),
                connection.id,
                connection.origin,
                f"IPv{version}",
                level=None if over else Level.WARNING,
                fix=_summaries_fix(ctx, gateway_id),
            )


def _services_of(ctx: RuleContext) -> dict[str, set[str]]:
    """Member VNet key -> the names of its services: built once per scan, not per connection over the limit."""
    services_of: dict[str, set[str]] = defaultdict(set)
    for service in ctx.services:
        for member in service.members:
            services_of[id_key(member.id)].add(service.name)
    return services_of


def _services_behind(services_of: dict[str, set[str]], members: set[str]) -> str:
    """The services with a member among the VNets a connection's routes land in. Computed from the routes
    gathered once: walking every route again for each connection over the limit was quadratic (7.6 s of
    a 25,000-VNet scan)."""
    keys = set(map(id_key, members))  # thousands of spokes per connection, a few service members to look up
    names = sorted({name for key, found in services_of.items() if key in keys for name in found})
    return ", ".join(f"service '{n}'" for n in names)


def _hidden_members(ctx: RuleContext) -> Iterator[Violation]:
    """A hub's summary that covers an anycast member's prefix."""
    for hub in ctx.topology.virtual_networks.values():
        for index, summary in enumerate(hub.summarized_gateway_prefixes):
            hidden = [
                (service, member, prefix)
                for service in ctx.services
                for member in service.members
                for prefix in member.address_prefixes
                if prefix.version == summary.version
                and prefix.subnet_of(summary)  # type: ignore[arg-type]
                and any(
                    id_key(p.remote_vnet_id or "") == id_key(hub.id) and p.use_remote_gateways for p in member.peerings
                )
            ]
            if not hidden:
                continue
            names = ", ".join(
                f"{prefix} of '{member.name}' (service '{service.name}')" for service, member, prefix in hidden
            )
            origin = hub.summary_origins[index] if index < len(hub.summary_origins) else hub.origin
            yield Violation(
                f"summarizedGatewayPrefixes {summary} of hub '{hub.name}' covers {names}: the gateway advertises the "
                "summary instead (Advertised gateway prefixes in Azure virtual networks), so the circuits see "
                f"{summary} from every region that summarizes alike, not the anycast prefix, and the summary stays "
                "advertised when the member fails. Keep anycast prefixes outside the summaries",
                hub.id,
                origin,
                f"summary|{summary}",
                tuple(Related(f"anycast member '{m.name}'", m.origin, m.id) for _, m, _ in hidden),
                level=Level.WARNING,
                fix=gateway_summaries(
                    hub,
                    [str(p) for p in hub.summarized_gateway_prefixes if p != summary]
                    + [f"<summaries of the spokes without {', '.join(sorted({str(p) for _, _, p in hidden}))}>"],
                    "the anycast prefixes stay out of the summaries",
                ),
            )


def _summaries_fix(ctx: RuleContext, gateway_id: str) -> Fix | None:
    """Design A: the hub VNet's gateway advertises summaries instead of its spokes (the user picks them)."""
    gateway = ctx.topology.vnet_gateways.find(gateway_id)
    hub = ctx.topology.virtual_networks.find(gateway.vnet_id) if gateway else None
    if hub is None:
        return None
    return gateway_summaries(
        hub, ["<summaries of the spokes, without the anycast prefixes>"], "the gateway advertises them instead"
    )


def gateway_summaries(hub: VirtualNetwork, summaries: Sequence[str], why: str) -> Fix:
    """AC308: the prefixes a hub's gateway advertises instead of its spokes' (summarizedGatewayPrefixes)."""
    path = "properties.summarizedGatewayPrefixes.addressPrefixes"
    return Fix(
        f"set summarizedGatewayPrefixes of hub '{hub.name}' to {', '.join(summaries)}: {why}",
        az=az("az resource update", ids=hub.id, set=f"{path}={json.dumps(list(summaries))}"),
        terraform="# summarizedGatewayPrefixes has no azurerm attribute: set it with the azapi provider\n"
        + resource(
            "azapi_update_resource",
            f"{hub.name}-summaries",
            ("type", "Microsoft.Network/virtualNetworks@2025-05-01"),
            ("resource_id", hub.id),
            ("body", {"properties": {"summarizedGatewayPrefixes": {"addressPrefixes": list(summaries)}}}),
        ).text(),
        arm=arm_property(
            "Microsoft.Network/virtualNetworks",
            hub.name,
            {"summarizedGatewayPrefixes": {"addressPrefixes": list(summaries)}},
        ),
    )

"""AC102 vwan-direct-overlap: Virtual WAN refuses two directly connected VNets with overlapping space.

Azure checks every VNet connection against all VNets already connected to any hub of the same virtual
WAN ("Virtual network connection 'dns-01' from hub 'hub21' to virtual network 'dns-01' is not allowed.
It overlaps with address space: 10.13.76.0/24"). Anycast members therefore sit behind a transit VNet
(indirect spokes). Reported when at least one of the two VNets is an anycast member; other overlaps are
AC101's.

It needs the hub connections. An input without them (a list of VNets) still shows which VNets a hub connects:
the peering a hub connection creates (`HV_…`, `RemoteVnetToHubPeering…`). When a member and a VNet that
overlaps it both have one, whether their hubs share a virtual WAN cannot be told: a note says so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator

from anycast_lint.analysis.design_facts import overlaps
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes import Fix
from anycast_lint.fixes.builders import remove_resource
from anycast_lint.model.coverage import holds_no
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import HubVirtualNetworkConnection, IPNetwork, VirtualNetwork
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC102", "vwan-direct-overlap", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    topology = ctx.topology
    if topology.coverage.missing("hub_connections"):
        yield from _unknown_connections(ctx)
        return
    by_wan: dict[str, list[tuple[HubVirtualNetworkConnection, VirtualNetwork]]] = defaultdict(list)
    for connection in topology.hub_connections.values():
        hub = topology.virtual_hubs.find(connection.hub_id)
        vnet = topology.virtual_networks.find(connection.remote_vnet_id)
        if hub is not None and vnet is not None:
            by_wan[id_key(hub.wan_id or hub.id)].append((connection, vnet))
    for connected in by_wan.values():
        members = [ctx.services.of(vnet.id) is not None for _, vnet in connected]
        for i, j in _overlapping_pairs(connected, members):
            (first, one), (second, other) = connected[i], connected[j]
            overlap = _first_overlap(one, other)
            if overlap is None:
                continue
            a, b = overlap
            hub = topology.virtual_hubs.find(second.hub_id)
            hub_name = hub.name if hub else second.hub_id
            yield Violation(
                f"Virtual network connection '{second.name}' from hub '{hub_name}' to virtual network "
                f"'{other.name}' is not allowed: its {b} overlaps {a} of '{one.name}', connected by "
                f"'{first.name}' to the same virtual WAN. Azure refuses the deployment. Put anycast members "
                f"behind a transit VNet (indirect spoke) with a static route on the transit connection",
                second.id,
                second.origin,
                f"{id_key(first.id)}|{b}",
                (Related(f"'{one.name}' connected by '{first.name}'", first.origin, first.id),),
                fix=remove_hub_connection(
                    second,
                    f"reach '{other.name}' through a transit VNet peered with it, with a static route for {b} on the "
                    f"transit connection",
                ),
            )


def _first_overlap(one: VirtualNetwork, other: VirtualNetwork) -> tuple[IPNetwork, IPNetwork] | None:
    """The first prefix of `one` and the prefix of `other` it overlaps, in address-space order; None for the
    same VNet twice (a VNet connected to two hubs does not overlap itself)."""
    if one is other:
        return None
    return next(((a, b) for a in one.address_prefixes for b in other.address_prefixes if overlaps(a, b)), None)


def _overlapping_pairs(
    connected: list[tuple[HubVirtualNetworkConnection, VirtualNetwork]], members: list[bool]
) -> list[tuple[int, int]]:
    """(i, j), i < j, in the order of comparing every two connections: the pairs whose VNets share address space
    and where at least one VNet is a member. CIDR prefixes overlap only by nesting, so after sorting by start
    (larger first) the prefixes still open when one starts are exactly those that contain it: a sweep finds the
    pairs in time linear in the prefixes plus the overlapping pairs, where comparing every two connections of a WAN
    was quadratic however few overlapped (4,000 connections: 8 million pairs)."""
    spans = sorted(
        (p.version, int(p.network_address), p.prefixlen, int(p.broadcast_address), i)
        for i, (_, vnet) in enumerate(connected)
        for p in vnet.address_prefixes
    )
    pairs: set[tuple[int, int]] = set()
    open_spans: list[tuple[int, int, int]] = []  # (version, last address, connection index): a chain of containers
    for version, start, _, end, i in spans:
        while open_spans and (open_spans[-1][0] != version or open_spans[-1][1] < start):
            open_spans.pop()
        for _, _, j in open_spans:
            if j != i and (members[i] or members[j]):
                pairs.add((min(i, j), max(i, j)))
        open_spans.append((version, end, i))
    return sorted(pairs)


def _unknown_connections(ctx: RuleContext) -> Iterator[Violation]:
    """Members and overlapping VNets that both show a hub connection's peering, with the connections unread."""
    hubbed = [
        (vnet, next(p for p in vnet.peerings if p.to_vwan_hub))
        for vnet in ctx.topology.virtual_networks.values()
        if any(p.to_vwan_hub for p in vnet.peerings)
    ]
    for vnet, peering in hubbed:
        service = ctx.services.of(vnet.id)
        if service is None:
            continue
        for other, other_peering in hubbed:
            overlap = _first_overlap(vnet, other)
            if overlap is None:
                continue
            a, b = overlap
            yield undecided(
                f"cannot tell whether Virtual WAN accepts the direct connection of member '{vnet.name}' (service "
                f"'{service.name}'): its {a} overlaps {b} of '{other.name}', both are connected to a virtual hub "
                f"(peerings {peering.name}, {other_peering.name}), and {holds_no(['hub_connections'])} to tell "
                "whether the hubs belong to one virtual WAN, which refuses the overlap",
                vnet.id,
                peering.origin,
                f"{id_key(vnet.id)}|{a}|not-covered",
                "include the virtual hubs and their VNet connections in the input",
                related=(Related(f"'{other.name}' and its hub peering", other_peering.origin, other.id),),
            )
            break


def remove_hub_connection(connection: HubVirtualNetworkConnection, instead: str) -> Fix:
    """AC102: Azure refuses the second overlapping direct connection; the member goes behind a transit VNet."""
    hub = id_name(connection.hub_id)
    return remove_resource(
        connection,
        f"remove hub connection '{hub}/{connection.name}'; {instead}",
        f"# remove the azurerm_virtual_hub_connection named {json.dumps(connection.name)} (hub {hub})\n",
        "Microsoft.Network/virtualHubs/hubVirtualNetworkConnections",
        f"{hub}/{connection.name}",
    )

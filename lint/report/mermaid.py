"""A Mermaid flowchart per anycast service: on-premises -> circuit(s) -> hubs -> forwarders -> members.

Drawn from the routing result the rules used, not from the topology alone: an arrow exists because a
route to the service's VIP reaches that circuit that way (AS path on the circuit's arrow). Thick arrows
are the path each circuit's edge picks (the predicted winner); the winning member is green; members
with an error finding, and VNets outside the service that take routes for its VIP, are red; members
no circuit learns a route to are grey and dashed, with the reason. Labels are escaped with Mermaid's
entity codes, so names cannot break the syntax.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from anycast_lint.analysis.services import AnycastService
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import IPAddress, Topology, VirtualNetwork
from anycast_lint.routing import Advertisement, Routing

CLASSES = (
    "classDef winner fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "classDef failed fill:#ffebe9,stroke:#cf222e,stroke-width:2px",
    "classDef unreachable fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3,color:#57606a",
)
_ENTITIES = {"&": "#amp;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;"}


def label(*lines: str) -> str:
    """A quoted node label: each line escaped, lines joined with <br/>."""
    escaped = ["".join(_ENTITIES.get(ch, ch) for ch in line) for line in lines if line]
    return '"' + "<br/>".join(escaped) + '"'


@dataclass
class _Node:
    id: str
    lines: list[str]
    shape: tuple[str, str]


@dataclass
class _Graph:
    nodes: dict[str, _Node] = field(default_factory=dict)  # key -> node
    edges: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (from id, to id) -> labels
    best: set[tuple[str, str]] = field(default_factory=set)
    classes: dict[str, str] = field(default_factory=dict)  # mermaid id -> class

    def node(self, key: str, prefix: str, lines: list[str], shape: tuple[str, str] = ("[", "]")) -> str:
        if key not in self.nodes:
            number = sum(1 for n in self.nodes.values() if n.id.startswith(prefix))
            self.nodes[key] = _Node(f"{prefix}{number}", [line for line in lines if line], shape)
        return self.nodes[key].id

    def edge(self, source: str, target: str, text: str = "", best: bool = False) -> None:
        self.edges.setdefault((source, target), set())
        if text:
            self.edges[(source, target)].add(text)
        if best:
            self.best.add((source, target))

    def render(self) -> str:
        lines = ["flowchart LR"]
        lines += [f"  {n.id}{n.shape[0]}{label(*n.lines)}{n.shape[1]}" for n in self.nodes.values()]
        for (source, target), texts in self.edges.items():
            arrow = "==>" if (source, target) in self.best else "-->"
            text = " / ".join(sorted(texts))
            lines.append(f"  {source} {arrow}|{label(text)}| {target}" if text else f"  {source} {arrow} {target}")
        lines += [f"  {line}" for line in CLASSES]
        by_class: dict[str, list[str]] = {}
        for node, name in self.classes.items():
            by_class.setdefault(name, []).append(node)
        lines += [f"  class {','.join(nodes)} {name}" for name, nodes in sorted(by_class.items())]
        return "\n".join(lines) + "\n"


def _hub(topology: Topology, route: Advertisement) -> tuple[str, list[str]]:
    """(key, label lines) of the hub whose gateway sent the route: a hub VNet or a Virtual WAN hub."""
    gateway = topology.vnet_gateways.find(route.gateway_id)
    hub_vnet = topology.virtual_networks.find(gateway.vnet_id) if gateway else None
    if hub_vnet is not None:
        return id_key(hub_vnet.id), [f"hub {hub_vnet.name}", hub_vnet.region or ""]
    er_gateway = topology.er_gateways.find(route.gateway_id)
    hub = topology.virtual_hubs.find(er_gateway.hub_id) if er_gateway else None
    if hub is not None:
        return id_key(hub.id), [f"virtual hub {hub.name}", hub.region or ""]
    return id_key(route.gateway_id), [route.gateway_label]


def _forwarder(topology: Topology, route: Advertisement) -> tuple[str, list[str]] | None:
    """(key, label lines) of the forwarder a static route points at, when the route came from one."""
    for key in route.depends_on:
        connection = topology.hub_connections.find(key)
        if connection is None:
            continue
        for static in connection.routing.static_routes:
            if static.next_hop_ip is None or route.prefix not in static.address_prefixes:
                continue
            found = _forwarder_at(topology, static.next_hop_ip)
            transit = topology.virtual_networks.find(connection.remote_vnet_id)
            where = f"in {transit.name}" if transit else ""
            return f"forwarder:{static.next_hop_ip}", [found or "forwarder", str(static.next_hop_ip), where]
    return None


def _forwarder_at(topology: Topology, address: IPAddress) -> str | None:
    for forwarder in topology.forwarders.values():
        if address in forwarder.private_ips:
            return forwarder.label.replace("'", "")
    return None


def service_diagram(
    routing: Routing,
    service: AnycastService,
    vip: IPAddress | None,
    failed: dict[str, list[str]] | None = None,
    not_advertised: Iterable[tuple[str, str]] = (),
) -> str:
    """The flowchart of one service. `failed`: member id key -> rule codes of its error findings;
    `not_advertised`: (member id key, reason) for members no circuit learns."""
    topology = routing.topology
    failed = failed or {}
    graph = _Graph()
    onprem = graph.node("onprem", "onprem", ["on-premises"], ("([", "])"))
    members = {id_key(m.id): m for m in service.members}
    reached: set[str] = set()
    for circuit in routing.circuits():
        circuit_node = graph.node(
            id_key(circuit.id), "c", [f"circuit {circuit.name}", circuit.peering_location or ""], ("[/", "/]")
        )
        choice = routing.service_choice(service, circuit.id, vip) if vip is not None else None
        winner = choice.winner if choice else None
        graph.edge(onprem, circuit_node, best=winner is not None)
        for route, _ in routing.table(circuit.id):
            if vip is not None and not (route.prefix.version == vip.version and vip in route.prefix):
                continue
            # Routes for the VIP that land outside the service compete for it too (an overlap, AC101).
            landing = [id_key(m) for m in route.members if id_key(m) in members] or [
                id_key(m) for m in route.members if vip is not None
            ]
            if not landing:
                continue
            best = winner is not None and _same_path(route, winner)
            hub_key, hub_label = _hub(topology, route)
            hop = graph.node(hub_key, "h", hub_label)
            graph.edge(circuit_node, hop, f"{route.prefix} AS {route.path_text}", best)
            forwarder = _forwarder(topology, route)
            if forwarder is not None:
                forwarder_node = graph.node(forwarder[0], "f", forwarder[1], ("{{", "}}"))
                graph.edge(hop, forwarder_node, best=best)
                hop = forwarder_node
            for member_key in landing:
                member = members.get(member_key)
                if member is None:
                    node = graph.node(member_key, "x", _outsider_lines(topology, member_key, service.name))
                    graph.classes[node] = "failed"
                else:
                    node = graph.node(member_key, "m", _member_lines(member))
                    reached.add(member_key)
                    if best:
                        graph.classes[node] = "winner"
                graph.edge(hop, node, best=best)
    reasons = dict(not_advertised)
    for member_key, member in members.items():
        if member_key in reached:
            continue
        reason = reasons.get(member_key, "no circuit learns a route to it")
        node = graph.node(member_key, "m", [*_member_lines(member), f"unreachable: {reason}"])
        graph.classes[node] = "unreachable"
    for member_key, member in members.items():
        # Findings on the member or on one of its parts (a subnet, a peering) mark the member.
        codes = sorted({c for key, found in failed.items() if _within(key, member_key) for c in found})
        if codes:
            node = graph.node(member_key, "m", _member_lines(member))
            graph.nodes[member_key].lines.append(f"errors: {', '.join(codes)}")
            if graph.classes.get(node) != "unreachable":  # the reason it is unreachable says more
                graph.classes[node] = "failed"
    return graph.render()


def _within(resource_key: str, vnet_key: str) -> bool:
    return resource_key == vnet_key or resource_key.startswith(vnet_key + "/")


def _outsider_lines(topology: Topology, vnet_key: str, service: str) -> list[str]:
    vnet = topology.virtual_networks.find(vnet_key)
    if vnet is None:
        return [vnet_key.rsplit("/", 1)[-1], f"not a member of {service}"]
    return [*_member_lines(vnet), f"not a member of {service}"]


def _member_lines(member: VirtualNetwork) -> list[str]:
    return [member.name, member.region or "", ", ".join(str(p) for p in member.address_prefixes)]


def _same_path(route: Advertisement, winner: Advertisement) -> bool:
    """The winner and its twins from the other gateway instance: same gateway, prefix and AS path."""
    return (route.gateway_id, route.prefix, route.as_path, route.members) == (
        winner.gateway_id,
        winner.prefix,
        winner.as_path,
        winner.members,
    )

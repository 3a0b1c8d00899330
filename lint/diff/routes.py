"""Where each anycast VIP goes in one design, per circuit and on-premises site, in each failure scenario.

`anycast-lint diff` compares two of these maps. Everything comes from the routing model the rules use
(`Routing.service_choice`, `onprem_choices`): a diff never has a routing model of its own. A winner is
named by its VNet's name, so that the two sides of a change, read from different files, compare.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from anycast_lint.analysis.services import AnycastService, service_vip
from anycast_lint.inputs.config import Config
from anycast_lint.model.ids import id_key, id_name
from anycast_lint.model.topology import IPAddress, Topology
from anycast_lint.routing import Failure, Routing, ServiceChoice
from anycast_lint.routing.failures import UnknownFailure
from anycast_lint.routing.failures import resolve as resolve_failure
from anycast_lint.routing.onprem import MULTIPATH, ON_PREMISES_TIE, OnpremChoice, onprem_choices
from anycast_lint.routing.select import TIE_BREAK

# The basis of each reason the model gives, from the README's table "The model: documented, observed,
# assumed". "model": a fact of the model itself (only one member has a route, or none has).
EDGE_BASIS = {
    "prefix length": "assumed",  # standard IP forwarding
    "weight": "assumed",  # standard BGP at the MSEE
    "local preference": "assumed",
    "AS path length": "assumed",
    TIE_BREAK: "observed",  # the field report
    "Global Reach": "assumed",  # a gateway's route before an equal one over Global Reach (global_reach.py)
    "unknown": "unknown",  # equal paths, next hops not in the input
    "only member": "model",
}
ONPREM_BASIS = {
    "prefix length": "assumed",
    "local preference": "assumed",  # configured by you (onprem.circuits)
    "AS path length": "assumed",
    MULTIPATH: "assumed",
    ON_PREMISES_TIE: "unknown",  # each router's own tie-break: not modelled
    "one circuit": "model",
    "one member": "model",
}
NO_ROUTE = "no route to the VIP"

Key = tuple[str, str, str, str | None]  # (service, VIP, at: circuit name or onprem:<site>, failure or None)


@dataclass(frozen=True)
class Outcome:
    """Where one edge or site sends a VIP: the winning VNet's name (None: no route), and why."""

    member: str | None
    reason: str
    basis: str


@dataclass(frozen=True)
class Scenario:
    """One failure to compare under: None is the base case; else what `--fail` or a member's name says."""

    name: str | None
    service: str | None = None  # a member failure applies to its own service only


def vnet_name(topology: Topology, vnet_id: str) -> str:
    vnet = topology.virtual_networks.find(vnet_id)
    return vnet.name if vnet else id_name(vnet_id)


def member_names(routing: Routing) -> dict[str, list[str]]:
    """Service name -> its members' names: the `--each-member` failures of one side."""
    return {s.name: [m.name for m in s.members] for s in routing.services}


def _edge_outcome(topology: Topology, choice: ServiceChoice | None) -> Outcome:
    if choice is None:
        return Outcome(None, NO_ROUTE, "model")
    member = choice.member_id
    if member is None:  # the VIP lands outside the service: name where
        target = vnet_name(topology, choice.winner.members[0]) if choice.winner.members else None
        return Outcome(target, f"{choice.decided_by}: {choice.comparison}; not a member of the service", "model")
    basis = EDGE_BASIS.get(choice.decided_by, "model")
    return Outcome(vnet_name(topology, member), f"{choice.decided_by}: {choice.comparison}", basis)


def _onprem_outcome(topology: Topology, choice: OnpremChoice) -> Outcome:
    decided, comparison = choice.decided()
    best = choice.best.member_id
    member = vnet_name(topology, best) if best else None
    return Outcome(member, f"{decided}: {comparison}", ONPREM_BASIS.get(decided, "model"))


class SideRoutes:
    """The routing of one design, asked per scenario (each view is made once and computes only what is
    asked of it)."""

    def __init__(self, routing: Routing, config: Config):
        self.routing = routing
        self.config = config
        self._views: dict[str | None, Routing | None] = {None: routing}

    def view(self, scenario: Scenario) -> Routing | None:
        """The design with the scenario's failure; None when nothing in this design has that name."""
        if scenario.name not in self._views:
            self._views[scenario.name] = self._failed(scenario)
        return self._views[scenario.name]

    def _failed(self, scenario: Scenario) -> Routing | None:
        name = scenario.name or ""
        if scenario.service is not None:
            service = self.routing.services.by_name.get(scenario.service)
            found = [m for m in service.members if m.name == name] if service else []
            if not found:
                return None
            return self.routing.fail(Failure(frozenset({id_key(found[0].id)}), (f"virtual network '{name}'",)))
        try:
            return self.routing.fail(resolve_failure(self.routing.topology, [name]))
        except UnknownFailure:
            return None

    def knows(self, name: str) -> bool:
        return self.view(Scenario(name)) is not None

    def outcomes(self, scenario: Scenario) -> Iterator[tuple[Key, Outcome]]:
        """Every (service, VIP, at) of the design under the scenario, with its outcome."""
        view = self.view(scenario) or self.routing  # not in this design: nothing of it can fail here
        topology = self.routing.topology
        onprem = bool(self.config.onprem_circuits)  # sites described in the config
        for service in self.routing.services:
            if scenario.service is not None and scenario.service != service.name:
                continue
            vip = service_vip(service, topology)
            if vip is None:
                continue
            yield from self._service(view, service, vip, scenario.name, onprem)

    def _service(
        self, view: Routing, service: AnycastService, vip: IPAddress, failure: str | None, onprem: bool
    ) -> Iterator[tuple[Key, Outcome]]:
        topology = self.routing.topology
        for circuit in view.circuits():
            if view.circuit_failed(circuit.id):
                continue
            outcome = _edge_outcome(topology, view.service_choice(service, circuit.id, vip))
            yield (service.name, str(vip), circuit.name, failure), outcome
        if onprem:
            for choice in onprem_choices(view, self.config, service, vip):
                yield (service.name, str(vip), f"onprem:{choice.site}", failure), _onprem_outcome(topology, choice)

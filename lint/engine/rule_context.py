"""What every rule receives: the topology and the analyses derived from it, each computed once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from anycast_lint.analysis.domains import RoutingDomains
from anycast_lint.analysis.services import Services, find_services
from anycast_lint.inputs.config import Config
from anycast_lint.model.topology import Topology
from anycast_lint.routing import Routing


@dataclass
class RuleContext:
    topology: Topology
    config: Config

    @cached_property
    def services(self) -> Services:
        return find_services(self.topology, self.config)

    @cached_property
    def domains(self) -> RoutingDomains:
        return RoutingDomains(self.topology)

    @cached_property
    def routing(self) -> Routing:
        return Routing(self.topology, self.services)

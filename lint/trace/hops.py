"""What a trace is made of: hops, each with the resource, where it is declared and what it decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPAddress

PASS, DROP, UNKNOWN = "pass", "drop", "unknown"


class Located(Protocol):
    """A model object a hop can stand on: every resource the model holds has these."""

    @property
    def label(self) -> str: ...
    @property
    def id(self) -> str: ...
    @property
    def origin(self) -> Origin | None: ...


@dataclass(frozen=True)
class Hop:
    """One step of a flow: what the packet meets, and what that does with it.

    `verdict` is pass (the packet goes on), drop (it dies here) or unknown (the input cannot tell, and the
    trace goes on as if it passed, saying so). `rule` names the rule whose finding explains a drop;
    `findings` lists the codes the scan reports on this hop's resource, so trace and scan never disagree
    unnoticed.
    """

    step: str  # "circuit", "gateway", "static route", "forwarder", "peering", "subnet", "route table", ...
    resource: str  # how messages name it: "virtual network 'dns-01'"
    detail: str  # what it decides, with the evidence
    resource_id: str | None = None
    origin: Origin | None = None
    verdict: str = PASS
    rule: str | None = None
    kind: str | None = None  # "documented", "observed", "assumed" for a routing behaviour the hop relies on
    findings: tuple[str, ...] = ()

    @classmethod
    def at(cls, step: str, resource: Located, detail: str, *args: Any, **kwargs: Any) -> Hop:
        """A hop on a model object: named, identified and located by the object itself (most hops are)."""
        return cls(step, resource.label, detail, resource.id, resource.origin, *args, **kwargs)

    @property
    def location(self) -> str | None:
        if self.origin is None or not self.origin.file:
            return None
        return f"{self.origin.file}:{self.origin.line}:{self.origin.column}"


@dataclass
class Leg:
    """One direction of the flow: its hops and whether the packet arrives."""

    hops: list[Hop] = field(default_factory=list)
    arrived: bool = False
    asymmetry: str | None = None  # the reply leaves (or may leave) by another circuit than the request came by

    def add(self, hop: Hop) -> bool:
        """Append; False when the hop ends the leg (the packet is dropped)."""
        self.hops.append(hop)
        return hop.verdict != DROP

    @property
    def drop(self) -> Hop | None:
        return next((h for h in self.hops if h.verdict == DROP), None)


@dataclass
class Trace:
    """A flow from `source` to `destination` through one circuit, and its reply."""

    source: IPAddress
    destination: IPAddress
    circuit: str
    failed: tuple[str, ...]
    service: str | None
    forward: Leg
    reply: Leg
    asymmetry: str | None = None  # the reply leaves through another forwarder or region than the request came
    failover: str | None = None  # with --fail: "dns-01 (westeurope) -> dns-02 (northeurope)"

    @property
    def unknown(self) -> Hop | None:
        """The first hop the input cannot tell about (a source outside the on-premises ranges, a firewall's own
        rules, a resource not in the input): the flow is then never called delivered."""
        return next((h for leg in (self.forward, self.reply) for h in leg.hops if h.verdict == UNKNOWN), None)

    @property
    def complete(self) -> bool:
        return self.forward.arrived and self.reply.arrived and self.asymmetry is None and self.unknown is None

    @property
    def summary(self) -> str:
        if not self.forward.arrived:
            dropped = self.forward.drop
            where = f" at {dropped.resource}" if dropped else ""
            return f"the request does not arrive: dropped{where}" + (
                f" ({dropped.rule})" if dropped and dropped.rule else ""
            )
        if not self.reply.arrived:
            dropped = self.reply.drop
            where = f" at {dropped.resource}" if dropped else ""
            code = f" ({dropped.rule})" if dropped and dropped.rule else ""
            return f"the request arrives, the reply does not: dropped{where}{code}"
        unknown = self.unknown
        if unknown is not None:
            otherwise = (
                f"both ways arrive, asymmetrically: {self.asymmetry}"
                if self.asymmetry
                else "delivered, and the reply returns the same way"
            )
            return f"cannot tell: {unknown.resource}: {unknown.detail} (otherwise: {otherwise})"
        if self.asymmetry:
            return f"both ways arrive, asymmetrically: {self.asymmetry}"
        return "delivered, and the reply returns the same way"

"""What rules of several families share: the note a rule reports when it cannot tell (a value it needs is not
in the input), and that note for a resource a subnet links to that cannot be read."""

from __future__ import annotations

from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Related, Violation
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import Subnet


def undecided(
    message: str, resource_id: str, origin: Origin, evidence: str, todo: str, related: tuple[Related, ...] = ()
) -> Violation:
    """A finding the rule could not decide (reported as a note, never as passed or failed). `todo` says what
    the input lacks: the fix is that advice, as nothing in the design is known to be wrong."""
    return Violation(message, resource_id, origin, evidence, related, unknown=True, fix=advice(todo))


def unread_link(subnet: Subnet, field: str, found: bool, kind: str, what: str, evidence: str) -> Violation | None:
    """The note when the `kind` (route table, NSG) a subnet links to by `field` cannot be read: its id names
    nothing the input holds, or the link itself is unknown (a plan's value known only after apply). None when
    the linked resource was `found`, or the subnet links none. `what` is what the rule could not check."""
    linked: str | None = getattr(subnet, field)
    if linked and not found:
        return undecided(
            f"cannot check {what}: its {kind} {linked} is not in the input",
            subnet.id,
            subnet.origin,
            evidence,
            f"include {kind} {linked} in the input",
        )
    unknown = subnet.unknown(field)
    if not found and unknown is not None:
        return undecided(
            f"cannot check {what}: its {kind} is unknown: {unknown.reason}",
            subnet.id,
            unknown.origin,
            evidence,
            f"scan the plan after apply, or link the {kind} with an association resource",
        )
    return None

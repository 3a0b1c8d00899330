"""What rules of several families share: the note for a resource a subnet links to that cannot be read."""

from __future__ import annotations

from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Violation
from anycast_lint.model.topology import Subnet


def unread_link(subnet: Subnet, field: str, found: bool, kind: str, what: str, evidence: str) -> Violation | None:
    """The note when the `kind` (route table, NSG) a subnet links to by `field` cannot be read: its id names
    nothing the input holds, or the link itself is unknown (a plan's value known only after apply). None when
    the linked resource was `found`, or the subnet links none. `what` is what the rule could not check."""
    linked: str | None = getattr(subnet, field)
    if linked and not found:
        return Violation(
            f"cannot check {what}: its {kind} {linked} is not in the input",
            subnet.id,
            subnet.origin,
            evidence,
            unknown=True,
            fix=advice(f"include {kind} {linked} in the input"),
        )
    unknown = subnet.unknown(field)
    if not found and unknown is not None:
        return Violation(
            f"cannot check {what}: its {kind} is unknown: {unknown.reason}",
            subnet.id,
            unknown.origin,
            evidence,
            unknown=True,
            fix=advice(f"scan the plan after apply, or link the {kind} with an association resource"),
        )
    return None

"""The note a rule gives when the input does not cover a kind of resource it needs (see coverage.py):
"cannot tell", once per design, anchored on the first anycast member, never an error and never a pass."""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.model.coverage import KINDS, holds_no
from anycast_lint.model.findings import Violation
from anycast_lint.rules._common import undecided


def cannot_tell(ctx: RuleContext, kind: str, what: str) -> Iterator[Violation]:
    """One note for the design when it has an anycast member: without one there is nothing to tell."""
    member = next((m for service in ctx.services for m in service.members), None)
    if member is None:
        return
    yield undecided(
        f"cannot tell {what}: {holds_no([kind])} (a partial input). Scan it with the {KINDS[kind]} (a full "
        "export, or --azure), or set coverage: complete in anycast-lint.yaml if the input is the whole design",
        member.id,
        member.origin,
        f"not-covered|{kind}",
        f"include the {KINDS[kind]} in the input",
    )

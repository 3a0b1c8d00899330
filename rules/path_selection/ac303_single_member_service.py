"""AC303 single-member-service: an anycast service needs a second member to fail over to.

A partial input (a list of one subscription's VNets, a template of one region) may hold one member of a
service whose others live elsewhere: then the finding is a note that says so, not a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.analysis.services import SERVICE_TAG
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Violation
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC303", "single-member-service", Level.WARNING)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for service in ctx.services:
        if len(service.members) == 1:
            (member,) = service.members
            if not ctx.topology.coverage.whole:
                yield undecided(
                    f"anycast service '{service.name}' has one member in the input, '{member.name}' "
                    f"({member.region or 'region unknown'}): cannot tell whether it has others, as the input is partial (a "
                    "listing or deployment of some resources, not the whole design) and other regions may be outside "
                    "it. Scan every region's members together, or set coverage: complete in anycast-lint.yaml",
                    member.id,
                    member.origin,
                    service.name,
                    f"scan the members of '{service.name}' in every region together",
                )
                continue
            yield Violation(
                f"anycast service '{service.name}' has one member, '{member.name}' ({member.region or 'region unknown'}): when it "
                f"fails, nothing takes over the VIP. Deploy the same prefix in a second region and tag it "
                f"{SERVICE_TAG}: {service.name}",
                member.id,
                member.origin,
                service.name,
                fix=advice(
                    f"deploy a VNet with {', '.join(map(str, member.address_prefixes)) or 'the same prefix'} and an "
                    f"endpoint on the VIP in a second region, tagged {SERVICE_TAG}: {service.name}, advertised to the "
                    f"same circuits"
                ),
            )
        elif not service.members:
            configured = ctx.config.services.get(service.name)
            if configured is not None:
                yield Violation(
                    f"anycast service '{service.name}' is configured but no virtual network is a member (tag "
                    f"{SERVICE_TAG}: {service.name}, or list members in the config)",
                    f"config:services/{service.name}",
                    configured.origin,
                    service.name,
                    fix=advice(f"tag the service's VNets {SERVICE_TAG}: {service.name}, or list them in the config"),
                )

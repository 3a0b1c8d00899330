"""AC001 template-not-read: what a template declares but could not be evaluated into the model.

A linked template (templateLink) is not fetched, a resource whose type is an unevaluated expression
cannot be read, a child list given as an unevaluated expression (`"subnets": "[parameters('subnets')]"`)
holds children nobody can list, and a loop whose count is unknown is read as one instance. The rest of the file is still checked, so each such gap is a note; a template of which
nothing at all was read would otherwise pass as a clean design that was never looked at, so that is an
error (the field report's "0 resources read and exit 0"). A template that deploys nothing with the values
given (every part behind a false condition or a loop over nothing) is a note: legitimate, but nothing of it was checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Related, Violation
from anycast_lint.model.topology import TemplateRead, UnreadResource
from anycast_lint.rules._common import undecided
from anycast_lint.rules.registry import rule


@rule("AC001", "template-not-read", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for read in ctx.topology.template_reads:
        if not read.unread:
            if not read.read and read.not_deployed:
                yield _nothing_deployed(read)
            continue
        if read.read:
            for unread in read.unread:
                yield undecided(
                    f"{unread.what} not read: {unread.reason}; the network resources it may declare are not "
                    f"checked (scan the linked template itself, or give the value with --parameters)",
                    unread.id,
                    unread.origin,
                    unread.reason,
                    f"scan the template {unread.what} refers to, or give its value with --parameters",
                )
            continue
        first, *others = read.unread
        reasons = sorted({u.reason for u in read.unread})
        yield Violation(
            f"nothing in {read.file} was read into the design: {len(read.unread)} part(s) could not be evaluated "
            f"({'; '.join(reasons)}), so no network resource of it is checked. Scan the linked templates "
            f"themselves, or give the missing values with --parameters",
            first.id,
            first.origin,
            read.file,
            _related(others, " not read: "),
            fix=advice(f"scan the templates {read.file} links, or give the missing values with --parameters"),
        )


def _nothing_deployed(read: TemplateRead) -> Violation:
    """Legitimate (a feature switched off), but never a silent clean pass: say that nothing was checked."""
    first, *others = read.not_deployed
    return undecided(
        f"nothing in {read.file} is deployed with these parameter values: {len(read.not_deployed)} part(s) are "
        f"switched off ({first.what}: {first.reason}), so no network resource of it is checked. Give the "
        f"values that deploy them with --parameters",
        first.id,
        first.origin,
        read.file,
        f"give the parameter values that deploy the parts of {read.file} with --parameters",
        related=_related(others, ": "),
    )


MAX_RELATED = 10  # a top-level template may link dozens of templates; --verbose lists every one


def _related(parts: list[UnreadResource], joiner: str) -> tuple[Related, ...]:
    related = [Related(f"{u.what}{joiner}{u.reason}", u.origin, u.id) for u in parts[:MAX_RELATED]]
    if len(parts) > MAX_RELATED:
        rest = parts[MAX_RELATED]
        related.append(Related(f"and {len(parts) - MAX_RELATED} more (--verbose lists them)", rest.origin, rest.id))
    return tuple(related)

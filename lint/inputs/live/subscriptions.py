"""Which subscriptions a live read covers: those the credential lists (or a management group holds),
narrowed to `--subscription`, and only the Enabled ones.

A subscription that is Disabled, Deleted, Warned or PastDue is named and skipped (a warning): its
resources may be deallocated or on their way out, and Resource Manager may refuse reads.
"""

from __future__ import annotations

from typing import Any

from azure.core.exceptions import AzureError, ClientAuthenticationError

from anycast_lint.inputs.live import graph
from anycast_lint.inputs.live.clients import Clients
from anycast_lint.inputs.live.endpoints import token_failure
from anycast_lint.inputs.live.records import Gap, LiveError, LiveRead, Subscription, describe_error

ENABLED = "enabled"
SHOWN = 20  # skipped subscriptions named one by one; the rest are counted


def visible(clients: Clients, management_group: str | None, verbose: bool) -> dict[str, Subscription]:
    """Every subscription the credential can list (or, with a management group, that it holds), by id."""
    where = f"management group '{management_group}'" if management_group else "the credential"
    found: dict[str, Subscription] = {}
    try:
        if management_group:
            # Resource Graph at management-group scope covers every descendant subscription.
            with clients.graph() as client:
                rows = graph.query(client, graph.SUBSCRIPTIONS_QUERY, management_group=management_group)
            for row in rows:
                subscription_id = str(row.get("subscriptionId") or "")
                if subscription_id:
                    found[subscription_id.lower()] = Subscription(
                        subscription_id, str(row.get("name") or ""), str(row.get("state") or "")
                    )
        else:
            with clients.subscriptions() as client:
                listed = list(client.subscriptions.list())
            for item in listed:
                # the model's attributes are typed None (set in __init__); read them as the JSON they are
                fields: dict[str, Any] = item.as_dict()  # type: ignore[no-untyped-call]
                subscription_id = str(fields.get("subscription_id") or "")
                if subscription_id:
                    found[subscription_id.lower()] = Subscription(
                        subscription_id, str(fields.get("display_name") or ""), str(fields.get("state") or "")
                    )
    except ClientAuthenticationError as exc:
        raise LiveError(token_failure(exc, verbose)) from None
    except AzureError as exc:
        raise LiveError(f"cannot list the subscriptions of {where}: {describe_error(exc)}") from None
    return found


def choose(
    found: dict[str, Subscription], wanted: list[str], read: LiveRead, tenant: str | None, management_group: str | None
) -> list[Subscription]:
    """The subscriptions to read: the wanted ones (each missing one a gap), Enabled only (the rest named)."""
    if wanted:
        chosen = []
        for subscription_id in wanted:
            match = found.get(subscription_id.lower())
            if match is None:
                where = f"management group '{management_group}'" if management_group else "the credential"
                read.gaps.append(
                    Gap(f"subscription {subscription_id}", "anything", f"not among the subscriptions {where} can list")
                )
            else:
                chosen.append(match)
    else:
        if not found:
            where = f" in management group '{management_group}'" if management_group else ""
            where += f" in tenant {tenant}" if tenant else ""
            raise LiveError(f"the credential can list no subscription{where} (nothing was scanned)")
        chosen = sorted(found.values(), key=lambda s: (s.name.lower(), s.id))
    enabled = [s for s in chosen if s.state.lower() == ENABLED]
    skipped = [s for s in chosen if s.state.lower() != ENABLED]
    if skipped:
        named = ", ".join(f"{s.label} is {s.state or 'of unknown state'}" for s in skipped[:SHOWN])
        more = f" and {len(skipped) - SHOWN} more" if len(skipped) > SHOWN else ""
        read.warnings.append(
            f"skipped {len(skipped)} subscription{'' if len(skipped) == 1 else 's'} that "
            f"{'is' if len(skipped) == 1 else 'are'} not Enabled (only Enabled subscriptions are read): {named}{more}"
        )
    if chosen and not enabled and not wanted:
        raise LiveError("no Enabled subscription to read (nothing was scanned): " + read.warnings[-1])
    return enabled

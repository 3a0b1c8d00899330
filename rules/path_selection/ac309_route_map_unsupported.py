"""AC309 route-map-unsupported: a route map does what Virtual WAN does not support.

Documented ("About Route-maps for virtual hubs", considerations and limitations): route maps only summarise —
"do not use Route-Maps to create more specific routes" — and removing the BGP communities Azure sets on routes
is not supported. What the hub then does is not documented, so the routing model's prediction through that
map (which applies the map as written) cannot be relied on. Two causes, each once per action:

- a `Replace` of route prefixes with a prefix inside one the rule matches (a /24 replaced by /25s);
- a `Remove` of a community Azure sets (`12076:…`, the regional and custom communities of "ExpressRoute
  routing requirements", BGP communities), or a `Replace` of the communities, which removes them all.

AS numbers in route maps are AC307's.
"""

from __future__ import annotations

from collections.abc import Iterator

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.fixes.builders import advice
from anycast_lint.model.findings import Level, Violation
from anycast_lint.model.topology import IPNetwork, RouteMap, RouteMapAction, RouteMapRule
from anycast_lint.rules.registry import rule

PAGE = "About Route-maps for virtual hubs, considerations and limitations"
AZURE_COMMUNITY = "12076:"  # communities Azure sets start with Microsoft's ASN ("ExpressRoute routing requirements")


@rule("AC309", "route-map-unsupported", Level.ERROR)
def check(ctx: RuleContext) -> Iterator[Violation]:
    for route_map in ctx.topology.route_maps.values():
        for index, map_rule in enumerate(route_map.rules):
            matched = tuple(p for c in map_rule.match_criteria for p in c.route_prefixes)
            for action in map_rule.actions:
                more_specific = _more_specific(action, matched)
                if more_specific:
                    yield _violation(
                        route_map,
                        index,
                        map_rule,
                        action,
                        f"replaces routes matching {', '.join(map(str, matched))} with {', '.join(more_specific)}, "
                        f'more specific than what it matches: route maps only summarise ("do not use Route-Maps '
                        f'to create more specific routes", {PAGE}); what the hub advertises then is not documented. '
                        "Advertise the longer prefixes from the VNets themselves",
                        "more-specific",
                    )
                removed = _azure_communities_removed(action)
                if removed:
                    yield _violation(
                        route_map,
                        index,
                        map_rule,
                        action,
                        f"{removed}: removing the BGP communities Azure sets is not supported ({PAGE}); on-premises "
                        "policies matching the regional community (12076:5xxxx) no longer see it. Add communities "
                        "instead of replacing or removing Azure's",
                        "communities",
                    )


def _more_specific(action: RouteMapAction, matched: tuple[IPNetwork, ...]) -> list[str]:
    """The replacement prefixes that sit strictly inside a prefix the rule matches."""
    if action.type != "Replace" or not action.route_prefixes:
        return []
    return [
        str(p)
        for p in action.route_prefixes
        if any(p.version == m.version and p != m and p.subnet_of(m) for m in matched)  # type: ignore[arg-type]
    ]


def _azure_communities_removed(action: RouteMapAction) -> str | None:
    if action.type == "Remove":
        azure = [c for c in action.communities if c.startswith(AZURE_COMMUNITY)]
        return f"removes Azure's communit{'y' if len(azure) == 1 else 'ies'} {', '.join(azure)}" if azure else None
    if action.type == "Replace" and (action.communities or "community" in action.properties):
        listed = ", ".join(action.communities) or "nothing"
        return f"replaces every community of the route with {listed}, Azure's included"
    return None


def _violation(
    route_map: RouteMap, index: int, map_rule: RouteMapRule, action: RouteMapAction, text: str, cause: str
) -> Violation:
    return Violation(
        f"route map '{route_map.name}' rule '{map_rule.name}' {text}",
        route_map.id,
        action.origin,
        f"{map_rule.name}|{map_rule.actions.index(action)}|{cause}",
        fix=advice(
            f"change action {map_rule.actions.index(action) + 1} of rule {index + 1} ('{map_rule.name}') of route map "
            f"'{route_map.name}': summarise or add communities only"
        ),
    )

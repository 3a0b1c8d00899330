"""Virtual WAN route maps applied to a route: match criteria, actions, Continue/Terminate.

Semantics (Azure Virtual WAN documentation): rules are evaluated in order; a rule matches when all of
its criteria match (a rule without criteria matches everything); a matched rule's actions apply, and
`Terminate` stops processing while `Continue` goes on to the next rule; a route no rule matches passes
unchanged (the default is allow). `Add` with AS numbers prepends them, as the field report observed
(`65515 11111` after adding 11111 on the hub), `Replace` replaces the AS path or communities, `Remove`
removes the listed ones, `Drop` discards the route.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from anycast_lint.model import IPNetwork, MatchCriterion, RouteMap, RouteMapAction


@dataclass(frozen=True, slots=True)
class HubRoute:
    """A route inside a hub, before the hub's own AS number is prepended on the way out."""

    prefix: IPNetwork
    as_path: tuple[int, ...] = ()
    communities: frozenset[str] = frozenset()
    applied: tuple[str, ...] = ()  # what route maps did to it, for explanations


def _prefix_matches(condition: str, route: IPNetwork, listed: tuple[IPNetwork, ...]) -> bool:
    contains = any(route.version == p.version and route.subnet_of(p) for p in listed)  # type: ignore[arg-type]
    equals = route in listed
    return {
        "Contains": contains,
        "Equals": equals,
        "NotContains": not contains,
        "NotEquals": not equals,
    }.get(condition, False)


def _values_match(condition: str, have: set[str], listed: tuple[str, ...]) -> bool:
    hit = any(value in have for value in listed)
    if condition in ("Contains", "Equals"):
        return hit
    if condition in ("NotContains", "NotEquals"):
        return not hit
    return False


def criterion_matches(criterion: MatchCriterion, route: HubRoute) -> bool:
    checks = []
    if criterion.route_prefixes:
        checks.append(_prefix_matches(criterion.condition, route.prefix, criterion.route_prefixes))
    if criterion.communities:
        checks.append(_values_match(criterion.condition, set(route.communities), criterion.communities))
    if criterion.as_paths:
        path = {str(asn) for asn in route.as_path}
        checks.append(_values_match(criterion.condition, path, criterion.as_paths))
    return all(checks) if checks else criterion.condition in ("NotContains", "NotEquals")


def _apply(action: RouteMapAction, route: HubRoute) -> HubRoute | None:
    path = tuple(int(asn) for asn in action.as_paths)
    if action.type == "Drop":
        return None
    if action.type == "Add":
        return replace(route, as_path=path + route.as_path, communities=route.communities | set(action.communities))
    if action.type == "Replace":
        return replace(
            route,
            as_path=path if action.as_paths else route.as_path,
            communities=frozenset(action.communities) if action.communities else route.communities,
        )
    if action.type == "Remove":
        return replace(
            route,
            as_path=tuple(asn for asn in route.as_path if asn not in path),
            communities=route.communities - set(action.communities),
        )
    return route


def apply_route_map(route_map: RouteMap, route: HubRoute) -> HubRoute | None:
    """The route after the map, or None when a rule drops it."""
    current: HubRoute | None = route
    for rule in route_map.rules:
        if current is None:
            return None
        if not all(criterion_matches(c, current) for c in rule.match_criteria):
            continue
        before = current
        for action in rule.actions:
            if current is None:
                break
            current = _apply(action, current)
        if current is not None and current != before:
            current = replace(current, applied=(*current.applied, f"route map '{route_map.name}' rule '{rule.name}'"))
        if rule.next_step == "Terminate":
            break
    return current

"""Virtual WAN route maps applied to a route: match criteria, actions, Continue/Terminate.

Documented ("About Route-maps for virtual hubs", learn.microsoft.com/azure/virtual-wan/route-maps-about):
- rules are evaluated in order; a rule matches when all of its match conditions match (a rule without
  conditions matches every route); a matched rule's actions all apply, and `Terminate` stops processing
  while `Continue` goes on to the next rule; a route no rule matches passes unchanged (default allow);
- community `Equals`: "Community property of the route must have both the communities. Order isn't
  relevant"; `Contains`: one or more of them;
- AS path `Equals`: "AS-PATH of the routes must have ASNs listed in the specified order" (read here as: the
  path is exactly that list); `Contains`: "one or more of the ASNs listed";
- route prefix `Equals`: only these prefixes; `Contains`: these and every prefix underneath;
- `Add` prepends ASNs (the field report observed `65515 11111` after adding 11111) or adds communities;
  `Replace` sets the AS path or communities, and "No value specified" removes all ASNs / the communities;
  `Remove` removes the listed ones; `Drop` discards the route;
- `Replace` of route prefixes summarises: "Replace all the matched routes with the routes specified in the
  rule", and "when using Route-maps to summarize a set of routes, the hub router strips the BGP Community
  and AS-PATH attributes from those routes";
- "Route-maps won't be applied to the hub address space" (the caller skips it, see advertise.py).

Not modelled: the 2-byte ASN limit, and a `Replace` naming several properties without a value (the page
gives one property per action; here every property the action names is cleared).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from anycast_lint.model.topology import IPNetwork, MatchCriterion, RouteMap, RouteMapAction


@dataclass(frozen=True, slots=True)
class HubRoute:
    """A route inside a hub, before the hub's own AS number is prepended on the way out."""

    prefix: IPNetwork
    as_path: tuple[int, ...] = ()
    communities: frozenset[str] = frozenset()
    applied: tuple[str, ...] = ()  # what route maps did to it, for explanations
    summary: bool = False  # a route map replaced the matched routes by this prefix
    # (ASN, route map id) for every ASN a route map put into the AS path, so that the edge's refusal of a
    # reserved ASN (see asns.py and advertise.py) names the map, and Azure's own 65520 65520 between
    # hubs is not mistaken for one.
    added_asns: tuple[tuple[int, str], ...] = ()


def _outcome(condition: str, contains: bool, equals: bool) -> bool:
    """The match condition applied to what a property contains and whether it equals the listed values."""
    return {"Contains": contains, "Equals": equals, "NotContains": not contains, "NotEquals": not equals}.get(
        condition, False
    )


def _prefix_matches(condition: str, route: IPNetwork, listed: tuple[IPNetwork, ...]) -> bool:
    contains = any(route.version == p.version and route.subnet_of(p) for p in listed)  # type: ignore[arg-type]
    return _outcome(condition, contains, route in listed)


def _communities_match(condition: str, have: frozenset[str], listed: tuple[str, ...]) -> bool:
    return _outcome(condition, any(value in have for value in listed), have.issuperset(listed))


def _as_path_matches(condition: str, path: tuple[int, ...], listed: tuple[str, ...]) -> bool:
    wanted = tuple(int(asn) for asn in listed)
    return _outcome(condition, any(asn in path for asn in wanted), path == wanted)


def criterion_matches(criterion: MatchCriterion, route: HubRoute) -> bool:
    checks = []
    if criterion.route_prefixes:
        checks.append(_prefix_matches(criterion.condition, route.prefix, criterion.route_prefixes))
    if criterion.communities:
        checks.append(_communities_match(criterion.condition, route.communities, criterion.communities))
    if criterion.as_paths:
        checks.append(_as_path_matches(criterion.condition, route.as_path, criterion.as_paths))
    return all(checks) if checks else criterion.condition in ("NotContains", "NotEquals")


def _replace(action: RouteMapAction, route: HubRoute, map_id: str) -> list[HubRoute]:
    if action.route_prefixes:
        # Summarised: the matched route gives way to the given prefixes, without AS path or communities.
        return [HubRoute(p, (), frozenset(), route.applied, summary=True) for p in action.route_prefixes]
    cleared = not (action.as_paths or action.communities)  # "No value specified"
    as_path = route.as_path
    if action.as_paths or (cleared and "asPath" in action.properties):
        as_path = tuple(int(asn) for asn in action.as_paths)
    communities = route.communities
    if action.communities or (cleared and "community" in action.properties):
        communities = frozenset(action.communities)
    if action.as_paths:
        added = tuple((asn, map_id) for asn in as_path)
    else:
        added = tuple(pair for pair in route.added_asns if pair[0] in as_path)
    return [replace(route, as_path=as_path, communities=communities, added_asns=added)]


def _apply(action: RouteMapAction, route: HubRoute, map_id: str) -> list[HubRoute]:
    path = tuple(int(asn) for asn in action.as_paths)
    if action.type == "Drop":
        return []
    if action.type == "Add":
        return [
            replace(
                route,
                as_path=path + route.as_path,
                communities=route.communities | set(action.communities),
                added_asns=route.added_asns + tuple((asn, map_id) for asn in path),
            )
        ]
    if action.type == "Replace":
        return _replace(action, route, map_id)
    if action.type == "Remove":
        return [
            replace(
                route,
                as_path=tuple(asn for asn in route.as_path if asn not in path),
                communities=route.communities - set(action.communities),
                added_asns=tuple(pair for pair in route.added_asns if pair[0] not in path),
            )
        ]
    return [route]


def apply_route_map(route_map: RouteMap, route: HubRoute) -> list[HubRoute]:
    """What the map makes of one route: nothing (dropped), the route changed, or the summary prefixes
    that replace it (the caller merges the summaries of several routes into one)."""
    current = [route]
    for rule in route_map.rules:
        after: list[HubRoute] = []
        stop = False
        for each in current:
            if not all(criterion_matches(c, each) for c in rule.match_criteria):
                after.append(each)
                continue
            results = [each]
            for action in rule.actions:
                results = [changed for r in results for changed in _apply(action, r, route_map.id)]
            note = f"route map '{route_map.name}' rule '{rule.name}'"
            after += [r if r == each else replace(r, applied=(*r.applied, note)) for r in results]
            stop = stop or rule.next_step == "Terminate"
        current = after
        if stop or not current:
            break
    return current

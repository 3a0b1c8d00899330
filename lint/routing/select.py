"""Best path at the ExpressRoute edge, and the reason one route beats another.

Per prefix: highest weight, highest local preference, shortest AS path, then the lowest next-hop IP
(observed in the field report, not documented). Route age plays no part, so after a repair traffic
fails back to the original winner. Forwarding then takes the longest prefix containing the address.
"""

from __future__ import annotations

from dataclasses import dataclass

from anycast_lint.routing.advertise import Advertisement

TIE_BREAK = "lowest next hop"


def rank(route: Advertisement) -> tuple[int, int, int, int, int]:
    """Lower is better. A route learned over Global Reach loses to an equal one from a gateway (assumed:
    global_reach.py)."""
    hop = int(route.next_hop) if route.next_hop is not None else 2**128
    return (-route.weight, -route.local_preference, len(route.as_path), int(route.global_reach is not None), hop)


def decide(winner: Advertisement, loser: Advertisement) -> tuple[str, str]:
    """(attribute that decided, how the two compare), e.g. ("AS path length", "65515 vs 65515 11111")."""
    if winner.prefix != loser.prefix:
        return (
            "prefix length",
            f"/{winner.prefix.prefixlen} ({winner.prefix}) is longer than /{loser.prefix.prefixlen}",
        )
    if winner.weight != loser.weight:
        return "weight", f"weight {winner.weight} vs {loser.weight}"
    if winner.local_preference != loser.local_preference:
        return "local preference", f"local preference {winner.local_preference} vs {loser.local_preference}"
    if len(winner.as_path) != len(loser.as_path):
        return "AS path length", f"AS path {winner.path_text} vs {loser.path_text}"
    if (winner.global_reach is None) != (loser.global_reach is None):
        return "Global Reach", (
            f"equal AS paths ({winner.path_text}); a route from a gateway before one learned over Global Reach "
            "(assumed)"
        )
    if winner.next_hop is None or loser.next_hop is None:
        return "unknown", (
            f"equal AS paths ({winner.path_text}); the lowest next hop would decide, but it is not known"
        )
    return TIE_BREAK, f"equal AS paths ({winner.path_text}); next hop {winner.next_hop} < {loser.next_hop}"


@dataclass(frozen=True)
class Choice:
    """The routes one edge router has for one prefix, best first."""

    ranked: tuple[Advertisement, ...]

    @property
    def best(self) -> Advertisement:
        return self.ranked[0]


def choose(routes: list[Advertisement]) -> Choice:
    return Choice(tuple(sorted(routes, key=rank)))

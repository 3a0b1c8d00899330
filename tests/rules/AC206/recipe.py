"""AC206: a Local circuit cannot reach the second region; the fix is a Standard circuit."""

from edits import Design

BASE = "hub-and-spoke"
WHY = "er-circuit is an ExpressRoute Local circuit in Amsterdam, and hub-02 is in northeurope"


def bad(design: Design) -> None:
    design["expressRouteCircuits"][0]["skuTier"] = "Local"


def good(design: Design) -> None:
    """A Standard circuit: every region of Europe, Amsterdam's geopolitical region."""
    design["expressRouteCircuits"][0]["skuTier"] = "Standard"

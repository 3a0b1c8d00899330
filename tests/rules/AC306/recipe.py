"""AC306: a captured route table disagrees with design A; the fix is a capture of the network as designed.

bad-routes.txt is the field report's capture of er-circuit after dns-01 failed (best path 192.168.130.12,
hub-02), good-routes.txt the one before (192.168.128.12, hub-01): tests/fixtures/route-tables/seed-*.txt.
"""

from edits import Design

BASE = "hub-and-spoke"
WHY = "the captured route table of er-circuit (bad-routes.txt) shows the VIP's best path via hub-02"
INPUTS = {"bad": ["bad-routes.txt"], "good": ["good-routes.txt"]}
# A file belongs to one design: ARM twins would need copies of the captures, and the rule is about the capture.
ARM = False


def bad(design: Design) -> None:
    """Design A as it is: the capture is what differs."""


def good(design: Design) -> None:
    """Design A as it is, scanned with a capture of the network as designed (good-routes.txt)."""

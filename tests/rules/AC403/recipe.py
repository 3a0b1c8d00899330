"""AC403: a member's NSG lets new outbound flows reach private ranges; the fix is design A as it is."""

from edits import Design, named, nsg

BASE = "hub-and-spoke"
WHY = "nsg-dns-inbound-01 has no outbound deny"


def bad(design: Design) -> None:
    rules = nsg(design, "nsg-dns-inbound-01")["securityRules"]
    rules.remove(named(rules, "deny-outbound-private"))

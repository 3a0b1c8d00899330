"""AC1xx: address space rules (overlaps, prefixes, VIPs)."""

"""AC3xx: what the ExpressRoute edge chooses, and what happens when a member fails."""

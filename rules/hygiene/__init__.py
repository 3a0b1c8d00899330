"""AC4xx: the anycast range only absorbs inbound traffic."""

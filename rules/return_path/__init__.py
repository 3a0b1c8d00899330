"""AC2xx: the way traffic reaches an indirect spoke and the way replies go back."""

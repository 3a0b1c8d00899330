"""Data files shipped with anycast-lint (platform facts as Microsoft publishes them, each naming its source)."""

"""The command line: `anycast-lint scan | simulate | trace | diff | rules`."""

"""Allow `python -m anycast_lint`."""

from anycast_lint.cli import main

main()

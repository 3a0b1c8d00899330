"""Allow `python -m anycast_lint`."""

from anycast_lint.cli.main import main

main()

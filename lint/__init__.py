"""anycast-lint: validate private anycast designs in Azure before and after they are deployed."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("anycast-lint")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

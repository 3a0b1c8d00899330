"""anycast-lint: validate private anycast designs in Azure before and after they are deployed."""

# The one place the version is written: pyproject.toml reads it from here (`[tool.setuptools.dynamic]`).
# A literal rather than importlib.metadata, whose import cost every scan 0.02 s of start-up.
__version__ = "0.1.0"

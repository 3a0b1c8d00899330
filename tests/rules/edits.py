"""What a fixture recipe (ACnnn/recipe.py) changes an example design with: its resources by name.

build.py puts this folder and tests/ on sys.path, so a recipe imports these with `from edits import ...`.
"""

from __future__ import annotations

from typing import Any

from conftest import named

Design = dict[str, Any]

__all__ = ["Design", "hub", "named", "nsg", "resolver", "vnet"]


def vnet(design: Design, name: str) -> dict[str, Any]:
    return named(design["virtualNetworks"], name)


def hub(design: Design, name: str) -> dict[str, Any]:
    return named(design["virtualHubs"], name)


def resolver(design: Design, name: str) -> dict[str, Any]:
    return named(design["dnsResolvers"], name)


def nsg(design: Design, name: str) -> dict[str, Any]:
    return named(design["networkSecurityGroups"], name)

"""What an expression sees (parameters, variables, copy indexes, the deployment's scope), and how a
function says that its result is not known before deployment."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from anycast_lint.model.values import Unknown


@dataclass
class Scope:
    """Where a deployment would land; ids are built in this placeholder scope."""

    subscription: str = "00000000-0000-0000-0000-000000000000"
    resource_group: str = "template"
    deployment: str = "anycast-lint"
    location: str | None = None  # --location: the region the deployment targets, when the user says it


@dataclass
class Context:
    """What an expression can see: parameters, variables (resolved lazily), copy indexes, the scope."""

    parameters: Mapping[str, Any]
    variables: Callable[[str], Any]
    scope: Scope = field(default_factory=Scope)
    copy_index: Mapping[str, int | Unknown] = field(default_factory=dict)
    text: str = ""
    lambda_values: Mapping[str, Any] = field(default_factory=dict)  # lambdaVariables('x') inside a lambda


class UnknowableError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def unknowable(reason: str) -> Unknown:
    return Unknown("", reason)

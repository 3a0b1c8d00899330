"""The rule registry: every rule module registers its check function here with `@rule`."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from anycast_lint.context import RuleContext
from anycast_lint.findings import Level, Violation
from anycast_lint.ruledocs import RuleDoc, load_doc

Check = Callable[[RuleContext], Iterable[Violation]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    default_level: Level
    check: Check

    @property
    def doc(self) -> RuleDoc:
        return load_doc(self.code)

    @property
    def summary(self) -> str:
        return self.doc.summary


_REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str, level: Level) -> Callable[[Check], Check]:
    """Register a check; its help page `docs/rules/<code>.md` supplies the texts."""

    def register(check: Check) -> Check:
        if code in _REGISTRY:
            raise RuntimeError(f"rule {code} registered twice")
        _REGISTRY[code] = Rule(code, name, level, check)
        return check

    return register


@cache
def all_rules() -> tuple[Rule, ...]:
    """Import every rule module once and return the rules sorted by code."""
    import anycast_lint.rules as package

    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
    return tuple(sorted(_REGISTRY.values(), key=lambda r: r.code))


def get_rule(code: str) -> Rule | None:
    return {r.code: r for r in all_rules()}.get(code.upper())

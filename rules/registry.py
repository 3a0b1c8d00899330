"""The rule registry: every rule module registers its check function here with `@rule`."""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.engine.ruledocs import RuleDoc, load_doc
from anycast_lint.model.findings import Level, Violation

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

    if not isinstance(level, Level) or not re.fullmatch(r"AC\d{3}", code) or not re.fullmatch(r"[a-z0-9-]+", name):
        # caught here, at import, rather than as a KeyError in the middle of a scan
        raise TypeError(f"@rule({code!r}, {name!r}, {level!r}): expected 'ACnnn', a kebab-case name and a Level")

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


def find_rules(query: str) -> list[Rule]:
    """Rules a user means by `query`: a code (`AC204`), a code prefix (`AC2`) or a name
    (`member-not-advertised`), case-insensitive; empty when nothing matches."""
    wanted = query.strip().lower()
    by_name = [r for r in all_rules() if r.name == wanted or r.code.lower() == wanted]
    return by_name or [r for r in all_rules() if r.code.lower().startswith(wanted)]


def closest_rule(query: str) -> str | None:
    """The code or name `query` is most likely a typo of."""
    words = [r.code for r in all_rules()] + [r.name for r in all_rules()]
    lowered = {w.lower(): w for w in words}
    close = difflib.get_close_matches(query.strip().lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None

"""`anycast-lint diff BEFORE AFTER`: what a change does to anycast routing and to the findings.

Each side is read and checked exactly as `scan` reads and checks it; the designs of the two sides are
paired by name (one design each: those two). Then, per pair:

- routing changes: per service and VIP, at each circuit (and each on-premises site the config describes),
  the winner before and after, in the base case, under each single-member failure (the `--each-member`
  set, members of either side) and under each `--fail`; taken from the routing the rules used;
- finding changes: findings whose fingerprint (rule + resource + evidence, as baselines match them) is
  only in AFTER are new, only in BEFORE fixed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from anycast_lint.diff.routes import NO_ROUTE, Key, Outcome, Scenario, SideRoutes, member_names
from anycast_lint.engine.helpurl import HelpLinks
from anycast_lint.engine.run import ScanResult, SelectionError, run
from anycast_lint.errors import InputError
from anycast_lint.inputs.workspace import Design, Inputs
from anycast_lint.model.findings import Finding, Level
from anycast_lint.rules.registry import Rule, all_rules

MISSING = Outcome(None, NO_ROUTE, "model")


@dataclass(frozen=True)
class Change:
    """One winner that moves: where `at` sent `vip` before and after, under `failure` (None: base case)."""

    service: str
    vip: str
    at: str
    failure: str | None
    before: str | None
    after: str | None
    reason: str  # the model's reason for the new winner (or for there being none)
    basis: str  # documented | observed | assumed | model | unknown
    design: str = ""


@dataclass
class Side:
    """What one side read, how its files are shown (a git ref's or a plan's prior state), and its scans."""

    inputs: Inputs
    label: str  # "before/", "origin/main:network/", "plan.json (prior state)"
    show_file: Callable[[str], str] = str
    located: bool = True  # False: its files are written by anycast-lint (a plan's prior state), no lines to show
    results: dict[str, ScanResult] = field(default_factory=dict)  # design name -> its scan

    @property
    def files(self) -> list[str]:
        return [self.show_file(f) for f in self.inputs.files]


@dataclass
class DiffResult:
    before: Side
    after: Side
    changes: list[Change] = field(default_factory=list)
    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    pairs: list[tuple[str, Design | None, Design | None]] = field(default_factory=list)
    compared: int = 0  # winners compared: (service, VIP, circuit or site) in each scenario
    rules: list[Rule] = field(default_factory=list)  # the rules both sides were checked with
    root: Path = field(default_factory=Path.cwd)  # where SARIF and markdown paths are relative to
    links: HelpLinks = field(default_factory=HelpLinks)  # where the rule help pages are online, if known
    category: str = "anycast-lint-diff"  # SARIF automationDetails.id: apart from the full scan's analysis

    @property
    def errors(self) -> list[tuple[str, InputError]]:
        """Every input problem, with its side: a diff over an incomplete side could call unread findings fixed."""
        return [("before", e) for e in self.before.inputs.errors] + [("after", e) for e in self.after.inputs.errors]

    def side(self, name: str) -> Side:
        return self.before if name == "before" else self.after

    @property
    def complete(self) -> bool:
        return not self.errors

    def reaches(self, fail_on: str) -> bool:
        """Whether a new finding is at `fail_on` or above."""
        if fail_on == "none":
            return False
        threshold = Level.parse(fail_on)
        return any(f.level >= threshold for f in self.new)


def _check(side: Side, rules: list[Rule]) -> None:
    """Run the rules over each design of a side; a design whose config does not fit is an input error."""
    checked = []
    for design in side.inputs.designs:
        try:
            side.results[design.name] = run(design.load.topology, design.config, design=design.name, rules=rules)
        except InputError as exc:
            side.inputs.errors.append(exc)
            continue
        checked.append(design)
    side.inputs.designs = checked


def design_key(name: str, roots: list[str]) -> str:
    """A design's name inside the path its side was given (`before/dns` under `before` is `dns`)."""
    for root in roots:
        root = root.rstrip("/") or "."
        if name == root:
            return "."
        if root != "." and name.startswith(root + "/"):
            return name[len(root) + 1 :]
    return name


def pair_designs(
    before: list[Design], after: list[Design], before_roots: list[str], after_roots: list[str]
) -> list[tuple[str, Design | None, Design | None]]:
    """(name, before, after): one design each are each other's; else matched by name under each side's path
    (a design on one side only is compared with nothing)."""
    if len(before) == 1 and len(after) == 1:
        return [(after[0].name, before[0], after[0])]
    earlier = {design_key(d.name, before_roots): d for d in before}
    later = {design_key(d.name, after_roots): d for d in after}
    names = list(dict.fromkeys([*later, *earlier]))
    return [(name, earlier.get(name), later.get(name)) for name in names]


def _routes(side: Side, design: Design | None) -> SideRoutes | None:
    if design is None:
        return None
    result = side.results[design.name]
    context = next(c for name, c in result.contexts if name == design.name)
    return SideRoutes(context.routing, design.config)


def _scenarios(earlier: SideRoutes | None, later: SideRoutes | None, failures: tuple[str, ...]) -> list[Scenario]:
    """The base case, each member of each service down (members of either side), then each --fail."""
    scenarios = [Scenario(None)]
    members: dict[str, list[str]] = {}
    for routes in (later, earlier):
        for service, names in (member_names(routes.routing) if routes else {}).items():
            members.setdefault(service, [])
            members[service] += [n for n in names if n not in members[service]]
    scenarios += [Scenario(name, service) for service, names in members.items() for name in names]
    scenarios += [Scenario(name) for name in failures]
    return scenarios


def routing_changes(
    design: str, earlier: SideRoutes | None, later: SideRoutes | None, failures: tuple[str, ...]
) -> tuple[list[Change], int]:
    """Every winner that differs between the two sides, in every scenario; and how many were compared."""
    changes, compared = [], 0
    for scenario in _scenarios(earlier, later, failures):
        was: dict[Key, Outcome] = dict(earlier.outcomes(scenario)) if earlier else {}
        now: dict[Key, Outcome] = dict(later.outcomes(scenario)) if later else {}
        keys = dict.fromkeys([*was, *now])
        compared += len(keys)
        for key in keys:
            old, new = was.get(key, MISSING), now.get(key, MISSING)
            if old.member != new.member:
                service, vip, at, failure = key
                changes.append(Change(service, vip, at, failure, old.member, new.member, new.reason, new.basis, design))
    return changes, compared


class UnknownScenario(SelectionError):  # noqa: N818 - reads as what the user sees
    """A --fail name that neither side has: a usage error (exit 2), as `simulate --fail` makes it."""


def check_failures(pairs: list[tuple[SideRoutes | None, SideRoutes | None]], failures: tuple[str, ...]) -> None:
    for name in failures:
        if not any(routes.knows(name) for pair in pairs for routes in pair if routes is not None):
            raise UnknownScenario(
                f"--fail {name}: neither side has a circuit, virtual network, virtual hub, gateway, connection "
                "or region of that name"
            )


def compare(
    before: Side,
    after: Side,
    roots: tuple[list[str], list[str]],
    failures: tuple[str, ...] = (),
    rules: list[Rule] | None = None,
) -> DiffResult:
    """Check both sides with `rules` (default: every rule), pair their designs, and list what changed."""
    rules = list(all_rules()) if rules is None else rules
    _check(before, rules)
    _check(after, rules)
    result = DiffResult(before, after, rules=rules)
    result.pairs = pair_designs(before.inputs.designs, after.inputs.designs, *roots)
    routes = [(_routes(before, b), _routes(after, a)) for _, b, a in result.pairs]
    check_failures(routes, failures)
    several = len(result.pairs) > 1
    for (name, earlier, later), (was, now) in zip(result.pairs, routes, strict=True):
        changes, compared = routing_changes(name if several else "", was, now, failures)
        result.changes += changes
        result.compared += compared
        old = before.results[earlier.name].findings if earlier else []
        new = after.results[later.name].findings if later else []
        known, current = {f.fingerprint for f in old}, {f.fingerprint for f in new}
        result.new += [f for f in new if f.fingerprint not in known]
        result.fixed += [f for f in old if f.fingerprint not in current]
    return result

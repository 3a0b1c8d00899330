"""Run the selected rules over a topology and apply levels and suppressions from the config."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Iterable
from dataclasses import dataclass, field

from anycast_lint.engine.baseline import Baseline, BaselineComparison, compare
from anycast_lint.engine.hints import hints
from anycast_lint.engine.rule_context import RuleContext
from anycast_lint.inputs.config import Config, Suppression
from anycast_lint.model.findings import Finding, Level, Violation
from anycast_lint.model.ids import id_key
from anycast_lint.model.topology import Topology
from anycast_lint.rules.registry import Rule, all_rules


class SelectionError(ValueError):
    """A --select/--ignore value that names no rule."""


@dataclass
class ScanResult:
    findings: list[Finding]
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    service_count: int = 0
    # (design name, the topology, services and routing its rules saw): for reports that draw them
    contexts: list[tuple[str, RuleContext]] = field(default_factory=list)
    baseline: BaselineComparison | None = None  # set by against(): `findings` then holds only the new ones

    def count(self, level: Level) -> int:
        return sum(1 for f in self.findings if f.level == level)

    @classmethod
    def combine(cls, results: list[ScanResult], rules: list[Rule]) -> ScanResult:
        """One result for several designs: their findings side by side, each warning once."""
        findings = sorted((f for r in results for f in r.findings), key=Finding.sort_key)
        warnings = list(dict.fromkeys(w for r in results for w in r.warnings))
        suppressed = [s for r in results for s in r.suppressed]
        contexts = [c for r in results for c in r.contexts]
        return cls(findings, suppressed, warnings, rules, sum(r.service_count for r in results), contexts)

    def against(self, baseline: Baseline) -> None:
        """Keep only the findings the baseline does not accept; remember the rest for the reports."""
        self.baseline = compare(self.findings, baseline)
        self.findings = list(self.baseline.new)


def _expand(selectors: Iterable[str]) -> list[str]:
    """`--select AC101,AC2 --select AC3` -> ["AC101", "AC2", "AC3"]."""
    return [part.strip().upper() for value in selectors for part in value.split(",") if part.strip()]


def select_rules(rules: Iterable[Rule], select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """Rules chosen by code prefix (`AC1` = all AC1xx, `ALL` = every rule), minus the ignored ones."""
    rules = list(rules)
    selected, ignored = _expand(select), _expand(ignore)
    for selector in selected + ignored:
        if selector != "ALL" and not any(r.code.startswith(selector) for r in rules):
            raise SelectionError(f"{selector!r} matches no rule (see `anycast-lint rules`)")

    def matches(code: str, selectors: list[str]) -> bool:
        return any(s == "ALL" or code.startswith(s) for s in selectors)

    return [r for r in rules if (not selected or matches(r.code, selected)) and not matches(r.code, ignored)]


def _suppression_for(finding: Finding, suppressions: Iterable[Suppression]) -> Suppression | None:
    resource = id_key(finding.resource_id)
    for suppression in suppressions:
        if suppression.rule in ("*", finding.code) and fnmatch.fnmatchcase(resource, suppression.resource.lower()):
            return suppression
    return None


def run(
    topology: Topology,
    config: Config,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    today: dt.date | None = None,
    design: str = "",
    rules: list[Rule] | None = None,
) -> ScanResult:
    """`rules`: the rules already selected (a command selects them once for every design); else --select
    and --ignore choose them here."""
    today = today or dt.date.today()
    context = RuleContext(topology, config)
    services = context.services  # membership errors in the config surface before any rule runs
    if rules is None:
        rules = select_rules(all_rules(), select, ignore)

    active_suppressions = [s for s in config.suppressions if not s.expired(today)]
    result = ScanResult(findings=[], rules=rules, service_count=len(services), contexts=[(design, context)])
    result.warnings += hints(topology, config)  # did-you-mean for tags, service names and regions
    for suppression in config.suppressions:
        if suppression.expired(today):
            result.warnings.append(
                f"{suppression.origin}: suppression of {suppression.describe()} expired on "
                f"{suppression.expires}; its findings are reported again"
            )

    seen: set[str] = set()
    for current in rules:
        level = config.rule_levels.get(current.code, current.default_level)
        if level is None:  # switched off in the config
            continue
        for violation in current.check(context):
            finding = Finding(
                code=current.code,
                rule_name=current.name,
                level=_level(violation, level, current.code in config.rule_levels),
                message=violation.message,
                resource_id=violation.resource_id,
                origin=violation.origin,
                evidence=violation.evidence,
                related=violation.related,
                design=design,
                fix=violation.fix,
            )
            if finding.fingerprint in seen:
                continue
            seen.add(finding.fingerprint)
            matched = _suppression_for(finding, active_suppressions)
            if matched is not None:
                result.suppressed.append((finding, matched))
            else:
                result.findings.append(finding)
    result.findings.sort(key=Finding.sort_key)
    return result


def _level(violation: Violation, level: Level, configured: bool) -> Level:
    """The finding's level: a note when the rule could not decide; else the rule's own level for this cause
    (a rule with causes of different weight, AC307) unless the config sets the rule's level."""
    if violation.unknown:
        return Level.NOTE
    if violation.level is not None and not configured:
        return violation.level
    return level

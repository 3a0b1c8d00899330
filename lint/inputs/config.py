"""The configuration file (`anycast-lint.yaml`): on-premises ranges, services, rule levels, suppressions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.reader import parse_file
from anycast_lint.inputs.schema import validate
from anycast_lint.model.findings import Level
from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPAddress, IPNetwork
from anycast_lint.model.values import parse_ip, parse_prefix

DEFAULT_CONFIG_NAME = "anycast-lint.yaml"
CONFIG_KEYS = frozenset({"onprem", "services", "rules", "suppressions", "designs", "exclude", "coverage"})


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    name: str
    origin: Origin
    vip: IPAddress | None = None
    preferred_region: str | None = None
    members: tuple[str, ...] = ()


DEFAULT_SITE = "on-premises"
DEFAULT_LOCAL_PREFERENCE = 100


@dataclass(frozen=True, slots=True)
class CircuitPolicy:
    """What on-premises routers do with the routes one circuit sends (`onprem.circuits.<name>`)."""

    circuit: str  # the circuit's name, as written
    origin: Origin
    local_preference: int = DEFAULT_LOCAL_PREFERENCE
    communities: tuple[tuple[str, int], ...] = ()  # (community, local preference)
    site: str = DEFAULT_SITE


@dataclass(frozen=True, slots=True)
class Suppression:
    rule: str
    resource: str
    reason: str
    origin: Origin
    expires: dt.date | None = None

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and today > self.expires

    def describe(self) -> str:
        return f"{self.rule} on {self.resource}"


@dataclass(frozen=True)
class Config:
    """Everything the config file can say; the defaults are an empty config."""

    path: str | None = None
    base: Path | None = None  # the folder holding the config file: `designs` and `exclude` are relative to it
    origin: Origin | None = None  # the config document, for findings about what it says (or leaves out)
    onprem_prefixes: tuple[IPNetwork, ...] = ()
    onprem_origins: tuple[Origin, ...] = ()
    onprem_multipath: bool = False
    onprem_circuits: dict[str, CircuitPolicy] = field(default_factory=dict)  # by lower-case circuit name
    services: dict[str, ServiceConfig] = field(default_factory=dict)
    rule_levels: dict[str, Level | None] = field(default_factory=dict)  # None = off
    suppressions: tuple[Suppression, ...] = ()
    designs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = ()
    coverage: str | None = None  # `complete` or `partial` overrides what the inputs say they cover (coverage.py)


def looks_like_config(data: Any) -> bool:
    """A mapping made only of config keys: a config file passed where a topology was expected."""
    return isinstance(data, dict) and bool(data) and set(data) <= CONFIG_KEYS


def load_config(path: Path | None, display: str | None = None, known_rules: Collection[str] = ()) -> Config:
    """Read and check a config file; `known_rules` lets unknown rule codes fail with their line."""
    if path is None:
        return Config()
    display = display or str(path)
    parsed = parse_file(path, display)
    data = parsed.data
    base = path.resolve().parent
    if data is None:
        return Config(path=display, base=base, origin=Origin.of(parsed.document))
    validate(data, "config.schema.json", parsed.document)
    root = Origin.of(parsed.document)

    onprem = data.get("onprem", {})
    onprem_origins = tuple(root.child("onprem", "prefixes", i) for i in range(len(onprem.get("prefixes", []))))
    prefixes = tuple(
        parse_prefix(text, origin) for text, origin in zip(onprem.get("prefixes", []), onprem_origins, strict=True)
    )

    circuits = {}
    for name, body in onprem.get("circuits", {}).items():
        origin = root.child("onprem", "circuits", name)
        circuits[name.lower()] = CircuitPolicy(
            circuit=name,
            origin=origin,
            local_preference=body.get("local-preference", DEFAULT_LOCAL_PREFERENCE),
            communities=tuple(body.get("communities", {}).items()),
            site=body.get("site", DEFAULT_SITE),
        )

    services = {}
    for name, body in data.get("services", {}).items():
        origin = root.child("services", name)
        services[name] = ServiceConfig(
            name=name,
            origin=origin,
            vip=parse_ip(body["vip"], origin.child("vip")) if "vip" in body else None,
            preferred_region=body.get("preferred-region"),
            members=tuple(body.get("members", [])),
        )

    levels: dict[str, Level | None] = {}
    for code, level in data.get("rules", {}).items():
        if known_rules and code not in known_rules:
            raise InputError.at(root.child("rules", code), f"unknown rule {code!r} (see `anycast-lint rules`)")
        levels[code] = None if level == "off" else Level.parse(level)

    suppressions = []
    for index, entry in enumerate(data.get("suppressions", [])):
        origin = root.child("suppressions", index)
        if known_rules and entry["rule"] != "*" and entry["rule"] not in known_rules:
            raise InputError.at(origin.child("rule"), f"unknown rule {entry['rule']!r} (see `anycast-lint rules`)")
        expires = None
        if "expires" in entry:
            try:
                expires = dt.date.fromisoformat(entry["expires"])
            except ValueError:
                message = f"expires {entry['expires']!r} is not a real date (expected YYYY-MM-DD)"
                raise InputError.at(origin.child("expires"), message) from None
        suppressions.append(
            Suppression(
                rule=entry["rule"],
                resource=entry.get("resource", "*"),
                reason=entry["reason"],
                origin=origin,
                expires=expires,
            )
        )
    return Config(
        path=display,
        base=base,
        origin=root,
        designs={name: tuple(paths) for name, paths in data.get("designs", {}).items()},
        exclude=tuple(data.get("exclude", [])),
        coverage=data.get("coverage"),
        onprem_prefixes=prefixes,
        onprem_origins=onprem_origins,
        onprem_multipath=bool(onprem.get("multipath", False)),
        onprem_circuits=circuits,
        services=services,
        rule_levels=levels,
        suppressions=tuple(suppressions),
    )

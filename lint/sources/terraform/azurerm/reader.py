"""Reading one planned instance's attributes, with what is unknown and the reference it waits for."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from anycast_lint.model.positions import Origin
from anycast_lint.model.topology import IPAddress, IPNetwork, UnknownValue
from anycast_lint.model.values import Unknown, parse_ip, parse_prefix
from anycast_lint.sources.terraform.azurerm.vocabulary import Path, walk
from anycast_lint.sources.terraform.plan import KNOWN_AFTER_APPLY, Instance
from anycast_lint.sources.terraform.references import Target

if TYPE_CHECKING:
    from anycast_lint.sources.terraform.azurerm.identity import TranslatorCore


class Reader:
    """Reads one instance's attributes, collecting what is unknown (with the reference it waits for)."""

    def __init__(self, translator: TranslatorCore, instance: Instance):
        self.translator = translator
        self.instance = instance
        self.unknowns: list[UnknownValue] = []

    def origin(self, *path: str | int) -> Origin:
        return self.instance.at(*path)

    def note(self, field_name: str, path: Path, reason: str) -> None:
        self.unknowns.append(UnknownValue(field_name, reason, self.origin(*path)))

    def unknown_reason(self, value: Unknown, path: Path, why: str | None = None) -> str:
        if value.reason != KNOWN_AFTER_APPLY:
            return value.describe()
        if why:
            return f"{value.expression} ({KNOWN_AFTER_APPLY}): {why}"
        written = self.translator.references.describe(self.instance, path)
        return f"{written or value.expression} ({KNOWN_AFTER_APPLY})"

    def targets(
        self, path: Path, fits: Callable[[Target], bool], strict: bool = False
    ) -> tuple[list[Target], str | None]:
        """Where an unknown value comes from: its own expression's references, or, inside a list that
        Terraform records as one expression (`route`, `security_rule`, `subnet`: see tf_references), or
        when `strict`, the one reference that can supply it; else no target and why."""
        references = self.translator.references
        nested = any(isinstance(part, int) for part in path)
        if (
            strict
            or references.whole(self.instance, path)
            or (nested and references.expression(self.instance, path) is None)
        ):
            pinned = references.pin(self.instance, path, fits)
            return ([pinned.target] if pinned.target else []), pinned.why or None
        return references.resolve(self.instance, path), None

    def get(self, path: Path, field_name: str) -> Any:
        value = walk(self.instance.values, path)
        if value.__class__ is Unknown:
            self.note(field_name, path, self.unknown_reason(value, path))
            return None
        return value

    def text(self, path: Path, field_name: str) -> str | None:
        value = self.get(path, field_name)
        return str(value) if isinstance(value, (str, int)) and value != "" else None

    def flag(self, path: Path, field_name: str, default: bool) -> bool:
        value = self.get(path, field_name)
        return value if isinstance(value, bool) else default

    def items(self, path: Path, field_name: str) -> list[tuple[Any, Path]]:
        value = self.get(path, field_name)
        if not isinstance(value, list):
            return []
        found = []
        for index, item in enumerate(value):
            if item.__class__ is Unknown:
                self.note(field_name, (*path, index), self.unknown_reason(item, (*path, index)))
            elif item is not None:
                found.append((item, (*path, index)))
        return found

    def blocks(self, name: str, field_name: str) -> list[tuple[Any, Path]]:
        """Inline blocks that azurerm also computes from separate resources (`subnet`, `route`,
        `security_rule`): unknown but not written in the configuration, they only echo those resources,
        which are read on their own."""
        value = self.instance.values.get(name)
        config = self.instance.config
        written = config.get("expressions") if config is not None else None
        if value.__class__ is Unknown and isinstance(written, dict) and name not in written:
            return []
        return self.items((name,), field_name)

    def prefixes(self, path: Path, field_name: str) -> list[tuple[IPNetwork, Path]]:
        return [(parse_prefix(item, self.origin(*p)), p) for item, p in self.items(path, field_name) if item != ""]

    def strings(self, path: Path, field_name: str) -> tuple[str, ...]:
        return tuple(str(item) for item, _ in self.items(path, field_name) if item != "")

    def reference(self, path: Path, field_name: str, kinds: tuple[str, ...]) -> str | None:
        """An id: as written when known, else the model id of the instance the configuration names."""
        value = walk(self.instance.values, path)
        if isinstance(value, str) and value:
            return value
        if value.__class__ is not Unknown:
            return None
        found_targets, why = self.targets(path, lambda t: t.path not in ((), ("id",)) or t.instance.type in kinds)
        for target in found_targets:
            found = self.translator.id_of_target(target, kinds)
            if found is not None:
                return found
        self.note(field_name, path, self.unknown_reason(value, path, why))
        return None

    def next_hop(self, path: Path, field_name: str) -> tuple[IPAddress | None, str | None]:
        """A next-hop address, or the forwarder whose address it will be (known after apply)."""
        value = walk(self.instance.values, path)
        if isinstance(value, str) and value:
            return parse_ip(value, self.origin(*path)), None
        if value.__class__ is not Unknown:
            return None, None
        found_targets, why = self.targets(path, lambda t: t.path[-1:] != ("id",), strict=True)
        for target in found_targets:
            known = walk(target.instance.values, target.path) if target.path else None
            if isinstance(known, str) and known:
                return parse_ip(known, self.origin(*path)), None
            if target.instance.type == "azurerm_firewall" and target.path[:1] in (
                ("ip_configuration",),
                ("virtual_hub",),
            ):
                firewall = self.translator.ids.get(target.instance.address)
                if firewall:
                    return None, firewall
        self.note(field_name, path, self.unknown_reason(value, path, why))
        return None, None

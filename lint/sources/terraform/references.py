"""Follow a Terraform plan's `configuration` references to the instances a value comes from.

On first create, ids and addresses are "known after apply"; the configuration still says where they come
from: `references: ["azurerm_firewall.fw.ip_configuration[0].private_ip_address", ...]`. This resolves
such a reference, from the instance whose attribute holds it, to the instance it names and the
attribute path inside it, through module inputs (`var.x` -> the module call's argument), module outputs
(`module.hub.vnet_id` -> the output's expression), and count and for_each instances (`each.value`,
`count.index`, a reference without an index from a keyed instance to a resource with the same keys).
Locals and function results are not in the plan's configuration; they stay unresolved.

azurerm's `route` (azurerm_route_table), `security_rule` (azurerm_network_security_group) and `subnet`
(azurerm_virtual_network) are attributes that may be written as blocks (`ConfigMode:
pluginsdk.SchemaConfigModeAttr` in hashicorp/terraform-provider-azurerm
internal/services/network/{route_table,network_security_group,virtual_network}_resource.go), so the provider
schema Terraform sees has an attribute of type list(object), not a block type
(hashicorp/terraform internal/legacy/helper/schema/core_schema.go). For such an attribute Terraform records
ONE expression with the references of the whole list (internal/command/jsonconfig/expression.go,
marshalExpressions): written as `route = [{...}, {...}]` or as a `for` expression (hcl hclsyntax/variables.go
leaves out the `for` iterator's own names: `r.next_hop` is not recorded, `local.routes` is); written as
`route { ... }` blocks, Terraform 1.1 and later turn the blocks into the same one synthetic expression
(internal/lang/blocktoattr/fixup.go, commit ac2a870 "allow json output to marshal ConfigModeAttr blocks"),
earlier versions record nothing for them; a `dynamic "route"` block is recorded by no version (the
comment in marshalExpressions: PartialContent "will effectively ignore dynamic blocks"). References are
listed longest first (`a.b.c[0].d`, `a.b.c[0]`, `a.b.c`, `a.b`) and not de-duplicated
(internal/lang/langrefs/references.go). So a value inside such a list is pinned to a reference only when
the list's references leave exactly one thing that can supply it (`pin`), never by position.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from anycast_lint.model.values import Unknown
from anycast_lint.sources.terraform.plan import Instance, Plan, module_address, module_steps, tokens

MAX_DEPTH = 24
Steps = tuple[tuple[str, str | int | None], ...]


@dataclass(frozen=True)
class Target:
    """An instance and the attribute path a reference reads from it (empty: the instance itself)."""

    instance: Instance
    path: tuple[str | int, ...]


@dataclass(frozen=True)
class Pinned:
    """What the references of an expression say about an unknown value: the one target that can supply
    it, or why none can be told (several candidates, references the plan cannot follow)."""

    target: Target | None
    why: str = ""


@dataclass(frozen=True)
class _Scope:
    steps: Steps  # the module instance the expression is written in
    key: str | int | None = None  # each.key / count.index of the object the expression belongs to
    for_each: tuple[str, ...] = ()  # references of its for_each expression, for each.value


class References:
    def __init__(self, plan: Plan):
        self.plan = plan
        self._instances: dict[tuple[str, str], dict[str | int | None, Instance]] = {}
        for instance in plan.instances:
            base = ("data." if instance.mode == "data" else "") + f"{instance.type}.{instance.name}"
            self._instances.setdefault((instance.module, base), {})[instance.key] = instance

    # -- expressions --------------------------------------------------------------------------------

    def expression(self, instance: Instance, path: tuple[str | int, ...]) -> dict[str, Any] | None:
        """The configuration expression of an attribute (`route`, 0, `next_hop_in_ip_address`): its own,
        or the one expression of the whole attribute-as-blocks list it is part of (`whole`)."""
        return self._written(instance, path)[0]

    def whole(self, instance: Instance, path: tuple[str | int, ...]) -> bool:
        """Whether the value has no expression of its own, only the one of the list it is part of."""
        return self._written(instance, path)[1]

    def _written(self, instance: Instance, path: tuple[str | int, ...]) -> tuple[dict[str, Any] | None, bool]:
        """Blocks are lists in both values and configuration; sets come in any order, so a block is
        matched by its constant `name` when it has one, else by position. An expression met before the
        path ends covers everything below it (an attribute-as-blocks list, see the module docstring)."""
        node: Any = (instance.config or {}).get("expressions")
        value: Any = instance.values
        for part in path:
            if _is_expression(node):
                return node, True
            if isinstance(part, int):
                if not isinstance(node, list) or not node:
                    return None, False
                item = value[part] if isinstance(value, list) and part < len(value) else None
                node = _block_for(node, item, part)
                value = item
            else:
                if not isinstance(node, dict):
                    return None, False
                node = node.get(part)
                value = value.get(part) if isinstance(value, dict) else None
        return (node, False) if isinstance(node, dict) else (None, False)

    def references(self, instance: Instance, path: tuple[str | int, ...]) -> list[str]:
        expression = self.expression(instance, path)
        found = expression.get("references") if expression else None
        return [r for r in found if isinstance(r, str)] if isinstance(found, list) else []

    def resolve(self, instance: Instance, path: tuple[str | int, ...]) -> list[Target]:
        """Every instance an attribute's expression refers to, nearest reference first."""
        scope = _Scope(instance.module_key_path, instance.key, _for_each(instance.config))
        return self._resolve_all(self.references(instance, path), scope, 0)

    def describe(self, instance: Instance, path: tuple[str | int, ...]) -> str | None:
        """The expression's first reference, as written: for messages about unknown values."""
        found = self.references(instance, path)
        return found[0] if found else None

    def pin(self, instance: Instance, path: tuple[str | int, ...], fits: Callable[[Target], bool]) -> Pinned:
        """The one target that can supply an unknown value, from the references of its expression (its
        own, or the one recorded for the whole attribute-as-blocks list it is in). `fits` says whether a
        target could stand where the value stands (an address, an id of the expected kind). Candidates
        are the targets whose own value is unknown: a known value cannot be where an unknown one came
        from. A reference the plan cannot follow (a local value, a resource not planned) may hide one
        more candidate, so it leaves the value unknown, as several candidates do."""
        expression, whole = self._written(instance, path)
        attribute = next((str(p) for p in path if isinstance(p, str)), "")
        if expression is None:
            return Pinned(None, _unwritten(instance, path, attribute))
        refs = _outermost([r for r in expression.get("references") or [] if isinstance(r, str)])
        scope = _Scope(instance.module_key_path, instance.key, _for_each(instance.config))
        hidden = [r for r in refs if self._opaque(r, scope, 0)]
        candidates: dict[tuple[str, tuple[str | int, ...]], Target] = {}
        for target in self._resolve_all(refs, scope, 0):
            if fits(target) and _may_be_unknown(_value_at(target.instance.values, target.path)):
                candidates.setdefault((target.instance.address, target.path), target)
        if len(candidates) == 1 and not hidden:
            return Pinned(next(iter(candidates.values())))
        prefix = f"{attribute} is one expression for the whole list, and " if whole else ""
        if hidden:
            return Pinned(None, f"{prefix}{', '.join(hidden)} cannot be followed in the plan (it may hold the value)")
        written = f"{prefix}{'its' if whole else 'the'} expression refers to {', '.join(refs) or 'nothing'}"
        if not candidates:
            return Pinned(None, f"{written}, none of it unknown, so where the value comes from cannot be told")
        return Pinned(
            None, f"{written}; {len(candidates)} of them could supply this value, so which one it is cannot be told"
        )

    # -- resolution ---------------------------------------------------------------------------------

    def _resolve_all(self, refs: list[str], scope: _Scope, depth: int) -> list[Target]:
        found: list[Target] = []
        seen: set[str] = set()
        for ref in refs:
            for target in self._resolve(ref, scope, depth):
                if target.instance.address not in seen or target.path:
                    if any(t.instance is target.instance and t.path[: len(target.path)] == target.path for t in found):
                        continue  # a shorter form of a reference already followed
                    seen.add(target.instance.address)
                    found.append(target)
        return found

    def _resolve(self, ref: str, scope: _Scope, depth: int) -> list[Target]:
        parts = tokens(ref)
        if not parts or depth > MAX_DEPTH:
            return []
        head = parts[0]
        if head == "each":
            if len(parts) < 2 or parts[1] != "value" or scope.key is None:
                return []
            inner = _Scope(scope.steps)
            found = []
            for collection in scope.for_each:
                base = tokens(collection)
                if base:
                    found += self._follow([*base, scope.key, *parts[2:]], inner, depth + 1)
            return found
        return self._follow(parts, scope, depth)

    def _follow(self, parts: list[str | int], scope: _Scope, depth: int) -> list[Target]:
        head = parts[0]
        if head in ("count", "local", "path", "terraform", "self") or len(parts) < 2:
            return []
        if head == "var":
            return self._variable(str(parts[1]), parts[2:], scope, depth)
        if head == "module":
            return self._module_output(parts, scope, depth)
        if head == "data":
            if len(parts) < 3:
                return []
            return self._instance(f"data.{parts[1]}.{parts[2]}", parts[3:], scope)
        return self._instance(f"{parts[0]}.{parts[1]}", parts[2:], scope)

    def _instance(self, base: str, rest: list[str | int], scope: _Scope) -> list[Target]:
        candidates = self._instances.get((module_address(scope.steps), base))
        if not candidates:
            return []
        key: str | int | None = None
        keyed = None not in candidates
        if keyed and rest and rest[0] in candidates:
            key, rest = rest[0], rest[1:]
        elif keyed:
            key = scope.key  # `azurerm_subnet.x[count.index]`, `azurerm_subnet.x[each.key]`: the same key
        found = candidates.get(key)
        return [Target(found, tuple(rest))] if found is not None else []

    def _variable(self, name: str, rest: list[str | int], scope: _Scope, depth: int) -> list[Target]:
        """`var.x` inside a module: the argument of the module call, in the caller's scope."""
        if not scope.steps:
            return []  # root variables have values, not references
        call = self._call(scope.steps)
        if call is None:
            return []
        expressions = call.get("expressions")
        expression = expressions.get(name) if isinstance(expressions, dict) else None
        refs = expression.get("references") if isinstance(expression, dict) else None
        if not isinstance(refs, list):
            return []
        caller = _Scope(scope.steps[:-1], scope.steps[-1][1], _for_each(call))
        return [
            Target(t.instance, (*t.path, *rest))
            for t in self._resolve_all([r for r in refs if isinstance(r, str)], caller, depth + 1)
        ]

    def _module_output(self, parts: list[str | int], scope: _Scope, depth: int) -> list[Target]:
        """`module.hub.vnet_id` or `module.spoke["k"].vnet_id`: the output's expression, inside the module."""
        expression, inner_steps, rest = self._output(parts, scope)
        refs = expression.get("references") if expression else None
        if not isinstance(refs, list):
            return []
        found = self._resolve_all([r for r in refs if isinstance(r, str)], _Scope(inner_steps), depth + 1)
        return [Target(t.instance, (*t.path, *rest)) for t in found]

    def _output(self, parts: list[str | int], scope: _Scope) -> tuple[dict[str, Any] | None, Steps, list[str | int]]:
        """The expression of a module output reference, the module instance it is written in, and the
        path read from its value."""
        call_name = str(parts[1])
        key: str | int | None = None
        rest = parts[2:]
        if (rest and isinstance(rest[0], int)) or (rest and self._is_key(scope.steps, call_name, rest[0])):
            key, rest = rest[0], rest[1:]
        inner_steps: Steps = (*scope.steps, (call_name, key))
        if not rest:
            return None, inner_steps, []
        output_name, rest = str(rest[0]), rest[1:]
        module = self.plan.modules.get(_config_path(inner_steps))
        outputs = module.get("outputs") if module else None
        output = outputs.get(output_name) if isinstance(outputs, dict) else None
        expression = output.get("expression") if isinstance(output, dict) else None
        return (expression if isinstance(expression, dict) else None), inner_steps, rest

    def _opaque_output(self, parts: list[str | int], scope: _Scope, depth: int) -> bool:
        """A module output: opaque when it cannot be found or its expression refers to what is."""
        expression, inner_steps, _ = self._output(parts, scope)
        if expression is None:
            return True
        refs = expression.get("references")
        if not isinstance(refs, list):
            return False  # a constant
        inner = _Scope(inner_steps)
        return any(self._opaque(r, inner, depth + 1) for r in _outermost([r for r in refs if isinstance(r, str)]))

    def _opaque(self, ref: str, scope: _Scope, depth: int) -> bool:
        """Whether a reference may hold a value the plan does not show: a local value (not in the plan),
        `each.value` of a collection like that, a module input or output whose expression does, or a
        resource the plan does not have. Root variables, `count`, `each.key` and `path` are known."""
        parts = tokens(ref)
        if not parts or depth > MAX_DEPTH:
            return True
        head = parts[0]
        if head in ("count", "path", "terraform", "self") or (head == "each" and parts[1:2] == ["key"]):
            return False
        if head == "each":
            return any(self._opaque(c, _Scope(scope.steps), depth + 1) for c in _outermost(list(scope.for_each)))
        if head == "local" or len(parts) < 2:
            return True
        if head == "var":
            return self._opaque_input(str(parts[1]), scope, depth)
        if head == "module":
            return self._opaque_output(parts, scope, depth)
        return not self._follow(parts, scope, depth)

    def _opaque_input(self, name: str, scope: _Scope, depth: int) -> bool:
        """A module input: opaque when the module call's argument is (its default is a constant)."""
        if not scope.steps:
            return False
        call = self._call(scope.steps)
        if call is None:
            return True
        expressions = call.get("expressions")
        expression = expressions.get(name) if isinstance(expressions, dict) else None
        refs = expression.get("references") if isinstance(expression, dict) else None
        if not isinstance(refs, list):
            return False
        caller = _Scope(scope.steps[:-1], scope.steps[-1][1], _for_each(call))
        return any(self._opaque(r, caller, depth + 1) for r in _outermost([r for r in refs if isinstance(r, str)]))

    def _is_key(self, steps: Steps, call_name: str, candidate: str | int) -> bool:
        prefix = module_address((*steps, (call_name, candidate)))
        return any(module == prefix or module.startswith(prefix + ".") for module, _ in self._instances)

    def _call(self, steps: Steps) -> dict[str, Any] | None:
        parent = self.plan.modules.get(_config_path(steps[:-1]))
        calls = parent.get("module_calls") if parent else None
        call = calls.get(steps[-1][0]) if isinstance(calls, dict) else None
        return call if isinstance(call, dict) else None


def _unwritten(instance: Instance, path: tuple[str | int, ...], attribute: str) -> str:
    """Why a value has no expression: its whole list is missing from the configuration (a dynamic block,
    or blocks of an attribute before Terraform 1.1), or the attribute is not written."""
    expressions = (instance.config or {}).get("expressions")
    listed = isinstance(expressions, dict) and bool(path) and path[0] in expressions
    if any(isinstance(part, int) for part in path) and not listed:
        return (
            f"{attribute} is not in the plan's configuration (a dynamic block, which Terraform does not record, "
            "or blocks of an attribute, recorded since Terraform 1.1): nothing says where it comes from"
        )
    return f"{'.'.join(str(p) for p in path)} has no expression in the plan's configuration"


def _is_expression(node: Any) -> bool:
    """An expression object (`references`, `constant_value`), not a block's map of attribute expressions."""
    return isinstance(node, dict) and ("references" in node or "constant_value" in node)


def _outermost(refs: list[str]) -> list[str]:
    """The references as written: Terraform also lists every shorter form of each (`a.b.c[0]`, `a.b.c`,
    `a.b`, and `a.b` without its key), which add nothing and would not resolve on their own."""
    parsed = [(r, tokens(r) or []) for r in dict.fromkeys(refs)]
    return [
        ref
        for ref, parts in parsed
        if not any(len(other) > len(parts) and _prefix(parts, other) for _, other in parsed)
    ]


def _prefix(short: list[str | int], long: list[str | int]) -> bool:
    """`a.b` of `a.b.c[0]`; also `azurerm_firewall.fw` of `azurerm_firewall.fw[0].x` (the resource or
    module call without its count or for_each key, which Terraform lists as well)."""
    if short == long[: len(short)]:
        return True
    at = 3 if long[:1] == ["data"] else 2
    keyless = long[:at] + long[at + 1 :]
    return len(long) > at and short == keyless[: len(short)]


def _value_at(values: Any, path: tuple[str | int, ...]) -> Any:
    node = values
    for part in path:
        if node.__class__ is Unknown:
            return node
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def _may_be_unknown(value: Any) -> bool:
    """Unknown, missing, or holding something unknown: a value that could supply an unknown one."""
    if value is None or value.__class__ is Unknown:
        return True
    if isinstance(value, dict):
        return any(_may_be_unknown(v) for v in value.values() if v is not None)
    if isinstance(value, list):
        return any(_may_be_unknown(v) for v in value if v is not None)
    return False


def _config_path(steps: Steps) -> str:
    return ".".join(name for name, _ in steps)


def _for_each(config: dict[str, Any] | None) -> tuple[str, ...]:
    expression = (config or {}).get("for_each_expression")
    refs = expression.get("references") if isinstance(expression, dict) else None
    return tuple(r for r in refs if isinstance(r, str)) if isinstance(refs, list) else ()


def _block_for(blocks: list[Any], item: Any, index: int) -> Any:
    name = item.get("name") if isinstance(item, dict) else None
    if isinstance(name, str):
        for block in blocks:
            written = block.get("name") if isinstance(block, dict) else None
            if isinstance(written, dict) and written.get("constant_value") == name:
                return block
    if index < len(blocks):
        return blocks[index]
    return blocks[0] if len(blocks) == 1 else None


__all__ = ["Pinned", "References", "Target", "module_steps"]

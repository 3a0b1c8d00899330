"""ARM template expressions: `[concat('vnet-', parameters('region'))]` and friends.

A small recursive-descent parser and an evaluator for the functions network templates use. Whatever
cannot be known before deployment (`reference()`, `uniqueString()`, `resourceGroup().location`, a
parameter without value) evaluates to `Unknown`, which carries the whole expression text and
the reason, and spreads through every function that receives it — never a guess.
"""

from __future__ import annotations

import functools
import ipaddress
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from anycast_lint.model.ids import typed_id
from anycast_lint.model.values import Unknown

# --- parsing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: Any


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Access:
    target: Node
    key: Node


Node = Literal | Call | Access


class ExpressionError(ValueError):
    """Malformed expression text (a template bug, reported with the expression)."""


class EvaluationError(Exception):
    """An expression ARM itself would refuse: a function given the wrong type of argument, or a value past
    ARM's limits. Reported as an input error at the expression's location, never as an internal error."""


# ARM's limits (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits),
# used as the yardstick for how much work one expression may cause.
MAX_EXPRESSION_CHARS = 24_576
MAX_VALUE_CHARS = 4 * 1024 * 1024  # the template size limit: no single value can be larger in a valid template
MAX_NESTING = 100  # function calls inside function calls; Bicep output stays far below
MAX_INTEGER = 2**63  # ARM integers are 64-bit

_TOKEN = re.compile(
    r"\s*(?:(?P<string>'(?:[^']|'')*')|(?P<number>-?[0-9]+)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<punct>[(),.\[\]]))"
)


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("[") and value.endswith("]") and not value.startswith("[[")


def unescape(value: str) -> str:
    """`[[literal]` is the literal string `[literal]`."""
    return value[1:] if value.startswith("[[") else value


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if not match or match.end() == position:
                raise ExpressionError(f"unexpected {text[position : position + 10]!r}")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.index = 0
        self.depth = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.index] if self.index < len(self.tokens) else ("end", "")

    def _ahead(self, offset: int) -> tuple[str, str]:
        index = self.index + offset
        return self.tokens[index] if index < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if value is not None and token[1] != value:
            raise ExpressionError(f"expected {value!r}, found {token[1] or 'the end'!r}")
        self.index += 1
        return token

    def parse(self) -> Node:
        node = self.expression()
        if self.peek()[0] != "end":
            raise ExpressionError(f"unexpected {self.peek()[1]!r} after the expression")
        return node

    def expression(self) -> Node:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise EvaluationError(f"expression nests more than {MAX_NESTING} calls or indexes deep")
        try:
            return self._expression()
        finally:
            self.depth -= 1

    def _expression(self) -> Node:
        kind, value = self.take()
        node: Node
        if kind == "string":
            node = Literal(value[1:-1].replace("''", "'"))
        elif kind == "number":
            if len(value.lstrip("-")) > 19:
                raise EvaluationError(f"number {value[:20]}... is larger than ARM's 64-bit integers")
            node = Literal(int(value))
        elif kind == "name":
            while self.peek()[1] == "." and self._ahead(1)[0] == "name" and self._ahead(2)[1] == "(":
                self.take(".")
                value += "." + self.take()[1]  # a user-defined function: namespace.name(...)
            self.take("(")
            args: list[Node] = []
            if self.peek()[1] != ")":
                args.append(self.expression())
                while self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expression())
            self.take(")")
            node = Call(value, tuple(args))
        else:
            raise ExpressionError(f"unexpected {value or 'end of expression'!r}")
        while self.peek()[1] in (".", "["):
            if self.take()[1] == ".":
                kind, value = self.take()
                if kind != "name":
                    raise ExpressionError(f"expected a property name after '.', found {value!r}")
                node = Access(node, Literal(value))
            else:
                key = self.expression()
                self.take("]")
                node = Access(node, key)
        return node


@lru_cache(maxsize=4096)
def parse(text: str) -> Node:
    """Parse the inside of `[...]` (cached: copy loops evaluate one expression hundreds of times)."""
    return _Parser(text).parse()


# --- evaluation ----------------------------------------------------------------------------------


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


def evaluate(value: str, context: Context) -> Any:
    """Evaluate a template string; non-expressions come back as they are (unescaped)."""
    if not is_expression(value):
        return unescape(value) if isinstance(value, str) else value
    if len(value) > MAX_EXPRESSION_CHARS:
        raise EvaluationError(f"expression is {len(value):,} characters long; ARM's limit is {MAX_EXPRESSION_CHARS:,}")
    context.text = value
    try:
        tree = parse(value[1:-1])
    except ExpressionError as exc:
        return Unknown(value, f"not a valid expression: {exc}")
    result = _eval(tree, context)
    return _tag(result, value)


def _tag(value: Any, text: str) -> Any:
    """Unknowns report the whole expression they came from, not a fragment of it."""
    if isinstance(value, Unknown):
        return Unknown(text, value.reason)
    return value


class _UnknowableError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _unknown(reason: str) -> Unknown:
    return Unknown("", reason)


def _eval(node: Node, context: Context) -> Any:
    if isinstance(node, Literal):
        return node.value
    if isinstance(node, Access):
        target = _eval(node.target, context)
        key = _eval(node.key, context)
        return _access(target, key)
    lazy = _LAZY.get(node.name.lower())
    if lazy is not None:
        return lazy(node.args, context)
    function = _FUNCTIONS.get(node.name.lower())
    if function is None:
        reason = _NOT_EVALUATED.get(node.name.lower())
        if reason is None:
            reason = (
                "user-defined functions are not evaluated"
                if "." in node.name
                else f"{node.name}() is not an ARM template function anycast-lint evaluates"
            )
        return _unknown(reason)
    args = [_eval(arg, context) for arg in node.args]
    for arg in args:
        if isinstance(arg, Unknown):
            return arg
    if node.name.lower() not in _KEEPS_UNKNOWN_MEMBERS:
        for arg in args:
            if arg.__class__ is list or arg.__class__ is dict:
                nested = _nested_unknown(arg)
                if nested is not None:
                    return nested
    try:
        result = function(context, *args)
    except _UnknowableError as exc:
        return _unknown(exc.reason)
    except (TypeError, AttributeError) as exc:
        given = ", ".join(_kind(arg) for arg in args) or "no arguments"
        raise EvaluationError(f"{node.name}() cannot take {given} ({exc})") from None
    except OverflowError as exc:
        raise EvaluationError(f"{node.name}() overflows: {exc}") from None
    except (ValueError, IndexError, KeyError, ZeroDivisionError) as exc:
        return _unknown(f"{node.name}() failed: {exc}")
    _check_size(node.name, result)
    return result


# Functions that move members around without looking at them: an unknown member of an argument stays an
# unknown member of the result. length() and empty() only count them: an array of three unknown subnets
# has length 3 (AVM and Mission LZ loop over `length(parameters('subnets'))` whose items hold reference()).
# Any other function given an array or object with an unknown member (join(), string(), equals(), ...)
# has an unknown result.
_KEEPS_UNKNOWN_MEMBERS = frozenset(
    (
        "concat",
        "union",
        "shallowmerge",
        "trygetfromobject",
        "tryget",
        "first",
        "last",
        "take",
        "skip",
        "array",
        "length",
        "empty",
    )
)


def _nested_unknown(value: Any) -> Unknown | None:
    """The first unknown inside an array or object, if any."""
    stack = [value]
    while stack:
        item = stack.pop()
        if item.__class__ is Unknown:
            return item
        if item.__class__ is list:
            stack.extend(item)
        elif item.__class__ is dict:
            stack.extend(item.values())
    return None


def _kind(value: Any) -> str:
    return {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "an array"}.get(
        type(value), "an object" if isinstance(value, dict) else "null"
    )


def _check_size(name: str, result: Any) -> None:
    """Values past ARM's limits end evaluation: 40 variables that each concatenate the previous one
    twice would otherwise build a string of a terabyte."""
    if isinstance(result, (str, list)) and len(result) > MAX_VALUE_CHARS:
        raise EvaluationError(f"{name}() builds a value of {len(result):,} items, past ARM's 4 MB template limit")
    if isinstance(result, int) and not isinstance(result, bool) and not -MAX_INTEGER <= result < MAX_INTEGER:
        raise EvaluationError(f"{name}() overflows ARM's 64-bit integers")


def _access(target: Any, key: Any) -> Any:
    if isinstance(target, Unknown):
        return target
    if isinstance(key, Unknown):
        return key
    if isinstance(target, dict) and isinstance(key, str):
        for name, value in target.items():
            if name.lower() == key.lower():  # property access is case-insensitive in ARM
                return value
        return _unknown(f"no property {key!r}")
    if isinstance(target, list) and isinstance(key, int):
        return target[key] if -len(target) <= key < len(target) else _unknown(f"index {key} is out of range")
    return _unknown(f"cannot index {type(target).__name__} with {key!r}")


# -- lazy functions (arguments evaluated only as needed) --------------------------------------------


def _if(args: tuple[Node, ...], context: Context) -> Any:
    if len(args) != 3:
        return _unknown("if() takes three arguments")
    condition = _eval(args[0], context)
    if isinstance(condition, Unknown):
        return condition
    return _eval(args[1] if condition else args[2], context)


def _and(args: tuple[Node, ...], context: Context) -> Any:
    unknown = None
    for arg in args:
        value = _eval(arg, context)
        if isinstance(value, Unknown):
            unknown = value
        elif not value:
            return False
    return unknown if unknown is not None else True


def _or(args: tuple[Node, ...], context: Context) -> Any:
    unknown = None
    for arg in args:
        value = _eval(arg, context)
        if isinstance(value, Unknown):
            unknown = value
        elif value:
            return True
    return unknown if unknown is not None else False


def _coalesce(args: tuple[Node, ...], context: Context) -> Any:
    for arg in args:
        value = _eval(arg, context)
        if value is not None:
            return value
    return None


@dataclass(frozen=True)
class Lambda:
    """`lambda('x', body)` as Bicep compiles `x => body`: a function value that map(), filter(), reduce(),
    sort(), toObject(), groupBy() and mapValues() call with `lambdaVariables('x')` bound."""

    names: tuple[str, ...]
    body: Node
    context: Context

    def __call__(self, *args: Any) -> Any:
        bound = {**self.context.lambda_values, **{n.lower(): a for n, a in zip(self.names, args, strict=False)}}
        return _tag(_eval(self.body, replace(self.context, lambda_values=bound)), self.context.text)


def _lambda(args: tuple[Node, ...], context: Context) -> Any:
    if not args or not all(isinstance(a, Literal) and isinstance(a.value, str) for a in args[:-1]):
        return _unknown("lambda() takes variable names and a body")
    return Lambda(tuple(str(a.value) for a in args[:-1] if isinstance(a, Literal)), args[-1], context)


def _lambda_variables(args: tuple[Node, ...], context: Context) -> Any:
    name = _eval(args[0], context) if len(args) == 1 else None
    if isinstance(name, str) and name.lower() in context.lambda_values:
        return context.lambda_values[name.lower()]
    return _unknown(f"lambdaVariables({name!r}) outside a lambda that declares it")


def _members(args: tuple[Node, ...], context: Context) -> list[Any]:
    """Arguments that become members of a new array or object: an unknown one stays an unknown member
    instead of making the whole value unknown. AVM's Azure Firewall writes its whole `properties` as
    createObject(..., 'ipConfigurations', ... reference('publicIPAddress').outputs.name.value ...): the
    configuration's name is known only after deployment, its subnet, SKU and hub are known now."""
    members = [_eval(arg, context) for arg in args]
    return [Unknown(context.text, m.reason) if isinstance(m, Unknown) and not m.expression else m for m in members]


def _create_array_lazily(args: tuple[Node, ...], context: Context) -> Any:
    return _members(args, context)


def _create_object_lazily(args: tuple[Node, ...], context: Context) -> Any:
    members = _members(args, context)
    keys = members[0::2]
    unknown_key = next((k for k in keys if isinstance(k, Unknown)), None)
    if unknown_key is not None:
        return unknown_key  # an object with an unknown key has no known shape
    try:
        return _create_object(context, *members)
    except ValueError as exc:
        return _unknown(f"createObject() failed: {exc}")


_LAZY: dict[str, Callable[[tuple[Node, ...], Context], Any]] = {
    "createarray": _create_array_lazily,
    "createobject": _create_object_lazily,
    "if": _if,
    "and": _and,
    "or": _or,
    "coalesce": _coalesce,
    "lambda": _lambda,
    "lambdavariables": _lambda_variables,
}


# -- lambda functions -------------------------------------------------------------------------------


def _apply(function: Lambda, item: Any, index: int) -> Any:
    """Call with the item, and its index when the lambda takes two variables (ARM's optional index)."""
    if not isinstance(function, Lambda):
        raise ValueError("expected a lambda")
    return function(item, index) if len(function.names) > 1 else function(item)


def _known(value: Any) -> Any:
    if isinstance(value, Unknown):
        raise _UnknowableError(value.reason)
    return value


def _map(context: Context, items: list[Any], function: Lambda) -> list[Any]:
    return [_apply(function, item, i) for i, item in enumerate(items)]


def _filter(context: Context, items: list[Any], function: Lambda) -> list[Any]:
    return [item for i, item in enumerate(items) if _known(_apply(function, item, i))]


def _reduce(context: Context, items: list[Any], initial: Any, function: Lambda) -> Any:
    if not isinstance(function, Lambda):
        raise ValueError("expected a lambda")
    accumulated = initial
    for i, item in enumerate(items):
        accumulated = _known(function(accumulated, item, i) if len(function.names) > 2 else function(accumulated, item))
    return accumulated


def _sort(context: Context, items: list[Any], function: Lambda) -> list[Any]:
    def compare(left: Any, right: Any) -> int:
        if _known(function(left, right)):
            return -1
        return 1 if _known(function(right, left)) else 0

    return sorted(items, key=functools.cmp_to_key(compare))


def _to_object(context: Context, items: list[Any], key: Lambda, value: Lambda | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for item in items:
        name = _known(key(item))
        result[str(name)] = value(item) if value is not None else item
    return result


def _group_by(context: Context, items: list[Any], key: Lambda) -> dict[str, list[Any]]:
    result: dict[str, list[Any]] = {}
    for item in items:
        result.setdefault(str(_known(key(item))), []).append(item)
    return result


def _map_values(context: Context, value: dict[str, Any], function: Lambda) -> dict[str, Any]:
    return {k: function(v) for k, v in value.items()}


# -- strict functions -------------------------------------------------------------------------------


def _parameters(context: Context, name: str) -> Any:
    if not isinstance(name, str):
        raise TypeError("parameters() takes a parameter name")
    for key, value in context.parameters.items():
        if key.lower() == name.lower():
            return value
    raise _UnknowableError(f"the template declares no parameter {name!r}")


def _variables(context: Context, name: str) -> Any:
    if not isinstance(name, str):
        raise TypeError("variables() takes a variable name")
    return context.variables(name)


def _copy_index(context: Context, *args: Any) -> Any:
    loop: str = ""
    offset = 0
    for arg in args:
        if isinstance(arg, str):
            loop = arg
        elif isinstance(arg, int):
            offset = arg
    index = context.copy_index.get(loop.lower())
    if index is None:
        raise _UnknowableError(
            f"copyIndex({loop!r}) outside of that copy loop" if loop else "copyIndex() outside a copy loop"
        )
    if isinstance(index, Unknown):
        return index
    return index + offset


def _string(context: Context, value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return "" if value is None else str(value)


def _within_limit(name: str, size: int) -> None:
    """Checked before building a value whose size is known in advance, so that it is never built."""
    if size > MAX_VALUE_CHARS:
        raise EvaluationError(f"{name}() would build a value of {size:,} characters, past ARM's 4 MB template limit")


def _concat(context: Context, *args: Any) -> Any:
    if args and all(isinstance(a, list) for a in args):
        _within_limit("concat", sum(len(a) for a in args))
        return [item for a in args for item in a]
    parts = [_string(context, a) for a in args]
    _within_limit("concat", sum(len(p) for p in parts))
    return "".join(parts)


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([0-9]+)(?:[,:][^}]*)?\}")


def _format(context: Context, template: str, *args: Any) -> str:
    """.NET composite formatting: `{0}`, `{1:D2}` (the format spec is ignored), `{{` and `}}` escapes."""
    texts = [_string(context, a) for a in args]
    size = len(template) + sum(len(texts[int(m.group(1))]) for m in _PLACEHOLDER.finditer(template) if m.group(1))
    _within_limit("format", size)

    def substitute(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group()[0]
        return texts[int(match.group(1))]

    return _PLACEHOLDER.sub(substitute, template)


def _replace(context: Context, text: str, old: str, new: str) -> str:
    if old:
        _within_limit("replace", len(text) + text.count(old) * (len(new) - len(old)))
    return text.replace(old, new)


def _multiply(context: Context, left: int, right: int) -> int:
    _whole_numbers("mul", left, right)
    return left * right


def _key(item: Any) -> str:
    """A hashable stand-in for a JSON value, so that union() and intersection() stay linear."""
    return json.dumps(item, sort_keys=True, default=str)


def _split_resource_args(context: Context, args: tuple[Any, ...]) -> tuple[list[str], str, list[str]]:
    """(scope arguments, resource type, names) for the *ResourceId functions."""
    for index, arg in enumerate(args):
        if isinstance(arg, str) and "/" in arg and "." in arg.split("/", 1)[0]:
            # 'Microsoft.Network/virtualNetworks/' (trailing slash) is accepted by ARM and seen in real templates
            return [str(a) for a in args[:index]], arg.rstrip("/"), [str(a) for a in args[index + 1 :]]
    raise ValueError("no resource type argument")


def _type_path(resource_type: str, names: list[str]) -> str:
    """`Microsoft.Network/virtualNetworks/subnets` + [vnet, snet] -> the provider part of the id."""
    full = typed_id("s", "g", resource_type, _names(names, resource_type.count("/")))
    return full.split("/providers/", 1)[1]


def _names(names: list[str], count: int) -> list[str]:
    # names may be given as one 'parent/child' argument or as separate arguments
    flat = [part for name in names for part in name.split("/")]
    if len(flat) != count:
        raise ValueError(f"expected {count} name segment(s), got {len(flat)}")
    return flat


def _resource_id(context: Context, *args: Any) -> str:
    scope, resource_type, names = _split_resource_args(context, args)
    subscription, group = context.scope.subscription, context.scope.resource_group
    if len(scope) == 1:
        group = scope[0]
    elif len(scope) >= 2:
        subscription, group = scope[0], scope[1]
    return f"/subscriptions/{subscription}/resourceGroups/{group}/providers/{_type_path(resource_type, names)}"


def _subscription_resource_id(context: Context, *args: Any) -> str:
    scope, resource_type, names = _split_resource_args(context, args)
    subscription = scope[0] if scope else context.scope.subscription
    return f"/subscriptions/{subscription}/providers/{_type_path(resource_type, names)}"


def _tenant_resource_id(context: Context, *args: Any) -> str:
    _, resource_type, names = _split_resource_args(context, args)
    return f"/providers/{_type_path(resource_type, names)}"


def _extension_resource_id(context: Context, base: str, *args: Any) -> str:
    _, resource_type, names = _split_resource_args(context, args)
    return f"{base}/providers/{_type_path(resource_type, names)}"


def _subscription(context: Context) -> dict[str, Any]:
    return {
        "subscriptionId": context.scope.subscription,
        "id": f"/subscriptions/{context.scope.subscription}",
        "tenantId": Unknown("subscription().tenantId", "the tenant is not known before deployment"),
        "displayName": Unknown("subscription().displayName", "not known before deployment"),
    }


DEPLOYMENT_REGION = "the deployment's region is chosen at deployment time (give it with --location)"


def _deployment_location(context: Context, expression: str) -> str | Unknown:
    return context.scope.location or Unknown(expression, DEPLOYMENT_REGION)


def _resource_group(context: Context) -> dict[str, Any]:
    scope = context.scope
    return {
        "name": scope.resource_group,
        "id": f"/subscriptions/{scope.subscription}/resourceGroups/{scope.resource_group}",
        "location": _deployment_location(context, "resourceGroup().location"),
    }


def _deployment(context: Context) -> dict[str, Any]:
    return {"name": context.scope.deployment, "location": _deployment_location(context, "deployment().location")}


def _shallow_merge(context: Context, items: list[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for item in items:
        merged.update(item)
    return merged


def _index_of(context: Context, container: Any, item: Any) -> int:
    if isinstance(container, list):
        return container.index(item) if item in container else -1
    return str(container).lower().find(str(item).lower())


def _last_index_of(context: Context, container: Any, item: Any) -> int:
    if isinstance(container, list):
        return len(container) - 1 - container[::-1].index(item) if item in container else -1
    return str(container).lower().rfind(str(item).lower())


def _int(context: Context, value: Any) -> int:
    return int(value)


def _bool(context: Context, value: Any) -> bool:
    if isinstance(value, str):
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(f"{value!r} is not a boolean")
    return bool(value)


def _equals(context: Context, left: Any, right: Any) -> bool:
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    return bool(left == right)


def _length(context: Context, value: Any) -> int:
    return len(value)


def _empty(context: Context, value: Any) -> bool:
    return value is None or len(value) == 0


def _contains(context: Context, container: Any, item: Any) -> bool:
    if isinstance(container, dict):
        return any(k.lower() == str(item).lower() for k in container)
    if isinstance(container, str):
        return str(item).lower() in container.lower()
    return item in container


def _union(context: Context, *args: Any) -> Any:
    if all(isinstance(a, dict) for a in args):
        merged: dict[str, Any] = {}
        for a in args:
            merged.update(a)
        return merged
    seen: dict[str, Any] = {}
    for a in args:
        for item in a:
            seen.setdefault(_key(item), item)
    return list(seen.values())


def _intersection(context: Context, first: Any, *rest: Any) -> Any:
    if isinstance(first, dict):
        return {k: v for k, v in first.items() if all(k in r and r[k] == v for r in rest)}
    keys = [{_key(x) for x in r} for r in rest]
    return [x for x in first if all(_key(x) in k for k in keys)]


def _create_object(context: Context, *args: Any) -> dict[str, Any]:
    if len(args) % 2:
        raise ValueError("createObject() takes key/value pairs")
    return {str(args[i]): args[i + 1] for i in range(0, len(args), 2)}


def _parse_cidr(context: Context, network: str) -> dict[str, Any]:
    _cidr_text("parseCidr", network)
    net = ipaddress.ip_network(network, strict=False)
    info: dict[str, Any] = {
        "network": str(net.network_address),
        "netmask": str(net.netmask),
        "cidr": net.prefixlen,
    }
    if net.version == 4:
        info["broadcast"] = str(net.broadcast_address)
        info["firstUsable"] = str(net.network_address + 1)
        info["lastUsable"] = str(net.broadcast_address - 1)
    else:
        info["firstUsable"] = str(net.network_address)
        info["lastUsable"] = str(net.broadcast_address)
    return info


def _cidr_text(function: str, network: Any) -> None:
    """ARM takes a CIDR string; `ipaddress` would also take a number (or a boolean) as an address."""
    if not isinstance(network, str):
        raise TypeError(f"{function}() takes a CIDR string such as '10.0.0.0/16'")


def _whole_numbers(function: str, *values: Any) -> None:
    """ARM takes integers here; a boolean is not one (Python would read `true` as 1)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise TypeError(f"{function}() takes integers, and a boolean is not one")


def _cidr_subnet(context: Context, network: str, new_prefix: int, index: int) -> str:
    _cidr_text("cidrSubnet", network)
    _whole_numbers("cidrSubnet", new_prefix, index)
    net = ipaddress.ip_network(network, strict=False)
    if not net.prefixlen <= new_prefix <= net.max_prefixlen:
        raise ValueError(f"new prefix length {new_prefix} is not between /{net.prefixlen} and /{net.max_prefixlen}")
    size = 2 ** (net.max_prefixlen - int(new_prefix))
    start = int(net.network_address) + int(index) * size
    subnet = ipaddress.ip_network((start, int(new_prefix)))
    if not subnet.subnet_of(net):  # type: ignore[arg-type]
        raise ValueError(f"subnet {index} of /{new_prefix} lies outside {network}")
    return str(subnet)


def _cidr_host(context: Context, network: str, index: int) -> str:
    _cidr_text("cidrHost", network)
    _whole_numbers("cidrHost", index)
    net = ipaddress.ip_network(network, strict=False)
    return str(net.network_address + int(index) + 1)


def _substring(context: Context, text: str, start: int, length: int | None = None) -> str:
    return text[start:] if length is None else text[start : start + length]


def _pad_left(context: Context, value: Any, width: int, pad: str = " ") -> str:
    if not isinstance(width, int) or not isinstance(pad, str):
        raise TypeError("padLeft() takes a value, an integer width and a padding character")
    if width > MAX_VALUE_CHARS:
        raise EvaluationError(f"padLeft() to {width:,} characters is past ARM's 4 MB template limit")
    return _string(context, value).rjust(width, pad[:1] or " ")


def _range(context: Context, start: int, count: int) -> list[int]:
    if count > 10_000:
        raise ValueError("range() larger than 10000 elements")
    return list(range(start, start + count))


def _items(context: Context, value: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": k, "value": v} for k, v in sorted(value.items(), key=lambda kv: kv[0].lower())]


def _try_get(context: Context, value: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(value, dict) and isinstance(key, str):
            value = next((v for k, v in value.items() if k.lower() == key.lower()), None)
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return None
    return value


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "parameters": _parameters,
    "variables": _variables,
    "copyindex": _copy_index,
    "concat": _concat,
    "format": _format,
    "resourceid": _resource_id,
    "subscriptionresourceid": _subscription_resource_id,
    "tenantresourceid": _tenant_resource_id,
    "extensionresourceid": _extension_resource_id,
    "subscription": _subscription,
    "resourcegroup": _resource_group,
    "deployment": _deployment,
    "string": _string,
    "int": _int,
    "bool": _bool,
    "json": lambda c, text: json.loads(text),
    "tolower": lambda c, s: s.lower(),
    "toupper": lambda c, s: s.upper(),
    "trim": lambda c, s: s.strip(),
    "replace": _replace,
    "split": lambda c, s, sep: s.split(sep) if isinstance(sep, str) else re.split("|".join(map(re.escape, sep)), s),
    "substring": _substring,
    "startswith": lambda c, s, p: s.lower().startswith(p.lower()),
    "endswith": lambda c, s, p: s.lower().endswith(p.lower()),
    "indexof": _index_of,
    "lastindexof": _last_index_of,
    "padleft": _pad_left,
    "join": lambda c, items, sep: sep.join(_string(c, i) for i in items),
    "equals": _equals,
    "not": lambda c, v: not v,
    "greater": lambda c, a, b: a > b,
    "less": lambda c, a, b: a < b,
    "greaterorequals": lambda c, a, b: a >= b,
    "lessorequals": lambda c, a, b: a <= b,
    "add": lambda c, a, b: a + b,
    "sub": lambda c, a, b: a - b,
    "mul": _multiply,
    "div": lambda c, a, b: int(a / b),
    "mod": lambda c, a, b: a % b,
    "min": lambda c, *a: min(a[0] if len(a) == 1 and isinstance(a[0], list) else a),
    "max": lambda c, *a: max(a[0] if len(a) == 1 and isinstance(a[0], list) else a),
    "range": _range,
    "length": _length,
    "empty": _empty,
    "contains": _contains,
    "first": lambda c, v: v[0] if v else ("" if isinstance(v, str) else None),
    "last": lambda c, v: v[-1] if v else ("" if isinstance(v, str) else None),
    "take": lambda c, v, n: v[: int(n)],
    "skip": lambda c, v, n: v[int(n) :],
    "union": _union,
    "intersection": _intersection,
    "createarray": lambda c, *a: list(a),
    "array": lambda c, v: v if isinstance(v, list) else [v],
    "createobject": _create_object,
    "items": _items,
    "shallowmerge": _shallow_merge,
    "flatten": lambda c, v: [x for item in v for x in item],
    "map": _map,
    "filter": _filter,
    "reduce": _reduce,
    "sort": _sort,
    "toobject": _to_object,
    "groupby": _group_by,
    "mapvalues": _map_values,
    "objectkeys": lambda c, v: list(v),
    "tryget": _try_get,
    "true": lambda c: True,
    "false": lambda c: False,
    "null": lambda c: None,
    "parsecidr": _parse_cidr,
    "cidrsubnet": _cidr_subnet,
    "cidrhost": _cidr_host,
}

_NOT_EVALUATED = {
    "reference": "reference() reads a deployed resource's runtime state",
    "list": "list*() functions read runtime state",
    "listkeys": "listKeys() reads secrets at deployment",
    "uniquestring": "uniqueString() hashes deployment values anycast-lint does not reproduce",
    "guid": "guid() hashes deployment values anycast-lint does not reproduce",
    "newguid": "newGuid() is random",
    "utcnow": "utcNow() is the deployment time",
    "environment": "environment() depends on the target cloud",
    "tenant": "tenant() is not known before deployment",
    "managementgroup": "managementGroup() is not known before deployment",
    "pickzones": "pickZones() depends on the region's zones",
    "providers": "providers() reads the resource provider registry",
    "getsecret": "key vault secrets are not read",
}

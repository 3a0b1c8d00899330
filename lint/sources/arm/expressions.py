"""ARM template expressions: `[concat('vnet-', parameters('region'))]` and friends.

The evaluator of the functions network templates use: the parser is expression_syntax, the functions
of evaluated arguments are template_functions; here are those that evaluate their arguments themselves
(`if()`, `and()`, `lambda()`, ...), those that call lambdas, and the tables of all of them. Whatever
cannot be known before deployment (`reference()`, `uniqueString()`, `resourceGroup().location`, a
parameter without value) evaluates to `Unknown`, which carries the whole expression text and
the reason, and spreads through every function that receives it — never a guess.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from anycast_lint.model.values import Unknown
from anycast_lint.sources.arm.expression_context import Context, Scope, UnknowableError, unknowable
from anycast_lint.sources.arm.expression_syntax import (
    MAX_EXPRESSION_CHARS,
    MAX_INTEGER,
    MAX_VALUE_CHARS,
    Access,
    EvaluationError,
    ExpressionError,
    Literal,
    Node,
    is_expression,
    parse,
    unescape,
)
from anycast_lint.sources.arm.template_functions import FUNCTIONS, create_object

__all__ = ["Context", "EvaluationError", "Scope", "evaluate", "is_expression"]

# --- evaluation ----------------------------------------------------------------------------------


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
        return unknowable(reason)
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
    except UnknowableError as exc:
        return unknowable(exc.reason)
    except (TypeError, AttributeError) as exc:
        given = ", ".join(_kind(arg) for arg in args) or "no arguments"
        raise EvaluationError(f"{node.name}() cannot take {given} ({exc})") from None
    except OverflowError as exc:
        raise EvaluationError(f"{node.name}() overflows: {exc}") from None
    except (ValueError, IndexError, KeyError, ZeroDivisionError) as exc:
        return unknowable(f"{node.name}() failed: {exc}")
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
        return unknowable(f"no property {key!r}")
    if isinstance(target, list) and isinstance(key, int):
        return target[key] if -len(target) <= key < len(target) else unknowable(f"index {key} is out of range")
    return unknowable(f"cannot index {type(target).__name__} with {key!r}")


# -- lazy functions (arguments evaluated only as needed) --------------------------------------------


def _if(args: tuple[Node, ...], context: Context) -> Any:
    if len(args) != 3:
        return unknowable("if() takes three arguments")
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
        return unknowable("lambda() takes variable names and a body")
    return Lambda(tuple(str(a.value) for a in args[:-1] if isinstance(a, Literal)), args[-1], context)


def _lambda_variables(args: tuple[Node, ...], context: Context) -> Any:
    name = _eval(args[0], context) if len(args) == 1 else None
    if isinstance(name, str) and name.lower() in context.lambda_values:
        return context.lambda_values[name.lower()]
    return unknowable(f"lambdaVariables({name!r}) outside a lambda that declares it")


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
        return create_object(context, *members)
    except ValueError as exc:
        return unknowable(f"createObject() failed: {exc}")


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
        raise UnknowableError(value.reason)
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


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    **FUNCTIONS,
    "map": _map,
    "filter": _filter,
    "reduce": _reduce,
    "sort": _sort,
    "toobject": _to_object,
    "groupby": _group_by,
    "mapvalues": _map_values,
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

"""ARM template functions that take evaluated arguments: strings, numbers, arrays, objects, ids, CIDRs."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Callable
from typing import Any

from anycast_lint.model.ids import typed_id
from anycast_lint.model.values import Unknown
from anycast_lint.sources.arm.expression_context import Context, UnknowableError
from anycast_lint.sources.arm.expression_syntax import MAX_VALUE_CHARS, EvaluationError

# -- strict functions -------------------------------------------------------------------------------


def _parameters(context: Context, name: str) -> Any:
    if not isinstance(name, str):
        raise TypeError("parameters() takes a parameter name")
    for key, value in context.parameters.items():
        if key.lower() == name.lower():
            return value
    raise UnknowableError(f"the template declares no parameter {name!r}")


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
        raise UnknowableError(
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


def create_object(context: Context, *args: Any) -> dict[str, Any]:
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


# ARM template functions that need only their evaluated arguments, by lower-case name (the evaluator adds
# those that take lambdas or evaluate lazily).
FUNCTIONS: dict[str, Callable[..., Any]] = {
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
    "createobject": create_object,
    "items": _items,
    "shallowmerge": _shallow_merge,
    "flatten": lambda c, v: [x for item in v for x in item],
    "objectkeys": lambda c, v: list(v),
    "tryget": _try_get,
    "true": lambda c: True,
    "false": lambda c: False,
    "null": lambda c: None,
    "parsecidr": _parse_cidr,
    "cidrsubnet": _cidr_subnet,
    "cidrhost": _cidr_host,
}

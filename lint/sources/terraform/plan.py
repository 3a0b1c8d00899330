"""Terraform plan documents (`terraform show -json PLANFILE`): the planned resource instances.

A plan lists what will exist after apply in `planned_values` (root module and child modules, count and
for_each instances; resources being deleted are left out, no-op ones stay). What Terraform cannot know
before apply is absent there and marked in `resource_changes[].change.after_unknown`; values marked
sensitive (`sensitive_values`, `after_sensitive`) are present in clear text. This module reads the
instances with both kinds of value replaced by `Unknown` markers, so that nothing downstream can read
a sensitive value or mistake a missing one for a default; the sensitive and secret-named values are
registered for redaction. Formats 0.1 and 0.2 (Terraform 0.12-1.0) and 1.x share this shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.secrets import SECRET_PROPERTIES, SECRETS
from anycast_lint.model.values import Unknown

PLAN = "Terraform plan"
KNOWN_AFTER_APPLY = "known after apply"
SENSITIVE = "marked sensitive in the plan; anycast-lint does not read sensitive values"
_SECRET_KEYS = SECRET_PROPERTIES | {"sharedkeyvalue", "psk", "presharedkey"}


def claims(data: Any) -> bool:
    """A plan has `format_version` and planned values or changes; a bare version pair is a partial plan."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("format_version"), str)
        and ("planned_values" in data or "resource_changes" in data or "terraform_version" in data)
        and "values" not in data  # `terraform show -json` of a state, not a plan
    )


@dataclass
class Instance:
    """One planned resource instance: `module.spoke["dns-01"].azurerm_virtual_network.this`."""

    address: str
    module: str  # the module instance address, "" for the root module
    mode: str
    type: str
    name: str
    key: str | int | None  # count index or for_each key
    values: dict[str, Any]  # unknown and sensitive values replaced by Unknown markers
    origin: Origin  # the resource object in planned_values
    config: dict[str, Any] | None = None  # its block in `configuration` (expressions, for_each)
    module_key_path: tuple[tuple[str, str | int | None], ...] = ()
    source: Origin | None = None  # the `resource` block in a .tf file, when found

    def at(self, *path: str | int) -> Origin:
        """Where an attribute of the instance is written: in the .tf block when found, else in the plan."""
        if self.source is not None:
            return self.source.child(*path)
        return self.origin.child("values", *path)

    @property
    def where(self) -> Origin:
        return self.source or self.origin


@dataclass
class Plan:
    document: SourceDocument
    data: dict[str, Any]
    version: tuple[int, int]
    instances: list[Instance] = field(default_factory=list)
    modules: dict[str, dict[str, Any]] = field(default_factory=dict)  # config module path -> module config


def format_key(key: str | int | None) -> str:
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return '["' + key.replace("\\", "\\\\").replace('"', '\\"') + '"]'


_TOKEN = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*)|\[([0-9]{1,9})\]|\["((?:[^"\\]|\\.)*)"\]|\[\*\]')


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str | int, ...] | None:
    found = tokens_of(text)
    return tuple(found) if found is not None else None


def tokens(text: str) -> list[str | int] | None:
    """`module.a["k"].x[0]` -> ["module", "a", "k", "x", 0]; None when the text is not a traversal."""
    found = _tokens(text)
    return list(found) if found is not None else None


def tokens_of(text: str) -> list[str | int] | None:
    """The parse behind `tokens`, uncached (configurations repeat the same few references)."""
    found: list[str | int] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            return None
        name, index, key = match.groups()
        if name is not None:
            found.append(name)
        elif index is not None:
            found.append(int(index))
        elif key is not None:
            found.append(key.encode().decode("unicode_escape"))
        position = match.end()
    return found


_MODULE_STEP = re.compile(r'module\.([A-Za-z_][A-Za-z0-9_-]*)(?:\[([0-9]{1,9})\]|\["((?:[^"\\]|\\.)*)"\])?\.?')


def module_steps(address: str) -> tuple[tuple[str, str | int | None], ...]:
    """`module.a["k"].module.b` -> (("a", "k"), ("b", None))."""
    steps: list[tuple[str, str | int | None]] = []
    position = 0
    while position < len(address):
        match = _MODULE_STEP.match(address, position)
        if match is None:
            break
        name, index, key = match.groups()
        steps.append((name, int(index) if index is not None else key))
        position = match.end()
    return tuple(steps)


def module_address(steps: tuple[tuple[str, str | int | None], ...]) -> str:
    return ".".join(f"module.{name}{format_key(key)}" for name, key in steps)


# --- reading ---------------------------------------------------------------------------------------


def _error(document: SourceDocument, pointer: Pointer, message: str) -> InputError:
    return InputError.at(Origin(document.path, pointer, document), f"{PLAN}: {message}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number"
    )


_EXPECTED: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}


def _expect(document: SourceDocument, value: Any, kind: type, pointer: Pointer, what: str) -> None:
    if not isinstance(value, kind):
        raise _error(document, pointer, f"expected {what} to be {_EXPECTED[kind]}, got {_kind(value)}")


# ASCII digits, a few of them: `\d+` took `١.٠` and handed int() numbers of any length (5,000 digits are
# over Python's conversion limit: an internal error). Terraform writes "0.1" to "1.2" today.
_FORMAT_VERSION = re.compile(r"([0-9]{1,9})\.([0-9]{1,9})")


MODES = ("managed", "data")  # what Terraform writes in a plan's `mode`


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def read_plan(parsed: ParsedFile) -> Plan:
    """The plan's instances, with unknown and sensitive values masked; errors name file:line."""
    document, data = parsed.document, parsed.data
    version_text = data["format_version"]
    match = _FORMAT_VERSION.fullmatch(version_text)
    if match is None or int(match.group(1)) > 1:
        raise _error(
            document,
            ("format_version",),
            f"format_version {_cut(version_text)!r} is not supported "
            "(expected 0.1 to 1.x, from `terraform show -json`)",
        )
    plan = Plan(document, data, (int(match.group(1)), int(match.group(2))))
    if "planned_values" not in data:
        raise _error(
            document,
            (),
            "no planned_values (a partial or failed plan? expected the output of `terraform show -json PLANFILE`)",
        )
    planned = data["planned_values"]
    _expect(document, planned, dict, ("planned_values",), "planned_values")
    root = planned.get("root_module", {})
    _expect(document, root, dict, ("planned_values", "root_module"), "planned_values.root_module")
    changes = _changes(document, data.get("resource_changes", []))
    _register_secrets(document, data)
    _read_configuration(plan)
    _walk_modules(plan, root, ("planned_values", "root_module"), changes, data_only=False)
    prior = data.get("prior_state")
    prior_values = prior.get("values") if isinstance(prior, dict) else None
    prior_root = prior_values.get("root_module") if isinstance(prior_values, dict) else None
    if isinstance(prior_root, dict):  # Terraform 0.13+ keeps the data sources it read here
        _walk_modules(plan, prior_root, ("prior_state", "values", "root_module"), {}, data_only=True)
    return plan


def _walk_modules(
    plan: Plan, root: dict[str, Any], root_pointer: Pointer, changes: dict[str, dict[str, Any]], data_only: bool
) -> None:
    """Every resource of a module tree (child modules in order), as instances of the plan."""
    document = plan.document
    present = {i.address for i in plan.instances} if data_only else set()
    stack: list[tuple[dict[str, Any], Pointer, str]] = [(root, root_pointer, "")]
    while stack:
        module, pointer, module_path = stack.pop()
        resources = module.get("resources", [])
        _expect(document, resources, list, (*pointer, "resources"), "resources")
        for index, resource in enumerate(resources):
            if data_only:  # prior state: only the data sources, and only those not planned again
                if not isinstance(resource, dict) or resource.get("mode") != "data":
                    continue
                address = resource.get("address")
                if isinstance(address, str) and address in present:
                    continue
            plan.instances.append(_instance(plan, resource, (*pointer, "resources", index), module_path, changes))
        children = module.get("child_modules", [])
        _expect(document, children, list, (*pointer, "child_modules"), "child_modules")
        for index, child in reversed(list(enumerate(children))):
            child_pointer = (*pointer, "child_modules", index)
            _expect(document, child, dict, child_pointer, "a child module")
            child_address = child.get("address", "")
            _expect(document, child_address, str, (*child_pointer, "address"), "a module address")
            stack.append((child, child_pointer, child_address))


def _changes(document: SourceDocument, changes: Any) -> dict[str, dict[str, Any]]:
    """address -> its planned change (for after_unknown and after_sensitive)."""
    _expect(document, changes, list, ("resource_changes",), "resource_changes")
    found: dict[str, dict[str, Any]] = {}
    for index, entry in enumerate(changes):
        pointer: Pointer = ("resource_changes", index)
        _expect(document, entry, dict, pointer, "a resource change")
        address = entry.get("address")
        _expect(document, address, str, (*pointer, "address"), "address")
        change = entry.get("change", {})
        _expect(document, change, dict, (*pointer, "change"), "change")
        if entry.get("deposed"):
            continue  # a deposed object of a create-before-destroy replacement: on its way out
        found[address] = change
    return found


def _instance(
    plan: Plan,
    resource: Any,
    pointer: Pointer,
    module: str,
    changes: dict[str, dict[str, Any]],
) -> Instance:
    document = plan.document
    _expect(document, resource, dict, pointer, "a resource")
    for key in ("address", "type", "name"):
        _expect(document, resource.get(key), str, (*pointer, key), key)
    values = resource.get("values", {})
    if values is None:
        values = {}
    _expect(document, values, dict, (*pointer, "values"), "values")
    address: str = resource["address"]
    mode = resource.get("mode", "managed")
    if mode not in MODES:  # else the resource would be neither read nor counted: dropped without a word
        raise _error(
            document,
            (*pointer, "mode"),
            f"{address}: mode {_cut(str(mode))!r} is neither 'managed' nor 'data' "
            "(expected a plan from `terraform show -json`)",
        )
    local = ("data." if mode == "data" else "") + f"{resource['type']}.{resource['name']}"
    key = resource.get("index")
    if key is not None and not isinstance(key, (str, int)):
        raise _error(document, (*pointer, "index"), f"expected index to be a number or a string, got {_kind(key)}")
    change = changes.get(address, {})
    after_unknown = change.get("after_unknown")
    sensitive = [resource.get("sensitive_values"), change.get("after_sensitive")]
    masked = values
    for marks in sensitive:
        if marks:
            _register_marked(values, marks)
            masked = _overlay(masked, marks, lambda _path: Unknown("", SENSITIVE))
    if after_unknown:
        masked = _overlay(masked, after_unknown, lambda path: Unknown(_path_text(address, path), KNOWN_AFTER_APPLY))
    if not isinstance(masked, dict):  # Terraform marks attributes, never a whole object
        raise _error(
            document, pointer, f"{address} is marked unknown or sensitive as a whole; nothing of it can be read"
        )
    steps = module_steps(module)
    config_module = plan.modules.get(".".join(name for name, _ in steps), {})
    config = _resource_config(config_module, local)
    return Instance(
        address=address,
        module=module,
        mode=str(mode),
        type=resource["type"],
        name=resource["name"],
        key=key if isinstance(key, (str, int)) else None,
        values=masked,
        origin=Origin(document.path, pointer, document),
        config=config,
        module_key_path=steps,
    )


def _resource_config(module: dict[str, Any], local: str) -> dict[str, Any] | None:
    for item in module.get("resources", []) if isinstance(module.get("resources"), list) else []:
        if isinstance(item, dict) and item.get("address") == local:
            return item
    return None


def _read_configuration(plan: Plan) -> None:
    """Index the configuration's modules by call path (`spoke.nsg`), keys aside."""
    configuration = plan.data.get("configuration")
    if not isinstance(configuration, dict) or not isinstance(configuration.get("root_module"), dict):
        return
    stack: list[tuple[str, dict[str, Any]]] = [("", configuration["root_module"])]
    while stack:
        path, module = stack.pop()
        plan.modules[path] = module
        calls = module.get("module_calls")
        if isinstance(calls, dict):
            for name, call in calls.items():
                if isinstance(call, dict) and isinstance(call.get("module"), dict):
                    stack.append((f"{path}.{name}" if path else name, call["module"]))


def _path_text(address: str, path: tuple[str | int, ...]) -> str:
    text = address
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _overlay(value: Any, marks: Any, make: Any, path: tuple[str | int, ...] = ()) -> Any:
    """`value` with every place `marks` says True replaced by `make(path)`; unchanged parts are shared."""
    if marks is True:
        return make(path)
    if isinstance(marks, dict) and marks:
        result = value if isinstance(value, dict) else {}
        copied = False
        for key, mark in marks.items():
            if not mark:
                continue
            old = result.get(key)
            new = _overlay(old, mark, make, (*path, key))
            if new is not old:
                if not copied:
                    result, copied = dict(result), True
                result[key] = new
        return result if copied or isinstance(value, dict) else value
    if isinstance(marks, list) and marks:
        items = value if isinstance(value, list) else []
        copied_items = False
        for index, mark in enumerate(marks):
            if not mark:
                continue
            old = items[index] if index < len(items) else None
            new = _overlay(old, mark, make, (*path, index))
            if new is not old:
                if not copied_items:
                    items, copied_items = list(items), True
                while len(items) <= index:
                    items.append(None)
                items[index] = new
        return items if copied_items or isinstance(value, list) else value
    return value


def _register_marked(value: Any, marks: Any) -> None:
    """Register the values a sensitivity mark covers, so no message can print them. A whole block marked
    sensitive (a VM's `os_profile`) registers its secret-named values only: its names and flags would
    otherwise be blanked wherever they appear, and the masked block never reaches the model anyway."""
    if marks is True:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            for text in value:
                SECRETS.register(text)  # a sensitive list of values, like a sensitive value
        elif isinstance(value, (dict, list)):
            _register_secret_named(value)
        elif isinstance(value, str):
            SECRETS.register(value)
    elif isinstance(marks, dict) and isinstance(value, dict):
        for key, mark in marks.items():
            if mark:
                _register_marked(value.get(key), mark)
    elif isinstance(marks, list) and isinstance(value, list):
        for mark, item in zip(marks, value, strict=False):
            if mark:
                _register_marked(item, mark)


def _strings(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _register_secret_named(data: Any) -> None:
    """Register every value under a secret-named key (`shared_key`, `admin_password`), wherever it is;
    in configuration, only the constant written there (its references are names, not secrets)."""
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and key.replace("_", "").lower() in _SECRET_KEYS:
                    if isinstance(value, dict) and ("references" in value or "constant_value" in value):
                        value = value.get("constant_value")
                    for text in _strings(value):
                        SECRETS.register(text)
                elif isinstance(value, (dict, list)):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(v for v in item if isinstance(v, (dict, list)))


# Lower-case texts every secret-named key contains (`shared_key`, `adminPassword`, `vpn_psk`).
_SECRET_NEEDLES = ("password", "secret", "psk", "sharedkey", "shared_key", "authorizationkey", "authorization_key",
                   "servicekey", "service_key", "authkey", "auth_key", "pre_shared_key")  # fmt: skip


def _register_secrets(document: SourceDocument, data: dict[str, Any]) -> None:
    """Secret-named values anywhere in the plan (also in configuration, prior state and variables), and
    the values of sensitive variables, for redaction. The text is searched first (at C speed): a plan
    whose text holds no such key, the common case for network changes, is not walked."""
    text = getattr(document, "text", None)
    lowered = text.lower() if isinstance(text, str) else None
    if lowered is None or any(needle in lowered for needle in _SECRET_NEEDLES):
        _register_secret_named(data)
    variables = data.get("variables")
    configuration = data.get("configuration")
    root = configuration.get("root_module") if isinstance(configuration, dict) else None
    declared = root.get("variables") if isinstance(root, dict) else None
    if isinstance(variables, dict) and isinstance(declared, dict):
        for name, declaration in declared.items():
            if isinstance(declaration, dict) and declaration.get("sensitive") and isinstance(variables.get(name), dict):
                for text in _strings(variables[name].get("value")):
                    SECRETS.register(text)

"""ARM templates: `az group export`, hand-written, and Bicep-compiled (`languageVersion: "2.0"`).

Evaluates parameters (defaults, a parameters file given with --parameters, `nullable` parameters as
null), variables (including variable copy loops), resource and property copy loops, conditions, child
resources (`parent/child` names and nested `resources`), and nested `Microsoft.Resources/deployments`
with inline templates (inner and outer expression scope) whatever their name. Each resource becomes an
ARM record in a placeholder deployment scope and goes through the same translation as an export.
Values that cannot be evaluated stay `Unknown` and name their expression. A resource whose name is
unknown is still read, under a name made of its template path (`unknown(hub.virtualNetwork)`), and
the unknown is reported; what cannot be read at all (an unknown type, a linked template) is recorded as
unread, never dropped silently.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from anycast_lint.errors import InputError
from anycast_lint.inputs.assemble import TopologyBuilder
from anycast_lint.inputs.load_options import LoadOptions
from anycast_lint.inputs.reader import ParsedFile
from anycast_lint.model.coverage import declared_kinds, kinds_of_types
from anycast_lint.model.ids import typed_id
from anycast_lint.model.positions import Origin, Pointer, SourceDocument
from anycast_lint.model.secrets import SECRETS
from anycast_lint.model.topology import TemplateRead, UnreadResource
from anycast_lint.model.values import Unknown, describe, mapping, short
from anycast_lint.sources.arm.expressions import Context, EvaluationError, Scope, evaluate, is_expression
from anycast_lint.sources.arm.resources import ArmTranslator
from anycast_lint.sources.arm.shapes import CANONICAL_TYPES, EMBEDDED_CHILD_LISTS, ArmRecord, canonical_type

# ARM's own limits (https://learn.microsoft.com/azure/azure-resource-manager/templates/best-practices#template-limits):
# beyond them ARM refuses the template, so do we, before the work they bound is done.
MAX_COPY = 800  # iterations of one copy loop
MAX_PARAMETERS = 256
MAX_VARIABLES = 256
MAX_RESOURCES = 800
MAX_EXPANDED = 4 * 1024 * 1024  # "the 4-MB limit applies to the final state of the template after it's expanded"
DEPLOYMENTS = "microsoft.resources/deployments"
# Sources a user may expect to be read: found in folders to say they are not, never silently.
BICEP_SOURCES = (".bicep", ".bicepparam")
BICEP_NOT_READ = "Bicep source, not read: compile it with `az bicep build --file FILE` and scan the JSON it writes"


def is_template(data: Any) -> bool:
    if not isinstance(data, dict) or "resources" not in data:
        return False
    schema = str(data.get("$schema", "")).lower()
    return "deploymenttemplate" in schema or ("contentVersion" in data and isinstance(data["resources"], (list, dict)))


def is_parameters_file(data: Any) -> bool:
    return isinstance(data, dict) and "deploymentparameters" in str(data.get("$schema", "")).lower()


def claims(data: Any) -> bool:
    return is_template(data)


def load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions | None = None) -> None:
    with _deep_enough():
        _load(files, builder, options or LoadOptions())


@contextmanager
def _deep_enough() -> Iterator[None]:
    """A chain of 256 variables (ARM's limit) takes about 2,500 Python frames to evaluate; deeper still is
    reported as an input error (RecursionError is caught where evaluation starts)."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, 6_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _load(files: list[ParsedFile], builder: TopologyBuilder, options: LoadOptions) -> None:
    supplied: dict[str, tuple[Any, Origin]] = {}
    for parameters_file in options.template_parameters:
        supplied.update(_parameter_values(parameters_file))
    _check_declared(files, supplied)
    found: list[ArmRecord] = []
    for parsed, scope in zip(files, _scopes(files, options), strict=True):
        builder.add_document(parsed.document)
        read = TemplateRead(parsed.document.path)
        evaluator = _Template(parsed.data, (), parsed.document, scope, builder, read=read)
        evaluator.bind_parameters({name: value for name, (value, _) in supplied.items()}, explicit=True)
        records = evaluator.resources()
        read.read = sum(1 for r in records if r.type.lower() in CANONICAL_TYPES)
        builder.template_reads.append(read)
        found.extend(records)
    builder.cover(declared_kinds(kinds_of_types(r.type for r in found)))  # a template covers what it deploys
    ArmTranslator(builder).translate(found)


def _scopes(files: list[ParsedFile], options: LoadOptions) -> list[Scope]:
    """Independent templates scanned together land in separate placeholder resource groups, so that
    `vnet1` of two unrelated quickstarts are two VNets; --subscription/--resource-group set one real
    scope for all of them (templates of one design that refer to each other by resourceId())."""
    base = Scope(location=options.location)
    if options.subscription:
        base = replace(base, subscription=options.subscription)
    if options.resource_group or len(files) == 1:
        return [replace(base, resource_group=options.resource_group or base.resource_group)] * len(files)
    groups: list[Scope] = []
    taken: set[str] = set()
    for parsed in files:
        stem = "".join(c if c.isalnum() or c in "-_." else "-" for c in parsed.document.path.rsplit("/", 1)[-1])
        name = f"template-{stem.removesuffix('.json')}"
        while name.lower() in taken:
            name += "-"
        taken.add(name.lower())
        groups.append(replace(base, resource_group=name))
    return groups


def _check_declared(files: list[ParsedFile], supplied: dict[str, tuple[Any, Origin]]) -> None:
    """ARM refuses a parameters file naming a parameter the template does not declare."""
    declared = {
        name.lower()
        for parsed in files
        if isinstance(parsed.data, dict) and isinstance(parsed.data.get("parameters"), dict)
        for name in parsed.data["parameters"]
    }
    for name, (_, origin) in supplied.items():
        if name.lower() not in declared:
            which = "the template does not" if len(files) == 1 else "none of the scanned templates"
            raise InputError.at(
                origin, f"parameter {name!r} is not declared: {which} declare it (Azure refuses the deployment)"
            )


def _parameter_values(parsed: ParsedFile) -> dict[str, tuple[Any, Origin]]:
    """`{"parameters": {"name": {"value": ...}}}`; key vault references stay unknown."""
    data = parsed.data
    if not is_parameters_file(data) and not (isinstance(data, dict) and isinstance(data.get("parameters"), dict)):
        raise InputError(
            parsed.document.path,
            "not an ARM parameters file (expected a deploymentParameters.json document with a 'parameters' object)",
            1,
            1,
        )
    values: dict[str, tuple[Any, Origin]] = {}
    for name, entry in (data.get("parameters") or {}).items():
        origin = Origin(parsed.document.path, ("parameters", name), parsed.document)
        if isinstance(entry, dict) and "value" in entry:
            values[name] = (entry["value"], origin)
        elif isinstance(entry, dict) and "reference" in entry:
            values[name] = (Unknown(f"parameters('{name}')", "a key vault reference is not read"), origin)
        else:
            raise InputError.at(origin, f"parameter {name!r} needs a 'value' (or a key vault 'reference')")
    return values


@dataclass
class _Instance:
    """One resource to emit: its evaluated fields and where it is written."""

    pointer: Pointer
    type: str
    name: str
    data: dict[str, Any]


class _Template:
    """Evaluation of one template (the file's, or a nested deployment's inline template)."""

    def __init__(
        self,
        template: dict[str, Any],
        pointer: Pointer,
        document: SourceDocument,
        scope: Scope,
        builder: TopologyBuilder,
        outer: _Template | None = None,
        path: str = "",
        read: TemplateRead | None = None,
    ):
        self.template = template
        self.pointer = pointer
        self.document = document
        self.scope = scope
        self.builder = builder
        # A nested template with the default 'outer' expression scope sees its parent's parameters
        # and variables, not its own.
        self.outer = outer
        self.path = path  # symbolic names of the deployments on the way here: 'hubs[0].'
        self.read = read if read is not None else TemplateRead(document.path)
        self.parameters: dict[str, Any] = {}
        self._variables: dict[str, Any] = {}
        self._resolving: set[str] = set()
        # Units of evaluated output (characters and values), shared with nested templates: ARM's 4 MB
        # limit on the expanded template bounds copy loops inside copy loops.
        self.budget: list[int] = outer.budget if outer is not None else [MAX_EXPANDED]
        self._depth = 0
        self._check_shape()
        if outer is None:
            self.bind_parameters({}, explicit=False)

    def _check_shape(self) -> None:
        """The sections are of the types ARM requires and within its limits."""
        for section, limit in (("parameters", MAX_PARAMETERS), ("variables", MAX_VARIABLES)):
            value = self.template.get(section)
            if value is None:
                continue
            if not isinstance(value, dict):
                raise InputError.at(self.origin(section), f"expected an object, got {describe(value)}")
            if len(value) > limit:
                raise InputError.at(
                    self.origin(section), f"{len(value)} {section}; ARM allows at most {limit} in a template"
                )
        copies = (self.template.get("variables") or {}).get("copy")
        if copies is not None and not isinstance(copies, list):
            raise InputError.at(self.origin("variables", "copy"), f"expected an array, got {describe(copies)}")
        resources = self.template.get("resources")
        if isinstance(resources, (list, dict)) and len(resources) > MAX_RESOURCES:
            message = f"{len(resources)} resources; ARM allows at most {MAX_RESOURCES} in a template"
            raise InputError.at(self.origin("resources"), message)

    def origin(self, *pointer: str | int) -> Origin:
        return Origin(self.document.path, (*self.pointer, *pointer), self.document)

    # -- parameters and variables ---------------------------------------------------------------

    def bind_parameters(self, supplied: dict[str, Any], explicit: bool) -> None:
        declared = self.template.get("parameters") or {}
        self.parameters = {}
        defaults: dict[str, tuple[Any, Pointer]] = {}
        secure: list[str] = []
        for name, written in declared.items():
            if not isinstance(written, dict):
                raise InputError.at(self.origin("parameters", name), f"expected an object, got {describe(written)}")
            # property names are case-insensitive in ARM: Enterprise-Scale writes "defaultvalue" and "Type"
            keys = {key.lower(): key for key in written}
            spec = {lowered: written[key] for lowered, key in keys.items()}
            match = next((v for k, v in supplied.items() if k.lower() == name.lower()), _MISSING)
            if match is not _MISSING and not (match is None and "defaultvalue" in spec):
                value = match
            elif "defaultvalue" in spec:
                # Observed, not documented: a null passed to a parameter with a default deploys with the default
                # (AVM modules pass tryGet() results that are null to their child modules' defaulted parameters).
                defaults[name] = (spec["defaultvalue"], ("parameters", name, keys["defaultvalue"]))
                value = _MISSING  # evaluated below, once the parameters it names are bound
            elif self._nullable(spec):
                value = None  # Bicep's optional parameter (`string?`): null when not given
            else:
                how = (
                    "pass it with --parameters FILE" if explicit or self.outer is None else "the deployment passes none"
                )
                value = Unknown(f"[parameters('{name}')]", f"parameter {name!r} has no value and no default; {how}")
            if str(spec.get("type", "")).lower() in ("securestring", "secureobject"):
                secure.append(name)
            self.parameters[name] = value
        self._bind_defaults(defaults)
        for name in secure:
            value = self.parameters[name]
            SECRETS.register(value if isinstance(value, str) else None)

    def _bind_defaults(self, defaults: dict[str, tuple[Any, Pointer]]) -> None:
        """Evaluate default values, each after the defaults it names: ARM lets a default name a parameter
        declared after it (AVM's peering module declares `name`, defaulting to
        format('peer-{0}-{1}', parameters('localVnetName'), ...), before `localVnetName`)."""
        waiting = dict(defaults)
        while waiting:
            ready = [n for n, (written, _) in waiting.items() if not any(_names(written, o) for o in waiting if o != n)]
            if not ready:  # defaults that name each other in a circle: ARM refuses to deploy such a template
                circle = ", ".join(repr(n) for n in waiting)
                for name in waiting:
                    reason = f"the default values of parameters {circle} name each other"
                    self.parameters[name] = Unknown(f"[parameters('{name}')]", reason)
                return
            for name in ready:
                written, pointer = waiting.pop(name)
                self.parameters[name] = self.evaluate(written, pointer)

    def _nullable(self, spec: dict[str, Any]) -> bool:
        """`nullable: true` on the parameter or on the user-defined type it refers to (`$ref`); `spec` has
        lower-cased keys."""
        if spec.get("nullable") is True:
            return True
        reference = spec.get("$ref")
        definitions = self.template.get("definitions")
        if isinstance(reference, str) and reference.startswith("#/definitions/") and isinstance(definitions, dict):
            target = definitions.get(reference.removeprefix("#/definitions/"))
            return isinstance(target, dict) and target.get("nullable") is True
        return False

    def variable(self, name: str) -> Any:
        if self.outer is not None and not self.inner:
            return self.outer.variable(name)
        variables = self.template.get("variables") or {}
        key = next((k for k in variables if k.lower() == name.lower()), None)
        if key is None:
            copies = [
                c
                for c in variables.get("copy", [])
                if isinstance(c, dict) and str(c.get("name", "")).lower() == name.lower()
            ]
            if copies:
                return self._variable_copy(copies[0], variables["copy"].index(copies[0]))
            return Unknown(f"[variables('{name}')]", f"the template declares no variable {name!r}")
        if key in self._variables:
            return self._variables[key]
        if key in self._resolving:
            return Unknown(f"[variables('{name}')]", f"variable {name!r} refers to itself")
        self._resolving.add(key)
        value = self.evaluate(variables[key], ("variables", key))
        self._resolving.discard(key)
        self._variables[key] = value
        return value

    def _variable_copy(self, copy: dict[str, Any], index: int) -> Any:
        count = self._copy_count(copy, ("variables", "copy", index), None)
        if isinstance(count, Unknown):
            return count
        loop = str(copy.get("name", ""))
        return [
            self.evaluate(copy.get("input"), ("variables", "copy", index, "input"), {loop.lower(): i, "": i})
            for i in range(count)
        ]

    def _copy_count(
        self, copy: dict[str, Any], pointer: Pointer, index: dict[str, int | Unknown] | None
    ) -> int | Unknown:
        """A copy loop's count, as ARM checks it: present, a whole number, 0 to 800."""
        if "count" not in copy:
            raise InputError.at(self.origin(*pointer), "copy loop has no 'count'")
        count = self.evaluate(copy["count"], (*pointer, "count"), index)
        if isinstance(count, Unknown):
            return count
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COPY:
            raise InputError.at(
                self.origin(*pointer, "count"),
                f"copy count must be a whole number from 0 to {MAX_COPY} (ARM's limit), got {describe(count)}",
            )
        return count

    inner = False  # set on nested templates evaluated in their own ('inner') scope
    # Set on an inner-scope template that sits inside an outer-scope nested template: ARM evaluates the
    # whole outer-scope template in its parent's pass first, which turns `[[x]` into `[x]`, and this
    # template then evaluates `[x]` in its own scope. Enterprise-Scale writes its hub connections so.
    unescapes_first = False

    def context(self, copy_index: dict[str, int | Unknown] | None = None) -> Context:
        owner = self  # outer-scope templates, however deeply nested, see their nearest own-scope ancestor's
        while owner.outer is not None and not owner.inner:
            owner = owner.outer
        return Context(owner.parameters, self.variable, self.scope, copy_index or {})

    # -- deep evaluation ------------------------------------------------------------------------

    def evaluate(self, value: Any, pointer: Pointer, copy_index: dict[str, int | Unknown] | None = None) -> Any:
        """Evaluate every expression inside a value, expanding property `copy` loops; an expression ARM
        would refuse, or work past ARM's limits, is an input error at the value's location."""
        self._depth += 1
        try:
            return self._evaluate(value, pointer, copy_index)
        except RecursionError:
            if self._depth > 1:
                raise
            raise InputError.at(
                self.origin(*pointer),
                "evaluation nests too deeply (variables that refer to each other in a long chain, or a value "
                "nested hundreds of levels deep)",
            ) from None
        finally:
            self._depth -= 1

    def _spend(self, units: int, pointer: Pointer) -> None:
        self.budget[0] -= units
        if self.budget[0] < 0:
            raise InputError.at(
                self.origin(*pointer),
                "the template expands past ARM's 4 MB limit on the expanded template (copy loops, variables)",
            )

    def _evaluate(self, value: Any, pointer: Pointer, copy_index: dict[str, int | Unknown] | None) -> Any:
        if isinstance(value, str):
            if value.startswith("[[") and self.unescapes_first:
                value = value[1:]
            try:
                evaluated = (
                    evaluate(value, self.context(copy_index))
                    if is_expression(value) or value.startswith("[[")
                    else value
                )
            except EvaluationError as exc:
                raise InputError.at(self.origin(*pointer), f"cannot evaluate {short(value)}: {exc}") from None
            self._spend(len(evaluated) + 2 if isinstance(evaluated, str) else 8, pointer)
            return evaluated
        self._spend(8, pointer)
        if isinstance(value, list):
            return [self._evaluate(item, (*pointer, i), copy_index) for i, item in enumerate(value)]
        if isinstance(value, dict):
            result: dict[str, Any] = {}
            for key, item in value.items():
                if key == "copy" and pointer and pointer[-1] == "properties":
                    if not isinstance(item, list):
                        raise InputError.at(self.origin(*pointer, key), f"expected an array, got {describe(item)}")
                    for c_index, copy in enumerate(item):
                        result.update(self._property_copy(copy, (*pointer, "copy", c_index), copy_index))
                    continue
                result[key] = self._evaluate(item, (*pointer, key), copy_index)
            return result
        return value

    def _property_copy(
        self, copy: Any, pointer: Pointer, outer_index: dict[str, int | Unknown] | None
    ) -> dict[str, Any]:
        if not isinstance(copy, dict) or "name" not in copy:
            raise InputError.at(self.origin(*pointer), "a property copy needs 'name', 'count' and 'input'")
        count = self._copy_count(copy, pointer, outer_index)
        name = str(copy["name"])
        if isinstance(count, Unknown):  # the whole list is unknown, and says that its length is why
            return {name: Unknown(f"copy count {count.expression}", count.reason)}
        items = []
        for i in range(count):
            index = {**(outer_index or {}), name.lower(): i}
            items.append(self.evaluate(copy.get("input"), (*pointer, "input"), index))
        return {name: items}

    # -- resources ------------------------------------------------------------------------------

    def resources(self) -> list[ArmRecord]:
        raw = self.template.get("resources", [])
        entries: list[tuple[Pointer, str, Any]]
        if isinstance(raw, dict):  # languageVersion 2.0: keyed by symbolic name
            entries = [(("resources", name), name, value) for name, value in raw.items()]
        elif isinstance(raw, list):
            entries = [(("resources", i), f"resources[{i}]", value) for i, value in enumerate(raw)]
        else:
            raise InputError.at(self.origin("resources"), "template 'resources' must be an array or an object")
        found: list[ArmRecord] = []
        for pointer, symbol, entry in entries:
            found.extend(self._resource(entry, pointer, None, self.path + symbol))
        return found

    def _unread(self, origin: Origin, what: str, reason: str) -> None:
        """A part not read (AC001)."""
        _once(self.read.unread, UnreadResource(what, reason, origin))

    def _resource(
        self,
        entry: Any,
        pointer: Pointer,
        parent: _Instance | None,
        label: str,
        inherited: dict[str, int | Unknown] | None = None,
    ) -> list[ArmRecord]:
        origin = self.origin(*pointer)
        if not isinstance(entry, dict):
            raise InputError.at(origin, "expected a resource object")
        if entry.get("existing") is True:
            return []  # a reference to a resource declared elsewhere
        if "type" not in entry:
            raise InputError.at(origin, "template resource has no 'type'")
        copy = entry.get("copy")
        base = dict(inherited or {})  # children of a looped parent see the parent's copyIndex()
        indexes: list[tuple[str, dict[str, int | Unknown]]] = [(label, base)]
        if copy is not None and not isinstance(copy, dict):
            raise InputError.at(self.origin(*pointer, "copy"), f"expected an object, got {describe(copy)}")
        if isinstance(copy, dict):
            count = self._copy_count(copy, (*pointer, "copy"), base)
            loop = str(copy.get("name", "")).lower()
            if isinstance(count, Unknown):
                self._unknown_count(entry, origin.child("copy", "count"), count)
                indexes = [(f"{label}[?]", {**base, loop: count, "": count})]
            else:
                indexes = [(f"{label}[{i}]", {**base, loop: i, "": i}) for i in range(count)]
                if not indexes:
                    self._not_deployed(entry, origin.child("copy", "count"), f"its copy count {copy.get('count')} is 0")
        found: list[ArmRecord] = []
        for instance_label, index in indexes:
            found.extend(self._instance(entry, pointer, parent, index, instance_label))
        return found

    def _unknown_count(self, entry: dict[str, Any], origin: Origin, count: Unknown) -> None:
        """A loop whose count cannot be evaluated is read as one instance: the count is listed as unknown,
        and the instances beyond that one are a part not read (AC001), never a refusal of the file."""
        self._notice(entry, origin, f"copy count is unknown, read as one instance: {count.describe()}")
        if self._may_hold_network(entry):
            self._unread(
                origin,
                f"copies of {self._what(entry)} beyond the first",
                f"the copy count is unknown: {count.describe()}",
            )

    @staticmethod
    def _what(entry: dict[str, Any]) -> str:
        """How AC001 and --verbose name a part: 'nested deployment', or the resource type."""
        return "nested deployment" if str(entry.get("type")).lower() == DEPLOYMENTS else str(entry["type"])

    def _not_deployed(self, entry: dict[str, Any], origin: Origin, why: str) -> None:
        """Switched off by the values given (a false condition, a loop over nothing): said if nothing else is read."""
        if self._may_hold_network(entry):
            _once(
                self.read.not_deployed, UnreadResource(self._what(entry), f"{why} with these parameter values", origin)
            )

    @staticmethod
    def _may_hold_network(entry: dict[str, Any]) -> bool:
        """A resource a rule may read, or a deployment that may hold some."""
        kind = str(entry.get("type", "")).lower()
        return kind in CANONICAL_TYPES or kind == DEPLOYMENTS

    def _notice(self, entry: dict[str, Any], origin: Origin, message: str) -> None:
        """Say what could not be evaluated, for the resources a rule may read (and deployments holding them)."""
        if self._may_hold_network(entry):
            self.builder.notices.append((origin, message))

    def _instance(
        self,
        entry: dict[str, Any],
        pointer: Pointer,
        parent: _Instance | None,
        index: dict[str, int | Unknown],
        label: str,
    ) -> list[ArmRecord]:
        origin = self.origin(*pointer)
        if "condition" in entry:
            condition = self.evaluate(entry["condition"], (*pointer, "condition"), index)
            if condition is False:
                self._not_deployed(entry, origin.child("condition"), f"its condition {entry['condition']} is false")
                return []
            if isinstance(condition, Unknown):
                self._notice(
                    entry, origin.child("condition"), f"condition is unknown, read as deployed: {condition.describe()}"
                )
        resource_type = self.evaluate(entry["type"], (*pointer, "type"), index)
        if isinstance(resource_type, Unknown):
            self._unread(origin.child("type"), "resource", f"its type is unknown: {resource_type.describe()}")
            return []
        resource_type = str(resource_type)
        if parent is not None and "." not in resource_type.split("/", 1)[0]:
            # a child nested in its parent with a relative type ('subnets') and name ('snet-1')
            resource_type = f"{parent.type}/{resource_type}"
        if resource_type.lower() == DEPLOYMENTS:
            return self._deployment(entry, pointer, index, label)
        name = self.evaluate(entry.get("name", ""), (*pointer, "name"), index)
        if name is None or isinstance(name, (dict, list)):  # Azure would refuse it; read it all the same
            name = Unknown(str(entry.get("name")), f"the name evaluates to {describe(name)}, not a string")
        if isinstance(name, Unknown):
            name = self._unknown_name(entry, origin, resource_type, name, parent, label)
        else:
            name = str(name)
            if parent is not None and name.count("/") < resource_type.count("/") - parent.type.count("/") + 1:
                name = f"{parent.name}/{name}"
        data: dict[str, Any] = {"type": resource_type, "name": name.rsplit("/", 1)[-1]}
        for key in ("location", "tags", "sku", "zones", "properties"):
            if key in entry:
                data[key] = self.evaluate(entry[key], (*pointer, key), index)
        if isinstance(data.get("properties"), Unknown):
            # `"properties": "[if(...)]"` whose value cannot be known: say that none of it was read
            unknown: Unknown = data["properties"]
            message = f"{resource_type} '{name}': its properties are unknown, none read: {unknown.describe()}"
            self._notice(entry, origin.child("properties"), message)
            data["properties"] = {}
        elif isinstance(data.get("properties"), dict):
            data["properties"] = self._embedded_children(entry, origin, resource_type, name, data["properties"], label)
        data["id"] = resource_id = self._id(resource_type, name, entry, pointer, index, label)
        found = [ArmRecord(data, self.document, (*self.pointer, *pointer), canonical_type(resource_type), resource_id)]
        instance = _Instance(pointer, resource_type, name, data)
        children = entry.get("resources") or []
        if not isinstance(children, list):
            raise InputError.at(self.origin(*pointer, "resources"), f"expected an array, got {describe(children)}")
        for c_index, child in enumerate(children):
            child_label = f"{label}.resources[{c_index}]"
            found.extend(self._resource(child, (*pointer, "resources", c_index), instance, child_label, index))
        return found

    def _embedded_children(
        self,
        entry: dict[str, Any],
        origin: Origin,
        resource_type: str,
        name: str,
        properties: dict[str, Any],
        label: str,
    ) -> dict[str, Any]:
        """Child lists written inside their parent (a VNet's subnets, a route table's routes): a list or an
        item that cannot be evaluated is a part not read (AC001; the translation lists it as an unknown of
        the parent, never as an empty list), and a child whose name cannot be evaluated is read under a
        placeholder name, as a resource with an unknown name is. Returns the properties with those names,
        in new objects: the list may be a parameter's value, which other resources read too."""
        for key in EMBEDDED_CHILD_LISTS.get(canonical_type(resource_type), ()):
            children = properties.get(key)
            where = origin.child("properties", key)
            what = f"{key} of {resource_type} '{name.rsplit('/', 1)[-1]}'"
            if isinstance(children, Unknown):
                self._unread(where, what, f"the list cannot be evaluated: {children.describe()}")
            elif isinstance(children, list):
                named = [
                    self._child_named(
                        entry, where.child(index), f"{resource_type}/{key}", child, f"{label}.{key}[{index}]"
                    )
                    for index, child in enumerate(children)
                ]
                for index, child in enumerate(children):
                    if isinstance(child, Unknown):
                        self._unread(where.child(index), what, f"item {index} cannot be evaluated: {child.describe()}")
                if any(new is not old for new, old in zip(named, children, strict=True)):
                    properties = {**properties, key: named}
        return properties

    def _child_named(self, entry: dict[str, Any], origin: Origin, child_type: str, child: Any, label: str) -> Any:
        """An embedded child whose name is unknown is still a child: a copy of it named by its template
        path, with the unknown name reported (a child that has its own id, or a known name, is as it is)."""
        if (
            not isinstance(child, dict)
            or not isinstance(child.get("name"), Unknown)
            or isinstance(child.get("id"), str)
        ):
            return child
        unknown: Unknown = child["name"]
        segment = f"unknown({label})"
        self._notice(
            entry, origin.child("name"), f"{child_type} name is unknown, read as '{segment}': {unknown.describe()}"
        )
        return {**child, "name": segment}

    def _unknown_name(
        self,
        entry: dict[str, Any],
        origin: Origin,
        resource_type: str,
        name: Unknown,
        parent: _Instance | None,
        label: str,
    ) -> str:
        """A resource whose name is unknown is still a resource: it is read under a name made of its
        template path, so that two of them never merge, and the unknown is reported."""
        segment = f"unknown({label})"
        segments = 1 if parent is not None else resource_type.count("/")
        synthetic = "/".join(([parent.name] if parent is not None else []) + [segment] * segments)
        self._notice(
            entry, origin.child("name"), f"{resource_type} name is unknown, read as '{segment}': {name.describe()}"
        )
        return synthetic

    def _scope(self, entry: dict[str, Any], pointer: Pointer, index: dict[str, int | Unknown], label: str) -> Scope:
        """The scope of a resource or nested deployment: `subscriptionId`/`resourceGroup` when given; one
        that cannot be evaluated becomes a placeholder named by the template path, with a notice."""
        scope = self.scope
        for key, field in (("subscriptionId", "subscription"), ("resourceGroup", "resource_group")):
            if key in entry:
                value = self.evaluate(entry[key], (*pointer, key), index)
                if isinstance(value, Unknown):
                    placeholder = f"unknown({label}.{key})"
                    self._notice(
                        entry,
                        self.origin(*pointer, key),
                        f"{key} is unknown, read as '{placeholder}': {value.describe()}",
                    )
                    value = placeholder
                scope = replace(scope, **{field: str(value)})
        return scope

    def _id(
        self,
        resource_type: str,
        name: str,
        entry: dict[str, Any],
        pointer: Pointer,
        index: dict[str, int | Unknown],
        label: str,
    ) -> str:
        names = name.split("/")
        expected = resource_type.count("/")
        if len(names) != expected:
            raise InputError.at(
                self.origin(*pointer, "name"),
                f"name {name!r} has {len(names)} segment(s) but type {resource_type} needs {expected}",
            )
        scope = self._scope(entry, pointer, index, label)
        return typed_id(scope.subscription, scope.resource_group, resource_type, names)

    def _deployment(
        self, entry: dict[str, Any], pointer: Pointer, index: dict[str, int | Unknown], label: str
    ) -> list[ArmRecord]:
        """A nested deployment is evaluated whatever its name (AVM names them with uniqueString()):
        the name of a deployment does not change what it deploys."""
        origin = self.origin(*pointer)
        properties = mapping(entry.get("properties"))
        template = properties.get("template")
        if not isinstance(template, dict):
            link = properties.get("templateLink")
            what = "a linked template (templateLink) is not fetched" if link else "it has no inline template"
            self._unread(origin, "nested deployment", what)
            return []
        scope = self._scope(entry, pointer, index, label)
        name = self.evaluate(entry.get("name", ""), (*pointer, "name"), index)
        if isinstance(name, str):
            scope = replace(scope, deployment=name)
        options = mapping(properties.get("expressionEvaluationOptions"))
        inner = str(options.get("scope", "outer")).lower() == "inner"
        nested_pointer = (*self.pointer, *pointer, "properties", "template")
        nested = _Template(
            template, nested_pointer, self.document, scope, self.builder, outer=self, path=f"{label}.", read=self.read
        )
        nested.inner = inner
        nested.unescapes_first = inner and self.outer is not None and not self.inner
        if inner:
            passed = properties.get("parameters") or {}
            if not isinstance(passed, dict):
                where = self.origin(*pointer, "properties", "parameters")
                raise InputError.at(where, f"expected an object, got {describe(passed)}")
            supplied = {
                param: self._passed(param, value, (*pointer, "properties", "parameters", param), index)
                for param, value in passed.items()
            }
            nested.bind_parameters(supplied, explicit=False)
        return nested.resources()

    def _passed(self, name: str, entry: Any, pointer: Pointer, index: dict[str, int | Unknown]) -> Any:
        """A parameter a deployment passes: `{"value": ...}`, a loop `{"copy": [...]}` (as Bicep compiles a
        `for` in a module parameter), a key vault `{"reference": ...}`, or (as Bicep compiles optional module
        parameters) an expression that yields `{"value": ...}`, or `{}` to pass nothing (`_MISSING`)."""
        if isinstance(entry, dict) and "value" in entry:
            return self.evaluate(entry["value"], (*pointer, "value"), index)
        if isinstance(entry, dict) and "copy" in entry:
            return self._passed_copy(entry["copy"], pointer, index)
        if isinstance(entry, str):
            passed = self.evaluate(entry, pointer, index)
            if isinstance(passed, dict):
                return passed.get("value", _MISSING)  # {} passes nothing: the parameter's default applies
            if isinstance(passed, Unknown):
                return passed
            raise InputError.at(self.origin(*pointer), f"expected an object with a 'value', got {describe(passed)}")
        if isinstance(entry, dict) and "reference" in entry:
            return Unknown(f"[parameters('{name}')]", "a key vault reference is not read")
        raise InputError.at(
            self.origin(*pointer), "a parameter a deployment passes needs 'value', 'copy' or 'reference'"
        )

    def _passed_copy(self, copies: Any, pointer: Pointer, index: dict[str, int | Unknown]) -> Any:
        """A loop in a module parameter, as Bicep compiles `subnets: [for s in ...: {...}]`:
        `{"copy": [{"name": "value", "count": ..., "input": ...}]}`, a property copy loop yielding `value`."""
        if not isinstance(copies, list):
            raise InputError.at(self.origin(*pointer, "copy"), f"expected an array, got {describe(copies)}")
        result: dict[str, Any] = {}
        for c_index, copy in enumerate(copies):
            result.update(self._property_copy(copy, (*pointer, "copy", c_index), index))
        return result.get("value", _MISSING)


_MISSING = object()


def _once(parts: list[UnreadResource], part: UnreadResource) -> None:
    """A part once per place in the file: the instances of a loop (AVM's 15 delay deployments behind
    one false condition) share one cause, so they are one part, as AC001 gives one finding per place."""
    if not any(p.origin.pointer == part.origin.pointer for p in parts):
        parts.append(part)


def _names(written: Any, parameter: str) -> bool:
    """Whether a written value (a default, possibly an object of expressions) calls parameters('<parameter>')."""
    pattern = r"parameters\(\s*'" + re.escape(parameter) + r"'\s*\)"
    return re.search(pattern, json.dumps(written), re.IGNORECASE) is not None

"""ARM template expressions as text: the syntax tree, its recursive-descent parser, the errors, and ARM's
limits that bound how much work one expression may cause."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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

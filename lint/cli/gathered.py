"""Options handed to a command as one frozen dataclass instead of one parameter each: click passes every
option as a keyword argument, and a command reading twenty of them is hard to read and to call."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from anycast_lint.cli.output import F

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

D = TypeVar("D", bound="DataclassInstance")


def take_fields(cls: type[D], given: dict[str, Any]) -> D:
    """A `cls` from the keyword arguments named like its fields, which are taken out of `given`."""
    return cls(**{field.name: given.pop(field.name) for field in dataclasses.fields(cls)})


def gathered(keyword: str, take: Callable[[dict[str, Any]], object]) -> Callable[[F], F]:
    """Call the command with `keyword=take(options)`: `take` removes the options it gathers from the keyword
    arguments click passes, and the command receives the rest as they were."""

    def decorate(command: F) -> F:
        @wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            value = take(kwargs)
            return command(*args, **kwargs, **{keyword: value})

        return wrapper  # type: ignore[return-value]

    return decorate

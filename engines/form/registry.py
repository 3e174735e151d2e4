"""A small registry kernel (after Baserow's ``core/registry.py``).

A registry maps a unique ``type`` key to one instance of a type class. It knows nothing of
fields, databases or HTTP: the form engine has one for field types, and the same kernel serves
any other family of pluggable types.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class Typed(Protocol):
    type: str


T = TypeVar("T", bound=Typed)


class RegistryError(LookupError):
    """Base of the registry's errors."""


class UnknownType(RegistryError):
    def __init__(self, registry: str, key: object, known: list[str]) -> None:
        self.registry = registry
        self.key = key
        self.known = known
        super().__init__(f"unknown {registry} type {key!r} (known: {', '.join(known)})")


class AlreadyRegistered(RegistryError):
    def __init__(self, registry: str, key: str) -> None:
        self.registry = registry
        self.key = key
        super().__init__(f"{registry} type {key!r} is already registered")


class Registry(Generic[T]):
    """``register`` an instance, ``get`` it back by its ``type`` key, list ``types()``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = getattr(item, "type", None)
        if not isinstance(key, str) or not key:
            raise TypeError(f"{item!r} has no string `type` key")
        if key in self._items:
            raise AlreadyRegistered(self.name, key)
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        """Remove a type (for tests and plug-ins that replace a type)."""
        if key not in self._items:
            raise UnknownType(self.name, key, self.types())
        del self._items[key]

    def get(self, key: str) -> T:
        try:
            return self._items[key]
        except (KeyError, TypeError):
            raise UnknownType(self.name, key, self.types()) from None

    def has(self, key: object) -> bool:
        return isinstance(key, str) and key in self._items

    def types(self) -> list[str]:
        return sorted(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items[k] for k in self.types())

    def __len__(self) -> int:
        return len(self._items)

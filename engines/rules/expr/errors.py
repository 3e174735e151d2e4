"""Errors of the expression language.

`ExpressionError` is raised for a bad expression (unknown operator, limits, formula syntax);
never for bad data. `ExprError` is one finding of the static checker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PathItem = str | int


def format_path(path: Sequence[PathItem]) -> str:
    """`["if", 0, ">", 1]` -> `if[0].>[1]`; the empty path is the root, shown as `$`."""
    if not path:
        return "$"
    out = ""
    for item in path:
        out += f"[{item}]" if isinstance(item, int) else (f".{item}" if out else str(item))
    return out


class ExprPath(tuple):  # type: ignore[type-arg]
    """A path inside an expression: a tuple of operator names and argument indexes whose text
    is the readable form (`if[1].>[0]`), so `f"{error.path}"` reads well in messages."""

    def __str__(self) -> str:
        return format_path(self)


class ExpressionError(ValueError):
    """A bad expression or formula: `.path` inside the tree, or `.position` in formula text."""

    def __init__(
        self,
        message: str,
        *,
        path: Sequence[PathItem] = (),
        position: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = ExprPath(path)
        self.position = position
        self.hint = hint
        where = f"at {format_path(self.path)}" if position is None else f"at position {position}"
        text = f"{where}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


@dataclass(frozen=True)
class ExprError:
    """One static-check finding: where in the expression, and what is wrong."""

    path: tuple[PathItem, ...]
    message: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", ExprPath(self.path))

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}"

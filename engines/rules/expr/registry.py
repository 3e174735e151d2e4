"""The operator table: one registry, one entry per operator (json-logic-js's `operations`).

Each entry says how many arguments it takes, whether it is lazy (receives its argument nodes
unevaluated and decides what to evaluate, like `if`, `and`, `map`), what argument and result
types the static checker assumes, and the formula function name it is written as.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# Static types of the checker. "any" is compatible with everything.
NUMBER, TEXT, BOOLEAN, DATE, DATETIME, ARRAY, ROWS, ANY, NULL = (
    "number",
    "text",
    "boolean",
    "date",
    "datetime",
    "array",
    "rows",
    "any",
    "null",
)
DATEISH = (DATE, DATETIME, TEXT)


@dataclass(frozen=True)
class Operator:
    """One operator. Eager: `fn(args, ctx)`. Lazy: `fn(nodes, data, run, ctx)`."""

    name: str
    fn: Callable[..., Any]
    min_args: int = 0
    max_args: int | None = None
    lazy: bool = False
    params: tuple[tuple[str, ...], ...] = ()  # accepted types per position; the last repeats
    returns: str = ANY
    formula: str | None = None  # the formula function name; None for operators and `var`
    scoped: bool = False  # argument 1 is evaluated once per element of argument 0

    def accepts(self, position: int) -> tuple[str, ...]:
        if not self.params:
            return (ANY,)
        return self.params[min(position, len(self.params) - 1)]


class UnknownOperator(KeyError):
    pass


class OperatorRegistry:
    def __init__(self) -> None:
        self._ops: dict[str, Operator] = {}
        self._by_formula: dict[str, Operator] = {}

    def register(self, op: Operator) -> Operator:
        if op.name in self._ops:
            raise ValueError(f"operator {op.name!r} is already registered")
        self._ops[op.name] = op
        if op.formula:
            self._by_formula[op.formula.upper()] = op
        return op

    def get(self, name: str) -> Operator:
        try:
            return self._ops[name]
        except KeyError:
            raise UnknownOperator(name) from None

    def find(self, name: str) -> Operator | None:
        return self._ops.get(name)

    def by_formula_name(self, name: str) -> Operator | None:
        return self._by_formula.get(name.upper())

    def types(self) -> Iterator[str]:
        return iter(self._ops)

    def __contains__(self, name: object) -> bool:
        return name in self._ops


OPERATORS = OperatorRegistry()


def operator(
    name: str,
    *,
    args: tuple[int, int | None] = (0, None),
    lazy: bool = False,
    params: tuple[tuple[str, ...], ...] = (),
    returns: str = ANY,
    formula: str | None = None,
    scoped: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering `fn` as operator `name` in `OPERATORS`."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        OPERATORS.register(
            Operator(
                name=name,
                fn=fn,
                min_args=args[0],
                max_args=args[1],
                lazy=lazy,
                params=params,
                returns=returns,
                formula=formula,
                scoped=scoped,
            )
        )
        return fn

    return register

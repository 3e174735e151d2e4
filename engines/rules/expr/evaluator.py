"""Evaluation: the tree-walking interpreter and the closure compiler, sharing one operator table.

Both are pure and total: the expression is validated first (ExpressionError for a bad
expression), and after that no data can make them raise. Results are plain JSON values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from .dates import Clock, default_clock
from .operators import get_path
from .registry import OPERATORS
from .values import export, from_data
from .walk import split, validate

ClockLike = Clock | dt.datetime | None


class Context:
    """Per-evaluation state: the clock, and `run(node, data)` for lazy operators."""

    __slots__ = ("clock", "run")

    def __init__(self, clock: ClockLike, run: Callable[[Any, Any], Any]) -> None:
        if clock is None:
            clock = default_clock
        elif isinstance(clock, dt.datetime):
            fixed = clock
            clock = lambda: fixed  # noqa: E731
        self.clock: Clock = clock
        self.run = run


def evaluate(expr: Any, data: Any = None, *, clock: ClockLike = None) -> Any:
    """Evaluate `expr` against `data` (a record: dict of field key -> value).

    `clock` is a callable returning the current datetime (or a fixed datetime), read by
    `today` and `now`. Raises ExpressionError only for a malformed expression.
    """
    validate(expr)
    ctx = Context(clock, lambda node, scoped: _eval(node, scoped, ctx))
    return export(_eval(expr, data, ctx))


def evaluate_raw(expr: Any, data: Any = None, *, clock: ClockLike = None) -> Any:
    """`evaluate` without the JSON export: NaN and Infinity stay (for constant folding)."""
    validate(expr)
    ctx = Context(clock, lambda node, scoped: _eval(node, scoped, ctx))
    return _eval(expr, data, ctx)


def _eval(node: Any, data: Any, ctx: Context) -> Any:
    if isinstance(node, dict):
        name, args = split(node)
        op = OPERATORS.get(name)
        if op.lazy:
            return op.fn(args, data, ctx.run, ctx)
        return op.fn([_eval(arg, data, ctx) for arg in args], ctx)
    if isinstance(node, list):
        return [_eval(item, data, ctx) for item in node]
    return node


# --- the compiled form ----------------------------------------------------------------------

Compiled = Callable[[Any, Context], Any]


def compile_expr(expr: Any) -> Callable[..., Any]:
    """Compile `expr` once into nested closures; call the result as `fn(data, clock=None)`.

    Same operators and semantics as `evaluate`, without re-validating or re-dispatching on
    every call (see bench/expressions.py for the difference).
    """
    validate(expr)
    body = _compile(expr)

    def run(data: Any = None, *, clock: ClockLike = None) -> Any:
        ctx = Context(clock, lambda compiled, scoped: compiled(scoped, ctx))
        return export(body(data, ctx))

    return run


def _compile(node: Any) -> Compiled:
    if isinstance(node, dict):
        name, args = split(node)
        op = OPERATORS.get(name)
        if name == "var" and len(args) == 1 and isinstance(args[0], str):
            return _compile_var(args[0])
        parts = [_compile(arg) for arg in args]
        fn = op.fn
        if op.lazy:
            return lambda data, ctx: fn(parts, data, ctx.run, ctx)
        if len(parts) == 1:
            (a,) = parts
            return lambda data, ctx: fn([a(data, ctx)], ctx)
        if len(parts) == 2:
            a, b = parts
            return lambda data, ctx: fn([a(data, ctx), b(data, ctx)], ctx)
        return lambda data, ctx: fn([p(data, ctx) for p in parts], ctx)
    if isinstance(node, list):
        parts = [_compile(item) for item in node]
        return lambda data, ctx: [p(data, ctx) for p in parts]
    return lambda data, ctx: node


def _compile_var(key: str) -> Compiled:
    if key and "." not in key:

        def read(data: Any, ctx: Context) -> Any:
            if isinstance(data, dict):
                return from_data(data[key]) if key in data else None
            return get_path(data, key)

        return read
    return lambda data, ctx: get_path(data, key)

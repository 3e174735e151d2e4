"""Walking expression trees without recursion: structure and limits, and the fields read.

`structural_errors` is the one place that decides what a well-formed expression is; the
evaluator raises its first finding, the static checker reports them all. Walks use an explicit
stack, so a hostile tree a million levels deep is refused, never a RecursionError.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from .errors import ExpressionError, PathItem
from .registry import OPERATORS, Operator

MAX_DEPTH = 64
MAX_NODES = 5000
MAX_STRING = 100_000

Path = tuple[PathItem, ...]


def split(node: dict[str, Any]) -> tuple[str, list[Any]]:
    """`{"op": args}` -> ("op", [args...]); a single non-list argument is a list of one."""
    ((name, raw),) = node.items()
    return name, raw if isinstance(raw, list) else [raw]


def structural_errors(expr: Any) -> Iterator[tuple[Path, str]]:
    """Every structural problem as (path, message); stops descending at the limits."""
    stack: list[tuple[Any, Path, int]] = [(expr, (), 1)]
    count = 0
    while stack:
        node, path, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            yield path, f"expression too large (more than {MAX_NODES} nodes)"
            return
        if depth > MAX_DEPTH:
            yield path, f"expression nested too deeply (more than {MAX_DEPTH} levels)"
            return
        if isinstance(node, dict):
            if len(node) != 1:
                yield path, f"an operator node has exactly one key, this one has {len(node)}"
                continue
            name, args = split(node)
            if not isinstance(name, str) or name not in OPERATORS:
                yield path, f"unknown operator {name!r}"
                continue
            op = OPERATORS.get(name)
            message = arity_error(op, len(args))
            if message:
                yield path, message
            for index in range(len(args) - 1, -1, -1):
                stack.append((args[index], (*path, name, index), depth + 1))
        elif isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                stack.append((node[index], (*path, index), depth + 1))
        elif isinstance(node, str):
            if len(node) > MAX_STRING:
                yield path, f"text literal longer than {MAX_STRING} characters"
        elif isinstance(node, float):
            if math.isnan(node) or math.isinf(node):
                yield path, "NaN and Infinity are not JSON values"
        elif node is not None and not isinstance(node, bool | int):
            yield path, f"{type(node).__name__} is not a JSON value"


def arity_error(op: Operator, count: int) -> str | None:
    low, high = op.min_args, op.max_args
    if count < low or (high is not None and count > high):
        if high is None:
            expected = f"at least {low}"
        elif low == high:
            expected = str(low)
        else:
            expected = f"{low} to {high}"
        return f"{op.name!r} takes {expected} argument(s), got {count}"
    return None


def validate(expr: Any) -> None:
    """Raise ExpressionError for the first structural problem of `expr`."""
    for path, message in structural_errors(expr):
        raise ExpressionError(message, path=path)


# --- fields read ----------------------------------------------------------------------------


def fields_read(expr: Any) -> frozenset[str]:
    """The field paths an expression reads, for dependency tracking and permissions.

    Paths are as written in `var` (`amount`, `customer.level`). Inside `map`/`filter`/`all`/
    `some`/`none`/`reduce` over a field, element fields are prefixed with that field
    (`items.amount`; reduce's `current.x` likewise); aggregates with a column give
    `items.amount` too. A `var` whose name is computed is not listed (it cannot be known).
    The whole record (`{"var": ""}`) is listed as "".
    """
    validate(expr)
    found: set[str] = set()
    # (node, scope): scope is the prefix for vars, or None when the scope is not a field
    stack: list[tuple[Any, str | None, bool]] = [(expr, "", False)]
    while stack:
        node, scope, in_reduce = stack.pop()
        if isinstance(node, list):
            stack.extend((item, scope, in_reduce) for item in node)
            continue
        if not isinstance(node, dict):
            continue
        name, args = split(node)
        op = OPERATORS.get(name)
        if name == "var":
            _add_var(found, args, scope, in_reduce)
            stack.extend((a, scope, in_reduce) for a in args)
            continue
        if name in ("missing", "missing_some"):
            keys = args if name == "missing" else args[1:]
            for key in _literal_keys(keys):
                _add_var(found, [key], scope, in_reduce)
        if op.scoped:
            inner = _scope_of(args[0], scope, in_reduce)
            stack.append((args[0], scope, in_reduce))
            stack.append((args[1], inner, name == "reduce"))
            stack.extend((a, scope, in_reduce) for a in args[2:])
            continue
        if op.params and op.params[0] == ("rows", "array") and len(args) == 2:
            rows = _scope_of(args[0], scope, in_reduce)
            if rows is not None and isinstance(args[1], str):
                found.add(_join(rows, args[1]))
        stack.extend((a, scope, in_reduce) for a in args)
    return frozenset(found)


def _literal_keys(keys: list[Any]) -> list[Any]:
    if keys and isinstance(keys[0], list):
        keys = keys[0]
    return [k for k in keys if isinstance(k, str | int) and not isinstance(k, bool)]


def _var_name(args: list[Any]) -> str | None:
    key = args[0] if args else ""
    if key is None or key == [] or key == "":
        return ""
    if isinstance(key, str):
        return key
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    return None


def _strip_reduce(name: str, in_reduce: bool) -> str | None:
    """Inside reduce, `current.x` is the element's x; `accumulator` is not a field."""
    if not in_reduce:
        return name
    if name == "current" or name.startswith("current."):
        return name[len("current.") :] if "." in name else ""
    return None


def _add_var(found: set[str], args: list[Any], scope: str | None, in_reduce: bool) -> None:
    name = _var_name(args)
    if name is None or scope is None:
        return
    name = _strip_reduce(name, in_reduce)
    if name is None:
        return
    found.add(_join(scope, name))


def _scope_of(node: Any, scope: str | None, in_reduce: bool) -> str | None:
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        name = _var_name(split(node)[1])
        if name is None or scope is None:
            return None
        name = _strip_reduce(name, in_reduce)
        return None if name is None else _join(scope, name)
    return None


def _join(scope: str, name: str) -> str:
    if not scope:
        return name
    return scope if not name else f"{scope}.{name}"

"""The form engine's one door to the expression language (``engines.rules``).

``engines.rules`` is written alongside this engine; until its entry points exist, conditions
are treated as absent (visible, editable, not required) and formulas report that they cannot be
computed. Everything here is pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from types import ModuleType
from typing import Any

from engines.form.model import RecordContext


class ExpressionUnavailable(RuntimeError):
    pass


def _rules() -> ModuleType:
    try:
        import engines.rules as rules
    except ImportError as exc:  # pragma: no cover - the package exists in the repo
        raise ExpressionUnavailable(str(exc)) from None
    for name in ("evaluate", "parse_formula"):
        if not hasattr(rules, name):
            raise ExpressionUnavailable(f"engines.rules has no {name} yet")
    return rules


def available() -> bool:
    try:
        _rules()
    except ExpressionUnavailable:
        return False
    return True


def to_tree(expr: Any) -> Any:
    """A formula string becomes its tree; a tree stays as it is."""
    return _prepared(expr, _rules())[0]


def _key(expr: Any) -> tuple[str, bool]:
    if isinstance(expr, str):
        return expr, True
    return json.dumps(expr, sort_keys=True, default=str), False


def _prepared(expr: Any, rules: ModuleType) -> tuple[Any, Any]:
    return _prepare(*_key(expr), rules)


@lru_cache(maxsize=4096)
def _prepare(key: str, is_formula: bool, rules: ModuleType) -> tuple[Any, Any]:
    """Parse (formula text) and compile once per expression: a form's formulas and
    conditions run on every write, an import runs them per row."""
    tree = rules.parse_formula(key) if is_formula else json.loads(key)
    compile_expr = getattr(rules, "compile_expr", None)
    return tree, (compile_expr(tree) if compile_expr is not None else None)


def evaluate(expr: Any, data: Mapping[str, Any], ctx: RecordContext | None = None) -> Any:
    """Evaluate over a record's JSON view; ``TODAY()``/``NOW()`` read ``ctx``'s clock."""
    rules = _rules()
    tree, compiled = _prepared(expr, rules)
    clock = ctx.current_time() if ctx is not None else None
    if compiled is not None:
        return compiled(dict(data), clock=clock)
    if clock is None:
        return rules.evaluate(tree, dict(data))
    return rules.evaluate(tree, dict(data), clock=clock)


def check(expr: Any, fields: Mapping[str, Any]) -> list[str]:
    """Problems of an expression against the fields it may read, as text; [] when fine."""
    rules = _rules()
    checker = getattr(rules, "check", None)
    if checker is None:
        names = fields_read(expr)
        return [f"unknown field {n!r}" for n in sorted(names) if n not in fields
                and not n.startswith(("_", "$"))]
    return [getattr(e, "message", str(e)) for e in checker(to_tree(expr), scope_fields(fields))]


def scope_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Field definitions by key, with a sub-form's ``fields`` list keyed the same way (the
    shape ``engines.rules.check`` reads)."""
    out: dict[str, Any] = {}
    for key, spec in fields.items():
        if isinstance(spec, Mapping) and isinstance(spec.get("fields"), list):
            inner = {f["key"]: f for f in spec["fields"] if isinstance(f, Mapping) and "key" in f}
            spec = {**spec, "fields": scope_fields(inner)}
        out[key] = spec
    return out


def fields_read(expr: Any) -> set[str]:
    """Top-level field keys an expression reads (``items.amount`` reads ``items``)."""
    return set(_reads(*_key(expr), _rules()))


@lru_cache(maxsize=4096)
def _reads(key: str, is_formula: bool, rules: ModuleType) -> frozenset[str]:
    tree = _prepare(key, is_formula, rules)[0]
    reader = getattr(rules, "fields_read", None)
    names = reader(tree) if reader is not None else _vars(tree)
    return frozenset(str(n).split(".")[0] for n in names if n not in (None, ""))


def _vars(node: Any) -> set[str]:
    """Fallback walk: every ``{"var": name}`` in a tree."""
    found: set[str] = set()
    if isinstance(node, Mapping):
        for op, arg in node.items():
            if op == "var":
                name = arg[0] if isinstance(arg, list) and arg else arg
                if isinstance(name, str):
                    found.add(name)
            else:
                found |= _vars(arg)
    elif isinstance(node, list):
        for item in node:
            found |= _vars(item)
    return found


def truthy(value: Any) -> bool:
    rules = _rules()
    fn = getattr(rules, "truthy", None)
    if fn is not None:
        return bool(fn(value))
    return bool(value) and value != []

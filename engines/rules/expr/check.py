"""Static checking at definition time: structure, fields, types, literals.

`fields` maps a field key to its Tessera field type name (`"number"`, `"date"`, ...). A
sub-form gives its columns either nested, `{"items": {"type": "subform", "fields":
{"amount": "number"}}}`, or flat, `{"items": "subform", "items.amount": "number"}`.
System fields (`_id`, `_owner`, `_created_at`, ...) are always known.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import dates, safe_regex
from .errors import ExprError, PathItem
from .registry import (
    ANY,
    ARRAY,
    BOOLEAN,
    DATE,
    DATETIME,
    NULL,
    NUMBER,
    OPERATORS,
    ROWS,
    TEXT,
)
from .walk import split, structural_errors

# Tessera field type -> static type of its value in an expression.
FIELD_TYPES: dict[str, str] = {
    **dict.fromkeys(("number", "money", "percent", "rating"), NUMBER),
    **dict.fromkeys(
        ("text", "textarea", "richtext", "phone", "email", "url", "idcard", "select",
         "serial", "time", "member", "department"),
        TEXT,
    ),
    "checkbox": BOOLEAN,
    "date": DATE,
    "datetime": DATETIME,
    **dict.fromkeys(
        ("multiselect", "members", "departments", "attachment", "image"), ARRAY
    ),
    "subform": ROWS,
}  # fmt: skip
SYSTEM_FIELDS: dict[str, str] = {
    "_id": TEXT,
    "_owner": TEXT,
    "_department": TEXT,
    "_created_by": TEXT,
    "_created_at": DATETIME,
    "_updated_by": TEXT,
    "_updated_at": DATETIME,
    "_version": NUMBER,
    "_flow_status": TEXT,
}
_COMPARISONS = {"==", "!=", "===", "!==", "<", "<=", ">", ">="}
_NUMERIC_AGGREGATES = {"sum", "avg", "min_of", "max_of"}
_DATE_CLASS = {DATE, DATETIME}


@dataclass
class Scope:
    """The fields visible to `var` at one point: the record's, or a sub-form row's."""

    types: dict[str, str]
    columns: dict[str, Scope] = field(default_factory=dict)
    open: bool = False  # true when unknown (elements of a computed array): accept any name


def scope_of(fields: Mapping[str, Any]) -> Scope:
    scope = Scope(types=dict(SYSTEM_FIELDS))
    for key, spec in fields.items():
        if "." in key:
            continue
        type_name = spec.get("type") if isinstance(spec, Mapping) else spec
        scope.types[key] = FIELD_TYPES.get(str(type_name), ANY)
        if scope.types[key] == ROWS:
            nested = spec.get("fields", {}) if isinstance(spec, Mapping) else {}
            if isinstance(nested, list):  # a form definition's list of field definitions
                nested = {f["key"]: f for f in nested if isinstance(f, Mapping) and "key" in f}
            flat = {k.split(".", 1)[1]: v for k, v in fields.items() if k.startswith(key + ".")}
            sub = scope_of({**flat, **nested})
            sub.types.update({k: v for k, v in SYSTEM_FIELDS.items() if k not in sub.types})
            scope.columns[key] = sub
    return scope


def check(expr: Any, fields: Mapping[str, Any]) -> list[ExprError]:
    """All problems of `expr` against `fields`, each with its path; [] when it is fine."""
    errors = [ExprError(path, message) for path, message in structural_errors(expr)]
    if errors:
        return errors
    checker = _Checker(errors)
    checker.infer(expr, (), scope_of(fields), reduce=False)
    return errors


class _Checker:
    def __init__(self, errors: list[ExprError]) -> None:
        self.errors = errors

    def error(self, path: tuple[PathItem, ...], message: str) -> None:
        self.errors.append(ExprError(path, message))

    def infer(self, node: Any, path: tuple[PathItem, ...], scope: Scope, *, reduce: bool) -> str:
        if isinstance(node, dict):
            return self.operator(node, path, scope, reduce=reduce)
        if isinstance(node, list):
            for index, item in enumerate(node):
                self.infer(item, (*path, index), scope, reduce=reduce)
            return ARRAY
        return literal_type(node)

    def operator(self, node: dict[str, Any], path: tuple[PathItem, ...], scope: Scope,
                 *, reduce: bool) -> str:  # fmt: skip
        name, args = split(node)
        op = OPERATORS.get(name)
        if name == "var":
            return self.var(args, (*path, name, 0), scope, reduce=reduce)
        if name in ("missing", "missing_some"):
            keys = args if name == "missing" else args[1:]
            keys = keys[0] if keys and isinstance(keys[0], list) else keys
            for index, key in enumerate(keys):
                if isinstance(key, str):
                    self.lookup(key, (*path, name, index), scope, reduce=reduce)
        if op.scoped:
            return self.scoped(name, args, path, scope, reduce=reduce)
        types = [
            self.infer(arg, (*path, name, index), scope, reduce=reduce)
            for index, arg in enumerate(args)
        ]
        for index, (arg, type_) in enumerate(zip(args, types, strict=True)):
            self.argument(op.accepts(index), arg, type_, (*path, name, index))
        if name in _COMPARISONS:
            self.comparison(name, args, types, path)
        elif op.params and op.params[0] == (ROWS, ARRAY):
            self.aggregate(name, args, path, scope)
        self.literals(name, args, path)
        if name in ("if", "?:", "coalesce"):
            branches = types[1::2] + types[-1:] if name != "coalesce" else types
            return branches[0] if len(set(branches)) == 1 else ANY
        return op.returns

    def var(self, args: list[Any], path: tuple[PathItem, ...], scope: Scope,
            *, reduce: bool) -> str:  # fmt: skip
        for index, arg in enumerate(args):
            if isinstance(arg, dict | list):
                self.infer(arg, (*path[:-1], index), scope, reduce=reduce)
        key = args[0] if args else ""
        if not isinstance(key, str) or key == "":
            return ANY
        return self.lookup(key, path, scope, reduce=reduce)

    def lookup(self, key: str, path: tuple[PathItem, ...], scope: Scope, *, reduce: bool) -> str:
        head, _, rest = key.partition(".")
        if reduce:
            if head == "accumulator":
                return ANY
            if head != "current":
                self.error(path, f"inside reduce use 'current' or 'accumulator', not {key!r}")
                return ANY
            if not rest:
                return ANY
            head, _, rest = rest.partition(".")
        if scope.open:
            return ANY
        if head not in scope.types:
            self.error(path, f"unknown field {head!r}")
            return ANY
        type_ = scope.types[head]
        if not rest:
            return type_
        if type_ == ROWS and head in scope.columns:
            column = rest.split(".")[-1]
            if not rest.split(".")[0].isdigit():
                self.error(path, f"{key!r}: use an aggregate (SUM(items.x)) or map over rows")
                return ANY
            sub = scope.columns[head]
            if column not in sub.types:
                self.error(path, f"unknown column {column!r} of sub-form {head!r}")
                return ANY
            return sub.types[column]
        return ANY

    def scoped(self, name: str, args: list[Any], path: tuple[PathItem, ...], scope: Scope,
               *, reduce: bool) -> str:  # fmt: skip
        source = self.infer(args[0], (*path, name, 0), scope, reduce=reduce)
        if source not in (ROWS, ARRAY, ANY):
            self.error((*path, name, 0), f"{name!r} needs an array or sub-form, got {source}")
        inner = Scope(types={}, open=True)
        first = args[0]
        if isinstance(first, dict) and "var" in first and not reduce:
            key = split(first)[1][0] if split(first)[1] else ""
            if isinstance(key, str) and key in scope.columns:
                inner = scope.columns[key]
        self.infer(args[1], (*path, name, 1), inner, reduce=name == "reduce")
        for index in range(2, len(args)):
            self.infer(args[index], (*path, name, index), scope, reduce=reduce)
        return OPERATORS.get(name).returns

    def argument(self, accepted: tuple[str, ...], arg: Any, type_: str,
                 path: tuple[PathItem, ...]) -> None:  # fmt: skip
        if (_DATE_CLASS & set(accepted)) and isinstance(arg, str) and dates.parse(arg) is None:
            self.error(path, f"{arg!r} is not a date (YYYY-MM-DD or ISO datetime)")
            return
        if ANY in accepted or type_ in (ANY, NULL) or type_ in accepted:
            return
        if TEXT in accepted and type_ in _DATE_CLASS:
            return
        if accepted == (ROWS, ARRAY) and type_ in (ROWS, ARRAY):
            return
        if (_DATE_CLASS & set(accepted)) and type_ == TEXT:
            return
        if NUMBER in accepted and type_ == TEXT and not isinstance(arg, str):
            self.error(path, f"expects {' or '.join(accepted)}, got a text field")
            return
        if NUMBER in accepted and type_ == TEXT:
            return  # a numeric text literal is JavaScript-coerced; other text is checked below
        self.error(path, f"expects {' or '.join(accepted)}, got {type_}")

    def comparison(self, name: str, args: list[Any], types: list[str],
                   path: tuple[PathItem, ...]) -> None:  # fmt: skip
        known = [(a, t) for a, t in zip(args, types, strict=True) if t not in (ANY, NULL)]
        for (a, ta), (b, tb) in itertools.pairwise(known):
            if _comparable(a, ta, b, tb):
                continue
            self.error(path, f"{name!r} compares {ta} with {tb}")

    def aggregate(self, name: str, args: list[Any], path: tuple[PathItem, ...],
                  scope: Scope) -> None:  # fmt: skip
        if len(args) < 2 or not isinstance(args[1], str):
            return
        source = args[0]
        if not (isinstance(source, dict) and "var" in source):
            return
        key = split(source)[1][0] if split(source)[1] else ""
        sub = scope.columns.get(key) if isinstance(key, str) else None
        if sub is None:
            return
        column_type = sub.types.get(args[1])
        if column_type is None:
            self.error((*path, name, 1), f"unknown column {args[1]!r} of sub-form {key!r}")
        elif name in _NUMERIC_AGGREGATES and column_type not in (NUMBER, ANY):
            message = f"{name!r} needs a number column, {args[1]!r} is {column_type}"
            self.error((*path, name, 1), message)

    def literals(self, name: str, args: list[Any], path: tuple[PathItem, ...]) -> None:
        if name == "regex_match" and isinstance(args[1], str):
            try:
                safe_regex.canonical(args[1])
            except safe_regex.UnsafePattern as exc:
                self.error((*path, name, 1), f"regular expression not supported: {exc}")
        unit_at = {"date_add": 2, "date_diff": 2, "start_of": 1}.get(name)
        unit = args[unit_at] if unit_at is not None else None
        if unit_at is not None and isinstance(unit, str) and dates.unit_of(unit) is None:
            self.error((*path, name, unit_at), f"unknown date unit {args[unit_at]!r}")


def literal_type(value: Any) -> str:
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        return NUMBER
    if isinstance(value, str):
        return TEXT
    return ANY


def _comparable(a: Any, ta: str, b: Any, tb: str) -> bool:
    if ta == tb or {ta, tb} <= _DATE_CLASS:
        return True
    for literal, lt, other in ((a, ta, tb), (b, tb, ta)):
        if other in _DATE_CLASS and lt == TEXT and isinstance(literal, str):
            return dates.parse(literal) is not None
        if other == NUMBER and lt == TEXT and isinstance(literal, str):
            return False
    return False

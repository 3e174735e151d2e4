"""Compile the filterable subset of the language to a SQLAlchemy Core predicate.

`to_sql(expr, columns)` returns a boolean ColumnElement that is TRUE exactly for the rows on
which `evaluate(expr, row)` is truthy. Literals are bound parameters, never SQL text.

How the compiler closes the gaps between SQL and JsonLogic (docs/expressions.md lists them):
1. SQL has three-valued logic; JsonLogic has two. Where NULL would act as FALSE anyway (WHERE,
   AND, OR, CASE conditions) comparisons are left as they are; under NOT every predicate is
   made two-valued (`... AND col IS NOT NULL`, CASE), so negation selects exactly the rest.
   Polarity flips at each NOT; CASE conditions are always compiled positive.
2. JsonLogic compares null as 0 in `<`/`>` (`null < 5` is true) but `null == 0` is false, and
   NaN (from `+` on a null) compares false everywhere. Each numeric term carries what its SQL
   NULL stands for (JS null or NaN) and comparisons are built accordingly; the result for a null
   row against a literal is computed in Python by the evaluator's own comparison.
3. Division by zero is null on both sides (`CASE WHEN d = 0`).
4. Text order is JavaScript's code-unit order: relational text comparisons use COLLATE "C".
5. Mixed-type comparisons that JavaScript would coerce row by row (a text column against a
   number) are refused with ExpressionError rather than compiled approximately; literal
   coercions (`amount == "5"`) are folded in Python.
6. Date and datetime columns compare with canonical literals only (`YYYY-MM-DD`,
   `YYYY-MM-DDTHH:MM:SSZ`), where text order and calendar order agree.
7. Sub-expressions that read no field (`today()`, `date_add(today(), -7, "days")`) are
   evaluated in Python once, with the given clock, and bound as parameters.
8. "Does this multi-value field hold id X" (`{"in": ["<id>", {"var": key}]}` on an array of
   ids) may be answered by the caller's `membership` hook instead of the array: the platform
   stores a multiple relation in a link table and answers with an indexed EXISTS semi-join,
   at whatever depth the test sits (under `or`, `!`, `if`). The hook is asked only for a
   field the caller put in `columns` and only with a valid id (any other needle is false
   without asking), so it changes the plan, never the rows selected.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from . import dates, safe_regex
from .errors import ExpressionError, PathItem
from .evaluator import ClockLike, evaluate_raw
from .registry import OPERATORS
from .values import (
    compare,
    from_data,
    is_number,
    loose_equals,
    parse_float,
    strict_equals,
    string_to_number,
    to_number,
    to_string,
    truthy,
)
from .walk import split, validate

Path = tuple[PathItem, ...]
NUMBER, TEXT, BOOL, DATE, DATETIME, ARRAY = "number", "text", "bool", "date", "datetime", "array"
# Record, member and department ids (UUID columns). In data they are plain strings, so an id
# equals only the same id string; anything else is simply never equal (no error, as in JS).
ID = "id"
_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!=", "===": "===",
         "!==": "!=="}  # fmt: skip
_RELATIONAL = {"<", "<=", ">", ">="}


# (field key, id) -> a two-valued predicate (TRUE or FALSE, never NULL) that holds exactly when
# the field's array of ids contains the id, or None to let the compiler read the array itself.
Membership = Callable[[str, uuid.UUID], ColumnElement[bool] | None]


@dataclass(frozen=True)
class Term:
    """A compiled value. `null` says what SQL NULL stands for: "never", "null" (JS null) or
    "nan" (JS NaN). `column` is set when the term is a bare column (for index-friendly SQL)."""

    sql: Any
    kind: str
    null: str
    column: Any = None


@dataclass(frozen=True)
class Const:
    value: Any


def to_sql(
    expr: Any, columns: Mapping[str, Any], *, clock: ClockLike = None,
    membership: Membership | None = None,
) -> ColumnElement[bool]:
    """A SQL predicate that is TRUE exactly on the rows where `expr` is truthy.

    On other rows it is FALSE or NULL, which WHERE treats alike; wrapping the expression in
    `{"!": [...]}` gives exactly the complement.

    `columns` maps field keys to SQLAlchemy column expressions; their SQL types decide the
    kinds (Numeric/Integer/Float: number, String/Text/Enum: text, Boolean, Date, DateTime,
    ARRAY). ExpressionError (with the path) for anything outside the filterable subset.

    `membership`, when given, answers id-in-array tests on those columns (point 8 above).
    """
    validate(expr)
    return _Compiler(columns, clock, membership).predicate(expr, ())


def _kind_of(column: Any) -> str | None:
    type_ = column.type
    if isinstance(type_, sa.Boolean):
        return BOOL
    if isinstance(type_, sa.DateTime):
        return DATETIME
    if isinstance(type_, sa.Date):
        return DATE
    if isinstance(type_, sa.ARRAY):
        return ARRAY
    if isinstance(type_, sa.Uuid):
        return ID
    if isinstance(type_, sa.Integer | sa.Numeric | sa.Float):
        return NUMBER
    if isinstance(type_, sa.String | sa.Enum):
        return TEXT
    return None


def _reads_data(node: Any) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            name, args = split(current)
            if name in ("var", "missing", "missing_some") or OPERATORS.get(name).scoped:
                return True
            stack.extend(args)
        elif isinstance(current, list):
            stack.extend(current)
    return False


def _true() -> ColumnElement[bool]:
    return sa.true()


def _false() -> ColumnElement[bool]:
    return sa.false()


def _const_bool(value: bool) -> ColumnElement[bool]:
    return _true() if value else _false()


class _Compiler:
    def __init__(self, columns: Mapping[str, Any], clock: ClockLike,
                 membership: Membership | None = None) -> None:
        self.columns = columns
        self.clock = clock
        self.membership = membership
        # Under an odd number of NOTs a NULL would turn into TRUE, so every predicate must be
        # two-valued there; elsewhere NULL already acts as FALSE in WHERE, AND, OR and CASE
        # conditions, and the `IS NOT NULL` guards of on-null-false comparisons are dropped.
        self.negated = False

    def fail(self, path: Path, message: str) -> ExpressionError:
        return ExpressionError(f"not filterable in SQL: {message}", path=path)

    # --- predicates (truthiness) ----------------------------------------------------------

    def predicate(self, node: Any, path: Path) -> ColumnElement[bool]:
        if not _reads_data(node):
            return _const_bool(truthy(evaluate_raw(node, {}, clock=self.clock)))
        if isinstance(node, list):
            return _true() if node else _false()  # a non-empty literal array is truthy
        name, args = split(node)
        sub = [(*path, name, i) for i in range(len(args))]
        if name in _COMPARISON_OPS:
            return self.p_compare(name, args, sub, path)
        handler = getattr(self, "p_" + _method_name(name), None)
        if handler is not None:
            return handler(args, sub, path)
        return self.truthy(self.term(node, path), path)

    def p_and(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return sa.and_(*(self.predicate(a, p) for a, p in zip(args, sub, strict=True)))

    def p_or(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return sa.or_(*(self.predicate(a, p) for a, p in zip(args, sub, strict=True)))

    def p_not(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        self.negated = not self.negated
        try:
            return sa.not_(self.predicate(args[0], sub[0]))
        finally:
            self.negated = not self.negated

    def p_notnot(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return self.predicate(args[0], sub[0])

    def p_if(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        whens = [
            (self.condition(args[i], sub[i]), self.predicate(args[i + 1], sub[i + 1]))
            for i in range(0, len(args) - 1, 2)
        ]
        otherwise = self.predicate(args[-1], sub[-1]) if len(args) % 2 else _false()
        if not whens:
            return otherwise
        return sa.case(*whens, else_=otherwise)

    p_ternary = p_if

    def condition(self, node: Any, path: Path) -> ColumnElement[bool]:
        """A CASE condition: CASE takes NULL as false, so it must be TRUE whenever the
        condition is truthy, whatever the polarity around the CASE."""
        negated, self.negated = self.negated, False
        try:
            return self.predicate(node, path)
        finally:
            self.negated = negated

    def p_compare(self, name: str, args: list[Any], sub: list[Path], path: Path):
        if len(args) == 3:
            return sa.and_(
                self.p_compare(name, args[:2], sub[:2], path),
                self.p_compare(name, args[1:], sub[1:], path),
            )
        left, right = (self.operand(a, p) for a, p in zip(args, sub, strict=True))
        if isinstance(left, Const) and isinstance(right, Const):  # one half of a 3-way compare
            return _const_bool(_js_compare(name, left.value, right.value))
        if isinstance(left, Const):
            left, right, name = right, left, _FLIP[name]
        assert isinstance(left, Term)
        if isinstance(right, Const):
            return self.compare_const(name, left, right.value, path)
        return self.compare_terms(name, left, right, path)

    def p_in(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        needle, haystack = (self.operand(a, p) for a, p in zip(args, sub, strict=True))
        if isinstance(needle, Term) and isinstance(haystack, Const):
            if isinstance(haystack.value, list):
                return self.in_list(needle, haystack.value, path)
            if haystack.value == "":
                return _false()  # json-logic-js: an empty haystack holds nothing
            if isinstance(haystack.value, str):
                if needle.kind != TEXT:  # JavaScript would look for String(value)
                    raise self.fail(path, f"'in' looks for a {needle.kind} inside text")
                found = sa.func.strpos(sa.literal(haystack.value), needle.sql) > 0
                return self.two_valued(found, needle, compare_in(None, haystack.value))
            return _false()
        if isinstance(needle, Const) and isinstance(haystack, Term):
            value = needle.value
            if haystack.kind == TEXT:
                text = "null" if value is None else _js_text(value)
                found = haystack.sql != "" if text == "" else sa.func.strpos(haystack.sql, text) > 0
                return self.two_valued(found, haystack, False)
            if haystack.kind == ARRAY:
                if not isinstance(value, str):
                    return _false()
                element = getattr(haystack.sql.type, "item_type", None)
                if isinstance(element, sa.Uuid):  # members, departments, files, links
                    parsed = _uuid_literal(value)
                    if parsed is None:
                        return _false()
                    found = self.member_of(args[1], parsed)
                    if found is not None:
                        return found
                    return sa.func.coalesce(sa.literal(parsed, sa.Uuid()) == sa.any_(
                        haystack.sql), False)
                return sa.func.coalesce(sa.literal(value) == sa.any_(haystack.sql), False)
            if haystack.kind in (DATE, DATETIME):  # a date is text in JavaScript
                raise self.fail(path, "'in' inside a date")
            return _false()  # numbers and booleans have no indexOf
        raise self.fail(path, "'in' needs a field and a literal")

    def member_of(self, haystack: Any, value: uuid.UUID) -> ColumnElement[bool] | None:
        """The membership hook's predicate for a bare `{"var": key}` haystack, if it has one.
        Two-valued like the array form it replaces, so NOT of it is exactly the rest."""
        if self.membership is None or not isinstance(haystack, dict):
            return None
        name, args = split(haystack)
        if name != "var" or len(args) != 1 or not isinstance(args[0], str):
            return None
        return self.membership(args[0], value)

    def in_list(self, needle: Term, values: list[Any], path: Path) -> ColumnElement[bool]:
        """`needle` strictly equal to one of the literals: `col IN (...)` (+ `IS NULL`)."""
        literals = []
        for value in values:
            if value is None:
                continue
            literal = self.coerce_literal("===", needle, value, path)
            if literal is not _ALWAYS_FALSE and literal is not _ALWAYS_TRUE:
                literals.append(_bind(needle, literal))
        found = needle.sql.in_(literals) if literals else _false()
        if None in values and needle.null == "null":
            return sa.or_(found, needle.sql.is_(None))
        return self.two_valued(found, needle, False)

    def p_missing(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        keys = args[0] if args and isinstance(args[0], list) else args
        return sa.or_(_false(), *(self.is_missing(k, path) for k in keys))

    def p_missing_some(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        need, keys = args[0], args[1] if isinstance(args[1], list) else [args[1]]
        if not is_number(need) or isinstance(need, bool):
            raise self.fail(sub[0], "missing_some needs a literal count")
        missing = [self.is_missing(k, path) for k in keys]
        if not missing:
            return _false()
        present = sum(sa.case((m, 0), else_=1) for m in missing)
        return sa.and_(present < need, sa.or_(*missing))

    def is_missing(self, key: Any, path: Path) -> ColumnElement[bool]:
        if not isinstance(key, str) or key not in self.columns:
            raise self.fail(path, f"missing: unknown column {key!r}")
        term = self.column(key, path)
        if term.kind == TEXT:
            return sa.or_(term.sql.is_(None), term.sql == "")
        return term.sql.is_(None)

    def p_is_empty(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        term = self.term(args[0], sub[0])
        if term.kind == ARRAY:
            return sa.func.coalesce(sa.func.cardinality(term.sql), 0) == 0
        checks = [term.sql.is_(None)] if term.null == "null" else []
        if term.kind == TEXT:
            checks.append(term.sql == "")
        return sa.or_(_false(), *checks)

    def _text_test(self, args: list[Any], sub: list[Path], path: Path, build):
        text = self.text_term(args[0], sub[0])
        needle = self.operand(args[1], sub[1])
        if not isinstance(needle, Const):
            raise self.fail(sub[1], "the text to look for must be a literal")
        value = "" if needle.value is None else _js_text(needle.value)
        return build(text, value)

    def p_contains(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return self._text_test(args, sub, path, lambda t, v: sa.func.strpos(t, v) > 0)

    def p_starts_with(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return self._text_test(args, sub, path, lambda t, v: sa.func.starts_with(t, v))

    def p_ends_with(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        return self._text_test(args, sub, path, lambda t, v: sa.func.right(t, len(v)) == v)

    def p_regex_match(self, args: list[Any], sub: list[Path], path: Path) -> ColumnElement[bool]:
        def build(text: Any, pattern: str) -> ColumnElement[bool]:
            try:
                canonical = safe_regex.canonical(pattern)
            except safe_regex.UnsafePattern:
                return _false()  # null on every row
            return text.regexp_match(canonical)  # Postgres `~`

        return self._text_test(args, sub, path, build)

    # --- comparisons ----------------------------------------------------------------------

    def compare_const(self, op: str, term: Term, value: Any, path: Path) -> ColumnElement[bool]:
        """`term op literal` with JsonLogic's result for the rows where `term` is NULL."""
        on_null = _js_compare(op, None if term.null == "null" else math.nan, value)
        if term.null == "never":
            on_null = False
        op, value = _date_against_datetime(op, term.kind, value)
        literal = self.coerce_literal(op, term, value, path)
        if literal is _ALWAYS_FALSE or literal is _ALWAYS_TRUE:
            result = literal is _ALWAYS_TRUE
            return self.two_valued(_const_bool(result), term, on_null)
        if literal is None:  # == null / != null
            is_null = term.sql.is_(None) if term.null == "null" else _false()
            if op in ("==", "==="):
                return is_null
            if op in ("!=", "!=="):
                return sa.not_(is_null)
            if term.kind == NUMBER:
                literal = 0
            elif term.kind in (DATE, DATETIME):  # a date text is NaN as a number: false
                return self.two_valued(_false(), term, on_null)
            else:
                raise self.fail(path, f"'{op}' with null on a {term.kind} value")
        sql = _sql_compare(op, _ordered(term, op), _bind(term, literal))
        return self.two_valued(sql, term, on_null)

    def coerce_literal(self, op: str, term: Term, value: Any, path: Path) -> Any:
        """The literal as the column's kind, or _ALWAYS_TRUE/_ALWAYS_FALSE when JavaScript's
        answer does not depend on the (non-null) row value."""
        strict = op in ("===", "!==")
        negated = op in ("!=", "!==")
        if value is None:
            return None
        if value is _NEVER_EQUAL:
            return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
        kind = term.kind
        if strict and not _same_js_type(kind, value):
            return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
        if is_number(value) and math.isnan(value):  # NaN: never equal, never ordered
            return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
        if kind == NUMBER:
            if is_number(value):
                return value
            if strict:
                return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
            if isinstance(value, str | bool):
                number = float(value) if isinstance(value, bool) else string_to_number(value)
                if math.isnan(number):
                    return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
                return number
            raise self.fail(path, f"cannot compare a number column with {value!r}")
        if kind == TEXT:
            if isinstance(value, str):
                return value
            raise self.fail(path, "compare a text column with text literals only")
        if kind == ID and op in ("==", "!=", "===", "!=="):
            parsed = _uuid_literal(value)
            if parsed is None:  # not an id: equal to no row
                return _ALWAYS_TRUE if negated else _ALWAYS_FALSE
            return parsed
        if kind in (DATE, DATETIME):
            valid = dates.is_date_literal if kind == DATE else _canonical_datetime
            if isinstance(value, str) and valid(value):
                return dates.parse(value)
            raise self.fail(path, f"compare a {kind} column with a canonical {kind} literal")
        if kind == BOOL and op in ("==", "!=", "===", "!==") and isinstance(value, bool):
            return value
        raise self.fail(path, f"cannot compare a {kind} column with {value!r}")

    def compare_terms(self, op: str, a: Term, b: Term, path: Path) -> ColumnElement[bool]:
        if a.kind == b.kind == ID and op not in ("==", "!=", "===", "!=="):
            raise self.fail(path, f"'{op}' between ids is not filterable")
        if a.kind != b.kind or a.kind not in (NUMBER, TEXT, DATE, DATETIME, BOOL, ID):
            raise self.fail(path, f"cannot compare {a.kind} with {b.kind}")
        equality = op in ("==", "!=", "===", "!==")
        if equality:
            if a.null == "nan" or b.null == "nan":
                same = sa.func.coalesce(a.sql == b.sql, False)
            else:
                same = a.sql.is_not_distinct_from(b.sql)
            return same if op in ("==", "===") else sa.not_(same)
        if a.kind in (TEXT, BOOL, ID):
            raise self.fail(path, f"'{op}' between two {a.kind} fields is not filterable")
        if a.kind == NUMBER:
            return sa.func.coalesce(_sql_compare(op, _zero(a), _zero(b)), False)
        both_null = _const_bool(_js_compare(op, None, None))
        return sa.case(
            (sa.and_(a.sql.is_(None), b.sql.is_(None)), both_null),
            else_=sa.func.coalesce(_sql_compare(op, a.sql, b.sql), False),
        )

    def two_valued(self, sql: Any, term: Term, on_null: bool) -> ColumnElement[bool]:
        """`sql` where the term is not NULL, `on_null` where it is; two-valued under NOT."""
        if term.null == "never" or (not on_null and not self.negated):
            return sql
        if term.column is not None:
            if on_null:
                return sa.or_(sql, term.sql.is_(None))
            return sa.and_(sql, term.sql.is_not(None))
        return sa.case((term.sql.is_(None), on_null), else_=sql)

    def truthy(self, term: Term, path: Path) -> ColumnElement[bool]:
        if term.kind == BOOL:
            return term.sql.is_(True)
        if term.kind == ARRAY:
            return sa.func.coalesce(sa.func.cardinality(term.sql), 0) > 0
        if term.kind == NUMBER:
            return self.two_valued(term.sql != 0, term, False)
        if term.kind == TEXT:
            return self.two_valued(term.sql != "", term, False)
        return term.sql.is_not(None)

    # --- value terms ----------------------------------------------------------------------

    def operand(self, node: Any, path: Path) -> Term | Const:
        if not _reads_data(node):
            return Const(from_data(evaluate_raw(node, {}, clock=self.clock)))
        return self.term(node, path)

    def column(self, key: str, path: Path) -> Term:
        column = self.columns.get(key)
        if column is None:
            raise self.fail(path, f"unknown column {key!r}")
        kind = _kind_of(column)
        if kind is None:
            raise self.fail(path, f"column {key!r} has a type the compiler does not know")
        nullable = getattr(column, "nullable", True)
        return Term(column, kind, "null" if nullable is not False else "never", column)

    def term(self, node: Any, path: Path) -> Term:
        if isinstance(node, dict) and _reads_data(node):
            name, args = split(node)
            sub = [(*path, name, i) for i in range(len(args))]
            if name == "var":
                if len(args) != 1 or not isinstance(args[0], str):
                    raise self.fail(path, "var with a default or a computed name")
                return self.column(args[0], sub[0])
            builder = getattr(self, "t_" + _method_name(name), None)
            if builder is not None:
                return builder(args, sub, path)
            raise self.fail(path, f"operator {name!r}")
        raise self.fail(path, "a literal where a field is needed")

    def number_term(self, node: Any, path: Path) -> Term | Const:
        value = self.operand(node, path)
        if isinstance(value, Const):
            return value
        if value.kind != NUMBER:
            raise self.fail(path, f"arithmetic on a {value.kind} field")
        return value

    def text_term(self, node: Any, path: Path) -> Any:
        """A text expression with null read as "" (the string functions' rule)."""
        term = self.term(node, path)
        if term.kind != TEXT:
            raise self.fail(path, f"a text function on a {term.kind} field")
        return sa.func.coalesce(term.sql, "") if term.null != "never" else term.sql

    def t_plus(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._fold_arith("+", args, sub, path, parse=True)

    def t_times(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        if len(args) == 1:
            return self.term(args[0], sub[0])
        return self._fold_arith("*", args, sub, path, parse=True)

    def t_minus(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        if len(args) == 1:
            operand = self.term(args[0], sub[0])
            if operand.kind != NUMBER:
                raise self.fail(sub[0], f"arithmetic on a {operand.kind} field")
            return replace(_double(operand, zero=True), sql=-_double(operand, zero=True).sql,
                           column=None)  # fmt: skip
        return self._fold_arith("-", args, sub, path, parse=False)

    def _fold_arith(self, op: str, args: list[Any], sub: list[Path], path: Path,
                    *, parse: bool) -> Term:  # fmt: skip
        """+ and * use parseFloat (null -> NaN); - uses Number() (null -> 0)."""
        result: Term | None = None
        for arg, p in zip(args, sub, strict=True):
            value = self.number_term(arg, p)
            if isinstance(value, Const):
                number = _number_literal(value.value, parse=parse)
                if math.isnan(number):
                    raise self.fail(p, "arithmetic on a literal that is not a number")
                operand = Term(sa.literal(number, sa.Float), NUMBER, "never")
            else:
                operand = _double(value, zero=not parse)
                if parse and value.null != "never":
                    operand = replace(operand, null="nan")
            if result is None:
                result = operand
                continue
            null = "nan" if "nan" in (result.null, operand.null) else "never"
            result = Term(_apply(op, result.sql, operand.sql), NUMBER, null)
        assert result is not None
        return result

    def t_divide(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        a, b = (self.number_term(x, p) for x, p in zip(args, sub, strict=True))
        terms = []
        for value, p in ((a, sub[0]), (b, sub[1])):
            if isinstance(value, Const):
                number = _number_literal(value.value, parse=False)
                if math.isnan(number):
                    raise self.fail(p, "division with a literal that is not a number")
                terms.append(sa.literal(number, sa.Float))
            elif value.null == "nan":
                raise self.fail(p, "division by a value that may be NaN")
            else:
                terms.append(_double(value, zero=True).sql)
        top, bottom = terms
        return Term(sa.case((bottom == 0, sa.null()), else_=top / bottom), NUMBER, "null")

    def t_coalesce(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        """SQL's COALESCE, for fields of one kind and literals of that kind (a NaN-valued term
        is refused: JavaScript keeps NaN where SQL would skip its NULL)."""
        parts = [self.operand(a, p) for a, p in zip(args, sub, strict=True)]
        first = next(p for p in parts if isinstance(p, Term))
        values, nullable = [], True
        for part, p in zip(parts, sub, strict=True):
            if isinstance(part, Const):
                if part.value is None:
                    continue
                literal = self.coerce_literal("===", first, part.value, p)
                if literal is _ALWAYS_FALSE or literal is _ALWAYS_TRUE:
                    raise self.fail(p, f"coalesce of a {first.kind} field with {part.value!r}")
                values.append(_bind(first, literal))
                nullable = False
                break
            if part.kind != first.kind or part.null == "nan":
                raise self.fail(p, "coalesce of different kinds, or of a value that may be NaN")
            values.append(part.sql)
            if part.null == "never":
                nullable = False
                break
        return Term(sa.func.coalesce(*values), first.kind, "null" if nullable else "never")

    def _text_fn(self, fn: Any, args: list[Any], sub: list[Path]) -> Term:
        return Term(fn(self.text_term(args[0], sub[0])), TEXT, "never")

    def t_lower(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._text_fn(sa.func.lower, args, sub)

    def t_upper(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._text_fn(sa.func.upper, args, sub)

    def t_length(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        term = self.term(args[0], sub[0])
        if term.kind == ARRAY:
            return Term(sa.func.coalesce(sa.func.cardinality(term.sql), 0), NUMBER, "never")
        return Term(sa.func.char_length(self.text_term(args[0], sub[0])), NUMBER, "never")

    def _date_part(self, field: str, args: list[Any], sub: list[Path]) -> Term:
        term = self.term(args[0], sub[0])
        if term.kind not in (DATE, DATETIME):
            raise self.fail(sub[0], f"{field} of a {term.kind} field")
        return Term(sa.extract(field, _utc(term)), NUMBER, "null")

    def t_year(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._date_part("year", args, sub)

    def t_month(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._date_part("month", args, sub)

    def t_day(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        return self._date_part("day", args, sub)

    def t_date_diff(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        """Whole days between two dates (unit "d"/"days" only in SQL)."""
        unit = self.operand(args[2], sub[2])
        if not isinstance(unit, Const) or dates.unit_of(unit.value) != "days":
            raise self.fail(sub[2], "date_diff in SQL counts days only")
        ends = []
        for node, p in zip(args[:2], sub[:2], strict=True):
            value = self.operand(node, p)
            if isinstance(value, Const):
                parsed = dates.parse(value.value)
                if parsed is None:
                    raise self.fail(p, "not a date")
                ends.append(sa.literal(dates.as_date(parsed), sa.Date))
            elif value.kind in (DATE, DATETIME):
                ends.append(sa.cast(_utc(value), sa.Date))
            else:
                raise self.fail(p, f"date_diff of a {value.kind} field")
        return Term(ends[1] - ends[0], NUMBER, "null")

    def t_date_add(self, args: list[Any], sub: list[Path], path: Path) -> Term:
        base = self.term(args[0], sub[0])
        amount, unit = self.operand(args[1], sub[1]), self.operand(args[2], sub[2])
        if base.kind != DATE or not isinstance(amount, Const) or not isinstance(unit, Const):
            raise self.fail(path, "date_add in SQL: a date field plus a literal amount")
        count, unit_name = dates.whole(amount.value), dates.unit_of(unit.value)
        if count is None or unit_name not in ("days", "weeks", "months", "quarters", "years"):
            raise self.fail(path, "date_add: amount or unit")
        months = {"months": 1, "quarters": 3, "years": 12}.get(unit_name, 0) * count
        days = {"days": 1, "weeks": 7}.get(unit_name, 0) * count
        interval = sa.func.make_interval(0, months, 0, days)
        return Term(sa.cast(base.sql + interval, sa.Date), DATE, base.null)


_ALWAYS_TRUE, _ALWAYS_FALSE = object(), object()
_METHODS = {
    "!": "not", "!!": "notnot", "?:": "ternary", "+": "plus", "*": "times", "-": "minus",
    "/": "divide",
}  # fmt: skip
_COMPARISON_OPS = {"==", "!=", "===", "!==", "<", "<=", ">", ">="}


def _method_name(name: str) -> str:
    return _METHODS.get(name, name if name.isidentifier() else "unsupported")


def _date_against_datetime(op: str, kind: str, value: Any) -> tuple[str, Any]:
    """A datetime field against a date, or a date field against a datetime, as JsonLogic
    compares them: as text, where `2026-11-24T00:00:00Z` > `2026-11-24` (a longer text with
    the same beginning) and they are never equal. Rewritten into an exact comparison of the
    field's own kind, so "created after 2026-11-24" is filterable."""
    if not isinstance(value, str) or op not in _RELATIONAL | {"==", "!=", "===", "!=="}:
        return op, value
    if kind == DATETIME and dates.is_date_literal(value):
        midnight = value + "T00:00:00Z"  # D > d  <=>  D >= d's midnight;  D < d  <=>  D < it
        return {">": ">=", ">=": ">=", "<": "<", "<=": "<"}.get(op, op), (
            midnight if op in _RELATIONAL else _NEVER_EQUAL
        )
    if kind == DATE and _canonical_datetime(value):
        day = value[:10]  # d < D  <=>  d <= D's day;  d > D  <=>  d > it
        return {"<": "<=", "<=": "<=", ">": ">", ">=": ">"}.get(op, op), (
            day if op in _RELATIONAL else _NEVER_EQUAL
        )
    return op, value


_NEVER_EQUAL = object()


def _same_js_type(kind: str, value: Any) -> bool:
    if kind == NUMBER:
        return is_number(value)
    if kind == BOOL:
        return isinstance(value, bool)
    return isinstance(value, str)  # text, date and datetime values are strings


def _js_compare(op: str, a: Any, b: Any) -> bool:
    if op in ("==", "!="):
        equal = loose_equals(a, b)
        return equal if op == "==" else not equal
    if op in ("===", "!=="):
        equal = strict_equals(a, b)
        return equal if op == "===" else not equal
    return compare(op, a, b)


def compare_in(needle: Any, haystack: str) -> bool:
    return "null" in haystack if needle is None else False


def _js_text(value: Any) -> str:
    return value if isinstance(value, str) else to_string(value)


def _canonical_datetime(value: str) -> bool:
    parsed = dates.parse(value)
    return isinstance(parsed, dt.datetime) and dates.render(parsed) == value


def _ordered(term: Term, op: str) -> Any:
    if term.kind == TEXT and op in _RELATIONAL:
        return term.sql.collate("C")
    return term.sql


def _bind(term: Term, literal: Any) -> Any:
    if term.kind == NUMBER:
        if isinstance(term.sql.type, sa.Float) or not isinstance(literal, int | float):
            return sa.literal(float(literal), sa.Float)
        return sa.literal(Decimal(repr(float(literal))) if isinstance(literal, float) else literal,
                          sa.Numeric)  # fmt: skip
    if term.kind == DATETIME:
        return sa.literal(literal.replace(tzinfo=dt.UTC), sa.DateTime(timezone=True))
    if term.kind == DATE:
        return sa.literal(literal, sa.Date)
    if term.kind == BOOL:
        return sa.literal(literal, sa.Boolean)
    if term.kind == ID:
        return sa.literal(literal, sa.Uuid())
    return sa.literal(literal, sa.Text)


def _uuid_literal(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _sql_compare(op: str, left: Any, right: Any) -> Any:
    if op in ("==", "==="):
        return left == right
    if op in ("!=", "!=="):
        return left != right
    return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[op]


def _double(term: Term, *, zero: bool) -> Term:
    """The term as double precision (JavaScript numbers); null read as 0 when `zero`."""
    sql = sa.cast(term.sql, sa.Float)
    if zero and term.null == "null":
        return Term(sa.func.coalesce(sql, 0.0), NUMBER, "never")
    return Term(sql, NUMBER, term.null)


def _zero(term: Term) -> Any:
    """Relational comparison reads JS null as 0 and keeps NaN as NULL (compares false)."""
    return sa.func.coalesce(term.sql, 0) if term.null == "null" else term.sql


def _number_literal(value: Any, *, parse: bool) -> float:
    return parse_float(value) if parse else to_number(value)


def _apply(op: str, a: Any, b: Any) -> Any:
    return {"+": a + b, "-": a - b, "*": a * b}[op]


def _utc(term: Term) -> Any:
    if term.kind == DATETIME:
        return sa.func.timezone("UTC", term.sql)
    return term.sql

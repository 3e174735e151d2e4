"""Excel-like formulas <-> the JSON expression tree (lark LALR grammar in formula.lark).

`parse_formula('IF(amount > 10000, "A", "B")')` gives the same tree a designer would write by
hand; `format_formula(tree)` writes it back with Excel's precedence and the fewest parentheses.
Function names are case-insensitive; every operator has a function name (registry
`formula`), so any tree can be written as a formula. Field references: `amount`,
`customer.level`, `[合同金额]` (a label, through `labels`), `items.amount` inside an aggregate
(`SUM(items.amount)` = column `amount` of sub-form `items`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer_NonRecursive, v_args
from lark.exceptions import (
    UnexpectedCharacters,
    UnexpectedEOF,
    UnexpectedInput,
    UnexpectedToken,
    VisitError,
)

from .errors import ExpressionError
from .registry import OPERATORS
from .values import number_to_string
from .walk import arity_error, split, validate

MAX_FORMULA = 20_000
_GRAMMAR = Path(__file__).with_name("formula.lark")
_COMPARE = {"=": "==", "==": "==", "<>": "!=", "!=": "!=", "<": "<", ">": ">", "<=": "<=",
            ">=": ">="}  # fmt: skip
_AGGREGATES = {"SUM": "sum", "AVERAGE": "avg", "COUNT": "count", "MIN": "min_of", "MAX": "max_of"}
_ALIASES = {"IFS": "if", "AVG": "avg", "ISEMPTY": "is_empty", "LENGTH": "length"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_TOKEN_NAMES = {
    "RPAR": "')'", "LPAR": "'('", "COMMA": "','", "NAME": "a name", "NUMBER": "a number",
    "STRING": "a text in double quotes", "COMP_OP": "a comparison", "ADD_OP": "'+' or '-'",
    "MUL_OP": "'*' or '/'", "RBRACE": "'}'", "LABEL": "a [label]", "$END": "the end",
}  # fmt: skip


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(_GRAMMAR.read_text(encoding="utf-8"), parser="lalr", propagate_positions=False)


def parse_formula(text: str, *, labels: Mapping[str, str] | None = None) -> Any:
    """Parse formula text into an expression tree; ExpressionError with position and hint."""
    if not isinstance(text, str):
        raise ExpressionError("a formula is text", position=0)
    if len(text) > MAX_FORMULA:
        raise ExpressionError(f"formula longer than {MAX_FORMULA} characters", position=MAX_FORMULA)
    source = text[1:] if text.startswith("=") else text  # Excel's leading '=' is optional
    offset = len(text) - len(source)
    try:
        tree = _parser().parse(source)
    except UnexpectedInput as exc:
        raise _syntax_error(exc, source, offset) from None
    try:
        expr = _ToExpression(labels or {}, offset).transform(tree)
    except VisitError as exc:
        raise exc.orig_exc from None
    validate(expr)
    return expr


def _syntax_error(exc: UnexpectedInput, source: str, offset: int) -> ExpressionError:
    position = offset + (exc.pos_in_stream or 0)
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        expected = sorted(_TOKEN_NAMES.get(t, t) for t in getattr(exc, "expected", ()))
        hint = "is a ')' missing?" if "')'" in expected else f"expected {', '.join(expected[:5])}"
        return ExpressionError("formula ends too early", position=len(source) + offset, hint=hint)
    if isinstance(exc, UnexpectedCharacters):
        char = source[exc.pos_in_stream] if exc.pos_in_stream < len(source) else ""
        hint = "text goes in double quotes" if char in "'“”‘’" else None
        if char == "[":
            hint = "a [label] needs its closing ']'"
        return ExpressionError(f"unexpected character {char!r}", position=position, hint=hint)
    if isinstance(exc, UnexpectedToken):
        expected = sorted({_TOKEN_NAMES.get(t, t) for t in exc.expected})
        hint = f"expected {', '.join(expected[:6])}"
        if exc.token.type == "NAME" or exc.token.type == "NUMBER":
            hint += "; is an operator or ',' missing?"
        return ExpressionError(f"unexpected {exc.token!s}", position=position, hint=hint)
    return ExpressionError("syntax error", position=position)  # pragma: no cover


@v_args(inline=True)
class _ToExpression(Transformer_NonRecursive):
    def __init__(self, labels: Mapping[str, str], offset: int) -> None:
        super().__init__()
        self.labels = labels
        self.offset = offset

    def number(self, token: Token) -> int | float:
        value = float(token)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value

    def string(self, token: Token) -> str:
        return token[1:-1].replace('""', '"')

    def true(self, _: Token) -> bool:
        return True

    def false(self, _: Token) -> bool:
        return False

    def null(self, _: Token) -> None:
        return None

    def field(self, *names: Token) -> dict[str, Any]:
        return {"var": ".".join(str(n) for n in names)}

    def label(self, token: Token) -> dict[str, Any]:
        name = token[1:-1].strip()
        if name in self.labels:
            return {"var": self.labels[name]}
        if _IDENT.match(name.replace(".", "_")):
            return {"var": name}
        close = difflib.get_close_matches(name, list(self.labels), n=1)
        raise ExpressionError(
            f"unknown field label [{name}]",
            position=self.offset + token.start_pos,
            hint=f"did you mean [{close[0]}]?" if close else None,
        )

    def arguments(self, *items: Any) -> list[Any]:
        return list(items)

    def array(self, items: list[Any] | None = None) -> list[Any]:
        return items or []

    def compare(self, left: Any, op: Token, right: Any) -> dict[str, Any]:
        return {_COMPARE[str(op)]: [left, right]}

    def arith(self, left: Any, op: Token, right: Any) -> dict[str, Any]:
        return _nary(str(op), left, right) if str(op) in "+*" else {str(op): [left, right]}

    def concat(self, left: Any, right: Any) -> dict[str, Any]:
        return _nary("cat", left, right)

    def power(self, left: Any, right: Any) -> dict[str, Any]:
        return {"power": [left, right]}

    def neg(self, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return -value
        return {"-": [value]}

    def pos(self, value: Any) -> Any:
        return value

    def percent(self, value: Any) -> dict[str, Any]:
        return {"/": [value, 100]}

    def call(self, name: Token, arguments: list[Any] | None = None) -> Any:
        arguments = arguments or []
        upper = str(name).upper()
        if upper in _AGGREGATES:
            return {_AGGREGATES[upper]: _aggregate_args(arguments)}
        op = OPERATORS.by_formula_name(upper)
        if op is None and upper in _ALIASES:
            op = OPERATORS.get(_ALIASES[upper])
        if op is None:
            op = OPERATORS.find(str(name).lower())
        if op is None:
            names = [n for n in _all_function_names() if n]
            close = difflib.get_close_matches(upper, names, n=1)
            raise ExpressionError(
                f"unknown function {name!s}",
                position=self.offset + name.start_pos,
                hint=f"did you mean {close[0]}?" if close else None,
            )
        message = arity_error(op, len(arguments))
        if message:
            raise ExpressionError(f"{name!s}: {message}", position=self.offset + name.start_pos)
        if op.name == "var" and len(arguments) == 1:
            return {"var": arguments[0]}
        return {op.name: arguments}


def _nary(op: str, left: Any, right: Any) -> dict[str, Any]:
    """`a + b + c` -> {"+": [a, b, c]}: + * and & are n-ary in the tree."""
    if isinstance(left, dict) and list(left) == [op] and isinstance(left[op], list):
        return {op: [*left[op], right]}
    return {op: [left, right]}


def _aggregate_args(args: list[Any]) -> list[Any]:
    """SUM(items.amount) -> [rows, "amount"]; SUM(x) -> [x]; SUM(a, b, c) -> [[a, b, c]]."""
    if len(args) == 1:
        only = args[0]
        if isinstance(only, dict) and list(only) == ["var"] and isinstance(only["var"], str):
            head, dot, column = only["var"].rpartition(".")
            if dot:
                return [{"var": head}, column]
        return [only]
    return [args]


def _all_function_names() -> list[str]:
    names = [OPERATORS.get(n).formula or "" for n in OPERATORS.types()]
    return names + list(_AGGREGATES) + list(_ALIASES)


# --- formatting ---------------------------------------------------------------------------

_INFIX = {
    "==": ("=", 1), "!=": ("<>", 1), "<": ("<", 1), ">": (">", 1), "<=": ("<=", 1),
    ">=": (">=", 1), "cat": ("&", 2), "+": ("+", 3), "-": ("-", 3), "*": ("*", 4),
    "/": ("/", 4), "power": ("^", 5),
}  # fmt: skip
_NARY = {"cat", "+", "*"}
_UNARY, _ATOM = 6, 8
_AGGREGATE_NAMES = {v: k for k, v in _AGGREGATES.items()}


def format_formula(expr: Any) -> str:
    """Write `expr` as formula text that `parse_formula` reads back to an equivalent tree."""
    validate(expr)
    return _format(expr)[0]


def _format(node: Any) -> tuple[str, int]:
    """(text, precedence of its outermost construct)."""
    if isinstance(node, dict):
        return _format_operator(*split(node))
    if isinstance(node, list):
        return "{" + ", ".join(_format(item)[0] for item in node) + "}", _ATOM
    if node is None:
        return "NULL", _ATOM
    if node is True or node is False:
        return ("TRUE" if node else "FALSE"), _ATOM
    if isinstance(node, int | float):
        text = number_to_string(node)
        return text, (_UNARY if text.startswith("-") else _ATOM)
    return '"' + str(node).replace('"', '""') + '"', _ATOM


def _wrap(node: Any, minimum: int) -> str:
    text, precedence = _format(node)
    return f"({text})" if precedence < minimum else text


def _format_operator(name: str, args: list[Any]) -> tuple[str, int]:
    if name == "var":
        key = args[0] if args else ""
        simple = isinstance(key, str) and all(_IDENT.match(p) for p in key.split("."))
        if len(args) == 1 and simple and key.upper() not in ("TRUE", "FALSE", "NULL"):
            return key, _ATOM
    if name in _INFIX and (len(args) == 2 or (name in _NARY and len(args) > 2)):
        symbol, precedence = _INFIX[name]
        # left-associative: the left operand may be at the same level, the right must be higher
        parts = [_wrap(args[0], precedence)] + [_wrap(a, precedence + 1) for a in args[1:]]
        return f" {symbol} ".join(parts), precedence
    if name == "-" and len(args) == 1:
        return "-" + _wrap(args[0], _UNARY), _UNARY
    if name in _AGGREGATE_NAMES:
        return _format_aggregate(name, args), _ATOM
    op = OPERATORS.get(name)
    function = op.formula or ("IF" if name == "?:" else name.upper())
    return f"{function}({', '.join(_format(a)[0] for a in args)})", _ATOM


def _format_aggregate(name: str, args: list[Any]) -> str:
    function = _AGGREGATE_NAMES[name]
    if len(args) == 2 and isinstance(args[1], str) and _IDENT.match(args[1]):
        rows = _format(args[0])[0]
        if _IDENT.match(rows.replace(".", "_")):
            return f"{function}({rows}.{args[1]})"
    if len(args) == 1 and isinstance(args[0], list) and len(args[0]) >= 2:
        return f"{function}({', '.join(_format(a)[0] for a in args[0])})"
    if len(args) == 1:
        only = args[0]
        text = _format(only)[0]
        dotted_var = isinstance(only, dict) and "var" in only and "." in text
        if not dotted_var and not (isinstance(only, list) and len(only) < 2):
            return f"{function}({text})"
    raw = OPERATORS.get(name).formula
    return f"{raw}({', '.join(_format(a)[0] for a in args)})"

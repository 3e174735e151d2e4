"""The expression language: one JSON tree (JsonLogic plus extensions), three back ends.

Public names are re-exported by `engines.rules`; see docs/expressions.md.
"""

from .check import check
from .errors import ExprError, ExpressionError
from .evaluator import compile_expr, evaluate
from .formula import format_formula, parse_formula
from .registry import OPERATORS, Operator
from .sql import Membership, to_sql
from .values import truthy
from .walk import MAX_DEPTH, MAX_NODES, fields_read, validate

__all__ = [
    "MAX_DEPTH",
    "MAX_NODES",
    "OPERATORS",
    "ExprError",
    "ExpressionError",
    "Membership",
    "Operator",
    "check",
    "compile_expr",
    "evaluate",
    "fields_read",
    "format_formula",
    "parse_formula",
    "to_sql",
    "truthy",
    "validate",
]

"""Property: for any well-formed tree over random JSON data, evaluation never raises, returns
plain JSON, and the compiled form agrees with the tree walker; to_sql either compiles or
raises ExpressionError, never anything else."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from engines.rules import OPERATORS, ExpressionError, compile_expr, evaluate, to_sql
from engines.rules.conformance import table

from .strategies import operator_nodes

CLOCK = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=8),
    st.sampled_from(["", "0", "1e3", "2026-02-28", "2026-11-24T10:00:00Z", "a.b", "d", "months",
                     "^a+$", "(a+)+", "0.00", "n", "t", "items"]),
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from("abnt"), inner, max_size=3)
    ),
    max_leaves=6,
)
VARS = st.builds(lambda k: {"var": k}, st.sampled_from(["a", "n", "t", "a.b", ""]))
TREES = st.recursive(
    st.one_of(SCALARS, VARS),
    lambda inner: st.one_of(operator_nodes(inner, OPERATORS.types()), st.lists(inner, max_size=2)),
    max_leaves=12,
)  # fmt: skip
DATA = st.one_of(st.dictionaries(st.sampled_from(["a", "b", "n", "t", "items"]), JSON), JSON)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(expr=TREES, data=DATA)
def test_evaluation_is_total_and_both_evaluators_agree(expr: Any, data: Any) -> None:
    result = evaluate(expr, data, clock=CLOCK)
    json.dumps(result, allow_nan=False)
    again = compile_expr(expr)(data, clock=CLOCK)
    assert json.dumps(again, sort_keys=True) == json.dumps(result, sort_keys=True)


COLUMNS = {c.name: c for c in table().columns if c.name != "id"}


@settings(max_examples=300, deadline=None, derandomize=True)
@given(expr=TREES)
def test_to_sql_compiles_or_refuses_cleanly(expr: Any) -> None:
    try:
        predicate = to_sql(expr, COLUMNS, clock=CLOCK)
    except ExpressionError:
        return
    predicate.compile(dialect=sa.dialects.postgresql.dialect())

"""Property: for random filter expressions over random records, the Python evaluator and
Postgres (through to_sql) select the same rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st

from engines.rules import ExpressionError, evaluate, fields_read, to_sql, truthy
from engines.rules.conformance import table, to_row
from tests.unit.rules.strategies import database_settings, operator_nodes

CLOCK = dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
NUMBERS = st.sampled_from([0, 1, -1, 2, 0.1, 0.2, 0.5, 2.5, 10, 100, -3.75])
TEXTS = st.sampled_from(["", "a", "b", "A", "ab", "Ab", "5", "10", "won", "lost", "a b"])
DATES = st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat)
DATETIMES = st.builds(
    lambda day, seconds: (
        f"{day}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}Z"
    ),
    st.sampled_from(["2026-11-23", "2026-11-24", "2026-11-25"]),
    st.sampled_from([0, 1, 3599, 36000, 86399]),
)
TAGS = st.lists(st.sampled_from(["vip", "new", "old"]), max_size=3, unique=True)


def nullable(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "n": nullable(NUMBERS),
            "m": nullable(NUMBERS),
            "t": nullable(TEXTS),
            "u": nullable(TEXTS),
            "d": nullable(DATES),
            "e": nullable(DATES),
            "ts": nullable(DATETIMES),
            "b": nullable(st.booleans()),
            "tags": nullable(TAGS),
        }
    ),
    min_size=1,
    max_size=12,
)


def var(name: str) -> dict[str, Any]:
    return {"var": name}


COMPARE = st.sampled_from(["==", "!=", "===", "!==", "<", "<=", ">", ">="])
RELATIONAL = st.sampled_from(["<", "<=", ">", ">="])
EQUALITY = st.sampled_from(["==", "!=", "===", "!=="])

number_var = st.sampled_from([var("n"), var("m")])
number_term = st.one_of(
    number_var,
    st.builds(
        lambda op, a, b: {op: [a, b]},
        st.sampled_from(["+", "-", "*", "/"]),
        number_var,
        st.one_of(number_var, NUMBERS),
    ),
    st.builds(lambda a: {"-": [a]}, number_var),
    st.builds(lambda a, b: {"coalesce": [a, b]}, number_var, st.one_of(number_var, NUMBERS)),
    st.builds(lambda a: {"length": [a]}, st.sampled_from([var("t"), var("tags")])),
    st.builds(lambda f: {f: [var("d")]}, st.sampled_from(["year", "month", "day"])),
    st.builds(lambda: {"date_diff": [var("d"), {"today": []}, "d"]}),
)
number_literal = st.one_of(NUMBERS, st.none(), st.sampled_from(["5", "0.5", "abc", "", True]))
text_term = st.one_of(
    st.sampled_from([var("t"), var("u")]),
    st.builds(lambda f: {f: [var("t")]}, st.sampled_from(["lower", "upper"])),
)
date_term = st.one_of(
    st.sampled_from([var("d"), var("e")]),
    st.builds(
        lambda n, unit: {"date_add": [var("d"), n, unit]},
        st.integers(-40, 40),
        st.sampled_from(["days", "weeks", "months", "years"]),
    ),
)
date_literal = st.one_of(DATES, st.none(), st.just({"today": []}))


def comparison(term: st.SearchStrategy[Any], literal: st.SearchStrategy[Any],
               ops: st.SearchStrategy[str] = COMPARE) -> st.SearchStrategy[Any]:  # fmt: skip
    return st.builds(
        lambda op, a, b, flip: {op: [b, a] if flip else [a, b]}, ops, term, literal, st.booleans()
    )


atoms = st.one_of(
    comparison(number_term, number_literal),
    comparison(number_var, number_var),
    comparison(text_term, TEXTS),
    comparison(text_term, st.none(), EQUALITY),
    comparison(st.just(var("t")), st.just(var("u")), EQUALITY),
    comparison(date_term, date_literal),
    comparison(st.just(var("d")), st.just(var("e"))),
    comparison(st.just(var("ts")), st.one_of(DATETIMES, DATES, st.none(), st.just({"today": []}))),
    comparison(st.just(var("d")), DATETIMES),
    comparison(st.just(var("b")), st.one_of(st.booleans(), st.none()), EQUALITY),
    st.builds(lambda xs: {"in": [var("t"), xs]}, st.lists(st.one_of(TEXTS, st.none()), max_size=3)),
    st.builds(lambda xs: {"in": [var("n"), xs]}, st.lists(NUMBERS, max_size=3)),
    st.builds(lambda x: {"in": [x, var("tags")]}, st.sampled_from(["vip", "new", "zzz"])),
    st.builds(lambda x: {"in": [x, var("t")]}, TEXTS),
    st.builds(
        lambda f, x: {f: [var("t"), x]},
        st.sampled_from(["contains", "starts_with", "ends_with"]),
        TEXTS,
    ),
    st.builds(
        lambda p: {"regex_match": [var("t"), p]}, st.sampled_from(["^a", "b$", "^\\d+$", "a.b"])
    ),
    st.builds(
        lambda x: {"is_empty": [x]}, st.sampled_from([var(k) for k in "ntdb"] + [var("tags")])
    ),
    st.builds(
        lambda x: {"!!": [x]}, st.sampled_from([var(k) for k in ("n", "t", "d", "b", "tags")])
    ),
    st.builds(lambda ks: {"missing": ks}, st.lists(st.sampled_from(["n", "t", "d"]), max_size=3)),
)
predicates = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.builds(lambda xs: {"and": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda xs: {"or": xs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda x: {"!": [x]}, inner),
        st.builds(lambda c, a, b: {"if": [c, a, b]}, inner, inner, inner),
    ),
    max_leaves=6,
)


PROPERTY_ROWS = table("expr_property_rows")
PROPERTY_COLUMNS = {c.name: c for c in PROPERTY_ROWS.columns if c.name != "id"}


def selected_rows(engine: sa.Engine, predicate: Any, records: list[dict[str, Any]]) -> set[int]:
    """Store `records` as the table's only rows; the ids `predicate` selects."""
    with engine.begin() as conn:
        conn.execute(PROPERTY_ROWS.delete())
        conn.execute(
            PROPERTY_ROWS.insert(), [{"id": i, **to_row(r)} for i, r in enumerate(records)]
        )
        return set(conn.execute(sa.select(PROPERTY_ROWS.c.id).where(predicate)).scalars())


def evaluator_rows(expr: Any, records: list[dict[str, Any]]) -> set[int]:
    return {i for i, r in enumerate(records) if truthy(evaluate(expr, r, clock=CLOCK))}


@pytest.fixture(scope="module")
def engine(fresh_db: Any) -> Iterator[sa.Engine]:
    engine = sa.create_engine(fresh_db.sync_url)
    PROPERTY_ROWS.metadata.create_all(engine)
    yield engine
    engine.dispose()


@database_settings(150)
@given(expr=predicates, records=RECORDS)
def test_python_and_postgres_select_the_same_rows(
    engine: sa.Engine, expr: Any, records: list[dict[str, Any]]
) -> None:
    predicate = to_sql(expr, PROPERTY_COLUMNS, clock=CLOCK)
    assert selected_rows(engine, predicate, records) == evaluator_rows(expr, records)


# --- any tree the compiler accepts must mean the same in SQL ---------------------------------

FILTERABLE_OPS = [
    "==", "!=", "===", "!==", "<", "<=", ">", ">=", "and", "or", "!", "!!", "if", "in",
    "contains", "starts_with", "ends_with", "+", "-", "*", "/", "coalesce", "lower", "upper",
    "length", "year", "month", "day", "date_diff", "date_add", "is_empty", "missing",
]  # fmt: skip
ANY_LITERAL = st.one_of(
    st.none(), st.booleans(), NUMBERS, TEXTS, DATES, DATETIMES,
    st.sampled_from(["d", "days", "months"]),
    st.just({"today": []}), st.lists(st.one_of(TEXTS, NUMBERS), max_size=2),
)  # fmt: skip
ANY_VAR = st.sampled_from([var(k) for k in ("n", "m", "t", "u", "d", "e", "ts", "b", "tags")])


ANY_TREE = st.recursive(
    st.one_of(ANY_VAR, ANY_LITERAL),
    lambda inner: operator_nodes(inner, FILTERABLE_OPS, extra=2),
    max_leaves=7,
).filter(
    lambda tree: bool(fields_read(tree))  # trees that read no field fold to a constant
)


@database_settings(300)
@given(expr=ANY_TREE, records=RECORDS)
def test_whatever_compiles_selects_what_python_selects(
    engine: sa.Engine, expr: Any, records: list[dict[str, Any]]
) -> None:
    try:
        predicate = to_sql(expr, PROPERTY_COLUMNS, clock=CLOCK)
    except ExpressionError:
        return  # outside the filterable subset: refused, never approximated
    assert selected_rows(engine, predicate, records) == evaluator_rows(expr, records)

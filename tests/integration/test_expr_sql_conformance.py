"""The shared golden cases through to_sql on real Postgres: SQL must select exactly the rows
the evaluator finds truthy, and every compiled predicate must be two-valued (never NULL)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from engines.rules import evaluate, to_sql, truthy
from engines.rules.conformance import cases, clock, table, to_row

SQL_CASES = [c for c in cases() if c.get("sql")]


@pytest.fixture(scope="module")
def engine(fresh_db: Any) -> Iterator[sa.Engine]:
    engine = sa.create_engine(fresh_db.sync_url)
    cases_table = table()
    cases_table.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(
            cases_table.insert(),
            [{"id": index, **to_row(c["data"])} for index, c in enumerate(SQL_CASES)],
        )
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    ("index", "case"), list(enumerate(SQL_CASES)), ids=[c["id"] for c in SQL_CASES]
)
def test_sql_agrees_with_the_evaluator(engine: sa.Engine, index: int, case: dict) -> None:
    cases_table = table()
    columns = {c.name: c for c in cases_table.columns if c.name != "id"}
    predicate = to_sql(case["expr"], columns, clock=clock())
    query = sa.select(predicate.label("hit")).where(cases_table.c.id == index)
    with engine.connect() as conn:
        hit = conn.execute(query).scalar_one()
    assert hit is not None, "a compiled predicate must never be NULL"
    assert hit == truthy(case["expected"])
    assert truthy(evaluate(case["expr"], case["data"], clock=clock())) == hit


def test_parameters_are_bound_never_inlined() -> None:
    columns = {c.name: c for c in table().columns}
    predicate = to_sql({"==": [{"var": "t"}, "x'); DROP TABLE users; --"]}, columns)
    compiled = predicate.compile(dialect=sa.dialects.postgresql.dialect())
    assert "DROP TABLE" not in str(compiled)
    assert "x'); DROP TABLE users; --" in compiled.params.values()

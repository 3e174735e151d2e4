"""The shared golden cases through to_sql on real Postgres: SQL must select exactly the rows
the evaluator finds truthy, and its negation exactly the others (NULLs must not leak out)."""

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
    expected = truthy(case["expected"])
    assert truthy(evaluate(case["expr"], case["data"], clock=clock())) == expected
    for expr, want in ((case["expr"], expected), ({"!": [case["expr"]]}, not expected)):
        predicate = to_sql(expr, columns, clock=clock())
        query = sa.select(cases_table.c.id).where(cases_table.c.id == index, predicate)
        with engine.connect() as conn:
            selected = conn.execute(query).first() is not None
        assert selected == want, expr


def test_parameters_are_bound_never_inlined() -> None:
    columns = {c.name: c for c in table().columns}
    predicate = to_sql({"==": [{"var": "t"}, "x'); DROP TABLE users; --"]}, columns)
    compiled = predicate.compile(dialect=sa.dialects.postgresql.dialect())
    assert "DROP TABLE" not in str(compiled)
    assert "x'); DROP TABLE users; --" in compiled.params.values()

"""Property: a multiple relation's membership test compiled as an EXISTS semi-join (the
platform's hook) selects exactly the rows the generic array form selects, and the rows the
Python evaluator selects, whatever boolean structure it sits in (and / or / ! / !! / if),
for random link sets, ids and non-ids. Real Postgres: a parent table and a link table laid
out like the platform's (`_parent_id`, `target`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given

from engines.rules import evaluate, to_sql, truthy
from tests.unit.rules.membership import records, trees
from tests.unit.rules.strategies import database_settings

METADATA = sa.MetaData()
PARENTS = sa.Table("membership_parents", METADATA,
                   sa.Column("_id", sa.Integer, primary_key=True),
                   sa.Column("n", sa.Numeric),
                   sa.Column("people", sa.ARRAY(sa.Uuid())))
LINKS = sa.Table("membership_links", METADATA,
                 sa.Column("_id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("_parent_id", sa.Integer, nullable=False, index=True),
                 sa.Column("target", sa.Uuid(), index=True))
ARRAY_FORM = sa.func.array(sa.select(LINKS.c.target).where(LINKS.c._parent_id == PARENTS.c._id)
                           .scalar_subquery(), type_=sa.ARRAY(sa.Uuid()))
COLUMNS = {"n": PARENTS.c.n, "people": PARENTS.c.people, "links": ARRAY_FORM}


def semi_join(key: str, target: uuid.UUID) -> Any:
    if key != "links":
        return None
    return sa.select(LINKS.c._parent_id).where(LINKS.c._parent_id == PARENTS.c._id,
                                               LINKS.c.target == target).exists()


@pytest.fixture(scope="module")
def engine(fresh_db: Any) -> Iterator[sa.Engine]:
    engine = sa.create_engine(fresh_db.sync_url)
    METADATA.create_all(engine)
    yield engine
    engine.dispose()


def _selected(conn: Any, predicate: Any) -> set[int]:
    return set(conn.execute(sa.select(PARENTS.c._id).where(predicate)).scalars())


@database_settings(250)
@given(expr=trees, rows=records)
def test_semi_join_array_form_and_python_select_the_same_rows(
        engine: sa.Engine, expr: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        conn.execute(LINKS.delete())
        conn.execute(PARENTS.delete())
        conn.execute(PARENTS.insert(), [{"_id": i, "n": r["n"], "people": r["people"]}
                                        for i, r in enumerate(rows)])
        links = [{"_parent_id": i, "target": target}
                 for i, r in enumerate(rows) for target in r["links"]]
        if links:
            conn.execute(LINKS.insert(), links)
        hooked = _selected(conn, to_sql(expr, COLUMNS, membership=semi_join))
        generic = _selected(conn, to_sql(expr, COLUMNS))
    python = {i for i, r in enumerate(rows) if truthy(evaluate(expr, r))}
    assert hooked == generic == python

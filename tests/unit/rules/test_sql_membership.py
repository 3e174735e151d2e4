"""The SQL compiler's membership hook (to_sql(..., membership=...)): asked for every "id in
this id-array field" test at any depth, only with a valid id and only for a field in
`columns`; its predicate replaces the array form, and None keeps the array form. Whether the
two select the same rows is checked against Postgres in
tests/integration/test_expr_membership_properties.py."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from sqlalchemy.dialects import postgresql

from engines.rules import ExpressionError, to_sql
from tests.unit.rules.membership import IDS, membership_leaves, trees

ROWS = sa.Table("rows", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                sa.Column("n", sa.Numeric), sa.Column("links", sa.ARRAY(sa.Uuid())),
                sa.Column("people", sa.ARRAY(sa.Uuid())), sa.Column("tags", sa.ARRAY(sa.Text)))
COLUMNS = {c.name: c for c in ROWS.c if c.name != "id"}


class Recorder:
    """A hook answering for `links` only, with a marker column the SQL text shows."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, uuid.UUID]] = []

    def __call__(self, key: str, target: uuid.UUID) -> Any:
        self.asked.append((key, target))
        if key != "links":
            return None
        return sa.literal_column(f"linked_{target.int}").is_(True)


def sql(predicate: Any) -> str:
    return str(predicate.compile(dialect=postgresql.dialect(),
                                 compile_kwargs={"literal_binds": True}))


def test_the_hook_answers_at_any_depth_and_negation_wraps_it() -> None:
    hook = Recorder()
    expr = {"or": [{"==": [{"var": "n"}, 1]},
                   {"!": [{"and": [True, {"in": [IDS[0], {"var": "links"}]}]}]}]}
    text = sql(to_sql(expr, COLUMNS, membership=hook))
    assert hook.asked == [("links", uuid.UUID(IDS[0]))]
    assert "linked_1 IS NOT true" in text and "ANY" not in text  # NOT, folded in


def test_without_an_answer_the_array_form_stays() -> None:
    hook = Recorder()
    text = sql(to_sql({"in": [IDS[1], {"var": "people"}]}, COLUMNS, membership=hook))
    assert hook.asked == [("people", uuid.UUID(IDS[1]))]
    assert "ANY (rows.people)" in text
    assert "ANY (rows.links)" in sql(to_sql({"in": [IDS[1], {"var": "links"}]}, COLUMNS))


@pytest.mark.parametrize("needle", ["not-an-id", "", 5, None])
def test_a_needle_that_is_no_id_is_false_without_asking(needle: Any) -> None:
    hook = Recorder()
    predicate = to_sql({"in": [needle, {"var": "links"}]}, COLUMNS, membership=hook)
    assert hook.asked == [] and sql(predicate) == "false"


def test_only_bare_fields_of_columns_and_id_arrays_are_asked_about() -> None:
    hook = Recorder()
    to_sql({"in": ["vip", {"var": "tags"}]}, COLUMNS, membership=hook)  # a text array
    assert hook.asked == []
    with pytest.raises(ExpressionError, match="unknown column 'partners'"):
        to_sql({"in": [IDS[0], {"var": "partners"}]}, COLUMNS, membership=hook)
    assert hook.asked == []  # a field the caller may not filter by is never looked up


@settings(max_examples=300, deadline=None, derandomize=True)
@given(expr=trees)
def test_no_membership_test_at_any_depth_reads_the_array(expr: Any) -> None:
    hook = Recorder()
    text = sql(to_sql(expr, COLUMNS, membership=hook))
    expected = []
    for needle, key in membership_leaves(expr):
        try:
            expected.append((key, uuid.UUID(needle)))
        except ValueError:
            continue
    # constant sub-trees are folded before any field is read: only reachable leaves count
    assert set(hook.asked) <= set(expected)
    assert "ANY (rows.links)" not in text

"""A saved sub-form row's `editable_when`: a locked cell may be sent back as stored (rows are
always sent whole, and the browser sends a locked cell as it shows it), not changed."""

from __future__ import annotations

import uuid

import pytest

from engines.form import expr, validate_record

ROW = uuid.UUID("0b6c1c52-5a39-4c38-9d0a-2d1f6f3a0101")
FORM = {"key": "order", "fields": [
    {"key": "stage", "type": "text"},
    {"key": "lines", "type": "subform", "fields": [
        {"key": "qty", "type": "number"},
        {"key": "price", "type": "number",
         "editable_when": {"!=": [{"var": "stage"}, "approved"]}},
    ]},
]}
# as the platform loads it: columns, and child rows with their ids and bookkeeping columns
STORED = {"stage": "approved",
          "lines": [{"_id": ROW, "_parent_id": uuid.uuid4(), "_row_order": 0,
                     "qty": 2, "price": 10}]}

pytestmark = pytest.mark.skipif(not expr.available(), reason="engines.rules evaluates conditions")


def codes(lines: list[dict[str, object]]) -> list[tuple[str, str]]:
    result = validate_record(FORM, {"lines": lines}, existing=STORED, partial=True)
    return [(e.path, e.code) for e in result.errors]


def test_a_locked_cell_sent_back_unchanged_passes() -> None:
    # another cell of the row changed, and a new row added: the locked price is as stored
    assert codes([{"_id": str(ROW), "qty": 3, "price": 10}, {"qty": 1, "price": 5}]) == []


def test_a_locked_cell_changed_is_refused() -> None:
    assert codes([{"_id": str(ROW), "qty": 2, "price": 12}]) == [("lines[0].price", "not_editable")]


def test_a_row_id_the_record_does_not_hold_is_checked_against_nothing() -> None:
    other = str(uuid.uuid4())
    assert codes([{"_id": other, "qty": 2, "price": 10}]) == [("lines[0].price", "not_editable")]


def test_a_saved_rows_view_is_the_same_with_the_stored_row_behind_it() -> None:
    """The stored row only answers "what was there": its bookkeeping columns (`_parent_id`,
    `_row_order`) are not in what the row's expressions read."""
    form = {"key": "order", "fields": [{"key": "lines", "type": "subform", "fields": [
        {"key": "qty", "type": "number"},
        {"key": "note", "type": "text", "required_when": {"!!": [{"var": "_row_order"}]}},
    ]}]}
    stored = {"lines": [{"_id": ROW, "_row_order": 1, "qty": 2, "note": None}]}
    result = validate_record(form, {"lines": [{"_id": str(ROW), "qty": 3}]}, existing=stored,
                             partial=True)
    assert result.errors == []

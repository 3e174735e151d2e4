from __future__ import annotations

import datetime as dt
from decimal import Decimal

from engines.form import RecordContext, to_json, validate_record
from tests.unit.form.examples import OPTIONS

CTX = RecordContext(now=dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC), locale="en")
FORM = {
    "key": "deal",
    "fields": [
        {"key": "name", "type": "text", "required": True, "max_length": 20},
        {"key": "amount", "type": "money", "min": 0},
        {"key": "stage", "type": "select", "options": OPTIONS, "default": "A"},
        {"key": "tags", "type": "multiselect", "options": OPTIONS},
        {"key": "close", "type": "date"},
        {"key": "won", "type": "checkbox", "default": False},
    ],
}


def codes(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(e.path, e.code) for e in result.errors]


def test_create_gives_every_column_and_defaults() -> None:
    result = validate_record(FORM, {"name": "Big deal", "amount": "100"}, context=CTX)
    assert result.ok
    assert result.values == {
        "name": "Big deal", "amount": Decimal("100.00"), "stage": "A", "tags": None,
        "close": None, "won": False,
    }


def test_errors_have_paths_codes_params_and_messages() -> None:
    result = validate_record(FORM, {"amount": -1, "stage": "Z", "_owner": "x", "bogus": 1},
                             context=CTX)
    assert set(codes(result)) == {
        ("amount", "too_small"), ("stage", "not_in_options"), ("_owner", "system_field"),
        ("bogus", "unknown_field"), ("name", "required"),
    }
    by_code = {e.code: e for e in result.errors}
    assert by_code["too_small"].params == {"min": 0}
    assert by_code["required"].message == "This field is required"


def test_messages_follow_the_locale() -> None:
    zh = RecordContext(locale="zh-CN")
    [err] = validate_record(FORM, {}, context=zh).errors
    assert err.message == "此项为必填项"


def test_partial_validates_only_present_keys() -> None:
    existing = {"name": "Old", "amount": Decimal("5.00"), "stage": "B", "tags": None,
                "close": None, "won": False}
    result = validate_record(FORM, {"amount": "7"}, existing=existing, partial=True, context=CTX)
    assert result.ok and result.values == {"amount": Decimal("7.00")}
    result = validate_record(FORM, {"name": ""}, existing=existing, partial=True, context=CTX)
    assert codes(result) == [("name", "required")]


def test_full_update_writes_absent_fields_as_empty_and_skips_defaults() -> None:
    existing = {"name": "Old", "stage": "B"}
    result = validate_record(FORM, {"name": "New"}, existing=existing, context=CTX)
    assert result.ok and result.values["stage"] is None


def test_to_json() -> None:
    row = {"_id": "3c1c4a3e-0000-0000-0000-000000000000", "name": "x",
           "amount": Decimal("12.50"), "close": dt.date(2026, 1, 2),
           "_created_at": dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)}
    assert to_json(FORM, row) == {
        "_id": "3c1c4a3e-0000-0000-0000-000000000000", "name": "x", "amount": 12.5,
        "close": "2026-01-02", "_created_at": "2026-01-02T03:04:00Z",
    }


def test_data_must_be_an_object() -> None:
    assert codes(validate_record(FORM, [], context=CTX)) == [("", "invalid_type")]  # type: ignore[arg-type]

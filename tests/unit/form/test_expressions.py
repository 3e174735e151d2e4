"""The form engine with the real expression language (engines.rules), end to end.

Uses ``engines.rules``' public entry points when they are exported; until then its modules
directly; skipped when neither is there.
"""

from __future__ import annotations

import datetime as dt
import types
import uuid
from decimal import Decimal

import pytest

from engines.form import RecordContext, check_form, validate_record
from engines.form import expr as form_expr

CTX = RecordContext(now=dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.UTC), locale="en")


def _real_rules() -> types.ModuleType | None:
    try:
        from engines.rules.expr.check import check
        from engines.rules.expr.evaluator import evaluate
        from engines.rules.expr.formula import parse_formula
        from engines.rules.expr.walk import fields_read
    except ImportError:
        return None
    mod = types.ModuleType("rules")
    mod.evaluate, mod.parse_formula = evaluate, parse_formula  # type: ignore[attr-defined]
    mod.check, mod.fields_read = check, fields_read  # type: ignore[attr-defined]
    return mod


@pytest.fixture(autouse=True)
def rules(monkeypatch: pytest.MonkeyPatch) -> None:
    if form_expr.available():
        return
    mod = _real_rules()
    if mod is None:
        pytest.skip("engines.rules is not there yet")
    monkeypatch.setattr(form_expr, "_rules", lambda: mod)


FORM = {
    "key": "quote",
    "fields": [
        {"key": "level", "type": "select", "options": [{"value": "A"}, {"value": "B"}]},
        {"key": "vip_note", "type": "textarea", "required": True,
         "visible_when": {"==": [{"var": "level"}, "A"]}},
        {"key": "items", "type": "subform", "fields": [
            {"key": "qty", "type": "number"},
            {"key": "price", "type": "money"},
            {"key": "amount", "type": "formula", "formula": "qty * price", "precision": 2},
        ]},
        {"key": "total", "type": "formula", "formula": "SUM(items.amount)", "precision": 2},
        {"key": "grade", "type": "formula", "formula": 'IF(total > 100, "big", "small")',
         "result_type": "text"},
        {"key": "quoted", "type": "date", "default_formula": "TODAY()"},
    ],
    "validations": [{"expr": "total < 10000", "path": "total",
                     "message": {"en": "Too large for a quote", "zh-CN": "金额过大"}}],
}


def test_definition_checks_formulas_against_fields() -> None:
    assert check_form(FORM, path="forms[0]", forms={}) == []
    bad = {"key": "q", "fields": [
        {"key": "amount", "type": "number"},
        {"key": "t", "type": "formula", "formula": "amout * 2"},
        {"key": "v", "type": "text", "visible_when": "IF(("},
        {"key": "a", "type": "formula", "formula": "b + 1"},
        {"key": "b", "type": "formula", "formula": "a + 1"},
    ]}
    errors = {(e.path, e.code): e.message for e in check_form(bad, path="forms[2]", forms={})}
    assert errors[("forms[2].fields[1].formula", "invalid_expression")] == (
        "unknown field 'amout'")
    assert ("forms[2].fields[2].visible_when", "invalid_expression") in errors
    assert ("forms[2].fields[3].formula", "formula_cycle") in errors


def test_formulas_defaults_conditions_and_rules() -> None:
    result = validate_record(FORM, {"level": "B", "items": [
        {"qty": 3, "price": "19.99"}, {"qty": 1, "price": 50}]}, context=CTX)
    assert result.ok, result.errors
    assert [r["amount"] for r in result.children["items"]] == [Decimal("59.97"),
                                                               Decimal("50.00")]
    assert result.values["total"] == Decimal("109.97")
    assert result.values["grade"] == "big"
    assert result.values["quoted"] == dt.date(2026, 11, 25)  # today in Shanghai

    shown = validate_record(FORM, {"level": "A"}, context=CTX)
    assert [(e.path, e.code) for e in shown.errors] == [("vip_note", "required")]

    huge = validate_record(FORM, {"items": [{"qty": 1000, "price": 100}]}, context=CTX)
    assert [(e.path, e.message) for e in huge.errors] == [("total", "Too large for a quote")]


ORDER = {
    "key": "order",
    "fields": [
        {"key": "discount", "type": "percent"},
        {"key": "note", "type": "text"},
        {"key": "items", "type": "subform", "fields": [
            {"key": "qty", "type": "number"},
            {"key": "price", "type": "money"},
            {"key": "amount", "type": "formula", "precision": 2,
             "formula": "qty * price * (1 - discount)"},
        ]},
        {"key": "total", "type": "formula", "formula": "SUM(items.amount)", "precision": 2},
    ],
}


def test_row_formulas_read_the_record() -> None:
    assert check_form(ORDER, path="forms[0]", forms={}) == []
    result = validate_record(ORDER, {"discount": "0.1", "items": [{"qty": 2, "price": 50}]},
                             context=CTX)
    assert result.ok, result.errors
    assert result.children["items"][0]["amount"] == Decimal("90.00")
    assert result.values["total"] == Decimal("90.00")


def test_rows_cannot_read_what_is_computed_from_them() -> None:
    bad = {**ORDER, "fields": [*ORDER["fields"][:2], {**ORDER["fields"][2], "fields": [
        {"key": "qty", "type": "number"},
        {"key": "share", "type": "formula", "formula": "qty / total"}]}, ORDER["fields"][3]]}
    errors = {(e.path, e.message) for e in check_form(bad, path="forms[0]", forms={})}
    assert ("forms[0].fields[2].fields[1].formula", "unknown field 'total'") in errors


def test_patching_what_rows_read_rederives_the_rows() -> None:
    row_id = uuid.uuid4()
    existing = {"discount": Decimal("0.1"), "note": None, "total": Decimal("90.00"),
                "items": [{"_id": row_id, "qty": Decimal(2), "price": Decimal("50.00"),
                           "amount": Decimal("90.00")}]}
    result = validate_record(ORDER, {"discount": "0.2"}, existing=existing, partial=True,
                             context=CTX)
    assert result.ok, result.errors
    [row] = result.children["items"]
    assert (row["_id"], row["amount"]) == (row_id, Decimal("80.00"))
    assert result.values["total"] == Decimal("80.00")
    untouched = validate_record(ORDER, {"note": "x"}, existing=existing, partial=True,
                                context=CTX)
    assert untouched.children == {} and untouched.values["total"] == Decimal("90.00")

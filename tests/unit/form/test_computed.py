"""Formulas, serials, conditions, form rules, dynamic and linkage defaults."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from engines.form import RecordContext, check_form, table_spec, validate_record
from engines.form import expr as form_expr
from engines.form.types.computed import render_pattern
from tests.unit.form import stub_rules

NOW = dt.datetime(2026, 11, 24, 17, 30, tzinfo=dt.UTC)  # 2026-11-25 01:30 in Shanghai
CTX = RecordContext(now=NOW, locale="en")


@pytest.fixture
def rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(form_expr, "_rules", stub_rules.module)


ORDER = {
    "key": "contract",
    "fields": [
        {"key": "no", "type": "serial", "pattern": "HT-{YYYY}{MM}-{seq:4}", "reset": "monthly"},
        {"key": "kind", "type": "select", "options": [{"value": "A"}, {"value": "B"}]},
        {"key": "vip_note", "type": "textarea", "required": True,
         "visible_when": {"==": [{"var": "kind"}, "A"]}},
        {"key": "reason", "type": "text", "required_when": {">": [{"var": "total"}, 100]}},
        {"key": "locked", "type": "text", "editable_when": {"==": [{"var": "kind"}, "B"]}},
        {"key": "items", "type": "subform", "fields": [
            {"key": "qty", "type": "number"},
            {"key": "price", "type": "money"},
            {"key": "amount", "type": "formula", "formula": {"*": [{"var": "qty"},
                                                                   {"var": "price"}]}},
        ]},
        {"key": "total", "type": "formula", "formula": {"sum_rows": [{"var": "items"}, "amount"]},
         "precision": 2},
        {"key": "total_x2", "type": "formula", "formula": {"+": [{"var": "total"},
                                                                {"var": "total"}]}},
        {"key": "signed", "type": "date", "default_formula": {"today": []}},
    ],
    "validations": [
        {"expr": {"!": [{"==": [{"var": "kind"}, "B"]}]}, "path": "kind",
         "message": {"en": "B contracts are closed", "zh-CN": "B 类合同已停止"}},
    ],
}


def test_serial_request_counter_key_and_rendering() -> None:
    result = validate_record(ORDER, {"kind": "B", "vip_note": None}, context=CTX)
    [req] = result.serials
    assert req.counter_key == "contract.no:2026-11"  # the local (Shanghai) month
    assert req.render(7) == "HT-202611-0007"
    assert "no" not in result.values
    assert validate_record(ORDER, {}, existing={"no": "HT-1"}, context=CTX).serials == []
    assert render_pattern("{YY}{DD}-{seq}", NOW, 12) == "2624-12"


def test_serial_column_is_unique_text_and_patterns_are_checked() -> None:
    assert table_spec(ORDER).column("no").unique
    form = {"key": "f", "fields": [
        {"key": "a", "type": "serial", "pattern": "{YYYY}-{seq}-{seq}"},
        {"key": "b", "type": "serial", "pattern": "X-{seq:3}", "reset": "daily"},
        {"key": "c", "type": "serial", "pattern": "{YYYY}{MM}{DD}{seq:3}{oops}"},
        {"key": "d", "type": "serial", "pattern": "{YYYY}{MM}{seq:3}", "reset": "monthly"},
    ]}
    assert {(e.path, e.code) for e in check_form(form, path="forms[0]", forms={})} == {
        ("forms[0].fields[0].pattern", "invalid_pattern"),
        ("forms[0].fields[1].reset", "reset_needs_date"),
        ("forms[0].fields[2].pattern", "invalid_pattern"),
    }


def test_formula_column_follows_result_type() -> None:
    spec = table_spec(ORDER)
    assert spec.column("total").type.__class__.__name__ == "Numeric"
    assert [c.name for c in spec.child("items").columns] == ["qty", "price", "amount"]


def test_formulas_are_computed_in_dependency_order(rules: None) -> None:
    data = {"kind": "A", "vip_note": "x", "reason": "big",
            "items": [{"qty": 2, "price": "30.5"}, {"qty": 1, "price": 40}]}
    result = validate_record(ORDER, data, context=CTX)
    assert result.ok, result.errors
    assert [r["amount"] for r in result.children["items"]] == [Decimal("61.00"), Decimal("40")]
    assert result.values["total"] == Decimal("101.00")
    assert result.values["total_x2"] == Decimal("202.00")
    assert result.values["signed"] == dt.date(2026, 11, 25)  # TODAY() in Shanghai


def test_formulas_refuse_input_and_recompute_on_patch(rules: None) -> None:
    existing = {"kind": "A", "vip_note": "x", "total": Decimal(1),
                "items": [{"qty": Decimal(1), "price": Decimal(5), "amount": Decimal(5)}]}
    result = validate_record(ORDER, {"total": 3}, existing=existing, partial=True, context=CTX)
    assert [(e.path, e.code) for e in result.errors] == [("total", "read_only")]
    result = validate_record(ORDER, {"kind": "A"}, existing=existing, partial=True, context=CTX)
    assert result.ok and result.values["total"] == Decimal("5.00")


def test_conditions(rules: None) -> None:
    # vip_note is required only while visible (kind A); reason is required past 100
    hidden = validate_record(ORDER, {"kind": "B"}, context=CTX)
    assert ("vip_note", "required") not in {(e.path, e.code) for e in hidden.errors}
    shown = validate_record(ORDER, {"kind": "A", "items": [{"qty": 200, "price": 1}]},
                            context=CTX)
    assert {(e.path, e.code) for e in shown.errors} == {("vip_note", "required"),
                                                       ("reason", "required")}
    # editable_when: locked may change only while kind is B
    existing = {"kind": "A", "locked": "old", "vip_note": "x"}
    same = validate_record(ORDER, {"locked": "old"}, existing=existing, partial=True,
                           context=CTX)
    changed = validate_record(ORDER, {"locked": "new"}, existing=existing, partial=True,
                              context=CTX)
    assert same.ok and [e.code for e in changed.errors] == ["not_editable"]


def test_form_rules_carry_their_own_message(rules: None) -> None:
    result = validate_record(ORDER, {"kind": "B"}, context=CTX)
    [err] = [e for e in result.errors if e.code == "rule_failed"]
    assert (err.path, err.message) == ("kind", "B contracts are closed")


def test_without_the_rules_engine_conditions_are_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise form_expr.ExpressionUnavailable("no engines.rules")

    monkeypatch.setattr(form_expr, "_rules", missing)
    result = validate_record(ORDER, {"kind": "B", "vip_note": "x"}, context=CTX)
    assert result.ok and result.values["total"] is None


def test_linkage_defaults_are_described_for_the_platform() -> None:
    form = {"key": "line", "fields": [
        {"key": "code", "type": "text"},
        {"key": "price", "type": "money",
         "default_linkage": {"form": "product", "match": {"sku": "code"}, "take": "list_price"}},
    ]}
    product = {"key": "product", "fields": [{"key": "sku", "type": "text"},
                                            {"key": "list_price", "type": "money"}]}
    assert check_form(form, path="forms[0]", forms={"product": product}) == []
    [link] = validate_record(form, {"code": "P-1"}, context=CTX).linkages
    assert (link.field, link.form, link.take) == ("price", "product", "list_price")
    assert link.filter == {"==": [{"var": "sku"}, "P-1"]}
    assert validate_record(form, {"code": "P-1", "price": 3}, context=CTX).linkages == []
    bad = {**form, "fields": [form["fields"][0], {**form["fields"][1], "default_linkage": {
        "form": "product", "match": {"nope": "code"}, "take": "list_price"}}]}
    assert [e.path for e in check_form(bad, path="forms[0]", forms={"product": product})] == [
        "forms[0].fields[1].default_linkage.match.nope"]


def test_a_default_formula_sees_the_values_given(rules: None) -> None:
    form = {"key": "f", "fields": [
        {"key": "qty", "type": "number"},
        {"key": "planned", "type": "number", "default_formula": {"+": [{"var": "qty"}, 1]}},
    ]}
    assert validate_record(form, {"qty": 4}, context=CTX).values["planned"] == Decimal(5)
    given = validate_record(form, {"qty": 4, "planned": None}, context=CTX)
    assert given.values["planned"] is None  # an explicit empty is not replaced
    assert validate_record(form, {"qty": 1}, existing={}, context=CTX).values["planned"] is None

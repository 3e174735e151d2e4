from __future__ import annotations

import uuid
from decimal import Decimal

from engines.form import RecordContext, check_form, table_spec, to_json, validate_record
from tests.unit.form.examples import ID1, ID2

CTX = RecordContext(locale="en")
FORM = {"key": "order", "fields": [
    {"key": "no", "type": "text"},
    {"key": "items", "type": "subform", "min_rows": 1, "max_rows": 3, "fields": [
        {"key": "product", "type": "relation", "target": "product", "required": True},
        {"key": "qty", "type": "number", "min": 1, "required": True},
        {"key": "unit", "type": "text", "default": "pcs"},
    ]},
]}
FORMS = {"order": FORM, "product": {"key": "product", "fields": [{"key": "n", "type": "text"}]}}


def test_child_table_spec() -> None:
    spec = table_spec(FORM)
    assert [c.name for c in spec.columns] == ["no"]
    [items] = spec.children
    assert (items.key, items.kind) == ("items", "subform")
    assert [c.name for c in items.columns] == ["product", "qty", "unit"]
    assert items.column("product").references_form == "product"


def test_rows_are_validated_with_nested_paths() -> None:
    result = validate_record(FORM, {"items": [
        {"product": ID1, "qty": 2},
        {"product": "nope", "qty": 0},
        {"qty": 1, "colour": "red"},
    ]}, context=CTX)
    assert {(e.path, e.code) for e in result.errors} == {
        ("items[1].product", "invalid_id"), ("items[1].qty", "too_small"),
        ("items[2].colour", "unknown_field"), ("items[2].product", "required"),
    }


def test_rows_become_children_with_defaults_and_references() -> None:
    row_id = str(uuid.uuid4())
    result = validate_record(FORM, {"no": "A1", "items": [
        {"product": ID1, "qty": "2"},
        {"_id": row_id, "product": ID2, "qty": 1, "unit": "box"},
    ]}, context=CTX)
    assert result.ok
    assert result.values == {"no": "A1"}
    first, second = result.children["items"]
    assert first == {"product": uuid.UUID(ID1), "qty": Decimal(2), "unit": "pcs"}
    assert second["_id"] == uuid.UUID(row_id) and "unit" in second
    assert {(r.path, r.kind, r.form) for r in result.references} == {
        ("items[0].product", "record", "product"), ("items[1].product", "record", "product")}
    assert to_json(FORM, {"items": result.children["items"]})["items"][0] == {
        "product": ID1, "qty": 2, "unit": "pcs"}


def test_row_count_limits() -> None:
    # min_rows counts the rows given; an empty sub-form is refused only when required
    assert validate_record(FORM, {"items": []}, context=CTX).ok
    two = {**FORM, "fields": [{**FORM["fields"][1], "min_rows": 2, "required": True}]}
    assert [e.code for e in validate_record(two, {"items": []}, context=CTX).errors] == [
        "required"]
    one_row = {"items": [{"product": ID1, "qty": 1}]}
    assert [e.code for e in validate_record(two, one_row, context=CTX).errors] == [
        "too_few_rows"]
    rows = [{"product": ID1, "qty": 1}] * 4
    assert [e.path for e in validate_record(FORM, {"items": rows}, context=CTX).errors] == [
        "items"]


def test_no_nesting_and_no_serial_inside() -> None:
    form = {"key": "o", "fields": [{"key": "items", "type": "subform", "fields": [
        {"key": "inner", "type": "subform", "fields": []},
        {"key": "no", "type": "serial"},
        {"key": "links", "type": "relation", "target": "o", "multiple": True},
    ]}]}
    assert {(e.path, e.code) for e in check_form(form, path="forms[0]", forms={"o": form})} == {
        ("forms[0].fields[0].fields[0].type", "not_allowed_in_subform"),
        ("forms[0].fields[0].fields[1].type", "not_allowed_in_subform"),
        ("forms[0].fields[0].fields[2].multiple", "not_allowed_in_subform"),
    }


def test_what_sub_form_rows_cannot_hold() -> None:
    form = {"key": "o", "title_field": "items", "fields": [
        {"key": "c", "type": "relation", "target": "o"},
        {"key": "items", "type": "subform", "fields": [
            {"key": "p", "type": "number",
             "default_linkage": {"form": "o", "match": {"c": "p"}, "take": "c"}},
            {"key": "l", "type": "lookup", "relation": "c", "field": "c"},
        ]},
    ]}
    assert {(e.path, e.code) for e in check_form(form, path="forms[0]", forms={"o": form})} == {
        ("forms[0].title_field", "invalid_title_field"),
        ("forms[0].fields[1].fields[0].default_linkage", "not_allowed_in_subform"),
        ("forms[0].fields[1].fields[1].type", "not_allowed_in_subform"),
    }

from __future__ import annotations

import uuid

from sqlalchemy.types import Uuid

from engines.form import RecordContext, check_form, table_spec, validate_record
from tests.unit.form.examples import ID1, ID2

CTX = RecordContext()
CUSTOMER = {"key": "customer", "fields": [
    {"key": "name", "type": "text"},
    {"key": "orders_total", "type": "rollup", "agg": "sum", "field": "amount",
     "via": {"form": "order", "relation": "customer"}},
    {"key": "order_count", "type": "rollup", "agg": "count",
     "via": {"form": "order", "relation": "customer"}},
]}
ORDER = {"key": "order", "fields": [
    {"key": "amount", "type": "money"},
    {"key": "customer", "type": "relation", "target": "customer", "required": True},
    {"key": "tags", "type": "relation", "target": "tag", "multiple": True, "max_items": 2},
    {"key": "customer_name", "type": "lookup", "relation": "customer", "field": "name"},
    {"key": "tag_count", "type": "rollup", "relation": "tags", "agg": "count"},
]}
TAG = {"key": "tag", "fields": [{"key": "label", "type": "text"}]}
FORMS = {"customer": CUSTOMER, "order": ORDER, "tag": TAG}


def test_definitions_check() -> None:
    for i, form in enumerate(FORMS.values()):
        assert check_form(form, path=f"forms[{i}]", forms=FORMS) == []


def test_bad_targets_are_named() -> None:
    form = {"key": "x", "fields": [
        {"key": "r", "type": "relation", "target": "nope"},
        {"key": "l", "type": "lookup", "relation": "amount", "field": "name"},
        {"key": "m", "type": "lookup", "relation": "c", "field": "missing"},
        {"key": "c", "type": "relation", "target": "customer"},
        {"key": "s", "type": "rollup", "agg": "sum", "relation": "c"},
        {"key": "amount", "type": "number"},
    ]}
    assert {(e.path, e.code) for e in check_form(form, path="forms[2]", forms=FORMS)} == {
        ("forms[2].fields[0].target", "unknown_form"),
        ("forms[2].fields[1].relation", "unknown_relation"),
        ("forms[2].fields[2].field", "unknown_field"),
        ("forms[2].fields[4].field", "missing_property"),
    }


def test_single_is_a_foreign_key_column_multiple_a_link_table() -> None:
    spec = table_spec(ORDER)
    assert [c.name for c in spec.columns] == ["amount", "customer"]
    customer = spec.column("customer")
    assert isinstance(customer.type, Uuid) and customer.references_form == "customer"
    assert customer.index
    [link] = spec.children
    assert (link.key, link.kind) == ("tags", "link")
    [target] = link.columns
    assert (target.name, target.nullable, target.references_form) == ("target", False, "tag")


def test_values_children_and_references() -> None:
    result = validate_record(ORDER, {"customer": ID1, "tags": [ID2, ID1]}, context=CTX)
    assert result.ok
    assert result.values == {"amount": None, "customer": uuid.UUID(ID1)}
    assert result.children == {"tags": [{"target": uuid.UUID(ID2)}, {"target": uuid.UUID(ID1)}]}
    assert [(r.path, r.kind, r.form) for r in result.references] == [
        ("customer", "record", "customer"), ("tags[0]", "record", "tag"),
        ("tags[1]", "record", "tag")]


def test_lookups_and_rollups_take_no_input() -> None:
    result = validate_record(ORDER, {"customer": ID1, "customer_name": "x", "tag_count": 1},
                             context=CTX)
    assert {(e.path, e.code) for e in result.errors} == {("customer_name", "read_only"),
                                                        ("tag_count", "read_only")}
    assert table_spec(CUSTOMER).columns[1:] == []


def test_link_rows_as_loaded_read_back_as_ids() -> None:
    """The platform passes link-table rows ({_id, target}) in ``existing`` and to ``to_json``."""
    from engines.form import to_json

    rows = [{"_id": uuid.uuid4(), "target": uuid.UUID(ID2)}]
    assert to_json(ORDER, {"tags": rows}) == {"tags": [ID2]}
    form = {**ORDER, "fields": [*ORDER["fields"][:2],
                                {**ORDER["fields"][2], "editable_when": False}]}
    existing = {"customer": uuid.UUID(ID1), "tags": rows}
    same = validate_record(form, {"tags": [ID2]}, existing=existing, partial=True, context=CTX)
    assert same.ok and same.children == {"tags": [{"target": uuid.UUID(ID2)}]}
    changed = validate_record(form, {"tags": [ID1]}, existing=existing, partial=True,
                              context=CTX)
    assert [e.code for e in changed.errors] == ["not_editable"]


def test_read_plans_for_fields_without_a_column() -> None:
    from engines.form import ReadPlan, read_plans

    assert read_plans(ORDER, FORMS) == [
        ReadPlan(field="customer_name", kind="lookup", source_form="customer",
                 relation="customer", reverse=False, multiple=False, target_field="name"),
        ReadPlan(field="tag_count", kind="rollup", source_form="tag", relation="tags",
                 reverse=False, multiple=True, agg="count"),
    ]
    total, count = read_plans(CUSTOMER, FORMS)
    assert (total.source_form, total.relation, total.reverse, total.agg, total.target_field) == (
        "order", "customer", True, "sum", "amount")
    assert count.agg == "count" and count.target_field is None

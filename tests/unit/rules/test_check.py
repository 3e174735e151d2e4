"""Static checking: structure, fields, types and literals, each with its path."""

from __future__ import annotations

from typing import Any

import pytest

from engines.rules import check

V = lambda name: {"var": name}  # noqa: E731
FIELDS: dict[str, Any] = {
    "amount": "number",
    "name": "text",
    "stage": "select",
    "close_date": "date",
    "signed_at": "datetime",
    "vip": "checkbox",
    "tags": "multiselect",
    "items": {"type": "subform", "fields": {"amount": "number", "sku": "text"}},
    "lines": "subform",
    "lines.qty": "number",
}


def messages(expr: Any) -> list[tuple[str, str]]:
    return [(str(e.path), e.message) for e in check(expr, FIELDS)]


@pytest.mark.parametrize(
    "expr",
    [
        {"if": [{">": [V("amount"), 10000]}, "A", "B"]},
        {"==": [V("stage"), "won"]},
        {"<": [V("close_date"), {"today": []}]},
        {"<": [V("close_date"), "2026-01-01"]},
        {">": [V("signed_at"), V("close_date")]},
        {"sum": [V("items"), "amount"]},
        {"some": [V("items"), {">": [V("amount"), 1]}]},
        {"reduce": [V("lines"), {"+": [V("current.qty"), V("accumulator")]}, 0]},
        {"in": ["vip", V("tags")]},
        {"date_diff": [V("close_date"), {"today": []}, "d"]},
        {"regex_match": [V("name"), "^[A-Z]"]},
        {"==": [V("_owner"), "u1"]},
        {"var": ["amount", 0]},
        {"cat": [V("name"), V("amount")]},
        {"if": [V("vip"), V("amount"), 0]},
    ],
)
def test_good_expressions_have_no_errors(expr: Any) -> None:
    assert check(expr, FIELDS) == []


@pytest.mark.parametrize(
    ("expr", "path", "fragment"),
    [
        ({"==": [V("amout"), 1]}, "==[0].var[0]", "unknown field 'amout'"),
        ({"nope": [1]}, "$", "unknown operator 'nope'"),
        ({"if": [1, {"nope": []}]}, "if[1]", "unknown operator"),
        ({"substr": ["a"]}, "$", "takes 2 to 3 argument(s), got 1"),
        ({"==": [1]}, "$", "takes 2 argument(s)"),
        ({">": [V("amount"), V("name")]}, "$", "compares number with text"),
        ({"==": [V("close_date"), 5]}, "$", "compares date with number"),
        ({"<": [V("close_date"), "soon"]}, "$", "compares date with text"),
        ({"year": ["2026-13-01"]}, "year[0]", "is not a date"),
        ({"year": [V("amount")]}, "year[0]", "expects date"),
        ({"+": [V("vip"), 1]}, "+[0]", "expects number or text, got boolean"),
        ({"sum": [V("items"), "amt"]}, "sum[1]", "unknown column 'amt' of sub-form 'items'"),
        ({"sum": [V("items"), "sku"]}, "sum[1]", "needs a number column"),
        ({"sum": [V("amount"), "x"]}, "sum[0]", "expects rows or array, got number"),
        (
            {"some": [V("items"), {">": [V("qty"), 1]}]},
            "some[1].>[0].var[0]",
            "unknown field 'qty'",
        ),
        ({"map": [V("amount"), 1]}, "map[0]", "needs an array or sub-form"),
        ({"reduce": [V("lines"), V("qty"), 0]}, "reduce[1].var[0]", "'current' or 'accumulator'"),
        ({"==": [V("items.amount"), 1]}, "==[0].var[0]", "use an aggregate"),
        ({"regex_match": [V("name"), "(a+)+"]}, "regex_match[1]", "not supported"),
        ({"date_add": [V("close_date"), 1, "fortnight"]}, "date_add[2]", "unknown date unit"),
        ({"missing": ["amount", "amt"]}, "missing[1]", "unknown field 'amt'"),
        ({"a": 1, "b": 2}, "$", "exactly one key"),
    ],
)
def test_errors_name_the_path(expr: Any, path: str, fragment: str) -> None:
    found = messages(expr)
    assert any(p == path and fragment in m for p, m in found), found


def test_all_errors_are_reported_not_just_the_first() -> None:
    expr = {"and": [{"==": [V("a1"), 1]}, {"==": [V("a2"), 1]}]}
    assert [e.message for e in check(expr, FIELDS)] == [
        "unknown field 'a1'",
        "unknown field 'a2'",
    ]


def test_form_engine_field_definitions_are_accepted() -> None:
    """The form engine passes whole field definitions, sub-form columns keyed the same way."""
    fields = {
        "amount": {"key": "amount", "type": "money"},
        "items": {
            "key": "items",
            "type": "subform",
            "fields": {"price": {"key": "price", "type": "number"}},
        },
    }
    assert check({"sum": [V("items"), "price"]}, fields) == []
    assert check({">": [V("amount"), 1]}, fields) == []
    assert check({"sum": [V("items"), "cost"]}, fields)[0].message.startswith("unknown column")
    as_list = {"items": {"type": "subform", "fields": [{"key": "price", "type": "number"}]}}
    assert check({"sum": [V("items"), "price"]}, as_list) == []

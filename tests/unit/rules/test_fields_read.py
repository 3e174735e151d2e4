"""fields_read: the walk that lists what an expression reads (dependencies, permissions)."""

from __future__ import annotations

from engines.rules import fields_read, parse_formula

V = lambda name: {"var": name}  # noqa: E731


def test_plain_and_dotted_vars() -> None:
    assert fields_read({"and": [V("a"), {"==": [V("customer.level"), "A"]}]}) == {
        "a",
        "customer.level",
    }


def test_scoped_operators_prefix_element_fields() -> None:
    expr = {
        "and": [
            {"some": [V("items"), {">": [V("qty"), 1]}]},
            {"reduce": [V("items"), {"+": [V("current.price"), V("accumulator")]}, 0]},
            {"map": [V("items"), V("")]},
        ]
    }
    assert fields_read(expr) == {"items", "items.qty", "items.price"}


def test_aggregates_and_missing() -> None:
    assert fields_read(parse_formula("SUM(items.amount) + COUNT(lines)")) == {
        "items",
        "items.amount",
        "lines",
    }
    assert fields_read({"missing": ["a", "b"]}) == {"a", "b"}
    assert fields_read({"missing_some": [1, ["c"]]}) == {"c"}


def test_computed_names_are_not_guessed() -> None:
    assert fields_read({"var": {"cat": ["a", V("suffix")]}}) == {"suffix"}
    assert fields_read({"var": ""}) == {""}
    assert fields_read({"var": ["x", V("fallback")]}) == {"x", "fallback"}


def test_shared_cases() -> None:
    """The same cases the browser's fieldsRead runs (cases.json, "fields_read")."""
    from engines.rules.conformance import document

    for case in document()["fields_read"]:
        assert sorted(fields_read(case["expr"])) == case["fields"], case["expr"]

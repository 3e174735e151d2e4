"""Formulas: Excel syntax and precedence to the expression tree, and back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from engines.rules import ExpressionError, evaluate, format_formula, parse_formula
from engines.rules.conformance import cases, clock

V = lambda name: {"var": name}  # noqa: E731


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ('IF(amount > 10000, "A", "B")', {"if": [{">": [V("amount"), 10000]}, "A", "B"]}),
        ('=if(amount>10000,"A","B")', {"if": [{">": [V("amount"), 10000]}, "A", "B"]}),
        ("1 + 2 * 3", {"+": [1, {"*": [2, 3]}]}),
        ("(1 + 2) * 3", {"*": [{"+": [1, 2]}, 3]}),
        ("a + b + c", {"+": [V("a"), V("b"), V("c")]}),
        ("a - b - c", {"-": [{"-": [V("a"), V("b")]}, V("c")]}),
        ("2 ^ 3 ^ 2", {"power": [{"power": [2, 3]}, 2]}),
        ("-2 ^ 2", {"power": [-2, 2]}),
        ("-x", {"-": [V("x")]}),
        ("50%", {"/": [50, 100]}),
        ('a & "-" & b', {"cat": [V("a"), "-", V("b")]}),
        ("a + 1 & b", {"cat": [{"+": [V("a"), 1]}, V("b")]}),
        ("a & b = c", {"==": [{"cat": [V("a"), V("b")]}, V("c")]}),
        ("a <> b", {"!=": [V("a"), V("b")]}),
        ("a >= 1", {">=": [V("a"), 1]}),
        ('"say ""hi"""', 'say "hi"'),
        ("TRUE", True),
        ("false", False),
        ("NULL", None),
        ('{1, 2, "x"}', [1, 2, "x"]),
        ("{}", []),
        ("1.5e3", 1500),
        ("SUM(items.amount)", {"sum": [V("items"), "amount"]}),
        ("sum(a, b, 3)", {"sum": [[V("a"), V("b"), 3]]}),
        ("AVERAGE(items.price)", {"avg": [V("items"), "price"]}),
        ("COUNT(items)", {"count": [V("items")]}),
        ("MAX(items.amount)", {"max_of": [V("items"), "amount"]}),
        ("MIN(a, b)", {"min_of": [[V("a"), V("b")]]}),
        ('IFS(a > 1, "x", a > 0, "y")', {"if": [{">": [V("a"), 1]}, "x", {">": [V("a"), 0]}, "y"]}),
        ('SWITCH(level, "A", 1, 0)', {"switch": [V("level"), "A", 1, 0]}),
        ("AND(a, NOT(b), OR(c, d))", {"and": [V("a"), {"!": [V("b")]}, {"or": [V("c"), V("d")]}]}),
        ('DATEDIF(close_date, TODAY(), "d")', {"date_diff": [V("close_date"), {"today": []}, "d"]}),
        ("CONCATENATE(a, b)", {"cat": [V("a"), V("b")]}),
        ("LEN(name)", {"length": [V("name")]}),
        ("ISBLANK(x)", {"is_empty": [V("x")]}),
        ("VALUE(x)", {"to_number": [V("x")]}),
        ('TEXT(x, "0.00")', {"text": [V("x"), "0.00"]}),
        ("DATE(2026, 1, 2)", {"date": [2026, 1, 2]}),
        ('date_add(d, 1, "months")', {"date_add": [V("d"), 1, "months"]}),
        ("coalesce(a, 0)", {"coalesce": [V("a"), 0]}),
        ('VAR("a.b", 0)', {"var": ["a.b", 0]}),
        ("customer.level", V("customer.level")),
    ],
)
def test_parse(text: str, tree: Any) -> None:
    assert parse_formula(text) == tree


def test_labels_in_brackets() -> None:
    labels = {"合同金额": "amount", "明细.金额": "items.amount"}
    assert parse_formula("[合同金额] * 2", labels=labels) == {"*": [V("amount"), 2]}
    assert parse_formula("SUM([明细.金额])", labels=labels) == {"sum": [V("items"), "amount"]}
    assert parse_formula("[amount] + 1") == {"+": [V("amount"), 1]}


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ('IF(a > 1, "x"', 13, "')' missing"),
        ("SUMM(a)", 0, "did you mean SUM"),
        ("a b", 2, "operator or ',' missing"),
        ("'x'", 0, "double quotes"),
        ("1 +* 2", 3, "unexpected"),
        ("LEFT()", 0, "takes 1 to 2"),
        ("[合同]", 0, "did you mean [合同金额]"),
        ("[x", 0, "closing ']'"),
    ],
)
def test_syntax_errors_have_position_and_hint(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_formula(text, labels={"合同金额": "amount"})
    assert caught.value.position == position
    assert fragment in str(caught.value)


def test_huge_and_deep_formulas_are_refused_cleanly() -> None:
    assert parse_formula("(" * 5000 + "1" + ")" * 5000) == 1  # no recursion anywhere
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_formula("ABS(" * 3000 + "1" + ")" * 3000)
    with pytest.raises(ExpressionError, match="nested too deeply"):
        parse_formula("-" * 3000 + "x")
    with pytest.raises(ExpressionError, match="too large"):
        parse_formula("+".join(["1"] * 6000))
    with pytest.raises(ExpressionError, match="longer than"):
        parse_formula("1" * 30000)


@pytest.mark.parametrize(
    "text",
    [
        'IF(amount > 10000, "A", "B")',
        "a - (b - c)",
        "(a & b) + 1",
        "-(a + b) * c",
        "2 ^ (3 ^ 2)",
        "-2 ^ 2",
        "(-a) ^ 2",
        "SUM(items.amount) * 1.1 + COUNT(items)",
        "NOT(a = b) <> TRUE",
        '"a ""q"" b" & 1e21',
    ],
)
def test_format_then_parse_is_the_same_tree(text: str) -> None:
    tree = parse_formula(text)
    assert parse_formula(format_formula(tree)) == tree


CASES = cases()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_every_conformance_tree_round_trips_through_formula_text(case: dict[str, Any]) -> None:
    """Any tree can be written as a formula that evaluates the same."""
    text = format_formula(case["expr"])
    again = parse_formula(text)
    assert evaluate(again, case["data"], clock=clock()) == evaluate(
        case["expr"], case["data"], clock=clock()
    ), text


def test_formula_evaluates_like_excel_on_a_record() -> None:
    record = {"amount": 12000, "items": [{"amount": 3}, {"amount": 4.5}], "close": "2026-11-01"}
    now = dt.datetime(2026, 11, 24, tzinfo=dt.UTC)
    assert evaluate(parse_formula('IF(amount > 10000, "A", "B")'), record) == "A"
    assert evaluate(parse_formula("SUM(items.amount)"), record) == 7.5
    assert evaluate(parse_formula('DATEDIF(close, TODAY(), "d")'), record, clock=now) == 23
    assert evaluate(parse_formula('ROUND(2.675, 2) & ""'), record) == "2.68"

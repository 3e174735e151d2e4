"""Formulas over lookups and rollups are computed again when a record is read."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, live_formulas, refresh_live, validate_record

CONTRACT = {"key": "contract", "fields": [
    {"key": "amount", "type": "money", "precision": 2},
    {"key": "received", "type": "rollup", "agg": "sum", "field": "amount",
     "via": {"form": "payment", "relation": "contract"}},
    {"key": "customer", "type": "relation", "target": "customer"},
    {"key": "customer_level", "type": "lookup", "relation": "customer", "field": "level"},
    {"key": "outstanding", "type": "formula",
     "formula": {"-": [{"var": "amount"}, {"var": "received"}]}, "precision": 2},
    {"key": "settled", "type": "formula", "result_type": "checkbox",
     "formula": {"<=": [{"var": "outstanding"}, 0]}},
    {"key": "vip", "type": "formula", "result_type": "checkbox",
     "formula": {"==": [{"var": "customer_level"}, "A"]}},
    {"key": "doubled", "type": "formula", "formula": {"*": [{"var": "amount"}, 2]}},
]}


def test_only_formulas_reaching_a_lookup_or_rollup_are_live() -> None:
    # `settled` reads a rollup only through `outstanding`; `doubled` reads stored fields only
    assert live_formulas(CONTRACT) == ["outstanding", "settled", "vip"]


def test_a_read_record_gets_formulas_from_its_current_rollups() -> None:
    stored = {"amount": 1000, "received": 400, "outstanding": 1000, "settled": False,
              "customer_level": "A", "vip": False, "doubled": 7}
    fresh = refresh_live(CONTRACT, stored)
    assert fresh["outstanding"] == 600
    assert fresh["settled"] is False and fresh["vip"] is True
    assert fresh["doubled"] == 7  # not live: as stored
    paid = refresh_live(CONTRACT, {**stored, "received": 1000})
    assert paid["outstanding"] == 0 and paid["settled"] is True


def test_a_formula_keeps_its_stored_value_when_what_it_reads_was_not_read() -> None:
    """A rollup hidden from the caller is not in the record: no guess from an empty value."""
    stored = {"amount": 1000, "outstanding": 700, "settled": False,
              "customer_level": "B", "vip": False}
    fresh = refresh_live(CONTRACT, stored)
    assert fresh["outstanding"] == 700 and fresh["settled"] is False
    assert fresh["vip"] is False


def test_a_form_without_live_formulas_is_returned_as_is() -> None:
    form = {"key": "f", "fields": [{"key": "a", "type": "number"},
                                   {"key": "b", "type": "formula", "formula": {"var": "a"}}]}
    assert live_formulas(form) == []
    assert refresh_live(form, {"a": 1, "b": 7}) == {"a": 1, "b": 7}


@given(amount=st.decimals(min_value=0, max_value=10**9, places=2),
       received=st.decimals(min_value=0, max_value=10**9, places=2))
def test_reading_agrees_with_saving(amount: Decimal, received: Decimal) -> None:
    """What a read computes is what a save would store with the same rollup values."""
    ctx = RecordContext()
    saved = validate_record(CONTRACT, {"amount": str(amount)},
                            existing={"received": received}, partial=True, context=ctx)
    assert not saved.errors
    read = refresh_live(CONTRACT, {"amount": float(amount), "received": float(received),
                                   "customer_level": None, "outstanding": None,
                                   "settled": None, "vip": None}, ctx)
    assert Decimal(str(read["outstanding"])) == saved.values["outstanding"]
    assert read["settled"] == saved.values["settled"]

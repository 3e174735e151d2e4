"""Numbers, dates and times written as the browser's form writes them (firstpaint.formats).

Two kinds of check: properties against Python's own formatting of the same rule (hypothesis),
and a batch of values formatted by JavaScript itself (Node: `String`, `toFixed`,
`Intl.NumberFormat`, the browser's own engines) compared digit for digit.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tessera.firstpaint import formats
from tessera.firstpaint.templates import CannotDraw

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
places = st.integers(min_value=0, max_value=8)


@given(finite, places)
def test_to_fixed_rounds_the_exact_value_half_away_from_zero(value: float, digits: int) -> None:
    expected = Decimal(value).quantize(Decimal(10) ** -digits, rounding=ROUND_HALF_UP)
    assert Decimal(formats.to_fixed(value, digits)) == expected
    assert formats.to_fixed(value, digits).count(".") == (1 if digits else 0)


@given(finite, places)
def test_money_groups_the_fixed_text_by_thousands(value: float, digits: int) -> None:
    fixed = formats.to_fixed(value, digits)
    # Python's own grouping of the same digits
    whole, _, decimals = fixed.partition(".")
    grouped = f"{int(whole):,}" if whole not in ("-0",) else "-0"
    assert formats.number_text(value, digits, money=True) == grouped + (
        "." + decimals if decimals else "")
    assert formats.number_text(value, digits, money=False) == fixed


@given(st.integers(min_value=-(2**53), max_value=2**53))
def test_integers_are_written_whole(value: int) -> None:
    assert formats.number_text(value, None, money=False) == str(value)
    assert formats.number_text(value, 0, money=True) == f"{value:,}"


@given(finite, st.integers(min_value=0, max_value=10))
def test_intl_numbers_round_the_shortest_digits(value: float, digits: int) -> None:
    shortest = Decimal(repr(value))
    rounded = shortest.quantize(Decimal(10) ** -digits, rounding=ROUND_HALF_UP)
    text = formats.intl_number(value, max_digits=digits)
    assert Decimal(text.replace(",", "")) == rounded
    assert text.lstrip("-").split(".")[0] == f"{abs(int(rounded)):,}"


def test_what_javascript_would_write_another_way_is_not_drawn() -> None:
    for value in ("12.5", True, 2**60, 1e21, float("nan")):
        with pytest.raises(CannotDraw):
            formats.number_text(value, None, money=False)
    with pytest.raises(CannotDraw):
        formats.intl_number(5, style="currency", currency="CHF")


def test_percents_are_typed_as_percents() -> None:
    assert formats.fraction_to_percent(0.15) == 15
    assert formats.fraction_to_percent(0.07) == 7  # 7.000000000000001 as a bare product
    assert formats.fraction_to_percent(0.123456) == 12.3456
    assert formats.fraction_to_percent(0) == 0


def test_dates_and_times_as_the_pickers_show_them() -> None:
    assert formats.date_input("2026-11-25") == "2026-11-25"
    assert formats.datetime_input("2026-11-24T17:30:00Z") == "2026-11-25 01:30"
    assert formats.datetime_input("2026-11-25T09:30:00+08:00") == "2026-11-25 09:30"
    assert formats.datetime_input("2026-11-25T09:30:00") == "2026-11-25 09:30"
    assert formats.time_input("09:30:00") == "09:30"
    assert formats.time_input("9:05") == "09:05"
    day = formats.parse_date("2026-11-05")
    assert formats.date_label(day, "zh-CN") == "2026年11月5日"
    assert formats.date_label(day, "en") == "Nov 5, 2026"
    assert formats.datetime_label("2026-11-05T01:02:00Z", "en") == "Nov 5, 2026 09:02"
    for bad in ("25/11/2026", 20261125, None):
        with pytest.raises(CannotDraw):
            formats.date_input(bad)
    with pytest.raises(CannotDraw):
        formats.time_input("25:00")


NODE = shutil.which("node")
JS = """
const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const intl = (n, o) => new Intl.NumberFormat('zh-CN', o).format(n);
const out = cases.map(([n, p]) => [String(n), n.toFixed(p),
  Number((n * 100).toPrecision(12)),
  intl(n, {maximumFractionDigits: 10}),
  intl(n, {minimumFractionDigits: p, maximumFractionDigits: p}),
  intl(n, {style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol',
           minimumFractionDigits: 2, maximumFractionDigits: 2}),
  intl(n, {style: 'percent', maximumFractionDigits: 4})]);
process.stdout.write(JSON.stringify(out));
"""


def _cases() -> list[tuple[float | int, int]]:
    rng = random.Random(11)
    values: list[float | int] = [0, 1, -1, 0.5, 1.005, 2.675, 1234567.891, -0.0049, 1e-7,
                                 123456789012.345, 0.1 + 0.2, 860000000.5, -1234.5, 99.995]
    for _ in range(1500):
        scale = 10 ** rng.randint(-8, 14)
        value = round(rng.uniform(-1, 1) * scale, rng.randint(0, 9))
        values.append(int(value) if rng.random() < 0.2 else value)
    return [(v, rng.randint(0, 6)) for v in values]


@pytest.mark.skipif(NODE is None, reason="needs node (the browser's number formatting)")
def test_numbers_match_javascripts_own_output() -> None:
    cases = _cases()
    result = subprocess.run([NODE, "-e", JS], input=json.dumps(cases), capture_output=True,
                            text=True, check=True, timeout=60)
    for (value, digits), js in zip(cases, json.loads(result.stdout), strict=True):
        string, fixed, percent, plain, fixed_intl, money, percent_intl = js
        assert formats.js_string(value) == string, value
        assert formats.to_fixed(value, digits) == fixed, (value, digits)
        assert formats.fraction_to_percent(value) == percent, value
        if abs(value) < 2**53:
            assert formats.intl_number(value) == plain, value
            assert formats.intl_number(value, min_digits=digits, max_digits=digits) \
                == fixed_intl, (value, digits)
            assert formats.intl_number(value, min_digits=2, max_digits=2, style="currency",
                                       currency="CNY") == money, value
            assert formats.intl_number(value, max_digits=4, style="percent") \
                == percent_intl, value

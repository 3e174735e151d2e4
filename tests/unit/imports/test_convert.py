"""Cell conversion per field type: what people type into spreadsheets becomes the JSON input
the form engine takes; what is not recognised is passed on for the engine to refuse."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from tessera.imports.convert import Pending, Refused, convert_cell, importable_type, split_many

STAGE = {"key": "stage", "type": "select",
         "options": [{"value": "won", "label": {"zh-CN": "赢单", "en": "Won"}},
                     {"value": "lost", "label": {"zh-CN": "输单", "en": "Lost"}}]}
TAGS = {**STAGE, "key": "tags", "type": "multiselect"}


def f(kind: str, **extra) -> dict:
    return {"key": "x", "type": kind, **extra}


@pytest.mark.parametrize(("kind", "cell", "expected"), [
    ("text", 3.0, "3"), ("text", 12, "12"), ("text", 2.5, "2.5"),
    ("text", dt.date(2026, 1, 2), "2026-01-02"), ("phone", 13800138000, "13800138000"),
    ("text", "'=1+2", "=1+2"), ("text", "'abc", "'abc"), ("number", "'-5", "-5"),
    ("number", "1,234.50", "1234.50"), ("money", "¥1,200", "1200"), ("money", "￥ 9.9元", "9.9"),
    ("number", 7, 7), ("number", 0.1, "0.1"), ("number", "abc", "abc"),
    ("percent", "15%", "0.15"), ("percent", 0.15, "0.15"), ("rating", "★★★☆☆", 3),
    ("date", dt.datetime(2026, 3, 1, 0, 0), "2026-03-01"), ("date", "2026/3/1", "2026-03-01"),
    ("date", "2026年3月1日", "2026-03-01"), ("date", "2026.03.01", "2026-03-01"),
    ("date", "2026-03-01 00:00:00", "2026-03-01"), ("date", 46082, "2026-03-01"),
    ("date", "2026-02-30", "2026-02-30"), ("date", "soon", "soon"),
    ("datetime", "2026/3/1 9:05", "2026-03-01T09:05:00"),
    ("datetime", "2026-03-01T09:05:00+08:00", "2026-03-01T09:05:00+08:00"),
    ("datetime", dt.date(2026, 3, 1), "2026-03-01T00:00:00"),
    ("time", "9:05", "09:05:00"), ("time", 0.5, "12:00:00"), ("time", dt.time(8, 1), "08:01:00"),
    ("checkbox", "是", True), ("checkbox", "否", False), ("checkbox", "YES", True),
    ("checkbox", 0, False), ("checkbox", True, True), ("checkbox", "maybe", "maybe"),
])
def test_cells_become_engine_input(kind, cell, expected) -> None:
    assert convert_cell(f(kind), cell) == expected


def test_empty_cells_are_none() -> None:
    for cell in (None, "", "   "):
        assert convert_cell(f("number"), cell) is None


def test_options_by_value_or_label_in_any_language() -> None:
    assert convert_cell(STAGE, "赢单") == "won"
    assert convert_cell(STAGE, " lost ") == "lost"
    assert convert_cell(STAGE, "WON") == "won"
    assert convert_cell(STAGE, "平局") == "平局"  # the engine says not_in_options
    assert convert_cell(TAGS, "赢单，Lost;won") == ["won", "lost", "won"]


def test_multi_values_split_on_ascii_and_chinese_separators() -> None:
    assert split_many("a, b，c;d；e、f") == ["a", "b", "c", "d", "e", "f"]


def test_references_wait_for_the_database() -> None:
    relation = {"key": "c", "type": "relation", "target": "customer"}
    assert convert_cell(relation, " 华为 ") == Pending("record", ("华为",), False, "customer")
    assert convert_cell(f("members"), "a@x.cn, 李雷") == Pending("user", ("a@x.cn", "李雷"), True)
    many = {"key": "c", "type": "relation", "target": "customer", "multiple": True}
    assert importable_type(many)
    assert convert_cell(many, "华为；腾讯、小米\n阿里") == Pending(
        "record", ("华为", "腾讯", "小米", "阿里"), True, "customer")
    assert importable_type(f("address"))
    for kind in ("subform", "attachment", "image", "signature", "formula", "serial", "lookup"):
        assert not importable_type(f(kind))


def test_locations_are_longitude_then_latitude_with_an_optional_address() -> None:
    assert convert_cell(f("location"), "120.1551,30.2741") == {
        "lng": 120.1551, "lat": 30.2741, "address": None}
    assert convert_cell(f("location"), " -74.006，40.7128 纽约 ") == {
        "lng": -74.006, "lat": 40.7128, "address": "纽约"}
    assert convert_cell(f("location"), "杭州") == Refused("invalid_location", "杭州")


@given(st.floats(-180, 180), st.floats(-90, 90),
       st.one_of(st.none(), st.text(st.characters(categories=("Lo",)), min_size=1, max_size=8)))
def test_exported_locations_read_back_to_the_stored_point(lng: float, lat: float,
                                                          address: str | None) -> None:
    from tessera.imports.export import Formatter

    location = field_types.get("location")
    stored = location.normalise(f("location"), {"lng": lng, "lat": lat, "address": address},
                                RecordContext())
    cell = Formatter("zh-CN", {}, {}, xlsx=False).for_field(f("location"))(stored)
    assert location.normalise(f("location"), convert_cell(f("location"), cell),
                              RecordContext()) == stored


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**12, max_value=10**12,
                   places=6))
def test_numbers_as_text_or_cells_keep_their_value(number: Decimal) -> None:
    ctx = RecordContext()
    number_type = field_types.get("number")
    expected = number_type.normalise(f("number"), str(number), ctx)
    assert number_type.normalise(f("number"), convert_cell(f("number"), str(number)),
                                 ctx) == expected
    assert number_type.normalise(f("number"), convert_cell(f("number"), f"{number:,f}"),
                                 ctx) == expected


@given(st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)))
def test_dates_in_any_common_spelling(day: dt.date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                 f"{day.year}年{day.month}月{day.day}日"):
        assert convert_cell(f("date"), text) == day.isoformat()
    assert convert_cell(f("date"), dt.datetime.combine(day, dt.time())) == day.isoformat()


ITEM = st.text(st.characters(blacklist_characters=",，;；、\n\r", blacklist_categories=("Cs",)),
               min_size=1, max_size=10).map(str.strip).filter(bool)


@given(st.lists(ITEM, max_size=6))
def test_multi_values_joined_as_exported_split_back(values: list[str]) -> None:
    """The export joins a cell's values with ", " (titles of a multiple relation, members,
    labels); the importer splits them back into the same list."""
    assert split_many(", ".join(values)) == values

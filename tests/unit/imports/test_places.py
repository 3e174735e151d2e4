"""Address cells: what people write (slashes, one run of text, short names, municipalities,
no province) -> division codes and a detail line; the export's form reads back to the same
value for every division in the dataset."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from engines.form.types.places import divisions
from tessera.imports.convert import Refused, convert_cell
from tessera.imports.places import format_address, parse

ADDRESS = {"key": "a", "type": "address", "level": "province"}


@pytest.mark.parametrize(("text", "codes", "detail"), [
    ("浙江省/杭州市/西湖区/文三路90号", ("33", "3301", "330106"), "文三路90号"),
    ("浙江省杭州市西湖区 文三路 90 号", ("33", "3301", "330106"), "文三路 90 号"),
    ("浙江杭州西湖区文三路90号", ("33", "3301", "330106"), "文三路90号"),
    ("北京市东城区王府井1号", ("11", None, "110101"), "王府井1号"),
    ("北京市北京市东城区王府井1号", ("11", None, "110101"), "王府井1号"),
    ("杭州市西湖区文三路", ("33", "3301", "330106"), "文三路"),
    ("吉林市船营区", ("22", "2202", "220204"), None),  # the city, not 吉林省 + "市…"
    ("广东省东莞市南城", ("44", "4419", None), "南城"),  # a city without districts
    ("上海市/浦东新区/张江/路/1号", ("31", None, "310115"), "张江/路/1号"),
    ("浙江省", ("33", None, None), None),
])
def test_cells_people_write(text: str, codes: tuple, detail: str | None) -> None:
    value = parse(text)
    assert value is not None
    assert (value["province"], value["city"], value["district"]) == codes
    assert value["detail"] == detail


def test_text_naming_no_division_is_refused_with_the_text() -> None:
    assert parse("火星基地") is None
    assert convert_cell(ADDRESS, " 火星基地 ") == Refused("unknown_address", "火星基地")


DIVISIONS = sorted(divisions().values())
DETAIL = st.text(st.characters(codec="utf-8", categories=("Lo", "Nd")), max_size=12)


@given(st.sampled_from(DIVISIONS), DETAIL)
def test_export_form_reads_back_to_the_same_value(division, detail: str) -> None:
    chain = [division]
    while chain[-1].parent:
        chain.append(divisions()[chain[-1].parent])
    value = {"province": None, "city": None, "district": None, "detail": detail or None}
    for d in chain:
        value[d.level] = d.code
    assert parse(format_address(value) or "") == value
    ctx = RecordContext()
    address = field_types.get("address")
    assert address.normalise(ADDRESS, convert_cell(ADDRESS, format_address(value)), ctx) == \
        address.normalise(ADDRESS, value, ctx)

"""Address cells: what people write (slashes, one run of text, short names, municipalities,
no province) -> division codes and a detail line; the export's form, Chinese and English (the
regions' English names, as the browser shows them), reads back to the same value for every
division in the dataset."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engines.form import RecordContext, field_types
from engines.form.types.places import divisions
from tessera.imports.convert import Refused, convert_cell
from tessera.imports.export import Formatter
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
    # English, as an English export writes it (the browser's English address)
    ("Zhejiang / Hangzhou / Xihu District, 1 Main St", ("33", "3301", "330106"), "1 Main St"),
    ("zhejiang/hangzhou/xihu district，文三路90号", ("33", "3301", "330106"), "文三路90号"),
    ("Beijing / Dongcheng District", ("11", None, "110101"), None),
    ("Guangdong / Dongguan, Nancheng, Bldg 2/3", ("44", "4419", None), "Nancheng, Bldg 2/3"),
    ("Yunnan / Pu'er / Menglian Dai, Lahu and Va Autonomous County, 5 Road",
     ("53", "5308", "530827"), "5 Road"),  # a name with commas in it
    ("Zhejiang, Hangzhou Road 5", ("33", None, None), "Hangzhou Road 5"),  # `,`: the detail
    ("Hong Kong", ("81", None, None), None),
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


def address_in(division, detail: str) -> dict:
    """The stored value of an address down to `division`, with `detail`."""
    chain = [division]
    while chain[-1].parent:
        chain.append(divisions()[chain[-1].parent])
    value = {"province": None, "city": None, "district": None, "detail": detail or None}
    for d in chain:
        value[d.level] = d.code
    return value


def assert_reads_back(value: dict, cell: str) -> None:
    """The cell parses to the value and imports as the value would be saved."""
    assert parse(cell) == value, cell
    ctx = RecordContext()
    address = field_types.get("address")
    assert address.normalise(ADDRESS, convert_cell(ADDRESS, cell), ctx) == \
        address.normalise(ADDRESS, value, ctx)


@given(st.sampled_from(DIVISIONS), DETAIL)
def test_export_form_reads_back_to_the_same_value(division, detail: str) -> None:
    value = address_in(division, detail)
    assert_reads_back(value, format_address(value) or "")


@pytest.mark.parametrize("text", ["Mars Base 1", "Zhejiangxyz / Hangzhou", "Atlantis, 1 Road"])
def test_english_text_naming_no_province_is_refused(text: str) -> None:
    assert parse(text) is None
    assert convert_cell(ADDRESS, text) == Refused("unknown_address", text)


VALUE = {"province": "33", "city": "3301", "district": "330106", "detail": "文三路90号",
         "text": "浙江省杭州市西湖区文三路90号"}


@pytest.mark.parametrize(("locale", "cell"), [
    ("zh-CN", "浙江省/杭州市/西湖区/文三路90号"),
    ("zh", "浙江省/杭州市/西湖区/文三路90号"),
    ("en", "Zhejiang / Hangzhou / Xihu District, 文三路90号"),
    ("en-US", "Zhejiang / Hangzhou / Xihu District, 文三路90号"),
])
def test_the_cell_follows_the_export_language(locale: str, cell: str) -> None:
    assert format_address(VALUE, locale) == cell
    write = Formatter(locale, {}, {}, xlsx=False).for_field({"key": "a", "type": "address"})
    assert write(VALUE) == cell
    assert write(None) is None


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_an_address_without_regions_is_its_detail_line(locale: str) -> None:
    assert format_address({"province": None, "detail": "Room 1", "text": "Room 1"},
                          locale) == "Room 1"
    assert format_address({"province": "99", "detail": None, "text": "旧"}, locale) == "旧"
    assert format_address("not an address", locale) is None


ENGLISH_DETAIL = st.text(st.characters(codec="utf-8", categories=("Lu", "Ll", "Nd", "Lo"),
                                       include_characters=" ,/'-"), max_size=16)


@given(st.sampled_from(DIVISIONS), ENGLISH_DETAIL)
def test_english_export_form_reads_back_to_the_same_value(division, detail: str) -> None:
    value = address_in(division, detail.strip())
    assert_reads_back(value, format_address(value, "en") or "")

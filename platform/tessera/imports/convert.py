"""Spreadsheet cells -> the JSON input the form engine takes, per field type. Pure.

A cell may be a number, a date, a bool or text (csv cells are always text). Each importable
field type has one converter in `CONVERTERS`; the converter turns what people type into
spreadsheets (`2026/1/2`, `2026年1月2日`, `15%`, `¥1,200.50`, `是`, option labels,
`vip，urgent`) into the canonical JSON value, and leaves anything it does not recognise as it
is, so that the form engine reports it with its own message. References that need the database
(a related record by its title, a member by e-mail or name, a department by key or name) come
back as `Pending` and are resolved per batch by the importer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tessera.imports.places import parse

MULTI_SPLIT = re.compile(r"\s*[,，;；、\n]\s*")
TRUE_WORDS = {"是", "对", "true", "yes", "y", "1", "t", "√", "✓", "✔", "on", "x"}
FALSE_WORDS = {"否", "不", "false", "no", "n", "0", "f", "×", "✗", "off", ""}
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIME = re.compile(r"(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2})(\.\d+)?)?\s*秒?")
_MONEY_NOISE = re.compile(r"[\s,，¥￥$€£]|^CNY|^RMB|元$")


@dataclass(frozen=True)
class Pending:
    """A reference to resolve against the database: `kind` user | department | record."""

    kind: str
    texts: tuple[str, ...]
    many: bool
    form: str | None = None


@dataclass(frozen=True)
class Refused:
    """A cell the converter knows to be wrong in a way the engine cannot name (an address that
    names no division): the importer reports `code` with the cell's text."""

    code: str
    text: str


def label_texts(label: Any) -> list[str]:
    if isinstance(label, Mapping):
        return [str(v) for v in label.values() if v]
    return [str(label)] if label else []


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).casefold()


def as_text(cell: Any) -> str:
    """A cell as people read it: 3 not 3.0, dates in ISO form."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date | dt.time):
        return cell.isoformat()
    return str(cell)


def _text(field: Mapping[str, Any], cell: Any) -> Any:
    return cell if cell.__class__ is str else as_text(cell)


def _number(field: Mapping[str, Any], cell: Any) -> Any:
    if cell.__class__ is str:  # csv cells, the common case: tested first
        try:
            Decimal(cell)
            return cell  # a plain number: the engine reads it as it is
        except InvalidOperation:
            pass
    elif isinstance(cell, bool):
        return cell  # the engine refuses booleans with its own message
    elif isinstance(cell, int):
        return cell
    elif isinstance(cell, Decimal):
        return str(cell)
    elif isinstance(cell, float):
        return repr(cell)
    text = _MONEY_NOISE.sub("", as_text(cell))
    percent = field.get("type") == "percent" and text.endswith(("%", "％"))
    if percent:
        text = text[:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        return as_text(cell)
    return str(number / 100 if percent else number)


def _rating(field: Mapping[str, Any], cell: Any) -> Any:
    if isinstance(cell, str):
        stars = cell.strip()
        if stars and set(stars) <= {"★", "☆"}:
            return stars.count("★")
    return _number(field, cell)


def _serial_to_datetime(value: float) -> dt.datetime | None:
    if 1 <= value < 2958466:  # Excel serial day numbers 1900-01-01 .. 9999-12-31
        return EXCEL_EPOCH + dt.timedelta(days=value)
    return None


def _date(field: Mapping[str, Any], cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    if isinstance(cell, dt.date):
        return cell.isoformat()
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        moment = _serial_to_datetime(float(cell))
        return moment.date().isoformat() if moment else as_text(cell)
    text = as_text(cell).strip()
    match = _DATE.match(text)
    if match:
        rest = text[match.end():].strip().lstrip("T").strip()
        if not rest or _time_text(rest) is not None:  # "2026-01-02 00:00:00" from Excel
            y, m, d = (int(g) for g in match.groups())
            try:
                return dt.date(y, m, d).isoformat()
            except ValueError:
                return text
    return text


def _time_text(text: str) -> str | None:
    match = _TIME.fullmatch(text.strip())
    if not match:
        return None
    h, m, s, frac = match.groups()
    try:
        moment = dt.time(int(h), int(m), int(s or 0))
    except ValueError:
        return None
    return moment.isoformat() + (frac or "")


def _datetime(field: Mapping[str, Any], cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return cell.isoformat()
    if isinstance(cell, dt.date):
        return dt.datetime.combine(cell, dt.time()).isoformat()
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        moment = _serial_to_datetime(float(cell))
        return moment.replace(microsecond=0).isoformat() if moment else as_text(cell)
    text = as_text(cell).strip()
    try:
        return dt.datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    match = _DATE.match(text)
    if match:
        rest = text[match.end():].strip().lstrip("T")
        clock = _time_text(rest) if rest else "00:00:00"
        if clock is not None:
            y, m, d = (int(g) for g in match.groups())
            try:
                return f"{dt.date(y, m, d).isoformat()}T{clock}"
            except ValueError:
                return text
    return text


def _time(field: Mapping[str, Any], cell: Any) -> Any:
    if isinstance(cell, dt.datetime):
        return cell.time().isoformat()
    if isinstance(cell, dt.time):
        return cell.isoformat()
    if isinstance(cell, float) and 0 <= cell < 1:
        seconds = round(cell * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60).isoformat()
    text = as_text(cell)
    return _time_text(text) or text


def _option(field: Mapping[str, Any], text: str) -> str:
    """An option's value from its value or its label in any language; else the text as is."""
    options = [o for o in field.get("options") or [] if isinstance(o, Mapping)]
    for option in options:
        if option.get("value") == text:
            return text
    folded = fold(text)
    for option in options:
        if fold(str(option.get("value", ""))) == folded or any(
                fold(label) == folded for label in label_texts(option.get("label"))):
            return option["value"]
    return text


def _select(field: Mapping[str, Any], cell: Any) -> Any:
    return _option(field, as_text(cell).strip())


def split_many(cell: Any) -> list[str]:
    return [part for part in MULTI_SPLIT.split(as_text(cell).strip()) if part]


def _multiselect(field: Mapping[str, Any], cell: Any) -> Any:
    return [_option(field, part) for part in split_many(cell)]


def _checkbox(field: Mapping[str, Any], cell: Any) -> Any:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    word = as_text(cell).strip().casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return as_text(cell)


def _reference(kind: str, many: bool) -> Callable[[Mapping[str, Any], Any], Any]:
    def convert(field: Mapping[str, Any], cell: Any) -> Any:
        texts = split_many(cell) if many else [as_text(cell).strip()]
        form = field.get("target") if kind == "record" else None
        return Pending(kind, tuple(texts), many, form)

    return convert


def _address(field: Mapping[str, Any], cell: Any) -> Any:
    """`浙江省/杭州市/西湖区/文三路90号` or `浙江省杭州市西湖区 文三路90号` -> division codes
    and a detail line (`places.parse`); text naming no division is `Refused`, which the importer
    refuses for this cell (`unknown_address`)."""
    text = as_text(cell).strip()
    return parse(text) or Refused("unknown_address", text)


_POINT = re.compile(r"^\s*(-?\d{1,3}(?:\.\d+)?)\s*[,，]\s*(-?\d{1,2}(?:\.\d+)?)\s*(.*)$", re.S)


def _location(field: Mapping[str, Any], cell: Any) -> Any:
    """`120.1551,30.2741` or `120.1551,30.2741 杭州市西湖区…` (longitude first, as the map
    widget and the export write it) -> `{lng, lat, address}`; anything else is `Refused`."""
    text = as_text(cell).strip()
    match = _POINT.match(text)
    if match is None:
        return Refused("invalid_location", text)
    return {"lng": float(match.group(1)), "lat": float(match.group(2)),
            "address": match.group(3).strip() or None}


CONVERTERS: dict[str, Callable[[Mapping[str, Any], Any], Any]] = {
    **{t: _text for t in ("text", "textarea", "richtext", "phone", "email", "url", "idcard")},
    "number": _number, "money": _number, "percent": _number, "rating": _rating,
    "date": _date, "datetime": _datetime, "time": _time,
    "select": _select, "multiselect": _multiselect, "checkbox": _checkbox,
    "member": _reference("user", False), "members": _reference("user", True),
    "department": _reference("department", False),
    "departments": _reference("department", True),
    "relation": _reference("record", False), "address": _address, "location": _location,
}
MULTI_RELATION = _reference("record", True)
# the types whose converters may return `Pending` or `Refused` (the importer walks a row's
# cells for those only when the file maps a column of one of these types)
REFERRING = frozenset({"member", "members", "department", "departments", "relation",
                       "address", "location"})
FILE_TYPES = frozenset({"attachment", "image", "signature"})


def importable_type(field: Mapping[str, Any]) -> bool:
    """Types a spreadsheet cell can carry. Not: files (attachment, image, signature: a sheet
    cannot hold them), and everything computed or read through (formula, serial, lookup,
    rollup). Sub-forms are imported through their own fields'
    columns (`mapping.importable_fields`), not as one cell."""
    return field.get("type") in CONVERTERS


def _converter(field: Mapping[str, Any]) -> Callable[[Mapping[str, Any], Any], Any]:
    if field["type"] == "relation" and field.get("multiple"):
        return MULTI_RELATION
    return CONVERTERS[field["type"]]


DEFUSED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def convert_cell(field: Mapping[str, Any], cell: Any) -> Any:
    """One cell -> JSON input (None for an empty cell). A leading apostrophe that keeps a
    spreadsheet from reading a cell as a formula (our csv exports write one) is taken off."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, str) and cell.startswith(DEFUSED):
        cell = cell[1:]
    return _converter(field)(field, cell)

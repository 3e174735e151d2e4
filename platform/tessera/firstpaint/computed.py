"""The read-only values of fields the server computes (formula, rollup, lookup, serial), as
the form shows them (fields/types/computed.tsx through fields/display/computed.tsx): a
formula in its result type's look, a rollup's min/max of dates as a date, numbers as Intl
writes them; anything else as `scalarText` does."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tessera.firstpaint import formats
from tessera.firstpaint.cells import Draw, FieldDef, shows
from tessera.firstpaint.templates import CannotDraw

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_NUMERIC_AGGREGATES = {"count", "count_distinct", "sum", "avg"}
_EXACT_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")


def scalar_text(value: Any, draw: Draw) -> str:
    """display/computed.tsx `scalarText`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return draw.templates.message("form.yes" if value else "form.no")
    if isinstance(value, int | float):
        return formats.intl_number(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(scalar_text(item, draw) for item in value)
    if isinstance(value, Mapping):
        for key in ("text", "address", "name"):
            if isinstance(value.get(key), str):
                return str(value[key])
    raise CannotDraw(f"a computed value shown as JSON: {value!r}")


def _precision(fdef: FieldDef) -> int | None:
    return fdef["precision"] if isinstance(fdef.get("precision"), int) else None


def _as_number(value: Any, fdef: FieldDef) -> str:
    """display/number.tsx `number`: to the precision, else up to 10 decimals."""
    digits = _precision(fdef)
    if digits is None:
        return formats.intl_number(value, max_digits=10)
    return formats.intl_number(value, min_digits=digits, max_digits=digits)


def _formula_text(fdef: FieldDef, value: Any, draw: Draw) -> str:
    result = fdef.get("result_type") if isinstance(fdef.get("result_type"), str) else "number"
    if value is None:
        return ""
    if result == "number":
        return _as_number(value, fdef)
    if result == "text":
        return scalar_text(value, draw)
    if result == "date":
        return formats.date_label(formats.parse_date(value), draw.locale)
    if result == "datetime":
        return formats.datetime_label(value, draw.locale)
    if result == "checkbox":
        return draw.templates.message("form.yes") if value is True else (
            draw.templates.message("form.no") if value is False else "")
    return scalar_text(value, draw)


def _rollup_text(fdef: FieldDef, value: Any, draw: Draw) -> str:
    if isinstance(value, str) and fdef.get("agg") in ("min", "max"):
        if _ISO_DATE.match(value):
            return formats.date_label(formats.parse_date(value), draw.locale)
        if _ISO_DATETIME.match(value):
            return formats.datetime_label(value, draw.locale)
    if (isinstance(value, str) and fdef.get("agg") in _NUMERIC_AGGREGATES
            and _EXACT_DECIMAL.match(value)):
        raise CannotDraw("an exact decimal sum (Intl formats it digit by digit)")
    return scalar_text(value, draw)


def _shown(text: str) -> dict[str, Any]:
    return {"shown": [text] if text else [], "text": text, "empty": text == ""}


@shows("formula")
def _formula(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    return _shown(_formula_text(fdef, value, draw))


@shows("rollup")
def _rollup(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    return _shown(_rollup_text(fdef, value, draw))


@shows("lookup", "serial")
def _scalar(fdef: FieldDef, value: Any, draw: Draw) -> dict[str, Any]:
    return _shown(scalar_text(value, draw))

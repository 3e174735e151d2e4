"""Dates and times: ``date`` (DATE), ``datetime`` (TIMESTAMPTZ), ``time`` (TIME).

JSON carries ISO 8601 strings. A ``datetime`` without an offset is read in the record
context's time zone (default Asia/Shanghai) and stored as an aware instant; it goes back out
in UTC with a ``Z``. ``min``/``max`` bound the value (ISO strings of the same kind).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar

from sqlalchemy.types import Date as SADate
from sqlalchemy.types import DateTime as SADateTime
from sqlalchemy.types import Time as SATime
from sqlalchemy.types import TypeEngine

from engines.form.model import DefinitionError, RecordContext
from engines.form.types.base import CheckScope, Field, FieldType, Invalid, jsonable


class TemporalBase(FieldType):
    unique_allowed = True
    invalid_code: ClassVar[str] = "invalid_date"
    props: ClassVar[dict[str, Any]] = {
        "min": {"type": "string"},
        "max": {"type": "string"},
        "format": {"type": "string"},  # display format, e.g. "YYYY-MM-DD"
    }
    json_schema: ClassVar[dict[str, Any]] = {"type": "string", "format": "date"}

    def parse(self, value: Any, ctx: RecordContext) -> Any:
        raise NotImplementedError

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None or value == "":
            return None
        try:
            parsed = self.parse(value, ctx)
        except (ValueError, TypeError, OverflowError):  # Overflow: moved past year 1 or 9999
            raise Invalid(self.invalid_code) from None
        lo, hi = field.get("min"), field.get("max")
        if lo is not None and parsed < self.parse(lo, ctx):
            raise Invalid("too_small", min=lo)
        if hi is not None and parsed > self.parse(hi, ctx):
            raise Invalid("too_large", max=hi)
        return parsed

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        errors = []
        for prop in ("min", "max"):
            if prop in field:
                try:
                    self.parse(field[prop], RecordContext())
                except (ValueError, TypeError, OverflowError):
                    errors.append(scope.error(f"{path}.{prop}", "invalid_value",
                                              f"{prop} is not a valid {self.type}"))
        return errors

    def to_json(self, field: Field, value: Any) -> Any:
        return jsonable(value)


def _strict(kind: type, value: Any, parse: Callable[[str], Any]) -> Any:
    if isinstance(value, str):
        return parse(value.strip())
    if type(value) is kind:
        return value
    raise TypeError(value)


class Date(TemporalBase):
    type = "date"

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return SADate()

    def parse(self, value: Any, ctx: RecordContext) -> dt.date:
        return _strict(dt.date, value, dt.date.fromisoformat)


class DateTime(TemporalBase):
    type = "datetime"
    invalid_code = "invalid_datetime"
    json_schema: ClassVar[dict[str, Any]] = {"type": "string", "format": "date-time"}

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return SADateTime(timezone=True)

    def parse(self, value: Any, ctx: RecordContext) -> dt.datetime:
        moment = _strict(dt.datetime, value, dt.datetime.fromisoformat)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ctx.tz)
        return moment.astimezone(dt.UTC)


class Time(TemporalBase):
    """A time of day without a date or zone."""

    type = "time"
    invalid_code = "invalid_time"
    json_schema: ClassVar[dict[str, Any]] = {"type": "string", "format": "time"}

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return SATime()

    def parse(self, value: Any, ctx: RecordContext) -> dt.time:
        moment = _strict(dt.time, value, dt.time.fromisoformat)
        if moment.tzinfo is not None:
            raise ValueError("a time of day has no zone")
        return moment

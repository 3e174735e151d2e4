"""Numbers: ``number``, ``money``, ``percent`` (exact NUMERIC) and ``rating`` (SMALLINT).

Decision: numbers are stored as Postgres NUMERIC and handled as ``Decimal``, never as double:
business sums (prices, quantities, rates) must add up to the cent, in SQL and in Python alike.
``number`` is unconstrained NUMERIC (an optional ``precision`` rounds input to that many decimal
places); ``money`` is NUMERIC(18, precision) (default 2) with a ``currency`` (ISO 4217, default
CNY); ``percent`` is stored as a fraction (15 % is 0.15, so formulas can multiply by it).
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy.types import Numeric, SmallInteger

from engines.form.model import DefinitionError, RecordContext
from engines.form.types.base import CheckScope, Field, FieldType, Invalid, decimal_to_json

NUMBER_PROPS: dict[str, Any] = {
    "min": {"type": "number"},
    "max": {"type": "number"},
    "precision": {"type": "integer", "minimum": 0, "maximum": 10},
    "placeholder": {"$ref": "#/$defs/locale_map"},
}


# No business number reaches 10^28; past it Decimal arithmetic (28 digits) stops being exact.
SANITY_LIMIT = Decimal("1e28")
WIDE = decimal.Context(prec=60)  # room for SANITY_LIMIT plus 10 decimal places


def to_decimal(value: Any) -> Decimal:
    """JSON input -> a finite Decimal. Booleans are not numbers."""
    if isinstance(value, bool):
        raise Invalid("invalid_number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip().replace(",", ""))
        except decimal.InvalidOperation:
            raise Invalid("invalid_number") from None
    else:
        raise Invalid("invalid_number")
    if not number.is_finite():
        raise Invalid("invalid_number")
    return number


class NumericBase(FieldType):
    """A Decimal in a NUMERIC column, with ``min``/``max`` and decimal ``precision``."""

    unique_allowed = True
    props: ClassVar[dict[str, Any]] = NUMBER_PROPS
    # a number, or a decimal string where a JSON number could not carry the value exactly
    json_schema: ClassVar[dict[str, Any]] = {
        "oneOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}]
    }
    default_precision: ClassVar[int | None] = None
    max_digits: ClassVar[int | None] = None  # total digits a NUMERIC(p, s) column holds

    def precision(self, field: Field) -> int | None:
        return field.get("precision", self.default_precision)

    def column_type(self, field: Field) -> Numeric[Decimal]:
        return Numeric()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None or value == "":
            return None
        number = to_decimal(value)
        if abs(number) >= SANITY_LIMIT:
            raise Invalid("too_large", max=f"1e{SANITY_LIMIT.adjusted()}")
        places = self.precision(field)
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP,
                                     context=WIDE)
        if number == 0:
            number = abs(number)  # no "-0"
        if self.max_digits is not None and places is not None:
            limit = Decimal(10) ** (self.max_digits - places)
            if abs(number) >= limit:
                raise Invalid("too_large", max=str(limit - Decimal(1).scaleb(-places)))
        lo, hi = field.get("min"), field.get("max")
        if lo is not None and number < to_decimal(lo):
            raise Invalid("too_small", min=lo)
        if hi is not None and number > to_decimal(hi):
            raise Invalid("too_large", max=hi)
        return number

    def to_json(self, field: Field, value: Any) -> Any:
        if value is None:
            return None
        return decimal_to_json(Decimal(value) if not isinstance(value, Decimal) else value)

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        lo, hi = field.get("min"), field.get("max")
        if isinstance(lo, int | float) and isinstance(hi, int | float) and lo > hi:
            return [scope.error(f"{path}.min", "invalid_range",
                                f"min {lo} is greater than max {hi}")]
        return []


class Number(NumericBase):
    type = "number"


class Money(NumericBase):
    type = "money"
    default_precision = 2
    max_digits = 18
    props: ClassVar[dict[str, Any]] = {
        **NUMBER_PROPS,
        "precision": {"type": "integer", "minimum": 0, "maximum": 6},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    }

    def column_type(self, field: Field) -> Numeric[Decimal]:
        return Numeric(self.max_digits, self.precision(field))


class Percent(NumericBase):
    """A fraction: 0.15 is shown as 15 %. ``precision`` counts places of the fraction."""

    type = "percent"


class Rating(FieldType):
    """Whole stars from 0 to ``max`` (default 5, at most 10)."""

    type = "rating"
    props: ClassVar[dict[str, Any]] = {"max": {"type": "integer", "minimum": 1, "maximum": 10}}
    json_schema: ClassVar[dict[str, Any]] = {"type": "integer", "minimum": 0}

    def column_type(self, field: Field) -> SmallInteger:
        return SmallInteger()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        top = field.get("max", 5)
        number = to_decimal(value) if not isinstance(value, bool) else None
        if number is None or number != number.to_integral_value() or not 0 <= number <= top:
            raise Invalid("invalid_rating", max=top)
        return int(number)

"""Computed fields: ``formula`` (computed by the engine on every write) and ``serial``
(allocated by the platform on create). Neither takes input.

``formula``: stored in a column typed by ``result_type`` (number -> NUMERIC, text -> TEXT,
date, datetime, checkbox), so lists sort and filter on it like on any field. It is evaluated
with ``engines.rules`` over the record as JSON (sub-forms as lists of rows, so
``SUM(items.amount)`` works), after the fields it reads, on create and on every update.

``serial``: ``pattern`` such as ``"HT-{YYYY}{MM}-{seq:4}"`` (tokens ``{YYYY} {YY} {MM} {DD}``
and one ``{seq}`` or ``{seq:N}``, N = zero-padded width) and ``reset``: never | daily |
monthly | yearly. On create the engine returns a ``SerialRequest``: the platform increments
the counter ``counter_key`` atomically (e.g. ``INSERT ... ON CONFLICT DO UPDATE SET n = n + 1
RETURNING n``, scoped by tenant and app) and stores ``request.render(n)``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.types import Text, TypeEngine

from engines.form import expr
from engines.form.model import ColumnSpec, DefinitionError, RecordContext, SerialRequest
from engines.form.types.base import (
    CheckScope,
    Field,
    FieldType,
    Invalid,
    RowErrors,
    jsonable,
    registry,
)

RESULT_TYPES = ("number", "text", "date", "datetime", "checkbox")


class Formula(FieldType):
    type = "formula"
    read_only = True
    computed = True
    default_allowed = False
    props: ClassVar[dict[str, Any]] = {
        "formula": {"$ref": "#/$defs/expression"},
        "result_type": {"enum": list(RESULT_TYPES)},
        "precision": {"type": "integer", "minimum": 0, "maximum": 10},
    }
    required_props: ClassVar[tuple[str, ...]] = ("formula",)

    def result(self, field: Field) -> FieldType:
        return registry().get(field.get("result_type", "number"))

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return self.result(field).column_type(field)

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        """A formula's stored value read back (e.g. from its JSON) through its result type."""
        return self.result(field).normalise(field, value, ctx)

    def is_empty(self, value: Any) -> bool:
        return value is None

    def to_json(self, field: Field, value: Any) -> Any:
        return self.result(field).to_json(field, value)

    def value_schema(self, field: Field) -> dict[str, Any]:
        return {**self.result(field).value_schema(field), "readOnly": True}

    def depends_on(self, field: Field) -> set[str]:
        if not expr.available():
            return set()
        try:
            return expr.fields_read(field["formula"])
        except Exception:  # a bad formula is reported by check_form
            return set()

    def compute(self, field: Field, record: Mapping[str, Any], ctx: RecordContext) -> Any:
        if not expr.available():
            return None  # the expression language is not there yet: leave it empty
        try:
            raw = expr.evaluate(field["formula"], record, ctx)
        except Exception as exc:  # a malformed formula
            raise Invalid("formula_error", reason=str(exc)) from None
        if isinstance(raw, float) and raw != raw:  # NaN
            return None
        try:
            return self.normalise(field, jsonable(raw), ctx)
        except (Invalid, RowErrors):
            raise Invalid("formula_error", reason=f"result {raw!r} is not a "
                          f"{field.get('result_type', 'number')}") from None

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        from engines.form.definition import check_expression

        errors = check_expression(field["formula"], f"{path}.formula", scope.readable)
        if not errors and field["key"] in self.reaches(field, scope.fields):
            errors.append(DefinitionError(f"{path}.formula", "formula_cycle",
                                          f"formula {field['key']!r} depends on itself"))
        return errors

    def reaches(self, field: Field, fields: Mapping[str, Field]) -> set[str]:
        seen: set[str] = set()
        todo = list(self.depends_on(field))
        while todo:
            key = todo.pop()
            if key in seen:
                continue
            seen.add(key)
            other = fields.get(key)
            if other is not None and other.get("type") == self.type:
                todo += self.depends_on(other)
        return seen


TOKEN = re.compile(r"\{(YYYY|YY|MM|DD|seq(?::(\d{1,2}))?)\}")
RESETS = {"never": "", "yearly": "%Y", "monthly": "%Y-%m", "daily": "%Y-%m-%d"}
RESET_NEEDS = {"yearly": {"YYYY", "YY"}, "monthly": {"MM"}, "daily": {"DD"}}


def render_pattern(pattern: str, at: dt.datetime, seq: int) -> str:
    def token(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("seq"):
            return str(seq).zfill(int(m.group(2) or 0))
        return {"YYYY": f"{at.year:04d}", "YY": f"{at.year % 100:02d}",
                "MM": f"{at.month:02d}", "DD": f"{at.day:02d}"}[name]

    return TOKEN.sub(token, pattern)


class Serial(FieldType):
    type = "serial"
    read_only = True
    allocates = True
    unique_allowed = True
    default_allowed = False
    allowed_in_subform = False
    props: ClassVar[dict[str, Any]] = {
        "pattern": {"type": "string", "minLength": 1, "maxLength": 100},
        "reset": {"enum": list(RESETS)},
    }
    json_schema: ClassVar[dict[str, Any]] = {"type": "string", "readOnly": True}

    def pattern(self, field: Field) -> str:
        return field.get("pattern", "{seq:6}")

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return Text()

    def columns(self, field: Field) -> list[ColumnSpec]:
        return [ColumnSpec(name=field["key"], type=Text(), unique=True)]  # always unique

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise Invalid("invalid_type", expected="text")
        return value

    def request(self, field: Field, form_key: str, ctx: RecordContext) -> SerialRequest:
        at = ctx.current_time()
        period = at.strftime(RESETS[field.get("reset", "never")])
        key = f"{form_key}.{field['key']}" + (f":{period}" if period else "")
        return SerialRequest(path=field["key"], field=field["key"], counter_key=key,
                             pattern=self.pattern(field), at=at)

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        pattern = self.pattern(field)
        names = [m.group(1).split(":")[0] for m in TOKEN.finditer(pattern)]
        rest = TOKEN.sub("", pattern)
        errors = []
        if "{" in rest or "}" in rest:
            errors.append(DefinitionError(f"{path}.pattern", "invalid_pattern",
                                          "unknown token; use {YYYY} {YY} {MM} {DD} {seq:N}"))
        if names.count("seq") != 1:
            errors.append(DefinitionError(f"{path}.pattern", "invalid_pattern",
                                          "the pattern needs exactly one {seq} or {seq:N}"))
        reset = field.get("reset", "never")
        needed = [RESET_NEEDS[r] for r in ("yearly", "monthly", "daily")
                  if r in RESET_NEEDS and list(RESETS).index(r) <= list(RESETS).index(reset)]
        if reset != "never" and any(not (need & set(names)) for need in needed):
            errors.append(DefinitionError(f"{path}.reset", "reset_needs_date",
                                          f"a {reset} reset needs the date parts in the "
                                          "pattern, or numbers repeat"))
        return errors

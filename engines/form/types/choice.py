"""Choices: ``select`` (TEXT), ``multiselect`` (TEXT[]), ``checkbox`` (BOOLEAN).

Options are ``{"value": str, "label": locale map, "color": "#rrggbb" | name}``; the stored value
is the option's ``value`` (stable), never its label.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Boolean, Text, TypeEngine

from engines.form.model import DefinitionError, RecordContext
from engines.form.types.base import CheckScope, Field, FieldType, Invalid, option_values

OPTIONS_PROPS: dict[str, Any] = {"options": {"$ref": "#/$defs/options"}}


class ChoiceBase(FieldType):
    props: ClassVar[dict[str, Any]] = OPTIONS_PROPS
    required_props: ClassVar[tuple[str, ...]] = ("options",)

    def pick(self, field: Field, value: Any) -> str:
        if not isinstance(value, str):
            raise Invalid("invalid_type", expected="option value")
        if value not in option_values(field):
            raise Invalid("not_in_options", value=value)
        return value

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        seen: set[str] = set()
        errors = []
        for i, value in enumerate(option_values(field)):
            if value in seen:
                errors.append(scope.error(f"{path}.options[{i}].value", "duplicate_option",
                                          f"option value {value!r} appears twice"))
            seen.add(value)
        return errors


class Select(ChoiceBase):
    type = "select"
    unique_allowed = True
    json_schema: ClassVar[dict[str, Any]] = {"type": "string"}

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return Text()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None or value == "":
            return None
        return self.pick(field, value)


class MultiSelect(ChoiceBase):
    """A list of option values, duplicates dropped, in the options' order."""

    type = "multiselect"
    sortable = False
    multi_valued = True
    props: ClassVar[dict[str, Any]] = {
        **OPTIONS_PROPS,
        "min_items": {"type": "integer", "minimum": 0},
        "max_items": {"type": "integer", "minimum": 1},
    }
    json_schema: ClassVar[dict[str, Any]] = {"type": "array", "items": {"type": "string"}}

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return ARRAY(Text())

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        if not isinstance(value, list | tuple):
            raise Invalid("invalid_type", expected="list of option values")
        chosen = {self.pick(field, v) for v in value}
        picked = [v for v in option_values(field) if v in chosen]
        if not picked:
            return None
        lo, hi = field.get("min_items"), field.get("max_items")
        if lo is not None and len(picked) < lo:
            raise Invalid("too_few_items", min=lo)
        if hi is not None and len(picked) > hi:
            raise Invalid("too_many_items", max=hi)
        return picked


class Checkbox(FieldType):
    """Yes or no. ``required`` means it must be ticked (like an "I agree" box)."""

    type = "checkbox"
    json_schema: ClassVar[dict[str, Any]] = {"type": "boolean"}

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return Boolean()

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        if value is None:
            return None
        if not isinstance(value, bool):
            raise Invalid("invalid_boolean")
        return value

    def is_empty(self, value: Any) -> bool:
        return value is not True

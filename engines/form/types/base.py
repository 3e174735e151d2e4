"""The field type contract: capability flags with safe defaults and a few hooks.

A type states what it can do as class attributes and overrides only the hooks that differ.
Hooks get the field's definition (a dict) and never do I/O:

- ``column_type(field)``: the SQLAlchemy type of its one column (stored types);
- ``props``: JSON Schema of the type's own properties (checked by ``check_form``), and
  ``check(field, path, scope)`` for what a schema cannot say;
- ``normalise(field, value, ctx)``: JSON input -> column-ready Python value, or ``Invalid``;
- ``to_json(field, value)``: column value -> JSON-able value;
- ``references(field, value, path)``: ids the platform must check exist.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy.types import TypeEngine

from engines.form.model import (
    ColumnSpec,
    DefinitionError,
    ReadPlan,
    RecordContext,
    Reference,
    SerialRequest,
    TableSpec,
)


class Invalid(Exception):
    """A value a type refuses, with a stable code and message params."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class RowErrors(Exception):
    """Several errors at once, with paths relative to the field (``[2].qty``)."""

    def __init__(self, errors: list[tuple[str, Invalid]]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


@dataclass
class CheckScope:
    """What a definition check may look at besides the field itself."""

    form: Mapping[str, Any]
    forms: Mapping[str, Mapping[str, Any]]
    fields: Mapping[str, Mapping[str, Any]]  # sibling fields by key (of the form or sub-form)
    in_subform: bool = False
    form_fields: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def readable(self) -> Mapping[str, Mapping[str, Any]]:
        """What an expression here may read: in a sub-form row, the row's fields and the
        form's stored, non-computed fields (row formulas see the record they belong to)."""
        if not self.in_subform:
            return self.fields
        outer = {k: f for k, f in self.form_fields.items() if outer_readable(f)}
        return {**outer, **self.fields}

    def error(self, path: str, code: str, message: str) -> DefinitionError:
        return DefinitionError(path=path, code=code, message=message)


Field = Mapping[str, Any]  # a field definition

LOCALE_MAP: dict[str, Any] = {"$ref": "#/$defs/locale_map"}
EXPRESSION: dict[str, Any] = {"$ref": "#/$defs/expression"}


class FieldType:
    """Base of every field type. Subclasses set ``type`` and override what differs."""

    type: ClassVar[str] = ""
    # capabilities, safe defaults: a plain stored, sortable, filterable, single value
    stored: ClassVar[bool] = True  # has a column in the form's table
    sortable: ClassVar[bool] = True
    filterable: ClassVar[bool] = True
    unique_allowed: ClassVar[bool] = False
    unique_ci_allowed: ClassVar[bool] = False  # "no duplicates, ignoring case"
    read_only: ClassVar[bool] = False  # input is rejected (computed or system-made)
    computed: ClassVar[bool] = False  # value computed by ``compute`` on every write
    allocates: ClassVar[bool] = False  # value allocated by the platform on create (serial)
    multi_valued: ClassVar[bool] = False
    child_table: ClassVar[bool] = False  # values live in child rows (subform, link table)
    reads_record: ClassVar[bool] = False  # normalise reads ctx.outer: the record's other values
    allowed_in_subform: ClassVar[bool] = True
    default_allowed: ClassVar[bool] = True
    # JSON Schema of the properties this type adds to the common ones; required among them
    props: ClassVar[dict[str, Any]] = {}
    required_props: ClassVar[tuple[str, ...]] = ()
    # what the value looks like in JSON (OpenAPI of an app's forms, designer)
    json_schema: ClassVar[dict[str, Any]] = {}

    # ---- storage -------------------------------------------------------------------------
    def in_child_table(self, field: Field) -> bool:
        """Values live in child rows rather than a column (a field may decide, like relation)."""
        return self.child_table

    def column_type(self, field: Field) -> TypeEngine[Any]:
        raise NotImplementedError(f"{self.type} must define column_type")

    def columns(self, field: Field) -> list[ColumnSpec]:
        if not self.stored or self.in_child_table(field):
            return []
        unique = bool(field.get("unique")) and self.unique_allowed
        unique_ci = unique and bool(field.get("unique_ci")) and self.unique_ci_allowed
        return [
            ColumnSpec(
                name=field["key"],
                type=self.column_type(field),
                unique=unique and not unique_ci,
                unique_ci=unique_ci,
                index=bool(field.get("index")) and not unique,
            )
        ]

    def child_tables(self, field: Field) -> list[TableSpec]:
        return []

    # ---- definition ----------------------------------------------------------------------
    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        return []

    # ---- values --------------------------------------------------------------------------
    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        raise NotImplementedError(f"{self.type} must define normalise")

    def dynamic_default(self, field: Field, ctx: RecordContext) -> Any:
        """A default taken from the context on create (e.g. the current user), or None."""
        return None

    def value_schema(self, field: Field) -> dict[str, Any]:
        """JSON Schema of the field's JSON value (for an app's generated OpenAPI)."""
        return dict(self.json_schema)

    def is_empty(self, value: Any) -> bool:
        return value is None or value == "" or value == [] or value == {}

    def to_json(self, field: Field, value: Any) -> Any:
        return jsonable(value)

    def references(self, field: Field, value: Any, path: str) -> list[Reference]:
        return []

    # ---- optional hooks, used only by types whose flags say so --------------------------
    def record_reads(self, field: Field) -> set[str]:
        """``reads_record`` types: the record's field keys their value depends on (a change
        to one of them makes the engine re-derive this field's stored value)."""
        return set()

    def rederive(self, field: Field, stored: Any, ctx: RecordContext) -> Any:
        """``reads_record`` types: the stored value derived again against ``ctx.outer``."""
        raise NotImplementedError(f"{self.type} derives nothing from the record")

    def read_plan(
        self, field: Field, form: Mapping[str, Any], forms: Mapping[str, Mapping[str, Any]]
    ) -> ReadPlan | None:
        """Types with no column shown from other records (lookup, rollup): how to read them."""
        return None

    def child_rows(self, field: Field, value: Any) -> list[dict[str, Any]]:
        """``child_table`` types: the rows to store for a normalised value."""
        raise NotImplementedError(f"{self.type} has no child rows")

    def compute(self, field: Field, record: Mapping[str, Any], ctx: RecordContext) -> Any:
        """``computed`` types: the value from the record (JSON view by field key)."""
        raise NotImplementedError(f"{self.type} is not computed")

    def depends_on(self, field: Field) -> set[str]:
        """``computed`` types: the field keys ``compute`` reads."""
        return set()

    def request(self, field: Field, form_key: str, ctx: RecordContext) -> SerialRequest:
        """``allocates`` types: what the platform must allocate on create."""
        raise NotImplementedError(f"{self.type} allocates nothing")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type!r}>"


def jsonable(value: Any) -> Any:
    """Python/DB values -> JSON values: Decimal -> number, dates -> ISO strings, UUID -> str."""
    if value is None or isinstance(value, bool | str | int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return decimal_to_json(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value.isoformat()
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return str(value)


INT64_MIN, UINT64_MAX = -(2**63), 2**64 - 1  # the integers orjson writes as numbers


def decimal_to_json(value: decimal.Decimal) -> int | float | str:
    """A Decimal as a JSON number, exactly: an int when integral, else a float when the float
    reads back as the same decimal (up to 15 significant digits always do). Past that a JSON
    number would silently change the value (a browser holds doubles), so it is given as a
    decimal string, which every number type accepts back. So are integers past 64 bits (a
    number field holds up to 1e28): the API's JSON encoder (orjson) cannot write them, and an
    1e27 in a record was a 500."""
    if value == value.to_integral_value():
        integer = int(value)
        return integer if INT64_MIN <= integer <= UINT64_MAX else format(value, "f")
    number = float(value)
    if decimal.Decimal(repr(number)) == value:
        return number
    return format(value, "f")


def registry() -> Any:
    """The field-type registry, for types made of other types (sub-form, formula)."""
    from engines.form.types import field_types

    return field_types


def outer_readable(field: Mapping[str, Any]) -> bool:
    """A form field a sub-form row may read: input the record carries, not computed from the
    rows (which would be circular) and not in child rows itself."""
    types = registry()
    if not types.has(field.get("type")):
        return False
    ft = types.get(field["type"])
    return ft.stored and not ft.computed and not ft.allocates and not ft.in_child_table(field)


_OPTION_VALUES: dict[int, tuple[Any, list[str]]] = {}


def option_values(field: Field) -> list[str]:
    """The values of a choice field's options, worked out once per options list: published
    definitions are immutable and every record of a version is checked against the same list
    object (looked up by identity, the list kept so its id is not reused; as `record.shape`).
    Called for every select cell of every record, rebuilding it was ~7 % of an import's
    checking. Callers must not change the list returned."""
    options = field.get("options")
    if not options:
        return []
    cached = _OPTION_VALUES.get(id(options))
    if cached is not None and cached[0] is options:
        return cached[1]
    values = [o["value"] for o in options if isinstance(o, Mapping)]
    if len(_OPTION_VALUES) > 4096:
        _OPTION_VALUES.clear()
    _OPTION_VALUES[id(options)] = (options, values)
    return values

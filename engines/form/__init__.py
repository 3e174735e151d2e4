"""The form engine: field types, form definitions and record validation. Pure: no I/O.

See ``docs/dev/adding-a-field-type.md``.
"""

from engines.form.definition import (
    check_form,
    field_schema,
    form_schema,
    read_plans,
    table_spec,
    value_schema,
)
from engines.form.messages import message
from engines.form.model import (
    ColumnSpec,
    DefinitionError,
    FieldError,
    LinkageRequest,
    ReadPlan,
    RecordContext,
    RecordResult,
    Reference,
    SerialRequest,
    TableSpec,
)
from engines.form.record import live_formulas, refresh_live, to_json, validate_record
from engines.form.registry import AlreadyRegistered, Registry, UnknownType
from engines.form.types import field_types
from engines.form.types.base import FieldType, Invalid

__all__ = [
    "AlreadyRegistered",
    "ColumnSpec",
    "DefinitionError",
    "FieldError",
    "FieldType",
    "Invalid",
    "LinkageRequest",
    "ReadPlan",
    "RecordContext",
    "RecordResult",
    "Reference",
    "Registry",
    "SerialRequest",
    "TableSpec",
    "UnknownType",
    "check_form",
    "field_schema",
    "field_types",
    "form_schema",
    "live_formulas",
    "message",
    "read_plans",
    "refresh_live",
    "table_spec",
    "to_json",
    "validate_record",
    "value_schema",
]

"""``subform``: rows of nested fields, stored in a child table.

The child table ``<app>__<form>__<subform key>`` holds one row per entry: the sub-form's own
columns (from its fields) plus what the platform adds to every child table: ``_id``,
``tenant_id``, ``_parent_id`` (FK to the parent ``_id``, ON DELETE CASCADE) and ``_row_order``
(0-based position). A submitted row may carry its ``_id`` to say "this existing row"; rows are
always sent whole and the list replaces the stored one. Sub-forms do not nest.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar

from engines.form.model import DefinitionError, RecordContext, Reference, TableSpec
from engines.form.types.base import CheckScope, Field, FieldType, Invalid, RowErrors, registry


class SubForm(FieldType):
    type = "subform"
    child_table = True
    reads_record = True  # row formulas, defaults and conditions may read the record's fields
    sortable = False
    filterable = False
    multi_valued = True
    allowed_in_subform = False
    default_allowed = False
    props: ClassVar[dict[str, Any]] = {
        "fields": {"type": "array", "items": {"type": "object"}},
        "min_rows": {"type": "integer", "minimum": 0},
        "max_rows": {"type": "integer", "minimum": 1},
    }
    required_props: ClassVar[tuple[str, ...]] = ("fields",)

    def child_tables(self, field: Field) -> list[TableSpec]:
        from engines.form.definition import table_spec

        spec = table_spec({"key": field["key"], "fields": field.get("fields") or []})
        return [TableSpec(key=field["key"], columns=spec.columns, children=spec.children,
                          kind="subform")]

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        from engines.form.definition import check_fields, fields_by_key

        fields = field.get("fields") or []
        inner = CheckScope(form=scope.form, forms=scope.forms, fields=fields_by_key(fields),
                           in_subform=True, form_fields=scope.form_fields)
        errors = check_fields(fields, f"{path}.fields", inner)
        clash = [f.get("key") for f in fields if f.get("key") in scope.form_fields]
        errors += [
            DefinitionError(f"{path}.fields", "shadowed_key",
                            f"sub-form field {k!r} has the key of a form field")
            for k in clash
        ]
        lo, hi = field.get("min_rows"), field.get("max_rows")
        if lo is not None and hi is not None and lo > hi:
            errors.append(DefinitionError(f"{path}.min_rows", "invalid_range",
                                          f"min_rows {lo} is greater than max_rows {hi}"))
        return errors

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        from engines.form.record import ROW_ID, validate_fields

        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise Invalid("invalid_type", expected="list of rows")
        if not value:  # an empty sub-form is `required`'s business; min_rows counts given rows
            return []
        lo, hi = field.get("min_rows"), field.get("max_rows")
        if lo is not None and len(value) < lo:
            raise Invalid("too_few_rows", min=lo)
        if hi is not None and len(value) > hi:
            raise Invalid("too_many_rows", max=hi)
        fields = field.get("fields") or []  # the same list each time: its shape is cached
        saved = _saved_rows(field, ctx)
        rows, problems = [], []
        for i, raw in enumerate(value):
            if not isinstance(raw, Mapping):
                problems.append((f"[{i}]", Invalid("invalid_type", expected="row object")))
                continue
            stored = saved.get(_row_key(raw.get(ROW_ID))) or {}  # the row as saved, if it is
            done = validate_fields(fields, raw, existing=stored, partial=False,
                                   creating=ROW_ID not in raw, ctx=ctx, allow_row_id=True)
            problems += [(f"[{i}].{p}", exc) for p, exc in done.problems]
            rows.append(done.values)
        if problems:
            raise RowErrors(problems)
        return rows

    def value_schema(self, field: Field) -> dict[str, Any]:
        from engines.form.definition import value_schema

        row = value_schema({"fields": field.get("fields") or []})
        row["properties"]["_id"] = {"type": "string", "format": "uuid"}
        return {"type": "array", "items": row}

    def record_reads(self, field: Field) -> set[str]:
        from engines.form import expr

        if not expr.available():
            return set()
        fields = field.get("fields") or []
        own = {f["key"] for f in fields}
        reads: set[str] = set()
        for f in fields:
            reads |= registry().get(f["type"]).depends_on(f)
            for prop in ("default_formula", "visible_when", "editable_when", "required_when"):
                if prop in f:
                    try:
                        reads |= expr.fields_read(f[prop])
                    except Exception:  # a bad expression is reported by check_form
                        continue
        return reads - own

    def rederive(self, field: Field, stored: Any, ctx: RecordContext) -> Any:
        """Stored rows as input again (computed cells dropped, ``_id`` kept), re-validated."""
        types = registry()
        writable = {f["key"] for f in field.get("fields") or []
                    if not types.get(f["type"]).read_only}
        rows = [{k: v for k, v in row.items() if k in writable or k == "_id"}
                for row in self.to_json(field, stored)]
        return self.normalise(field, rows, ctx)

    def is_empty(self, value: Any) -> bool:
        return not value

    def child_rows(self, field: Field, value: Any) -> list[dict[str, Any]]:
        return list(value or [])

    def references(self, field: Field, value: Any, path: str) -> list[Reference]:
        types = registry()
        refs: list[Reference] = []
        for i, row in enumerate(value or []):
            for f in field.get("fields") or []:
                ft = types.get(f["type"])
                refs += ft.references(f, row.get(f["key"]), f"{path}[{i}].{f['key']}")
        return refs

    def to_json(self, field: Field, value: Any) -> Any:
        from engines.form.record import to_json

        return [to_json({"fields": field.get("fields") or []}, row) for row in value or []]


def _row_key(row_id: Any) -> str | None:
    """A row id as a key (the stored UUID and the id sent as text alike); None if it is none."""
    if row_id is None:
        return None
    try:
        return str(uuid.UUID(str(row_id)))
    except ValueError:
        return None


def _saved_rows(field: Field, ctx: RecordContext) -> dict[str, dict[str, Any]]:
    """The sub-form's stored rows by id, their field values only: what a saved row sent back
    is checked against (a locked cell may come back unchanged). Only the row's fields: its
    bookkeeping columns (`_parent_id`, `_row_order`) are nothing its expressions read."""
    from engines.form.record import ROW_ID

    own = {f["key"] for f in field.get("fields") or []}
    saved: dict[str, dict[str, Any]] = {}
    for row in (ctx.stored or {}).get(field["key"]) or []:
        key = _row_key(row.get(ROW_ID)) if isinstance(row, Mapping) else None
        if key is not None:
            saved[key] = {k: v for k, v in row.items() if k in own}
    return saved

"""Links between forms: ``relation`` (stored), ``lookup`` and ``rollup`` (read through it).

Decisions, for the schema planner:
- single relation: one UUID column, ``references_form=target`` (FK to the target's ``_id``,
  ON DELETE SET NULL), indexed;
- multiple relation (``"multiple": true``): a link table, given as a child ``TableSpec`` of
  ``kind="link"`` with one column ``target`` (UUID, NOT NULL, FK to the target, indexed) plus
  the child-table system columns (``_id``, ``tenant_id``, ``_parent_id``, ``_row_order``). A
  link table, not a UUID[] column, so every link has a foreign key and "which orders point at
  this customer" is an index lookup, for the platform and for a customer's BI tool alike;
- ``lookup`` has no column: the platform reads the target's field through the relation
  (a join on read);
- ``rollup`` has no column: it is aggregated in SQL on read (a correlated sub-query or a
  grouped join). Stored, it would go stale whenever a *related* record changes, and keeping
  it fresh needs cross-record write triggers; the aggregate on read is always right.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from sqlalchemy.types import TypeEngine, Uuid

from engines.form.model import (
    ColumnSpec,
    DefinitionError,
    ReadPlan,
    RecordContext,
    Reference,
    TableSpec,
)
from engines.form.types.base import CheckScope, Field, FieldType, Invalid, jsonable
from engines.form.types.ids import IdBase


class Relation(IdBase):
    type = "relation"
    kind = "record"
    props: ClassVar[dict[str, Any]] = {
        "target": {"$ref": "#/$defs/key"},
        "multiple": {"type": "boolean"},
        "max_items": {"type": "integer", "minimum": 1},
    }
    required_props: ClassVar[tuple[str, ...]] = ("target",)

    def is_many(self, field: Field) -> bool:
        return bool(field.get("multiple"))

    def in_child_table(self, field: Field) -> bool:
        return self.is_many(field)

    def column_type(self, field: Field) -> TypeEngine[Any]:
        return Uuid()

    def columns(self, field: Field) -> list[ColumnSpec]:
        if self.is_many(field):
            return []
        return [ColumnSpec(name=field["key"], type=Uuid(), index=True,
                           references_form=field["target"])]

    def child_tables(self, field: Field) -> list[TableSpec]:
        if not self.is_many(field):
            return []
        target = ColumnSpec(name="target", type=Uuid(), nullable=False, index=True,
                            references_form=field["target"])
        return [TableSpec(key=field["key"], columns=[target], kind="link")]

    def child_rows(self, field: Field, value: Any) -> list[dict[str, Any]]:
        return [{"target": v} for v in value or []]

    def from_rows(self, field: Field, value: Any) -> Any:
        """Link-table rows as loaded (``[{"_id", "target"}, ...]``) -> the list of ids, so
        stored values read back like the input (``existing``, ``to_json``)."""
        if self.is_many(field) and isinstance(value, list | tuple):
            return [v["target"] if isinstance(v, Mapping) and "target" in v else v
                    for v in value]
        return value

    def to_json(self, field: Field, value: Any) -> Any:
        return jsonable(self.from_rows(field, value))

    def reference_form(self, field: Field) -> str | None:
        return field["target"]

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        return self.variant(field).normalise(field, self.from_rows(field, value), ctx)

    def references(self, field: Field, value: Any, path: str) -> list[Reference]:
        return self.variant(field).references(field, value, path)

    def value_schema(self, field: Field) -> dict[str, Any]:
        return self.variant(field).value_schema(field)

    def variant(self, field: Field) -> IdBase:
        return _MANY if self.is_many(field) else _ONE

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        if field["target"] not in scope.forms:
            return [DefinitionError(f"{path}.target", "unknown_form",
                                    f"unknown form {field['target']!r}")]
        if scope.in_subform and self.is_many(field):
            return [DefinitionError(f"{path}.multiple", "not_allowed_in_subform",
                                    "a multiple relation cannot be inside a sub-form")]
        return []


class _PlainOne(IdBase):
    """The id handling of a relation, single or multiple (not registered)."""

    type = "relation"
    kind = "record"
    many = False

    def reference_form(self, field: Field) -> str | None:
        return field["target"]


class _PlainMany(_PlainOne):
    many = True


_ONE, _MANY = _PlainOne(), _PlainMany()


def relation_field(
    key: Any, fields: Mapping[str, Field], path: str
) -> tuple[Field | None, list[DefinitionError]]:
    f = fields.get(key) if isinstance(key, str) else None
    if f is None or f.get("type") != "relation":
        return None, [DefinitionError(path, "unknown_relation",
                                      f"{key!r} is not a relation field of this form")]
    return f, []


class ReadThrough(FieldType):
    """Shown from related records, never written, no column."""

    stored = False
    read_only = True
    sortable = False
    filterable = False
    default_allowed = False
    allowed_in_subform = False  # read_plans cover the form's own fields only

    def normalise(self, field: Field, value: Any, ctx: RecordContext) -> Any:
        raise Invalid("read_only", field=field.get("key"))

    def to_json(self, field: Field, value: Any) -> Any:
        return jsonable(value)

    def target_field(
        self, form_key: str, field_key: Any, scope: CheckScope, path: str
    ) -> list[DefinitionError]:
        target = scope.forms.get(form_key) or {}
        keys = {f.get("key") for f in target.get("fields") or [] if isinstance(f, Mapping)}
        if field_key not in keys:
            return [DefinitionError(path, "unknown_field",
                                    f"form {form_key!r} has no field {field_key!r}")]
        return []


def _relations(form: Mapping[str, Any]) -> dict[str, Field]:
    return {f["key"]: f for f in form.get("fields") or [] if f.get("type") == "relation"}


class Lookup(ReadThrough):
    """``{"relation": <relation field>, "field": <field of the target form>}``."""

    type = "lookup"
    props: ClassVar[dict[str, Any]] = {
        "relation": {"$ref": "#/$defs/key"},
        "field": {"$ref": "#/$defs/key"},
    }
    required_props: ClassVar[tuple[str, ...]] = ("relation", "field")

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        rel, errors = relation_field(field["relation"], scope.fields, f"{path}.relation")
        if rel is None:
            return errors
        return self.target_field(rel["target"], field["field"], scope, f"{path}.field")

    def read_plan(
        self, field: Field, form: Mapping[str, Any], forms: Mapping[str, Mapping[str, Any]]
    ) -> ReadPlan:
        rel = _relations(form)[field["relation"]]
        return ReadPlan(field=field["key"], kind=self.type, source_form=rel["target"],
                        relation=rel["key"], reverse=False, multiple=bool(rel.get("multiple")),
                        target_field=field["field"])


AGGREGATES = ("count", "count_distinct", "sum", "avg", "min", "max")


class Rollup(ReadThrough):
    """An aggregate over related records, either through a relation field of this form
    (``"relation": "items_rel"``) or over the records of another form whose relation points at
    this one (``"via": {"form": "order", "relation": "customer"}``). ``field`` is the target
    form's field to aggregate (not needed for ``count``)."""

    type = "rollup"
    props: ClassVar[dict[str, Any]] = {
        "relation": {"$ref": "#/$defs/key"},
        "via": {
            "type": "object",
            "required": ["form", "relation"],
            "properties": {"form": {"$ref": "#/$defs/key"},
                           "relation": {"$ref": "#/$defs/key"}},
            "additionalProperties": False,
        },
        "field": {"$ref": "#/$defs/key"},
        "agg": {"enum": list(AGGREGATES)},
        "filter": {"$ref": "#/$defs/expression"},
    }
    required_props: ClassVar[tuple[str, ...]] = ("agg",)

    def source_form(
        self, field: Field, path: str, scope: CheckScope
    ) -> tuple[str | None, list[DefinitionError]]:
        if ("relation" in field) == ("via" in field):
            return None, [DefinitionError(path, "invalid",
                                          "give exactly one of relation or via")]
        if "relation" in field:
            rel, errors = relation_field(field["relation"], scope.fields, f"{path}.relation")
            return (rel["target"] if rel else None), errors
        via = field["via"]
        other = scope.forms.get(via["form"])
        if other is None:
            return None, [DefinitionError(f"{path}.via.form", "unknown_form",
                                          f"unknown form {via['form']!r}")]
        fields = {f.get("key"): f for f in other.get("fields") or [] if isinstance(f, Mapping)}
        rel, errors = relation_field(via["relation"], fields, f"{path}.via.relation")
        if rel is not None and rel.get("target") != scope.form.get("key"):
            errors.append(DefinitionError(f"{path}.via.relation", "invalid",
                                          f"{via['relation']!r} does not point at this form"))
        return via["form"], errors

    def check(self, field: Field, path: str, scope: CheckScope) -> list[DefinitionError]:
        source, errors = self.source_form(field, path, scope)
        if source is None or errors:
            return errors
        if "field" not in field:
            if field["agg"] != "count":
                return [DefinitionError(f"{path}.field", "missing_property",
                                        f"{field['agg']} needs a field")]
            return []
        return self.target_field(source, field["field"], scope, f"{path}.field")

    def read_plan(
        self, field: Field, form: Mapping[str, Any], forms: Mapping[str, Mapping[str, Any]]
    ) -> ReadPlan:
        common = {"field": field["key"], "kind": self.type, "target_field": field.get("field"),
                  "agg": field["agg"], "filter": field.get("filter")}
        if "relation" in field:
            rel = _relations(form)[field["relation"]]
            return ReadPlan(source_form=rel["target"], relation=rel["key"], reverse=False,
                            multiple=bool(rel.get("multiple")), **common)
        via = field["via"]
        rel = _relations(forms[via["form"]])[via["relation"]]
        return ReadPlan(source_form=via["form"], relation=via["relation"], reverse=True,
                        multiple=bool(rel.get("multiple")), **common)

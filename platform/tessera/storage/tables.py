"""Runtime SQLAlchemy Table objects for a published form, built from the form engine's TableSpec.

System columns are the platform's, identical on every form table (CONTRACT.md §1); user columns
come from the field types. Retired columns (fields removed from the definition, kept until
purged) are not part of the runtime table, so no query can read or write them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Table,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID

from engines.form import ColumnSpec, TableSpec, table_spec
from tessera.storage.naming import table_name

SYSTEM_FIELDS = ("_id", "_owner", "_department", "_created_by", "_created_at", "_updated_by",
                 "_updated_at", "_version", "_flow_status")


def system_columns() -> list[Column]:
    return [
        Column("_id", UUID(as_uuid=True), primary_key=True,
               server_default=func.gen_random_uuid()),
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("_owner", UUID(as_uuid=True)),
        Column("_department", UUID(as_uuid=True)),
        Column("_created_by", UUID(as_uuid=True)),
        Column("_created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("_updated_by", UUID(as_uuid=True)),
        Column("_updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("_version", Integer, nullable=False, server_default="1"),
        Column("_deleted_at", DateTime(timezone=True)),
        Column("_flow_status", Text),
    ]


def child_system_columns(parent: str, schema: str) -> list[Column]:
    return [
        Column("_id", UUID(as_uuid=True), primary_key=True,
               server_default=func.gen_random_uuid()),
        Column("tenant_id", UUID(as_uuid=True), nullable=False),
        Column("_parent_id", UUID(as_uuid=True),
               ForeignKey(f"{schema}.{parent}._id", ondelete="CASCADE"), nullable=False),
        Column("_row_order", Integer, nullable=False, server_default="0"),
    ]


def user_column(spec: ColumnSpec) -> Column:
    return Column(spec.name, spec.type, nullable=True)


@dataclass
class FormTables:
    """The tables of one form: its own, and one per sub-form / multiple relation."""

    form_key: str
    spec: TableSpec
    table: Table
    children: dict[str, Table] = field(default_factory=dict)
    child_specs: dict[str, TableSpec] = field(default_factory=dict)


def build_form_tables(metadata: MetaData, schema: str, app_key: str,
                      form: dict[str, Any]) -> FormTables:
    spec = table_spec(form)
    name = table_name(app_key, form["key"])
    table = Table(name, metadata, *system_columns(), *(user_column(c) for c in spec.columns),
                  schema=schema)
    result = FormTables(form_key=form["key"], spec=spec, table=table)
    for child in spec.children:
        child_name = table_name(app_key, form["key"], child.key)
        result.children[child.key] = Table(
            child_name, metadata, *child_system_columns(name, schema),
            *(user_column(c) for c in child.columns), schema=schema)
        result.child_specs[child.key] = child
        if child.kind == "link":  # multiple relations: filters test them as semi-joins
            table.info.setdefault("links", {})[child.key] = result.children[child.key]
    return result


@dataclass
class AppTables:
    """All form tables of one published app version, shared by every request on it."""

    schema: str
    forms: dict[str, FormTables]
    metadata: MetaData
    definition: dict[str, Any] = field(default_factory=dict)
    _read_through: dict[str, list[Any]] = field(default_factory=dict)
    full_access_titles: dict[str, list[Any]] = field(default_factory=dict)  # see records.titles

    def read_through(self, form_key: str) -> list[Any]:
        """The lookup/rollup columns of a form (built once per published version)."""
        if form_key not in self._read_through:
            from tessera.records.read_through import read_through_columns

            form = next(f for f in self.definition["forms"] if f["key"] == form_key)
            self._read_through[form_key] = read_through_columns(self, self.definition, form)
        return self._read_through[form_key]


def build_app_tables(schema: str, definition: dict[str, Any]) -> AppTables:
    metadata = MetaData()
    forms = {f["key"]: build_form_tables(metadata, schema, definition["key"], f)
             for f in definition.get("forms", [])}
    return AppTables(schema=schema, forms=forms, metadata=metadata, definition=definition)


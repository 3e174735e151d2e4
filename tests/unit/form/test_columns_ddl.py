"""Every column type the registry hands out compiles to Postgres DDL (no database needed)."""

from __future__ import annotations

from sqlalchemy import Column, MetaData, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateTable

from engines.form import field_types, table_spec
from tests.unit.form.examples import EXAMPLES, example_field, example_form

EXPECTED = {
    "text": "TEXT", "number": "NUMERIC", "money": "NUMERIC(18, 2)", "date": "DATE",
    "datetime": "TIMESTAMP WITH TIME ZONE", "time": "TIME WITHOUT TIME ZONE",
    "select": "TEXT", "multiselect": "TEXT[]", "checkbox": "BOOLEAN", "rating": "SMALLINT",
    "address": "JSONB", "member": "UUID", "members": "UUID[]", "relation": "UUID",
}


def test_every_column_compiles_for_postgres() -> None:
    fields = [example_field(t, key=f"f_{t}") for t in field_types.types() if t in EXAMPLES]
    spec = table_spec(example_form(*fields))
    ddl = {}
    for table in (spec, *spec.children):
        t = Table(table.key, MetaData(), *(Column(c.name, c.type) for c in table.columns))
        sql = str(CreateTable(t).compile(dialect=postgresql.dialect()))
        ddl.update({line.split()[0]: " ".join(line.split()[1:]).rstrip(",")
                    for line in sql.splitlines()[1:] if line.strip() and line.strip() != ")"})
    for type_key, column_type in EXPECTED.items():
        assert ddl[f"f_{type_key}"] == column_type, type_key

"""The schema planner: diff a definition against the live form tables and say what it costs.

The definition is the single source of truth; tables are derived from it. What we created is
recorded per table in `form_tables.columns` (field key -> column state), so the diff is exact and
cheap; `verify` compares that record with the catalog to find drift made behind our back.

Costs (what the designer sees before publishing):
- `instant`: catalog-only changes (create table, add nullable column, drop an index, retire a
  column) run at publish in the same transaction, under a short `lock_timeout`;
- `index`: building an index reads the whole table; run at publish under `lock_timeout`;
- `job`: a type change rewrites values; the old column is renamed aside (kept, like removed
  fields), a new column of the new type is added at publish, and a job backfills it in batches
  with progress (expand/contract, no long lock).
Refusals (`blocking`): a unique constraint over existing duplicates names the offending values.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from dataclasses import field as default
from typing import Any

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.schema import CreateTable

from engines.form import ColumnSpec, TableSpec, table_spec
from tessera.storage.naming import quote, table_name
from tessera.storage.tables import child_system_columns, system_columns

_DIALECT = postgresql.dialect()
LOCK_TIMEOUT = "3s"
SAMPLE_LIMIT = 10


def sql_type(spec: ColumnSpec) -> str:
    return spec.type.compile(dialect=_DIALECT)


def column_state(spec: ColumnSpec) -> dict[str, Any]:
    return {"column": spec.name, "type": sql_type(spec), "unique": spec.unique,
            "unique_ci": spec.unique_ci, "index": spec.index,
            "references_form": spec.references_form, "retired": False}


# What each step does, by a stable `code` with named `params`: the API keeps the English
# `description` for scripts and the command line; the browser words the step in the reader's
# language from `code` and `params` (frontend/src/i18n/messages.shell.ts, `plan.step.<code>`).
# Every step's params also name its `form` (and `subform` for a sub-form's table), so a client
# can show the field's label for `column`.
STEP_TEXTS = {
    "create_table": "creates table {schema}.{table} for {form}",
    "create_subform_table": "creates table {schema}.{table} for {form}.{subform}",
    "add_column": "adds column {column} ({type})",
    "add_column_kept_aside": "adds column {column} ({type}); the kept old column becomes {kept_as}",
    "restore_column": "brings back the kept column {column}",
    "change_type": "changes {column} {from} → {to}: rewrites {rows} rows, {unconvertible} values "
                   "won't convert (kept in {kept_as})",
    "build_index": "builds the index of {column}",
    "drop_index": "drops the index of {column}",
    "retire_column": "{column} is no longer in the form: its column is kept until purged",
}


@dataclass
class Step:
    op: str
    table: str
    cost: str
    description: str
    field: str | None = None
    code: str = ""
    params: dict[str, Any] = default(default_factory=dict)
    sql: list[str] = default(default_factory=list)
    deferred_sql: list[str] = default(default_factory=list)  # after every table exists (FKs)
    job: dict[str, Any] | None = None
    details: dict[str, Any] = default(default_factory=dict)

    def public(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("sql")
        out.pop("deferred_sql")
        return {k: v for k, v in out.items() if v not in (None, {}, [])}


def step(op: str, table: str, cost: str, code: str, params: dict[str, Any],
         **rest: Any) -> Step:
    """A step whose English description is worded from its code, so the two never disagree."""
    return Step(op, table, cost, STEP_TEXTS[code].format_map(params), code=code,
                params=params, **rest)


@dataclass
class Blocker:
    path: str
    code: str
    message: str
    params: dict[str, Any] = default(default_factory=dict)


@dataclass
class TablePlan:
    """The desired table and its new recorded state (written to form_tables on apply)."""

    form_key: str
    path: str
    name: str
    state: dict[str, Any]


@dataclass
class Plan:
    schema: str
    steps: list[Step] = default(default_factory=list)
    blockers: list[Blocker] = default(default_factory=list)
    tables: list[TablePlan] = default(default_factory=list)

    @property
    def summary(self) -> str:
        if not self.steps:
            return "no changes"
        counts: dict[str, int] = {}
        for step in self.steps:
            counts[step.op] = counts.get(step.op, 0) + 1
        parts = [f"{n} × {op.replace('_', ' ')}" for op, n in counts.items()]
        worst = "job" if any(s.cost == "job" for s in self.steps) else (
            "index" if any(s.cost == "index" for s in self.steps) else "instant")
        return ", ".join(parts) + f" ({worst})"

    def public(self) -> dict[str, Any]:
        return {"summary": self.summary, "steps": [s.public() for s in self.steps],
                "blockers": [asdict(b) for b in self.blockers]}


@dataclass
class _Desired:
    app_key: str
    form_key: str
    path: str  # "" for the form's own table, the child key otherwise
    name: str
    spec: TableSpec
    parent: str | None


def _desired_tables(app_key: str, definition: dict[str, Any]) -> list[_Desired]:
    out = []
    for form in definition.get("forms", []):
        spec = table_spec(form)
        name = table_name(app_key, form["key"])
        out.append(_Desired(app_key, form["key"], "", name, spec, None))
        for child in spec.children:
            out.append(_Desired(app_key, form["key"], child.key,
                                table_name(app_key, form["key"], child.key), child, name))
    return out


async def _recorded(conn: AsyncConnection, tenant_id: Any, app_key: str) -> dict:
    rows = (await conn.execute(text(
        "select form_key, path, table_name, columns from form_tables "
        "where tenant_id = :tenant and app_key = :app"), {"tenant": tenant_id, "app": app_key})
    ).mappings().all()
    return {(r["form_key"], r["path"]): r for r in rows}


def _index_name(table: str, column: str, kind: str) -> str:
    return table_name(table, column, kind)


def _index_sql(schema: str, table: str, state: dict[str, Any]) -> list[str]:
    col, target = state["column"], f"{quote(schema)}.{quote(table)}"
    if state["unique_ci"]:
        return [f"CREATE UNIQUE INDEX {quote(_index_name(table, col, 'uci'))} ON {target} "
                f"(lower({quote(col)})) WHERE _deleted_at IS NULL"]
    if state["unique"]:
        return [f"CREATE UNIQUE INDEX {quote(_index_name(table, col, 'uq'))} ON {target} "
                f"({quote(col)}) WHERE _deleted_at IS NULL"]
    if state["index"] or state["references_form"]:
        using = " USING gin" if state["type"].endswith("[]") else ""
        return [f"CREATE INDEX {quote(_index_name(table, col, 'ix'))} ON {target}{using} "
                f"({quote(col)})"]
    return []


def _system_index_sql(schema: str, want: _Desired) -> list[str]:
    """Child rows are always read by their parent; records are scoped by owner and department
    in every permission check, newest first (the `_id` order), so those columns are indexed
    together with `_id` and a scoped list is an index range scan, not a table scan."""
    target = f"{quote(schema)}.{quote(want.name)}"
    if want.parent:
        return [f"CREATE INDEX {quote(_index_name(want.name, '_parent_id', 'ix'))} ON {target} "
                "(_parent_id, _row_order)"]
    return [f"CREATE INDEX {quote(_index_name(want.name, column, 'ix'))} ON {target} "
            f"({column}, _id)" for column in ("_owner", "_department")]


def _fk_sql(schema: str, want: _Desired, state: dict[str, Any]) -> list[str]:
    """A relation column references its target's `_id`: a purged target empties a single
    relation and removes the link rows of a multiple one."""
    if not state["references_form"]:
        return []
    col = state["column"]
    target = table_name(want.app_key, state["references_form"])
    action = "CASCADE" if want.spec.kind == "link" else "SET NULL"
    return [f"ALTER TABLE {quote(schema)}.{quote(want.name)} ADD CONSTRAINT "
            f"{quote(_index_name(want.name, col, 'fk'))} FOREIGN KEY ({quote(col)}) "
            f"REFERENCES {quote(schema)}.{quote(target)} (_id) ON DELETE {action} NOT VALID"]


def _drop_index_sql(schema: str, table: str, state: dict[str, Any]) -> list[str]:
    col = state["column"]
    names = [_index_name(table, col, k) for k in ("uci", "uq", "ix")]
    return [f"DROP INDEX IF EXISTS {quote(schema)}.{quote(n)}" for n in names] + [
        f"ALTER TABLE {quote(schema)}.{quote(table)} DROP CONSTRAINT IF EXISTS "
        f"{quote(_index_name(table, col, 'fk'))}"]


def _index_kind(state: dict[str, Any]) -> tuple[bool, bool, bool]:
    return (state["unique"], state["unique_ci"], bool(state["index"] or state["references_form"]))


def _create_table_sql(schema: str, want: _Desired) -> str:
    from sqlalchemy import Column, MetaData, Table

    metadata = MetaData()
    if want.parent:
        Table(want.parent, metadata, Column("_id", postgresql.UUID), schema=schema)
        sys_cols = child_system_columns(want.parent, schema)
    else:
        sys_cols = system_columns()
    table = Table(want.name, metadata, *sys_cols,
                  *(Column(c.name, c.type) for c in want.spec.columns), schema=schema)
    return str(CreateTable(table).compile(dialect=_DIALECT))


async def _duplicates(conn: AsyncConnection, schema: str, table: str, column: str,
                      ci: bool) -> list[Any]:
    expr = f"lower({quote(column)})" if ci else quote(column)
    rows = await conn.execute(text(
        f"select {expr} as v, count(*) as n from {quote(schema)}.{quote(table)} "  # noqa: S608
        f"where {quote(column)} is not null and _deleted_at is null "
        f"group by 1 having count(*) > 1 order by 2 desc limit {SAMPLE_LIMIT}"))
    return [{"value": r.v, "count": r.n} for r in rows]


def conversion_sql(column: str, old_type: str, new_type: str) -> str:
    """SQL that converts `column` (of old_type) into new_type, NULL where it cannot."""
    source = quote(column)
    old_array, new_array = old_type.endswith("[]"), new_type.endswith("[]")
    if old_array and not new_array:
        as_text = f"({source})[1]::text"
    elif old_array:
        as_text = f"{source}::text"
    else:
        as_text = f"{source}::text"
    if new_array and not old_array:
        element = new_type[:-2]
        return (f"CASE WHEN {source} IS NULL THEN NULL WHEN pg_input_is_valid({as_text}, "
                f"'{element}') THEN ARRAY[{as_text}::{element}] END")
    return (f"CASE WHEN pg_input_is_valid({as_text}, '{new_type}') "
            f"THEN {as_text}::{new_type} END")


async def _conversion_report(conn: AsyncConnection, schema: str, table: str, column: str,
                             old_type: str, new_type: str) -> dict[str, Any]:
    converted = conversion_sql(column, old_type, new_type)
    target = f"{quote(schema)}.{quote(table)}"
    row = (await conn.execute(text(
        f"select count(*) as total, count(*) filter (where {quote(column)} is not null "  # noqa: S608
        f"and ({converted}) is null) as bad from {target}"))).one()
    samples = (await conn.execute(text(
        f"select _id, {quote(column)}::text as v from {target} "  # noqa: S608
        f"where {quote(column)} is not null and ({converted}) is null limit {SAMPLE_LIMIT}"))).all()
    return {"rows": row.total, "unconvertible": row.bad,
            "samples": [{"_id": str(s._id), "value": s.v} for s in samples]}


async def plan_app(conn: AsyncConnection, *, tenant_id: Any, schema: str,
                   definition: dict[str, Any]) -> Plan:
    app_key = definition["key"]
    recorded = await _recorded(conn, tenant_id, app_key)
    plan = Plan(schema=schema)
    for want in _desired_tables(app_key, definition):
        old = recorded.get((want.form_key, want.path))
        state = {c.name: column_state(c) for c in want.spec.columns}
        first = len(plan.steps)
        if old is None:
            plan.steps.append(step("create_table", want.name, "instant",
                                   "create_subform_table" if want.path else "create_table",
                                   {"schema": schema, "table": want.name,
                                    "form": want.form_key,
                                    **({"subform": want.path} if want.path else {})},
                                   sql=[_create_table_sql(schema, want)]))
            for col_state in state.values():
                plan.steps[-1].sql += _index_sql(schema, want.name, col_state)
                plan.steps[-1].deferred_sql += _fk_sql(schema, want, col_state)
            plan.steps[-1].sql += _system_index_sql(schema, want)
            plan.tables.append(TablePlan(want.form_key, want.path, want.name, state))
            continue
        await _diff_columns(conn, plan, schema, want, dict(old["columns"]), state)
        plan.tables.append(TablePlan(want.form_key, want.path, want.name, state))
        for made in plan.steps[first:]:  # which form (and sub-form) a column step is about
            made.params.setdefault("form", want.form_key)
            if want.path:
                made.params.setdefault("subform", want.path)
    return plan


async def _diff_columns(conn: AsyncConnection, plan: Plan, schema: str, want: _Desired,
                        old: dict[str, Any], new: dict[str, Any]) -> None:
    target = f"{quote(schema)}.{quote(want.name)}"
    path_prefix = f"{want.form_key}.{want.path}." if want.path else f"{want.form_key}."
    for key, state in list(new.items()):
        before = old.get(key)
        if before is None or (before.get("retired") and before["type"] == state["type"]):
            if before is None:
                plan.steps.append(step(
                    "add_column", want.name, "instant", "add_column",
                    {"column": key, "type": state["type"]}, field=key,
                    sql=[f"ALTER TABLE {target} ADD COLUMN {quote(key)} {state['type']}"]))
            else:
                plan.steps.append(step("restore_column", want.name, "instant",
                                       "restore_column", {"column": key}, field=key))
            before = {**state, "unique": False, "unique_ci": False, "index": False,
                      "references_form": None}
        elif before.get("retired"):
            # Re-added with another type: move the kept column aside, add a fresh one.
            aside = f"{key}__v{len([k for k in old if k.startswith(key + '__v')]) + 1}"
            plan.steps.append(step(
                "add_column", want.name, "instant", "add_column_kept_aside",
                {"column": key, "type": state["type"], "kept_as": aside}, field=key,
                sql=[f"ALTER TABLE {target} RENAME COLUMN {quote(key)} TO "
                                f"{quote(aside)}",
                                f"ALTER TABLE {target} ADD COLUMN {quote(key)} {state['type']}"]))
            new[aside] = {**before, "column": aside}
            before = {**state, "unique": False, "unique_ci": False, "index": False,
                      "references_form": None}
        elif before["type"] != state["type"]:
            report = await _conversion_report(conn, schema, want.name, key, before["type"],
                                              state["type"])
            aside = f"{key}__v{len([k for k in old if k.startswith(key + '__v')]) + 1}"
            plan.steps.append(step(
                "change_type", want.name, "job", "change_type",
                {"column": key, "from": before["type"], "to": state["type"],
                 "rows": report["rows"], "unconvertible": report["unconvertible"],
                 "kept_as": aside}, field=key,
                details={"from": before["type"], "to": state["type"], **report,
                         "kept_as": aside},
                sql=[*_drop_index_sql(schema, want.name, before),
                     f"ALTER TABLE {target} RENAME COLUMN {quote(key)} TO {quote(aside)}",
                     f"ALTER TABLE {target} ADD COLUMN {quote(key)} {state['type']}"],
                job={"kind": "schema.convert_column", "schema": schema, "table": want.name,
                     "source": aside, "target": key, "from": before["type"],
                     "to": state["type"]}))
            new[aside] = {**before, "column": aside, "retired": True, "unique": False,
                          "unique_ci": False, "index": False, "references_form": None}
            before = {**state, "unique": False, "unique_ci": False, "index": False,
                      "references_form": None}
        if _index_kind(before) != _index_kind(state):
            if (state["unique"] or state["unique_ci"]) and not (
                    before["unique"] and before["unique_ci"] == state["unique_ci"]):
                dups = await _duplicates(conn, schema, want.name, key, state["unique_ci"])
                if dups:
                    plan.blockers.append(Blocker(
                        path_prefix + key, "duplicates_exist",
                        f"{key} cannot become unique: {len(dups)} values occur more than once",
                        {"duplicates": dups, "column": key, "count": len(dups)}))
            builds = any(_index_kind(state))
            plan.steps.append(step(
                "change_index", want.name, "index" if builds else "instant",
                "build_index" if builds else "drop_index", {"column": key}, field=key,
                sql=[*_drop_index_sql(schema, want.name, before),
                                *_index_sql(schema, want.name, state)],
                deferred_sql=_fk_sql(schema, want, state)))
    for key, before in old.items():
        if key not in new:
            if not before.get("retired"):
                plan.steps.append(step(
                    "retire_column", want.name, "instant", "retire_column", {"column": key},
                    field=key, sql=_drop_index_sql(schema, want.name, before)))
            new[key] = {**before, "retired": True, "unique": False, "unique_ci": False,
                        "index": False, "references_form": None}


async def apply_plan(conn: AsyncConnection, plan: Plan, *, tenant_id: Any, app_key: str) -> None:
    """Run the plan's DDL in the caller's transaction and record the new table states.

    `lock_timeout` keeps a publish from queueing behind a long transaction and blocking every
    writer of the table meanwhile: it fails fast instead, and the caller reports it.
    """
    await conn.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    for statement in [*(q for s in plan.steps for q in s.sql),
                      *(q for s in plan.steps for q in s.deferred_sql)]:
        await conn.execute(text(statement))
    for table in plan.tables:
        await conn.execute(text(
            "insert into form_tables (tenant_id, app_key, form_key, path, schema_name, "
            "table_name, columns, updated_at) values (:tenant, :app, :form, :path, :schema, "
            ":table, cast(:columns as jsonb), now()) on conflict (tenant_id, app_key, form_key, "
            "path) do update set columns = excluded.columns, table_name = excluded.table_name, "
            "updated_at = now()"),
            {"tenant": tenant_id, "app": app_key, "form": table.form_key, "path": table.path,
             "schema": plan.schema, "table": table.name, "columns": _json(table.state)})


def _json(value: Any) -> str:
    import json

    return json.dumps(value)

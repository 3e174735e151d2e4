"""Records of a published form: the imperative shell around the form engine.

The engine (`engines.form.validate_record`) decides — normalised values, child rows, errors,
references to check, serials to allocate; this module carries that out in the caller's
transaction: checks references in SQL, allocates serial numbers, writes the row, its child
rows and a history row with the field-level diff.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    String,
    Table,
    and_,
    delete,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from engines.form import (
    RecordContext,
    RecordResult,
    field_types,
    read_plans,
    refresh_live,
    to_json,
    validate_record,
)
from tessera.api.errors import (
    ApiError,
    Conflict,
    FieldProblem,
    Forbidden,
    NotFound,
    ValidationFailed,
)
from tessera.apps.service import PublishedApp
from tessera.auth.tokens import Principal
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.permissions import AccessResolver, FactsCache, FormAccess
from tessera.records import lazy_history, titles
from tessera.records import query as q
from tessera.records.read_through import read_through_column
from tessera.records.references import check_references
from tessera.storage.tables import SYSTEM_FIELDS, AppTables, FormTables


@dataclass
class FormContext:
    """Everything a record operation on one form needs, the caller's permissions included.
    Build it with `open_form`."""

    conn: AsyncConnection
    principal: Principal
    app: PublishedApp
    tables: AppTables
    form: dict[str, Any]
    access: FormAccess
    resolver: AccessResolver
    read_columns: list[Any]
    title_columns: list[Any] = field(default_factory=list)  # _titles of related records
    _visible: dict[str, Any] | None = None
    locale: str = "zh-CN"  # the language of validation messages

    @property
    def ft(self) -> FormTables:
        return self.tables.forms[self.form["key"]]

    @property
    def table(self) -> Table:
        return self.ft.table

    @property
    def read_through_keys(self) -> frozenset[str]:
        return frozenset(c.name for c in self.read_columns)

    def rows(self, action: str = "view") -> Any:
        """Live rows of the caller's tenant that `action` may touch."""
        return and_(self.table.c.tenant_id == self.principal.tenant_id,
                    self.table.c._deleted_at.is_(None),
                    self.access.row_condition(self.table, action, self.visible_columns()))

    def visible_columns(self) -> dict[str, Any]:
        """Columns a filter, sort or scope expression may name (`query.filter_columns`)."""
        if self._visible is None:
            self._visible = q.filter_columns(self.form, self.table, self.access.hidden)
        return self._visible

    def record_context(self) -> RecordContext:
        return RecordContext(user_id=self.principal.user_id, locale=self.locale,
                             department_id=self.principal.department_id)


async def _read_columns(conn: AsyncConnection, tables: AppTables, app: PublishedApp,
                        form: dict[str, Any], access: FormAccess,
                        resolver: AccessResolver) -> list[Any]:
    if access.full:
        return tables.read_through(form["key"])
    forms = {f["key"]: f for f in app.definition.get("forms", [])}
    columns = []
    for plan in read_plans(form, forms):
        source = await resolver.form(plan.source_form)
        table = tables.forms[plan.source_form].table
        if not source.can("view") or (plan.target_field or "") in source.hidden:
            columns.append(null().label(plan.field))
            continue
        condition = None if source.full else source.row_condition(table, "view")
        columns.append(read_through_column(tables, form["key"], plan, condition))
    return columns


async def _title_columns(tables: AppTables, app: PublishedApp, form: dict[str, Any],
                         resolver: AccessResolver) -> list[Any]:
    columns = []
    for f in form.get("fields", []):
        if f["type"] != "relation" or f.get("target") not in tables.forms:
            continue
        target_form = app.form(f["target"])
        title = target_form.get("title_field")
        target = await resolver.form(f["target"])
        if not title or not target.can("view") or title in target.hidden:
            continue
        table = tables.forms[f["target"]].table
        condition = None if target.full else target.row_condition(table, "view")
        columns.append(titles.title_column(tables, form["key"], f, title, condition))
    return columns


async def open_form(conn: AsyncConnection, principal: Principal, app: PublishedApp,
                    tables: AppTables, form_key: str,
                    facts: FactsCache | None = None, locale: str = "zh-CN") -> FormContext:
    form = app.form(form_key)
    resolver = AccessResolver(conn, principal, app.definition, facts)
    access = await resolver.form(form_key)
    read_columns = await _read_columns(conn, tables, app, form, access, resolver)
    if access.full:  # the same for every full-access caller of this version: built once
        if form_key not in tables.full_access_titles:
            tables.full_access_titles[form_key] = await _title_columns(tables, app, form,
                                                                       resolver)
        title_columns = tables.full_access_titles[form_key]
    else:
        title_columns = await _title_columns(tables, app, form, resolver)
    return FormContext(conn, principal, app, tables, form, access, resolver, read_columns,
                       title_columns=title_columns, locale=locale)


class UniqueViolation(Exception):
    """A unique index refused the row; the route answers 409 after the rollback."""

    def __init__(self, field: str, value: Any) -> None:
        super().__init__(field)
        self.field = field
        self.value = value


def _problems(result: RecordResult, locale: str) -> list[FieldProblem]:
    """The form engine's errors, their messages already in `locale` (the caller's)."""
    return [FieldProblem("data." + e.path if e.path else "data", e.code, e.message, e.params,
                         locale) for e in result.errors]


def _raise_if_invalid(result: RecordResult, locale: str) -> None:
    if result.errors:
        summary = "; ".join(f"{e.path}: {e.message}" for e in result.errors[:5])
        raise ValidationFailed("The record is not valid: " + summary,
                               errors=_problems(result, locale), params={"summary": summary})


def user_columns(ctx: FormContext) -> list[Any]:
    return [c for c in ctx.table.c if not c.name.startswith("_") and c.name != "tenant_id"]


def _unique_field(ctx: FormContext, exc: IntegrityError) -> str | None:
    from tessera.storage.naming import table_name

    cause = getattr(exc.orig, "__cause__", None)
    constraint = getattr(cause, "constraint_name", None) or ""
    for spec in ctx.ft.spec.columns:
        for kind in ("uq", "uci"):
            if constraint == table_name(ctx.table.name, spec.name, kind):
                return spec.name
    return None


async def _allocate_serials(ctx: FormContext, result: RecordResult) -> None:
    for request in result.serials:
        counter = f"{ctx.app.key}.{request.counter_key}"
        value = (await ctx.conn.execute(text(
            "insert into serial_counters (tenant_id, counter_key, value) values (:t, :k, 1) "
            "on conflict (tenant_id, counter_key) do update set value = serial_counters.value + 1 "
            "returning value"), {"t": ctx.principal.tenant_id, "k": counter})).scalar_one()
        # the row lock on the counter is held to commit: numbers are unique and gap-free
        result.values[request.field] = request.render(value)


async def _write_children(ctx: FormContext, record_id: uuid.UUID,
                          children: dict[str, list[dict[str, Any]]], *, replace: bool) -> None:
    for key, rows in children.items():
        table = ctx.ft.children[key]
        if replace:
            await ctx.conn.execute(delete(table).where(table.c._parent_id == record_id))
        if rows:
            await ctx.conn.execute(insert(table), [
                {**{k: v for k, v in row.items() if k != "_id"},
                 "_id": row.get("_id") or uuid7(), "tenant_id": ctx.principal.tenant_id,
                 "_parent_id": record_id, "_row_order": i} for i, row in enumerate(rows)])


async def load_children(ctx: FormContext, record_ids: list[uuid.UUID]) -> dict:
    out: dict[uuid.UUID, dict[str, list[dict[str, Any]]]] = {rid: {} for rid in record_ids}
    for key, table in ctx.ft.children.items():
        for rid in record_ids:
            out[rid][key] = []
        rows = (await ctx.conn.execute(
            select(table).where(table.c._parent_id.in_(record_ids))
            .order_by(table.c._parent_id, table.c._row_order))).mappings().all()
        for row in rows:
            out[row["_parent_id"]][key].append(
                {k: v for k, v in row.items()
                 if k not in ("tenant_id", "_parent_id", "_row_order")})
    return out


def columns_view(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("tenant_id", "_deleted_at")}


def serialise(ctx: FormContext, row: Any, children: dict[str, list[dict]] | None = None) -> dict:
    """A stored row (and its child rows) -> the record's full JSON (history keeps this).
    Formulas over lookups and rollups read in this row are computed again from them: the
    related records may have changed since this one was saved."""
    record = to_json(ctx.form, {**columns_view(row), **(children or {})})
    if ctx.read_through_keys:
        return refresh_live(ctx.form, record, ctx.record_context())
    return record


def present(ctx: FormContext, record: dict[str, Any]) -> dict[str, Any]:
    """What the caller may see of a record: hidden fields are left out entirely; titles of
    related records are gathered under `_titles`."""
    hidden = ctx.access.hidden
    visible = {k: v for k, v in record.items() if k not in hidden} if hidden else record
    titled = titles.split_titles(visible)
    if "_titles" in titled and hidden:
        titled["_titles"] = {k: v for k, v in titled["_titles"].items() if k not in hidden}
    return titled


def check_writable(ctx: FormContext, data: Any) -> None:
    """Hidden fields look unknown (no hint they exist); read-only ones say so."""
    if not isinstance(data, dict):
        return
    problems = []
    for key in data:
        if key in ctx.access.hidden:
            problems.append(FieldProblem(f"data.{key}", "unknown_field", "No such field."))
        elif key in ctx.access.readonly:
            problems.append(FieldProblem(f"data.{key}", "read_only_field",
                                         "You may not change this field."))
    if problems:
        raise ValidationFailed("The record is not valid.", errors=problems)


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None,
          skip: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Field-level changes; system fields and read-through fields (not stored) are skipped."""
    changes = {}
    for key in sorted(set(before or {}) | set(after or {})):
        if key in SYSTEM_FIELDS or key in skip:
            continue
        old, new = (before or {}).get(key), (after or {}).get(key)
        if old != new:
            changes[key] = {"old": old, "new": new}
    return changes


def history_values(ctx: FormContext, record_id: uuid.UUID, version: int, action: str,
                    before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict:
    return {"tenant_id": ctx.principal.tenant_id, "app_key": ctx.app.key,
            "form_key": ctx.form["key"], "record_id": record_id, "version": version,
            "action": action, "changes": _diff(before, after, ctx.read_through_keys),
            "snapshot": after,
            "actor_id": ctx.principal.user_id}


async def write_history(ctx: FormContext, record_id: uuid.UUID, version: int, action: str,
                   before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    await ctx.conn.execute(insert(t.record_history),
                           history_values(ctx, record_id, version, action, before, after))


async def write_first_versions(ctx: FormContext, rows: list[Any],
                               children: dict[uuid.UUID, dict[str, Any]] | None = None) -> None:
    """Before the first change to imported records, the version-1 history row their import
    left out (`lazy_history`), built from `rows` — the stored rows before this change, or
    just after it — and their child rows (`children` by record id, else loaded here)."""
    missing = await lazy_history.first_versions(ctx.conn, ctx.principal.tenant_id, ctx.app.key,
                                                ctx.form["key"], rows)
    await _insert_first_versions(ctx, rows, missing, children)


async def _insert_first_versions(ctx: FormContext, rows: Sequence[Any], missing: list[Any],
                                 children: dict[uuid.UUID, dict[str, Any]] | None) -> None:
    """The version-1 rows of `missing` (ids among `rows` known to have none yet)."""
    if not missing:
        return
    if children is None:
        children = await load_children(ctx, missing) if ctx.ft.children else {}
    by_id = {r["_id"]: r for r in rows}
    await ctx.conn.execute(insert(t.record_history), [
        lazy_history.first_version_row(
            ctx.principal.tenant_id, ctx.app.key, ctx.form["key"], by_id[i],
            serialise(ctx, lazy_history.unchanged_import(by_id[i]), children.get(i)))
        for i in missing])


async def write_owner_first_versions(ctx: FormContext, owner_id: uuid.UUID,
                                     batch: int = 1000) -> int:
    """The lazy version-1 rows (`lazy_history`) of every imported, never-changed record
    `owner_id` owns in this form, the recycle bin included: for a change that bumps many
    versions in one UPDATE (offboarding's handover) instead of going row by row. Keyset
    batches, so an owner of a million imported rows costs memory for `batch` of them."""
    table = ctx.table
    unwritten = lazy_history.unwritten(table, ctx.app.key, ctx.form["key"])
    written, after = 0, None
    while True:
        query = select(table, *ctx.read_columns).where(
            table.c.tenant_id == ctx.principal.tenant_id, table.c._owner == owner_id,
            table.c._version == 1, unwritten)
        if after is not None:
            query = query.where(table.c._id > after)
        rows = (await ctx.conn.execute(query.order_by(table.c._id).limit(batch))).mappings().all()
        if not rows:
            return written
        # selected as unwritten: no need to ask the history again
        await _insert_first_versions(ctx, rows, [r["_id"] for r in rows], None)
        written += len(rows)
        after = rows[-1]["_id"]


async def _write_with_history(ctx: FormContext, write: Any, history: dict[str, Any]) -> None:
    """The row write and its history row in one statement (one round trip):
    `WITH w AS (<insert/update> RETURNING _id) INSERT INTO record_history SELECT … FROM w`.
    A write that matches no row writes no history either."""
    written = write.returning(ctx.table.c._id).cte("written")
    columns = [c for c in history if c != "record_id"]
    values = [literal(history[c], t.record_history.c[c].type).label(c) for c in columns]
    await ctx.conn.execute(insert(t.record_history).from_select(
        [*columns, "record_id"], select(*values, written.c._id)))


def unique_violation(ctx: FormContext, exc: IntegrityError,
                      values: dict[str, Any]) -> UniqueViolation | None:
    field = _unique_field(ctx, exc)
    return None if field is None else UniqueViolation(field, values.get(field))


async def _resolve_linkages(ctx: FormContext, data: dict[str, Any],
                            result: RecordResult) -> RecordResult:
    """Data-linkage defaults (联动): the engine names the record to read and the field to take
    (a LinkageRequest); we read it — only from rows and fields the caller may see — and
    validate again with those values given, as if the user had typed them."""
    from engines.rules import to_sql

    filled: dict[str, Any] = {}
    for link in result.linkages:
        source = await ctx.resolver.form(link.form)
        if not source.can("view") or link.take in source.hidden:
            continue
        table = ctx.tables.forms[link.form].table
        columns = {c.name: c for c in table.c if c.name != "tenant_id"}
        row = (await ctx.conn.execute(
            select(table.c[link.take]).where(
                table.c.tenant_id == ctx.principal.tenant_id, table.c._deleted_at.is_(None),
                source.row_condition(table, "view"), to_sql(link.filter, columns))
            .order_by(table.c._id.desc()).limit(1))).first()
        if row is not None and row[0] is not None:
            filled[link.field] = to_json(ctx.app.form(link.form), {link.take: row[0]})[link.take]
    if not filled:
        return result
    return validate_record(ctx.form, {**data, **filled}, context=ctx.record_context())


async def create_record(ctx: FormContext, data: Any) -> dict[str, Any]:
    ctx.access.require("create")
    check_writable(ctx, data)
    result = validate_record(ctx.form, data, context=ctx.record_context())
    if result.linkages and not result.errors:
        result = await _resolve_linkages(ctx, data, result)
    _raise_if_invalid(result, ctx.locale)
    await check_references(ctx.conn, ctx.principal.tenant_id, ctx.tables, result)
    await _allocate_serials(ctx, result)
    record_id = uuid7()
    now = datetime.now(UTC)
    user = ctx.principal.user_id
    system = {"_id": record_id, "_owner": user, "_department": ctx.principal.department_id,
              "_created_by": user,
              "_created_at": now, "_updated_by": user, "_updated_at": now, "_version": 1,
              "_flow_status": None}
    row = {**result.values, **system, "tenant_id": ctx.principal.tenant_id}
    # Every value is known before the write (ids and times are ours), so the response and the
    # history snapshot are built here and the write is a single statement.
    record = serialise(ctx, {**system, **_all_fields_empty(ctx), **result.values})
    try:
        await _write_with_history(ctx, insert(ctx.table).values(row),
                                  history_values(ctx, record_id, 1, "create", None, record))
    except IntegrityError as exc:
        violation = unique_violation(ctx, exc, result.values)
        if violation is None:
            raise
        raise violation from None  # the transaction is aborted; the route answers 409
    if result.children:
        await _write_children(ctx, record_id, result.children, replace=False)
        record = serialise(ctx, {**system, **_all_fields_empty(ctx), **result.values,
                                 **(await load_children(ctx, [record_id]))[record_id]})
        await _set_snapshot(ctx, record_id, 1, record)
    if ctx.read_through_keys:
        return await get_record(ctx, record_id)  # lookups and rollups are read in SQL
    return present(ctx, record)


def _all_fields_empty(ctx: FormContext) -> dict[str, Any]:
    return {c.name: None for c in user_columns(ctx)}


async def _set_snapshot(ctx: FormContext, record_id: uuid.UUID, version: int,
                        record: dict[str, Any]) -> None:
    h = t.record_history
    await ctx.conn.execute(update(h).where(
        h.c.tenant_id == ctx.principal.tenant_id, h.c.record_id == record_id,
        h.c.version == version).values(snapshot=record, changes=_diff(None, record)))


async def stored_row(ctx: FormContext, record_id: uuid.UUID, *, action: str = "view",
                     lock: bool = False, extra: list[Any] | None = None) -> Any:
    """The live row, if `action` may touch it: 404 when the caller cannot even see it, 403
    when they see it but may not `action` it."""
    query = select(ctx.table, *ctx.read_columns, *(extra or [])).where(
        ctx.rows(action), ctx.table.c._id == record_id)
    if lock:
        query = query.with_for_update(of=ctx.table)
    row = (await ctx.conn.execute(query)).mappings().first()
    if row is not None:
        return row
    if action != "view":
        visible = (await ctx.conn.execute(select(ctx.table.c._id).where(
            ctx.rows("view"), ctx.table.c._id == record_id))).first()
        if visible:
            raise Forbidden(f"You may not {action} this record.", code="permission_denied",
                            extra={"action": action})
    raise NotFound(f"No {ctx.form['key']} record {record_id}.", code="record_not_found")


async def get_record(ctx: FormContext, record_id: uuid.UUID) -> dict[str, Any]:
    ctx.access.require("view")
    row = await stored_row(ctx, record_id, extra=ctx.title_columns)
    children = (await load_children(ctx, [record_id]))[record_id]
    return present(ctx, serialise(ctx, row, children))


async def update_record(ctx: FormContext, record_id: uuid.UUID, data: Any,
                        expected_version: int | None) -> dict[str, Any]:
    ctx.access.require("edit")
    check_writable(ctx, data)
    row = await stored_row(ctx, record_id, action="edit", lock=True)
    if expected_version is None:
        raise ValidationFailed("PATCH must carry the `_version` you edited.",
                               code="version_required",
                               errors=[FieldProblem("_version", "required", "Required.")])
    if row["_version"] != expected_version:
        raise Conflict(f"Someone saved this record after you opened it (now version "
                       f"{row['_version']}, you edited {expected_version}).",
                       params={"expected": expected_version},
                       code="version_conflict", extra={"current_version": row["_version"]})
    children = (await load_children(ctx, [record_id]))[record_id]
    existing = {**columns_view(row), **children}
    result = validate_record(ctx.form, data, existing=existing, partial=True,
                             context=ctx.record_context())
    _raise_if_invalid(result, ctx.locale)
    await check_references(ctx.conn, ctx.principal.tenant_id, ctx.tables, result)
    before = serialise(ctx, row, children)
    await write_first_versions(ctx, [row], {record_id: children})
    version = row["_version"] + 1
    try:
        stored = (await ctx.conn.execute(
            update(ctx.table).where(ctx.table.c._id == record_id)
            .values(**result.values, _version=version, _updated_at=datetime.now(UTC),
                    _updated_by=ctx.principal.user_id)
            .returning(*ctx.table.c))).mappings().one()
    except IntegrityError as exc:
        violation = unique_violation(ctx, exc, result.values)
        if violation is None:
            raise
        raise violation from None
    await _write_children(ctx, record_id, result.children, replace=True)
    if result.children:
        children = (await load_children(ctx, [record_id]))[record_id]
    record = serialise(ctx, stored, children)
    await write_history(ctx, record_id, version, "update", before, record)
    if ctx.read_through_keys:
        return await get_record(ctx, record_id)
    return present(ctx, record)


async def delete_record(ctx: FormContext, record_id: uuid.UUID) -> None:
    """Soft delete: the record moves to the recycle bin (restorable until purged)."""
    ctx.access.require("delete")
    row = await stored_row(ctx, record_id, action="delete", lock=True)
    before = serialise(ctx, row)
    await write_first_versions(ctx, [row])
    version = row["_version"] + 1
    await ctx.conn.execute(update(ctx.table).where(ctx.table.c._id == record_id).values(
        _deleted_at=func.now(), _version=version, _updated_by=ctx.principal.user_id))
    await write_history(ctx, record_id, version, "delete", before, None)


async def find_by_value(ctx: FormContext, field: str, value: Any) -> uuid.UUID | None:
    col = ctx.table.c[field]
    spec = ctx.ft.spec.column(field)
    cond = func.lower(col) == func.lower(value) if spec.unique_ci else col == value
    return (await ctx.conn.execute(select(ctx.table.c._id).where(ctx.rows("view"), cond))
            ).scalar()


def _sortable(ctx: FormContext) -> set[str]:
    keys = set(q.SORTABLE_SYSTEM)
    for f in ctx.form.get("fields", []):
        ft = field_types.get(f["type"])
        if ft.sortable and ft.stored and f["key"] in ctx.table.c \
                and f["key"] not in ctx.access.hidden:
            keys.add(f["key"])
    return keys


def compile_filter(ctx: FormContext, expression: Any) -> Any:
    """The list filter as SQL over the columns the caller may see."""
    return q.compile_filter(expression, ctx.table, ctx.visible_columns())


MAX_SEARCH = 200


def search_condition(ctx: FormContext, text_query: str | None) -> Any:
    """Quick search: a case-insensitive substring over the text columns the caller may see
    (hidden fields are never searched, so a search cannot probe them)."""
    if not text_query or not text_query.strip():
        return None
    needle = text_query.strip()[:MAX_SEARCH]
    columns = [c for key, c in ctx.visible_columns().items()
               if not key.startswith("_") and isinstance(c.type, String)]
    if not columns:
        return false()
    return or_(*(c.icontains(needle, autoescape=True) for c in columns))


def _merged_branches(ctx: FormContext, branches: list[Any], conditions: list[Any],
                     key: q.SortKey, limit: int) -> Any:
    """The ids of the first `limit` rows in `_id` order, read branch by branch: each branch is
    an ordered range scan of its `(column, _id)` index, and Postgres merges them."""
    table = ctx.table
    order = q.order_by([key])
    parts = [select(table.c._id).where(
        table.c.tenant_id == ctx.principal.tenant_id, table.c._deleted_at.is_(None), branch,
        *conditions).order_by(*order).limit(limit) for branch in branches]
    merged = union_all(*parts).subquery()
    ordered = merged.c._id.desc() if key.descending else merged.c._id.asc()
    return select(merged.c._id).distinct().order_by(ordered).limit(limit)


ALWAYS_SELECTED = ("_id", "_version")


def field_selection(ctx: FormContext, fields: str | None) -> set[str] | None:
    """`fields=name,amount` -> the keys to return (plus `_id` and `_version`); unknown and
    hidden keys are refused alike, so a selection cannot probe hidden fields."""
    if not fields:
        return None
    known = {f["key"] for f in ctx.form.get("fields", [])} | set(SYSTEM_FIELDS)
    wanted = [k.strip() for k in fields.split(",") if k.strip()]
    problems = [FieldProblem(f"fields[{i}]", "unknown_field", f"No field {k!r}.", {"field": k})
                for i, k in enumerate(wanted) if k not in known or k in ctx.access.hidden]
    if problems:
        raise ValidationFailed("Unknown fields in the selection.", code="invalid_fields",
                               errors=problems)
    return set(wanted) | set(ALWAYS_SELECTED)


def _selected_columns(ctx: FormContext, chosen: set[str] | None,
                      sort_keys: list[q.SortKey]) -> list[Any]:
    """Only the columns asked for (and those the cursor needs): less to read and to send."""
    if chosen is None:
        return [ctx.table, *ctx.read_columns, *ctx.title_columns]
    needed = chosen | {k.key for k in sort_keys}
    return [*(c for c in ctx.table.c if c.name in needed),
            *(c for c in ctx.read_columns if c.name in needed),
            *(c for c in ctx.title_columns if c.name[len(titles.PREFIX):] in needed)]


async def list_records(ctx: FormContext, *, expression: Any, sort: str | None,
                       limit: int | None, cursor: str | None,
                       search: str | None = None, fields: str | None = None) -> dict[str, Any]:
    ctx.access.require("view")
    keys = q.parse_sort(sort or "-_id", ctx.table, _sortable(ctx))
    size = q.clamp_limit(limit)
    chosen = field_selection(ctx, fields)
    conditions = [c for c in (compile_filter(ctx, expression), search_condition(ctx, search))
                  if c is not None]
    if cursor:
        conditions.append(q.keyset_condition(keys, q.decode_cursor(cursor, keys)))
    query = select(*_selected_columns(ctx, chosen, keys))
    branches = ctx.access.row_branches(ctx.table) if len(keys) == 1 else None
    if branches:
        query = query.where(ctx.table.c._id.in_(
            _merged_branches(ctx, branches, conditions, keys[0], size + 1)))
    else:
        query = query.where(ctx.rows("view"), *conditions)
    rows = (await ctx.conn.execute(query.order_by(*q.order_by(keys)).limit(size + 1))
            ).mappings().all()
    page = rows[:size]
    with_children = ctx.ft.children and (chosen is None or chosen & set(ctx.ft.children))
    children = await load_children(ctx, [r["_id"] for r in page]) if with_children else {}
    items = [present(ctx, serialise(ctx, r, children.get(r["_id"]))) for r in page]
    if chosen is not None:
        items = [{k: v for k, v in item.items() if k in chosen or k == "_titles"}
                 for item in items]
    next_cursor = q.encode_cursor(keys, page[-1]) if len(rows) > size else None
    return {"items": items, "next_cursor": next_cursor}


COUNT_CAP = 10_000


async def count_records(ctx: FormContext, *, expression: Any,
                        search: str | None = None) -> dict[str, Any]:
    """Exact up to COUNT_CAP, then the planner's estimate: counting a million rows on every
    page view is the classic way to make a list slow (Frappe caps its counts the same way)."""
    ctx.access.require("view")
    conditions = [c for c in (compile_filter(ctx, expression), search_condition(ctx, search))
                  if c is not None]
    query = select(ctx.table.c._id).where(ctx.rows("view"), *conditions)
    capped = (await ctx.conn.execute(
        select(func.count()).select_from(query.limit(COUNT_CAP + 1).subquery()))).scalar_one()
    if capped <= COUNT_CAP:
        return {"count": capped, "exact": True}
    if not conditions and ctx.access.full:  # the whole table: the statistics' estimate
        estimate = (await ctx.conn.execute(text(
            "select greatest(reltuples, 0)::bigint from pg_class where oid = cast(:t as regclass)"),
            {"t": f'"{ctx.tables.schema}"."{ctx.table.name}"'})).scalar_one()
        return {"count": max(int(estimate), capped), "exact": False}
    return {"count": capped, "exact": False, "at_least": True}


async def history(ctx: FormContext, record_id: uuid.UUID) -> list[dict[str, Any]]:
    ctx.access.require("view")
    if not ctx.access.full:  # the record (live or in the bin) must be one the caller may see
        scope = ctx.access.row_condition(ctx.table, "view", ctx.visible_columns())
        seen = (await ctx.conn.execute(select(ctx.table.c._id).where(
            ctx.table.c.tenant_id == ctx.principal.tenant_id, ctx.table.c._id == record_id,
            scope))).first()
        if seen is None:
            raise NotFound(f"No {ctx.form['key']} record {record_id}.",
                           code="record_not_found")
    hidden = ctx.access.hidden
    h = t.record_history
    rows = (await ctx.conn.execute(
        select(h.c.version, h.c.action, h.c.changes, h.c.at, h.c.actor_id,
               t.users.c.name.label("actor_name"))
        .outerjoin(t.users, t.users.c.id == h.c.actor_id)
        .where(h.c.tenant_id == ctx.principal.tenant_id, h.c.app_key == ctx.app.key,
               h.c.form_key == ctx.form["key"], h.c.record_id == record_id)
        .order_by(h.c.version.desc(), h.c.id.desc()))).mappings().all()
    items = [{"version": r["version"], "action": r["action"], "at": r["at"].isoformat(),
              "actor": {"id": str(r["actor_id"]) if r["actor_id"] else None,
                        "name": r["actor_name"]},
              "changes": {k: v for k, v in r["changes"].items() if k not in hidden}}
             for r in rows]
    if not rows or rows[-1]["version"] != 1:  # an imported record: its entry is not stored
        imported = await lazy_history.imported_entry(ctx.conn, ctx.table,
                                                     ctx.principal.tenant_id, record_id)
        if imported is not None:
            items.append(imported)
    if not items:
        raise NotFound(f"No {ctx.form['key']} record {record_id}.", code="record_not_found")
    return items


def unique_conflict(ctx: FormContext, violation: UniqueViolation,
                    existing: uuid.UUID | None) -> ApiError:
    return Conflict(
        f"Another record already has this {violation.field}.", code="duplicate_value",
        params={"field": violation.field},
        errors=[FieldProblem("data." + violation.field, "duplicate",
                             "Already used by another record.",
                             {"existing_record": str(existing) if existing else None})])

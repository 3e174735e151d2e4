"""Bulk create / update / delete of many records in one call.

The work is batched, not a loop of single-record requests: the form engine validates each row
(pure, in memory); references are checked with one query per kind over all rows; unique values
with one query per unique field; serial numbers are taken as one range per counter; rows, child
rows and history rows are written with executemany in chunks of CHUNK rows.

Modes:
- `atomic`: every row is checked and written; if any row fails, the whole call is rolled back
  and answered 422 `bulk_rejected` with every row's errors (paths `create[3].data.amount`).
- `per_row`: rows that fail are skipped and reported; the others are written. Each chunk is
  written under a SAVEPOINT; a chunk the database refuses (a unique value taken by a concurrent
  writer) is rolled back to it and retried row by row, each under its own SAVEPOINT.

Sections run in the order delete, update, create, so a value freed by a delete can be reused by
a create of the same call. Unique values of updates are checked against the records as they
were before the call's updates.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from engines.form import RecordResult, validate_record
from tessera.api.errors import ApiError, FieldProblem, ValidationFailed
from tessera.db import tables as t
from tessera.db.ids import uuid7
from tessera.records import service
from tessera.records.references import MESSAGES, existing_ids
from tessera.records.service import FormContext, serialise

CHUNK = 500
MAX_ROWS = 10_000


class BulkRejected(ApiError):
    status, code, title = 422, "bulk_rejected", "Nothing was written"


@dataclass
class Row:
    """One item of a section and what became of it."""

    section: str
    index: int
    record_id: uuid.UUID | None = None
    version: int | None = None
    errors: list[FieldProblem] = field(default_factory=list)
    result: RecordResult | None = None
    stored: Any = None  # the row before an update
    children_before: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    write: dict[str, Any] = field(default_factory=dict)
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    history: dict[str, Any] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"{self.section}[{self.index}]"

    def fail(self, path: str, code: str, message: str,
             params: dict[str, Any] | None = None, locale: str | None = None) -> None:
        """`locale`: the language `message` is already in (the form engine's), if not English."""
        # params as one dict, not keywords: a rule's params may carry `message` themselves
        self.errors.append(FieldProblem(f"{self.prefix}{'.' + path if path else ''}", code,
                                        message, params or {}, locale))

    def outcome(self, locale: str = "en") -> dict[str, Any]:
        """The row's result; its problems' messages in `locale`, as a problem's would be."""
        if self.errors:
            return {"index": self.index, "ok": False,
                    "errors": [e.as_dict(locale) for e in self.errors]}
        out: dict[str, Any] = {"index": self.index, "ok": True, "_id": str(self.record_id)}
        if self.version is not None:
            out["_version"] = self.version
        return out


def _validation_errors(row: Row, exc: ValidationFailed) -> None:
    for problem in exc.errors:
        row.fail(problem.path, problem.code, problem.message, problem.params, problem.locale)


def _validate(ctx: FormContext, row: Row, data: Any, existing: dict[str, Any] | None) -> None:
    try:
        service.check_writable(ctx, data)
    except ValidationFailed as exc:
        _validation_errors(row, exc)
        return
    result = validate_record(ctx.form, data, existing=existing, partial=existing is not None,
                             context=ctx.record_context())
    for error in result.errors:
        row.fail("data." + error.path if error.path else "data", error.code, error.message,
                 error.params, ctx.locale)
    row.result = result


def _ok(rows: list[Row]) -> list[Row]:
    return [r for r in rows if not r.errors]


async def _check_references(ctx: FormContext, rows: list[Row]) -> None:
    groups: dict[tuple[str, str | None, str], list[tuple[Row, Any]]] = defaultdict(list)
    for row in _ok(rows):
        assert row.result is not None
        for ref in row.result.references:
            groups[(ref.kind, ref.form, json.dumps(ref.params, sort_keys=True))].append(
                (row, ref))
    for (kind, form, _), pairs in groups.items():
        found = await existing_ids(ctx.conn, ctx.principal.tenant_id, ctx.tables, kind, form,
                                {ref.id for _, ref in pairs}, pairs[0][1].params)
        code, message = MESSAGES.get(kind, ("unknown_reference", "No such item."))
        for row, ref in pairs:
            if ref.id not in found:
                row.fail("data." + ref.path, code, message)


async def _check_unique(ctx: FormContext, rows: list[Row]) -> None:
    """Values already held by another live record, or twice in this call."""
    table = ctx.table
    for spec in ctx.ft.spec.columns:
        if not (spec.unique or spec.unique_ci):
            continue
        col = table.c[spec.name]

        def norm(value: Any, ci: bool = spec.unique_ci) -> Any:
            return value.lower() if ci and isinstance(value, str) else value

        wanted = [(row, row.result.values[spec.name]) for row in _ok(rows)
                  if row.result is not None and row.result.values.get(spec.name) is not None]
        if not wanted:
            continue
        keys = sorted({norm(v) for _, v in wanted}, key=str)
        probe = func.lower(col) if spec.unique_ci else col
        held = {}
        for start in range(0, len(keys), 5000):
            found = await ctx.conn.execute(select(
                probe.label("k"), table.c._id,
                ctx.access.row_condition(table, "view", ctx.visible_columns()).label("visible"),
            ).where(table.c.tenant_id == ctx.principal.tenant_id,
                    table.c._deleted_at.is_(None), probe.in_(keys[start:start + 5000])))
            held.update({k: (rid, visible) for k, rid, visible in found})
        first: dict[Any, Row] = {}
        for row, value in wanted:
            key = norm(value)
            owner = held.get(key)
            if owner is not None and owner[0] != row.record_id:
                row.fail("data." + spec.name, "duplicate", "Already used by another record.",
                         {"existing_record": str(owner[0]) if owner[1] else None})
            elif key in first:
                row.fail("data." + spec.name, "duplicate",
                         f"Also given in {first[key].prefix} of this request.")
            else:
                first[key] = row


async def _take_serials(ctx: FormContext, rows: list[Row]) -> None:
    wanted: dict[str, list[tuple[Row, Any]]] = defaultdict(list)
    for row in _ok(rows):
        assert row.result is not None
        for request in row.result.serials:
            wanted[f"{ctx.app.key}.{request.counter_key}"].append((row, request))
    for counter, pairs in wanted.items():
        last = (await ctx.conn.execute(text(
            "insert into serial_counters (tenant_id, counter_key, value) values (:t, :k, :n) "
            "on conflict (tenant_id, counter_key) do update set value = "
            "serial_counters.value + :n returning value"),
            {"t": ctx.principal.tenant_id, "k": counter, "n": len(pairs)})).scalar_one()
        for n, (row, request) in enumerate(pairs, start=last - len(pairs) + 1):
            assert row.result is not None
            row.result.values[request.field] = request.render(n)


def _child_rows(ctx: FormContext, key: str, rows: list[dict[str, Any]]) -> list[dict]:
    columns = [c.name for c in ctx.ft.children[key].c
               if c.name not in ("_id", "tenant_id", "_parent_id", "_row_order")]
    return [{**{c: r.get(c) for c in columns}, "_id": r.get("_id") or uuid7()} for r in rows]


async def _write_chunk(ctx: FormContext, section: str, chunk: list[Row]) -> None:
    table = ctx.table
    if section == "create":
        await ctx.conn.execute(insert(table), [r.write for r in chunk])
    else:
        user_columns = [c.name for c in service.user_columns(ctx)]
        stmt = update(table).where(table.c._id == bindparam("b_id")).values(
            {c: bindparam("v_" + c) for c in
             [*user_columns, "_version", "_updated_at", "_updated_by"]})
        await ctx.conn.execute(stmt, [{"b_id": r.record_id, **{
            "v_" + k: v for k, v in r.write.items()}} for r in chunk])
        for key, child in ctx.ft.children.items():
            replaced = [r.record_id for r in chunk if key in r.children]
            if replaced:
                await ctx.conn.execute(delete(child).where(child.c._parent_id.in_(replaced)))
    for key, child in ctx.ft.children.items():
        child_rows = [{**c, "tenant_id": ctx.principal.tenant_id, "_parent_id": r.record_id,
                       "_row_order": i}
                      for r in chunk for i, c in enumerate(r.children.get(key, []))]
        if child_rows:
            await ctx.conn.execute(insert(child), child_rows)
    await ctx.conn.execute(insert(t.record_history), [r.history for r in chunk])


async def _write(ctx: FormContext, section: str, rows: list[Row]) -> None:
    """Chunks under savepoints; a refused chunk is retried row by row to find the culprit."""
    ready = _ok(rows)
    for start in range(0, len(ready), CHUNK):
        chunk = ready[start:start + CHUNK]
        try:
            async with ctx.conn.begin_nested():
                await _write_chunk(ctx, section, chunk)
            continue
        except IntegrityError:
            pass
        for row in chunk:
            try:
                async with ctx.conn.begin_nested():
                    await _write_chunk(ctx, section, [row])
            except IntegrityError as exc:
                violation = service.unique_violation(ctx, exc, row.write)
                if violation is not None:
                    row.fail("data." + violation.field, "duplicate",
                             "Already used by another record.")
                else:
                    row.fail("data", "conflict", "The database refused this row.")


def _finish(ctx: FormContext, row: Row, write: dict[str, Any], stored: dict[str, Any],
            action: str, before: dict[str, Any] | None) -> None:
    """The row's column values, child rows and history entry, ready for _write_chunk."""
    assert row.result is not None and row.record_id is not None
    row.children = {key: _child_rows(ctx, key, rows) for key, rows in
                    row.result.children.items()}
    row.write = write
    record = serialise(ctx, {**stored, **write, "_id": row.record_id,
                             **row.children_before, **row.children})
    row.history = service.history_values(ctx, row.record_id, write["_version"], action,
                                          before, record)


async def create_many(ctx: FormContext, items: list[dict[str, Any]]) -> list[Row]:
    ctx.access.require("create")
    rows = [Row("create", i) for i in range(len(items))]
    for row, item in zip(rows, items, strict=True):
        _validate(ctx, row, item, None)
    await _check_references(ctx, rows)
    await _check_unique(ctx, rows)
    await _take_serials(ctx, rows)
    now, user = datetime.now(UTC), ctx.principal.user_id
    empty = {c.name: None for c in service.user_columns(ctx)}
    for row in _ok(rows):
        assert row.result is not None
        row.record_id, row.version = uuid7(), 1
        system = {"_id": row.record_id, "tenant_id": ctx.principal.tenant_id, "_owner": user,
                  "_department": ctx.principal.department_id, "_created_by": user,
                  "_created_at": now, "_updated_by": user, "_updated_at": now, "_version": 1,
                  "_flow_status": None}
        _finish(ctx, row, {**empty, **row.result.values, **system}, {}, "create", None)
    await _write(ctx, "create", rows)
    return rows


def _parse_id(row: Row, value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        row.fail("_id" if row.section == "update" else "", "invalid_id", "Expected a UUID.")
        return None


async def _missing(ctx: FormContext, rows: list[Row], action: str) -> None:
    """Rows not found for `action`: 403-like when the caller sees them, else not found."""
    ids = [r.record_id for r in rows]
    visible = set((await ctx.conn.execute(select(ctx.table.c._id).where(
        ctx.rows("view"), ctx.table.c._id.in_(ids)))).scalars()) if ids else set()
    for row in rows:
        path = "_id" if row.section == "update" else ""
        if row.record_id in visible:
            row.fail(path, "permission_denied", f"You may not {action} this record.")
        else:
            row.fail(path, "record_not_found", "No such record.")


def _dedupe(rows: list[Row]) -> None:
    seen: dict[uuid.UUID, Row] = {}
    for row in _ok(rows):
        assert row.record_id is not None
        if row.record_id in seen:
            row.fail("_id" if row.section == "update" else "", "duplicate_id",
                     f"Also given in {seen[row.record_id].prefix} of this request.")
        else:
            seen[row.record_id] = row


async def update_many(ctx: FormContext, items: list[Any]) -> list[Row]:
    ctx.access.require("edit")
    rows = [Row("update", i) for i in range(len(items))]
    for row, item in zip(rows, items, strict=True):
        row.record_id = _parse_id(row, item.id)
        if item.version is None:
            row.fail("_version", "required", "Required.")
    _dedupe(rows)
    ids = [r.record_id for r in _ok(rows)]
    stored = {}
    for start in range(0, len(ids), 5000):
        stored.update({r["_id"]: r for r in (await ctx.conn.execute(
            select(ctx.table).where(ctx.rows("edit"), ctx.table.c._id.in_(ids[start:start + 5000]))
            .with_for_update())).mappings()})
    await _missing(ctx, [r for r in _ok(rows) if r.record_id not in stored], "edit")
    children = await service.load_children(ctx, [r.record_id for r in _ok(rows)]) \
        if ctx.ft.children else {}
    for row, item in zip(rows, items, strict=True):
        if row.errors:
            continue
        row.stored = stored[row.record_id]
        if row.stored["_version"] != item.version:
            row.fail("_version", "version_conflict",
                     f"Someone saved this record after you read it (now version "
                     f"{row.stored['_version']}).", {"current_version": row.stored["_version"]})
            continue
        row.children_before = children.get(row.record_id, {})
        _validate(ctx, row, item.data,
                  {**service.columns_view(row.stored), **row.children_before})
    await _check_references(ctx, rows)
    await _check_unique(ctx, rows)
    await service.write_first_versions(ctx, [r.stored for r in _ok(rows)],
                                       {r.record_id: r.children_before for r in _ok(rows)})
    now = datetime.now(UTC)
    for row in _ok(rows):
        assert row.result is not None
        row.version = row.stored["_version"] + 1
        values = {c.name: row.stored[c.name] for c in service.user_columns(ctx)}
        values.update(row.result.values)
        system = {"_version": row.version, "_updated_at": now,
                  "_updated_by": ctx.principal.user_id}
        before = serialise(ctx, row.stored, row.children_before)
        _finish(ctx, row, {**values, **system}, dict(row.stored), "update", before)
    await _write(ctx, "update", rows)
    return rows


async def delete_many(ctx: FormContext, ids: list[Any]) -> list[Row]:
    ctx.access.require("delete")
    rows = [Row("delete", i) for i in range(len(ids))]
    for row, value in zip(rows, ids, strict=True):
        row.record_id = _parse_id(row, value)
    _dedupe(rows)
    wanted = [r.record_id for r in _ok(rows)]
    deleted = {}
    for start in range(0, len(wanted), 5000):
        deleted.update({r["_id"]: r for r in (await ctx.conn.execute(
            update(ctx.table).where(ctx.rows("delete"),
                                    ctx.table.c._id.in_(wanted[start:start + 5000]))
            .values(_deleted_at=func.now(), _version=ctx.table.c._version + 1,
                    _updated_by=ctx.principal.user_id)
            .returning(*ctx.table.c))).mappings()})
    await _missing(ctx, [r for r in _ok(rows) if r.record_id not in deleted], "delete")
    await service.write_first_versions(ctx, [  # as they were: the deletes bumped `_version`
        {**deleted[r.record_id], "_version": deleted[r.record_id]["_version"] - 1}
        for r in _ok(rows)])
    history = []
    for row in _ok(rows):
        stored = deleted[row.record_id]
        row.version = stored["_version"]
        before = serialise(ctx, {**stored, "_version": stored["_version"] - 1})
        history.append(service.history_values(ctx, row.record_id, row.version, "delete",
                                               before, None))
    if history:
        await ctx.conn.execute(insert(t.record_history), history)
    return rows


async def run(ctx: FormContext, *, mode: str, create: list[Any], update: list[Any],
              delete: list[Any], locale: str = "en") -> dict[str, Any]:
    """`locale`: the language of the per-row messages (errors.problem_response chooses it
    alike for a problem)."""
    total = len(create) + len(update) + len(delete)
    if total > MAX_ROWS:
        raise ValidationFailed(f"At most {MAX_ROWS} rows per call (got {total}).",
                               code="too_many_rows", params={"max": MAX_ROWS, "total": total})
    deleted = await delete_many(ctx, delete) if delete else []
    updated = await update_many(ctx, update) if update else []
    created = await create_many(ctx, [item.data for item in create]) if create else []
    failed = [r for r in (*deleted, *updated, *created) if r.errors]
    if failed and mode == "atomic":
        problems = [e for r in failed for e in r.errors]
        raise BulkRejected(f"{len(failed)} of {total} rows are not valid; nothing was written.",
                           errors=problems, extra={"failed": len(failed)},
                           params={"total": total})
    return {"mode": mode, "ok": not failed,
            "counts": {"created": len(_ok(created)), "updated": len(_ok(updated)),
                       "deleted": len(_ok(deleted)), "failed": len(failed)},
            "create": [r.outcome(locale) for r in created],
            "update": [r.outcome(locale) for r in updated],
            "delete": [r.outcome(locale) for r in deleted]}

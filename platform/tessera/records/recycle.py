"""The recycle bin and restoring old versions.

A DELETE only stamps `_deleted_at` (records/service.py); here the bin is listed, a record is
put back (its unique values must still be free: live rows own them through the partial unique
indexes), purged for good (child rows go with it by ON DELETE CASCADE; the history keeps a
`purge` entry), and a record can be set back to the stored fields of an earlier version — as a
new version, through the form engine's validation and with `_version` optimistic locking.

Who may: the bin and its actions need the `delete` permission on the record (its scope), like
Jiandaoyun's and Mingdao's recycle bins; restoring a version needs `edit`.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from engines.form import field_types
from tessera.api.errors import FieldProblem, NotFound, ValidationFailed
from tessera.db import tables as t
from tessera.records import query as q
from tessera.records import service
from tessera.records.service import FormContext, UniqueViolation, present, serialise


def _binned(ctx: FormContext, action: str = "delete") -> Any:
    """Rows of the caller's tenant in the recycle bin that `action` may touch."""
    table = ctx.table
    return and_(table.c.tenant_id == ctx.principal.tenant_id, table.c._deleted_at.is_not(None),
                ctx.access.row_condition(table, action, ctx.visible_columns()))


def _not_found(ctx: FormContext, record_id: uuid.UUID) -> NotFound:
    return NotFound(f"No {ctx.form['key']} record {record_id} in the recycle bin.",
                    code="record_not_found")


async def list_trash(ctx: FormContext, *, limit: int | None, cursor: str | None
                     ) -> dict[str, Any]:
    ctx.access.require("delete")
    keys = q.parse_sort("-_deleted_at", ctx.table, {"_deleted_at"})
    size = q.clamp_limit(limit)
    query = select(ctx.table).where(_binned(ctx))
    if cursor:
        query = query.where(q.keyset_condition(keys, q.decode_cursor(cursor, keys)))
    rows = (await ctx.conn.execute(query.order_by(*q.order_by(keys)).limit(size + 1))
            ).mappings().all()
    page = rows[:size]
    children = await service.load_children(ctx, [r["_id"] for r in page]) \
        if ctx.ft.children else {}
    items = [{**present(ctx, serialise(ctx, r, children.get(r["_id"]))),
              "_deleted_at": r["_deleted_at"].isoformat()} for r in page]
    return {"items": items,
            "next_cursor": q.encode_cursor(keys, page[-1]) if len(rows) > size else None}


async def _binned_row(ctx: FormContext, record_id: uuid.UUID) -> Any:
    ctx.access.require("delete")
    row = (await ctx.conn.execute(select(ctx.table).where(
        _binned(ctx), ctx.table.c._id == record_id).with_for_update())).mappings().first()
    if row is None:
        raise _not_found(ctx, record_id)
    return row


async def _taken_unique(ctx: FormContext, row: Any) -> UniqueViolation | None:
    """The first unique value of `row` a live record now holds (whoever may see it)."""
    table = ctx.table
    for spec in ctx.ft.spec.columns:
        value = row.get(spec.name)
        if not (spec.unique or spec.unique_ci) or value is None:
            continue
        col = table.c[spec.name]
        same = func.lower(col) == func.lower(value) if spec.unique_ci else col == value
        taken = (await ctx.conn.execute(select(table.c._id).where(
            table.c.tenant_id == ctx.principal.tenant_id, table.c._deleted_at.is_(None),
            same).limit(1))).first()
        if taken is not None:
            return UniqueViolation(spec.name, value)
    return None


async def restore(ctx: FormContext, record_id: uuid.UUID) -> dict[str, Any]:
    """Take a record out of the bin: 409 `duplicate_value` naming the field when one of its
    unique values has been taken by a live record meanwhile."""
    row = await _binned_row(ctx, record_id)
    violation = await _taken_unique(ctx, row)
    if violation is not None:
        existing = await service.find_by_value(ctx, violation.field, violation.value)
        raise service.unique_conflict(ctx, violation, existing)
    version = row["_version"] + 1
    try:
        async with ctx.conn.begin_nested():
            stored = (await ctx.conn.execute(
                update(ctx.table).where(ctx.table.c._id == record_id)
                .values(_deleted_at=None, _version=version, _updated_at=datetime.now(UTC),
                        _updated_by=ctx.principal.user_id)
                .returning(*ctx.table.c))).mappings().one()
    except IntegrityError as exc:  # taken between the check and the write
        violation = service.unique_violation(ctx, exc, dict(row))
        if violation is None:
            raise
        existing = await service.find_by_value(ctx, violation.field, violation.value)
        raise service.unique_conflict(ctx, violation, existing) from None
    children = (await service.load_children(ctx, [record_id]))[record_id]
    record = serialise(ctx, stored, children)
    await service.write_history(ctx, record_id, version, "restore", None, record)
    return await service.get_record(ctx, record_id) if ctx.read_through_keys \
        else present(ctx, record)


async def purge(ctx: FormContext, record_id: uuid.UUID) -> None:
    """Delete a binned record for good; child rows cascade, the history keeps a `purge` entry
    (and the earlier entries, so the audit trail survives)."""
    row = await _binned_row(ctx, record_id)
    await ctx.conn.execute(delete(ctx.table).where(ctx.table.c._id == record_id))
    await ctx.conn.execute(insert(t.record_history).values(
        tenant_id=ctx.principal.tenant_id, app_key=ctx.app.key, form_key=ctx.form["key"],
        record_id=record_id, version=row["_version"] + 1, action="purge", changes={},
        snapshot=None, actor_id=ctx.principal.user_id))


def _restorable_fields(ctx: FormContext) -> list[str]:
    """Fields a version restore writes: stored input fields the caller may see and change."""
    keys = []
    for f in ctx.form.get("fields", []):
        ft = field_types.get(f["type"])
        if ft.read_only or not ft.stored:
            continue
        if f["key"] in ctx.access.hidden or f["key"] in ctx.access.readonly:
            continue
        keys.append(f["key"])
    return keys


async def restore_version(ctx: FormContext, record_id: uuid.UUID, version: int,
                          expected_version: int | None) -> dict[str, Any]:
    """Write the stored fields of `version`'s snapshot back as a new version. Hidden and
    read-only fields of the caller keep their current values; computed fields are recomputed."""
    ctx.access.require("edit")
    if expected_version is None:
        raise ValidationFailed("Restoring a version must carry the `_version` you saw.",
                               code="version_required",
                               errors=[FieldProblem("_version", "required", "Required.")])
    h = t.record_history
    snapshot = (await ctx.conn.execute(select(h.c.snapshot).where(
        h.c.tenant_id == ctx.principal.tenant_id, h.c.app_key == ctx.app.key,
        h.c.form_key == ctx.form["key"], h.c.record_id == record_id, h.c.version == version)
        .order_by(h.c.id.desc()).limit(1))).first()
    if snapshot is None and version == 1:  # an unchanged imported record: it is version 1
        row = await service.stored_row(ctx, record_id)
        if row["_version"] == 1:
            children = (await service.load_children(ctx, [record_id]))[record_id]
            snapshot = (serialise(ctx, row, children),)
    if snapshot is None or snapshot[0] is None:
        # the record must be visible before saying anything about its versions
        await service.stored_row(ctx, record_id)
        raise NotFound(f"Record {record_id} has no stored version {version}.",
                       code="version_not_found", params={"version": version})
    data = {k: snapshot[0].get(k) for k in _restorable_fields(ctx) if k in snapshot[0]}
    record = await service.update_record(ctx, record_id, data, expected_version)
    new_version = record["_version"]
    await ctx.conn.execute(update(h).where(
        h.c.tenant_id == ctx.principal.tenant_id, h.c.app_key == ctx.app.key,
        h.c.form_key == ctx.form["key"], h.c.record_id == record_id,
        h.c.version == new_version).values(action="revert"))
    return {**record, "_restored_from": version}

"""Reading the audit log (admins only): filter, page, export as CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import case, cast, func, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t

MAX_EXPORT_ROWS = 100_000


#: The tables whose rows an audit entry may name, by its `target_type`, with the column that
#: holds the row's name and whether `target_id` was written from the row's id (a UUID) or its
#: key. Roles (`<app>.<role>`), records and public links keep their ids: their names live in an
#: app's definition or a record, not in one column.
_NAMED_TARGETS = {
    "user": (t.users, "name", "id"),
    "department": (t.departments, "name", "id"),
    "app": (t.apps, "name", "key"),
    "file": (t.files, "name", "id"),
    "view": (t.saved_views, "name", "id"),
}
_UUID_TEXT = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _target_name(tenant_id: uuid.UUID) -> Any:
    """Each entry's target's name now: text, or an app's names by language (JSON); null for a
    target without one or deleted since. One lookup by primary key (or app key) per entry
    shown, done only for the page's rows; a `target_id` that is no UUID is never cast."""
    a = t.audit_log
    as_uuid = case((a.c.target_id.op("~*")(_UUID_TEXT), cast(a.c.target_id, UUID)))
    names = []
    for target_type, (table, name, key) in _NAMED_TARGETS.items():
        row = table.alias(f"target_{target_type}")  # not the actor's `users` of the outer query
        names.append(select(func.to_jsonb(row.c[name]))
                     .where(a.c.target_type == target_type, row.c.tenant_id == tenant_id,
                            row.c[key] == (as_uuid if key == "id" else a.c.target_id))
                     .scalar_subquery())
    return func.coalesce(*names).label("target_name")


def _query(tenant_id: uuid.UUID, *, action: str | None, actor: str | None,
           since: datetime | None, until: datetime | None) -> Any:
    a = t.audit_log
    query = (select(a.c.id, a.c.at, a.c.action, a.c.target_type, a.c.target_id,
                    _target_name(tenant_id), a.c.details, a.c.ip, a.c.request_id,
                    t.users.c.email.label("actor"))
             .outerjoin(t.users, t.users.c.id == a.c.actor_id)
             .where(a.c.tenant_id == tenant_id))
    if action:
        query = query.where(a.c.action.startswith(action, autoescape=True))
    if actor:
        query = query.where(t.users.c.email == actor)
    if since:
        query = query.where(a.c.at >= since)
    if until:
        query = query.where(a.c.at < until)
    return query


def _row(r: Any) -> dict[str, Any]:
    return {"id": r.id, "at": r.at.isoformat(), "action": r.action, "actor": r.actor,
            "target_type": r.target_type, "target_id": r.target_id,
            "target_name": r.target_name, "details": r.details,
            "ip": r.ip, "request_id": r.request_id}


async def list_audit(conn: AsyncConnection, tenant_id: uuid.UUID, *, limit: int,
                     before_id: int | None, **filters: Any) -> dict[str, Any]:
    query = _query(tenant_id, **filters)
    if before_id:
        query = query.where(t.audit_log.c.id < before_id)
    rows = (await conn.execute(query.order_by(t.audit_log.c.id.desc()).limit(limit + 1))).all()
    items = [_row(r) for r in rows[:limit]]
    return {"items": items, "next_cursor": str(rows[limit - 1].id) if len(rows) > limit else None}


async def export_audit_csv(conn: AsyncConnection, tenant_id: uuid.UUID, **filters: Any) -> str:
    rows = (await conn.execute(_query(tenant_id, **filters)
                               .order_by(t.audit_log.c.id).limit(MAX_EXPORT_ROWS))).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at", "action", "actor", "target_type", "target_id", "ip", "request_id",
                     "details"])
    for r in rows:
        writer.writerow([r.at.isoformat(), r.action, r.actor or "", r.target_type or "",
                         r.target_id or "", r.ip or "", r.request_id or "", r.details])
    return "\ufeff" + out.getvalue()  # BOM: Excel opens UTF-8 Chinese correctly

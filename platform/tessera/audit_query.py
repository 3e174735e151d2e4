"""Reading the audit log (admins only): filter, page, export as CSV."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t

MAX_EXPORT_ROWS = 100_000


def _query(tenant_id: uuid.UUID, *, action: str | None, actor: str | None,
           since: datetime | None, until: datetime | None) -> Any:
    a = t.audit_log
    query = (select(a.c.id, a.c.at, a.c.action, a.c.target_type, a.c.target_id, a.c.details,
                    a.c.ip, a.c.request_id, t.users.c.email.label("actor"))
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
            "target_type": r.target_type, "target_id": r.target_id, "details": r.details,
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

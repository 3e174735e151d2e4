"""The audit log: append-only facts about who did what (logins, definition and org changes,
imports, exports). Record changes are linked through record_history instead of copied here."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t


async def audit(conn: AsyncConnection, *, tenant_id: uuid.UUID | None, actor_id: uuid.UUID | None,
                action: str, target_type: str | None = None, target_id: str | None = None,
                details: dict[str, Any] | None = None, ip: str | None = None,
                request_id: str | None = None) -> None:
    await conn.execute(insert(t.audit_log).values(
        tenant_id=tenant_id, actor_id=actor_id, action=action, target_type=target_type,
        target_id=target_id, details=details or {}, ip=ip, request_id=request_id))

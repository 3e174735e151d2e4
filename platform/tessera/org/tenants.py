"""Tenants and their Postgres schemas of form tables (`t_<tenant>`)."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.db import tables as t
from tessera.db.ids import uuid7

TENANT_KEY = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def schema_name(tenant_key: str) -> str:
    if not TENANT_KEY.match(tenant_key):
        raise ValueError(f"invalid tenant key {tenant_key!r}")
    return f"t_{tenant_key}"


async def get_tenant_id(conn: AsyncConnection, key: str) -> uuid.UUID | None:
    return (await conn.execute(select(t.tenants.c.id).where(t.tenants.c.key == key))).scalar()


async def ensure_tenant(conn: AsyncConnection, key: str, name: str | None = None) -> uuid.UUID:
    """Create the tenant row and its schema if missing; return its id."""
    existing = await get_tenant_id(conn, key)
    if existing is not None:
        return existing
    tenant_id = uuid7()
    await conn.execute(insert(t.tenants).values(id=tenant_id, key=key, name=name or key))
    # The identifier is validated above; DDL cannot take bind parameters.
    await conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_name(key)}"'))
    return tenant_id

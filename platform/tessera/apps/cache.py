"""Per-process cache of published app versions and their runtime tables.

A published version is immutable, so (tenant, app, version) -> tables never goes stale; each
request asks the database only which version is current (one indexed lookup), which keeps every
API process right after another process publishes.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import Conflict, NotFound
from tessera.apps.service import PublishedApp, published
from tessera.db import tables as t
from tessera.org.tenants import schema_name
from tessera.storage.tables import AppTables, build_app_tables


class AppCache:
    def __init__(self, max_items: int = 512) -> None:
        self._items: dict[tuple[uuid.UUID, str, int], tuple[PublishedApp, AppTables]] = {}
        self._max = max_items

    async def get(self, conn: AsyncConnection, tenant_id: uuid.UUID, tenant_key: str,
                  app_key: str) -> tuple[PublishedApp, AppTables]:
        version = (await conn.execute(select(t.apps.c.published_version).where(
            t.apps.c.tenant_id == tenant_id, t.apps.c.key == app_key))).first()
        if version is None:
            raise NotFound(f"There is no app {app_key!r}.", code="unknown_app")
        if version[0] is None:
            raise Conflict(f"The app {app_key!r} has not been published yet.",
                           code="app_not_published")
        key = (tenant_id, app_key, version[0])
        hit = self._items.get(key)
        if hit is None:
            app = await published(conn, tenant_id, app_key)
            hit = (app, build_app_tables(schema_name(tenant_key), app.definition))
            if len(self._items) >= self._max:
                self._items.clear()
            self._items[(tenant_id, app_key, app.version)] = hit
        return hit

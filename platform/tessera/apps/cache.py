"""Per-process cache of published app versions and their runtime tables.

A published version is immutable, so (tenant, app, version) -> tables never goes stale. Which
version is current does change: publishing announces it (tessera.db.notify), and while this
process listens it trusts the versions it was told or read; while it does not, every request
asks the database (one indexed lookup), as a process without a listener always does.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from tessera.api.errors import Conflict, NotFound
from tessera.apps.expressions import AppTrees
from tessera.apps.service import APP_PUBLISHED, PublishedApp, published
from tessera.db import tables as t
from tessera.db.notify import Listener
from tessera.org.tenants import schema_name
from tessera.storage.tables import AppTables, build_app_tables


class AppCache:
    def __init__(self, max_items: int = 512) -> None:
        self._items: dict[tuple[uuid.UUID, str, int], tuple[PublishedApp, AppTables]] = {}
        self._trees: dict[tuple[uuid.UUID, int], AppTrees] = {}  # (app id, version)
        self._max = max_items
        self._current: dict[tuple[uuid.UUID, str], int] = {}
        # bumped whenever trust is withdrawn, so a lookup that began before cannot store
        # a version read before a message it may have missed
        self._generation = 0
        self.listener: Listener | None = None

    def listen(self, listener: Listener) -> None:
        """Trust announced versions while `listener` is connected."""
        self.listener = listener
        listener.subscribe(APP_PUBLISHED, self)

    # Subscriber of tessera.db.notify
    def on_message(self, message: dict[str, Any]) -> None:
        key = (uuid.UUID(message["tenant"]), message["app"])
        self._current[key] = max(self._current.get(key, 0), int(message["version"]))

    def reset(self) -> None:
        self._current.clear()
        self._generation += 1

    def forget(self, tenant_id: uuid.UUID, app_key: str) -> None:
        """After this process published: ask the database next time, whatever the listener
        has or has not delivered yet."""
        self._current.pop((tenant_id, app_key), None)
        self._generation += 1

    def _trusted(self) -> bool:
        return self.listener is not None and self.listener.healthy

    async def current_version(self, conn: AsyncConnection, tenant_id: uuid.UUID,
                              app_key: str) -> int:
        if self._trusted() and (known := self._current.get((tenant_id, app_key))):
            return known
        generation = self._generation
        version = (await conn.execute(select(t.apps.c.published_version).where(
            t.apps.c.tenant_id == tenant_id, t.apps.c.key == app_key))).first()
        if version is None:
            raise NotFound(f"There is no app {app_key!r}.", code="unknown_app",
                           params={"app": app_key})
        if version[0] is None:
            raise Conflict(f"The app {app_key!r} has not been published yet.",
                           code="app_not_published", params={"app": app_key})
        if self._trusted() and generation == self._generation:
            self.on_message({"tenant": str(tenant_id), "app": app_key, "version": version[0]})
        return version[0]

    async def get(self, conn: AsyncConnection, tenant_id: uuid.UUID, tenant_key: str,
                  app_key: str) -> tuple[PublishedApp, AppTables]:
        key = (tenant_id, app_key, await self.current_version(conn, tenant_id, app_key))
        hit = self._items.get(key)
        if hit is None:
            app = await published(conn, tenant_id, app_key)
            if app.version != key[2]:  # trusted a version this transaction cannot see yet
                key = (tenant_id, app_key, app.version)
                hit = self._items.get(key)
            if hit is None:
                hit = (app, build_app_tables(schema_name(tenant_key), app.definition))
                if len(self._items) >= self._max:
                    self._items.clear()
                self._items[key] = hit
        return hit

    def trees(self, app: PublishedApp) -> AppTrees:
        """The formula trees of a published version (`GET /apps/{app}` answers them), worked
        out on its first answer and kept: a version never changes. Keyed by the version the
        caller read, so an answer's trees always belong to its definition."""
        key = (app.app_id, app.version)
        hit = self._trees.get(key)
        if hit is None:
            if len(self._trees) >= self._max:
                self._trees.clear()
            hit = self._trees[key] = AppTrees.of(app.definition)
        return hit

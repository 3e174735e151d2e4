"""Cross-process cache invalidation over Postgres LISTEN/NOTIFY.

Every API process caches what rarely changes (published app versions, …). A change made in one
process is announced with `pg_notify` inside the writing transaction, so Postgres delivers it to
every listener only if, and when, that transaction commits. Each process keeps one dedicated
connection listening.

A cache may skip asking the database only while its process is listening: notifications sent
while the connection is down are lost, so on every (re)connect the subscribers forget what they
trusted, and between connections `healthy` is False and they ask the database each time, as they
would without this module.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, Protocol

import asyncpg
import orjson
import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = structlog.get_logger("tessera.notify")
CHANNEL = "tessera_invalidate"
RETRY_SECONDS = (0.5, 1, 2, 5)


class Subscriber(Protocol):
    def on_message(self, message: dict[str, Any]) -> None: ...

    def reset(self) -> None:
        """Forget everything trusted so far: messages may have been missed."""


async def announce(conn: AsyncConnection, kind: str, **details: Any) -> None:
    """Tell every process, once `conn`'s transaction commits (nothing if it rolls back)."""
    payload = orjson.dumps({"kind": kind, **details}, default=str).decode()
    await conn.execute(text("select pg_notify(:channel, :payload)"),
                       {"channel": CHANNEL, "payload": payload})


async def broadcast(engine: AsyncEngine, kind: str, **details: Any) -> None:
    """Tell every process now, for a change that has already committed."""
    async with engine.connect() as conn:
        await announce(conn, kind, **details)
        await conn.commit()


class Listener:
    """One LISTEN connection per process, reconnecting with back-off."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._subscribers: dict[str, list[Subscriber]] = {}
        self._task: asyncio.Task[None] | None = None
        self._connection: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self.healthy = False

    def subscribe(self, kind: str, subscriber: Subscriber) -> None:
        self._subscribers.setdefault(kind, []).append(subscriber)

    async def start(self) -> None:
        """Connect once now (so a healthy start is not a race), then keep the connection."""
        with contextlib.suppress(OSError, asyncpg.PostgresError):
            await self._connect()
        self._task = asyncio.create_task(self._keep(), name="tessera-notify-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._mark_lost()
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=2)

    async def _connect(self) -> None:
        args, kwargs = self._engine.dialect.create_connect_args(self._engine.url)
        connection = await asyncpg.connect(*args, **kwargs)
        self._lost.clear()
        connection.add_termination_listener(lambda _conn: self._mark_lost())
        await connection.add_listener(CHANNEL, self._deliver)
        self._connection = connection
        self._reset_all()  # anything trusted before this connection may have missed a message
        self.healthy = True
        log.info("listening", channel=CHANNEL)

    async def _keep(self) -> None:
        attempt = 0
        while True:
            if self.healthy:
                await self._lost.wait()
                log.warning("listener connection lost; caches ask the database meanwhile")
            try:
                await self._connect()
                attempt = 0
            except (OSError, asyncpg.PostgresError) as exc:
                delay = RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)]
                attempt += 1
                log.warning("listener connect failed", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)

    def _mark_lost(self) -> None:
        self.healthy = False
        self._reset_all()
        self._lost.set()

    def _reset_all(self) -> None:
        for subscribers in self._subscribers.values():
            for subscriber in subscribers:
                subscriber.reset()

    def _deliver(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            message = orjson.loads(payload)
        except orjson.JSONDecodeError:
            log.warning("unreadable notification", payload=payload[:200])
            return
        for subscriber in self._subscribers.get(message.get("kind"), ()):
            subscriber.on_message(message)



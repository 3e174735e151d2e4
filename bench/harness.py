"""What the in-process benchmarks share: a throwaway Tessera (embedded Postgres with test
settings, migrated, first admin, one app imported) and an authenticated ASGI client."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

ADMIN = "admin@example.com"
PASSWORD = "bench-password-1"


def deal_app(unique_title: bool = False) -> dict[str, Any]:
    """The app the API benchmarks write to: one `deal` form of 7 typed fields (text, money,
    select, date, checkbox, text area, number). The import benchmark makes the title unique, so
    its uniqueness check (against the file and the table) is part of what it measures."""
    title: dict[str, Any] = {"key": "title", "type": "text", "label": {"en": "Title"},
                             "required": True}
    if unique_title:
        title["unique"] = True
    fields = [
        title,
        {"key": "amount", "type": "money", "label": {"en": "Amount"}, "precision": 2},
        {"key": "stage", "type": "select", "label": {"en": "Stage"},
         "options": [{"value": "new"}, {"value": "won"}, {"value": "lost"}]},
        {"key": "close_date", "type": "date", "label": {"en": "Close date"}},
        {"key": "won", "type": "checkbox", "label": {"en": "Won"}},
        {"key": "note", "type": "textarea", "label": {"en": "Note"}},
        {"key": "qty", "type": "number", "label": {"en": "Qty"}},
    ]
    return {"format": "tessera.app/1", "key": "bench", "name": {"en": "Bench"},
            "forms": [{"key": "deal", "name": {"en": "Deal"}, "fields": fields}]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextlib.asynccontextmanager
async def client(settings: Any, email: str = ADMIN) -> AsyncIterator[httpx.AsyncClient]:
    """The app in-process (ASGI, lifespan run) and a client logged in as `email`."""
    from tessera.app import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:
        response = await c.post("/api/v1/auth/login", json={"email": email,
                                                            "password": PASSWORD})
        c.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
        yield c


@contextlib.contextmanager
def platform(app_definition: dict[str, Any]) -> Iterator[tuple[Any, Any]]:
    """(settings, cluster) of a fresh Tessera with `app_definition` imported and published."""
    from tessera.bootstrap import bootstrap
    from tessera.config import Settings
    from tessera.db import migrate
    from tessera.db.embedded import throwaway_cluster
    from tessera.db.engine import create_engine

    pg = throwaway_cluster().start()
    try:
        with psycopg.connect(pg.dsn(), autocommit=True) as conn:
            conn.execute('create database "tessera"')
        settings = Settings(database_url=pg.sqlalchemy_url("tessera"), admin_email=ADMIN,
                            admin_password=PASSWORD, in_process_worker=False,
                            install_default_app=False)
        migrate.upgrade(settings)

        async def setup() -> None:
            engine = create_engine(settings, pool_size=2)
            await bootstrap(engine, settings)
            await engine.dispose()
            async with client(settings) as c:
                response = await c.post("/api/v1/apps", json=app_definition)
                assert response.status_code == 201, response.text

        asyncio.run(setup())
        yield settings, pg
    finally:
        pg.stop()
        shutil.rmtree(pg.data_dir, ignore_errors=True)

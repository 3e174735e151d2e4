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

"""Integration fixtures: a migrated database, the app served in-process over ASGI, logged-in
clients. Real Postgres throughout (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from tessera.app import create_app
from tessera.config import Settings
from tessera.db import migrate

ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def settings(fresh_db) -> Settings:
    base = Settings(database_url=fresh_db.async_url, admin_email=ADMIN_EMAIL,
                    admin_password=ADMIN_PASSWORD, in_process_worker=False,
                    install_default_app=False)
    migrate.upgrade(base)
    return base


@pytest.fixture(scope="module")
async def app(settings: Settings):
    from tessera.bootstrap import bootstrap
    from tessera.db.engine import create_engine

    engine = create_engine(settings, pool_size=2)
    await bootstrap(engine, settings)
    await engine.dispose()
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="module")
async def anon(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("10.1.2.3", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as client:
        yield client


async def login(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    response = await client.post("/api/v1/auth/login", json={"email": email,
                                                             "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


@pytest.fixture(scope="module")
async def admin(app, anon) -> AsyncIterator[httpx.AsyncClient]:
    """A client logged in as the first admin (bearer token)."""
    headers = await login(anon, ADMIN_EMAIL, ADMIN_PASSWORD)
    transport = httpx.ASGITransport(app=app, client=("10.9.9.9", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test",
                                 headers=headers) as client:
        yield client


def with_worker(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)

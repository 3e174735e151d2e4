"""Test helpers: a member with app roles (role_assignments written in SQL) and a client
logged in as them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import httpx
import psycopg
from sqlalchemy.engine import make_url

from tests.conftest import libpq_dsn
from tests.integration.conftest import login


def sql(settings, statement: str, params: tuple = ()) -> list[tuple]:  # type: ignore[no-untyped-def]
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else []


@contextlib.asynccontextmanager
async def member(app, admin, settings, email: str, roles: dict[str, list[str]] | None = None,
                 password: str = "member-password-1") -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    """A logged-in client for a (new or existing) member holding `roles` ({app: [role]})."""
    created = await admin.post("/api/v1/users", json={"email": email, "name": email.split("@")[0],
                                                      "password": password})
    assert created.status_code in (201, 409), created.text
    user_id, tenant_id = sql(settings, "select id, tenant_id from users where email = %s",
                             (email,))[0]
    for app_key, keys in (roles or {}).items():
        for role in keys:
            sql(settings, "insert into role_assignments (id, tenant_id, app_key, role_key, "
                "user_id) values (%s, %s, %s, %s, %s)",
                (uuid.uuid4(), tenant_id, app_key, role, user_id))
    transport = httpx.ASGITransport(app=app, client=(f"10.7.{len(email) % 250}.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as client:
        client.headers.update(await login(client, email, password))
        client.user_id = str(user_id)  # type: ignore[attr-defined]
        yield client

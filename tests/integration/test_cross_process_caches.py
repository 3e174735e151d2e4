"""Two API processes (two app instances: own engine, caches and listener) on one database: a
version published through one is used by the other at once, and a lost listener connection
makes the cache ask the database again until it is back; a member disabled, or a token logged
out, through one is refused by the other at once, though it had the caller cached."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from tessera.app import create_app

from .conftest import ADMIN_EMAIL, ADMIN_PASSWORD, login

APP = {"format": "tessera.app/1", "key": "notes", "name": {"en": "Notes"},
       "forms": [{"key": "note", "name": {"en": "Note"}, "fields": [
           {"key": "title", "type": "text", "label": {"en": "Title"}}]}]}
RECORDS = "/api/v1/apps/notes/forms/note/records"


@pytest.fixture(scope="module")
async def other(settings, app) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    """A second process's app and an admin client of it."""
    second = create_app(settings)
    async with second.router.lifespan_context(second):
        transport = httpx.ASGITransport(app=second, client=("10.7.7.7", 1234))
        async with httpx.AsyncClient(transport=transport,
                                     base_url="http://tessera.test") as client:
            client.headers.update(await login(client, ADMIN_EMAIL, ADMIN_PASSWORD))
            yield second, client


async def _eventually(condition, seconds: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_a_version_published_elsewhere_is_used_at_once(app, admin, other) -> None:
    _second, other_admin = other
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    assert (await admin.post(RECORDS, json={"data": {"title": "a"}})).status_code == 201
    cache = app.state.app_cache
    assert cache.listener.healthy
    version = cache._current[(cache_key := next(iter(cache._current)))]

    grown = {**APP, "forms": [{**APP["forms"][0], "fields": [
        *APP["forms"][0]["fields"], {"key": "body", "type": "textarea",
                                     "label": {"en": "Body"}}]}]}
    assert (await other_admin.put("/api/v1/apps/notes/draft", json=grown)).status_code == 200
    assert (await other_admin.post("/api/v1/apps/notes/publish")).status_code == 200

    await _eventually(lambda: cache._current.get(cache_key) == version + 1)
    created = await admin.post(RECORDS, json={"data": {"title": "b", "body": "new field"}})
    assert created.status_code == 201, created.text
    assert created.json()["body"] == "new field"


async def test_the_publishing_process_never_serves_the_old_version(app, admin) -> None:
    """No waiting for its own notification: the route forgets the version it replaced."""
    definition = (await admin.get("/api/v1/apps/notes/draft")).json()
    form = definition["forms"][0]
    form["fields"].append({"key": "tag", "type": "text", "label": {"en": "Tag"}})
    assert (await admin.put("/api/v1/apps/notes/draft", json=definition)).status_code == 200
    assert (await admin.post("/api/v1/apps/notes/publish")).status_code == 200
    created = await admin.post(RECORDS, json={"data": {"title": "c", "tag": "x"}})
    assert created.status_code == 201, created.text


async def test_a_lost_listener_asks_the_database_until_it_is_back(app, admin, other) -> None:
    cache = app.state.app_cache
    listener = cache.listener
    assert listener.healthy and cache._current
    async with app.state.engine.connect() as conn:
        killed = (await conn.execute(text(
            "select count(pg_terminate_backend(pid)) from pg_stat_activity "
            "where query like 'LISTEN%' and pid <> pg_backend_pid()"))).scalar()
        await conn.commit()
    assert killed >= 1
    await _eventually(lambda: not listener.healthy or not cache._current, seconds=5)

    # meanwhile another process publishes: nothing trusted can be stale
    _second, other_admin = other
    definition = (await other_admin.get("/api/v1/apps/notes/draft")).json()
    definition["forms"][0]["fields"].append({"key": "mood", "type": "text",
                                             "label": {"en": "Mood"}})
    assert (await other_admin.put("/api/v1/apps/notes/draft",
                                  json=definition)).status_code == 200
    assert (await other_admin.post("/api/v1/apps/notes/publish")).status_code == 200
    created = await admin.post(RECORDS, json={"data": {"title": "d", "mood": "calm"}})
    assert created.status_code == 201, created.text

    await _eventually(lambda: listener.healthy, seconds=10)
    again = await admin.post(RECORDS, json={"data": {"title": "e", "mood": "glad"}})
    assert again.status_code == 201, again.text


async def _client_of(app, token: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.8.8.8", 1)),
                             base_url="http://tessera.test",
                             headers={"Authorization": f"Bearer {token}"})


async def test_a_member_disabled_elsewhere_is_refused_at_once(app, admin, other) -> None:
    second, _other_admin = other
    created = await admin.post("/api/v1/users", json={
        "email": "leaver@example.com", "name": "Leaver", "password": "leaver-password-1"})
    assert created.status_code == 201, created.text
    token = (await login(admin, "leaver@example.com", "leaver-password-1"))["Authorization"]
    async with await _client_of(second, token.split()[1]) as leaver_on_second:
        assert (await leaver_on_second.get("/api/v1/me")).status_code == 200  # now cached there
        disabled = await admin.patch(f"/api/v1/users/{created.json()['id']}",
                                     json={"is_active": False})
        assert disabled.status_code == 200, disabled.text
        await _eventually(lambda: not second.state.principal_cache._items)
        assert (await leaver_on_second.get("/api/v1/me")).status_code == 401


async def test_a_token_logged_out_elsewhere_is_refused_at_once(app, anon, other) -> None:
    second, _other_admin = other
    token = (await login(anon, ADMIN_EMAIL, ADMIN_PASSWORD))["Authorization"].split()[1]
    async with await _client_of(second, token) as on_second, \
            await _client_of(app, token) as on_first:
        assert (await on_second.get("/api/v1/me")).status_code == 200
        assert (await on_first.post("/api/v1/auth/logout")).status_code == 204
        cache = second.state.principal_cache
        await _eventually(lambda: all(p.email != ADMIN_EMAIL or k != _hash(token)
                                      for k, (_, p) in cache._items.items()))
        assert (await on_second.get("/api/v1/me")).status_code == 401


def _hash(token: str) -> str:
    from tessera.auth.tokens import hash_token

    return hash_token(token)

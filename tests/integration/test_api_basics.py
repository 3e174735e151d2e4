"""Health, auth, errors as problem+json, body limits — through the HTTP API on real Postgres."""

from __future__ import annotations

import pytest

from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD

PROBLEM = "application/problem+json"


async def test_health_says_ok_once_the_database_answers(anon) -> None:
    response = await anon.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_login_returns_a_token_and_sets_browser_cookies(anon) -> None:
    response = await anon.post("/api/v1/auth/login",
                               json={"email": ADMIN_EMAIL.upper(), "password": ADMIN_PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["user"]["is_admin"] is True
    set_cookie = response.headers.get_list("set-cookie")
    session = next(c for c in set_cookie if c.startswith("tessera_session="))
    assert "httponly" in session.lower()
    assert any(c.startswith("tessera_csrf=") and "httponly" not in c.lower() for c in set_cookie)
    anon.cookies.clear()


async def test_wrong_password_is_a_401_problem(anon) -> None:
    response = await anon.post("/api/v1/auth/login",
                               json={"email": "nobody@example.com", "password": "x" * 10})
    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == "invalid_credentials"


async def test_missing_and_bad_tokens(anon) -> None:
    missing = await anon.get("/api/v1/me")
    assert missing.status_code == 401 and missing.json()["code"] == "not_authenticated"
    bad = await anon.get("/api/v1/me", headers={"Authorization": "Bearer tss_nope"})
    assert bad.status_code == 401 and bad.json()["code"] == "invalid_token"


async def test_expired_token_is_refused(admin, settings) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import libpq_dsn

    response = await admin.post("/api/v1/tokens", json={"name": "short-lived"})
    token = response.json()["token"]
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url)), autocommit=True) as conn:
        conn.execute("update auth_tokens set expires_at = now() - interval '1 minute' "
                     "where name = 'short-lived'")
    expired = await admin.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401 and expired.json()["code"] == "token_expired"


async def test_cookie_session_needs_csrf_for_writes(app, anon) -> None:
    import httpx

    transport = httpx.ASGITransport(app=app, client=("10.7.7.7", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as browser:
        response = await browser.post("/api/v1/auth/login",
                                      json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        assert response.status_code == 200
        assert (await browser.get("/api/v1/me")).status_code == 200  # reads need no CSRF
        forged = await browser.post("/api/v1/tokens", json={"name": "x"})
        assert forged.status_code == 403 and forged.json()["code"] == "csrf_failed"
        csrf = browser.cookies["tessera_csrf"]
        ok = await browser.post("/api/v1/tokens", json={"name": "x"},
                                headers={"X-CSRF-Token": csrf})
        assert ok.status_code == 201
        out = await browser.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf})
        assert out.status_code == 204
        assert (await browser.get("/api/v1/me")).status_code == 401


async def test_login_is_throttled_after_repeated_failures(app) -> None:
    import httpx

    transport = httpx.ASGITransport(app=app, client=("10.6.6.6", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://tessera.test") as client:
        for _ in range(5):
            r = await client.post("/api/v1/auth/login",
                                  json={"email": "victim@example.com", "password": "guess-1234"})
            assert r.status_code == 401
        blocked = await client.post("/api/v1/auth/login",
                                    json={"email": "victim@example.com",
                                          "password": "guess-1234"})
        assert blocked.status_code == 429
        assert blocked.json()["code"] == "too_many_attempts"
        assert "retry-after" in blocked.headers


@pytest.mark.parametrize("body,code", [
    (b"{not json", "malformed_json"),
    (b'{"email": 5}', "invalid_request"),
])
async def test_malformed_bodies_get_problems(anon, body: bytes, code: str) -> None:
    response = await anon.post("/api/v1/auth/login", content=body,
                               headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


async def test_oversize_body_is_refused_before_parsing(admin, settings) -> None:
    big = b'{"data": {"name": "' + b"x" * (settings.max_body_bytes + 10) + b'"}}'
    response = await admin.post("/api/v1/apps/crm/forms/customer/records", content=big,
                                headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_unknown_route_is_a_problem_not_html(admin) -> None:
    response = await admin.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith(PROBLEM)


async def test_requests_carry_a_request_id(anon) -> None:
    response = await anon.get("/api/v1/health", headers={"X-Request-ID": "abc123"})
    assert response.headers["x-request-id"] == "abc123"


async def test_api_token_scopes_narrow_what_a_token_may_do(admin) -> None:
    bad = await admin.post("/api/v1/tokens", json={"name": "x", "scopes": ["root"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "scopes[0]"
    read_only = (await admin.post("/api/v1/tokens", json={
        "name": "reporting", "scopes": ["read", "app:sales"]})).json()["token"]
    headers = {"Authorization": f"Bearer {read_only}"}
    assert (await admin.get("/api/v1/me", headers=headers)).status_code == 200
    write = await admin.post("/api/v1/tokens", json={"name": "y"}, headers=headers)
    assert write.status_code == 403 and write.json()["code"] == "token_scope"
    other_app = await admin.get("/api/v1/apps/other/forms/x/records", headers=headers)
    assert other_app.status_code == 403 and other_app.json()["code"] == "token_scope"
    not_admin = await admin.get("/api/v1/audit", headers=headers)
    assert not_admin.status_code == 403 and not_admin.json()["code"] == "token_scope"

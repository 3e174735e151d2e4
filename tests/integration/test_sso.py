"""Single sign-on through the HTTP API on real Postgres, against a real OpenID Connect provider
served over HTTP on 127.0.0.1 (tests/integration/oidc_provider.py)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.integration.conftest import ADMIN_EMAIL, ADMIN_PASSWORD
from tests.integration.members import sql
from tests.integration.oidc_provider import TestIdentityProvider, new_signing_key

BASE = "http://tessera.test"
SSO = "/api/v1/auth/sso"


@pytest.fixture(scope="module")
def idp():
    provider = TestIdentityProvider().start()
    yield provider
    provider.stop()


def sso_settings(idp: TestIdentityProvider, **changes) -> dict:
    oidc = {"issuer": idp.issuer, "client_id": idp.client_id,
            "client_secret": idp.client_secret, "display_name": "Test IdP",
            "claims": {"email": "email", "name": "name", "departments": "groups"},
            "auto_create_members": True,
            "department_map": {"Sales Team": "sales", "Support": "support"}}
    password_login = changes.pop("password_login", True)
    oidc.update(changes)
    return {"oidc": oidc, "password_login": password_login}


@pytest.fixture(scope="module")
async def configured(admin, idp) -> dict:
    for key in ("sales", "support", "hq"):
        response = await admin.post("/api/v1/departments", json={"key": key, "name": key})
        assert response.status_code == 201, response.text
    response = await admin.put(SSO, json=sso_settings(idp))
    assert response.status_code == 200, response.text
    return response.json()


@contextlib.asynccontextmanager
async def browser(app) -> AsyncIterator[httpx.AsyncClient]:
    """A fresh browser: its own cookie jar, talking to Tessera in-process."""
    transport = httpx.ASGITransport(app=app, client=("10.4.4.4", 4444))
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


async def to_provider(client: httpx.AsyncClient, next_path: str | None = "/apps/crm") -> str:
    """Start a login; follow the redirect to the provider over real HTTP; return the callback
    URL the provider sends the browser back to."""
    params = {"tenant": "main"} | ({"next": next_path} if next_path is not None else {})
    start = await client.get("/api/v1/auth/oidc/login", params=params)
    assert start.status_code == 302, start.text
    flow_cookie = start.headers["set-cookie"].lower()
    assert flow_cookie.startswith("tessera_oidc_") and "httponly" in flow_cookie
    assert "path=/api/v1/auth/oidc/callback" in flow_cookie and "samesite=lax" in flow_cookie
    async with httpx.AsyncClient(trust_env=False) as real_http:
        approved = await real_http.get(start.headers["location"])
    assert approved.status_code == 302, approved.text
    callback = approved.headers["location"]
    assert callback.startswith(f"{BASE}/api/v1/auth/oidc/callback?")
    return callback


async def sign_in(app, next_path: str | None = "/apps/crm") -> httpx.Response:
    async with browser(app) as client:
        callback = await to_provider(client, next_path)
        response = await client.get(callback)
        if response.status_code == 303:
            me = await client.get("/api/v1/me")  # the session cookie works by itself
            assert me.status_code == 200, me.text
            response.extensions["me"] = me.json()
        return response


def departments_of(settings, email: str) -> dict[str, bool]:
    return dict(sql(settings, "select d.key, m.is_main from memberships m "
                    "join departments d on d.id = m.department_id "
                    "join users u on u.id = m.user_id where lower(u.email) = lower(%s)",
                    (email,)))


def count(settings, statement: str, params: tuple = ()) -> int:
    return sql(settings, statement, params)[0][0]


# -- before anything is set up -----------------------------------------------------------------


async def test_without_settings_only_password_login_is_offered(anon) -> None:
    providers = await anon.get("/api/v1/auth/providers", params={"tenant": "main"})
    assert providers.status_code == 200
    assert providers.json() == {"tenant": "main", "password": True, "oidc": None}
    start = await anon.get("/api/v1/auth/oidc/login", params={"tenant": "main"})
    assert start.status_code == 404 and start.json()["code"] == "sso_not_configured"
    unknown = await anon.get("/api/v1/auth/providers", params={"tenant": "nope"})
    assert unknown.status_code == 404 and unknown.json()["code"] == "unknown_tenant"


# -- settings ------------------------------------------------------------------------------


async def test_settings_are_for_admins_and_the_secret_is_never_returned(
        admin, anon, app, settings, idp, configured) -> None:
    assert idp.client_secret not in str(configured)
    assert configured["oidc"]["client_secret_set"] is True
    assert "client_secret" not in configured["oidc"]
    assert configured["callback_url"] == f"{BASE}/api/v1/auth/oidc/callback"
    read = await admin.get(SSO)
    assert read.status_code == 200 and idp.client_secret not in read.text
    assert read.json()["oidc"]["issuer"] == idp.issuer
    # read, change, write back without the secret: the stored one is kept
    body = read.json()
    body["oidc"]["display_name"] = "Company login"
    del body["oidc"]["client_secret_set"], body["callback_url"]
    written = await admin.put(SSO, json=body)
    assert written.status_code == 200, written.text
    assert written.json()["oidc"]["client_secret_set"] is True
    stored = sql(settings, "select settings->'oidc'->>'client_secret' from tenants "
                 "where key = 'main'")[0][0]
    assert stored == idp.client_secret
    audit = sql(settings, "select details::text from audit_log "
                "where action = 'sso.settings_changed'")
    assert audit and all(idp.client_secret not in row[0] for row in audit)

    async with browser(app) as stranger:
        assert (await stranger.get(SSO)).status_code == 401
    member = await admin.post("/api/v1/users", json={"email": "plain@example.com",
                                                     "name": "Plain", "password": "plain-pass-1"})
    assert member.status_code == 201
    token = (await anon.post("/api/v1/auth/login", json={
        "email": "plain@example.com", "password": "plain-pass-1"})).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    for call in (anon.get(SSO, headers=headers),
                 anon.put(SSO, headers=headers, json=sso_settings(idp))):
        response = await call
        assert response.status_code == 403 and response.json()["code"] == "admin_required"

    providers = await anon.get("/api/v1/auth/providers", params={"tenant": "main"})
    assert providers.json() == {"tenant": "main", "password": True, "oidc": {
        "display_name": "Company login",
        "login_url": "/api/v1/auth/oidc/login?tenant=main"}}


async def test_settings_are_checked_with_paths(admin, idp, configured) -> None:
    cases = [
        (sso_settings(idp, issuer="http://idp.example.com"), "oidc.issuer", "invalid_issuer"),
        (sso_settings(idp, department_map={"X": "no_such_dept"}),
         "oidc.department_map.X", "unknown_department"),
        (sso_settings(idp, department_map={}), "oidc.department_map",
         "department_map_required"),
        ({"oidc": None, "password_login": False}, "password_login", "sso_required"),
        (sso_settings(idp, enabled=False, password_login=False), "password_login",
         "sso_required"),
    ]
    for body, path, code in cases:
        response = await admin.put(SSO, json=body)
        assert response.status_code == 422, response.text
        assert {"path": path, "code": code} in [
            {"path": e["path"], "code": e["code"]} for e in response.json()["errors"]]
    closed = sso_settings(idp, issuer="http://127.0.0.1:9")  # nothing listens on port 9
    response = await admin.put(SSO, json=closed)
    assert response.status_code == 422 and response.json()["code"] == "oidc_discovery_failed"
    unknown_key = await admin.put(SSO, json={"oidc": {**sso_settings(idp)["oidc"], "x": 1}})
    assert unknown_key.status_code == 422
    assert (await admin.get(SSO)).json()["oidc"]["issuer"] == idp.issuer  # nothing changed


# -- the flow ------------------------------------------------------------------------------


async def test_first_sign_in_creates_the_member_in_mapped_departments(
        app, settings, idp, configured) -> None:
    idp.reset(email="new.person@example.com", name="New Person",
              groups=["Unmapped", "Sales Team"])
    response = await sign_in(app, "/apps/crm?view=board")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/apps/crm?view=board"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("tessera_session="))
    assert "httponly" in session.lower() and "samesite=lax" in session.lower()
    assert any(c.startswith("tessera_csrf=") for c in cookies)
    assert response.extensions["me"]["email"] == "new.person@example.com"
    assert response.extensions["me"]["name"] == "New Person"
    assert departments_of(settings, "new.person@example.com") == {"sales": True}
    password_hash, = sql(settings, "select password_hash from users "
                         "where email = 'new.person@example.com'")[0]
    assert password_hash is None  # signs in through the provider only
    details = sql(settings, "select details from audit_log where action = "
                  "'login.sso_succeeded' order by id desc limit 1")[0][0]
    assert details["created"] is True and details["subject"] == idp.user["sub"]


async def test_next_sign_in_keeps_mapped_departments_in_step_with_the_claim(
        admin, app, settings, idp, configured) -> None:
    users = (await admin.get("/api/v1/users")).json()["items"]
    user_id = next(u["id"] for u in users if u["email"] == "new.person@example.com")
    # an admin adds a department no mapping names: single sign-on leaves it alone
    patched = await admin.patch(f"/api/v1/users/{user_id}",
                                json={"departments": ["sales", "hq"], "main_department": "hq"})
    assert patched.status_code == 200, patched.text
    idp.reset(email="New.Person@Example.com", name="Renamed", groups="Support")
    response = await sign_in(app)
    assert response.status_code == 303, response.text
    assert response.extensions["me"]["id"] == user_id
    assert departments_of(settings, "new.person@example.com") == {"hq": True, "support": False}
    assert count(settings, "select count(*) from users "
                 "where lower(email) = 'new.person@example.com'") == 1


async def test_an_existing_member_is_matched_by_email(admin, app, settings, idp,
                                                      configured) -> None:
    created = await admin.post("/api/v1/users", json={"email": "Known@Example.com",
                                                      "name": "Known"})
    assert created.status_code == 201
    idp.reset(email="known@example.com", name="Someone Else")
    response = await sign_in(app)
    assert response.status_code == 303, response.text
    assert response.extensions["me"]["id"] == created.json()["id"]
    assert response.extensions["me"]["name"] == "Known"


@pytest.mark.parametrize(("knob", "reason"), [
    ({"overrides": {"nonce": "not-the-one-sent"}}, "wrong_nonce"),
    ({"overrides": {"aud": "some-other-client"}}, "wrong_audience"),
    ({"overrides": {"exp": int(time.time()) - 600, "iat": int(time.time()) - 900}},
     "expired"),
    ({"overrides": {"iss": "http://127.0.0.1:1"}}, "wrong_issuer"),
    ({"sign_with": "foreign key"}, "bad_signature"),
])
async def test_a_bad_id_token_is_refused_and_nothing_is_created(
        app, settings, idp, configured, knob, reason) -> None:
    email = f"{reason}@example.com"
    idp.reset(email=email, name="Mallory", groups=["Sales Team"])
    idp.overrides = knob.get("overrides", {})
    idp.sign_with = new_signing_key() if "sign_with" in knob else None
    users, tokens = (count(settings, "select count(*) from users"),
                     count(settings, "select count(*) from auth_tokens"))
    response = await sign_in(app)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert (problem["code"], problem["reason"]) == ("sso_invalid_id_token", reason)
    assert not any(c.startswith("tessera_session=")
                   for c in response.headers.get_list("set-cookie"))
    assert count(settings, "select count(*) from users") == users
    assert count(settings, "select count(*) from auth_tokens") == tokens
    failed = sql(settings, "select details from audit_log where action = 'login.sso_failed' "
                 "order by id desc limit 1")[0][0]
    # the refused token's claims are not trusted, so not even its e-mail is recorded as fact
    assert failed["reason"] == reason and failed["issuer"] == idp.issuer
    assert email not in str(failed)


async def test_a_rotated_provider_key_is_fetched_again(app, idp, configured) -> None:
    idp.reset(email="known@example.com", name="Known")
    assert (await sign_in(app)).status_code == 303  # the key set is cached now
    previous, idp.key = idp.key, new_signing_key("test-key-2")
    try:
        response = await sign_in(app)
        assert response.status_code == 303, response.text
    finally:
        idp.key = previous


async def test_state_must_come_back_to_the_browser_that_started(app, idp, configured) -> None:
    idp.reset(email="state@example.com", name="State")
    async with browser(app) as started, browser(app) as other:
        callback = await to_provider(started)
        stolen = await other.get(callback)  # another browser has no flow cookie
        assert stolen.status_code == 400 and stolen.json()["code"] == "sso_state_invalid"
        state = parse_qs(urlsplit(callback).query)["state"][0]
        swapped = await started.get(callback.replace(state, state[:-2] + "xx"))
        assert swapped.json()["code"] == "sso_state_invalid"
        assert (await started.get(callback)).status_code == 303
        replay = await started.get(callback)  # the flow cookie is gone after use
        assert replay.status_code == 400 and replay.json()["code"] == "sso_state_invalid"
        # a cookie the server did not seal (here: for another tenant's key) is refused
        callback = await to_provider(other)
        state = parse_qs(urlsplit(callback).query)["state"][0]
        sealed = other.cookies.get(f"tessera_oidc_{state}")
        header, rest = sealed.split(".", 1)
        other.cookies.set(f"tessera_oidc_{state}", header[:-4] + "AAAA." + rest,
                          domain="tessera.test", path="/api/v1/auth/oidc/callback")
        forged = await other.get(callback)
        assert forged.status_code == 400 and forged.json()["code"] == "sso_state_invalid"


async def test_the_provider_saying_no_is_a_problem(app, settings, idp, configured) -> None:
    idp.reset(email="denied@example.com", name="Denied")
    idp.deny = "access_denied"
    response = await sign_in(app)
    assert response.status_code == 401
    assert (response.json()["code"], response.json()["reason"]) == ("sso_provider_error",
                                                                    "access_denied")
    assert count(settings, "select count(*) from users where email = 'denied@example.com'") == 0


async def test_unverified_email_and_disabled_members_are_refused(admin, app, idp,
                                                                 configured) -> None:
    idp.reset(email="unverified@example.com", name="U", email_verified=False)
    response = await sign_in(app)
    assert response.status_code == 403 and response.json()["code"] == "sso_email_not_verified"
    idp.reset(name="No Email")
    response = await sign_in(app)
    assert response.status_code == 403 and response.json()["code"] == "sso_email_missing"
    created = await admin.post("/api/v1/users", json={"email": "gone@example.com",
                                                      "name": "Gone"})
    await admin.patch(f"/api/v1/users/{created.json()['id']}", json={"is_active": False})
    idp.reset(email="gone@example.com", name="Gone")
    response = await sign_in(app)
    assert response.status_code == 403 and response.json()["code"] == "user_disabled"


async def test_without_auto_create_unknown_people_are_refused(admin, app, settings, idp,
                                                              configured) -> None:
    assert (await admin.put(SSO, json=sso_settings(idp, auto_create_members=False))
            ).status_code == 200
    try:
        idp.reset(email="stranger@example.com", name="Stranger", groups=["Support"])
        response = await sign_in(app)
        assert response.status_code == 403
        assert response.json()["code"] == "sso_member_not_found"
        assert count(settings, "select count(*) from users "
                     "where email = 'stranger@example.com'") == 0
        idp.reset(email="known@example.com", name="Known")  # members still sign in
        assert (await sign_in(app)).status_code == 303
    finally:
        assert (await admin.put(SSO, json=sso_settings(idp))).status_code == 200


async def test_a_public_client_signs_in_with_pkce_alone(admin, app, idp, configured) -> None:
    public = sso_settings(idp, client_secret="")  # "" removes the stored secret
    assert (await admin.put(SSO, json=public)).json()["oidc"]["client_secret_set"] is False
    secret, idp.client_secret = idp.client_secret, None
    try:
        idp.reset(email="known@example.com", name="Known")
        response = await sign_in(app)
        assert response.status_code == 303, response.text
    finally:
        idp.client_secret = secret
        assert (await admin.put(SSO, json=sso_settings(idp))).status_code == 200


@pytest.mark.parametrize("target", [
    "//evil.example/x", "https://evil.example/", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "/\t/evil.example", "http:/evil.example", "", None,
])
async def test_next_never_leaves_the_site(app, idp, configured, target) -> None:
    idp.reset(email="known@example.com", name="Known")
    response = await sign_in(app, target)
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/"


# -- password login switched off -------------------------------------------------------------


async def test_password_login_off_leaves_admins_a_break_glass(admin, anon, settings, idp,
                                                              configured) -> None:
    off = await admin.put(SSO, json=sso_settings(idp, password_login=False))
    assert off.status_code == 200 and off.json()["password_login"] is False
    try:
        providers = (await anon.get("/api/v1/auth/providers")).json()
        assert providers["password"] is False and providers["oidc"] is not None
        right = await anon.post("/api/v1/auth/login", json={"email": "plain@example.com",
                                                            "password": "plain-pass-1"})
        assert right.status_code == 403 and right.json()["code"] == "password_login_disabled"
        wrong = await anon.post("/api/v1/auth/login", json={"email": "nobody@example.com",
                                                            "password": "whatever-1"})
        assert wrong.status_code == 403 and wrong.json()["code"] == "password_login_disabled"
        glass = await anon.post("/api/v1/auth/login", json={"email": ADMIN_EMAIL,
                                                            "password": ADMIN_PASSWORD})
        assert glass.status_code == 200, glass.text
        assert count(settings, "select count(*) from audit_log "
                     "where action = 'login.break_glass'") == 1
    finally:
        anon.cookies.clear()
        assert (await admin.put(SSO, json=sso_settings(idp))).status_code == 200
    again = await anon.post("/api/v1/auth/login", json={"email": "plain@example.com",
                                                        "password": "plain-pass-1"})
    assert again.status_code == 200
    anon.cookies.clear()

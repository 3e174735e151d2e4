"""Members and departments over their lifetime: edit, disable, invite, offboard with a
handover; department moves and managers; the audit log (queryable, exportable, append-only)."""

from __future__ import annotations

import httpx
import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import libpq_dsn
from tests.integration.conftest import login
from tests.integration.members import sql

APP = {"format": "tessera.app/1", "key": "desk", "name": {"en": "Desk"}, "forms": [
    {"key": "ticket", "name": {"en": "Ticket"}, "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}}]},
    {"key": "note", "name": {"en": "Note"}, "fields": [
        {"key": "body", "type": "textarea", "label": {"en": "Body"}}]}],
    "roles": [{"key": "agent", "name": {"en": "Agent"}, "permissions": [
        {"form": "ticket", "actions": ["view", "create", "edit"], "scope": "own"},
        {"form": "note", "actions": ["view", "create"], "scope": "own"}]}]}
PASSWORD = "lifecycle-pass-1"


async def _member(admin, email: str, **extra) -> dict:
    r = await admin.post("/api/v1/users", json={"email": email, "name": email.split("@")[0],
                                                "password": PASSWORD, **extra})
    assert r.status_code == 201, r.text
    return r.json()


def _client(app, n: int) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(f"10.30.0.{n}", 1)),
                             base_url="http://t")


@pytest.fixture(scope="module", autouse=True)
async def desk(admin):
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    for key, parent in [("co", None), ("ops", "co"), ("ops_a", "ops")]:
        r = await admin.post("/api/v1/departments", json={"key": key, "name": key,
                                                          "parent": parent})
        assert r.status_code == 201


async def test_edit_member_departments_and_position(admin) -> None:
    user = await _member(admin, "edit@example.com", departments=["co"])
    r = await admin.patch(f"/api/v1/users/{user['id']}", json={
        "name": "Edited", "position": "销售经理", "departments": ["ops", "co"],
        "main_department": "ops"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Edited" and r.json()["position"] == "销售经理"
    bad = await admin.patch(f"/api/v1/users/{user['id']}", json={
        "departments": ["ops"], "main_department": "co"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "main_department"


async def test_disabling_revokes_access_at_once(app, admin) -> None:
    user = await _member(admin, "leaving@example.com")
    async with _client(app, 1) as client:
        headers = await login(client, "leaving@example.com", PASSWORD)
        assert (await client.get("/api/v1/me", headers=headers)).status_code == 200
        r = await admin.patch(f"/api/v1/users/{user['id']}", json={"is_active": False})
        assert r.status_code == 200 and r.json()["is_active"] is False
        me = await client.get("/api/v1/me", headers=headers)
        assert me.status_code == 401
        relogin = await client.post("/api/v1/auth/login", json={
            "email": "leaving@example.com", "password": PASSWORD})
        assert relogin.status_code == 401


async def test_admin_cannot_lock_themselves_out(admin) -> None:
    me = (await admin.get("/api/v1/me")).json()
    r = await admin.patch(f"/api/v1/users/{me['id']}", json={"is_active": False})
    assert r.status_code == 409 and r.json()["code"] == "self_lockout"


async def test_invitation_sets_a_password_once(app, admin) -> None:
    r = await admin.post("/api/v1/users", json={"email": "new@example.com", "name": "New"})
    user = r.json()
    invite = await admin.post(f"/api/v1/users/{user['id']}/invite")
    assert invite.status_code == 201
    token = invite.json()["token"]
    async with _client(app, 2) as client:
        short = await client.post("/api/v1/auth/accept-invite",
                                  json={"token": token, "password": "short"})
        assert short.status_code == 422
        ok = await client.post("/api/v1/auth/accept-invite",
                               json={"token": token, "password": "a-good-password"})
        assert ok.status_code == 200
        again = await client.post("/api/v1/auth/accept-invite",
                                  json={"token": token, "password": "a-good-password"})
        assert again.status_code == 400 and again.json()["code"] == "invalid_invitation"
        assert await login(client, "new@example.com", "a-good-password")


async def test_offboarding_hands_records_over(app, admin, settings) -> None:
    leaver = await _member(admin, "leaver@example.com")
    await _member(admin, "successor@example.com")
    r = await admin.put("/api/v1/apps/desk/roles/agent/members",
                        json={"users": ["leaver@example.com", "successor@example.com"]})
    assert r.status_code == 200
    async with _client(app, 3) as client:
        headers = await login(client, "leaver@example.com", PASSWORD)
        for i in range(3):
            assert (await client.post("/api/v1/apps/desk/forms/ticket/records", headers=headers,
                                      json={"data": {"title": f"t{i}"}})).status_code == 201
        assert (await client.post("/api/v1/apps/desk/forms/note/records", headers=headers,
                                  json={"data": {"body": "n"}})).status_code == 201
    # a leftover of a role the app no longer has (written behind the API's back) is removed
    # too, but never reported as a role the member held
    sql(settings, "insert into role_assignments (id, tenant_id, app_key, role_key, user_id) "
        "select gen_random_uuid(), tenant_id, 'desk', 'ghost', id from users where email = %s",
        ("leaver@example.com",))
    self_handover = await admin.post(f"/api/v1/users/{leaver['id']}/offboard",
                                     json={"successor": "leaver@example.com"})
    assert self_handover.status_code == 409
    done = await admin.post(f"/api/v1/users/{leaver['id']}/offboard",
                            json={"successor": "successor@example.com"})
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["records"] == {"desk.ticket": 3, "desk.note": 1}
    assert result["roles_removed"] == ["desk.agent"] and result["tokens_revoked"] >= 1
    assert sql(settings, "select count(*) from role_assignments where user_id = %s",
               (leaver["id"],)) == [(0,)]
    async with _client(app, 4) as client:
        headers = await login(client, "successor@example.com", PASSWORD)
        tickets = (await client.get("/api/v1/apps/desk/forms/ticket/records",
                                    headers=headers)).json()["items"]
        assert sorted(t["title"] for t in tickets) == ["t0", "t1", "t2"]
        history = (await client.get(
            f"/api/v1/apps/desk/forms/ticket/records/{tickets[0]['_id']}/history",
            headers=headers)).json()["items"]
        assert history[0]["action"] == "handover"
        gone = await client.post("/api/v1/auth/login", json={"email": "leaver@example.com",
                                                             "password": PASSWORD})
        assert gone.status_code == 401


async def test_departments_move_without_cycles_and_get_managers(admin) -> None:
    await _member(admin, "lead@example.com", departments=["ops_a"])
    moved = await admin.patch("/api/v1/departments/ops_a", json={
        "parent": "co", "managers": ["lead@example.com"], "name": "运营 A"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["parent"] == "co" and moved.json()["managers"] == ["lead@example.com"]
    cycle = await admin.patch("/api/v1/departments/co", json={"parent": "ops"})
    assert cycle.status_code == 422 and cycle.json()["errors"][0]["code"] == "cycle"


async def test_audit_log_is_queryable_exportable_and_append_only(admin, settings) -> None:
    members = [await _member(admin, f"audited-{i}@example.com") for i in range(6)]
    handed = await admin.post(f"/api/v1/users/{members[0]['id']}/offboard",
                              json={"successor": members[1]["email"]})
    assert handed.status_code == 200, handed.text
    page = (await admin.get("/api/v1/audit", params={"action": "user.", "limit": 5})).json()
    assert page["items"] and all(i["action"].startswith("user.") for i in page["items"])
    assert page["next_cursor"]
    logins = (await admin.get("/api/v1/audit", params={"action": "login.failed"})).json()
    assert all(i["action"] == "login.failed" for i in logins["items"])
    exported = await admin.get("/api/v1/audit/export", params={"action": "user.offboarded"})
    assert exported.status_code == 200
    assert "user.offboarded" in exported.text and exported.text.startswith("\ufeff")
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url)), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("update audit_log set action = 'tampered'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("delete from audit_log")


async def test_audit_entries_name_their_targets(admin) -> None:
    """A member, a department and an app are named as they are called now; a role keeps its
    key (its name lives in the app's definition)."""
    member = await _member(admin, "named-target@example.com")
    made = await admin.post("/api/v1/departments", json={"key": "named", "name": "命名部"})
    assert made.status_code == 201, made.text
    await admin.patch(f"/api/v1/users/{member['id']}", json={"name": "Renamed Later"})
    items = (await admin.get("/api/v1/audit", params={"limit": 500})).json()["items"]

    def named(action: str, target_id: str) -> object:
        return next(i["target_name"] for i in items
                    if i["action"] == action and i["target_id"] == target_id)

    assert named("user.created", member["id"]) == "Renamed Later"
    assert named("department.created", made.json()["id"]) == "命名部"
    assert named("app.imported", "desk") == {"en": "Desk"}
    logins = [i for i in items if i["action"].startswith("login.")]
    assert logins and all(i["target_name"] is None for i in logins)


async def test_member_list_shows_departments(admin) -> None:
    await _member(admin, "listed@example.com", departments=["co", "ops"], main_department="ops")
    users = {u["email"]: u for u in (await admin.get("/api/v1/users")).json()["items"]}
    listed = users["listed@example.com"]
    assert sorted(listed["departments"]) == ["co", "ops"]
    assert listed["main_department"] == "ops"

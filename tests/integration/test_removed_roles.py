"""A role removed from an app's definition takes its assignments with it: the publish plan
says how many will be dropped, publishing drops them (audited) in its transaction, the roles
API never lists them, and a role added later under the same key starts with no holders."""

from __future__ import annotations

import copy

import pytest

from tests.integration.members import member

APP = {
    "format": "tessera.app/1", "key": "desk", "name": {"en": "Desk"},
    "forms": [{"key": "ticket", "name": {"en": "Ticket"}, "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}}]}],
    "roles": [
        {"key": "agent", "name": {"en": "Agent"}, "permissions": [
            {"form": "ticket", "actions": ["view", "create"], "scope": "all"}]},
        {"key": "viewer", "name": {"en": "Viewer"}, "permissions": [
            {"form": "ticket", "actions": ["view"], "scope": "all"}]},
    ],
}
BASE = "/api/v1/apps/desk"


@pytest.fixture(scope="module")
async def desk(admin):
    r = await admin.post("/api/v1/apps", json=APP)
    assert r.status_code == 201, r.text
    for key in ("support", "sales"):
        r = await admin.post("/api/v1/departments", json={"key": key, "name": key})
        assert r.status_code == 201, r.text
    for email in ("ann@desk.test", "bob@desk.test", "cat@desk.test"):
        r = await admin.post("/api/v1/users", json={"email": email, "name": email[:3],
                                                    "password": "member-password-1"})
        assert r.status_code == 201, r.text
    r = await admin.put(f"{BASE}/roles/agent/members",
                        json={"users": ["ann@desk.test", "bob@desk.test"],
                              "departments": ["support"]})
    assert r.status_code == 200, r.text
    r = await admin.put(f"{BASE}/roles/viewer/members", json={"users": ["cat@desk.test"]})
    assert r.status_code == 200, r.text
    r = await (admin.post(f"{BASE}/forms/ticket/records", json={"data": {"title": "t1"}}))
    assert r.status_code == 201, r.text
    return APP


async def _put_draft(admin, definition) -> None:
    r = await admin.put(f"{BASE}/draft", json=definition)
    assert r.status_code == 200, r.text


async def test_removing_a_role_drops_its_assignments_at_publish(app, admin, settings,
                                                                desk) -> None:
    async with member(app, admin, settings, "ann@desk.test") as ann:
        # ann's roles are now cached by this process (FactsCache): publishing must forget them
        assert (await ann.get(f"{BASE}/forms/ticket/records")).status_code == 200
        await _remove_agent_and_bring_it_back(admin, desk)
        r = await ann.get(f"{BASE}/forms/ticket/records")
        assert r.status_code == 403, r.text  # no silent return of the old access
        assert r.headers["content-type"].startswith("application/problem+json")
    async with member(app, admin, settings, "cat@desk.test") as cat:
        r = await cat.get(f"{BASE}/forms/ticket/records")
        assert r.status_code == 200 and len(r.json()["items"]) == 1


async def _remove_agent_and_bring_it_back(admin, desk) -> None:
    without_agent = copy.deepcopy(desk)
    without_agent["roles"] = [r for r in desk["roles"] if r["key"] != "agent"]
    without_agent["version"] = "1.1.0"
    await _put_draft(admin, without_agent)

    plan = (await admin.get(f"{BASE}/plan")).json()
    steps = [s for s in plan["steps"] if s["op"] == "drop_role_assignments"]
    assert steps == [{
        "op": "drop_role_assignments", "table": "role_assignments", "cost": "instant",
        "description": "role agent removed: 2 user / 1 department assignments will be dropped",
        "code": "drop_role_assignments", "params": {"role": "agent", "users": 2,
                                                     "departments": 1}}]
    assert "drop role assignments" in plan["summary"]

    published = await admin.post(f"{BASE}/publish")
    assert published.status_code == 200, published.text
    body = published.json()
    assert body["roles_dropped"] == [{"role": "agent", "users": ["ann@desk.test",
                                                                 "bob@desk.test"],
                                      "departments": ["support"]}]
    assert any(s["op"] == "drop_role_assignments" for s in body["plan"]["steps"])

    roles = (await admin.get(f"{BASE}/roles")).json()["items"]
    assert [r["key"] for r in roles] == ["admin", "viewer"]
    assert roles[1]["users"] == ["cat@desk.test"]  # the roles that stay keep their holders
    audit = (await admin.get("/api/v1/audit", params={"action": "role.assignments_dropped"})
             ).json()["items"]
    assert audit[0]["target_id"] == "desk.agent"
    assert audit[0]["details"]["users"] == ["ann@desk.test", "bob@desk.test"]

    # the same key comes back later: nobody holds it until an admin says so
    await _put_draft(admin, {**desk, "version": "1.2.0"})
    plan = (await admin.get(f"{BASE}/plan")).json()
    assert not [s for s in plan["steps"] if s["op"] == "drop_role_assignments"]
    assert (await admin.post(f"{BASE}/publish")).status_code == 200
    roles = {r["key"]: r for r in (await admin.get(f"{BASE}/roles")).json()["items"]}
    assert roles["agent"]["users"] == [] and roles["agent"]["departments"] == []


async def test_orphans_written_behind_the_apis_back_are_listed_and_dropped(
        app, admin, settings, desk) -> None:
    """Rows of a role the definition never had (left by a version published before this
    cleanup existed) never show in the roles API and go at the next publish."""
    async with member(app, admin, settings, "dan@desk.test", roles={"desk": ["ghost"]}) as dan:
        roles = (await admin.get(f"{BASE}/roles")).json()["items"]
        assert "ghost" not in [r["key"] for r in roles]
        r = await admin.put(f"{BASE}/roles/ghost/members", json={"users": []})
        assert r.status_code == 404 and r.json()["code"] == "unknown_role"
        await _put_draft(admin, {**desk, "version": "1.3.0"})
        plan = (await admin.get(f"{BASE}/plan")).json()
        assert [s["description"] for s in plan["steps"]
                if s["op"] == "drop_role_assignments"] == [
            "role ghost removed: 1 user / 0 department assignments will be dropped"]
        body = (await admin.post(f"{BASE}/publish")).json()
        assert body["roles_dropped"] == [{"role": "ghost", "users": ["dan@desk.test"],
                                          "departments": []}]
        assert (await dan.get(f"{BASE}/forms/ticket/records")).status_code == 403
    plan = (await admin.get(f"{BASE}/plan")).json()
    assert not [s for s in plan["steps"] if s["op"] == "drop_role_assignments"]

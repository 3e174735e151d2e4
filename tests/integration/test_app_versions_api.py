"""An app's published versions through the API: the history list with who published what and
what changed, the draft's state, restoring an old version into the draft (audited), admins only,
and each tenant seeing only its own apps' versions."""

from __future__ import annotations

import copy

import httpx
import pytest

from tessera.config import Settings
from tessera.db.engine import create_engine
from tessera.org.tenants import ensure_tenant
from tessera.org.users import create_user
from tests.integration.conftest import ADMIN_EMAIL
from tests.integration.members import member

APP = {
    "format": "tessera.app/1", "key": "desk", "name": {"zh-CN": "服务台", "en": "Desk"},
    "version": "1.0.0",
    "forms": [{"key": "ticket", "name": {"en": "Ticket"}, "fields": [
        {"key": "title", "type": "text", "label": {"en": "Title"}},
        {"key": "body", "type": "textarea", "label": {"en": "Body"}}]}],
    "roles": [{"key": "agent", "name": {"en": "Agent"}, "permissions": [
        {"form": "ticket", "actions": ["view"], "scope": "all"}]}],
}


def _v2() -> dict:
    """Version 2: a field added, one relabelled, a new form, the agent may also create."""
    draft = copy.deepcopy(APP)
    draft["version"] = "1.1.0"
    fields = draft["forms"][0]["fields"]
    fields.append({"key": "priority", "type": "number", "label": {"en": "Priority"}})
    fields[1]["label"] = {"en": "Description"}
    draft["forms"].append({"key": "note", "name": {"en": "Note"}, "fields": [
        {"key": "text", "type": "text", "label": {"en": "Text"}}]})
    draft["roles"][0]["permissions"][0]["actions"] = ["view", "create"]
    return draft


@pytest.fixture(scope="module")
async def published_twice(admin) -> None:
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    assert (await admin.put("/api/v1/apps/desk/draft", json=_v2())).status_code == 200
    response = await admin.post("/api/v1/apps/desk/publish")
    assert response.status_code == 200, response.text


async def test_versions_list_who_published_what_and_what_changed(admin, published_twice) -> None:
    response = await admin.get("/api/v1/apps/desk/versions")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["published_version"] == 2 and body["has_more"] is False
    v2, v1 = body["items"]
    assert (v2["version"], v2["semver"], v2["current"]) == (2, "1.1.0", True)
    assert (v1["version"], v1["current"]) == (1, False)
    assert v2["published_by"]["email"] == ADMIN_EMAIL and v2["published_at"]
    assert v1["changes"] == {"first": True, "forms_added": ["ticket"]}
    assert v2["changes"] == {"forms_added": ["note"], "fields_added": {"ticket": ["priority"]},
                             "fields_changed": {"ticket": ["body"]},
                             "sections_changed": ["roles"], "settings_changed": ["version"]}
    assert body["draft"]["exists"] is True and body["draft"]["unpublished"] is False
    assert body["draft"]["changes"] is None
    one = (await admin.get("/api/v1/apps/desk/versions?limit=1")).json()
    assert [v["version"] for v in one["items"]] == [2] and one["has_more"] is True
    assert one["items"][0]["changes"] == v2["changes"]  # still compared with its parent


async def test_an_edited_draft_shows_as_unpublished(admin, published_twice) -> None:
    draft = _v2()
    draft["forms"][0]["fields"].append({"key": "due", "type": "date", "label": {"en": "Due"}})
    assert (await admin.put("/api/v1/apps/desk/draft", json=draft)).status_code == 200
    state = (await admin.get("/api/v1/apps/desk/versions")).json()["draft"]
    assert state["unpublished"] is True and state["updated_at"]
    assert state["changes"] == {"fields_added": {"ticket": ["due"]}}
    assert (await admin.put("/api/v1/apps/desk/draft", json=_v2())).status_code == 200


async def test_restore_puts_an_old_version_into_the_draft_and_audits_it(
        admin, published_twice) -> None:
    response = await admin.post("/api/v1/apps/desk/versions/1/restore-draft")
    assert response.status_code == 200, response.text
    assert response.json()["has_draft"] is True
    assert (await admin.get("/api/v1/apps/desk/draft")).json() == APP
    # nothing was published: version 2 is still what members use
    assert (await admin.get("/api/v1/apps/desk")).json()["published_version"] == 2
    state = (await admin.get("/api/v1/apps/desk/versions")).json()["draft"]
    assert state["unpublished"] is True
    assert state["changes"]["forms_removed"] == ["note"]
    audit = (await admin.get("/api/v1/audit?action=app.version_restored")).json()["items"]
    assert audit[0]["target_id"] == "desk"
    assert audit[0]["details"]["version"] == 1 and audit[0]["details"]["published_version"] == 2
    # publishing the restored draft is the usual path, and makes version 3
    plan = (await admin.get("/api/v1/apps/desk/plan")).json()
    assert plan["steps"], plan
    # back to version 2's draft, so the other tests see the published state
    assert (await admin.post("/api/v1/apps/desk/versions/2/restore-draft")).status_code == 200
    assert (await admin.get("/api/v1/apps/desk/versions")).json()["draft"]["unpublished"] is False


async def test_unknown_app_and_version_are_problems(admin, published_twice) -> None:
    missing = await admin.get("/api/v1/apps/nope/versions")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_app"
    version = await admin.post("/api/v1/apps/desk/versions/9/restore-draft")
    assert version.status_code == 404 and version.json()["code"] == "unknown_version"
    assert version.headers["content-type"].startswith("application/problem+json")
    bad = await admin.post("/api/v1/apps/desk/versions/0/restore-draft")
    assert bad.status_code == 422
    limit = await admin.get("/api/v1/apps/desk/versions?limit=0")
    assert limit.status_code == 422


async def test_members_are_refused_even_app_admins(app, admin, settings, published_twice) -> None:
    async with member(app, admin, settings, "desk-admin@example.com",
                      {"desk": ["admin", "agent"]}) as client:
        listing = await client.get("/api/v1/apps/desk/versions")
        assert listing.status_code == 403, listing.text
        assert listing.headers["content-type"].startswith("application/problem+json")
        restore = await client.post("/api/v1/apps/desk/versions/1/restore-draft")
        assert restore.status_code == 403
    assert (await admin.get("/api/v1/apps/desk/draft")).json() == _v2()  # untouched


async def test_tenants_see_only_their_own_versions(app, settings: Settings, admin,
                                                   published_twice) -> None:
    engine = create_engine(settings, pool_size=1)
    async with engine.begin() as conn:
        tenant_id = await ensure_tenant(conn, "other", "Other")
        await create_user(conn, tenant_id=tenant_id, email="boss@example.com", name="Boss",
                          password="other-tenant-pass", is_admin=True)
    await engine.dispose()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("10.41.0.1", 1)),
                                 base_url="http://t") as other:
        r = await other.post("/api/v1/auth/login", json={
            "email": "boss@example.com", "password": "other-tenant-pass", "tenant": "other"})
        other.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
        # the app exists only in the first tenant
        assert (await other.get("/api/v1/apps/desk/versions")).status_code == 404
        assert (await other.post("/api/v1/apps/desk/versions/1/restore-draft")).status_code == 404
        # the same key in this tenant has its own, single version
        assert (await other.post("/api/v1/apps", json=APP)).status_code == 201
        items = (await other.get("/api/v1/apps/desk/versions")).json()["items"]
        assert [(v["version"], v["published_by"]["email"]) for v in items] == [
            (1, "boss@example.com")]
        refused = await other.post("/api/v1/apps/desk/versions/2/restore-draft")
        assert refused.status_code == 404 and refused.json()["code"] == "unknown_version"
    assert (await admin.get("/api/v1/apps/desk/versions")).json()["published_version"] == 2

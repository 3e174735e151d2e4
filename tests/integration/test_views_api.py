"""Views of a form over HTTP on real Postgres: the definition's views (checked at import, with
paths), saved views (own, shared by an admin), what a member may see and change, and tenants
that never see each other's views."""

from __future__ import annotations

import copy

import httpx
import pytest

from tessera.db.engine import create_engine
from tessera.org.tenants import ensure_tenant
from tessera.org.users import create_user
from tests.integration.members import member, sql

L = {"en": "x"}
APP = {
    "format": "tessera.app/1", "key": "vw", "name": {"en": "Views"},
    "forms": [
        {"key": "deal", "name": {"en": "Deal"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": L},
            {"key": "stage", "type": "select", "label": L,
             "options": [{"value": "new"}, {"value": "won"}]},
            {"key": "amount", "type": "number", "label": L},
            {"key": "close", "type": "date", "label": L},
            {"key": "secret", "type": "text", "label": L},
        ]},
        {"key": "note", "name": {"en": "Note"}, "fields": [
            {"key": "text", "type": "text", "label": L}]},
    ],
    "views": [
        {"key": "board", "form": "deal", "name": {"en": "Board", "zh-CN": "看板"},
         "type": "kanban", "group_by": "stage", "columns": ["name", "amount", "secret"]},
        {"key": "calendar", "form": "deal", "name": {"en": "Closing"}, "type": "calendar",
         "date_field": "close"},
        {"key": "by_secret", "form": "deal", "name": {"en": "Secret"}, "sort": "secret"},
        {"key": "notes", "form": "note", "name": {"en": "Notes"}},
    ],
    "roles": [
        {"key": "sales", "name": {"en": "Sales"}, "permissions": [
            {"form": "deal", "actions": ["view", "create", "edit"], "scope": "own",
             "fields": {"hidden": ["secret"]}}]},
        {"key": "lead", "name": {"en": "Lead"}, "permissions": [
            {"form": "deal", "actions": ["view", "manage"], "scope": "all"}]},
        {"key": "notes_only", "name": {"en": "Notes"}, "permissions": [
            {"form": "note", "actions": ["view"], "scope": "all"}]},
    ],
}
URL = "/api/v1/apps/vw/forms/deal/views"


@pytest.fixture(scope="module")
async def world(app, admin, settings):
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201
    async with (member(app, admin, settings, "rep1@vw.example.com", {"vw": ["sales"]}) as rep1,
                member(app, admin, settings, "rep2@vw.example.com", {"vw": ["sales"]}) as rep2,
                member(app, admin, settings, "lead@vw.example.com", {"vw": ["lead"]}) as lead,
                member(app, admin, settings, "notes@vw.example.com",
                       {"vw": ["notes_only"]}) as notes):
        yield {"rep1": rep1, "rep2": rep2, "lead": lead, "notes": notes, "admin": admin}


def _errors(response: httpx.Response) -> dict[str, str]:
    assert response.headers["content-type"].startswith("application/problem+json")
    return {e["path"]: e["code"] for e in response.json().get("errors", [])}


async def test_definition_views_are_checked_at_import_with_paths(admin) -> None:
    bad = copy.deepcopy(APP)
    bad["key"] = "vw_bad"
    bad["views"] = [
        {"key": "a", "form": "nope", "name": L},
        {"key": "b", "form": "deal", "name": L, "type": "kanban", "group_by": "amount"},
        {"key": "c", "form": "deal", "name": L, "type": "calendar", "date_field": "stage",
         "end_field": "name"},
        {"key": "d", "form": "deal", "name": L, "columns": ["name", "amout"],
         "filter": {"==": [{"var": "stag"}, "won"]}, "sort": "-amount,nme"},
        {"key": "e", "form": "deal", "name": L, "type": "kanban"},
    ]
    response = await admin.post("/api/v1/apps", json=bad)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_definition"
    assert _errors(response) == {
        "views[0].form": "unknown_form",
        "views[1].group_by": "wrong_field_type",
        "views[2].date_field": "wrong_field_type",
        "views[2].end_field": "wrong_field_type",
        "views[3].columns[1]": "unknown_field",
        "views[3].filter": "invalid_filter",
        "views[3].sort[1]": "unknown_field",
        "views[4].group_by": "required",
    }
    assert "stag" in next(e["message"] for e in response.json()["errors"]
                          if e["path"] == "views[3].filter")
    # the envelope: an unknown view type or key is the schema's to refuse
    bad["views"] = [{"key": "x", "form": "deal", "name": L, "type": "gantt", "colour": 1}]
    response = await admin.post("/api/v1/apps", json=bad)
    assert response.status_code == 422
    assert {p.split("[")[0] for p in _errors(response)} == {"views"}


async def test_a_draft_with_a_broken_view_is_refused(world) -> None:
    draft = copy.deepcopy(APP)
    draft["views"][1]["date_field"] = "amount"
    response = await world["admin"].put("/api/v1/apps/vw/draft", json=draft)
    assert response.status_code == 422
    assert _errors(response) == {"views[1].date_field": "wrong_field_type"}


async def test_get_lists_the_definition_views_read_only(world) -> None:
    answer = (await world["admin"].get(URL)).json()
    definition = [v for v in answer["items"] if v["source"] == "definition"]
    assert [v["key"] for v in definition] == ["board", "calendar", "by_secret"]  # not `notes`
    board = definition[0]
    assert board["readonly"] is True and board["editable"] is False
    assert board["id"] == "definition:board"
    assert board["type"] == "kanban" and board["group_by"] == "stage"
    assert answer["can_share"] is True
    patched = await world["admin"].patch(URL + "/definition:board", json={"name": "Mine"})
    assert patched.status_code == 403 and patched.json()["code"] == "view_read_only"
    # a member with a hidden field: the column is left out, a view sorting by it is not offered
    rep = (await world["rep1"].get(URL)).json()
    keys = {v["key"]: v for v in rep["items"] if v["source"] == "definition"}
    assert set(keys) == {"board", "calendar"}
    assert keys["board"]["columns"] == ["name", "amount"]
    assert rep["can_share"] is False


async def test_a_member_saves_renames_and_deletes_a_personal_view(world) -> None:
    rep1, rep2 = world["rep1"], world["rep2"]
    created = await rep1.post(URL, json={
        "name": "  Big deals ", "type": "table", "columns": ["name", "amount"],
        "filter": {">": [{"var": "amount"}, 1000]}, "sort": "-amount"})
    assert created.status_code == 201, created.text
    view = created.json()
    assert view["name"] == "Big deals" and view["mine"] and view["editable"]
    assert view["shared"] is False and view["filter"] == {">": [{"var": "amount"}, 1000]}
    assert view["owner"]["id"] == rep1.user_id
    again = await rep1.post(URL, json={"name": "big DEALS"})
    assert again.status_code == 409 and _errors(again) == {"name": "duplicate"}
    # another member neither lists nor touches it
    assert view["id"] not in {v["id"] for v in (await rep2.get(URL)).json()["items"]}
    assert (await rep2.patch(f"{URL}/{view['id']}", json={"name": "x"})).status_code == 404
    assert (await rep2.delete(f"{URL}/{view['id']}")).status_code == 404
    # a partial change keeps the rest; a setting sent as null is cleared
    changed = await rep1.patch(f"{URL}/{view['id']}", json={
        "name": "Kanban", "type": "kanban", "group_by": "stage", "filter": None})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["name"], body["type"], body["sort"], body["columns"]) == (
        "Kanban", "kanban", "-amount", ["name", "amount"])
    assert "filter" not in body
    assert (await rep1.delete(f"{URL}/{view['id']}")).status_code == 204
    assert view["id"] not in {v["id"] for v in (await rep1.get(URL)).json()["items"]}
    assert (await rep1.delete(f"{URL}/{view['id']}")).status_code == 404


async def test_a_saved_view_is_checked_against_the_fields_the_caller_may_see(world) -> None:
    rep1, admin = world["rep1"], world["admin"]
    cases = [
        ({"name": "a", "columns": ["secret"]}, {"columns[0]": "unknown_field"}),
        ({"name": "b", "filter": {"==": [{"var": "secret"}, "x"]}},
         {"filter": "invalid_filter"}),
        ({"name": "c", "sort": "secret"}, {"sort[0]": "unknown_field"}),
        ({"name": "d", "type": "kanban", "group_by": "name"}, {"group_by": "wrong_field_type"}),
        ({"name": "e", "type": "calendar"}, {"date_field": "required"}),
        ({"name": "f", "type": "calendar", "date_field": "amount"},
         {"date_field": "wrong_field_type"}),
        ({"name": " ", "filter": {"nope": [1]}}, {"name": "required", "filter": "invalid_filter"}),
    ]
    for body, errors in cases:
        response = await rep1.post(URL, json=body)
        assert response.status_code == 422, (body, response.text)
        assert response.json()["code"] == "invalid_view"
        assert _errors(response) == errors, body
    # the API schema: an unknown setting or view type
    response = await rep1.post(URL, json={"name": "g", "type": "gantt", "colour": "red"})
    assert response.status_code == 422
    assert set(_errors(response)) == {"type", "colour"}
    # the admin sees `secret`, so the same view is fine for them
    ok = await admin.post(URL, json={"name": "By secret", "sort": "secret", "columns": ["secret"]})
    assert ok.status_code == 201, ok.text
    assert (await admin.delete(f"{URL}/{ok.json()['id']}")).status_code == 204


async def test_only_admins_share_and_shared_views_reach_everyone(world, settings) -> None:
    rep1, rep2, lead, admin = world["rep1"], world["rep2"], world["lead"], world["admin"]
    refused = await rep1.post(URL, json={"name": "For all", "shared": True})
    assert refused.status_code == 403 and _errors(refused) == {"shared": "share_not_allowed"}
    personal = (await rep1.post(URL, json={"name": "Mine only"})).json()
    refused = await rep1.patch(f"{URL}/{personal['id']}", json={"shared": True})
    assert refused.status_code == 403 and refused.json()["code"] == "share_not_allowed"

    shared = await admin.post(URL, json={"name": "Won", "shared": True, "columns": ["name",
                              "secret"], "filter": {"==": [{"var": "stage"}, "won"]}})
    assert shared.status_code == 201, shared.text
    shared_id = shared.json()["id"]
    hidden_sort = (await admin.post(URL, json={"name": "Secret order", "shared": True,
                                               "sort": "-secret"})).json()
    seen = {v["id"]: v for v in (await rep2.get(URL)).json()["items"]}
    assert seen[shared_id]["columns"] == ["name"]  # `secret` is hidden from reps
    assert seen[shared_id]["editable"] is False and seen[shared_id]["mine"] is False
    assert hidden_sort["id"] not in seen  # it sorts by a field reps cannot see
    assert personal["id"] not in seen
    assert (await rep2.patch(f"{URL}/{shared_id}", json={"name": "x"})).status_code == 403
    assert (await rep2.delete(f"{URL}/{shared_id}")).status_code == 403
    # the form's `manage` action may share and change shared views
    assert (await lead.patch(f"{URL}/{shared_id}", json={"name": "Won deals"})).status_code == 200
    mine = await lead.post(URL, json={"name": "Lead's", "shared": True})
    assert mine.status_code == 201
    # un-sharing takes it out of everyone else's menu
    assert (await admin.patch(f"{URL}/{shared_id}", json={"shared": False})).status_code == 200
    assert shared_id not in {v["id"] for v in (await rep2.get(URL)).json()["items"]}
    for view_id in (shared_id, hidden_sort["id"]):
        assert (await admin.delete(f"{URL}/{view_id}")).status_code == 204
    # what everyone saw is in the audit log; personal views are not
    actions = {(row[0], row[1]) for row in sql(
        settings, "select action, target_id from audit_log where target_type = 'view'")}
    assert {("view.shared", shared_id), ("view.changed", shared_id),
            ("view.unshared", shared_id), ("view.deleted", hidden_sort["id"])} <= actions
    assert not any(target == personal["id"] for _, target in actions)


async def test_no_views_without_view_permission_on_the_form(world) -> None:
    notes = world["notes"]
    assert (await notes.get(URL)).status_code == 403
    response = await notes.post(URL, json={"name": "x"})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    ok = (await notes.get("/api/v1/apps/vw/forms/note/views")).json()
    assert [v["key"] for v in ok["items"]] == ["notes"]
    missing = await notes.get("/api/v1/apps/vw/forms/nope/views")
    assert missing.status_code == 404 and missing.json()["code"] == "unknown_form"
    bad_id = await world["admin"].patch(URL + "/not-a-uuid", json={"name": "x"})
    assert bad_id.status_code == 404 and bad_id.json()["code"] == "view_not_found"


async def test_views_never_cross_tenants(app, world, settings) -> None:
    admin = world["admin"]
    view = (await admin.post(URL, json={"name": "Main tenant's", "shared": True})).json()
    engine = create_engine(settings, pool_size=1)
    async with engine.begin() as conn:
        tenant_id = await ensure_tenant(conn, "views_other", "Other")
        await create_user(conn, tenant_id=tenant_id, email="boss@other.example.com",
                          name="Boss", password="other-tenant-pass", is_admin=True)
    await engine.dispose()
    transport = httpx.ASGITransport(app=app, client=("10.41.0.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as other:
        token = (await other.post("/api/v1/auth/login", json={
            "email": "boss@other.example.com", "password": "other-tenant-pass",
            "tenant": "views_other"})).json()["access_token"]
        other.headers["Authorization"] = f"Bearer {token}"
        assert (await other.post("/api/v1/apps", json=APP)).status_code == 201
        items = (await other.get(URL)).json()["items"]
        assert view["id"] not in {v["id"] for v in items}
        assert all(v["source"] == "definition" for v in items)
        assert (await other.patch(f"{URL}/{view['id']}", json={"name": "x"})).status_code == 404
        assert (await other.delete(f"{URL}/{view['id']}")).status_code == 404
        # the same name in the other tenant is no conflict
        assert (await other.post(URL, json={"name": "Main tenant's"})).status_code == 201
    assert view["id"] in {v["id"] for v in (await admin.get(URL)).json()["items"]}
    assert (await admin.delete(f"{URL}/{view['id']}")).status_code == 204


async def test_the_app_definition_a_member_reads_names_no_hidden_field(world) -> None:
    """GET /apps/{app} carries the definition's views too: the same filtering applies."""
    rep_views = {v["key"]: v for v in (await world["rep1"].get("/api/v1/apps/vw")).json()
                 ["definition"]["views"]}
    assert rep_views["board"]["columns"] == ["name", "amount"]
    assert "by_secret" not in rep_views  # sorts on the hidden field
    assert "notes" not in rep_views  # a form they have no permission on
    assert "secret" not in str(rep_views)
    admin_views = (await world["admin"].get("/api/v1/apps/vw")).json()["definition"]["views"]
    assert {v["key"] for v in admin_views} == {"board", "calendar", "by_secret", "notes"}

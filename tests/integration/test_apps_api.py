"""App registry through the API: import with exact error paths, drafts, publish, export."""

from __future__ import annotations

import copy

APP = {
    "format": "tessera.app/1",
    "key": "shop",
    "name": {"zh-CN": "小店", "en": "Shop"},
    "version": "1.0.0",
    "forms": [{
        "key": "order",
        "name": {"zh-CN": "订单", "en": "Order"},
        "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True},
            {"key": "amount", "type": "number", "label": {"en": "Amount"}},
        ],
    }],
}


async def test_invalid_definition_names_the_exact_path(admin) -> None:
    bad = copy.deepcopy(APP)
    bad["forms"][0]["fields"][1]["type"] = "nubmer"
    response = await admin.post("/api/v1/apps", json=bad)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_definition"
    paths = {e["path"] for e in body["errors"]}
    assert "forms[0].fields[1].type" in paths
    assert "nubmer" in body["detail"]
    assert (await admin.get("/api/v1/apps/shop")).status_code == 404  # nothing was written


async def test_envelope_errors_name_their_path(admin) -> None:
    bad = copy.deepcopy(APP)
    bad["key"] = "Shop!"
    del bad["forms"][0]["name"]
    response = await admin.post("/api/v1/apps", json=bad)
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert {"key", "forms[0]"} <= paths


async def test_import_publishes_a_version_and_creates_the_table(admin) -> None:
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "published" and body["published_version"] == 1
    assert [s["op"] for s in body["publish"]["plan"]["steps"]] == ["create_table"]
    listed = (await admin.get("/api/v1/apps")).json()["items"]
    assert [a["key"] for a in listed] == ["shop"]
    again = await admin.post("/api/v1/apps", json=APP)
    assert again.status_code == 409 and again.json()["code"] == "app_exists"


async def test_draft_plan_publish_cycle(admin) -> None:
    draft = copy.deepcopy(APP)
    draft["version"] = "1.1.0"
    draft["forms"][0]["fields"].append(
        {"key": "note", "type": "textarea", "label": {"en": "Note"}})
    saved = await admin.put("/api/v1/apps/shop/draft", json=draft)
    assert saved.status_code == 200 and saved.json()["has_draft"] is True
    plan = (await admin.get("/api/v1/apps/shop/plan")).json()
    assert [(s["op"], s.get("field"), s["cost"]) for s in plan["steps"]] == [
        ("add_column", "note", "instant")]
    # the published version is untouched until publish
    current = (await admin.get("/api/v1/apps/shop")).json()
    assert len(current["definition"]["forms"][0]["fields"]) == 2
    published = await admin.post("/api/v1/apps/shop/publish")
    assert published.status_code == 200 and published.json()["version"] == 2
    exported = await admin.get("/api/v1/apps/shop/export")
    assert exported.headers["content-disposition"].startswith("attachment")
    assert exported.json()["version"] == "1.1.0"


async def test_only_admins_import(app, admin) -> None:
    import httpx

    from tests.integration.conftest import login

    created = await admin.post("/api/v1/users", json={"email": "rep@example.com", "name": "Rep",
                                                      "password": "rep-password-1"})
    assert created.status_code == 201
    transport = httpx.ASGITransport(app=app, client=("10.4.4.4", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = await login(client, "rep@example.com", "rep-password-1")
        response = await client.post("/api/v1/apps", json={**APP, "key": "other"},
                                     headers=headers)
        assert response.status_code == 403 and response.json()["code"] == "admin_required"


async def test_print_templates_are_part_of_a_form_and_checked_at_import(admin) -> None:
    good = copy.deepcopy(APP)
    good["key"] = "printable"
    good["forms"][0]["print_templates"] = [
        {"key": "slip", "name": {"en": "Slip"}, "template": "<h1>{{ record.title }}</h1>"}]
    assert (await admin.post("/api/v1/apps", json=good)).status_code == 201
    bad = copy.deepcopy(good)
    bad["key"] = "broken_print"
    bad["forms"][0]["print_templates"][0]["template"] = "<h1>{{ record.title </h1>\n{% endif %}"
    response = await admin.post("/api/v1/apps", json=bad)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["path"] == "forms[0].print_templates[0].template"
    assert error["code"] == "template_syntax"

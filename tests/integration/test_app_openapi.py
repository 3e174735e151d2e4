"""The generated per-app OpenAPI document: valid OpenAPI 3.1, each form's record schema from
the form engine, concrete record endpoints, problem+json errors, bearer auth; and tailored to
the caller's permissions (forms, operations and hidden fields)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from tests.integration.members import member

APP = {
    "format": "tessera.app/1", "key": "shop", "name": {"zh-CN": "商店", "en": "Shop"},
    "version": "1.2.0",
    "forms": [
        {"key": "order", "name": {"en": "Order"}, "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True},
            {"key": "amount", "type": "money", "label": {"en": "Amount"}},
            {"key": "margin", "type": "number", "label": {"en": "Margin"}},
            {"key": "due", "type": "date", "label": {"en": "Due"}},
            {"key": "stage", "type": "select", "label": {"en": "Stage"},
             "options": [{"value": "new"}, {"value": "won"}]},
            {"key": "scan", "type": "attachment", "label": {"en": "Scan"}},
            {"key": "lines", "type": "subform", "label": {"en": "Lines"}, "fields": [
                {"key": "qty", "type": "number", "label": {"en": "Qty"}}]},
            {"key": "total", "type": "formula", "label": {"en": "Total"},
             "formula": "amount * 2", "result_type": "number"},
        ]},
        {"key": "secret", "name": {"en": "Secret"}, "fields": [
            {"key": "note", "type": "text", "label": {"en": "Note"}}]},
    ],
    "roles": [{"key": "reader", "name": {"en": "Reader"}, "permissions": [
        {"form": "order", "actions": ["view"], "scope": "all",
         "fields": {"hidden": ["margin"]}}]}],
}


@pytest.fixture(scope="module", autouse=True)
async def shop_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(("params", "headers", "title"), [
    ({}, {}, "Shop"), ({}, {"Accept-Language": "zh-CN"}, "商店"),
    ({"locale": "en"}, {"Accept-Language": "zh-CN"}, "Shop"),  # the parameter wins
    ({"locale": "zh-CN"}, {"Accept-Language": "en"}, "商店"),
])
async def test_titles_are_in_the_callers_language_unless_locale_names_one(
        admin, params, headers, title) -> None:
    doc = (await admin.get("/api/v1/apps/shop/openapi.json", params=params,
                           headers=headers)).json()
    assert doc["info"]["title"] == title


async def test_the_document_is_valid_openapi_with_every_form(admin) -> None:
    response = await admin.get("/api/v1/apps/shop/openapi.json")
    assert response.status_code == 200, response.text
    doc = response.json()
    validate(doc)  # openapi-spec-validator: raises on an invalid document
    assert doc["openapi"].startswith("3.1") and doc["info"]["title"] == "Shop"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    base = "/apps/shop/forms/order/records"
    assert {"get", "post"} <= set(doc["paths"][base])
    assert {"get", "patch", "delete"} <= set(doc["paths"][base + "/{record_id}"])
    for path in ("/trash", "/bulk", "/{record_id}/restore", "/{record_id}/purge",
                 "/{record_id}/history", "/{record_id}/history/{version}/restore", "/count"):
        assert base + path in doc["paths"], path
    assert "/apps/shop/forms/secret/records" in doc["paths"]
    assert "/files" in doc["paths"] and "/files/{file_id}" in doc["paths"]
    create = doc["paths"][base]["post"]
    assert create["responses"]["422"]["content"]["application/problem+json"]["schema"] == {
        "$ref": "#/components/schemas/Problem"}
    params = {p["name"] for p in doc["paths"][base]["get"]["parameters"]}
    assert params == {"filter", "sort", "limit", "cursor"}
    data = doc["components"]["schemas"]["order_data"]
    assert data["required"] == ["title"] and data["properties"]["due"]["format"] == "date"
    assert data["properties"]["total"]["readOnly"] is True
    assert "_version" in doc["components"]["schemas"]["order_record"]["properties"]
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


async def test_a_real_record_matches_its_schema(admin) -> None:
    doc = (await admin.get("/api/v1/apps/shop/openapi.json")).json()
    created = await admin.post("/api/v1/apps/shop/forms/order/records", json={"data": {
        "title": "A", "amount": "12.50", "due": "2026-12-01", "stage": "won",
        "lines": [{"qty": 2}]}})
    assert created.status_code == 201, created.text
    schema = {**doc["components"]["schemas"]["order_record"],
              "$defs": doc["components"]["schemas"]}
    text = json.dumps(schema).replace("#/components/schemas/", "#/$defs/")
    jsonschema.validate(created.json(), json.loads(text))
    jsonschema.validate({"title": "B", "amount": 3},
                        doc["components"]["schemas"]["order_data"])


async def test_the_document_follows_the_callers_permissions(app, admin, settings) -> None:
    async with member(app, admin, settings, "reader@example.com", {"shop": ["reader"]}) as r:
        doc = (await r.get("/api/v1/apps/shop/openapi.json")).json()
    validate(doc)
    assert not any(p.startswith("/apps/shop/forms/secret") for p in doc["paths"])
    base = "/apps/shop/forms/order/records"
    assert set(doc["paths"][base]) == {"get"}  # no create
    assert "margin" not in json.dumps(doc)
    assert base + "/bulk" not in doc["paths"]


async def test_unknown_apps_and_anonymous_callers(app, admin) -> None:
    import httpx

    assert (await admin.get("/api/v1/apps/nope/openapi.json")).json()["code"] == "unknown_app"
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as nobody:
        assert (await nobody.get("/api/v1/apps/shop/openapi.json")).status_code == 401


def test_documented() -> None:
    assert "/apps/{app}/openapi.json" in (Path(__file__).parents[2] / "docs/api.md").read_text()

"""The region tree of the address cascader: one level per request, for members and for public
link holders; every code it offers is one an address field accepts."""

from __future__ import annotations

import httpx
import pytest

APP = {
    "format": "tessera.app/1", "key": "visits", "name": {"en": "Visits"},
    "forms": [{"key": "visit", "name": {"en": "Visit"}, "fields": [
        {"key": "name", "type": "text", "label": {"en": "Name"}},
        {"key": "where", "type": "address", "label": {"en": "Where"}}]}],
}


@pytest.fixture(scope="module", autouse=True)
async def visits_app(admin):  # type: ignore[no-untyped-def]
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


def anonymous(app) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("198.51.100.9", 1)),
                             base_url="http://tessera.test")


async def test_provinces_then_cities_then_districts(admin) -> None:
    top = await admin.get("/api/v1/regions")
    assert top.status_code == 200, top.text
    assert "max-age" in top.headers["cache-control"]
    provinces = top.json()["items"]
    assert len(provinces) == 34 and top.json()["parent"] is None
    guangdong = next(p for p in provinces if p["code"] == "44")
    assert guangdong == {"code": "44", "name": "广东省", "level": "province", "leaf": False}

    cities = (await admin.get("/api/v1/regions", params={"parent": "44"})).json()["items"]
    shenzhen = next(c for c in cities if c["code"] == "4403")
    assert shenzhen["name"] == "深圳市" and shenzhen["level"] == "city" and not shenzhen["leaf"]
    # 东莞 has no districts: the cascader stops there
    assert next(c for c in cities if c["code"] == "4419")["leaf"] is True

    districts = (await admin.get("/api/v1/regions", params={"parent": "4403"})).json()["items"]
    nanshan = next(d for d in districts if d["code"] == "440305")
    assert nanshan == {"code": "440305", "name": "南山区", "level": "district", "leaf": True}
    assert [d["code"] for d in districts] == sorted(d["code"] for d in districts)


async def test_municipality_districts_sit_under_the_province(admin) -> None:
    beijing = (await admin.get("/api/v1/regions", params={"parent": "11"})).json()["items"]
    assert beijing and all(d["level"] == "district" and d["leaf"] for d in beijing)
    assert "东城区" in {d["name"] for d in beijing}


async def test_a_chosen_path_saves_as_an_address(admin) -> None:
    created = await admin.post("/api/v1/apps/visits/forms/visit/records", json={"data": {
        "name": "HQ", "where": {"province": "44", "city": "4403", "district": "440305",
                                "detail": "科技园 1 号"}}})
    assert created.status_code == 201, created.text
    assert created.json()["where"]["text"] == "广东省深圳市南山区科技园 1 号"


async def test_unknown_parent_is_a_field_error(admin) -> None:
    response = await admin.get("/api/v1/regions", params={"parent": "99"})
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert body["code"] == "unknown_region" and body["errors"][0]["path"] == "parent"
    leaf = await admin.get("/api/v1/regions", params={"parent": "440305"})
    assert leaf.status_code == 200 and leaf.json()["items"] == []


async def test_anonymous_callers_need_a_usable_public_link(app, admin) -> None:
    async with anonymous(app) as visitor:
        assert (await visitor.get("/api/v1/regions")).status_code == 401
        missing = await visitor.get("/api/v1/public/tpl_nope/regions")
        assert missing.status_code == 404 and missing.json()["code"] == "link_not_found"

        link = (await admin.post("/api/v1/apps/visits/forms/visit/public-links",
                                 json={"owner": "admin@example.com"})).json()
        path = f"/api/v1/public/{link['token']}/regions"
        provinces = await visitor.get(path)
        assert provinces.status_code == 200 and len(provinces.json()["items"]) == 34
        cities = await visitor.get(path, params={"parent": "44"})
        assert "4403" in {c["code"] for c in cities.json()["items"]}

        await admin.patch(f"/api/v1/apps/visits/forms/visit/public-links/{link['id']}",
                          json={"enabled": False})
        gone = await visitor.get(path)
        assert gone.status_code == 410 and gone.json()["code"] == "link_disabled"

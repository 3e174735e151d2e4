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


ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}  # Chinese names are asked for; without it, English


def anonymous(app) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("198.51.100.9", 1)),
                             base_url="http://tessera.test")


async def test_provinces_then_cities_then_districts(admin) -> None:
    top = await admin.get("/api/v1/regions", headers=ZH)
    assert top.status_code == 200, top.text
    assert "max-age" in top.headers["cache-control"]
    provinces = top.json()["items"]
    assert len(provinces) == 34 and top.json()["parent"] is None
    guangdong = next(p for p in provinces if p["code"] == "44")
    assert guangdong == {"code": "44", "name": "广东省", "level": "province", "leaf": False}

    cities = (await admin.get("/api/v1/regions", params={"parent": "44"},
                             headers=ZH)).json()["items"]
    shenzhen = next(c for c in cities if c["code"] == "4403")
    assert shenzhen["name"] == "深圳市" and shenzhen["level"] == "city" and not shenzhen["leaf"]
    # 东莞 has no districts: the cascader stops there
    assert next(c for c in cities if c["code"] == "4419")["leaf"] is True

    districts = (await admin.get("/api/v1/regions", params={"parent": "4403"},
                                headers=ZH)).json()["items"]
    nanshan = next(d for d in districts if d["code"] == "440305")
    assert nanshan == {"code": "440305", "name": "南山区", "level": "district", "leaf": True}
    assert [d["code"] for d in districts] == sorted(d["code"] for d in districts)


async def test_municipality_districts_sit_under_the_province(admin) -> None:
    beijing = (await admin.get("/api/v1/regions", params={"parent": "11"},
                               headers=ZH)).json()["items"]
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


EN = {"Accept-Language": "en-GB,en;q=0.9"}


async def test_names_follow_the_callers_language(admin) -> None:
    top = await admin.get("/api/v1/regions", headers=EN)
    assert top.status_code == 200, top.text
    assert top.headers["content-language"] == "en"
    assert "Accept-Language" in top.headers["vary"]  # a browser keeps one copy per language
    guangdong = next(p for p in top.json()["items"] if p["code"] == "44")
    assert guangdong == {"code": "44", "name": "Guangdong", "level": "province", "leaf": False}
    cities = (await admin.get("/api/v1/regions", params={"parent": "44"}, headers=EN)).json()
    assert next(c for c in cities["items"] if c["code"] == "4403")["name"] == "Shenzhen"
    districts = (await admin.get("/api/v1/regions", params={"parent": "4403"},
                                 headers=EN)).json()["items"]
    assert next(d for d in districts if d["code"] == "440305")["name"] == "Nanshan District"

    chinese = await admin.get("/api/v1/regions", headers=ZH)
    assert chinese.headers["content-language"] == "zh-CN"
    assert next(p for p in chinese.json()["items"] if p["code"] == "44")["name"] == "广东省"

    # a script that names no language gets the API's default, English, like its problems
    plain = await admin.get("/api/v1/regions")
    assert plain.headers["content-language"] == "en"
    assert next(p for p in plain.json()["items"] if p["code"] == "44")["name"] == "Guangdong"


async def test_an_address_stores_the_same_whatever_the_language(admin) -> None:
    created = await admin.post("/api/v1/apps/visits/forms/visit/records", headers=EN, json={
        "data": {"name": "Branch", "where": {"province": "61", "city": "6101",
                                             "district": "610113"}}})
    assert created.status_code == 201, created.text
    assert created.json()["where"] == {"province": "61", "city": "6101", "district": "610113",
                                       "detail": None, "text": "陕西省西安市雁塔区"}


async def test_every_name_at_once(admin) -> None:
    english = await admin.get("/api/v1/regions/names", headers={**EN, "Accept-Encoding": "gzip"})
    assert english.status_code == 200, english.text
    assert english.headers["content-encoding"] == "gzip"  # httpx unpacks it
    assert "max-age" in english.headers["cache-control"]
    names = english.json()["names"]
    assert len(names) == 34 + 333 + 2845
    assert (names["44"], names["4403"], names["440305"]) == (
        "Guangdong", "Shenzhen", "Nanshan District")
    assert names["6101"] == "Xi'an" and names["15"] == "Inner Mongolia"

    chinese = (await admin.get("/api/v1/regions/names", headers=ZH)).json()["names"]
    assert chinese["440305"] == "南山区" and chinese.keys() == names.keys()


async def test_public_link_regions_in_english(app, admin) -> None:
    link = (await admin.post("/api/v1/apps/visits/forms/visit/public-links",
                             json={"owner": "admin@example.com"})).json()
    async with anonymous(app) as visitor:
        cities = await visitor.get(f"/api/v1/public/{link['token']}/regions",
                                   params={"parent": "34"}, headers=EN)
        assert cities.status_code == 200, cities.text
        assert {"3403": "Bengbu", "3415": "Lu'an"}.items() <= {
            c["code"]: c["name"] for c in cities.json()["items"]}.items()
        assert (await visitor.get("/api/v1/regions/names")).status_code == 401

"""Addresses in exports and printouts follow the language they are made in, through the HTTP
API on real Postgres: an English caller's csv / xlsx (inline and as a job) and printout name the
regions in English as the browser shows them ("Zhejiang / Hangzhou / Xihu District, 1 Main
St"), a Chinese caller's stay exactly as before, and an English export imports back to the
same addresses."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import openpyxl
import pytest

from tessera.config import Settings
from tests.integration.test_import_api import run_import, wait

FIELDS = [
    {"key": "title", "type": "text", "label": {"zh-CN": "名称", "en": "Name"}, "unique": True},
    {"key": "where", "type": "address", "label": {"zh-CN": "地址", "en": "Address"}},
    {"key": "stops", "type": "subform", "label": {"zh-CN": "站点", "en": "Stops"}, "fields": [
        {"key": "at", "type": "address", "label": {"zh-CN": "位置", "en": "Place"},
         "level": "province"}]},
]
APP = {
    "format": "tessera.app/1", "key": "geo", "name": {"zh-CN": "地区", "en": "Regions"},
    "forms": [{"key": "site", "name": {"zh-CN": "网点", "en": "Sites"}, "title_field": "title",
               "fields": FIELDS},
              {"key": "site_copy", "name": {"en": "Sites copy"}, "title_field": "title",
               "fields": FIELDS}],
}
BASE = "/api/v1/apps/geo/forms"
XIHU = {"province": "33", "city": "3301", "district": "330106", "detail": "1 Main St"}
DONGCHENG = {"province": "11", "city": None, "district": "110101", "detail": None}
YUNNAN = {"province": "53", "city": "5308", "district": "530827", "detail": "5 Road, Unit 2/3"}
RECORDS = {"HQ": {"where": XIHU, "stops": [{"at": DONGCHENG}, {"at": YUNNAN}]},
           "Depot": {"where": DONGCHENG}}
ENGLISH = {"HQ": "Zhejiang / Hangzhou / Xihu District, 1 Main St",
           "Depot": "Beijing / Dongcheng District"}
CHINESE = {"HQ": "浙江省/杭州市/西湖区/1 Main St", "Depot": "北京市/东城区"}
ENGLISH_STOPS = ["Beijing / Dongcheng District",
                 "Yunnan / Pu'er / Menglian Dai, Lahu and Va Autonomous County, 5 Road, Unit 2/3"]
CHINESE_STOPS = ["北京市/东城区", "云南省/普洱市/孟连傣族拉祜族佤族自治县/5 Road, Unit 2/3"]
CODES = ("province", "city", "district", "detail")


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


@pytest.fixture(scope="module", autouse=True)
async def geo_app(admin) -> None:
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    for title, data in RECORDS.items():
        r = await admin.post(f"{BASE}/site/records", json={"data": {"title": title, **data}})
        assert r.status_code == 201, r.text


async def _export(admin, fmt: str, locale: str, **params: str):
    """As the browser asks for it: the UI language as `locale` and as Accept-Language."""
    return await admin.get(f"{BASE}/site/export", params={"format": fmt, "locale": locale,
                                                          **params},
                           headers={"Accept-Language": locale})


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


@pytest.mark.parametrize(("locale", "header", "names", "stops"), [
    ("en", ["Name", "Address", "Stops.Place"], ENGLISH, ENGLISH_STOPS),
    ("zh-CN", ["名称", "地址", "站点.位置"], CHINESE, CHINESE_STOPS),
])
async def test_csv_addresses_in_the_export_language(admin, locale, header, names,
                                                    stops) -> None:
    response = await _export(admin, "csv", locale)
    assert response.status_code == 200, response.text
    rows = _csv_rows(response.content)
    assert rows[0] == header
    by_title = {r[0]: r for r in rows[1:] if r[0]}
    assert {title: r[1] for title, r in by_title.items()} == names
    hq = rows.index(by_title["HQ"])
    assert [rows[hq][2], rows[hq + 1][2]] == stops and rows[hq + 1][:2] == ["", ""]


@pytest.mark.parametrize(("locale", "names"), [("en", ENGLISH), ("zh-CN", CHINESE)])
async def test_xlsx_addresses_in_the_export_language(admin, locale, names) -> None:
    response = await _export(admin, "xlsx", locale)
    assert response.status_code == 200, response.text
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cells = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert cells == names


async def test_an_export_job_keeps_the_language_it_was_asked_in(admin) -> None:
    response = await _export(admin, "csv", "en", **{"async": "true"})
    assert response.status_code == 202, response.text
    job = await wait(admin, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    download = await admin.get(job["result"]["file"]["url"])
    rows = _csv_rows(download.content)
    assert {r[0]: r[1] for r in rows[1:] if r[0]} == ENGLISH


@pytest.mark.parametrize(("locale", "fmt"), [("en", "csv"), ("en", "xlsx"),
                                             ("zh-CN", "csv")])
async def test_an_export_imports_back_to_the_same_addresses(admin, locale, fmt) -> None:
    exported = await _export(admin, fmt, locale)
    assert exported.status_code == 200
    job = await run_import(admin, exported.content, f"sites.{fmt}", form=f"{BASE}/site_copy",
                           mode="upsert", key_field="title")
    assert job["status"] == "succeeded", job
    copied = {r["title"]: r for r in (await admin.get(
        f"{BASE}/site_copy/records", params={"limit": 100})).json()["items"]}
    for title, data in RECORDS.items():
        assert {k: copied[title]["where"][k] for k in CODES} == data["where"], title
        assert [{k: row["at"][k] for k in CODES} for row in copied[title].get("stops") or []] \
            == [row["at"] for row in data.get("stops", [])], title


@pytest.mark.parametrize(("locale", "address", "stop"), [
    ("en", "Zhejiang / Hangzhou / Xihu District, 1 Main St", "Beijing / Dongcheng District"),
    ("zh-CN", "浙江省杭州市西湖区1 Main St", "北京市东城区"),
])
async def test_a_printout_names_regions_in_its_language(admin, locale, address, stop) -> None:
    items = (await admin.get(f"{BASE}/site/records", params={"limit": 10})).json()["items"]
    hq = next(r for r in items if r["title"] == "HQ")
    response = await admin.get(f"{BASE}/site/records/{hq['_id']}/print",
                               params={"locale": locale}, headers={"Accept-Language": locale})
    assert response.status_code == 200, response.text
    page = response.text
    assert f"<td>{address}</td>" in page and f"<td>{stop}</td>" in page
    other = "浙江省" if locale == "en" else "Zhejiang"
    assert other not in page

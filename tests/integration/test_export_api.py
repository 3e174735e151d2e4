"""Export through the API on real Postgres: csv and xlsx content, only what the caller may see
(hidden fields, view scope), large sets as a job with a downloadable file, and the round trip
export -> import into a fresh form -> the same values (examples and a hypothesis property)."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import replace
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tessera.config import Settings
from tests.integration.members import member
from tests.integration.test_import_api import APP as IMPORT_APP
from tests.integration.test_import_api import run_import, wait

APP = copy.deepcopy(IMPORT_APP)
APP["key"] = "exp"
APP["roles"][0]["permissions"][0]["scope"] = "own"  # clerk: own records, secret hidden
OPTIONS = [{"value": v, "label": {"zh-CN": z, "en": v.title()}}
           for v, z in (("a", "甲"), ("b", "乙"), ("c", "丁"))]
PROBE_FIELDS = [
    {"key": "batch", "type": "text", "label": {"zh-CN": "批次"}},
    {"key": "name", "type": "text", "label": {"zh-CN": "名称"}},
    {"key": "n", "type": "number", "label": {"zh-CN": "数值"}},
    {"key": "day", "type": "date", "label": {"zh-CN": "日期"}},
    {"key": "at", "type": "datetime", "label": {"zh-CN": "时间"}},
    {"key": "ok", "type": "checkbox", "label": {"zh-CN": "通过"}},
    {"key": "pick", "type": "select", "label": {"zh-CN": "选项"}, "options": OPTIONS},
    {"key": "picks", "type": "multiselect", "label": {"zh-CN": "多选"},
     "options": [{"value": "a", "label": {"zh-CN": "甲"}}, {"value": "b"}, {"value": "c"}]},
]
APP["forms"] += [{"key": "probe", "name": {"en": "Probe"}, "fields": PROBE_FIELDS},
                 {"key": "probe2", "name": {"en": "Probe 2"}, "fields": PROBE_FIELDS}]
BASE = "/api/v1/apps/exp/forms"
COMPARED = ("title", "amount", "stage", "tags", "close_date", "signed_at", "won", "qty",
            "customer", "secret", "owner")


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


@pytest.fixture(scope="module", autouse=True)
async def exp_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    me = (await admin.get("/api/v1/me")).json()
    me = me.get("id") or me["user"]["id"]
    customers = {}
    for name in ("华为", "腾讯"):
        r = await admin.post(f"{BASE}/customer/records",
                             json={"data": {"name": name, "city": "深圳"}})
        customers[name] = r.json()["_id"]
    deals = [
        {"title": "E-1", "amount": "1234.56", "stage": "won", "tags": ["vip", "urgent"],
         "close_date": "2026-05-01", "signed_at": "2026-05-01T08:30:00+08:00", "won": True,
         "qty": "2.5", "customer": customers["华为"], "secret": "s1", "owner": me},
        {"title": "E-2, \"quoted\"", "amount": "0", "stage": "new", "won": False, "qty": 7,
         "customer": customers["腾讯"]},
        {"title": "E-3 中文", "tags": ["urgent"], "signed_at": "2026-12-31T23:59:59Z"},
        {"title": "=HYPERLINK(\"http://x\")", "amount": "-5"},
    ]
    for deal in deals:
        r = await admin.post(f"{BASE}/deal/records", json={"data": deal})
        assert r.status_code == 201, r.text


async def _records(client, form: str) -> dict[str, dict]:
    items = (await client.get(f"{BASE}/{form}/records", params={"limit": 1000})).json()["items"]
    return {r["title"]: r for r in items}


async def test_csv_export_is_what_people_read(admin) -> None:
    response = await admin.get(f"{BASE}/deal/export", params={"format": "csv",
                                                              "locale": "zh-CN"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["标题", "金额", "阶段", "标签", "成交日期", "签约时间", "已赢", "数量",
                       "客户", "编号", "内部备注", "负责人", "客户城市"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["金额"] == "1234.56" and first["阶段"] == "赢单"
    assert first["标签"] == "重要客户, 紧急" and first["签约时间"] == "2026-05-01 08:30:00"
    assert first["已赢"] == "是" and first["客户"] == "华为" and first["数量"] == "2.5"
    assert first["负责人"] == "Admin" and first["客户城市"] == "深圳"
    formula = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if "HYPERLINK" in r[0])
    assert formula["标题"].startswith("'=") and formula["金额"] == "-5"
    english = await admin.get(f"{BASE}/deal/export", params={"format": "csv", "locale": "en"})
    assert english.content.decode("utf-8-sig").splitlines()[0].startswith("Title,Amount,Stage")


@pytest.mark.parametrize(("params", "headers", "first"), [
    ({}, {}, "Title"),  # a script without the header: English, as its problems are
    ({}, {"Accept-Language": "en-US,en;q=0.9"}, "Title"),
    ({}, {"Accept-Language": "zh-CN"}, "标题"),
    ({}, {"Accept-Language": "en;q=0.5, zh-CN"}, "标题"),
    ({"locale": "zh-CN"}, {"Accept-Language": "en"}, "标题"),  # the parameter wins
    ({"locale": "en"}, {"Accept-Language": "zh-CN"}, "Title"),
    ({"locale": "en-US"}, {"Accept-Language": "zh-CN"}, "Title"),  # read as a language tag
    ({"locale": "zh"}, {}, "标题"),
    ({"locale": "fr"}, {"Accept-Language": "zh-CN"}, "标题"),  # neither: the caller's own
])
async def test_export_is_in_the_callers_language_unless_locale_names_one(
        admin, params, headers, first) -> None:
    response = await admin.get(f"{BASE}/deal/export", params={"format": "csv", **params},
                               headers=headers)
    assert response.status_code == 200, response.text
    assert response.content.decode("utf-8-sig").split(",", 1)[0] == first
    # a cache keeps one copy per language asked for, and says which one this is
    assert response.headers["Content-Language"] == ("zh-CN" if first == "标题" else "en")
    assert response.headers["Vary"] == "Accept-Language"


@pytest.mark.parametrize(("headers", "first"), [({}, "Title"),
                                                ({"Accept-Language": "zh-CN"}, "标题")])
async def test_an_export_job_keeps_the_language_of_its_request(app, admin, headers,
                                                               first) -> None:
    from sqlalchemy import select

    from tessera.db import tables as t

    response = await admin.get(f"{BASE}/deal/export", params={"format": "csv", "async": "true"},
                               headers=headers)
    assert response.status_code == 202, response.text
    job_id = response.json()["job_id"]
    async with app.state.engine.connect() as conn:  # resolved at the request, not left out
        payload = (await conn.execute(select(t.jobs.c.payload).where(
            t.jobs.c.id == uuid.UUID(job_id)))).scalar_one()
    assert payload["locale"] == ("zh-CN" if headers else "en")
    job = await wait(admin, job_id)
    assert job["status"] == "succeeded", job
    download = await admin.get(job["result"]["file"]["url"])  # the worker had no header
    assert download.content.decode("utf-8-sig").split(",", 1)[0] == first


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_then_import_into_a_fresh_form_gives_the_same_values(admin, fmt) -> None:
    exported = await admin.get(f"{BASE}/deal/export", params={"format": fmt})
    assert exported.status_code == 200
    form = f"deal2_{fmt}"
    definition = (await admin.get("/api/v1/apps/exp/draft")).json()
    definition["forms"].append({**copy.deepcopy(APP["forms"][1]), "key": form})
    draft = await admin.put("/api/v1/apps/exp/draft", json=definition)
    assert draft.status_code == 200, draft.text
    assert (await admin.post("/api/v1/apps/exp/publish")).status_code == 200
    job = await run_import(admin, exported.content, f"deal.{fmt}", form=f"{BASE}/{form}")
    assert job["status"] == "succeeded", job
    original, copied = await _records(admin, "deal"), await _records(admin, form)
    assert set(original) == set(copied)
    for title, record in original.items():
        assert {k: record.get(k) for k in COMPARED} == {k: copied[title].get(k)
                                                        for k in COMPARED}, title


async def test_xlsx_cells_are_typed(admin) -> None:
    response = await admin.get(f"{BASE}/deal/export", params={"format": "xlsx",
                                                              "sort": "title", "locale": "zh-CN"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0] == '=HYPERLINK("http://x")'  # text, not a formula
    first = next(dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] == "E-1")
    assert first["金额"] == Decimal("1234.56") or first["金额"] == 1234.56
    assert first["成交日期"] == dt.datetime(2026, 5, 1)  # Excel dates come back as datetimes
    assert first["签约时间"] == dt.datetime(2026, 5, 1, 8, 30)


async def test_only_what_the_caller_may_see(app, admin, settings) -> None:
    async with member(app, admin, settings, "exp-clerk@example.com",
                      {"exp": ["clerk"]}) as client:
        r = await client.post(f"{BASE}/deal/records",
                              json={"data": {"title": "mine"}})
        assert r.status_code == 201, r.text
        response = await client.get(f"{BASE}/deal/export", params={"format": "csv"},
                                    headers={"Accept-Language": "zh-CN"})
        assert response.status_code == 200, response.text
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "内部备注" not in rows[0] and "标题" in rows[0]
        assert [r[0] for r in rows[1:]] == ["mine"]  # scope "own"
        hidden_filter = await client.get(f"{BASE}/deal/export", params={
            "format": "csv", "filter": json.dumps({"==": [{"var": "secret"}, "x"]})})
        assert hidden_filter.status_code == 422
        assert (await client.get(f"{BASE}/customer/export")).status_code == 403


async def test_export_as_a_job_gives_a_file_to_download(admin, app, settings) -> None:
    response = await admin.get(f"{BASE}/deal/export", params={"format": "xlsx",
                                                              "async": "true"})
    assert response.status_code == 202, response.text
    job = await wait(admin, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["rows"] == len(await _records(admin, "deal"))
    download = await admin.get(job["result"]["file"]["url"])
    assert download.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(download.content)).active.max_row == \
        job["result"]["rows"] + 1
    async with member(app, admin, settings, "exp-other@example.com") as other:
        assert (await other.get(job["result"]["file"]["url"])).status_code == 404
    assert (await admin.get(f"{BASE}/deal/export", params={"format": "pdf"})).status_code == 422


texts = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"),
                              exclude_characters="\u2028\u2029\x85"), max_size=12).map(str.strip)
decimals = st.decimals(min_value=-10**9, max_value=10**9, places=4, allow_nan=False)
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 1, 1),
                       timezones=st.just(dt.UTC)).map(lambda d: d.replace(microsecond=0))
probe = st.fixed_dictionaries({}, optional={
    "name": texts, "n": decimals, "day": st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1)),
    "at": moments, "ok": st.booleans(), "pick": st.sampled_from(["a", "b", "c"]),
    "picks": st.lists(st.sampled_from(["a", "b", "c"]), unique=True)})


@hsettings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(probe, min_size=1, max_size=6), fmt=st.sampled_from(["csv", "xlsx"]))
async def test_property_values_survive_export_and_import(admin, rows, fmt) -> None:
    batch = uuid.uuid4().hex
    created = []
    for row in rows:
        data = {k: (str(v) if isinstance(v, Decimal) else v.isoformat()
                    if isinstance(v, dt.date) else v) for k, v in row.items()}
        r = await admin.post(f"{BASE}/probe/records", json={"data": {**data, "batch": batch}})
        assert r.status_code == 201, r.text
        created.append(r.json())
    flt = json.dumps({"==": [{"var": "batch"}, batch]})
    exported = await admin.get(f"{BASE}/probe/export", params={"format": fmt, "filter": flt})
    assert exported.status_code == 200
    job = await run_import(admin, exported.content, f"p.{fmt}", form=f"{BASE}/probe2")
    assert job["status"] == "succeeded", job
    back = (await admin.get(f"{BASE}/probe2/records", params={"filter": flt, "sort": "_id",
                                                              "limit": 100})).json()["items"]
    keys = [f["key"] for f in PROBE_FIELDS]
    assert [{k: r.get(k) for k in keys} for r in back] == \
        [{k: r.get(k) for k in keys} for r in created]


async def test_xlsx_past_the_sheet_row_limit_goes_on_in_another_sheet(admin,
                                                                      monkeypatch) -> None:
    import tessera.imports.export as export

    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 3)  # header + 2 records per sheet
    response = await admin.get(f"{BASE}/deal/export", params={"format": "xlsx",
                                                              "locale": "zh-CN"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    total = len(await _records(admin, "deal"))
    assert len(book.worksheets) == (total + 1) // 2
    assert all(ws.cell(1, 1).value == "标题" for ws in book.worksheets)
    assert sum(ws.max_row - 1 for ws in book.worksheets) == total

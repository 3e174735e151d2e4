"""Import through the API and the job worker on real Postgres: xlsx and csv (UTF-8 with BOM,
GBK), automatic mapping by Chinese label and by key, preview with per-cell errors,
all-or-nothing vs good rows (with the error report xlsx), upsert and update-only by a unique
field, relations by title, serials, permissions, and bad files answered without a 500."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import json
import uuid
from dataclasses import replace

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from tessera.config import Settings
from tests.integration.members import member, sql

CHOICES = {"options": [{"value": "new", "label": {"zh-CN": "新建", "en": "New"}},
                       {"value": "won", "label": {"zh-CN": "赢单", "en": "Won"}},
                       {"value": "lost", "label": {"zh-CN": "输单", "en": "Lost"}}]}
TAGS = {"options": [{"value": "vip", "label": {"zh-CN": "重要客户", "en": "VIP"}},
                    {"value": "urgent", "label": {"zh-CN": "紧急", "en": "Urgent"}}]}


def deal_fields() -> list[dict]:
    return [
        {"key": "title", "type": "text", "label": {"zh-CN": "标题", "en": "Title"},
         "required": True, "unique": True},
        {"key": "amount", "type": "money", "label": {"zh-CN": "金额", "en": "Amount"}},
        {"key": "stage", "type": "select", "label": {"zh-CN": "阶段", "en": "Stage"}, **CHOICES},
        {"key": "tags", "type": "multiselect", "label": {"zh-CN": "标签", "en": "Tags"}, **TAGS},
        {"key": "close_date", "type": "date", "label": {"zh-CN": "成交日期", "en": "Close date"}},
        {"key": "signed_at", "type": "datetime", "label": {"zh-CN": "签约时间", "en": "Signed"}},
        {"key": "won", "type": "checkbox", "label": {"zh-CN": "已赢", "en": "Won"}},
        {"key": "qty", "type": "number", "label": {"zh-CN": "数量", "en": "Quantity"}},
        {"key": "customer", "type": "relation", "target": "customer",
         "label": {"zh-CN": "客户", "en": "Customer"}},
        {"key": "no", "type": "serial", "pattern": "D-{seq:4}",
         "label": {"zh-CN": "编号", "en": "No."}},
        {"key": "secret", "type": "text", "label": {"zh-CN": "内部备注", "en": "Secret"}},
        {"key": "owner", "type": "member", "label": {"zh-CN": "负责人", "en": "Owner"}},
        {"key": "city", "type": "lookup", "relation": "customer", "field": "city",
         "label": {"zh-CN": "客户城市", "en": "City"}},
    ]


APP = {
    "format": "tessera.app/1", "key": "imp", "name": {"zh-CN": "导入", "en": "Import"},
    "forms": [
        {"key": "customer", "name": {"zh-CN": "客户", "en": "Customer"}, "title_field": "name",
         "fields": [{"key": "name", "type": "text", "label": {"zh-CN": "客户名称"},
                     "required": True},
                    {"key": "city", "type": "text", "label": {"zh-CN": "城市"}}]},
        {"key": "deal", "name": {"zh-CN": "商机", "en": "Deal"}, "title_field": "title",
         "fields": deal_fields()},
        {"key": "deal2", "name": {"zh-CN": "商机副本", "en": "Deal copy"},
         "title_field": "title", "fields": deal_fields()},
    ],
    "roles": [
        {"key": "clerk", "name": {"en": "Clerk"}, "permissions": [
            {"form": "deal", "actions": ["view", "create", "export"], "scope": "all",
             "fields": {"hidden": ["secret"], "readonly": []}},
            {"form": "customer", "actions": ["view"], "scope": "all"}]},
        {"key": "importer", "name": {"en": "Importer"}, "permissions": [
            {"form": "deal", "actions": ["view", "create", "import"], "scope": "all",
             "fields": {"hidden": ["secret"], "readonly": ["amount"]}},
            {"form": "customer", "actions": ["view"], "scope": "all"}]},
    ],
}
FORM = "/api/v1/apps/imp/forms/deal"


@pytest.fixture(scope="module")
def settings(settings: Settings) -> Settings:
    return replace(settings, in_process_worker=True)


@pytest.fixture(scope="module", autouse=True)
async def imp_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text
    for name, city in [("华为", "深圳"), ("阿里巴巴", "杭州"), ("腾讯", "深圳")]:
        r = await admin.post("/api/v1/apps/imp/forms/customer/records",
                             json={"data": {"name": name, "city": city}})
        assert r.status_code == 201, r.text
    # two customers with one name: a title that names neither uniquely
    for _ in range(2):
        r = await admin.post("/api/v1/apps/imp/forms/customer/records",
                             json={"data": {"name": "小米", "city": "北京"}})
        assert r.status_code == 201


def xlsx(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


async def wait(client, job_id: str) -> dict:
    job: dict = {}
    for _ in range(400):
        job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job did not finish: {job}")


async def run_import(client, content: bytes, name: str, form: str = FORM, **fields) -> dict:
    data = {k: (json.dumps(v) if isinstance(v, dict) else str(v).lower()
                if isinstance(v, bool) else str(v)) for k, v in fields.items()}
    response = await client.post(form + "/import", files={"file": (name, content)}, data=data)
    assert response.status_code == 202, response.text
    return await wait(client, response.json()["job_id"])


async def records(client, form: str = FORM) -> dict[str, dict]:
    items = (await client.get(form + "/records", params={"limit": 1000})).json()["items"]
    return {r["title"]: r for r in items}


async def test_xlsx_maps_chinese_labels_and_converts_cells(admin) -> None:
    content = xlsx([
        ["标题", "金额", "阶段", "标签", "成交日期", "签约时间", "已赢", "数量", "客户", "备注列"],
        ["X-1", 1234.5, "赢单", "重要客户，紧急", dt.date(2026, 3, 1),
         dt.datetime(2026, 3, 1, 9, 30), "是", 3, "华为", "ignored"],
        ["X-2", "¥1,200.00", "new", "vip", "2026/3/2", "2026-03-02 10:00", "否", None, None, None],
    ])
    job = await run_import(admin, content, "deals.xlsx")
    assert job["status"] == "succeeded", job
    assert job["result"]["inserted"] == 2 and job["result"]["error_report"] is None
    got = await records(admin)
    one, two = got["X-1"], got["X-2"]
    assert one["amount"] == 1234.5 and one["stage"] == "won"
    assert one["tags"] == ["vip", "urgent"] and one["close_date"] == "2026-03-01"
    assert one["signed_at"] == "2026-03-01T01:30:00Z"  # read in Asia/Shanghai
    assert one["won"] is True and one["qty"] == 3
    customers = (await admin.get("/api/v1/apps/imp/forms/customer/records",
                                 params={"limit": 100})).json()["items"]
    assert one["customer"] == next(c["_id"] for c in customers if c["name"] == "华为")
    assert two["amount"] == 1200 and two["close_date"] == "2026-03-02" and two["won"] is False
    assert one["no"].startswith("D-") and two["no"].startswith("D-") and one["no"] != two["no"]
    history = (await admin.get(f"{FORM}/records/{one['_id']}/history")).json()["items"]
    assert [h["action"] for h in history] == ["import"]


async def test_csv_utf8_bom_by_key(admin) -> None:
    content = csv_bytes([["title", "amount", "stage", "won", "owner"],
                         ["C-1", "10.5", "lost", "true", "ADMIN@example.com"],
                         ["C-2", "7", "赢单", "0", "Admin"]], "utf-8-sig")
    preview = await admin.post(FORM + "/import/preview", files={"file": ("d.csv", content)})
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["encoding"] == "utf-8-sig" and body["format"] == "csv"
    assert [(c["header"], c["field"], c["matched_by"]) for c in body["columns"]] == [
        ("title", "title", "key"), ("amount", "amount", "key"), ("stage", "stage", "key"),
        ("won", "won", "key"), ("owner", "owner", "key")]
    job = await run_import(admin, content, "d.csv")
    assert job["status"] == "succeeded" and job["result"]["inserted"] == 2, job
    got = await records(admin)
    assert got["C-1"]["stage"] == "lost" and got["C-2"]["stage"] == "won"
    me = (await admin.get("/api/v1/me")).json()
    me_id = me.get("id") or me.get("user", {}).get("id")
    assert got["C-1"]["owner"] == got["C-2"]["owner"] == me_id
    assert got["C-1"]["won"] is True and got["C-2"]["won"] is False


async def test_csv_gbk_from_chinese_excel(admin) -> None:
    content = csv_bytes([["标题", "阶段", "客户"], ["G-中文一", "新建", "阿里巴巴"],
                         ["G-中文二", "输单", "腾讯"]], "gbk")
    preview = (await admin.post(FORM + "/import/preview",
                                files={"file": ("g.csv", content)})).json()
    assert preview["encoding"] == "gb18030"
    assert [r["errors"] for r in preview["rows"]] == [[], []]
    assert preview["rows"][0]["cells"]["标题"] == "G-中文一"
    job = await run_import(admin, content, "g.csv")
    assert job["status"] == "succeeded", job
    got = await records(admin)
    assert got["G-中文一"]["stage"] == "new" and got["G-中文二"]["stage"] == "lost"


async def test_preview_reports_each_bad_cell_and_writes_nothing(admin) -> None:
    before = len(await records(admin))
    content = xlsx([["标题", "金额", "阶段", "成交日期", "客户", "已赢"],
                    ["P-1", "lots", "maybe", "2026-02-30", "无此客户", "也许"],
                    [None, 5, "new", None, "小米", None],
                    ["P-3", 1, "new", "2026-01-01", "腾讯", "yes"]])
    response = await admin.post(FORM + "/import/preview", files={"file": ("p.xlsx", content)})
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert [r["row"] for r in rows] == [2, 3, 4]
    first = {e["column"]: e["code"] for e in rows[0]["errors"]}
    assert first == {"金额": "invalid_number", "阶段": "not_in_options",
                     "成交日期": "invalid_date", "客户": "unknown_record",
                     "已赢": "invalid_boolean"}
    second = {e["column"]: e["code"] for e in rows[1]["errors"]}
    assert second == {"标题": "required", "客户": "ambiguous_reference"}
    assert rows[2]["errors"] == [] and rows[2]["values"]["stage"] == "new"
    assert len(await records(admin)) == before


async def test_all_or_nothing_with_a_bad_row_writes_nothing(admin) -> None:
    before = await records(admin)
    content = xlsx([["标题", "金额"], ["A-1", 1], ["A-2", "bad"], ["A-3", 3], ["X-1", 4]])
    job = await run_import(admin, content, "a.xlsx", atomic=True)
    assert job["status"] == "failed", job
    details = job["error"]["details"]
    assert details["code"] == "import_rejected" and details["inserted"] == 0
    assert {(e["row"], e["column"], e["code"]) for e in details["errors"]} == {
        (3, "金额", "invalid_number"), (5, "标题", "duplicate_value")}
    assert await records(admin) == before
    report = await admin.get(details["error_report"]["url"])
    assert report.status_code == 200


@pytest.mark.parametrize(("fields", "headers", "message"), [
    ({}, {}, "No record titled 'Nobody Ltd'"),  # a script without the header: English
    ({}, {"Accept-Language": "en"}, "No record titled 'Nobody Ltd'"),
    ({}, {"Accept-Language": "zh-CN"}, "找不到标题为“Nobody Ltd”的记录"),
    ({"locale": "zh-CN"}, {"Accept-Language": "en"}, "找不到标题为“Nobody Ltd”的记录"),
    ({"locale": "en"}, {"Accept-Language": "zh-CN"}, "No record titled 'Nobody Ltd'"),
])
async def test_import_messages_are_in_the_callers_language_unless_locale_names_one(
        admin, fields, headers, message) -> None:
    content = xlsx([["标题", "客户"], ["L-1", "Nobody Ltd"]])
    upload = {"file": ("l.xlsx", content)}
    preview = await admin.post(FORM + "/import/preview", files=upload, data=fields,
                               headers=headers)
    assert preview.status_code == 200, preview.text
    assert [e["message"] for e in preview.json()["rows"][0]["errors"]] == [message]
    started = await admin.post(FORM + "/import", files=upload, data=fields, headers=headers)
    assert started.status_code == 202, started.text
    job = await wait(admin, started.json()["job_id"])  # the worker has no request to ask
    assert job["status"] == "failed", job
    details = job["error"]["details"]
    assert [e["message"] for e in details["errors"]] == [message]
    report = await admin.get(details["error_report"]["url"])
    errors = list(openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0]
                  .iter_rows(values_only=True))
    assert [(r[1], r[3], r[4]) for r in errors[1:]] == [("客户", message, "unknown_record")]


async def test_good_rows_mode_writes_exactly_the_good_rows_and_reports_the_rest(admin) -> None:
    content = csv_bytes([["标题", "金额", "数量"], ["B-1", "1", "1"], ["B-2", "x", "2"],
                         ["B-3", "3", "3"], ["B-1", "4", "4"], ["=cmd()", "5", "y"]], "utf-8")
    job = await run_import(admin, content, "b.csv", atomic=False)
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert result["inserted"] == 2 and result["failed_rows"] == 3 and result["rows"] == 5
    got = await records(admin)
    assert got["B-1"]["amount"] == 1 and got["B-3"]["qty"] == 3
    assert "B-2" not in got and "=cmd()" not in got
    report = await admin.get(result["error_report"]["url"])
    assert report.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(report.content))
    errors = list(book.worksheets[0].iter_rows(values_only=True))
    assert errors[0][0] == "行号 Row"
    assert {(r[0], r[1], r[4]) for r in errors[1:]} == {
        (3, "金额", "invalid_number"), (5, "标题", "duplicate_in_file"),
        (6, "数量", "invalid_number")}
    bad_rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert bad_rows[0][:3] == ("标题", "金额", "数量")
    assert [r[0] for r in bad_rows[1:]] == ["B-2", "B-1", "=cmd()"]  # text, not a formula


async def test_upsert_by_a_unique_field(admin) -> None:
    content = xlsx([["标题", "数量", "阶段"], ["C-1", 99, None], ["U-new", 5, "won"]])
    job = await run_import(admin, content, "u.xlsx", mode="upsert", key_field="title")
    assert job["status"] == "succeeded", job
    assert job["result"]["inserted"] == 1 and job["result"]["updated"] == 1
    got = await records(admin)
    assert got["C-1"]["qty"] == 99 and got["C-1"]["stage"] == "lost"  # empty cell keeps
    assert got["C-1"]["_version"] == 2 and got["U-new"]["stage"] == "won"
    history = (await admin.get(f"{FORM}/records/{got['C-1']['_id']}/history")).json()["items"]
    assert history[0]["action"] == "import"
    assert history[0]["changes"] == {"qty": {"old": None, "new": 99}}


async def test_update_only_reports_unknown_keys(admin) -> None:
    content = csv_bytes([["title", "qty"], ["C-2", "11"], ["nobody", "1"], ["C-2", "12"]],
                        "utf-8")
    job = await run_import(admin, content, "up.csv", mode="update", key_field="title",
                           atomic=False)
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert result["updated"] == 1 and result["inserted"] == 0
    assert {(e["row"], e["code"]) for e in result["errors"]} == {
        (3, "record_not_found"), (4, "duplicate_key_in_file")}
    got = await records(admin)
    assert got["C-2"]["qty"] == 11 and "nobody" not in got


async def test_mapping_override_and_bad_requests_are_problems_not_500s(admin) -> None:
    content = csv_bytes([["名字", "钱"], ["M-1", "8"]], "utf-8")
    job = await run_import(admin, content, "m.csv", mapping={"名字": "title", "1": "amount"})
    assert job["status"] == "succeeded", job
    assert (await records(admin))["M-1"]["amount"] == 8
    cases = [
        ({"file": ("x.xlsx", b"PK\x03\x04 not a zip")}, {}, "unreadable_file"),
        ({"file": ("e.csv", b"")}, {}, "empty_file"),
        ({"file": ("m.csv", content)}, {"mapping": "{"}, "invalid_mapping"),
        ({"file": ("m.csv", content)}, {"mapping": json.dumps({"钱": "no"})}, "invalid_mapping"),
        ({"file": ("m.csv", content)}, {"mode": "upsert"}, "key_field_required"),
        ({"file": ("m.csv", content)}, {"mode": "update", "key_field": "qty"},
         "key_field_not_unique"),
        ({"file": ("bin.csv", bytes(range(256)) * 4)}, {}, "unknown_encoding"),
    ]
    for files, data, code in cases:
        for path in ("/import", "/import/preview"):
            response = await admin.post(FORM + path, files=files, data=data)
            assert response.status_code == 422, (code, response.text)
            assert response.json()["code"] == code


async def test_permissions_hidden_and_readonly_fields_are_not_importable(app, admin,
                                                                         settings) -> None:
    async with member(app, admin, settings, "importer@example.com",
                      {"imp": ["importer"]}) as client:
        content = csv_bytes([["标题", "金额", "内部备注", "数量"], ["R-1", "5", "s", "2"]],
                            "utf-8")
        preview = (await client.post(FORM + "/import/preview",
                                     files={"file": ("r.csv", content)})).json()
        assert {c["header"]: c["field"] for c in preview["columns"]} == {
            "标题": "title", "金额": None, "内部备注": None, "数量": "qty"}
        refused = await client.post(FORM + "/import", files={"file": ("r.csv", content)},
                                    data={"mapping": json.dumps({"金额": "amount"})})
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_mapping"
        job = await run_import(client, content, "r.csv")
        assert job["status"] == "succeeded", job
    got = (await records(admin))["R-1"]
    assert got["qty"] == 2 and got["amount"] is None and got["secret"] is None
    async with member(app, admin, settings, "clerk@example.com", {"imp": ["clerk"]}) as client:
        forbidden = await client.post(FORM + "/import", files={"file": ("r.csv", content)})
        assert forbidden.status_code == 403 and forbidden.json()["code"] == "permission_denied"
    rows = sql(settings, "select count(*) from job_artifacts where name = 'upload'")
    assert rows[0][0] >= 1


async def test_a_retried_good_rows_import_writes_nothing_twice(admin, app, settings,
                                                             monkeypatch) -> None:
    import tessera.imports.jobs as import_jobs
    from tessera.jobs import JobContext

    monkeypatch.setattr(import_jobs, "BATCH", 5)
    content = csv_bytes([["标题", "数量"]] + [[f"R2-{i}", str(i)] for i in range(12)]
                        + [["R2-0", "x"]], "utf-8")
    job = await run_import(admin, content, "r2.csv", atomic=False)
    assert job["status"] == "succeeded" and job["result"]["inserted"] == 12, job
    # as if the worker died before the last batch (rows 12-14) committed
    sql(settings, "delete from job_artifacts where job_id = %s and name = 'import-part-000002'",
        (job["id"],))
    sql(settings, "delete from record_history where record_id in (select _id from "
        "t_main.imp__deal where title in ('R2-10', 'R2-11'))")
    sql(settings, "delete from t_main.imp__deal where title in ('R2-10', 'R2-11')")
    (tenant_id, created_by, payload), = sql(
        settings, "select tenant_id, created_by, payload from jobs where id = %s", (job["id"],))
    ctx = JobContext(job_id=uuid.UUID(job["id"]), tenant_id=tenant_id, kind="records.import",
                     attempt=2, engine=app.state.engine, settings=settings,
                     created_by=created_by)
    again = await import_jobs.run_import(ctx, payload)
    assert again["inserted"] == 12 and again["rows"] == 13 and again["failed_rows"] == 1
    assert [(e["row"], e["code"]) for e in again["errors"]] == [(14, "invalid_number")]
    titles = [t for t in await records(admin) if t.startswith("R2-")]
    assert sorted(titles) == sorted(f"R2-{i}" for i in range(12))


@hsettings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(content=st.one_of(
    st.binary(max_size=300),
    st.lists(st.lists(st.text(max_size=8), max_size=5), max_size=5).map(
        lambda rows: csv_bytes([["标题", "金额", "成交日期", "客户"], *rows], "utf-8"))),
    name=st.sampled_from(["f.csv", "f.xlsx", "f.xls", "f"]))
async def test_any_upload_is_answered_with_a_preview_or_a_problem(admin, content, name) -> None:
    response = await admin.post(FORM + "/import/preview", files={"file": (name, content)})
    assert response.status_code in (200, 422), response.text


async def test_an_imported_record_can_be_restored_to_its_imported_version(admin) -> None:
    content = csv_bytes([["标题", "数量", "阶段"], ["V-1", "5", "赢单"]], "utf-8")
    job = await run_import(admin, content, "v.csv")
    assert job["status"] == "succeeded", job
    record = (await records(admin))["V-1"]
    url = f"{FORM}/records/{record['_id']}"
    changed = await admin.patch(url, json={"data": {"qty": 6, "stage": "lost"}, "_version": 1})
    assert changed.status_code == 200, changed.text
    restored = await admin.post(f"{url}/history/1/restore", json={"_version": 2})
    assert restored.status_code == 200, restored.text
    assert restored.json()["qty"] == 5 and restored.json()["stage"] == "won"


async def test_child_rows_the_engine_derives_are_written(admin) -> None:
    """A multiple relation is not imported, but its default links are made for new records."""
    customers = (await admin.get("/api/v1/apps/imp/forms/customer/records",
                                 params={"limit": 100})).json()["items"]
    huawei = next(c["_id"] for c in customers if c["name"] == "华为")
    draft = (await admin.get("/api/v1/apps/imp/draft")).json()
    deal = next(f for f in draft["forms"] if f["key"] == "deal")
    deal["fields"].append({"key": "partners", "type": "relation", "target": "customer",
                           "multiple": True, "default": [huawei],
                           "label": {"zh-CN": "合作方"}})
    assert (await admin.put("/api/v1/apps/imp/draft", json=draft)).status_code == 200
    published = await admin.post("/api/v1/apps/imp/publish")
    assert published.status_code == 200, published.text
    job = await run_import(admin, csv_bytes([["标题"], ["L-1"], ["L-2"]], "utf-8"), "l.csv")
    assert job["status"] == "succeeded", job
    got = await records(admin)
    assert got["L-1"]["partners"] == got["L-2"]["partners"] == [huawei]


async def test_nul_characters_in_cells_are_row_errors(admin) -> None:
    content = csv_bytes([["标题", "客户", "数量"], ["N\x00-1", "华\x00为", "1"],
                         ["N-2", "腾讯", "2"]], "utf-8")
    job = await run_import(admin, content, "n\x00.csv", atomic=False)
    assert job["status"] == "succeeded", job
    assert job["result"]["inserted"] == 1
    assert {(e["row"], e["code"]) for e in job["result"]["errors"]} == {
        (2, "invalid_text"), (2, "unknown_record")}
    report = await admin.get(job["result"]["error_report"]["url"])
    assert report.status_code == 200


@hsettings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(st.lists(st.text(max_size=6), min_size=4, max_size=4), max_size=4),
       atomic=st.booleans())
async def test_any_file_ends_its_job_as_succeeded_or_a_reasoned_failure(admin, rows,
                                                                        atomic) -> None:
    content = csv_bytes([["标题", "金额", "客户", "负责人"], *rows], "utf-8")
    response = await admin.post(FORM + "/import", files={"file": ("f.csv", content)},
                                data={"atomic": str(atomic).lower()})
    assert response.status_code in (202, 422), response.text
    if response.status_code == 202:
        job = await wait(admin, response.json()["job_id"])
        assert job["status"] == "succeeded" or job["error"]["type"] == "JobFailed", job


# ---- sub-forms, multiple relations, addresses, files -------------------------------------------

def order_fields() -> list[dict]:
    return [
        {"key": "no", "type": "text", "label": {"zh-CN": "单号", "en": "Order no."},
         "required": True, "unique": True},
        {"key": "addr", "type": "address", "label": {"zh-CN": "地址", "en": "Address"}},
        {"key": "parts", "type": "relation", "target": "part", "multiple": True,
         "label": {"zh-CN": "产品", "en": "Parts"}},
        {"key": "items", "type": "subform", "label": {"zh-CN": "明细", "en": "Items"},
         "fields": [
             {"key": "part", "type": "relation", "target": "part",
              "label": {"zh-CN": "产品", "en": "Part"}},
             {"key": "qty", "type": "number", "label": {"zh-CN": "数量", "en": "Qty"},
              "required": True},
             {"key": "price", "type": "money", "label": {"zh-CN": "单价", "en": "Price"}},
             {"key": "scan", "type": "attachment", "label": {"zh-CN": "扫描件", "en": "Scan"}}]},
        {"key": "total", "type": "formula", "formula": "SUM(items.qty)", "result_type": "number",
         "label": {"zh-CN": "总数", "en": "Total"}},
        {"key": "papers", "type": "attachment", "label": {"zh-CN": "附件", "en": "Papers"}},
        {"key": "geo", "type": "location", "label": {"zh-CN": "位置", "en": "Location"}},
    ]


ORDERS = {
    "format": "tessera.app/1", "key": "ord", "name": {"zh-CN": "订单", "en": "Orders"},
    "forms": [
        {"key": "part", "name": {"zh-CN": "产品"}, "title_field": "name",
         "fields": [{"key": "name", "type": "text", "label": {"zh-CN": "名称"}}]},
        {"key": "order", "name": {"zh-CN": "订单"}, "title_field": "no",
         "fields": order_fields()},
        {"key": "order2", "name": {"zh-CN": "订单副本"}, "title_field": "no",
         "fields": order_fields()},
    ],
}
ORDER = "/api/v1/apps/ord/forms/order"
HEADER = ["单号", "地址", "产品", "明细.产品", "明细.数量", "明细.单价"]


async def orders(client, form: str) -> dict[str, dict]:
    items = (await client.get(form + "/records", params={"limit": 1000})).json()["items"]
    return {r["no"]: r for r in items}


@pytest.fixture(scope="module")
async def parts(admin) -> dict[str, str]:
    response = await admin.post("/api/v1/apps", json=ORDERS)
    assert response.status_code == 201, response.text
    ids = {}
    for name in ["螺丝", "螺母", "垫片", "扳手", "扳手"]:
        r = await admin.post("/api/v1/apps/ord/forms/part/records", json={"data": {"name": name}})
        assert r.status_code == 201, r.text
        ids[name] = r.json()["_id"]
    return ids


async def test_subform_rows_continue_a_record_on_empty_or_repeated_main_cells(admin,
                                                                              parts) -> None:
    content = xlsx([
        HEADER,
        ["O-1", "浙江省杭州市西湖区 文三路 90 号", "螺丝；螺母", "螺丝", 2, 1.5],
        [None, None, None, "螺母", 3, 0.5],
        ["O-2", "北京市/东城区/王府井1号", "螺丝、垫片\n螺母", "螺丝", 1, 1],
        ["O-2", None, None, "垫片", 4, None],  # the key repeated: the same record
        ["O-3", "广东省深圳市南山区", None, None, None, None],
    ])
    preview = (await admin.post(ORDER + "/import/preview",
                                files={"file": ("o.xlsx", content)})).json()
    assert [c["field"] for c in preview["columns"]] == [
        "no", "addr", "parts", "items.part", "items.qty", "items.price"]
    assert preview["columns"][3]["subform"] == "items"
    assert "items.qty" in {f["key"] for f in preview["fields"]}
    assert [(r["row"], r["file_rows"], r["errors"]) for r in preview["rows"]] == [
        (2, [2, 3], []), (4, [4, 5], []), (6, [6], [])]
    first = preview["rows"][0]["values"]
    assert [(i["part"], i["qty"]) for i in first["items"]] == [
        (parts["螺丝"], 2), (parts["螺母"], 3)]
    job = await run_import(admin, content, "o.xlsx", form=ORDER)
    assert job["status"] == "succeeded", job
    assert job["result"]["inserted"] == 3 and job["result"]["rows"] == 5
    got = await orders(admin, ORDER)
    one, two, three = (got[k] for k in ("O-1", "O-2", "O-3"))
    assert one["addr"] == {"province": "33", "city": "3301", "district": "330106",
                           "detail": "文三路 90 号", "text": "浙江省杭州市西湖区文三路 90 号"}
    assert two["addr"]["district"] == "110101" and two["addr"]["detail"] == "王府井1号"
    assert three["addr"]["district"] == "440305" and three["items"] == []
    assert one["parts"] == [parts["螺丝"], parts["螺母"]]
    assert two["parts"] == [parts["螺丝"], parts["垫片"], parts["螺母"]]
    assert [(i["qty"], i["price"]) for i in one["items"]] == [(2, 1.5), (3, 0.5)]
    assert [i["part"] for i in two["items"]] == [parts["螺丝"], parts["垫片"]]
    assert one["total"] == 5 and two["total"] == 5
    history = (await admin.get(f"{ORDER}/records/{one['_id']}/history")).json()["items"]
    assert [h["action"] for h in history] == ["import"]


async def test_subform_and_reference_errors_name_their_file_row_and_column(admin,
                                                                          parts) -> None:
    content = xlsx([
        HEADER,
        ["E-1", "火星基地", "螺丝,榔头", "螺丝", 2, None],
        [None, None, None, "钉子", "很多", None],
        [None, None, None, "扳手", 1, None],
        ["E-2", "浙江省", None, None, None, None],
    ])
    preview = (await admin.post(ORDER + "/import/preview",
                                files={"file": ("e.xlsx", content)})).json()
    bad = preview["rows"][0]  # every file row's cells of a bad record, to show them all
    assert bad["file_rows"] == [2, 3, 4] and bad["errors"] and bad["row_cells"][0] == bad["cells"]
    assert [(c["明细.产品"], c["明细.数量"]) for c in bad["row_cells"]] == [
        ("螺丝", "2"), ("钉子", "很多"), ("扳手", "1")]
    assert preview["rows"][1]["row_cells"] == [preview["rows"][1]["cells"]]
    job = await run_import(admin, content, "e.xlsx", form=ORDER)
    assert job["status"] == "failed"
    details = job["error"]["details"]
    assert details["code"] == "import_rejected"
    found = {(e["row"], e["column"], e["code"], e["value"]) for e in details["errors"]}
    assert (2, "地址", "unknown_address", "火星基地") in found
    assert (2, "产品", "unknown_record", "螺丝,榔头") in found
    assert (3, "明细.产品", "unknown_record", "钉子") in found
    assert (3, "明细.数量", "invalid_number", "很多") in found
    assert (4, "明细.产品", "ambiguous_reference", "扳手") in found
    assert any(e["row"] == 5 and e["column"] == "地址" and e["code"] == "invalid_address"
               for e in details["errors"])
    by_path = {e["field"] for e in details["errors"]}
    assert {"items[1].part", "items[1].qty", "items[2].part"} <= by_path
    report = openpyxl.load_workbook(io.BytesIO((await admin.get(
        details["error_report"]["url"])).content))
    bad = [r[0] for r in report["数据 Rows"].iter_rows(min_row=2, values_only=True)]
    assert bad == ["E-1", None, None, "E-2"]  # every file row of a bad record, to fix there
    assert "E-1" not in await orders(admin, ORDER)


async def test_repeated_key_with_other_main_cells_is_a_conflict(admin, parts) -> None:
    content = xlsx([HEADER, ["K-1", None, None, "螺丝", 1, None],
                    ["K-1", "浙江省/杭州市/西湖区", None, "螺母", 1, None]])
    job = await run_import(admin, content, "k.xlsx", form=ORDER)
    assert job["status"] == "failed"
    errors = job["error"]["details"]["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (3, "地址", "conflicting_main_value")]


async def test_upsert_replaces_given_subform_rows_and_keeps_the_others(admin, parts) -> None:
    first = xlsx([HEADER, ["U-1", None, "螺丝", "螺丝", 1, None],
                  [None, None, None, "螺母", 2, None]])
    assert (await run_import(admin, first, "u.xlsx", form=ORDER))["status"] == "succeeded"
    replace_items = xlsx([HEADER, ["U-1", "浙江省杭州市西湖区", None, "垫片", 7, 2]])
    job = await run_import(admin, replace_items, "u.xlsx", form=ORDER, mode="upsert",
                           key_field="no")
    assert job["status"] == "succeeded" and job["result"]["updated"] == 1, job
    got = (await orders(admin, ORDER))["U-1"]
    assert [(i["part"], i["qty"]) for i in got["items"]] == [(parts["垫片"], 7)]
    assert got["total"] == 7 and got["parts"] == [parts["螺丝"]]  # parts not given: kept
    no_items = xlsx([["单号", "地址"], ["U-1", "浙江省/杭州市/滨江区"]])
    job = await run_import(admin, no_items, "u.xlsx", form=ORDER, mode="update",
                           key_field="no")
    assert job["status"] == "succeeded", job
    got = (await orders(admin, ORDER))["U-1"]
    assert got["addr"]["district"] == "330108" and len(got["items"]) == 1 and got["total"] == 7
    history = (await admin.get(f"{ORDER}/records/{got['_id']}/history")).json()["items"]
    assert "items" in history[-2]["changes"] or "items" in history[1]["changes"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_export_with_subforms_imports_back_to_the_same_records(admin, parts,
                                                                     fmt) -> None:
    content = xlsx([
        HEADER,
        [f"R-{fmt}-1", "浙江省杭州市西湖区文三路90号", "螺丝,螺母", "螺丝", 2, 1.5],
        [None, None, None, "螺母", 3, None],
        [None, None, None, None, 4, 0.25],
        [f"R-{fmt}-2", "上海市/浦东新区/张江路/1号", None, None, None, None],
    ])
    assert (await run_import(admin, content, "r.xlsx", form=ORDER))["status"] == "succeeded"
    prefix = f"R-{fmt}-"
    flt = json.dumps({"starts_with": [{"var": "no"}, prefix]})
    exported = await admin.get(ORDER + "/export", params={"format": fmt, "filter": flt,
                                                          "locale": "zh-CN"})
    if exported.status_code == 422:  # no starts_with operator: filter by equality twice
        exported = await admin.get(ORDER + "/export", params={"format": fmt, "filter": json.dumps(
            {"in": [{"var": "no"}, [f"{prefix}1", f"{prefix}2"]]}), "locale": "zh-CN"})
    assert exported.status_code == 200, exported.text
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert rows[0] == ["单号", "地址", "产品", "明细.产品", "明细.数量", "明细.单价", "总数",
                           "位置"]
        assert rows[1][:6] == [f"{prefix}1", "浙江省/杭州市/西湖区/文三路90号", "螺丝, 螺母",
                               "螺丝", "2", "1.50"]
        assert rows[2][:4] == ["", "", "", "螺母"] and rows[3][3:6] == ["", "4", "0.25"]
        assert rows[4][:3] == [f"{prefix}2", "上海市/浦东新区/张江路/1号", ""]
    job = await run_import(admin, exported.content, f"r.{fmt}",
                           form="/api/v1/apps/ord/forms/order2")
    assert job["status"] == "succeeded", job
    assert job["result"]["inserted"] == 2
    source = await orders(admin, ORDER)
    copy = await orders(admin, "/api/v1/apps/ord/forms/order2")
    for key in (f"{prefix}1", f"{prefix}2"):
        a, b = source[key], copy[key]
        assert a["addr"] == b["addr"] and a["parts"] == b["parts"] and a["total"] == b["total"]
        assert [(i["part"], i["qty"], i["price"]) for i in a["items"]] == [
            (i["part"], i["qty"], i["price"]) for i in b["items"]]


async def test_file_columns_are_refused_by_name(admin, parts) -> None:
    content = xlsx([["单号", "附件", "明细.扫描件"], ["F-1", "a.pdf", "b.png"]])
    preview = (await admin.post(ORDER + "/import/preview",
                                files={"file": ("f.xlsx", content)})).json()
    notes = {c["header"]: (c["field"], c["note"]) for c in preview["columns"]}
    assert notes["附件"] == (None, "files_not_importable")
    assert notes["明细.扫描件"] == (None, "files_not_importable")
    refused = await admin.post(ORDER + "/import/preview", files={"file": ("f.xlsx", content)},
                               data={"mapping": json.dumps({"附件": "papers"})})
    assert refused.status_code == 422
    body = refused.json()
    assert body["code"] == "invalid_mapping"
    assert body["errors"][0]["path"] == "mapping.附件"
    assert body["errors"][0]["code"] == "files_not_importable"


def _leaf_divisions() -> list[str]:
    from engines.form.types.places import divisions, parents

    return sorted(d.code for d in divisions().values()
                  if d.level == "district" or (d.level == "city" and d.code not in parents()))


def _address(code: str, detail: str) -> dict:
    from engines.form.types.places import divisions

    value = {"province": None, "city": None, "district": None, "detail": detail or None}
    d = divisions()[code]
    while True:
        value[d.level] = d.code
        if d.parent is None:
            return value
        d = divisions()[d.parent]


UNIQUE_PARTS = ["螺丝", "螺母", "垫片"]
item = st.fixed_dictionaries(
    {"qty": st.integers(0, 10**6)},
    optional={"part": st.sampled_from(UNIQUE_PARTS),
              "price": st.decimals(0, 10**6, places=2, allow_nan=False)})
order = st.fixed_dictionaries(
    {"items": st.lists(item, max_size=4)},
    optional={"addr": st.builds(_address, st.sampled_from(_leaf_divisions()),
                                st.text(st.characters(categories=("Lo", "Nd")), max_size=8)),
              "parts": st.lists(st.sampled_from(UNIQUE_PARTS), unique=True, min_size=1),
              "geo": st.fixed_dictionaries({"lng": st.floats(-180, 180),
                                            "lat": st.floats(-90, 90)},
                                           optional={"address": st.text(
                                               st.characters(categories=("Lo",)),
                                               min_size=1, max_size=6)})})


@hsettings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(rows=st.lists(order, min_size=1, max_size=4), fmt=st.sampled_from(["csv", "xlsx"]))
async def test_property_subforms_relations_addresses_survive_export_and_import(
        admin, parts, rows, fmt) -> None:
    nos = []
    for row in rows:
        no = f"P-{uuid.uuid4().hex[:10]}"
        data = {"no": no, **{k: v for k, v in row.items() if k not in ("items", "parts")},
                "parts": [parts[p] for p in row.get("parts", [])],
                "items": [{**{k: str(v) if k == "price" else v for k, v in i.items()
                              if k != "part"},
                           **({"part": parts[i["part"]]} if "part" in i else {})}
                          for i in row["items"]]}
        created = await admin.post(ORDER + "/records", json={"data": data})
        assert created.status_code == 201, created.text
        nos.append(no)
    flt = json.dumps({"in": [{"var": "no"}, nos]})
    exported = await admin.get(ORDER + "/export", params={"format": fmt, "filter": flt})
    assert exported.status_code == 200, exported.text
    job = await run_import(admin, exported.content, f"p.{fmt}",
                           form="/api/v1/apps/ord/forms/order2")
    assert job["status"] == "succeeded", job
    source = await orders(admin, ORDER)
    copy = await orders(admin, "/api/v1/apps/ord/forms/order2")
    for no in nos:
        a, b = source[no], copy[no]
        assert (a["addr"], a["parts"], a["total"], a["geo"]) == \
            (b["addr"], b["parts"], b["total"], b["geo"])
        assert [{k: i.get(k) for k in ("part", "qty", "price")} for i in a["items"]] == \
            [{k: i.get(k) for k in ("part", "qty", "price")} for i in b["items"]]

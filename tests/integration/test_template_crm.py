"""The CRM template (templates_library/crm): its definition publishes to typed tables, its demo
data is valid input, and its relations, lookups, rollups, formulas, serials and validation rules
give the numbers and the refusals a sales team relies on.

The demo rows are created through the records API exactly as `tessera.templates.install_template`
creates them (in file order; a top-level `{"$ref": id}` becomes the id of the earlier row that
carried that `$id`), so every row is validated like user input.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tessera.templates import load_template
from tests.conftest import libpq_dsn

BASE = "/api/v1/apps/crm/forms"
SCHEMA = "t_main"  # the default tenant's schema of form tables

DEFINITION, DEMO = load_template("crm")
FORMS = {f["key"]: f for f in DEFINITION["forms"]}


def _fields(form_key: str) -> dict[str, dict[str, Any]]:
    return {f["key"]: f for f in FORMS[form_key]["fields"]}


def _resolve(row: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
    return {k: (refs[v["$ref"]] if isinstance(v, dict) and "$ref" in v else v)
            for k, v in row.items() if k != "$id"}


@pytest.fixture(scope="module")
async def crm(admin) -> dict[str, dict[str, Any]]:
    """Import and publish the template, create every demo row; records by `$id`."""
    response = await admin.post("/api/v1/apps", json=copy.deepcopy(DEFINITION))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "published"
    refs: dict[str, str] = {}
    records: dict[str, dict[str, Any]] = {}
    for form_key, rows in copy.deepcopy(DEMO).items():
        for i, row in enumerate(rows):
            created = await admin.post(f"{BASE}/{form_key}/records",
                                       json={"data": _resolve(row, refs)})
            assert created.status_code == 201, f"{form_key}[{i}]: {created.text}"
            record = created.json()
            if "$id" in row:
                refs[row["$id"]] = record["_id"]
                records[row["$id"]] = record
    return records


async def _get(admin, form_key: str, record_id: str) -> dict[str, Any]:
    response = await admin.get(f"{BASE}/{form_key}/records/{record_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def _all(admin, form_key: str) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        params = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        page = (await admin.get(f"{BASE}/{form_key}/records", params=params)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _problems(response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    return {e["path"]: e["code"] for e in response.json()["errors"]}


# ---- the definition ---------------------------------------------------------------------------

def test_every_form_has_a_title_and_bilingual_texts() -> None:
    expected = {"lead", "customer", "contact", "opportunity", "followup", "quote", "contract",
                "payment_plan", "payment", "product"}
    assert set(FORMS) == expected

    def bilingual(text: Any, where: str) -> None:
        assert isinstance(text, dict) and text.get("zh-CN") and text.get("en"), where

    bilingual(DEFINITION["name"], "app name")
    for form in DEFINITION["forms"]:
        bilingual(form["name"], form["key"])
        assert form["title_field"] in _fields(form["key"]), form["key"]
        for rule in form.get("validations", []):
            bilingual(rule["message"], f"{form['key']} validation {rule['path']}")
        todo = list(form["fields"])
        while todo:
            field = todo.pop()
            where = f"{form['key']}.{field['key']}"
            assert re.fullmatch(r"[a-z][a-z0-9_]*", field["key"]), where
            bilingual(field["label"], where)
            if "help" in field:
                bilingual(field["help"], where + " help")
            options = field.get("options", [])
            for option in options:
                bilingual(option["label"], f"{where}={option['value']}")
            coloured = [bool(o.get("color")) for o in options]
            assert all(coloured) or not any(coloured), f"{where}: colour some options only"
            todo += field.get("fields", [])


def test_demo_rows_refer_only_at_the_top_level_and_leave_people_empty() -> None:
    """The installer resolves `$ref` only in a row's own values, and no user or department
    exists when the template is installed: demo rows carry no member or department ids."""
    people = {"member", "members", "department", "departments"}

    def nested_refs(value: Any) -> bool:
        if isinstance(value, dict):
            return "$ref" in value or any(nested_refs(v) for v in value.values())
        if isinstance(value, list):
            return any(nested_refs(v) for v in value)
        return False

    ids: set[str] = set()
    for form_key, rows in DEMO.items():
        fields = _fields(form_key)
        for row in rows:
            for key, value in row.items():
                if key == "$id":
                    continue
                if isinstance(value, dict) and "$ref" in value:
                    assert value["$ref"] in ids, f"{form_key}.{key} refers to a later row"
                    assert fields[key]["type"] == "relation"
                else:
                    assert not nested_refs(value), f"{form_key}.{key}: nested $ref"
                if fields[key]["type"] in people:
                    assert value is None, f"{form_key}.{key} names a person"
            if "$id" in row:
                ids.add(row["$id"])


# ---- installed ------------------------------------------------------------------------------

def test_every_form_is_a_typed_table(crm, settings) -> None:
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        rows = conn.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = %s", (SCHEMA,)).fetchall()
    columns: dict[str, dict[str, str]] = {}
    for table, column, data_type in rows:
        columns.setdefault(table, {})[column] = data_type
    for form_key in FORMS:
        assert f"crm__{form_key}" in columns, form_key
    assert columns["crm__contract"]["amount"] == "numeric"
    assert columns["crm__contract"]["sign_date"] == "date"
    assert columns["crm__contract"]["customer"] == "uuid"
    assert columns["crm__contract"]["contract_no"] == "text"
    assert columns["crm__contract"]["attachments"] == "ARRAY"
    assert "received_amount" not in columns["crm__contract"]  # rollups are read, not stored
    assert columns["crm__customer"]["address"] == "jsonb"
    assert columns["crm__followup"]["followup_time"] == "timestamp with time zone"
    assert columns["crm__followup"]["checkin_location"] == "jsonb"
    assert columns["crm__opportunity"]["win_rate"] == "numeric"
    assert columns["crm__opportunity"]["forecast_amount"] == "numeric"  # formulas are stored
    assert columns["crm__product"]["active"] == "boolean"
    for parent in ("opportunity", "quote"):
        lines = columns[f"crm__{parent}__lines"]
        assert {"_parent_id", "product", "quantity", "unit_price", "discount_rate",
                "amount"} <= set(lines)
        assert lines["product"] == "uuid"


async def test_every_demo_row_was_created(admin, crm) -> None:
    for form_key, rows in DEMO.items():
        assert len(await _all(admin, form_key)) == len(rows), form_key
    customers = await _all(admin, "customer")
    assert sorted(c["pool"] for c in customers).count("public") == 2
    assert all(c["owner"] is None for c in customers if c["pool"] == "public")
    assert all(c["owner"] for c in customers if c["pool"] == "private")  # the installer


async def test_contract_received_and_outstanding(admin, crm) -> None:
    contract = await _get(admin, "contract", crm["k_hd_mes"]["_id"])
    assert contract["amount"] == 520000
    assert contract["received_amount"] == 416000  # 156,000 + 260,000 paid
    assert contract["planned_amount"] == 520000  # the three instalments
    assert contract["outstanding_amount"] == 104000  # the retention not yet received
    assert contract["last_payment_date"] == "2026-11-20"

    overdue = await _get(admin, "contract", crm["k_ht_mes"]["_id"])
    assert (overdue["received_amount"], overdue["outstanding_amount"]) == (180000, 270000)

    plan = await _get(admin, "payment_plan", crm["pp_hd_2"]["_id"])
    assert plan["received_amount"] == 260000
    assert plan["contract_no"] == contract["contract_no"]  # lookup through the relation

    # a new payment shows at once (rollups are read live, never stale)
    paid = await admin.post(f"{BASE}/payment/records", json={"data": {
        "customer": crm["c_hd"]["_id"], "contract": crm["k_hd_mes"]["_id"],
        "payment_plan": crm["pp_hd_3"]["_id"], "payment_date": "2026-11-24",
        "amount": 4000, "method": "wechat"}})
    assert paid.status_code == 201, paid.text
    assert paid.json()["payment_no"].startswith("HK-")
    again = await _get(admin, "contract", crm["k_hd_mes"]["_id"])
    assert again["received_amount"] == 420000
    deleted = await admin.delete(f"{BASE}/payment/records/{paid.json()['_id']}")
    assert deleted.status_code in (200, 204)
    assert (await _get(admin, "contract", crm["k_hd_mes"]["_id"]))["received_amount"] == 416000


async def test_customer_rollups(admin, crm) -> None:
    customer = await _get(admin, "customer", crm["c_hd"]["_id"])
    assert customer["pool"] == "private" and customer["owner"]
    assert customer["followup_count"] == 4
    assert customer["contact_count"] == 3
    last = dt.datetime.fromisoformat(customer["last_followup"].replace("Z", "+00:00"))
    assert last == dt.datetime(2026, 11, 20, 10, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert customer["next_followup"] == "2026-12-01"
    assert customer["open_opportunity_amount"] == 180000  # the WMS deal in negotiation
    assert customer["won_amount"] == 520000
    assert customer["contract_amount"] == 556000  # MES 520,000 + maintenance 36,000
    assert customer["received_amount"] == 452000

    public = await _get(admin, "customer", crm["c_yx"]["_id"])
    assert public["pool"] == "public" and public["owner"] is None
    assert public["contract_amount"] == 0 and public["received_amount"] == 0


async def test_opportunity_lines_win_rate_and_forecast(admin, crm) -> None:
    won = await _get(admin, "opportunity", crm["o_hd_mes"]["_id"])
    assert [line["amount"] for line in won["lines"]] == [252000, 200000, 68000]
    assert won["product_total"] == 520000
    assert won["win_rate"] == 1 and won["forecast_amount"] == 520000
    assert won["contract_amount"] == 520000

    open_deal = await _get(admin, "opportunity", crm["o_hd_wms"]["_id"])
    assert open_deal["win_rate"] == 0.8  # the negotiation stage's default
    assert open_deal["product_total"] == 179000
    assert open_deal["forecast_amount"] == 144000  # 180,000 x 80 %
    lost = await _get(admin, "opportunity", crm["o_jc_mes"]["_id"])
    assert lost["win_rate"] == 0 and lost["forecast_amount"] == 0
    stages = {o["stage"] for o in await _all(admin, "opportunity")}
    assert stages == {"initial", "qualified", "proposal", "negotiation", "won", "lost"}

    # a line with a product picked: the relation is checked, the amount computed
    created = await admin.post(f"{BASE}/opportunity/records", json={"data": {
        "name": "云启科技 WMS 试点", "customer": crm["c_yq"]["_id"], "stage": "proposal",
        "expected_amount": 150000, "expected_close_date": "2027-02-28",
        "lines": [{"product": crm["p_wms"]["_id"], "quantity": 1, "unit_price": 160000,
                   "discount_rate": 0.85}]}})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["win_rate"] == 0.5 and body["product_total"] == 136000
    assert body["forecast_amount"] == 75000
    missing = await admin.post(f"{BASE}/opportunity/records", json={"data": {
        "name": "x", "customer": crm["c_yq"]["_id"], "expected_amount": 1,
        "expected_close_date": "2027-02-28", "lines": [{"quantity": 1, "unit_price": 1}]}})
    assert _problems(missing) == {"data.lines[0].description": "required"}


async def test_quote_total_tax_and_number(admin, crm) -> None:
    quote = await _get(admin, "quote", crm["q_hd"]["_id"])
    assert quote["total"] == 179000
    assert quote["tax_amount"] == 20592.92  # 13 % VAT included in the total
    assert re.fullmatch(r"BJ-\d{6}-\d{4}", quote["quote_no"])
    bad = await admin.post(f"{BASE}/quote/records", json={"data": {
        "customer": crm["c_hd"]["_id"], "quote_date": "2026-11-24",
        "valid_until": "2026-11-01", "lines": [{"description": "咨询", "quantity": 1,
                                                "unit_price": 1000}]}})
    assert _problems(bad) == {"data.valid_until": "rule_failed"}
    empty = await admin.post(f"{BASE}/quote/records", json={"data": {
        "customer": crm["c_hd"]["_id"], "lines": []}})
    assert _problems(empty) == {"data.lines": "required"}


async def test_contract_serial_pattern(admin, crm) -> None:
    numbers = sorted(c["contract_no"] for c in await _all(admin, "contract"))
    month = dt.datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y%m")
    # numbered in the month of creation, 4 digits, in the order the demo created them
    assert numbers == [f"HT-{month}-{n:04d}" for n in range(1, 5)]
    assert crm["k_hd_mes"]["contract_no"] == f"HT-{month}-0001"
    contract = await admin.post(f"{BASE}/contract/records", json={"data": {
        "name": "测试合同", "customer": crm["c_nf"]["_id"], "amount": 1000,
        "sign_date": "2026-11-24", "start_date": "2026-12-01"}})
    assert contract.status_code == 201, contract.text
    assert contract.json()["contract_no"] == f"HT-{month}-0005"
    refused = await admin.post(f"{BASE}/contract/records", json={"data": {
        "name": "x", "customer": crm["c_nf"]["_id"], "amount": 1, "contract_no": "HT-1"}})
    assert _problems(refused)["data.contract_no"] == "read_only"


async def test_contract_end_before_start_is_refused(admin, crm) -> None:
    data = {"name": "日期错误的合同", "customer": crm["c_hd"]["_id"], "amount": 10000,
            "sign_date": "2026-11-24", "start_date": "2026-12-01", "end_date": "2026-11-30"}
    response = await admin.post(f"{BASE}/contract/records", json={"data": data},
                                headers={"Accept-Language": "zh-CN"})  # the rule's Chinese text
    assert _problems(response) == {"data.end_date": "rule_failed"}
    assert "结束日期不能早于开始日期" in response.json()["errors"][0]["message"]
    # on an existing contract too
    existing = await _get(admin, "contract", crm["k_hd_mes"]["_id"])
    patched = await admin.patch(f"{BASE}/contract/records/{existing['_id']}", json={
        "data": {"end_date": "2026-01-01"}, "_version": existing["_version"]})
    assert _problems(patched) == {"data.end_date": "rule_failed"}
    same_day = await admin.post(f"{BASE}/contract/records", json={"data": {
        **data, "end_date": "2026-12-01"}})
    assert same_day.status_code == 201, same_day.text


async def test_lost_opportunity_needs_its_reason(admin, crm) -> None:
    data = {"name": "输单测试", "customer": crm["c_zk"]["_id"], "stage": "lost",
            "expected_amount": 5000, "expected_close_date": "2026-12-31"}
    response = await admin.post(f"{BASE}/opportunity/records", json={"data": data})
    assert _problems(response) == {"data.lost_reason": "required"}
    # moving an open deal to lost without a reason is refused as well
    deal = await _get(admin, "opportunity", crm["o_zk_crm"]["_id"])
    patched = await admin.patch(f"{BASE}/opportunity/records/{deal['_id']}", json={
        "data": {"stage": "lost"}, "_version": deal["_version"]})
    assert _problems(patched) == {"data.lost_reason": "required"}
    ok = await admin.post(f"{BASE}/opportunity/records", json={"data": {
        **data, "lost_reason": "budget"}})
    assert ok.status_code == 201, ok.text
    assert ok.json()["win_rate"] == 0


async def test_pool_owner_visit_check_in_and_lead_rules(admin, crm) -> None:
    public = await _get(admin, "customer", crm["c_jc"]["_id"])
    claimed = await admin.patch(f"{BASE}/customer/records/{public['_id']}", json={
        "data": {"pool": "private"}, "_version": public["_version"]})
    assert _problems(claimed) == {"data.owner": "required"}  # claiming names an owner

    duplicate = await admin.post(f"{BASE}/customer/records", json={"data": {
        "name": "上海华东精密制造有限公司".upper(), "pool": "public", "owner": None}})
    assert duplicate.status_code == 409  # customer names are unique

    visit = await admin.post(f"{BASE}/followup/records", json={"data": {
        "customer": crm["c_hd"]["_id"], "method": "visit", "content": "上门拜访"}})
    assert _problems(visit) == {"data.checkin_location": "required"}
    call = await admin.post(f"{BASE}/followup/records", json={"data": {
        "customer": crm["c_hd"]["_id"], "method": "phone", "content": "电话回访"}})
    assert call.status_code == 201, call.text
    assert call.json()["followup_time"]  # defaults to now

    lead = await admin.post(f"{BASE}/lead/records", json={"data": {
        "name": "测试", "company": "测试公司", "source": "website"}})
    assert _problems(lead) == {"data.mobile": "rule_failed"}  # no way to reach them
    converted = await admin.post(f"{BASE}/lead/records", json={"data": {
        "name": "测试", "company": "测试公司", "source": "website", "mobile": "13800001111",
        "status": "converted"}})
    assert _problems(converted) == {"data.converted_customer": "required"}

    product = await admin.post(f"{BASE}/product/records", json={"data": {
        "name": "重复编码", "code": "yz-mes-std", "category": "software", "price": 1}})
    assert product.status_code == 409  # product codes are unique, ignoring case


async def test_roles_a_rep_sees_own_and_pool_customers_finance_sees_no_phones(app, admin,
                                                                             crm) -> None:
    import httpx

    from tests.integration.conftest import login

    for email in ("rep@crm.example.com", "fin@crm.example.com"):
        r = await admin.post("/api/v1/users", json={"email": email, "name": email[:3],
                                                    "password": "crm-member-pass"})
        assert r.status_code == 201, r.text
    for role, email in (("sales", "rep@crm.example.com"), ("finance", "fin@crm.example.com")):
        r = await admin.put(f"/api/v1/apps/crm/roles/{role}/members", json={"users": [email]})
        assert r.status_code == 200, r.text
    transport = httpx.ASGITransport(app=app, client=("10.50.0.1", 1))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as rep:
        rep.headers.update(await login(rep, "rep@crm.example.com", "crm-member-pass"))
        mine = await rep.post(f"{BASE}/customer/records", json={"data": {
            "name": "代表自建客户", "pool": "private", "status": "potential"}})
        assert mine.status_code == 201, mine.text
        assert mine.json()["owner"]  # the owner defaults to the creating rep
        seen = {c["name"] for c in (await rep.get(f"{BASE}/customer/records",
                                                  params={"limit": 100})).json()["items"]}
        pool = {c["name"] for c in DEMO["customer"] if c["pool"] == "public"}
        assert seen == pool | {"代表自建客户"}  # not the admin's private customers
        cost = (await rep.get(f"{BASE}/product/records")).json()["items"][0]
        assert "cost" not in cost and "price" in cost
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as fin:
        fin.headers.update(await login(fin, "fin@crm.example.com", "crm-member-pass"))
        customers = (await fin.get(f"{BASE}/customer/records", params={"limit": 100})).json()
        assert len(customers["items"]) == len(DEMO["customer"]) + 1
        assert all("phone" not in c for c in customers["items"])
        no_create = await fin.post(f"{BASE}/customer/records", json={"data": {"name": "x"}})
        assert no_create.status_code == 403

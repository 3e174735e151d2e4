"""Records API v1 on a real typed table: create, get, list with sort and cursor, patch with
optimistic locking, soft delete, history, unique conflicts, field-path errors."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import libpq_dsn

APP = {
    "format": "tessera.app/1",
    "key": "sales",
    "name": {"zh-CN": "销售", "en": "Sales"},
    "forms": [{
        "key": "deal",
        "name": {"zh-CN": "商机", "en": "Deal"},
        "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}, "required": True,
             "unique": True},
            {"key": "amount", "type": "money", "label": {"en": "Amount"}, "precision": 2},
            {"key": "stage", "type": "select", "label": {"en": "Stage"},
             "options": [{"value": "new"}, {"value": "won"}, {"value": "lost"}]},
            {"key": "tags", "type": "multiselect", "label": {"en": "Tags"},
             "options": [{"value": "vip"}, {"value": "urgent"}]},
            {"key": "close_date", "type": "date", "label": {"en": "Close date"}},
            {"key": "signed_at", "type": "datetime", "label": {"en": "Signed at"}},
            {"key": "won", "type": "checkbox", "label": {"en": "Won"}},
            {"key": "note", "type": "textarea", "label": {"en": "Note"}},
            {"key": "qty", "type": "number", "label": {"en": "Quantity"}},
        ],
    }],
}
URL = "/api/v1/apps/sales/forms/deal/records"


@pytest.fixture(scope="module", autouse=True)
async def sales_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def test_create_returns_the_typed_record(admin, settings) -> None:
    response = await admin.post(URL, json={"data": {
        "title": "Big deal", "amount": "1234.5", "stage": "new", "tags": ["vip"],
        "close_date": "2026-12-31", "won": False, "qty": 3}})
    assert response.status_code == 201, response.text
    record = response.json()
    assert record["title"] == "Big deal" and record["amount"] == 1234.5
    assert record["close_date"] == "2026-12-31" and record["tags"] == ["vip"]
    assert record["_version"] == 1 and record["_id"]
    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        types = dict(conn.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 't_main' and table_name = 'sales__deal'").fetchall())
    assert types["amount"] == "numeric" and types["close_date"] == "date"
    assert types["tags"] == "ARRAY" and types["won"] == "boolean"


async def test_invalid_values_name_their_fields_and_write_nothing(admin) -> None:
    before = (await admin.get(URL + "/count")).json()["count"]
    response = await admin.post(URL, json={"data": {
        "amount": "lots", "stage": "maybe", "close_date": "2026-02-30", "bogus": 1}})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_failed"
    codes = {e["path"]: e["code"] for e in body["errors"]}
    assert codes["data.title"] == "required"
    assert "data.amount" in codes and "data.stage" in codes and "data.close_date" in codes
    assert codes["data.bogus"] == "unknown_field"
    assert (await admin.get(URL + "/count")).json()["count"] == before


async def test_unique_conflict_names_the_field_and_existing_record(admin) -> None:
    first = (await admin.post(URL, json={"data": {"title": "Unique one"}})).json()
    dup = await admin.post(URL, json={"data": {"title": "Unique one"}})
    assert dup.status_code == 409
    error = dup.json()["errors"][0]
    assert error["path"] == "data.title"
    assert error["params"]["existing_record"] == first["_id"]


async def test_patch_with_version_and_conflict(admin) -> None:
    rec = (await admin.post(URL, json={"data": {"title": "Patch me", "qty": 1}})).json()
    ok = await admin.patch(f"{URL}/{rec['_id']}", json={"data": {"qty": 2}, "_version": 1})
    assert ok.status_code == 200, ok.text
    assert ok.json()["qty"] == 2 and ok.json()["_version"] == 2
    assert ok.json()["title"] == "Patch me"  # partial update keeps the rest
    stale = await admin.patch(f"{URL}/{rec['_id']}", json={"data": {"qty": 3}, "_version": 1})
    assert stale.status_code == 409 and stale.json()["code"] == "version_conflict"
    got = (await admin.get(f"{URL}/{rec['_id']}")).json()
    assert got["qty"] == 2
    history = (await admin.get(f"{URL}/{rec['_id']}/history")).json()["items"]
    assert [h["action"] for h in history] == ["update", "create"]
    assert history[0]["changes"] == {"qty": {"old": 1, "new": 2}}
    assert history[0]["actor"]["name"] == "Admin"


async def test_delete_moves_to_recycle_bin(admin) -> None:
    rec = (await admin.post(URL, json={"data": {"title": "Delete me"}})).json()
    assert (await admin.delete(f"{URL}/{rec['_id']}")).status_code == 204
    gone = await admin.get(f"{URL}/{rec['_id']}")
    assert gone.status_code == 404 and gone.json()["code"] == "record_not_found"
    history = (await admin.get(f"{URL}/{rec['_id']}/history")).json()["items"]
    assert history[0]["action"] == "delete"
    # the unique value is free again for a live record
    again = await admin.post(URL, json={"data": {"title": "Delete me"}})
    assert again.status_code == 201


async def test_list_sorts_and_pages_with_a_cursor(admin) -> None:
    for i in range(7):
        r = await admin.post(URL, json={"data": {"title": f"page-{i}", "qty": i % 3}})
        assert r.status_code == 201
    r = await admin.post(URL, json={"data": {"title": "page-no-qty"}})  # sorts last
    assert r.status_code == 201
    seen, cursor = [], None
    while True:
        params = {"sort": "qty,-title", "limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = (await admin.get(URL, params=params)).json()
        seen += [(r["qty"], r["title"]) for r in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    everything = (await admin.get(URL, params={"limit": 1000})).json()["items"]
    expected = sorted(((r["qty"], r["title"]) for r in everything),
                      key=lambda x: (x[0] is None, x[0] or 0, [-ord(c) for c in x[1]]))
    assert len(seen) == len(everything)
    assert [s for s in seen if s[0] is not None] == [e for e in expected if e[0] is not None]
    assert seen[-1][0] is None  # NULLs last when ascending


async def test_bad_list_parameters(admin) -> None:
    assert (await admin.get(URL, params={"sort": "nope"})).json()["code"] == "invalid_sort"
    assert (await admin.get(URL, params={"limit": 0})).json()["code"] == "invalid_limit"
    assert (await admin.get(URL, params={"cursor": "garbage"})).json()["code"] == \
        "invalid_cursor"


async def test_unknown_app_form_and_record(admin) -> None:
    assert (await admin.get("/api/v1/apps/nope/forms/deal/records")).json()["code"] == \
        "unknown_app"
    assert (await admin.get("/api/v1/apps/sales/forms/nope/records")).json()["code"] == \
        "unknown_form"
    assert (await admin.get(URL + "/not-a-uuid")).json()["code"] == "invalid_id"


async def test_list_filters_with_an_expression_pushed_into_sql(admin) -> None:
    import json

    for title, amount, stage in [("flt-a", 500, "won"), ("flt-b", 5000, "won"),
                                 ("flt-c", 50000, "lost"), ("flt-d", None, "won")]:
        r = await admin.post(URL, json={"data": {"title": title, "amount": amount,
                                                 "stage": stage}})
        assert r.status_code == 201
    expression = {"and": [{"==": [{"var": "stage"}, "won"]},
                          {">": [{"var": "amount"}, 1000]},
                          {"starts_with": [{"var": "title"}, "flt-"]}]}
    page = (await admin.get(URL, params={"filter": json.dumps(expression)})).json()
    assert [r["title"] for r in page["items"]] == ["flt-b"]
    counted = (await admin.get(URL + "/count", params={"filter": json.dumps(expression)})).json()
    assert counted == {"count": 1, "exact": True}


async def test_bad_filters_are_problems(admin) -> None:
    malformed = await admin.get(URL, params={"filter": "{nope"})
    assert malformed.status_code == 422 and malformed.json()["code"] == "invalid_filter"
    unknown = await admin.get(URL, params={"filter": '{"==": [{"var": "secret"}, 1]}'})
    assert unknown.status_code == 422 and unknown.json()["code"] == "invalid_filter"
    assert unknown.json()["errors"][0]["path"].startswith("filter")


async def test_field_selection_returns_only_what_was_asked(admin) -> None:
    page = (await admin.get(URL, params={"fields": "title,amount", "sort": "-amount",
                                         "limit": 3})).json()
    assert page["items"] and all(set(r) == {"_id", "_version", "title", "amount"}
                                 for r in page["items"])
    assert page["next_cursor"]  # the cursor still works with a pruned select
    nxt = await admin.get(URL, params={"fields": "title,amount", "sort": "-amount",
                                       "cursor": page["next_cursor"]})
    assert nxt.status_code == 200
    bad = await admin.get(URL, params={"fields": "title,nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["path"] == "fields[1]"


async def test_messages_follow_accept_language(admin) -> None:
    zh = await admin.post(URL, json={"data": {"amount": "lots"}},
                          headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    en = await admin.post(URL, json={"data": {"amount": "lots"}},
                          headers={"Accept-Language": "en-US,en;q=0.9"})
    zh_msg = {e["path"]: e["message"] for e in zh.json()["errors"]}["data.title"]
    en_msg = {e["path"]: e["message"] for e in en.json()["errors"]}["data.title"]
    assert zh_msg != en_msg
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh_msg)
    assert en_msg.isascii()

"""Relations, sub-forms, link tables, lookups, rollups, formulas and serial numbers through the
API: what the form engine decides, the platform stores and reads back in SQL."""

from __future__ import annotations

import asyncio

import pytest

APP = {
    "format": "tessera.app/1",
    "key": "ops",
    "name": {"en": "Orders"},
    "forms": [
        {"key": "customer", "name": {"en": "Customer"}, "title_field": "name", "fields": [
            {"key": "name", "type": "text", "label": {"en": "Name"}, "required": True},
            {"key": "city", "type": "text", "label": {"en": "City"}},
            {"key": "orders_total", "type": "rollup", "label": {"en": "Ordered"},
             "via": {"form": "order", "relation": "customer"}, "field": "total", "agg": "sum"},
            {"key": "order_count", "type": "rollup", "label": {"en": "Orders"},
             "via": {"form": "order", "relation": "customer"}, "agg": "count"},
        ]},
        {"key": "tag", "name": {"en": "Tag"}, "fields": [
            {"key": "label", "type": "text", "label": {"en": "Label"}},
        ]},
        {"key": "order", "name": {"en": "Order"}, "fields": [
            {"key": "no", "type": "serial", "label": {"en": "No."},
             "pattern": "SO-{YYYY}-{seq:4}", "reset": "yearly"},
            {"key": "customer", "type": "relation", "target": "customer",
             "label": {"en": "Customer"}, "required": True},
            {"key": "customer_city", "type": "lookup", "relation": "customer", "field": "city",
             "label": {"en": "City"}},
            {"key": "tags", "type": "relation", "target": "tag", "multiple": True,
             "label": {"en": "Tags"}},
            {"key": "tag_labels", "type": "lookup", "relation": "tags", "field": "label",
             "label": {"en": "Tag labels"}},
            {"key": "items", "type": "subform", "label": {"en": "Items"}, "required": True,
             "fields": [
                 {"key": "product", "type": "text", "label": {"en": "Product"},
                  "required": True},
                 {"key": "qty", "type": "number", "label": {"en": "Qty"}, "required": True},
                 {"key": "price", "type": "money", "label": {"en": "Price"}, "precision": 2},
                 {"key": "amount", "type": "formula", "label": {"en": "Amount"},
                  "formula": "qty * price", "precision": 2},
             ]},
            {"key": "total", "type": "formula", "label": {"en": "Total"},
             "formula": "SUM(items.amount)", "precision": 2},
        ]},
    ],
}
BASE = "/api/v1/apps/ops/forms"


@pytest.fixture(scope="module", autouse=True)
async def ops_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def _create(admin, form: str, data: dict) -> dict:
    response = await admin.post(f"{BASE}/{form}/records", json={"data": data})
    assert response.status_code == 201, response.text
    return response.json()


async def test_order_with_items_tags_lookups_formula_and_serial(admin) -> None:
    acme = await _create(admin, "customer", {"name": "ACME", "city": "Suzhou"})
    red = await _create(admin, "tag", {"label": "red"})
    big = await _create(admin, "tag", {"label": "big"})
    order = await _create(admin, "order", {
        "customer": acme["_id"], "tags": [red["_id"], big["_id"]],
        "items": [{"product": "bolt", "qty": 10, "price": 1.5},
                  {"product": "nut", "qty": 4, "price": 0.25}]})
    assert order["no"].startswith("SO-") and order["no"].endswith("-0001")
    assert order["total"] == 16
    assert order["customer_city"] == "Suzhou"
    assert order["tag_labels"] == ["red", "big"]
    assert [i["product"] for i in order["items"]] == ["bolt", "nut"]
    assert all(i["_id"] for i in order["items"])

    fetched = (await admin.get(f"{BASE}/order/records/{order['_id']}")).json()
    assert fetched["tags"] == [red["_id"], big["_id"]] and fetched["total"] == 16
    assert fetched["_titles"] == {"customer": "ACME"}  # the related record's title_field
    listed = (await admin.get(f"{BASE}/order/records", params={"fields": "customer"})).json()
    assert listed["items"][0]["_titles"] == {"customer": "ACME"}

    customer = (await admin.get(f"{BASE}/customer/records/{acme['_id']}")).json()
    assert customer["orders_total"] == 16 and customer["order_count"] == 1

    # lookups are always current: change the customer's city
    patched = await admin.patch(f"{BASE}/customer/records/{acme['_id']}",
                                json={"data": {"city": "Wuxi"}, "_version": 1})
    assert patched.status_code == 200
    listed = (await admin.get(f"{BASE}/order/records")).json()["items"]
    assert listed[0]["customer_city"] == "Wuxi"


async def test_sub_form_errors_name_the_row(admin) -> None:
    acme = await _create(admin, "customer", {"name": "Rowcheck"})
    response = await admin.post(f"{BASE}/order/records", json={"data": {
        "customer": acme["_id"], "items": [{"product": "ok", "qty": 1},
                                           {"product": "", "qty": "many"}]}})
    assert response.status_code == 422
    paths = {e["path"] for e in response.json()["errors"]}
    assert {"data.items[1].product", "data.items[1].qty"} <= paths
    empty = await admin.post(f"{BASE}/order/records", json={"data": {
        "customer": acme["_id"], "items": []}})
    assert empty.status_code == 422
    assert any(e["path"] == "data.items" for e in empty.json()["errors"])


async def test_relation_to_a_missing_record_is_refused(admin) -> None:
    response = await admin.post(f"{BASE}/order/records", json={"data": {
        "customer": "01a20b09-facc-7039-b9c8-839731159061",
        "items": [{"product": "x", "qty": 1}]}})
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "path": "data.customer", "code": "unknown_record", "message": "No such record."}


async def test_serial_numbers_are_unique_and_gap_free_under_concurrency(admin) -> None:
    acme = await _create(admin, "customer", {"name": "Busy"})

    async def one() -> str:
        return (await _create(admin, "order", {"customer": acme["_id"],
                                               "items": [{"product": "p", "qty": 1}]}))["no"]

    numbers = await asyncio.gather(*(one() for _ in range(12)))
    listed = (await admin.get(f"{BASE}/order/records", params={"limit": 100})).json()["items"]
    all_numbers = sorted(r["no"] for r in listed)
    assert len(set(numbers)) == 12
    seqs = [int(n.rsplit("-", 1)[1]) for n in all_numbers]
    assert seqs == list(range(1, len(seqs) + 1))


async def test_editing_the_sub_form_replaces_its_rows_and_recomputes(admin) -> None:
    acme = await _create(admin, "customer", {"name": "Editor"})
    order = await _create(admin, "order", {"customer": acme["_id"],
                                           "items": [{"product": "a", "qty": 2, "price": 3}]})
    patched = await admin.patch(f"{BASE}/order/records/{order['_id']}", json={
        "_version": 1, "data": {"items": [{"product": "b", "qty": 1, "price": 10},
                                          {"product": "c", "qty": 1, "price": 1}]}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["total"] == 11
    assert [i["product"] for i in patched.json()["items"]] == ["b", "c"]
    history = (await admin.get(f"{BASE}/order/records/{order['_id']}/history")).json()
    assert set(history["items"][0]["changes"]) == {"items", "total"}


def test_relations_are_foreign_keys(settings) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    from tests.conftest import libpq_dsn

    with psycopg.connect(libpq_dsn(make_url(settings.sync_url))) as conn:
        rows = conn.execute(
            "select conrelid::regclass::text, confrelid::regclass::text, confdeltype "
            "from pg_constraint where contype = 'f' and connamespace = 't_main'::regnamespace "
            "and conrelid::regclass::text like 't_main.ops__%' order by 1").fetchall()
    assert ("t_main.ops__order", "t_main.ops__customer", "n") in rows  # ON DELETE SET NULL
    assert ("t_main.ops__order__tags", "t_main.ops__tag", "c") in rows  # link rows cascade
    assert ("t_main.ops__order__items", "t_main.ops__order", "c") in rows


async def test_data_linkage_defaults_read_the_related_record(admin) -> None:
    definition = (await admin.get("/api/v1/apps/ops/draft")).json()
    order = next(f for f in definition["forms"] if f["key"] == "order")
    order["fields"].append({"key": "ship_city", "type": "text", "label": {"en": "Ship to"},
                            "default_linkage": {"form": "customer", "match": {"_id": "customer"},
                                                "take": "city"}})
    assert (await admin.put("/api/v1/apps/ops/draft", json=definition)).status_code == 200
    assert (await admin.post("/api/v1/apps/ops/publish")).status_code == 200
    acme = await _create(admin, "customer", {"name": "Linked", "city": "Ningbo"})
    linked = await _create(admin, "order", {"customer": acme["_id"],
                                            "items": [{"product": "p", "qty": 1}]})
    assert linked["ship_city"] == "Ningbo"
    given = await _create(admin, "order", {"customer": acme["_id"], "ship_city": "Hangzhou",
                                           "items": [{"product": "p", "qty": 1}]})
    assert given["ship_city"] == "Hangzhou"  # a value the user gave wins


async def test_filter_by_relation_and_id(admin) -> None:
    import json

    first = await _create(admin, "customer", {"name": "Filter A"})
    second = await _create(admin, "customer", {"name": "Filter B"})
    for customer in (first, second, second):
        await _create(admin, "order", {"customer": customer["_id"],
                                       "items": [{"product": "p", "qty": 1}]})
    by_customer = json.dumps({"==": [{"var": "customer"}, second["_id"]]})
    orders = (await admin.get(f"{BASE}/order/records", params={"filter": by_customer})).json()
    assert len(orders["items"]) == 2
    assert {o["customer"] for o in orders["items"]} == {second["_id"]}
    either = json.dumps({"in": [{"var": "customer"}, [first["_id"], "not-an-id"]]})
    assert len((await admin.get(f"{BASE}/order/records",
                                params={"filter": either})).json()["items"]) == 1
    nothing = json.dumps({"==": [{"var": "customer"}, "not-an-id"]})
    assert (await admin.get(f"{BASE}/order/records",
                            params={"filter": nothing})).json()["items"] == []

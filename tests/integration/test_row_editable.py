"""A sub-form row's editable_when through the records API: a saved row whose cell is locked
comes back whole in a PATCH (as the browser sends it, the locked cell as shown) and is taken;
changing the locked cell is refused at its path."""

from __future__ import annotations

import pytest

APP = {
    "format": "tessera.app/1",
    "key": "rowlock",
    "name": {"zh-CN": "行锁定", "en": "Row lock"},
    "forms": [{
        "key": "order",
        "name": {"zh-CN": "订单", "en": "Order"},
        "fields": [
            {"key": "stage", "type": "text", "label": {"en": "Stage"}},
            {"key": "lines", "type": "subform", "label": {"en": "Lines"}, "fields": [
                {"key": "qty", "type": "number", "label": {"en": "Quantity"}},
                {"key": "price", "type": "money", "label": {"en": "Price"}, "precision": 2,
                 "editable_when": {"!=": [{"var": "stage"}, "approved"]}},
            ]},
        ],
    }],
}
URL = "/api/v1/apps/rowlock/forms/order/records"


@pytest.fixture(scope="module", autouse=True)
async def rowlock_app(admin):
    response = await admin.post("/api/v1/apps", json=APP)
    assert response.status_code == 201, response.text


async def test_a_locked_row_cell_comes_back_unchanged_and_only_that(admin) -> None:
    created = await admin.post(URL, json={"data": {
        "stage": "approved", "lines": [{"qty": 2, "price": "10.50"}]}})
    assert created.status_code == 201, created.text
    record = created.json()
    row = record["lines"][0]
    # the browser sends the rows whole: the locked price as it shows it, a new quantity, a new row
    ok = await admin.patch(f"{URL}/{record['_id']}", json={"_version": 1, "data": {"lines": [
        {"_id": row["_id"], "qty": 3, "price": row["price"]}, {"qty": 1, "price": 4}]}})
    assert ok.status_code == 200, ok.text
    assert [(r["qty"], r["price"]) for r in ok.json()["lines"]] == [(3, 10.5), (1, 4)]
    refused = await admin.patch(f"{URL}/{record['_id']}", json={"_version": 2, "data": {
        "lines": [{"_id": row["_id"], "qty": 3, "price": 11}]}})
    assert refused.status_code == 422, refused.text
    assert [(e["path"], e["code"]) for e in refused.json()["errors"]] == [
        ("data.lines[0].price", "not_editable")]

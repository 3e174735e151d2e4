"""A formula over a rollup follows the related records without its own record being saved:
on the record page and in lists."""

from __future__ import annotations

import pytest

APP = {
    "format": "tessera.app/1", "key": "ar", "name": {"en": "Receivables"},
    "forms": [
        {"key": "contract", "name": {"en": "Contract"}, "title_field": "title", "fields": [
            {"key": "title", "type": "text", "label": {"en": "Title"}},
            {"key": "amount", "type": "money", "label": {"en": "Amount"}, "precision": 2},
            {"key": "received", "type": "rollup", "label": {"en": "Received"}, "agg": "sum",
             "field": "amount", "via": {"form": "payment", "relation": "contract"}},
            {"key": "outstanding", "type": "formula", "label": {"en": "Outstanding"},
             "formula": {"-": [{"var": "amount"}, {"var": "received"}]}, "precision": 2},
            {"key": "settled", "type": "formula", "label": {"en": "Settled"},
             "result_type": "checkbox", "formula": {"<=": [{"var": "outstanding"}, 0]}},
        ]},
        {"key": "payment", "name": {"en": "Payment"}, "fields": [
            {"key": "contract", "type": "relation", "label": {"en": "Contract"},
             "target": "contract", "required": True},
            {"key": "amount", "type": "money", "label": {"en": "Amount"}, "precision": 2},
        ]},
    ],
}
CONTRACTS = "/api/v1/apps/ar/forms/contract/records"
PAYMENTS = "/api/v1/apps/ar/forms/payment/records"


@pytest.fixture(scope="module")
async def contract(admin) -> str:
    assert (await admin.post("/api/v1/apps", json=APP)).status_code == 201, "import"
    created = await admin.post(CONTRACTS, json={"data": {"title": "MES", "amount": 1000}})
    assert created.status_code == 201, created.text
    assert created.json()["outstanding"] == 1000 and created.json()["settled"] is False
    return created.json()["_id"]


async def test_a_payment_changes_the_contract_as_read(admin, contract) -> None:
    paid = await admin.post(PAYMENTS, json={"data": {"contract": contract, "amount": 400}})
    assert paid.status_code == 201, paid.text
    record = (await admin.get(f"{CONTRACTS}/{contract}")).json()
    assert record["received"] == 400 and record["outstanding"] == 600
    assert record["_version"] == 1  # the contract itself was not saved

    rest = await admin.post(PAYMENTS, json={"data": {"contract": contract, "amount": 600}})
    assert rest.status_code == 201
    items = (await admin.get(CONTRACTS)).json()["items"]
    assert [(r["outstanding"], r["settled"]) for r in items] == [(0, True)]

    await admin.delete(f"{PAYMENTS}/{rest.json()['_id']}")
    record = (await admin.get(f"{CONTRACTS}/{contract}")).json()
    assert record["outstanding"] == 600 and record["settled"] is False
